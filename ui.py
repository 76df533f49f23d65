"""The one UI helper module: shared sidebar filters, caching of library calls, language, banners, error handling.

Pages stay thin: they read the filters from here and call ``indicators``. Caching lives here (never in the library):
``st.cache_resource`` for the engine and the catalogue, ``st.cache_data`` for results, keyed on the database's
data-version counter so that any upload or rollback refreshes every page.
"""

from __future__ import annotations

import datetime as dt
import threading
import traceback
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx  # see run_app

from indicators import catalogue as cat
from indicators import i18n, progress, store
from indicators.progress import read_model

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


# --- language -----------------------------------------------------------------------------------------------------
def lang() -> str:
    return st.session_state.get("lang", "zh")


def tr(key: str, **values: object) -> str:
    """A label in the chosen language."""
    return i18n.t(key, lang(), **values)


def pick(zh: str, en: str | None) -> str:
    """A catalogue field (title, name, sector) in the chosen language."""
    return i18n.pick(zh, en, lang())


def explanation(result) -> str:
    """The one-line explanation of a status, in the chosen language."""
    from indicators.progress.explain import explain

    return explain(result, lang())


COMPARATOR_KEYS = {">=": "cmp_ge", ">": "cmp_gt", "<=": "cmp_le", "<": "cmp_lt", "~": "cmp_approx", "range": "cmp_range"}


def unit_text(unit: str) -> str:
    """A unit of measure in the chosen language (个 / items)."""
    from indicators import text

    return text.unit_label(unit, lang())


def jurisdiction_text(name: str) -> str:
    from indicators import text

    return text.jurisdiction_label(name, lang())


def departments_text(jurisdiction: str, lead_units: list[str]) -> str:
    """A target's lead departments as written (Chinese) or by their English names from the departments table."""
    if not lead_units:
        return tr("unlisted")
    if lang() == "zh":
        return "、".join(lead_units)
    table = get_catalogue().departments
    found = [table.department_of(jurisdiction, unit) for unit in lead_units]
    return "; ".join(d.en if d is not None and d.en else unit for d, unit in zip(found, lead_units, strict=True))


def target_text(target) -> str:
    """A catalogue target in words: 不低于2,500个（2023-12） / at least 2,500 items (by 2023-12)."""
    value = progress.format_number(target.value)
    if target.value_max is not None:
        value += f"–{progress.format_number(target.value_max)}"
    return tr("target_words", cmp=tr(COMPARATOR_KEYS[target.comparator]), value=value, unit=unit_text(target.unit),
              deadline=target.deadline)


def status_text(status_key: str) -> str:
    return i18n.status_label(status_key, lang())


# --- resources and cached library calls ---------------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def _engine(url: str):
    engine = store.make_engine(url)
    store.migrate(engine)
    return engine


@st.cache_resource(show_spinner=False)
def get_catalogue() -> cat.Catalogue:
    return cat.load()


@st.cache_resource(show_spinner=False)
def _synced(url: str) -> bool:
    """Sync the catalogue into the database once per process (init-db does the same from the command line)."""
    store.sync_catalogue(_engine(url), get_catalogue())
    return True


@st.cache_resource(show_spinner=False, validate=lambda renderer: renderer.alive)
def png_renderer():
    """One warm Chromium per server process for every PNG, pack and Word briefing (closed at exit by the renderer)."""
    from indicators.outputs import png

    return png.Renderer()


def engine():
    url = store.database_url()
    _synced(url)
    return _engine(url)


def data_version() -> int:
    return store.current_version(engine())


# Results are held as objects (cache_resource), never pickled: at 38,000 targets unpickling them took 1.5 s of every
# rerun. Pages only read them. Small derived results (roll-ups, rankings, the attention rows) are cached beside them.
@st.cache_resource(show_spinner=False, max_entries=8)
def _status(url: str, version: int, as_of: str, plans: tuple[str, ...], jurisdictions: tuple[str, ...]):
    return read_model.compute(_engine(url), as_of, plans or None, jurisdictions or None)


def _status_key(filters: Filters) -> tuple:
    return (store.database_url(), data_version(), filters.as_of, tuple(filters.plans), tuple(filters.jurisdictions))


