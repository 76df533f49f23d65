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
    zh = lang == "zh"
    st.title(ui.tr("export"))
    ui.demo_banner()
    if not ui.has_data():
        st.info(ui.tr("empty_state"))
        return
    catalogue = ui.get_catalogue()
    plan_ids = filters.plans or list(catalogue.plans)
    cols = st.columns(3)
    plan_id = cols[0].selectbox(ui.tr("plans"), plan_ids, key="export_plan",
                                format_func=lambda p: catalogue.plans[p].title if zh else catalogue.plans[p].title_en)
    size = cols[1].radio("尺寸" if zh else "Size", ["slide", "a4"], horizontal=True, key="export_size",
                         format_func=lambda s: {"slide": "16:9 幻灯片 1600×900" if zh else "16:9 slide 1600×900",
                                                "a4": "A4 半页 1800×1000" if zh else "A4 half page 1800×1000"}[s])
    plan = catalogue.plans[plan_id]
    infos, results = ui.compute_status(ui.Filters([plan_id], filters.jurisdictions, filters.as_of, lang))
    if not results:
        st.info(ui.tr("no_targets"))
        return
    ctx = charts.ChartContext(plan.title if zh else plan.title_en, filters.as_of, lang, (plan.doc_number,),
                              ui.demo_in_use(), size)
    sectors = {k: (s.zh if zh else s.en) for k, s in catalogue.sectors.items()}
    names = {i.spec.id: (i.name if zh else i.name_en) for i in infos}
    builders = {
        "summary": (ui.tr("summary"), lambda: charts.plan_summary(results, ctx)),
        "by_sector": (ui.tr("by_sector"), lambda: charts.status_bars(
            progress.rollup(results, read_model.group_keys(infos, "sector")), sectors, ctx, ui.tr("by_sector"))),
        "by_unit": (ui.tr("by_unit"), lambda: charts.status_bars(
            progress.rollup(results, read_model.group_keys(infos, "unit")), {}, ctx, ui.tr("by_unit"), limit=20)),
        "heatmap": (ui.tr("heatmap"), lambda: charts.status_heatmap(
            progress.rollup(results, read_model.group_keys(infos, "sector")), sectors, ctx)),
    }
    for result in progress.laggards(results)[:30]:
        info = next(i for i in infos if i.spec.id == result.target_id)
        builders[result.target_id] = (f"{ui.tr('trajectory')} · {names[result.target_id]}",
                                      lambda info=info: charts.trajectory(info.spec, ui.series(info.spec.id), ctx,
                                                                          names[info.spec.id], ui.thresholds()))
    choice = cols[2].selectbox("图表" if zh else "Chart", list(builders), key="export_chart",
                               format_func=lambda k: builders[k][0])
    figure = builders[choice][1]()
    st.plotly_chart(figure, width="stretch")
    try:
        png.check_environment()
    except png.ExportError as exc:
        st.error(str(exc))
        return
    left, middle, right = st.columns(3)
    if left.button("生成 PNG" if zh else "Render PNG", key="render_png"):
        st.session_state["export_png"] = (choice, size, png.png_bytes(figure, size))
    rendered = st.session_state.get("export_png")
    if rendered and rendered[:2] == (choice, size):
        left.download_button("下载 PNG" if zh else "Download PNG", rendered[2], file_name=f"{plan_id}_{choice}.png",
                             mime="image/png", key="png_download")
    with_docx = middle.checkbox("同时生成 Word 简报" if zh else "Also write a Word briefing", key="export_docx")
    if middle.button("生成整套图表包" if zh else "Build the whole pack", key="build_pack"):
        with st.spinner("正在生成…" if zh else "Rendering…"), tempfile.TemporaryDirectory() as tmp:
            zip_path = pack.build_pack(ui.engine(), filters.as_of, Path(tmp), [plan_id], lang, size, with_docx,
                                         catalogue)
            st.session_state["export_zip"] = (plan_id, zip_path.name, zip_path.read_bytes())
    packed = st.session_state.get("export_zip")
    if packed and packed[0] == plan_id:
        right.download_button("下载图表包 ZIP" if zh else "Download the pack (ZIP)", packed[2], file_name=packed[1],
                              mime="application/zip", key="zip_download")


ui.run_page(body)
