"""The sidebar every page shares: plan, jurisdiction, as-of month and language, kept in session state and the URL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from indicators import i18n
from indicators.months import of_date
from ui.language import lang, month_option, pick, tr
from ui.resources import get_catalogue
from ui.results import cycle_summary, observed_months


@dataclass
class Filters:
    """The sidebar's choices, as every page reads them."""

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
    from ui.login import login_box

    catalogue = get_catalogue()
    state = st.session_state
    if "sel_plans" not in state:  # first run of this browser session: start from the URL
        state["lang"] = _from_query("lang", "zh") if _from_query("lang", "zh") in i18n.LANGS else "zh"
        state["sel_plans"] = [p for p in _from_query("plans", "").split(",") if p in catalogue.plans]
        state["sel_jurisdiction"] = _from_query("j", "")
        state["sel_as_of"] = _from_query("as_of", "")
    # The filter choices are kept under sel_* keys of our own; each widget starts from them (index/default) and
    # writes its value back: a keyed widget whose label changes with the language would lose its state.
    months = observed_months()
    with st.sidebar:
        # keyed: its label never changes with the language, so Streamlit keeps its state across reruns
        st.radio(i18n.t("language"), list(i18n.LANGS), key="lang", horizontal=True,
                 format_func=lambda code: i18n.t(f"lang_{code}"))
        plan_names = {p.id: tr("briefing.plan_with_doc", title=pick(p.title, p.title_en), doc=p.doc_number)
                      for p in catalogue.plans.values()}  # the plan in the reader's language
        state["sel_plans"] = st.multiselect(tr("plans"), list(plan_names), default=state["sel_plans"],
                                            format_func=plan_names.get, placeholder=tr("all_plans"))
        options = [""] + sorted({p.jurisdiction for p in catalogue.plans.values()})
        current = state["sel_jurisdiction"] if state["sel_jurisdiction"] in options else ""
        state["sel_jurisdiction"] = st.selectbox(tr("jurisdiction"), options, index=options.index(current),
                                                 format_func=lambda j: j or tr("all_jurisdictions"))
        month_options = months or [_default_month()]
        selected = (state["sel_plans"], [state["sel_jurisdiction"]] if state["sel_jurisdiction"] else [])
        per_month, default, threshold = cycle_summary(*selected, month_options)
        default = default or month_options[-1]
        # the default is the latest month with enough reports in (DESIGN §6); later months are offered with theirs
        # a month the user picked stays; one that was only the default follows the default of the new selection
        picked = state["sel_as_of"] in month_options and state["sel_as_of"] != state.get("as_of_default")
        current = state["sel_as_of"] if picked else default
        state["as_of_default"] = default
        state["sel_as_of"] = st.selectbox(tr("as_of"), month_options, index=month_options.index(current),
                                          format_func=lambda m: month_option(m, per_month.get(m)))
        st.caption(tr("default_month_note", threshold=f"{threshold:.0%}", month=month_option(default, None)))
        login_box()
    filters = Filters(list(state["sel_plans"]), [state["sel_jurisdiction"]] if state["sel_jurisdiction"] else [],
                      state["sel_as_of"], lang())
    st.query_params.update({"lang": filters.lang, "plans": ",".join(filters.plans),
                            "j": state["sel_jurisdiction"], "as_of": filters.as_of})
    return filters


def _default_month() -> str:
    return of_date(dt.date.today())
