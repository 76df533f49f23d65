"""One line per target that says, in the user's language, how its status was reached.

Expected and projected values of count units (个, 家, 所 ...) are written as whole numbers: never 0.25 of a school.
The data's year is named whenever it is not the as-of month's year ("2022年1–12月累计364个").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from indicators import months
from indicators.i18n import MONTH_EN, t
from indicators.text import unit_label

_CJK = re.compile(r"[\u3400-\u9fff]")

if TYPE_CHECKING:  # rules imports this module for Progress.explanation_*
    from indicators.progress.rules import Progress, TargetSpec


# --- wording ------------------------------------------------------------------------------------------------------
def format_number(value: float) -> str:
    """1320 -> '1,320'; 1.3200 -> '1.32'."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_amount(value: float | None, unit: str, whole: bool | None = None, lang: str = "zh") -> str:
    """A value with its unit for a sentence or a label, the unit named in ``lang`` (2,500个 / 2,500 items); whole
    numbers for count units (rounded half up)."""
    if value is None:
        return "—"
    if whole is None:
        from indicators.progress.rules import is_count_unit  # rules imports this module

        whole = is_count_unit(unit)
    if whole:
        value = float(int(value + 0.5)) if value >= 0 else -float(int(-value + 0.5))
    label = unit_label(unit, lang)
    for words, factor, kept in _SCALES:  # 15万亩 is "150,000 mu", not "15 10,000 mu"
        if label.startswith(words + " "):
            value, label = value * factor, kept + label[len(words) + 1:]
            break
    # written close up after a % or a Chinese unit (2,500个), with a space before a word (2,500 items)
    return f"{format_number(value)}{label}" if label == "%" or _CJK.search(label) else f"{format_number(value)} {label}"


# The multipliers the English unit names (text/names_en.toml) start with: (words, factor, words kept in the label).
_SCALES = (("100 million", 100, "million "), ("10,000", 10_000, ""), ("10", 10, ""))


def _month_name(month: int, lang: str) -> str:
    return t("progress.month_label", lang, month=month, month_name=MONTH_EN[month - 1])


def months_text(first_month: str, period: str, as_of: str, lang: str) -> str:
    """'1–6月' (or '2022年1–12月' when the data's year is not the as-of year); 'Jan–Jun 2023' in English."""
    (y1, m1), (y2, m2) = months.year_month(first_month), months.year_month(period)
    if y1 != y2:
        return t("progress.months_years", lang, y1=y1, m1=_month_name(m1, lang), y2=y2, m2=_month_name(m2, lang))
    other = "_other_year" if y2 != months.year(as_of) else ""
    if first_month == period:
        return t(f"progress.months_one{other}", lang, year=y2, month=_month_name(m2, lang))
    return t(f"progress.months_span{other}", lang, year=y2, start=_month_name(m1, lang), end=_month_name(m2, lang))


def month_text(period: str, as_of: str, lang: str) -> str:
    """One month: '6月', '2022年12月' when the year differs from the as-of year; 'Jun 2023'."""
    return months_text(period, period, as_of, lang)


def deadline_text(deadline: str, as_of: str, lang: str) -> str:
    """'年底' (this year's December), '2025年底', '2025年6月'; 'year end', 'end of 2025', '2025-06'."""
    year, month = months.year_month(deadline)
    if month == 12:
        return (t("progress.by_year_end", lang) if year == months.year(as_of)
                else t("progress.by_year_end_of", lang, year=year))
    return t("progress.by_month", lang, year=year, month=month)


def _comparator(spec: TargetSpec, lang: str) -> str:
    key = {">=": "ge", ">": "gt", "<=": "le", "<": "lt", "~": "approx", "range": "range"}.get(spec.comparator, "range")
    return t(f"progress.cmp_{key}", lang)


