"""The target catalogue: load ``data/targets.yaml`` and ``data/not_targets.yaml`` into typed models and validate them.

Validation never stops at the first problem: it returns every problem with the target id, the field and the YAML
line, so an editor can fix a broken catalogue in one pass.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from indicators.numbers import NUMBER_RE, find_numbers, numbers_in, numbers_to_account_for, occurrences, to_decimal
from indicators.units import UnitError, parse_unit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# A deployment (or a test) may point at another catalogue through these environment variables.
DEFAULT_TARGETS = Path(os.environ.get("INDICATORS_TARGETS", PROJECT_ROOT / "data" / "targets.yaml"))
DEFAULT_EXCLUSIONS = Path(os.environ.get("INDICATORS_NOT_TARGETS", PROJECT_ROOT / "data" / "not_targets.yaml"))

MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9.\-]*$")
Kind = Literal["increment", "level", "cap", "growth", "share"]
Comparator = Literal[">=", ">", "<=", "<", "~", "range"]


def _month(value: object) -> str:
    """Accept YYYY-MM (also a YAML date) and return it as 'YYYY-MM'."""
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value.year:04d}-{value.month:02d}"
    text = str(value).strip()
    if not MONTH_RE.match(text):
        raise ValueError(f"expected a month YYYY-MM, got {value!r}")
    return text


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Period(Strict):
    start: str
    end: str

    _check = field_validator("start", "end", mode="before")(classmethod(lambda cls, v: _month(v)))


class Plan(Strict):
    id: str
    title: str
    title_en: str
    issuer: str
    doc_number: str
    issued: dt.date
    jurisdiction: str
    period: Period
    source: str
    explainers: list[str] = Field(default_factory=list)


class Baseline(Strict):
    value: float
    unit: str
    period: str | None = None

    _check = field_validator("period", mode="before")(classmethod(lambda cls, v: None if v is None else _month(v)))


class Target(Strict):
    id: str
    plan: str
    clause: str
    chapter: str
    sector: str
    task: str
    name: str
    name_en: str
    kind: Kind
    comparator: Comparator
    value: float
    value_max: float | None = None
    unit: str
    deadline: str
    recurrence: Literal["yearly"] | None = None
    baseline: Baseline | None = None
    lead_units: list[str]
    quote: str
    source: str | None = None  # a source file name other than the plan's (the explainer), when quoted from there
    profile: list[float] | None = None  # optional cumulative share of the target expected by each month (12 values)
    note: str | None = None

    _check = field_validator("deadline", mode="before")(classmethod(lambda cls, v: _month(v)))

    @field_validator("clause", mode="before")
    @classmethod
    def _clause_text(cls, value: object) -> str:
        return str(value)


class Exclusion(Strict):
    source: str
    quote: str
    numbers: list[str]
    reason: str

    @field_validator("numbers", mode="before")
    @classmethod
    def _as_text(cls, value: object) -> list[str]:
        return [str(v) for v in value] if isinstance(value, list) else value  # type: ignore[return-value]


class Sector(Strict):
    zh: str
    en: str


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the catalogue, located by entry id (or file), field and YAML line."""

    where: str
    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        at = f" (line {self.line})" if self.line else ""
        return f"{self.where}{at} · {self.field}: {self.message}"


class CatalogueError(Exception):
    """The catalogue could not be loaded or is invalid; ``problems`` lists everything found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Catalogue:
    """Plans, sectors, targets and the judged non-targets, plus where each came from."""

    plans: dict[str, Plan]
    sectors: dict[str, Sector]
    targets: list[Target]
    exclusions: list[Exclusion]
    root: Path
    lines: dict[str, int]

    @cached_property
    def targets_by_id(self) -> dict[str, Target]:
        return {t.id: t for t in self.targets}

    def source_text(self, file_name_or_path: str) -> str:
        """Text of a source file given as 'data/sources/x.txt' or just 'x.txt'."""
        return _read_source(self.root, file_name_or_path)

    def quote_source(self, target: Target) -> str:
        """The path of the file a target's quote comes from."""
        if target.source:
            return f"data/sources/{Path(target.source).name}"
        return self.plans[target.plan].source



def _read_source(root: Path, name: str) -> str:
    path = Path(name)
    candidates = [root / path, root / "data" / "sources" / path.name]
    for candidate in candidates:
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    raise FileNotFoundError(name)


