"""总览 Overview: status tiles, progress by sector / lead unit / jurisdiction, heat-map, and the laggards to act on."""

import streamlit as st

import ui
from indicators import progress
from indicators.outputs import attention, charts


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
    counts = ui.derived(filters, "counts")
    overall = ui.derived(filters, "overall")

    mean = overall.mean_completion
    # 已报 n/N: reports in for the month out of those due (DESIGN §9); the rest are judged at their last month
    cell = ui.cycle_summary(filters.plans, filters.jurisdictions, [filters.as_of])[0].get(filters.as_of)
    ui.tiles([(ui.tr("targets_tracked"), len(results), None),
              *[(ui.status_text(key), counts[key], key) for key in progress.STATUSES],
              (ui.tr("mean_completion"), "—" if mean is None else f"{mean:.1%}", None),
              (ui.tr("reported_tile"), "—" if cell is None else f"{cell.reported}/{cell.expected}", None)],
             link=(ui.PAGE_FILES["reporting"], ui.tr("reporting")))
    _attention(infos, results, filters)  # the first laggards right under the tiles: on a projector without scrolling

    plan_ids = filters.plans or sorted({i.plan_id for i in infos})
    scope = ui.pick(catalogue.plans[plan_ids[0]].title, catalogue.plans[plan_ids[0]].title_en) \
        if len(plan_ids) == 1 else ui.tr("all_plans")
    docs = [catalogue.plans[p].doc_number for p in plan_ids]
    ctx = charts.ChartContext(scope, filters.as_of, lang, docs, ui.demo_in_use())
    sectors = {k: ui.pick(s.zh, s.en) for k, s in catalogue.sectors.items()}

    left, right = st.columns(2)
    with left:
        st.plotly_chart(ui.cached_figure(filters, "by_sector", lambda: charts.status_bars(
            ui.derived(filters, "rollup:sector"), sectors, ctx, ui.tr("by_sector"))), width="stretch")
    with right:
        ranking = ui.derived(filters, "ranking")
        st.plotly_chart(ui.cached_figure(filters, "by_unit", lambda: charts.status_bars(
            ranking.groups, ranking.labels, ctx, ui.tr("by_unit"), limit=attention.SHOWN_DEPARTMENTS, ranked=True)),
            width="stretch")
        st.caption(ui.tr("attention.ranking_rule"))
        for parent, divisions in ui.derived(filters, "divisions").items():
            with st.expander(ui.tr("attention.divisions", department=ranking.labels.get(parent, parent))):
                st.plotly_chart(ui.cached_figure(filters, f"divisions:{parent}", lambda d=divisions: charts.status_bars(
                    d.groups, d.labels, ctx, ui.tr("by_unit"), ranked=True)), width="stretch")
    left, right = st.columns(2)
    with left:
        st.plotly_chart(ui.cached_figure(filters, "heatmap", lambda: charts.status_heatmap(
            ui.derived(filters, "rollup:sector"), sectors, ctx)), width="stretch")
    with right:
        st.plotly_chart(ui.cached_figure(filters, "by_jurisdiction", lambda: charts.status_bars(
            ui.derived(filters, "rollup:jurisdiction"), {}, ctx, ui.tr("by_jurisdiction"))), width="stretch")
    st.caption(ctx.footer().replace("<br>", " "))  # the charts' source line, wrapping with the page

    with st.expander(ui.tr("ov_rules_title")):
        t = ui.thresholds()
        st.markdown(ui.tr("ov_rules", amber=f"{t.amber_share_of_expected:.0%}", cap=f"{t.cap_red_projection - 1:.0%}",
                          rate=f"{t.rate_amber_tolerance:.0%}", approx=f"{t.approx_tolerance:.0%}"))
        st.markdown(ui.tr("attention.rules_more", milestone=f"{t.milestone_max_count:g}"))


def _attention(infos, results, filters: ui.Filters) -> None:
    """需要关注: the targets to act on, as a table (its first rows in view), downloadable."""
    lang = filters.lang
    st.subheader(ui.tr("attention"))
    rows = ui.derived(filters, "attention")
    if not rows:
        st.success(ui.tr("attention.none"))
    else:
        st.dataframe([{h: r[c] for h, c in zip(attention.headers(lang), attention.COLUMNS, strict=True)} for r in rows],
                     hide_index=True, width="stretch", height=min(38 + 35 * len(rows), 255),
                     column_config={ui.tr("attention.col_completion"): st.column_config.NumberColumn(format="percent")})
        cols = st.columns(2)
        cols[0].download_button(ui.tr("attention.download_csv"), ui.derived(filters, "attention_csv"),
                                f"attention_{filters.as_of}.csv", "text/csv")
        cols[1].download_button(ui.tr("attention.download_xlsx"), ui.derived(filters, "attention_xlsx"),
                                f"attention_{filters.as_of}.xlsx",
                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


ui.run_page(body)
