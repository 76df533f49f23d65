"""总览 Overview: status tiles, progress by sector / lead unit / jurisdiction, heat-map, and the laggards to act on."""

import streamlit as st

import ui
from indicators import progress
from indicators.outputs import charts
from indicators.progress import read_model


def body(filters: ui.Filters) -> None:
    st.title(ui.tr("overview"))
    ui.demo_banner()
    if not ui.has_data():
        st.info(ui.tr("empty_state"))
        return
    infos, results = ui.compute_status(filters)
    if not results:
        st.info(ui.tr("no_targets"))
        return
    catalogue = ui.get_catalogue()
    lang = filters.lang
    counts = progress.status_counts(results)
    overall = progress.rollup(results, {r.target_id: ("all",) for r in results})[0]

    tiles = st.columns(len(progress.STATUSES) + 2)
    tiles[0].metric(ui.tr("targets_tracked"), len(results))
    for column, status_key in zip(tiles[1:], progress.STATUSES, strict=False):
        column.metric(ui.status_text(status_key), counts[status_key])
        column.markdown(ui.status_badge(status_key), unsafe_allow_html=True)
    mean = overall.mean_completion
    tiles[-1].metric(ui.tr("mean_completion"), "—" if mean is None else f"{mean:.1%}")

    plan_ids = filters.plans or sorted({i.plan_id for i in infos})
    scope = (catalogue.plans[plan_ids[0]].title if lang == "zh" else catalogue.plans[plan_ids[0]].title_en) \
        if len(plan_ids) == 1 else ui.tr("all_plans")
    docs = [catalogue.plans[p].doc_number for p in plan_ids]
    ctx = charts.ChartContext(scope, filters.as_of, lang, docs, ui.demo_in_use())
    sectors = {k: (s.zh if lang == "zh" else s.en) for k, s in catalogue.sectors.items()}

    left, right = st.columns(2)
    with left:
        st.plotly_chart(charts.status_bars(progress.rollup(results, read_model.group_keys(infos, "sector")), sectors, ctx,
                                           ui.tr("by_sector")), width="stretch")
    with right:
        st.plotly_chart(charts.status_bars(progress.rollup(results, read_model.group_keys(infos, "unit")), {}, ctx,
                                           ui.tr("by_unit"), limit=15), width="stretch")
    left, right = st.columns(2)
    with left:
        st.plotly_chart(charts.status_heatmap(progress.rollup(results, read_model.group_keys(infos, "sector")), sectors,
                                              ctx), width="stretch")
    with right:
        st.plotly_chart(charts.status_bars(progress.rollup(results, read_model.group_keys(infos, "jurisdiction")), {},
                                           ctx, ui.tr("by_jurisdiction")), width="stretch")

    st.subheader(ui.tr("attention"))
    names = {i.spec.id: (i.name if lang == "zh" else i.name_en) for i in infos}
    behind = progress.laggards(results)
    if not behind:
        st.success("没有滞后或突破上限的指标。" if lang == "zh" else "No target is behind or over its cap.")
    for result in behind[:40]:
        cols = st.columns([1, 4, 6])
        cols[0].markdown(ui.status_badge(result.status), unsafe_allow_html=True)
        cols[1].page_link(ui.PAGE_FILES["indicator"], label=names[result.target_id],
                          query_params={"target": result.target_id})
        cols[2].caption(result.explanation_zh if lang == "zh" else result.explanation_en)
    if len(behind) > 40:
        st.caption(f"… {len(behind) - 40}")

    with st.expander("判定规则与阈值" if lang == "zh" else "Status rules and thresholds"):
        t = ui.thresholds()
        if lang == "zh":
            st.markdown(
                f"- 增量/存量指标：按“时间过半、任务过半”，实际进度达到应完成进度为**正常**，达到其"
                f"{t.amber_share_of_expected:.0%}为**预警**，低于为**滞后**；达到目标为**已完成**。\n"
                f"- 上限类指标：超过上限为**突破上限**；按当前进度推算全期超过上限{t.cap_red_projection - 1:.0%}以上为"
                f"**滞后**，超过上限为**预警**。\n"
                f"- 增速/比重指标：达到目标为**正常**，差距在目标的{t.rate_amber_tolerance:.0%}以内为**预警**。\n"
                f"- “左右/约/余”在目标的±{t.approx_tolerance:.0%}以内视为达到。")
        else:
            st.markdown(
                f"- Increment and level targets: on track when progress keeps pace with time; amber from "
                f"{t.amber_share_of_expected:.0%} of the expected progress; achieved once the target is met.\n"
                f"- Caps: breached above the cap; red when the projection exceeds it by more than "
                f"{t.cap_red_projection - 1:.0%}, amber when it exceeds it at all.\n"
                f"- Growth and share: green when met, amber within {t.rate_amber_tolerance:.0%} of the target.\n"
                f"- '~' (左右/约/余) counts as met within ±{t.approx_tolerance:.0%}.")


ui.run_page(body)