def compute_status(filters: Filters):
    """(infos, results) for the current filters, cached until the data changes (shared objects: read, never mutate)."""
    return _status(*_status_key(filters))


def _derive(what: str, infos, results, lang: str):
    from indicators.outputs import attention

    departments = get_catalogue().departments
    if what == "overall":
        return progress.rollup(results, {r.target_id: ("all",) for r in results})[0]
    if what == "counts":
        return progress.status_counts(results)
    if what.startswith("rollup:"):
        return read_model.rollups_by(infos, results, what.split(":", 1)[1])
    if what == "ranking":
        return attention.department_ranking(infos, results, departments, lang, limit=None)
    if what == "divisions":
        return attention.division_rankings(infos, results, departments, lang)
    if what == "attention":
        return attention.attention_rows(infos, results, departments, lang)
    if what in ("attention_csv", "attention_xlsx"):  # the download buttons' bytes: an XLSX of 10,000 rows takes seconds
        rows = _derive("attention", infos, results, lang)
        return attention.attention_csv(rows, lang) if what == "attention_csv" else attention.attention_xlsx(rows, lang)
    raise ValueError(f"unknown derived result {what!r}")


@st.cache_resource(show_spinner=False, max_entries=64)
def _derived(url: str, version: int, as_of: str, plans: tuple[str, ...], jurisdictions: tuple[str, ...], what: str,
             language: str):
    infos, results = _status(url, version, as_of, plans, jurisdictions)
    return _derive(what, infos, results, language)


@st.cache_resource(show_spinner=False, max_entries=64)
def _figure(key: tuple, _build: Callable):
    return _build()


def cached_figure(filters: Filters, name: str, build: Callable):
    """A chart of the current filters' status, built once per data version (plotly's figure building costs more
    than the whole cached rerun otherwise); ``name`` names the chart, ``build`` draws it. Shared: never mutate it."""
    return _figure((*_status_key(filters), filters.lang, name), build)


def derived(filters: Filters, what: str):
    """A small result derived from the status for the current filters, cached with it: ``overall`` (one Group),
    ``counts``, ``rollup:<sector|unit|jurisdiction|plan|division>``, ``ranking``, ``divisions``, ``attention``."""
    return _derived(*_status_key(filters), what, filters.lang)


@st.cache_data(show_spinner=False, max_entries=8)
def _months(url: str, version: int) -> list[str]:
    return read_model.observed_months(_engine(url))


@st.cache_data(show_spinner=False, max_entries=256)
def _series(url: str, version: int, target_id: str) -> dict[str, float]:
    return read_model.series(_engine(url), target_id)


def series(target_id: str) -> dict[str, float]:
    return _series(store.database_url(), data_version(), target_id)


@st.cache_data(show_spinner=False, max_entries=8)
def _demo(url: str, version: int) -> bool:
    return store.demo_in_use(_engine(url))


@st.cache_data(show_spinner=False, max_entries=8)
def _has_data(url: str, version: int) -> bool:
    return store.has_observations(_engine(url))


def has_data() -> bool:
    return _has_data(store.database_url(), data_version())


def thresholds() -> progress.Thresholds:
    return progress.load_thresholds()


# --- filters shared by every page -----------------------------------------------------------------------------
@dataclass
class Filters:
    plans: list[str]
    jurisdictions: list[str]
    as_of: str
    lang: str


def _from_query(key: str, default):
    value = st.query_params.get(key)
    return default if value in (None, "") else value