def _target_text(spec: TargetSpec, lang: str) -> str:
    text = format_amount(spec.value, spec.unit, lang=lang)
    if spec.comparator == "range" and spec.value_max is not None:
        text = f"{format_number(spec.value)}–{format_amount(spec.value_max, spec.unit, lang=lang)}"
    return text


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def explain(result: Progress, lang: str = "zh") -> str:
    """The one-line explanation of a result, e.g.
    "1–6月累计1,320个，应完成1,250个（50%），完成率52.8%，按当前进度预计年底达到2,640个（目标2,500个）"."""
    text = _explain(result, lang)
    if result.reported or result.actual is None or result.actual_period is None:
        return text
    month = min(result.as_of, result.spec.deadline) if result.spec is not None else result.as_of
    # the 未报 rule (DESIGN §9): say which month's report is missing and where the data stops
    return t("progress.not_reported", lang, month=months.month_number(month), period=month,
             actual_month=months.month_number(result.actual_period), actual_period=result.actual_period, text=text)


def _explain(result: Progress, lang: str) -> str:
    spec = result.spec
    if result.actual is None or spec is None or result.actual_period is None:
        return t("progress.no_data", lang, as_of=result.as_of)
    period, unit, as_of = result.actual_period, spec.unit, result.as_of
    actual = format_amount(result.actual, unit, whole=False, lang=lang)
    expected = format_amount(result.expected, unit, lang=lang)
    target = _target_text(spec, lang)
    deadline = result.window_start and _deadline_of(result)
    parts: list[str] = []
    rate_rule = spec.kind in ("growth", "share") or (spec.comparator in ("<=", "<") and spec.kind != "cap")
    if result.milestone:
        parts.append(t("progress.cumulative", lang, months=months_text(result.window_start, period, as_of, lang),
                       actual=actual))
        parts.append(t("progress.target", lang, comparator=_comparator(spec, lang), target=target))
        if result.status == "green":
            parts.append(t("progress.milestone_on_plan", lang, deadline=deadline_text(deadline, as_of, lang)))
        elif result.status == "amber":
            parts.append(t("progress.milestone_late", lang, deadline=month_text(deadline, as_of, lang)))
    elif rate_rule:
        word = t("progress.growth_word", lang) if spec.kind == "growth" else ""
        parts.append(t("progress.rate_now", lang, month=month_text(period, as_of, lang), word=word, actual=actual))
        parts.append(t("progress.target", lang, comparator=_comparator(spec, lang), target=target))
        if result.completion is not None:
            parts.append(t("progress.completion", lang, completion=_percent(result.completion)))
    elif spec.kind == "cap":
        parts.append(t("progress.cumulative", lang, months=months_text(result.window_start, period, as_of, lang),
                       actual=actual))
        if not result.finished:
            parts.append(t("progress.cap_expected", lang, expected=expected))
        parts.append(t("progress.cap_used", lang, completion=_percent(result.completion)))
    elif spec.kind == "level":
        parts.append(t("progress.level_now", lang, month=month_text(period, as_of, lang), actual=actual))
        if result.finished:
            parts.append(t("progress.target", lang, comparator=_comparator(spec, lang), target=target))
        else:
            parts.append(t("progress.level_expected", lang, expected=expected))
            parts.append(t("progress.target", lang, comparator=_comparator(spec, lang), target=target))
        parts.append(t("progress.completion", lang, completion=_percent(result.completion)))
    else:
        parts.append(t("progress.cumulative", lang, months=months_text(result.window_start, period, as_of, lang),
                       actual=actual))
        if result.finished:
            parts.append(t("progress.target", lang, comparator=_comparator(spec, lang), target=target))
        else:
            parts.append(t("progress.expected_share", lang, expected=expected, share=f"{result.share:.0%}"))
        parts.append(t("progress.completion", lang, completion=_percent(result.completion)))
    if result.status == "missed":
        parts.append(t("progress.missed", lang, deadline=month_text(deadline, as_of, lang)))
    elif result.projected is not None and not result.finished and result.status != "achieved":
        key = "progress.projection_cap" if spec.kind == "cap" else "progress.projection"
        parts.append(t(key, lang, when=deadline_text(deadline, as_of, lang),
                       projected=format_amount(result.projected, unit, lang=lang), target=target))
    return t("progress.sep", lang).join(parts)


def _deadline_of(result: Progress) -> str:
    from indicators.progress.rules import target_window  # rules imports this module

    return target_window(result.spec, result.as_of)[1]
