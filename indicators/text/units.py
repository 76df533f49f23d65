"""Chinese-aware units: one shared pint registry and parsing of texts like "350万千瓦".

The registry is pint's default one plus ``units.txt`` in this package, which adds the multipliers 万/亿 as prefixes,
Chinese names for area, energy, mass and money, and one *count dimension per kind of thing counted* (家, 人, 头, 户,
generic 个/项/处/座...), so that 1.2万人 == 12000 人 but 人 against 家 is an error. 个 and 项 deliberately share the
generic item dimension: a statistician writing 个 for a 项 target is a wording difference, not a wrong unit.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import pint

from indicators.i18n import CodedError

DEFINITIONS_FILE = Path(__file__).with_name("units.txt")

# Symbols that NFKC would turn into ASCII pint reads wrongly or not at all (㎡ -> "m2").
_SYMBOLS = {
    "㎡": "平方米",
    "m²": "平方米",
    "m2": "平方米",
    "㎢": "平方公里",
    "km²": "平方公里",
    "km2": "平方公里",
    "m³": "立方米",
    "m3": "立方米",
    "㎥": "立方米",
    "㎞": "公里",
    "㎏": "公斤",
    "％": "%",
    "‰": "千分比",
}
# Multipliers written as a bare suffix of a number with no unit ("1.32万" in a value cell).
_BARE_MULTIPLIERS = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "万亿": Decimal(10**12)}
_NUMBER_RE = re.compile(r"^\s*([+-]?(?:\d+(?:,\d{3})*(?:\.\d+)?|\.\d+))\s*(.*?)\s*$")
# Units that are legitimately dimensionless; any other unit text that pint reads as dimensionless is refused.
_DIMENSIONLESS_OK = {"%", "percent", "个百分点", "百分点", "千分比", "permille", "倍"}


class UnitError(CodedError, ValueError):
    """Raised for any text that is not a number with a known, unambiguous unit: ``code`` (missing_unit,
    unknown_unit, ambiguous_unit, not_a_number, empty_value, incompatible, no_unit) and ``params`` naming the text;
    ``message(lang)`` is ``unit_error.<code>`` from the i18n catalogues."""

    prefix = "unit_error"


@lru_cache(maxsize=1)
def get_registry() -> pint.UnitRegistry:
    """Return the project's single pint registry (built once, shared by every module)."""
    registry = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    registry.load_definitions(str(DEFINITIONS_FILE))
    return registry


def normalise_text(text: str) -> str:
    """NFKC-normalise (full-width digits and signs to ASCII), map unit symbols, drop thousands separators."""
    for symbol, name in (("㎡", "平方米"), ("㎢", "平方公里"), ("㎥", "立方米"), ("㎞", "公里"), ("㎏", "公斤")):
        text = text.replace(symbol, name)  # before NFKC, which would make ㎡ into "m2"
    text = unicodedata.normalize("NFKC", text).strip()
    text = text.replace("，", ",")
    # thousands separators: 1,320 / 12,000,000 (only groups of three digits after a comma)
    text = re.sub(r"(?<=\d),(?=\d{3}(?:\D|$))", "", text)
    return text


def parse_unit(text: str) -> pint.Unit:
    """Parse a unit as written ("万千瓦", "亩", "%", "MW") into a pint unit; raise UnitError if unknown or ambiguous."""
    original = text
    text = normalise_text(text)
    text = _SYMBOLS.get(text, text)
    if not text:
        raise UnitError("missing_unit", unit=original)
    if text == "%":
        text = "percent"
    try:
        unit = get_registry().parse_units(text)
    except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError, AttributeError,
            TypeError, ValueError, SyntaxError, AssertionError) as exc:
        raise UnitError("unknown_unit", unit=original) from exc
    if unit.dimensionless and text not in _DIMENSIONLESS_OK and str(unit) not in _DIMENSIONLESS_OK:
        raise UnitError("ambiguous_unit", unit=original)
    return unit


def parse_number(text: str) -> Decimal:
    """Parse a plain number ("1,320", "１３２０", "1.32万", "三", "两") into a Decimal; raise UnitError otherwise."""
    quantity_text = normalise_text(text)
    match = _NUMBER_RE.match(quantity_text)
    if match and not match.group(2):
        return Decimal(match.group(1).replace(",", ""))
    if match and match.group(2) in _BARE_MULTIPLIERS:
        return Decimal(match.group(1).replace(",", "")) * _BARE_MULTIPLIERS[match.group(2)]
    from indicators.text.numbers import chinese_to_number  # local import: numbers imports nothing from here

    value = chinese_to_number(quantity_text)
    if value is None:
        raise UnitError("not_a_number", text=text)
    return value


def parse_quantity(text: str, default_unit: str | None = None) -> pint.Quantity:
    """Parse "350万千瓦", "1.2万人", "４０００亩", "18%", "1.32万" into a pint Quantity.

    A bare number takes ``default_unit`` when given, else it is dimensionless. Raises UnitError naming the text.
    """
    if text is None or not str(text).strip():
        raise UnitError("empty_value", text=text)
    normal = normalise_text(str(text))
    match = _NUMBER_RE.match(normal)
    registry = get_registry()
    if not match:
        raise UnitError("not_a_number", text=text)
    try:
        number = Decimal(match.group(1).replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid decimals
        raise UnitError("not_a_number", text=text) from exc
    unit_text = match.group(2)
    if unit_text in _BARE_MULTIPLIERS:
        number *= _BARE_MULTIPLIERS[unit_text]
        unit_text = ""
    if not unit_text:
        if default_unit:
            return registry.Quantity(float(number), parse_unit(default_unit))
        return registry.Quantity(float(number), registry.dimensionless)
    return registry.Quantity(float(number), parse_unit(unit_text))


def compatible(unit_a: str, unit_b: str) -> bool:
    """True when values in the two units can be converted into each other."""
    return parse_unit(unit_a).dimensionality == parse_unit(unit_b).dimensionality


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert a number between compatible units (MW -> 万千瓦, 万亩 -> 亩); UnitError when incompatible."""
    source, target = parse_unit(from_unit), parse_unit(to_unit)
    if source.dimensionality != target.dimensionality:
        raise UnitError("incompatible", unit=from_unit, target_unit=to_unit)
    result = get_registry().Quantity(value, source).to(target).magnitude
    # Round away binary noise such as 1499.9999999999998 without losing real precision.
    return float(round(result, 9))


def to_unit(quantity: pint.Quantity, unit: str) -> float:
    """Express a parsed Quantity in ``unit``; UnitError when the dimensions differ."""
    target = parse_unit(unit)
    has_unit = str(quantity.units) != "dimensionless"
    if quantity.dimensionless and has_unit and target.dimensionless:
        return float(round(quantity.to(target).magnitude, 9))
    if not has_unit:
        raise UnitError("no_unit", target_unit=unit)
    if quantity.dimensionality != target.dimensionality:
        raise UnitError("incompatible", unit=f"{quantity.units:~}", target_unit=unit)
    return float(round(quantity.to(target).magnitude, 9))