def sidebar() -> Filters:
    """Render the shared sidebar (plan, jurisdiction, as-of month, language) and return the chosen filters.

    The choices live in session state and in the URL's query parameters, so a view can be bookmarked or forwarded.
    """
    catalogue = get_catalogue()
    state = st.session_state
    if "sel_plans" not in state:  # first run of this browser session: start from the URL
        state["lang"] = _from_query("lang", "zh") if _from_query("lang", "zh") in i18n.LANGS else "zh"
        state["sel_plans"] = [p for p in _from_query("plans", "").split(",") if p in catalogue.plans]
        state["sel_jurisdiction"] = _from_query("j", "")
        state["sel_as_of"] = _from_query("as_of", "")
    # The filter choices are kept under sel_* keys of our own; each widget starts from them (index/default) and
    # writes its value back: a keyed widget whose label changes with the language would lose its state.
    months = _months(store.database_url(), data_version())
    with st.sidebar:
        # keyed: its label never changes with the language, so Streamlit keeps its state across reruns
        st.radio(i18n.t("language"), list(i18n.LANGS), key="lang", horizontal=True,
                 format_func=lambda code: i18n.t(f"lang_{code}"))
        plan_names = {p.id: f"{p.title}（{p.doc_number}）" for p in catalogue.plans.values()}
        state["sel_plans"] = st.multiselect(tr("plans"), list(plan_names), default=state["sel_plans"],
                                            format_func=plan_names.get, placeholder=tr("all_plans"))
        options = [""] + sorted({p.jurisdiction for p in catalogue.plans.values()})
        current = state["sel_jurisdiction"] if state["sel_jurisdiction"] in options else ""
        state["sel_jurisdiction"] = st.selectbox(tr("jurisdiction"), options, index=options.index(current),
                                                 format_func=lambda j: j or tr("all_jurisdictions"))
        month_options = months or [_default_month()]
        selected = (state["sel_plans"], [state["sel_jurisdiction"]] if state["sel_jurisdiction"] else [])
        cycle = reporting_cycle(*selected)
        per_month, default = cycle_summary(*selected, month_options)
        default = default or month_options[-1]
        # the default is the latest month with enough reports in (DESIGN §6); later months are offered with theirs
        # a month the user picked stays; one that was only the default follows the default of the new selection
        picked = state["sel_as_of"] in month_options and state["sel_as_of"] != state.get("as_of_default")
        current = state["sel_as_of"] if picked else default
        state["as_of_default"] = default
        state["sel_as_of"] = st.selectbox(tr("as_of"), month_options, index=month_options.index(current),
                                          format_func=lambda m: month_option(m, per_month.get(m)))
        st.caption(tr("default_month_note", threshold=f"{cycle.threshold:.0%}", month=month_option(default, None)))
        login_box()
    filters = Filters(list(state["sel_plans"]), [state["sel_jurisdiction"]] if state["sel_jurisdiction"] else [],
                      state["sel_as_of"], lang())
    st.query_params.update({"lang": filters.lang, "plans": ",".join(filters.plans),
                            "j": state["sel_jurisdiction"], "as_of": filters.as_of})
    return filters


def month_option(month: str, cell) -> str:
    """'2023年9月 · 已报 96%' (the month with its reporting completeness, when reports are due for it)."""
    values = {"year": month[:4], "month": int(month[5:7]), "month_name": i18n.MONTH_EN[int(month[5:7]) - 1]}
    if cell is None or cell.completeness is None:
        return tr("month_option_none", **values)
    return tr("month_option", share=f"{cell.completeness:.0%}", **values)


@st.cache_resource(show_spinner=False, max_entries=16)  # one duty per target: held, not pickled (see _status)
def _cycle(url: str, version: int, plans: tuple[str, ...], jurisdictions: tuple[str, ...]):
    from indicators.reporting import read

    return read.load_cycle(_engine(url), plans or None, jurisdictions or None)


def reporting_cycle(plans, jurisdictions):
    """The reporting cycle (duties, first reports, completeness) of the selection, cached until the data changes."""
    return _cycle(store.database_url(), data_version(), tuple(plans), tuple(jurisdictions))


@st.cache_data(show_spinner=False, max_entries=64)
def _cycle_summary(url: str, version: int, plans: tuple[str, ...], jurisdictions: tuple[str, ...],
                   months: tuple[str, ...]):
    cycle = _cycle(url, version, plans, jurisdictions)
    return cycle.per_month(list(months)), cycle.default_month()


def cycle_summary(plans, jurisdictions, months) -> tuple[dict, str | None]:
    """({month: completeness tally}, the default as-of month) of the selection, cached: every rerun's sidebar needs
    them, and tallying a province's duties month by month takes seconds."""
    return _cycle_summary(store.database_url(), data_version(), tuple(plans), tuple(jurisdictions), tuple(months))


