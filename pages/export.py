"""图表导出 Export: pick a chart and a size, preview it, download it as PNG; or the whole briefing pack, the Word
brief or the PowerPoint deck. The charts are the chart set's (outputs/figures.py), as in the pack and the deck."""

import tempfile
from pathlib import Path

import streamlit as st

import ui
from indicators.outputs import pack, png, slides, style

LONG_TITLE = 80  # half-width units: a plan title longer than this may be cut in the select box; it is written out


def body(filters: ui.Filters) -> None:
    lang = filters.lang
    st.title(ui.tr("export"))
    ui.demo_banner()
    if not ui.has_data():
        st.info(ui.tr("empty_state"))
        return
    catalogue = ui.get_catalogue()
    plan_ids = filters.plans or list(catalogue.plans)
    if st.session_state.get("export_plan") not in plan_ids:  # follow the sidebar's plan choice
        st.session_state["export_plan"] = plan_ids[0]

    def title(plan_id: str) -> str:
        return ui.pick(catalogue.plans[plan_id].title, catalogue.plans[plan_id].title_en)

    # the plan on a row of its own, as wide as the page: a long English title is not cut at 1280 px
    plan_id = st.selectbox(ui.tr("plans"), plan_ids, key="export_plan", format_func=title)
    plan = catalogue.plans[plan_id]
    if style.text_width(title(plan_id)) > LONG_TITLE:  # on a narrow screen the box may still cut it: in full here
        st.caption(ui.tr("briefing.plan_with_doc", title=title(plan_id), doc=plan.doc_number))
    cols = st.columns([3, 1])
    size = cols[1].radio(ui.tr("export_size"), ["slide", "a4"], horizontal=True, key="export_size",
                         format_func=lambda s: ui.tr(f"export_size_{s}"))
    selection = ui.Filters([plan_id], filters.jurisdictions, filters.as_of, lang)
    _, results = ui.compute_status(selection)
    if not results:
        st.info(ui.tr("no_targets"))
        return
    # every chart of the plan: the overview, each sector, and every indicator (those behind first)
    figures = ui.chart_set(selection, size, every_target=True)
    menu = {c.key: c for c in [*figures.overview, *figures.sectors, *figures.targets]}
    if st.session_state.get("export_chart") not in menu:
        st.session_state["export_chart"] = next(iter(menu))
    choice = cols[0].selectbox(ui.tr("export_chart"), list(menu), key="export_chart",
                               format_func=lambda k: menu[k].label)
    figure = figures.figure(choice)
    # the preview is the page-sized twin (type set for a page column); the PNG, once drawn, is shown as it is saved
    st.plotly_chart(ui.chart_set(selection, None, every_target=True).figure(choice), width="stretch")
    try:
        png.check_environment()
    except png.ExportError as exc:
        st.error(exc.message(lang))
        return
    left, middle, right = st.columns(3)
    if left.button(ui.tr("export_render_png"), key="render_png"):
        st.session_state["export_png"] = (plan_id, choice, size, png.png_bytes(figure, size, ui.png_renderer()))
    rendered = st.session_state.get("export_png")
    if rendered and rendered[:3] == (plan_id, choice, size):
        st.image(rendered[3], caption=menu[choice].file, width=640)  # as saved, at a size that leaves the page
        left.download_button(ui.tr("download_png"), rendered[3], file_name=menu[choice].file or f"{choice}.png",
                             mime="image/png", key="png_download")
    with_docx = middle.checkbox(ui.tr("export_also_docx"), key="export_docx")
    if middle.button(ui.tr("export_build_pack"), key="build_pack"):
        with st.spinner(ui.tr("export_rendering")), tempfile.TemporaryDirectory() as tmp:
            zip_path = pack.build_pack(ui.engine(), filters.as_of, Path(tmp), [plan_id], lang, size, with_docx,
                                         catalogue, ui.png_renderer())
            st.session_state["export_zip"] = (plan_id, zip_path.name, zip_path.read_bytes())
    packed = st.session_state.get("export_zip")
    if packed and packed[0] == plan_id:
        middle.download_button(ui.tr("export_download_zip"), packed[2], file_name=packed[1],
                               mime="application/zip", key="zip_download")
    if right.button(ui.tr("slides.button"), key="build_pptx"):
        with st.spinner(ui.tr("export_rendering")), tempfile.TemporaryDirectory() as tmp:
            path = slides.build_deck(ui.engine(), filters.as_of, Path(tmp) / f"{plan_id}_{filters.as_of}.pptx",
                                     [plan_id], lang, catalogue, ui.png_renderer())
            st.session_state["export_pptx"] = (plan_id, filters.as_of, lang, path.name, path.read_bytes())
    deck = st.session_state.get("export_pptx")
    if deck and deck[:3] == (plan_id, filters.as_of, lang):
        right.download_button(ui.tr("slides.download"), deck[4], file_name=deck[3], key="pptx_download",
                              mime="application/vnd.openxmlformats-officedocument.presentationml.presentation")


ui.run_page(body)
