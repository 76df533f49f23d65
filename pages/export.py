"""图表导出 Export: pick a chart and a size, preview it, download it as PNG; or the whole briefing pack / Word brief."""

import tempfile
from pathlib import Path

import streamlit as st

import ui
from indicators import progress
from indicators.outputs import charts, pack, png
from indicators.progress import read_model


def body(filters: ui.Filters) -> None:
    lang = filters.lang
    st.title(ui.tr("export"))
    ui.demo_banner()
    if not ui.has_data():
        st.info(ui.tr("empty_state"))
        return
    catalogue = ui.get_catalogue()
    plan_ids = filters.plans or list(catalogue.plans)
    cols = st.columns(3)
    if st.session_state.get("export_plan") not in plan_ids:  # follow the sidebar's plan choice
        st.session_state["export_plan"] = plan_ids[0]
    plan_id = cols[0].selectbox(ui.tr("plans"), plan_ids, key="export_plan",
                                format_func=lambda p: ui.pick(catalogue.plans[p].title, catalogue.plans[p].title_en))
    size = cols[1].radio(ui.tr("export_size"), ["slide", "a4"], horizontal=True, key="export_size",
                         format_func=lambda s: ui.tr(f"export_size_{s}"))
    plan = catalogue.plans[plan_id]
    infos, results = ui.compute_status(ui.Filters([plan_id], filters.jurisdictions, filters.as_of, lang))
    if not results:
        st.info(ui.tr("no_targets"))
        return
    ctx = charts.ChartContext(ui.pick(plan.title, plan.title_en), filters.as_of, lang, (plan.doc_number,),
                              ui.demo_in_use(), size)
    sectors = {k: ui.pick(s.zh, s.en) for k, s in catalogue.sectors.items()}
    names = {i.spec.id: ui.pick(i.name, i.name_en) for i in infos}
    builders = {
        "summary": (ui.tr("summary"), lambda: charts.plan_summary(results, ctx)),
        "by_sector": (ui.tr("by_sector"), lambda: charts.status_bars(
            progress.rollup(results, read_model.group_keys(infos, "sector")), sectors, ctx, ui.tr("by_sector"))),
        "by_unit": (ui.tr("by_unit"), lambda: charts.status_bars(
            progress.rollup(results, read_model.group_keys(infos, "unit")), {}, ctx, ui.tr("by_unit"), limit=20)),
        "heatmap": (ui.tr("heatmap"), lambda: charts.status_heatmap(
            progress.rollup(results, read_model.group_keys(infos, "sector")), sectors, ctx)),
    }
    by_id = {i.spec.id: i for i in infos}
    behind = progress.laggards(results)
    first = {r.target_id for r in behind}
    # every indicator of the plan can be exported: those behind first, then the rest
    for result in [*behind, *[r for r in results if r.target_id not in first]]:
        info = by_id[result.target_id]
        builders[result.target_id] = (f"{ui.tr('trajectory')} · {names[result.target_id]}",
                                      lambda info=info: charts.trajectory(info.spec, ui.series(info.spec.id), ctx,
                                                                          names[info.spec.id], ui.thresholds()))
    choice = cols[2].selectbox(ui.tr("export_chart"), list(builders), key="export_chart",
                               format_func=lambda k: builders[k][0])
    figure = builders[choice][1]()
    st.plotly_chart(figure, width="stretch")
    try:
        png.check_environment()
    except png.ExportError as exc:
        st.error(str(exc))
        return
    left, middle, right = st.columns(3)
    if left.button(ui.tr("export_render_png"), key="render_png"):
        st.session_state["export_png"] = (choice, size, png.png_bytes(figure, size, ui.png_renderer()))
    rendered = st.session_state.get("export_png")
    if rendered and rendered[:2] == (choice, size):
        left.download_button(ui.tr("download_png"), rendered[2], file_name=f"{plan_id}_{choice}.png",
                             mime="image/png", key="png_download")
    with_docx = middle.checkbox(ui.tr("export_also_docx"), key="export_docx")
    if middle.button(ui.tr("export_build_pack"), key="build_pack"):
        with st.spinner(ui.tr("export_rendering")), tempfile.TemporaryDirectory() as tmp:
            zip_path = pack.build_pack(ui.engine(), filters.as_of, Path(tmp), [plan_id], lang, size, with_docx,
                                         catalogue, ui.png_renderer())
            st.session_state["export_zip"] = (plan_id, zip_path.name, zip_path.read_bytes())
    packed = st.session_state.get("export_zip")
    if packed and packed[0] == plan_id:
        right.download_button(ui.tr("export_download_zip"), packed[2], file_name=packed[1],
                              mime="application/zip", key="zip_download")


ui.run_page(body)