def _default_month() -> str:
    import datetime as dt

    today = dt.date.today()
    return f"{today.year:04d}-{today.month:02d}"


# --- accounts (optional login; writing needs a scoped statistician or an admin) ---------------------------------
def current_user():
    """The signed-in user as the database has it now (indicators.accounts.User), or None.

    An idle-expired session, or an account disabled meanwhile, signs the user out at once.
    """
    from indicators import accounts

    session = st.session_state.get("session")
    if session is None:
        return None
    user = accounts.session_user(engine(), session)
    if user is None:
        st.session_state.pop("session", None)
        st.session_state["session_expired"] = True
        return None
    accounts.touch(session)
    return user


def login_box() -> None:
    """A small login form in the sidebar (or the signed-in user with a sign-out button)."""
    from indicators import accounts
    from indicators.store import audit as audit_trail

    user = current_user()
    if user is not None:
        st.caption(tr("ui_signed_in", name=user.name, role=user.role))
        if st.button(tr("ui_sign_out"), key="logout"):
            audit_trail.audit(engine(), user.name, "logout", user.name)
            st.session_state.pop("session", None)
            st.rerun()
        return
    if st.session_state.pop("session_expired", False):
        st.warning(tr("ui_session_expired"))
    if _sso_configured():
        _sso_login()
        return
    with st.expander(tr("ui_sign_in"), expanded=False):
        with st.form("login", clear_on_submit=True):
            name = st.text_input(tr("ui_user_name"), key="login_name")
            password = st.text_input(tr("ui_password"), type="password", key="login_password")
            if st.form_submit_button(tr("ui_sign_in")):
                result = accounts.authenticate(engine(), name, password)
                if result.ok:
                    st.session_state["session"] = accounts.new_session(result.user)
                    st.rerun()
                else:
                    st.error(accounts.login_message(result, lang()))


