"""The catalogue rules of DESIGN §3: verbatim quotes, values in the quote, units, comparators against the wording."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from indicators.catalogue.models import ID_RE, Catalogue, Problem, Target
from indicators.text.numbers import NUMBER_RE, numbers_in, to_decimal
from indicators.text.units import UnitError, parse_unit

# --- comparator wording ------------------------------------------------------------------------------------------
_RANGE_RE = re.compile(r"^\s*[—\-–~～至到]\s*[0-9０-９]")
_AFTER_CUES = [("~", ("左右",)), (">", ("余",)), ("<=", ("以内", "之内", "以下")), (">=", ("以上", "及以上"))]
_BEFORE_CUES = [
    ("<=", ("不超过", "控制在", "不高于", "低于", "降低到", "降至", "压减到", "压减至")),
    (">", ("突破", "超过", "高于")),
    (">=", ("不少于", "不低于", "达到", "至少", "提高到", "提高至", "提升至", "提升到")),
]


# Targets written in words (DESIGN §3): the word fixes kind, comparator and value (None: twice the baseline)
WORD_TARGETS: dict[str, tuple[str, str, float | None]] = {
    "全覆盖": ("share", ">=", 100.0),
    "两位数增长": ("growth", ">=", 10.0),
    "正增长": ("growth", ">", 0.0),
    "翻一番": ("level", ">=", None),
    "翻番": ("level", ">=", None),
}
# Words that state a quantity without a digit: the coverage check makes each occurrence a target or an exclusion
TARGET_WORDS = ("全覆盖", "翻一番", "翻番", "两位数", "正增长", "负增长", "零增长", "持续下降", "只增不减", "清零")


def word_target(target: Target) -> tuple[str, tuple[str, str, float | None]] | None:
    """The wording a target written in words rests on (全覆盖 ...) and what it implies, or None."""
    for word, implied in WORD_TARGETS.items():
        if word in target.quote and implied[0] == target.kind:
            return word, implied
    return None


def expected_comparator(quote: str, number_start: int, number_end: int) -> str | None:
    """The comparator the wording around one number implies, or None when the wording says nothing."""
    raw_before = quote[max(0, number_start - 10):number_start]
    if _RANGE_RE.match(quote[number_end:]) or re.search(r"[0-9０-９]\s*[—\-–~～至到]\s*$", raw_before):
        return "range"
    after = quote[number_end:number_end + 12]
    # the wording belongs to this number up to the next punctuation or the next number
    # ("3条2500吨/日及以下": 及以下 qualifies 2500, not 3)
    after = re.split(r"[，,。；;、（(0-9０-９]", after)[0]
    before = re.split(r"[，,。；;、）)0-9０-９]", raw_before)[-1]
    # 约 means "about" only right before the number, not inside 签约/节约/集约/制约/预约
    if re.search(r"(?<![签节集制预])约\s*$", before):
        return "~"
    before = before.replace("约", "")
    if after.lstrip().startswith("余"):
        return ">"  # 70余个 means more than 70 (issue 15)
    for comparator, words in _AFTER_CUES:
        if any(word in after for word in words):
            return comparator
    # longest cue first, so 不低于 (>=) is not read as 低于 (<) and 不超过 (<=) not as 超过 (>)
    for word, comparator in sorted(((w, c) for c, ws in _BEFORE_CUES for w in ws), key=lambda wc: -len(wc[0])):
        if word in before:
            return comparator
    return None


def _comparators_agree(wording: str, declared: str, value: float) -> bool:
    if wording == declared:
        return True
    if value < 0:  # 下降4%以上 is catalogued as value -4, comparator <=
        flipped = {">=": "<=", ">": "<", "<=": ">=", "<": ">"}
        return flipped.get(wording) == declared
    # 达到N以内 / 控制在N以下: a ceiling stated twice; strict vs non-strict is wording, not meaning
    return {wording, declared} in ({">=", ">"}, {"<=", "<"})


def _number_positions(quote: str, value: float) -> list[tuple[int, int]]:
    target = Decimal(str(abs(value)))
    return [(m.start(), m.end()) for m in NUMBER_RE.finditer(quote) if to_decimal(m.group(0)) == target]


def validate(catalogue: Catalogue) -> list[Problem]:
    """Every rule of DESIGN §3 the catalogue breaks, as a list (empty when the catalogue is sound)."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for target in catalogue.targets:
        line = catalogue.lines.get(target.id)

        def problem(field: str, code: str, target_id: str = target.id, line: int | None = line, **params) -> None:
            problems.append(Problem(target_id, field, code, params, line))

        if target.id in seen:
            problem("id", "duplicate_id", other_line=seen[target.id])
        seen.setdefault(target.id, line or 0)
        if not ID_RE.match(target.id):
            problem("id", "bad_id")
        plan = catalogue.plans.get(target.plan)
        if plan is None:
            problem("plan", "unknown_plan", plan=target.plan)
            continue
        if not target.id.startswith(plan.id + "."):
            problem("id", "id_outside_plan", plan=plan.id)
        if target.sector not in catalogue.sectors:
            problem("sector", "unknown_sector", sector=target.sector, sectors=list(catalogue.sectors))
        if not (plan.period.start <= target.deadline <= plan.period.end):
            problem("deadline", "deadline_outside_plan", deadline=target.deadline, start=plan.period.start,
                    end=plan.period.end)
        _check_units(target, problem)
        _check_quote(catalogue, target, problem)
        if target.comparator == "range" and target.value_max is None:
            problem("value_max", "range_without_max")
        if target.value_max is not None and target.value_max < target.value:
            problem("value_max", "max_below_value", value=target.value, value_max=target.value_max)
        if target.kind == "cap" and target.comparator not in ("<=", "<"):
            problem("comparator", "cap_comparator", comparator=target.comparator)
        for written, department in zip(target.lead_units, catalogue.departments_of(target), strict=True):
            if department is None:
                problem("lead_units", "unknown_lead_unit", unit=written, jurisdiction=plan.jurisdiction)
        if target.profile is not None:
            if len(target.profile) != 12 or any(b < a for a, b in zip(target.profile, target.profile[1:], strict=False)):
                problem("profile", "bad_profile")
    return problems + department_problems(catalogue)