def _yaml_with_lines(path: Path, list_key: str) -> tuple[dict, dict[int, int]]:
    """Safe-load a YAML file; also return the 1-based line of each item of its ``list_key`` list."""
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    lines: dict[int, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == list_key and isinstance(value, yaml.SequenceNode):
                lines = {i: item.start_mark.line + 1 for i, item in enumerate(value.value)}
    return data, lines


def _pydantic_problems(where: str, exc: ValidationError, line: int | None) -> list[Problem]:
    return [
        Problem(where, ".".join(str(p) for p in err["loc"]) or "-", err["msg"], line) for err in exc.errors()
    ]


def load(
    targets_path: Path | None = None,
    exclusions_path: Path | None = None,
    plans_path: Path | None = None,
) -> Catalogue:
    """Load the catalogue into models; raise CatalogueError listing every entry that does not fit the schema.

    ``plans_path`` lets a partial file (only ``targets:``) borrow plans and sectors from another file.
    """
    if targets_path is None:
        targets_path = Path(os.environ.get("INDICATORS_TARGETS", DEFAULT_TARGETS))
        exclusions_path = exclusions_path or Path(os.environ.get("INDICATORS_NOT_TARGETS", DEFAULT_EXCLUSIONS))
    targets_path = Path(targets_path)
    root = PROJECT_ROOT
    problems: list[Problem] = []
    try:
        data, target_lines = _yaml_with_lines(targets_path, "targets")
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogueError([Problem(str(targets_path), "-", f"cannot read YAML: {exc}")]) from exc
    if not isinstance(data, dict):
        raise CatalogueError([Problem(str(targets_path), "-", "top level must be a mapping with plans: and targets:")])
    meta = data
    if plans_path is not None:
        meta = yaml.safe_load(Path(plans_path).read_text(encoding="utf-8")) or {}

    plans: dict[str, Plan] = {}
    for raw in meta.get("plans") or []:
        try:
            plan = Plan.model_validate(raw)
            plans[plan.id] = plan
        except ValidationError as exc:
            problems += _pydantic_problems(f"plan {raw.get('id', '?') if isinstance(raw, dict) else '?'}", exc, None)
    sectors: dict[str, Sector] = {}
    for key, raw in (meta.get("sectors") or {}).items():
        try:
            sectors[str(key)] = Sector.model_validate(raw)
        except ValidationError as exc:
            problems += _pydantic_problems(f"sector {key}", exc, None)

    targets: list[Target] = []
    lines: dict[str, int] = {}
    for index, raw in enumerate(data.get("targets") or []):
        line = target_lines.get(index)
        ident = raw.get("id", f"targets[{index}]") if isinstance(raw, dict) else f"targets[{index}]"
        try:
            target = Target.model_validate(raw)
        except ValidationError as exc:
            problems += _pydantic_problems(str(ident), exc, line)
            continue
        targets.append(target)
        if line:
            lines.setdefault(target.id, line)

    exclusions: list[Exclusion] = []
    if exclusions_path is not None and Path(exclusions_path).exists():
        try:
            excl_data, excl_lines = _yaml_with_lines(Path(exclusions_path), "exclusions")
        except yaml.YAMLError as exc:
            raise CatalogueError([Problem(str(exclusions_path), "-", f"cannot read YAML: {exc}")]) from exc
        for index, raw in enumerate((excl_data or {}).get("exclusions") or []):
            try:
                exclusions.append(Exclusion.model_validate(raw))
            except ValidationError as exc:
                problems += _pydantic_problems(f"exclusion #{index + 1}", exc, excl_lines.get(index))
    if problems:
        raise CatalogueError(problems)
    return Catalogue(plans, sectors, targets, exclusions, root, lines)


# --- comparator wording ------------------------------------------------------------------------------------------
_RANGE_RE = re.compile(r"^\s*[—\-–~～至到]\s*[0-9０-９]")
_AFTER_CUES = [("~", ("左右", "余")), ("<=", ("以内", "之内", "以下")), (">=", ("以上", "及以上"))]
_BEFORE_CUES = [
    ("<=", ("不超过", "控制在", "不高于", "低于", "降低到", "降至", "压减到", "压减至")),
    (">", ("突破", "超过", "高于")),
    (">=", ("不少于", "不低于", "达到", "至少", "提高到", "提高至", "提升至", "提升到")),
]


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
        return "~"
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

        def problem(field: str, message: str, target_id: str = target.id, line: int | None = line) -> None:
            problems.append(Problem(target_id, field, message, line))

        if target.id in seen:
            problem("id", f"duplicate id (also at line {seen[target.id]})")
        seen.setdefault(target.id, line or 0)
        if not ID_RE.match(target.id):
            problem("id", "ids are lowercase ASCII letters, digits, '.' and '-'")
        plan = catalogue.plans.get(target.plan)
        if plan is None:
            problem("plan", f"unknown plan {target.plan!r}")
            continue
        if not target.id.startswith(plan.id + "."):
            problem("id", f"id must start with the plan id {plan.id!r}.")
        if target.sector not in catalogue.sectors:
            problem("sector", f"unknown sector {target.sector!r}; one of {', '.join(catalogue.sectors)}")
        if not (plan.period.start <= target.deadline <= plan.period.end):
            problem("deadline", f"{target.deadline} is outside the plan period {plan.period.start}..{plan.period.end}")
        _check_units(target, problem)
        _check_quote(catalogue, target, problem)
        if target.comparator == "range" and target.value_max is None:
            problem("value_max", "a range needs value_max")
        if target.value_max is not None and target.value_max < target.value:
            problem("value_max", "value_max is below value")
        if target.kind == "cap" and target.comparator not in ("<=", "<"):
            problem("comparator", "a cap is '<=' or '<'")
        if target.profile is not None:
            if len(target.profile) != 12 or any(b < a for a, b in zip(target.profile, target.profile[1:], strict=False)):
                problem("profile", "profile is 12 cumulative shares, never decreasing")
    return problems


def _check_units(target: Target, problem) -> None:
    try:
        unit = parse_unit(target.unit)
    except UnitError as exc:
        problem("unit", str(exc))
        return
    if target.kind in ("growth", "share") and not unit.dimensionless:
        problem("unit", f"a {target.kind} target is in % or 个百分点, not {target.unit}")
    if target.baseline is not None:
        try:
            if parse_unit(target.baseline.unit).dimensionality != unit.dimensionality:
                problem("baseline.unit", f"{target.baseline.unit} cannot convert to {target.unit}")
        except UnitError as exc:
            problem("baseline.unit", str(exc))


def _check_quote(catalogue: Catalogue, target: Target, problem) -> None:
    source_name = catalogue.quote_source(target)
    try:
        text = catalogue.source_text(source_name)
    except FileNotFoundError:
        problem("source", f"source file {source_name} not found")
        return
    if target.quote not in text:
        problem("quote", f"not a verbatim substring of {Path(source_name).name}")
        return
    values = numbers_in(target.quote)
    for field, value in (("value", target.value), ("value_max", target.value_max)):
        if value is None:
            continue
        if Decimal(str(abs(value))) not in values:
            problem(field, f"{value:g} does not appear in the quote (written unit {target.unit})")
    positions = _number_positions(target.quote, target.value)
    if positions:
        wordings = {expected_comparator(target.quote, s, e) for s, e in positions} - {None}
        if wordings and not any(_comparators_agree(w, target.comparator, target.value) for w in wordings):
            problem("comparator", f"{target.comparator!r} but the wording says {' or '.join(sorted(wordings))!r}")


def coverage(catalogue: Catalogue, sources: list[str] | None = None) -> list[tuple[str, int, str, str]]:
    """Numbers in the sources that are neither a target's value (inside its quote) nor a listed exclusion.

    Returns (source file name, line number, printed number, the line's text around it) for each uncovered number.
    """
    doc_numbers = tuple(p.doc_number for p in catalogue.plans.values())
    paths = {Path(p.source).name: p.source for p in catalogue.plans.values()}
    paths.update({Path(e).name: e for p in catalogue.plans.values() for e in p.explainers})
    files = sorted(paths) if sources is None else [Path(s).name for s in sources]
    missing = []
    for name in files:
        text = catalogue.source_text(paths.get(name, name))
        covered: list[tuple[int, int, set[Decimal]]] = []
        for target in catalogue.targets:
            if Path(catalogue.quote_source(target)).name != name:
                continue
            allowed = {Decimal(str(abs(v))) for v in (target.value, target.value_max) if v is not None}
            if target.baseline is not None:
                allowed.add(Decimal(str(abs(target.baseline.value))))
            covered += [(s, s + len(target.quote), allowed) for s in occurrences(text, target.quote)]
        for exclusion in catalogue.exclusions:
            if Path(exclusion.source).name != name:
                continue
            allowed = set()
            for printed in exclusion.numbers:
                try:
                    allowed.add(to_decimal(printed))
                except ValueError:
                    continue
            covered += [(s, s + len(exclusion.quote), allowed) for s in occurrences(text, exclusion.quote)]
        for number in numbers_to_account_for(text, doc_numbers):
            if any(s <= number.start and number.end <= e and number.value in allowed for s, e, allowed in covered):
                continue
            line_no = text.count("\n", 0, number.start) + 1
            context = text[max(0, number.start - 20):number.end + 12].replace("\n", " ")
            missing.append((name, line_no, number.printed, context.strip()))
    return missing


def exclusion_problems(catalogue: Catalogue) -> list[Problem]:
    """Exclusions whose quote is not verbatim or does not contain the numbers they list."""
    problems = []
    for index, exclusion in enumerate(catalogue.exclusions):
        where = f"exclusion #{index + 1} ({exclusion.source})"
        try:
            text = catalogue.source_text(exclusion.source)
        except FileNotFoundError:
            problems.append(Problem(where, "source", "source file not found"))
            continue
        if exclusion.quote not in text:
            problems.append(Problem(where, "quote", f"not a verbatim substring: {exclusion.quote!r}"))
            continue
        printed = {n.printed for n in find_numbers(exclusion.quote)}
        for number in exclusion.numbers:
            if number not in printed:
                problems.append(Problem(where, "numbers", f"{number!r} is not printed in the quote"))
    return problems