def _sso_configured() -> bool:
    """True when .streamlit/secrets.toml has an [auth] section (an OIDC provider for st.login)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _sso_login() -> None:
    """Single sign-on: st.login, then the account with the same e-mail (audited by accounts.authenticate_sso)."""
    from indicators import accounts

    if not getattr(st.user, "is_logged_in", False):
        st.button(tr("ui_sso_sign_in"), on_click=st.login, key="sso_login")
        return
    result = accounts.authenticate_sso(engine(), st.user.email)
    if result.ok:
        st.session_state["session"] = accounts.new_session(result.user)
        st.rerun()
    st.error(accounts.login_message(result, lang()))
    st.button(tr("ui_sso_sign_out"), on_click=st.logout, key="sso_logout")


def write_scope() -> set[str] | None:
    """Jurisdictions the signed-in user may write (None = every one, for admins; empty = none)."""
    from indicators import accounts

    user = current_user()
    return set() if user is None else accounts.write_scope(engine(), user)


def login_required() -> bool:
    from indicators import config

    return config.load_settings().login_required


# --- page frame -----------------------------------------------------------------------------------------------
def demo_banner() -> None:
    if _demo(store.database_url(), data_version()):
        st.warning(tr("demo_banner"), icon=":material/warning:")


def demo_in_use() -> bool:
    return _demo(store.database_url(), data_version())


def status_badge(status_key: str) -> str:
    """Coloured status text (the colour is never the only cue: the word is always written)."""
    from indicators.outputs import style

    return f"<span style='background:{style.RAG[status_key]};color:white;padding:2px 8px;border-radius:4px'>" \
           f"{status_text(status_key)}</span>"


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
    st.set_page_config(page_title=tr("app_title"), page_icon=":material/dashboard:", layout="wide")
    ctx = get_script_run_ctx()
    # Widget ids include the hash of the script that draws them. Streamlit's legacy pages/ directory (a server's first
    # run, and every AppTest run) runs this file as a page of its own; draw the sidebar under the main script's hash
    # so its widgets keep the ids they have under st.navigation and no click is lost between the two.
    with ctx.run_with_active_hash(ctx.pages_manager.main_script_hash) if ctx is not None else nullcontext():
        st.session_state["filters"] = sidebar()
        chrome()
        page = st.navigation(_pages())
    _NAVIGATING.active = True
    try:
        page.run()
    finally:
        _NAVIGATING.active = False


def chrome() -> None:
    """Streamlit's own words in the chosen language, where no setting reaches them: the file uploader's instructions
    and button are drawn by CSS from the catalogue; tile values never cut to "72.…" (they wrap instead)."""
    drop, browse = tr("ui_uploader_drop").replace('"', "'"), tr("ui_uploader_browse").replace('"', "'")
    st.html(f"""<style>
    [data-testid="stFileUploaderDropzoneInstructions"] > div > * {{ display: none; }}
    [data-testid="stFileUploaderDropzoneInstructions"] > div::before {{ content: "{drop}"; font-size: 0.9rem; }}
    [data-testid="stFileUploaderDropzone"] button {{ font-size: 0; }}
    [data-testid="stFileUploaderDropzone"] button > * {{ display: none; }}
    [data-testid="stFileUploaderDropzone"] button::after {{ content: "{browse}"; font-size: 0.9rem; }}
    [data-testid="stMetricValue"] > div {{ overflow: visible; text-overflow: clip; white-space: nowrap; }}
    .st-key-tiles [data-testid="stMetricValue"] {{ font-size: clamp(1.4rem, 2.2vw, 2.25rem); }}
    .st-key-tiles [class*="st-key-tile_"] {{ padding-left: 0.5rem; }}
    .st-key-tiles [data-testid="stMetricLabel"] * {{ white-space: normal; overflow: visible; text-overflow: clip;
                                                    word-break: normal; overflow-wrap: normal; }}
    .st-key-tiles [data-testid="stHorizontalBlock"] {{ flex-wrap: wrap; row-gap: 0.75rem; }}
    .st-key-tiles [data-testid="stColumn"] {{ flex: 1 1 calc(20% - 1rem) !important;
                                             min-width: calc(20% - 1rem) !important; }}
    @media (max-width: 640px) {{
      .st-key-tiles [data-testid="stHorizontalBlock"] {{ gap: 0.5rem; }}
      .st-key-tiles [data-testid="stColumn"] {{ flex: 1 1 calc(50% - 0.5rem) !important;
                                               min-width: calc(50% - 0.5rem) !important; }}
    }}
    </style>""")


def tiles(items: list[tuple[str, object, str | None]], link: tuple[str, str] | None = None) -> None:
    """The overview's number tiles: (label, value, status key or None). A status tile carries its colour as a left
    border beside its written label (no second badge); on a phone they run two to a row (see chrome()). ``link``:
    (page file, label) of a page link under the last tile."""
    from indicators.outputs import style

    with st.container(key="tiles"):
        columns = st.columns(len(items))
        for index, (column, (label, value, status)) in enumerate(zip(columns, items, strict=True)):
            colour = style.RAG.get(status or "", "#DDDDDD")
            with column.container(key=f"tile_{index}_{status or 'plain'}"):
                st.html(f"<style>.st-key-tile_{index}_{status or 'plain'} {{ border-left: 6px solid {colour}; }}</style>")
                st.metric(label, value)
                if link is not None and index == len(items) - 1:  # the last tile links on (e.g. 已报 → 报送情况)
                    st.page_link(link[0], label=link[1])


def _pages() -> list:
    """The pages this user may open, titled in the current language; each url path is the file's stem."""
    user = current_user()
    return [st.Page(PAGE_FILES[key], title=tr(key), icon=icon, url_path=key, default=key == "overview")
            for key, icon, admin_only in PAGES
            if not admin_only or (user is not None and user.role == "admin")]


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
        st.error(tr("error_sentence", message=str(exc).splitlines()[0][:300]))


CHINA_TIME = dt.timezone(dt.timedelta(hours=8), "UTC+8")


def local_time(moment: dt.datetime | None) -> str:
    """A stored UTC time as Beijing time, e.g. '2023-07-05 09:30' (SQLite hands back naive UTC datetimes)."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(CHINA_TIME).strftime("%Y-%m-%d %H:%M")
