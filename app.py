"""Streamlit entry: st.navigation over the pages in views/ and the shared sidebar (plan, jurisdiction, month, language).

The page files live in views/, not pages/: Streamlit treats a pages/ folder beside the entry script as its legacy
page directory and, on a server's first run (and in every AppTest run), runs those files on their own, bypassing
this navigation and the shared sidebar.
"""

import streamlit as st

import ui

st.set_page_config(page_title="指标目标—实绩监测看板", page_icon=":material/dashboard:", layout="wide")
st.session_state["filters"] = ui.sidebar()

pages = [
    st.Page(ui.PAGE_FILES["overview"], title=ui.tr("overview"), icon=":material/dashboard:", url_path="overview", default=True),
    st.Page(ui.PAGE_FILES["indicator"], title=ui.tr("indicator"), icon=":material/show_chart:", url_path="indicator"),
    st.Page(ui.PAGE_FILES["upload"], title=ui.tr("upload"), icon=":material/upload_file:", url_path="upload"),
    st.Page(ui.PAGE_FILES["catalogue"], title=ui.tr("catalogue"), icon=":material/menu_book:", url_path="catalogue"),
    st.Page(ui.PAGE_FILES["export"], title=ui.tr("export"), icon=":material/image:", url_path="export"),
]
user = ui.current_user()
if user is not None and user.role == "admin":
    pages.append(st.Page(ui.PAGE_FILES["audit"], title=ui.tr("audit"), icon=":material/shield:", url_path="audit"))
st.navigation(pages).run()
