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
    scope = ui.pick(catalogue.plans[plan_ids[0]].title, catalogue.plans[plan_ids[0]].title_en) \
        if len(plan_ids) == 1 else ui.tr("all_plans")
    docs = [catalogue.plans[p].doc_number for p in plan_ids]
    ctx = charts.ChartContext(scope, filters.as_of, lang, docs, ui.demo_in_use())
    sectors = {k: ui.pick(s.zh, s.en) for k, s in catalogue.sectors.items()}

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
    names = {i.spec.id: ui.pick(i.name, i.name_en) for i in infos}
    behind = progress.laggards(results)
    if not behind:
        st.success(ui.tr("ov_no_laggards"))
    for result in behind[:40]:
        cols = st.columns([1, 4, 6])
        cols[0].markdown(ui.status_badge(result.status), unsafe_allow_html=True)
        cols[1].page_link(ui.PAGE_FILES["indicator"], label=names[result.target_id],
                          query_params={"target": result.target_id})
        cols[2].caption(ui.explanation(result))
    if len(behind) > 40:
        st.caption(f"… {len(behind) - 40}")

    with st.expander(ui.tr("ov_rules_title")):
        t = ui.thresholds()
        st.markdown(ui.tr("ov_rules", amber=f"{t.amber_share_of_expected:.0%}", cap=f"{t.cap_red_projection - 1:.0%}",
                          rate=f"{t.rate_amber_tolerance:.0%}", approx=f"{t.approx_tolerance:.0%}"))


ui.run_page(body)
