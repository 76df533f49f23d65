"""Running the app and its pages: page config, the shared sidebar, st.navigation over pages/, and each page's body
with the shared filters (library errors shown as a sentence, never a traceback)."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from contextlib import nullcontext

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx  # see run_app

from indicators.i18n import CodedError
from ui.filters import Filters, sidebar
from ui.frame import chrome
from ui.language import tr
from ui.login import current_user, login_required
from ui.resources import new_run

PAGE_FILES = {
    "overview": "pages/overview.py",
    "indicator": "pages/indicator.py",
    "upload": "pages/upload.py",
    "catalogue": "pages/catalogue.py",
    "export": "pages/export.py",
    "audit": "pages/audit.py",
    "reporting": "pages/reporting.py",
    "entry": "pages/entry.py",
}

# Set while app.py's navigation runs a page: a page file run without it was started by Streamlit's legacy pages/
# directory (a server's first run, before st.navigation has ever been called) and hands over to run_app().
_NAVIGATING = threading.local()

PAGES = (  # key, icon, admin only; the url path is the key (it must equal the file's stem, see run_page)
    ("overview", ":material/dashboard:", False),
    ("indicator", ":material/show_chart:", False),
    ("upload", ":material/upload_file:", False),
    ("catalogue", ":material/menu_book:", False),
    ("export", ":material/image:", False),
    ("reporting", ":material/fact_check:", False),
    ("entry", ":material/edit_note:", False),
    ("audit", ":material/shield:", True),
)


def run_app() -> None:
    """The whole app: page config, the shared sidebar, and st.navigation over the files in pages/."""
    new_run()  # a new script run: the data version is read again (once)
    st.set_page_config(page_title=tr("app_title"), page_icon=":material/dashboard:", layout="wide")
    ctx = get_script_run_ctx()
    # Widget ids include the hash of the script that draws them. Streamlit's legacy pages/ directory (a server's first
    # run, and every AppTest run) runs this file as a page of its own; draw the sidebar under the main script's hash
    # so its widgets keep the ids they have under st.navigation and no click is lost between the two.
    with ctx.run_with_active_hash(ctx.pages_manager.main_script_hash) if ctx is not None else nullcontext():
        menu = st.sidebar.container()  # the page links, at the top of the sidebar, drawn once the pages are known
        st.session_state["filters"] = sidebar()
        chrome()
        pages = _pages()
        # Streamlit's own page list is hidden (client.showSidebarNavigation = false): on a fresh server it would
        # first list the pages/ folder's file names; the app draws its own links to the same pages instead
        page = st.navigation(list(pages.values()), position="hidden")
        with menu:
            for key, link in pages.items():
                if key == "overview" and page is pages[ALIAS]:  # opened at /overview: that link is the current one
                    link = pages[ALIAS]
                if key != ALIAS:
                    st.page_link(link, label=link.title, icon=link.icon)
    _NAVIGATING.active = True
    try:
        page.run()
    finally:
        _NAVIGATING.active = False


ALIAS = "overview_link"  # the overview again at /overview: Streamlit serves the default page at / only


def _pages() -> dict:
    """The pages this user may open, titled in the current language, by key; each url path is the file's stem.

    The overview is the default page (served at /) and is registered a second time under its own path, so that a
    link to /overview opens it rather than "Page not found"; the sidebar links the first."""
    user = current_user()
    pages = {key: st.Page(PAGE_FILES[key], title=tr(key), icon=icon, url_path=key, default=key == "overview")
             for key, icon, admin_only in PAGES
             if not admin_only or (user is not None and user.role == "admin")}
    pages[ALIAS] = st.Page(PAGE_FILES["overview"], title=tr("overview"), icon=PAGES[0][1], url_path="overview")
    pages["overview"] = st.Page(PAGE_FILES["overview"], title=tr("overview"), icon=PAGES[0][1], url_path="home",
                                default=True)
    return pages


def run_page(body: Callable[[Filters], None]) -> None:
    """Run a page body with the shared filters; library errors become a plain st.error, never a traceback.

    Streamlit runs a file of a pages/ folder on its own on a server's first run (its legacy page directory); such a
    run becomes a run of the whole app, whose navigation then runs this page again with the shared sidebar.
    """
    if not getattr(_NAVIGATING, "active", False):
        run_app()
        return
    filters = st.session_state["filters"]
    try:
        if login_required() and current_user() is None:
            st.info(tr("please_sign_in"))
            return
        body(filters)
    except Exception as exc:  # the page shows a sentence, the log keeps the traceback
        traceback.print_exc()
        # a coded library error (i18n.CodedError) says it in the reader's language; anything else as it was raised
        said = exc.message(filters.lang) if isinstance(exc, CodedError) else str(exc)
        st.error(tr("error_sentence", message=(said.splitlines() or [""])[0][:300]))
