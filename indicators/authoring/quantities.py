"""Numbers with their units, range partners and comparator words, as written in a text."""

from __future__ import annotations

import re
from functools import lru_cache

import cn2an

from indicators.authoring.model import Quantity
from indicators.authoring.phrases import ASCII_LETTER_RE, CJK_RE, DOC_NUMBER_RES, PHRASES, RANGE_RE
from indicators.text.numbers import CHINESE_NUMERAL_RE, NUMBER_RE, chinese_to_number, to_decimal
from indicators.text.units import DEFINITIONS_FILE, UnitError, parse_unit


@lru_cache(maxsize=1)
def unit_words() -> tuple[str, ...]:
    """Unit names and aliases of the project's registry definitions file, longest first."""
    names: set[str] = set()
    for raw in DEFINITIONS_FILE.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if "=" not in line or line.endswith("-") or line.split("=")[0].strip().endswith("-"):
            continue
        parts = [p.strip() for p in line.split("=")]
        tokens = [parts[0]] + parts[2:]
        for token in tokens:
            if token and not token.startswith("[") and (CJK_RE.search(token) or token in PHRASES["ascii_units"]):
                names.add(token)
    names.update(("%", "％", "个百分点", "百分点", "‰"))
    names.update(PHRASES["ascii_units"])
    names.update(PHRASES["extra_units"])
    names.difference_update(PHRASES["unit_exclude"])
    return tuple(sorted(names, key=len, reverse=True))


@lru_cache(maxsize=512)
def unit_ok(unit: str) -> bool:
    if extra_unit(unit):
        return True
    try:
        parse_unit(unit)
    except UnitError:
        return False
    return True


@lru_cache(maxsize=512)
def extra_unit(unit: str) -> str:
    """The unit units.txt lacks inside ``unit`` ("株" of "万株"), or ""."""
    bare = unit[len(next((m for m in PHRASES["multipliers"] if unit.startswith(m) and unit != m), "")):]
    return bare if bare in PHRASES["extra_units"] else ""


def dimension(unit: str) -> str:
    if extra_unit(unit):
        return PHRASES["extra_units"][extra_unit(unit)]
    try:
        return str(parse_unit(unit).dimensionality)
    except UnitError:
        return ""


def is_count(unit: str) -> bool:
    return dimension(unit) in PHRASES["count_dimensions"]


def is_percent(unit: str) -> bool:
    return unit in ("%", "个百分点", "百分点", "‰")


def read_unit(text: str, pos: int) -> tuple[str, int, int, str]:
    """Read "余/多? 万/亿? unit" at ``pos``; return (unit, unit_start, unit_end, approx)."""
    i = pos
    while i < len(text) and text[i] in " \t\u3000":
        i += 1
    approx = ""
    if i < len(text) and text[i] in PHRASES["comparator_between"]:
        approx, i = text[i], i + 1
    unit_start = i
    multiplier = ""
    for word in PHRASES["multipliers"]:
        if text.startswith(word, i):
            multiplier = word
            break
    j = i + len(multiplier)
    if multiplier and not approx and j < len(text) and text[j] in PHRASES["comparator_between"]:
        approx, j = text[j], j + 1  # 1万余人
    if text.startswith("个亿", i):
        return "个亿", unit_start, i + 2, approx
    for word in unit_words():
        if not text.startswith(word, j):
            continue
        blockers = PHRASES["unit_blockers"].get(word, "")
        after = text[j + len(word): j + len(word) + 1]
        if after and after in blockers:
            continue
        unit = multiplier + ("%" if word == "％" else word)
        if word in PHRASES["extra_units"] and multiplier and PHRASES["extra_units"][word] != "[item]":
            continue  # 万小时 is no unit; 326万株 is
        if unit_ok(unit):
            return unit, unit_start, j + len(word), approx
    if multiplier:  # a bare 万/亿 ("突破1万", "50亿")
        return multiplier, unit_start, i + len(multiplier), approx
    return "", pos, pos, approx if approx else ""


def read_suffix(text: str, pos: int) -> tuple[str, int]:
    i = pos
    while i < len(text) and text[i] in " \t\u3000":
        i += 1
    for word in sorted(PHRASES["comparator_after"], key=len, reverse=True):
        if text.startswith(word, i):
            return word, i + len(word)
    return "", pos


# ======================================================================================================================
# Finding quantities
# ======================================================================================================================
def doc_number_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for regex in DOC_NUMBER_RES:
        spans += [(m.start(), m.end()) for m in regex.finditer(text)]
    return spans


def inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def glued_to_name(text: str, start: int, end: int) -> bool:
    """True when letters, '+', '×', 第 ... are glued to the number (5G, PM2.5, 11+4, 2×66, 第3届, 50强)."""
    before = text[max(0, start - 2):start].rstrip(" ")
    after = text[end:end + 2].lstrip(" ")
    if before and ASCII_LETTER_RE.match(before[-1]):
        return True
    if after and ASCII_LETTER_RE.match(after[0]):
        return not any(text[end:].lstrip(" ").startswith(u) for u in PHRASES["ascii_units"])
    if any(before.endswith(g) for g in PHRASES["name_glue_before"]):
        return True
    return any(after.startswith(g) for g in PHRASES["name_glue_after"])


