"""总览 Overview: status tiles, progress by sector / lead unit / jurisdiction, heat-map, and the laggards to act on."""

import streamlit as st

import ui
from indicators import progress


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
    counts = ui.derived(filters, "counts")
    mean = ui.derived(filters, "mean_completion")
    # 已报 n/N: reports in for the month out of those due (DESIGN §9); the rest are judged at their last month
    cell = ui.cycle_summary(filters.plans, filters.jurisdictions, [filters.as_of])[0].get(filters.as_of)
    ui.tiles([(ui.tr("targets_tracked"), len(results), None),
              *[(ui.status_text(key), counts[key], key) for key in progress.STATUSES],
              (ui.tr("mean_completion"), "—" if mean is None else f"{mean:.1%}", None),
              (ui.tr("reported_tile"), "—" if cell is None else f"{cell.reported}/{cell.expected}", None)],
             link=(ui.PAGE_FILES["reporting"], ui.tr("reporting")))
    _attention(infos, results, filters)  # the first laggards right under the tiles: on a projector without scrolling

    figures = ui.chart_set(filters)  # the same chart set the briefings draw, each chart built once per data version
    left, right = st.columns(2)
    with left:
        st.plotly_chart(figures.figure("by_sector"), width="stretch")
    with right:
        st.plotly_chart(figures.figure("by_unit"), width="stretch")
        st.caption(ui.tr("attention.ranking_rule"))
        for chart in figures.page_extras():
            if chart.key.startswith("divisions:"):  # a bureau's divisions, one click below its bar
                with st.expander(chart.label):
                    st.plotly_chart(figures.figure(chart.key), width="stretch")
    left, right = st.columns(2)
    with left:
        st.plotly_chart(figures.figure("heatmap"), width="stretch")
    with right:
        st.plotly_chart(figures.figure("by_jurisdiction"), width="stretch")
    st.caption(figures.footer.replace("<br>", " "))  # the charts' source line, wrapping with the page

    with st.expander(ui.tr("ov_rules_title")):
        t = ui.thresholds()
        st.markdown(ui.tr("ov_rules", amber=f"{t.amber_share_of_expected:.0%}", cap=f"{t.cap_red_projection - 1:.0%}",
                          rate=f"{t.rate_amber_tolerance:.0%}", approx=f"{t.approx_tolerance:.0%}"))
        st.markdown(ui.tr("attention.rules_more", milestone=f"{t.milestone_max_count:g}"))


def _attention(infos, results, filters: ui.Filters) -> None:
    """需要关注: the targets to act on, as a table (its first rows in view), downloadable."""
    st.subheader(ui.tr("attention"))
    rows = ui.derived(filters, "attention")
    if not rows:
        st.success(ui.tr("attention.none"))
    else:
        st.dataframe(ui.derived(filters, "attention_table"),
                     hide_index=True, width="stretch", height=min(38 + 35 * len(rows), 255),
                     column_config={ui.tr("attention.col_completion"): st.column_config.NumberColumn(format="percent")})
        cols = st.columns(2)  # the files are built when clicked (an XLSX of a province's laggards takes seconds)
        cols[0].download_button(ui.tr("attention.download_csv"), ui.derived_later(filters, "attention_csv"),
                                f"attention_{filters.as_of}.csv", "text/csv")
        cols[1].download_button(ui.tr("attention.download_xlsx"), ui.derived_later(filters, "attention_xlsx"),
                                f"attention_{filters.as_of}.xlsx",
                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


ui.run_page(body)
