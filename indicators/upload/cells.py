"""The cells of an actuals upload: header spellings, the Issue and ParsedRow records, and parsing of one cell.

Shared by the row-by-row validator (``ingest``) and the column-wise one (``plain_rows``), so that both read a cell
the same way.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from indicators import months
from indicators.text.units import UnitError, convert, normalise_text, parse_number, parse_unit
from indicators.upload.issues import Issue

if TYPE_CHECKING:
    from collections.abc import Mapping

    from indicators.store import PlanSpan, UploadTarget

# Header spellings accepted for each column (matched after NFKC and lower-casing).
COLUMNS: dict[str, tuple[str, ...]] = {
    "target_id": ("target_id", "指标编号", "指标id", "编号"),
    "period": ("period", "期间", "月份", "月度"),
    "value": ("value", "实际值", "数值", "完成值"),
    "unit": ("unit", "单位"),
    "basis": ("basis", "口径"),
    "note": ("note", "备注"),
}
REQUIRED = ("target_id", "period", "value")
COLUMN_ZH = {"target_id": "指标编号", "period": "期间", "value": "实际值", "unit": "单位", "basis": "口径", "note": "备注"}
# Bounds of an accepted value: the widths of the store's raw columns, and a magnitude no indicator reaches (10^15:
# a thousand 万亿) so that a typo of 400 nines is refused rather than stored as infinity.
MAX_RAW_VALUE = 80
MAX_RAW_UNIT = 40
MAX_MAGNITUDE = 1e15
MAX_SUGGESTED = 50  # distinct unknown ids that get "did you mean" suggestions
BASIS = {"累计": "累计", "cumulative": "累计", "": "累计", "当月": "当月", "monthly": "当月", "本月": "当月"}


class ParsedRow(NamedTuple):
    """A valid row: its value converted to the target's own unit and, for 当月 uploads, accumulated to 累计."""

    row: int
    target_id: str
    period: str
    value: float  # 累计 (or the level/share/growth as of month end) in the target's unit
    unit: str  # the target's unit
    value_raw: str
    unit_raw: str | None
    basis: str
    note: str | None


def clean_cell(cell: str) -> str:
    """A cell as the validators read it: NFKC-normalised (full-width digits, ideographic spaces) and stripped."""
    return (cell if cell.isascii() else unicodedata.normalize("NFKC", cell)).strip()


def map_header(header: list[str]) -> tuple[dict[str, int], list[Issue]]:
    """{column: index} for the recognised header cells, and an Issue for each required column that is missing and
    for each column given twice (the same header twice, or target_id next to 指标编号: which one is meant?)."""
    mapping: dict[str, int] = {}
    issues: list[Issue] = []
    for index, cell in enumerate(header):
        key = unicodedata.normalize("NFKC", cell).strip().lower().lstrip("\ufeff")
        for column, spellings in COLUMNS.items():
            if key in spellings:
                if column in mapping:
                    first = mapping[column]
                    issues.append(Issue("duplicate_column", 1, column, {
                        "first": clean_cell(header[first]), "first_index": first + 1,
                        "second": clean_cell(cell), "second_index": index + 1}))
                else:
                    mapping[column] = index
    issues += [Issue("missing_column", 1, column, {"zh": COLUMN_ZH[column], "en": column}) for column in REQUIRED if column not in mapping]
    return mapping, issues


_PERIOD_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
    re.compile(r"^(\d{4})-(\d{1,2})-\d{1,2}(?:[ T].*)?$"),
)


@lru_cache(maxsize=4096)
def parse_period(text: str) -> str | None:
    """'2023-06', '2023/6', '2023年6月', '202306' -> '2023-06'; None when it is not a month."""
    text = unicodedata.normalize("NFKC", text).strip()
    for pattern in _PERIOD_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month = int(match.group(1)), int(match.group(2))
            if 1 <= month <= 12 and 1900 < year < 2200:
                return months.make(year, month)
    return None


def period_bounds(target: UploadTarget, plans: Mapping[str, PlanSpan]) -> tuple[str, str]:
    """First and last month a target takes values for: the plan's start to the later of plan end and deadline."""
    plan = plans[target.plan_id]
    return plan.period_start, max(plan.period_end, target.deadline)


@lru_cache(maxsize=4096)
def previous_month(period: str) -> str:
    """'2023-01' -> '2022-12'."""
    return months.previous(period)


# A plain decimal such as 1320 or -3.5: the common case, read with float() and no further parsing.
is_plain_number = re.compile(r"-?\d+(?:\.\d+)?").fullmatch
_VALUE_RE = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*(万亿|万|亿|%)?$")


def parse_value(text: str) -> tuple[Decimal, str | None]:
    """'1,320' -> (1320, None); '1.32万' -> (13200, None); '18%' -> (18, '%'); raises UnitError otherwise."""
    normal = normalise_text(text)
    match = _VALUE_RE.match(normal)
    if match:
        number = Decimal(match.group(1))
        suffix = match.group(2)
        if suffix == "%":
            return number, "%"
        if suffix:
            number *= {"万": Decimal(10_000), "亿": Decimal(100_000_000), "万亿": Decimal(10**12)}[suffix]
        return number, None
    try:
        return parse_number(normal), None
    except (UnitError, InvalidOperation) as exc:
        raise UnitError("not_a_number", text=text) from exc


@lru_cache(maxsize=4096)
def conversion_factor(from_unit: str, to_unit: str) -> float:
    """Factor from one unit to another, computed once per pair; UnitError when they cannot be converted."""
    return convert(1.0, from_unit, to_unit)


def value_of(raw_value: str, raw_unit: str, target_unit: str, line: int = 0) -> float | Issue:
    """A value cell (cleaned, not blank) in the target's unit, or the Issue that names why it cannot be read.

    Both validators read a value this way: a plain decimal by float(), anything else by parse_value; its unit is the
    unit cell, else the value's own (18%), else the target's. The magnitude and sign are the caller's to check.
    """
    if is_plain_number(raw_value):
        number, value_unit = float(raw_value), None
    else:
        try:
            number, value_unit = parse_value(raw_value)
        except UnitError:
            return Issue("not_a_number", line, "value", {"value": raw_value})
    if not math.isfinite(number):
        return Issue("non_finite", line, "value", {"value": raw_value})
    unit_text = raw_unit or value_unit or target_unit
    if raw_unit and value_unit and value_unit != normalise_text(raw_unit):
        return Issue("unit_conflict", line, "value", {"value_unit": value_unit, "unit": raw_unit})
    try:
        factor = conversion_factor(unit_text, target_unit)
    except UnitError:
        try:
            parse_unit(unit_text)
        except UnitError:
            return Issue("unit_unknown", line, "unit", {"unit": unit_text})
        return Issue("unit_mismatch", line, "unit", {"unit": unit_text, "target_unit": target_unit})
    return convert_by(number, factor)


def convert_by(number: float, factor: float) -> float:
    """A number times a conversion factor, rounded to drop binary noise (and untouched when the factor is 1)."""
    return float(number) if factor == 1.0 else round(float(number) * factor, 9)


@lru_cache(maxsize=1024)
def is_dimensionless(unit: str) -> bool:
    return parse_unit(unit).dimensionless