def department_problems(catalogue: Catalogue) -> list[Problem]:
    """The departments table: unique ids and short names, known parents, one body per written form and place,
    and every written form printed in some source (the table records how plans write a name, not guesses)."""
    problems: list[Problem] = []
    table = catalogue.departments.by_id
    sources = "".join(catalogue.source_text(p.source) for p in catalogue.plans.values())
    problems += [Problem(d, "id", "duplicate_department", entry="department")
                 for d in catalogue.departments.duplicate_ids]
    shorts: dict[str, str] = {}
    places: dict[tuple[str, str], str] = {}
    for department in table.values():

        def problem(field: str, code: str, where: str = department.id, **params) -> None:
            problems.append(Problem(where, field, code, params, entry="department"))

        if department.short in shorts:
            problem("short", "short_taken", short=department.short, other=shorts[department.short])
        shorts.setdefault(department.short, department.id)
        if department.parent is not None and department.parent not in table:
            problem("parent", "unknown_parent", parent=department.parent)
        for written in department.written:
            if written not in sources:
                problem("written", "written_not_in_sources", written=written)
            for place in department.written_in or [department.jurisdiction]:
                other = places.setdefault((place, written), department.id)
                if other != department.id:
                    problem("written", "written_taken", written=written, place=place, other=other)
    return problems


def _check_units(target: Target, problem) -> None:
    try:
        unit = parse_unit(target.unit)
    except UnitError as exc:  # missing_unit, unknown_unit or ambiguous_unit: the catalogue says them in its own words
        problem("unit", exc.code, **exc.params)
        return
    if target.kind in ("growth", "share") and not unit.dimensionless:
        problem("unit", "unit_not_percent", kind=target.kind, unit=target.unit)
    if target.baseline is not None:
        try:
            if parse_unit(target.baseline.unit).dimensionality != unit.dimensionality:
                problem("baseline.unit", "baseline_unit_mismatch", baseline_unit=target.baseline.unit,
                        unit=target.unit)
        except UnitError as exc:
            problem("baseline.unit", exc.code, **exc.params)


def _check_quote(catalogue: Catalogue, target: Target, problem) -> None:
    source_name = catalogue.quote_source(target)
    try:
        text = catalogue.source_text(source_name)
    except FileNotFoundError:
        problem("source", "source_missing", source=source_name)
        return
    if target.quote not in text:
        problem("quote", "quote_not_verbatim", source=Path(source_name).name)
        return
    values = numbers_in(target.quote)
    worded = word_target(target)
    if worded is not None and Decimal(str(abs(target.value))) not in values:
        word, (_, comparator, implied) = worded
        expected = 2 * target.baseline.value if implied is None and target.baseline is not None else implied
        if expected is None:
            problem("baseline", "word_needs_baseline", word=word)
        elif abs(target.value - expected) > 1e-9:
            problem("value", "word_value", word=word, expected=expected, value=target.value)
        if target.comparator != comparator:
            problem("comparator", "word_comparator", word=word, expected=comparator, comparator=target.comparator)
        return
    for field, value in (("value", target.value), ("value_max", target.value_max)):
        if value is None:
            continue
        if Decimal(str(abs(value))) not in values:
            problem(field, "value_not_in_quote", value=value, unit=target.unit)
    positions = _number_positions(target.quote, target.value)
    if positions:
        wordings = {expected_comparator(target.quote, s, e) for s, e in positions} - {None}
        if wordings and not any(_comparators_agree(w, target.comparator, target.value) for w in wordings):
            problem("comparator", "comparator_mismatch", comparator=target.comparator, wording=sorted(wordings))
