"""The chosen language and every label, name and unit drawn in it (``tr`` looks labels up in the i18n catalogues)."""

from __future__ import annotations

import streamlit as st

from indicators import i18n, months, progress

COMPARATOR_KEYS = {">=": "cmp_ge", ">": "cmp_gt", "<=": "cmp_le", "<": "cmp_lt", "~": "cmp_approx", "range": "cmp_range"}


def lang() -> str:
    """The language chosen in the sidebar ("zh" until one is chosen)."""
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


def unit_text(unit: str) -> str:
    """A unit of measure in the chosen language (个 / items)."""
    from indicators import text

    return text.unit_label(unit, lang())


def jurisdiction_text(name: str) -> str:
    """A jurisdiction's name in the chosen language."""
    from indicators import text

    return text.jurisdiction_label(name, lang())


def departments_text(jurisdiction: str, lead_units: list[str]) -> str:
    """A target's lead departments as written (Chinese) or by their English names from the departments table."""
    from ui.resources import get_catalogue

    if not lead_units:
        return tr("unlisted")
    table = get_catalogue().departments
    found = [table.department_of(jurisdiction, unit) for unit in lead_units]
    return tr("briefing.list_sep").join(unit if d is None else pick(unit, d.en)  # as written in Chinese
                                        for d, unit in zip(found, lead_units, strict=True))


def target_text(target) -> str:
    """A catalogue target in words: 不低于2,500个（2023-12） / at least 2,500 items (by 2023-12)."""
    value = progress.format_number(target.value)
    if target.value_max is not None:
        value += f"–{progress.format_number(target.value_max)}"
    return tr("target_words", cmp=tr(COMPARATOR_KEYS[target.comparator]), value=value, unit=unit_text(target.unit),
              deadline=target.deadline)


def status_text(status_key: str) -> str:
    """A status (红/黄/绿, achieved, ...) in the chosen language."""
    return i18n.status_label(status_key, lang())


def month_option(month: str, cell) -> str:
    """'2023年9月 · 已报 96%' (the month with its reporting completeness, when reports are due for it)."""
    year, number = months.year_month(month)
    values = {"year": year, "month": number, "month_name": i18n.MONTH_EN[number - 1]}
    if cell is None or cell.completeness is None:
        return tr("month_option_none", **values)
    return tr("month_option", share=f"{cell.completeness:.0%}", **values)
