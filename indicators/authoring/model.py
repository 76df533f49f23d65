"""The extractor's data types: a proposed catalogue entry, a quantity as written, an outline section."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Candidate:
    """One proposed catalogue entry (DESIGN §3 fields the text can fill) plus how it was read.

    ``span`` is the character span of the number (the lower one of a range) in the text; ``span_max`` that of the
    upper bound. ``phrase_kind`` is the finer reading: increment, level, cap, growth, share, reduction or points
    (reduction is catalogued as kind growth with a negative value, points as growth in 个百分点).
    """

    id: str
    plan: str
    clause: str
    chapter: str
    task: str
    name: str
    kind: str
    phrase_kind: str
    comparator: str
    value: float
    unit: str
    quote: str
    span: tuple[int, int]
    printed: str
    value_max: float | None = None
    span_max: tuple[int, int] | None = None
    deadline: str | None = None
    recurrence: str | None = None
    lead_units: list[str] = field(default_factory=list)
    baseline: dict | None = None
    note: str | None = None
    # why a reviewer should look twice, as a code (in_title, compares_earlier, cut_off, chinese_numerals,
    # programme_size) with its params; doubtful ones rank last
    doubt: str | None = None
    doubt_params: dict = field(default_factory=dict)

    def doubt_text(self, lang: str = "en") -> str | None:
        """The doubt as a sentence in ``lang`` (doubt.<code> in i18n authoring.toml), or None."""
        from indicators.i18n import t

        return t(f"doubt.{self.doubt}", lang, **self.doubt_params) if self.doubt else None

    def catalogue_entry(self, lang: str = "en") -> dict:
        """The entry as it would be written in ``data/targets.yaml`` (plus phrase_kind and span for review, and the
        doubt in ``lang``: English in the files `extract` writes, the reader's language on the catalogue page)."""
        entry: dict = {
            "id": self.id,
            "plan": self.plan,
            "clause": self.clause,
            "chapter": self.chapter,
            "task": self.task,
            "name": self.name,
            "kind": self.kind,
            "phrase_kind": self.phrase_kind,
            "comparator": self.comparator,
            "value": self.value,
        }
        if self.value_max is not None:
            entry["value_max"] = self.value_max
        entry["unit"] = self.unit
        if self.deadline:
            entry["deadline"] = self.deadline
        if self.recurrence:
            entry["recurrence"] = self.recurrence
        entry["baseline"] = dict(self.baseline) if self.baseline else None
        entry["lead_units"] = list(self.lead_units)
        entry["quote"] = self.quote
        entry["span"] = list(self.span)
        if self.note:
            entry["note"] = self.note
        if self.doubt:
            entry["doubt"] = self.doubt_text(lang)
        return entry


@dataclass(frozen=True)
class Quantity:
    """A number as written, with its unit and the words glued to it."""

    start: int
    end: int
    printed: str
    value: Decimal
    unit: str  # normalised unit text ("万千瓦", "%", "个百分点"), "" when there is none
    unit_start: int
    unit_end: int
    approx: str  # 余 / 多 between number and unit, else ""
    suffix: str  # comparator word after the unit, else ""
    end_all: int  # end of number + unit + suffix
    chinese: bool = False
    value_max: Decimal | None = None
    max_span: tuple[int, int] | None = None
    printed_max: str | None = None
    note: str | None = None


@dataclass
class Section:
    level: int
    number: str
    title: str
    line: str
    start: int
    body_start: int
    end: int = -1
    parent: Section | None = None
    children_start: int | None = None