def find_quantities(text: str, skip: list[tuple[int, int]]) -> list[Quantity]:
    """Every number with its unit, range partner and comparator suffix, in text order."""
    found: list[Quantity] = []
    consumed: set[int] = set()
    numbers = [(m.start(), m.end(), m.group(0)) for m in NUMBER_RE.finditer(text)]
    by_start = {s: (s, e, p) for s, e, p in numbers}
    for start, end, printed in numbers:
        if start in consumed or inside(skip, start, end):
            continue
        if glued_to_name(text, start, end):
            continue
        value = to_decimal(printed)
        unit, unit_start, unit_end, approx = read_unit(text, end)
        # a range: 3至5个, 5—8家, 2~3处, 10-15家, 3个至5个
        connector = RANGE_RE.match(text, unit_end if unit else end)
        value_max = max_span = printed_max = None
        if connector and not approx:
            other_start = connector.end()
            other = by_start.get(other_start)
            if other and not inside(skip, other[0], other[1]):
                other_unit, o_unit_start, o_unit_end, o_approx = read_unit(text, other[1])
                same = not unit or unit == other_unit or (unit in PHRASES["multipliers"]
                                                          and other_unit.startswith(unit))
                if other_unit and same and to_decimal(other[2]) > value:
                    value_max, max_span, printed_max = to_decimal(other[2]), (other[0], other[1]), other[2]
                    consumed.add(other[0])
                    unit, unit_start, unit_end = other_unit, o_unit_start, o_unit_end
        suffix, end_all = read_suffix(text, unit_end if unit else end)
        note = None
        if extra_unit(unit):
            note = f"单位“{unit}”不在 units.txt 中"
        if unit in PHRASES["multipliers"]:
            note = f"原文只写“{unit}”，单位待定"
        found.append(Quantity(start, end, printed, value, unit, unit_start, unit_end if unit else end, approx,
                               suffix, end_all if (unit or suffix) else end, False, value_max, max_span, printed_max,
                               note))
    for match in CHINESE_NUMERAL_RE.finditer(text):
        quantity = chinese_quantity(text, match.start(), match.group(0), skip)
        if quantity is not None:
            found.append(quantity)
    found.sort(key=lambda q: q.start)
    return found


def chinese_quantity(text: str, start: int, numeral: str, skip: list[tuple[int, int]]) -> Quantity | None:
    """A Chinese numeral counting something (两个, 三处, 十项, 二十家); None for idioms and names."""
    multiplier = ""
    if len(numeral) > 1 and numeral[-1] in "万亿":
        numeral, multiplier = numeral[:-1], numeral[-1]
    end = start + len(numeral)
    if numeral in ("〇", "零") or numeral[0] in "百千万亿零〇":
        return None  # 千项技改/百展/万家 are idioms, not counts
    if numeral == "一":  # 一批/一体化/一个 are idioms, but 建设一所医院 and 新建数据中心一座 count
        if text[end:end + 1] not in PHRASES["one_units"]:
            return None
        before = text[max(0, start - 4):start]
        phrase_end = text[end + 1:end + 2] in ("", "，", ",", "。", "；", ";", "、", "\n")
        clause_before = re.split(r"[，,。；;、\n]", text[max(0, start - 30):start])[-1]
        if not (any(before.endswith(v) for v in PHRASES["kind_before"]["increment"])
                or (phrase_end and any(v in clause_before for v in PHRASES["kind_before"]["increment"]))):
            return None
    try:
        cn2an.cn2an(numeral.replace("两", "二"), "strict")  # refuses 三三两两, 十四五
    except (ValueError, KeyError):
        return None
    if start > 0 and (text[start - 1] in "第每" or CJK_RE.match(text[start - 1]) and text[start - 1] in "周星"):
        return None
    if inside(skip, start, end):
        return None
    unit, unit_start, unit_end, approx = read_unit(text, end)
    if multiplier:
        unit = multiplier + unit if unit else ""
    if not unit or not is_count(unit):
        return None
    rest = text[unit_end:unit_end + 4]
    ordinary = PHRASES["ordinary_after"] if unit == "个" else ()  # 五个重点 is a phrase, 六场重点活动 a count
    if any(rest.startswith(word) for word in PHRASES["slogan_after"] + ordinary):
        return None
    value = chinese_to_number(numeral)
    if value is None:
        return None
    suffix, end_all = read_suffix(text, unit_end)
    return Quantity(start, end, numeral, value, unit, unit_start, unit_end, approx, suffix, end_all, True,
                     note=f"原文为中文数字“{numeral}{unit}”")


