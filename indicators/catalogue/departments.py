"""Departments: one canonical body for every written form of a lead unit (DESIGN §3, issue 15).

Plans write the same body several ways (原材料科 / 原材料产业科), and the same words name different bodies in
different cities (市发展改革委 in 聊城市 is not the one in 泰安市). So a written form is looked up together with the
jurisdiction of the plan that wrote it. A department may sit under a parent (the 002 plan's divisions under
聊城市工业和信息化局): roll-ups count it under its top department, with the division one level below.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from indicators.catalogue.safe_yaml import safe_load

UNLISTED = "（未列明）"  # the roll-up key of a target whose clause names no lead unit


class Department(BaseModel):
    """One body: canonical name, short name (unique; the roll-up key), English name and the forms plans write."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    short: str
    en: str
    jurisdiction: str
    written: list[str]
    written_in: list[str] = Field(default_factory=list)  # plan jurisdictions that write it, when not its own
    parent: str | None = None


@dataclass
class Departments:
    """The departments table with its lookups: (plan jurisdiction, written form) -> department."""

    by_id: dict[str, Department] = field(default_factory=dict)
    _by_written: dict[tuple[str, str], Department] = field(default_factory=dict)
    duplicate_ids: list[str] = field(default_factory=list)
    _keys: dict[tuple[str, tuple[str, ...], bool], tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, departments: Iterable[Department]) -> Departments:
        """Index a list of departments (a written form listed twice in one jurisdiction keeps the first)."""
        table = cls()
        for department in departments:
            if department.id in table.by_id:
                table.duplicate_ids.append(department.id)
            table.by_id.setdefault(department.id, department)
            for place in department.written_in or [department.jurisdiction]:
                for written in department.written:
                    table._by_written.setdefault((place, written), department)
        return table

    def department_of(self, jurisdiction: str, written: str) -> Department | None:
        """The department a plan of ``jurisdiction`` means by ``written``, or None when the table does not list it."""
        return self._by_written.get((jurisdiction, written))

    def top(self, department: Department) -> Department:
        """The department itself, or the body it belongs to (a division's bureau)."""
        seen = set()
        while department.parent and department.parent in self.by_id and department.id not in seen:
            seen.add(department.id)
            department = self.by_id[department.parent]
        return department

    def keys(self, jurisdiction: str, lead_units: Sequence[str], divisions: bool = False) -> tuple[str, ...]:
        """Roll-up keys (canonical short names) of a target's lead units; each department once, in written order.

        ``divisions=False`` counts a division under its top department; True keeps the division itself. A name the
        table does not know stays as written (a foreign catalogue still rolls up), no lead unit gives UNLISTED.
        """
        memo_key = (jurisdiction, tuple(lead_units), divisions)
        cached = self._keys.get(memo_key)
        if cached is not None:
            return cached
        keys: list[str] = []
        for written in lead_units:
            department = self.department_of(jurisdiction, written)
            if department is None:
                key = written
            else:
                key = (department if divisions else self.top(department)).short
            if key not in keys:
                keys.append(key)
        result = tuple(keys) or (UNLISTED,)
        self._keys[memo_key] = result
        return result

    def labels(self, lang: str) -> dict[str, str]:
        """Roll-up key -> the name shown in ``lang`` (the short name in Chinese, the English name otherwise)."""
        from indicators.i18n import t

        labels = {d.short: (d.short if lang == "zh" else d.en) for d in self.by_id.values()}
        labels[UNLISTED] = t("attention.unlisted", lang)
        return labels

    def divisions_of(self, short: str) -> list[Department]:
        """The departments directly under the one whose short name is ``short`` (the next click down)."""
        parent = next((d for d in self.by_id.values() if d.short == short), None)
        if parent is None:
            return []
        return [d for d in self.by_id.values() if d.parent == parent.id]


def parse(raw: object) -> list[Department]:
    """The ``departments:`` list of the catalogue YAML as models (pydantic raises on a malformed entry)."""
    return [Department.model_validate(item) for item in (raw or [])]


_CACHE: dict[tuple[str, int], Departments] = {}


def table_for(path: Path | None = None) -> Departments:
    """The departments table of the catalogue file (config's default), re-read only when the file changes.

    The read model groups a province's targets by department on every status call; parsing the whole catalogue each
    time would cost more than the grouping, so the table is kept per (path, modification time).
    """
    from indicators import config  # here, not at import: config reads the environment

    path = Path(path or config.targets_path())
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return Departments()
    key = (str(path), stamp)
    table = _CACHE.get(key)
    if table is None:
        data = safe_load(path.read_text(encoding="utf-8")) or {}
        table = Departments.of(parse(data.get("departments") if isinstance(data, dict) else None))
        _CACHE.clear()
        _CACHE[key] = table
    return table
