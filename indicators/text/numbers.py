"""Numbers in Chinese policy text: Arabic (also full-width, with separators) and Chinese numerals.

Used by the catalogue validator (does the quote hold the target's value?), by the coverage check (is every
number of a source accounted for?) and by the extractor.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Arabic numbers as printed: ASCII or full-width digits, optional thousands separators and decimals.
NUMBER_RE = re.compile(r"[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?")

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
CHINESE_NUMERAL_RE = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")


def to_decimal(printed: str) -> Decimal:
    """Turn a printed Arabic number ("1,320", "１３２０", "3.5") into a Decimal."""
    text = unicodedata.normalize("NFKC", printed).replace(",", "").replace("，", "")
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {printed!r}") from exc


def chinese_to_number(text: str) -> Decimal | None:
    """Convert a Chinese numeral ("三", "两", "十五", "二十", "一百零五", "三千") to a Decimal; None if it is not one."""
    if not text or not CHINESE_NUMERAL_RE.fullmatch(text):
        return None
    total, section, digit = 0, 0, None
    for char in text:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[char]
            digit = None
        else:  # 万 / 亿
            section += digit or 0
            total += (section or 1) * _CN_BIG[char]
            section, digit = 0, None
    section += digit or 0
    return Decimal(total + section)


@dataclass(frozen=True)
class NumberAt:
    """One Arabic number found in a text: its printed form, value and character span."""

    printed: str
    value: Decimal
    start: int
    end: int


def find_numbers(text: str) -> list[NumberAt]:
    """Every Arabic number in ``text`` with its span, in order."""
    found = []
    for match in NUMBER_RE.finditer(text):
        printed = match.group(0)
        found.append(NumberAt(printed, to_decimal(printed), match.start(), match.end()))
    return found


def numbers_in(text: str) -> list[Decimal]:
    """The values of the Arabic numbers in ``text``, and of its Chinese numerals (两个, 三处, 十项)."""
    values = [n.value for n in find_numbers(text)]
    for match in CHINESE_NUMERAL_RE.finditer(text):
        value = chinese_to_number(match.group(0))
        if value is not None:
            values.append(value)
    return values


# --- numbers that are not quantities: clause numbers, years, dates, document numbers --------------------------
_YEAR_RE = re.compile(r"(?<![0-9０-９])(?:19|20)[0-9]{2}(?=\s*(?:年|[-—–~～至]\s*(?:19|20)[0-9]{2}))"
                      r"|(?<=[-—–~～至])\s*(?:19|20)[0-9]{2}(?![0-9])")
_CLAUSE_RE = re.compile(r"^[\s\u3000]*[（(]?([0-9０-９]{1,3})\s*[.．、)）]", re.MULTILINE)
_INLINE_CLAUSE_RE = re.compile(r"[（(]([0-9０-９]{1,2})[)）]")
_DATE_RE = re.compile(r"[0-9０-９]{1,2}(?=\s*(?:[-—–~～至]\s*[0-9０-９]{1,2}\s*)?[月日])")
_DOC_NUMBER_RE = re.compile(r"[〔［\[][0-9]{4}[〕］\]]\s*([0-9]+)\s*号")


def skipped_spans(text: str, doc_numbers: tuple[str, ...] = ()) -> list[tuple[int, int]]:
    """Spans of numbers that need no accounting: clause numbers, years, dates and document numbers."""
    spans: list[tuple[int, int]] = []
    for regex in (_YEAR_RE, _DATE_RE):
        spans += [(m.start(), m.end()) for m in regex.finditer(text)]
    spans += [(m.start(1), m.end(1)) for m in _CLAUSE_RE.finditer(text)]
    spans += [(m.start(1), m.end(1)) for m in _INLINE_CLAUSE_RE.finditer(text)]
    for match in _DOC_NUMBER_RE.finditer(text):
        spans.append((match.start(), match.end()))
    for doc_number in doc_numbers:
        start = text.find(doc_number)
        while start >= 0:
            spans.append((start, start + len(doc_number)))
            start = text.find(doc_number, start + 1)
    return spans


def numbers_to_account_for(text: str, doc_numbers: tuple[str, ...] = ()) -> list[NumberAt]:
    """Numbers of a source text that must be a target or an exclusion (all but clause numbers, years, dates, doc nos)."""
    spans = skipped_spans(text, doc_numbers)
    result = []
    for number in find_numbers(text):
        if any(start <= number.start and number.end <= end for start, end in spans):
            continue
        # a year-like number directly followed by 年 inside a longer match (e.g. "2023年底") is covered above;
        result.append(number)
    return result


def occurrences(text: str, quote: str) -> list[int]:
    """Start offsets of every occurrence of ``quote`` in ``text`` (a quote may appear more than once)."""
    starts, start = [], text.find(quote)
    while start >= 0:
        starts.append(start)
        start = text.find(quote, start + 1)
    return starts
