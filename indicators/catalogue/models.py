"""The catalogue's typed models (plans, targets, exclusions, sectors) and the problem record the checks return."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from dataclasses import field as dataclass_field
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from indicators import months
from indicators.catalogue.departments import Department, Departments


def _read_source(root: Path, name: str) -> str:
    path = Path(name)
    candidates = [root / path, root / "data" / "sources" / path.name]
    for candidate in candidates:
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    raise FileNotFoundError(name)


MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9.\-]*$")
Kind = Literal["increment", "level", "cap", "growth", "share"]
Comparator = Literal[">=", ">", "<=", "<", "~", "range"]
Frequency = Literal["monthly", "quarterly", "yearly"]  # how often a target is reported (DESIGN §9)


def _month(value: object) -> str:
    """Accept YYYY-MM (also a YAML date) and return it as 'YYYY-MM'."""
    if isinstance(value, (dt.date, dt.datetime)):
        return months.of_date(value)
    text = str(value).strip()
    if not MONTH_RE.match(text):
        # a typed error: the loader turns it into the problem code schema_not_month (load.SCHEMA_CODES)
        raise PydanticCustomError("month", "expected a month YYYY-MM, got {value}", {"value": repr(value)})
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
    frequency: Frequency | None = None  # the plan's default reporting frequency (None: monthly)


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
    pacing: Literal["milestone", "linear"] | None = None  # None: a count of at most a few things is a milestone
    note: str | None = None
    frequency: Frequency | None = None  # reporting frequency; None: the plan's, else monthly
    reporter: str | None = None  # the department that reports it; None: its first lead department

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


# What a Problem's ``where`` names; each has its wording as catalogue_entry.<entry> in i18n catalogue.toml.
ENTRIES = ("target", "plan", "sector", "department", "departments", "exclusion", "fragment", "file")
_LIST_SEPARATOR = {"zh": "、", "en": ", "}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the catalogue: the entry (``where``: a target id, or the id of a plan, department ...
    as ``entry`` says), its field, a stable ``code`` with ``params``, and the YAML line. ``message(lang)`` is the
    sentence (``catalogue.<code>`` in indicators/i18n/{zh,en}/catalogue.toml); ``str()`` holds both languages for
    logs."""

    where: str
    field: str
    code: str
    params: dict = dataclass_field(default_factory=dict, hash=False)
    line: int | None = None
    entry: str = "target"

    def message(self, lang: str = "zh") -> str:
        """The sentence for this problem in ``lang`` (a list parameter joined the language's way)."""
        from indicators.i18n import t

        separator = _LIST_SEPARATOR.get(lang, _LIST_SEPARATOR["zh"])
        values = {key: separator.join(map(str, value)) if isinstance(value, (list, tuple)) else value
                  for key, value in self.params.items()}
        return t(f"catalogue.{self.code}", lang, **values)

    def place(self, lang: str = "zh") -> str:
        """The entry as a reader names it: a target's id, 部门 x / department x, 第3条排除项 / exclusion #3 ..."""
        from indicators.i18n import t

        return t(f"catalogue_entry.{self.entry}", lang, id=self.where)

    def text(self, lang: str = "zh") -> str:
        """One line for the command line: where (line) · field [code]: message."""
        from indicators.i18n import t

        at = t("catalogue_entry.at_line", lang, line=self.line) if self.line else ""
        return f"{self.place(lang)}{at} · {self.field} [{self.code}]: {self.message(lang)}"

    def key(self) -> tuple[str, str, str, str, str]:
        """What makes two problems the same one, whatever their line (the add-plan check compares before/after)."""
        return self.entry, self.where, self.field, self.code, repr(sorted(self.params.items()))

    def as_dict(self, lang: str = "zh") -> dict:
        """The JSON of one problem: where, field, line, code, params and message."""
        return {"entry": self.entry, "where": self.where, "field": self.field, "line": self.line, "code": self.code,
                "params": self.params, "message": self.message(lang)}

    def __str__(self) -> str:
        return f"{self.text('zh')} / {self.message('en')}"


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
    departments: Departments = field(default_factory=Departments)

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

    def departments_of(self, target: Target) -> list[Department | None]:
        """The canonical department of each of a target's lead units, in written order (None where unmapped)."""
        jurisdiction = self.plans[target.plan].jurisdiction if target.plan in self.plans else ""
        return [self.departments.department_of(jurisdiction, written) for written in target.lead_units]
