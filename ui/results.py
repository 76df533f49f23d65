"""Library results cached for the pages, keyed on the database's data version so that any upload or rollback
refreshes every page.

Results are held as objects (cache_resource), never pickled: at 38,000 targets unpickling them took 1.5 s of every
rerun. Pages only read them. Small derived results (roll-ups, rankings, the attention rows) are cached beside them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import streamlit as st

from indicators import progress, store
from indicators.progress import read_model
from ui.resources import _engine, data_version, get_catalogue, thresholds

if TYPE_CHECKING:
    from ui.filters import Filters


@st.cache_resource(show_spinner=False, max_entries=8)
def _status(url: str, version: int, as_of: str, plans: tuple[str, ...], jurisdictions: tuple[str, ...]):
    return read_model.compute(_engine(url), as_of, plans or None, jurisdictions or None)


def _status_key(filters: Filters) -> tuple:
    return (store.database_url(), data_version(), filters.as_of, tuple(filters.plans), tuple(filters.jurisdictions))


def compute_status(filters: Filters):
    """(infos, results) for the current filters, cached until the data changes (shared objects: read, never mutate)."""
    return _status(*_status_key(filters))


def _derive(what: str, infos, results, lang: str, attention_rows: Callable[[], list[dict]]):
    """``what`` of the status; ``attention_rows()`` gives the cached attention rows (the table and the downloads
    are made from them, not from a second pass over 20,000 laggards)."""
    from indicators.outputs import attention

    departments = get_catalogue().departments
    if what == "overall":
        return progress.overall(results)
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
    if what == "attention_table":  # the page's table with the reader's headers (a province's: 20,000 rows)
        return attention.attention_table(attention_rows(), lang)
    if what == "mean_completion":  # the tile's mean over every target: 38,000 numbers summed once per data version
        return progress.overall(results).mean_completion
    if what in ("attention_csv", "attention_xlsx"):  # the download buttons' bytes: an XLSX of 10,000 rows takes seconds
        rows = attention_rows()
        return attention.attention_csv(rows, lang) if what == "attention_csv" else attention.attention_xlsx(rows, lang)
    raise ValueError(f"unknown derived result {what!r}")


@st.cache_resource(show_spinner=False, max_entries=64)
def _derived(url: str, version: int, as_of: str, plans: tuple[str, ...], jurisdictions: tuple[str, ...], what: str,
             language: str):
    infos, results = _status(url, version, as_of, plans, jurisdictions)
    return _derive(what, infos, results, language,
                   lambda: _derived(url, version, as_of, plans, jurisdictions, "attention", language))


def derived(filters: Filters, what: str):
    """A small result derived from the status for the current filters, cached with it: ``overall`` (one Group),
    ``mean_completion``, ``counts``, ``rollup:<sector|unit|jurisdiction|plan|division>``, ``ranking``,
    ``divisions``, ``attention`` (rows), ``attention_table`` (a DataFrame with the reader's headers: never mutate
    it)."""
    return _derived(*_status_key(filters), what, filters.lang)


def derived_later(filters: Filters, what: str) -> Callable[[], object]:
    """``derived(filters, what)`` as a callable, bound to this run's data version and filters: a download button's
    data (``attention_csv``, ``attention_xlsx``) built only when the button is clicked (Streamlit calls it on its
    own thread), not on every first run: the attention XLSX of a province takes ~10 s."""
    key = (*_status_key(filters), what, filters.lang)
    return lambda: _derived(*key)


@st.cache_resource(show_spinner=False, max_entries=32)
def _chart_set(url: str, version: int, as_of: str, plans: tuple[str, ...], jurisdictions: tuple[str, ...],
               language: str, chart_plans: tuple[str, ...], size: str | None, every_target: bool):
    from indicators.outputs import figures

    infos, results = _status(url, version, as_of, plans, jurisdictions)
    return figures.ChartSet(get_catalogue(), infos, results, as_of, language, list(chart_plans) or None,
                            _demo(url, version), size, series=lambda target_id: _series(url, version, target_id),
                            thresholds=thresholds(), every_target=every_target)


def chart_set(filters: Filters, size: str | None = None, every_target: bool = False):
    """The chart set (outputs/figures.py) of the current filters' status, held until the data changes: each chart is
    built once (plotly's figure building costs more than the whole cached rerun otherwise) and shared by every
    session: never mutate a figure. ``size`` None for a page, "slide"/"a4" for export."""
    key = _status_key(filters)
    return _chart_set(*key, filters.lang, tuple(filters.plans), size, every_target)


@st.cache_data(show_spinner=False, max_entries=8)
def _months(url: str, version: int) -> list[str]:
    # the whole store's completeness holds them, kept up to date upload by upload (a DISTINCT over every value took
    # a second of each first run at province scale)
    return sorted(_completeness(url, version, (), ()).months_with_data)


def observed_months() -> list[str]:
    """The months that hold any value, oldest first, cached until the data changes."""
    return _months(store.database_url(), data_version())


@st.cache_data(show_spinner=False, max_entries=256)
def _series(url: str, version: int, target_id: str) -> dict[str, float]:
    return read_model.series(_engine(url), target_id)


def series(target_id: str) -> dict[str, float]:
    """A target's live values by month, cached until the data changes."""
    return _series(store.database_url(), data_version(), target_id)


@st.cache_data(show_spinner=False, max_entries=8)
def _demo(url: str, version: int) -> bool:
    return store.demo_in_use(_engine(url))


def demo_in_use() -> bool:
    """True while synthetic demo data is live (every page then shows the demo banner)."""
    return _demo(store.database_url(), data_version())


@st.cache_data(show_spinner=False, max_entries=8)
def _has_data(url: str, version: int) -> bool:
    return store.has_observations(_engine(url))


def has_data() -> bool:
    """True when the database holds any value."""
    return _has_data(store.database_url(), data_version())


@st.cache_resource(show_spinner=False, max_entries=16)  # one duty per target: held, not pickled (see _status)
def _cycle(url: str, version: int, plans: tuple[str, ...], jurisdictions: tuple[str, ...]):
    from indicators.reporting import read

    return read.load_cycle(_engine(url), plans or None, jurisdictions or None)


def reporting_cycle(plans, jurisdictions):
    """The reporting cycle (duties, first reports, completeness) of the selection, cached until the data changes: the
    reporting page's tables (every first report of the selection: seconds and memory at province scale)."""
    return _cycle(store.database_url(), data_version(), tuple(plans), tuple(jurisdictions))


@st.cache_resource(show_spinner=False)
def _latest_completeness() -> dict:
    """{(url, plans, jurisdictions): the completeness last worked out}: the base the next data version refreshes."""
    return {}


@st.cache_resource(show_spinner=False, max_entries=16)
def _completeness(url: str, version: int, plans: tuple[str, ...], jurisdictions: tuple[str, ...]):
    from indicators.reporting import completeness

    latest = _latest_completeness()
    previous = latest.get((url, plans, jurisdictions))
    if previous is None:
        current = completeness.load(_engine(url), plans or None, jurisdictions or None)
    else:  # after an upload only the new batch's rows are read (a province's whole history takes seconds)
        current = completeness.refresh(previous, _engine(url))
    if len(latest) >= 32:
        latest.pop(next(iter(latest)))
    latest[(url, plans, jurisdictions)] = current
    return current


@st.cache_data(show_spinner=False, max_entries=64)
def _cycle_summary(url: str, version: int, plans: tuple[str, ...], jurisdictions: tuple[str, ...],
                   months: tuple[str, ...]):
    summary = _completeness(url, version, plans, jurisdictions)
    return summary.per_month(list(months)), summary.default_month(), summary.threshold


def cycle_summary(plans, jurisdictions, months) -> tuple[dict, str | None, float]:
    """({month: completeness tally}, the default as-of month, the completeness threshold) of the selection, cached:
    every rerun's sidebar needs them. Kept up to date upload by upload (reporting/completeness.py)."""
    return _cycle_summary(store.database_url(), data_version(), tuple(plans), tuple(jurisdictions), tuple(months))
