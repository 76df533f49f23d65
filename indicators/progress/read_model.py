"""Progress from the store: the lookup's rows (store.lookup) judged by the rules over whole columns (vector).

``compute`` gives every target's TargetInfo and Progress as sequences built from columns: an item is made the first
time it is read, so a roll-up or a count over a province of 38,000 targets never builds 76,000 objects; the rules
run once over numpy arrays. The scalar rules (rules.py) stay the reference (a property test holds both equal).
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain

import numpy as np
import pandas as pd
from sqlalchemy.engine import Connection, Engine

from indicators import progress, store
from indicators.catalogue import departments
from indicators.catalogue.departments import Departments
from indicators.progress import Progress, TargetSpec, Thresholds, vector
from indicators.progress.rollup import ResultColumns, rollup_codes, rollup_columns
from indicators.store.lookup import TARGET_COLUMNS as _TARGET_COLUMNS
from indicators.store.lookup import LookupFrame, explain_lookup, lookup_sql
from indicators.text.units import UnitError, convert

ROLLUPS = ("sector", "unit", "jurisdiction", "plan")  # also "division": the 002 plan's divisions, not their bureau
__all__ = ["ROLLUPS", "TargetInfo", "compute", "explain_lookup", "lookup_sql", "load_targets", "rollups",
           "rollups_by", "group_keys", "department_keys", "observed_months", "series"]


@dataclass(slots=True)
class TargetInfo:
    """A target as the dashboard needs it: the spec for the rules plus what groups and labels it."""

    spec: TargetSpec
    plan_id: str
    jurisdiction: str
    sector: str
    lead_units: tuple[str, ...]
    name: str
    name_en: str
    clause: str
    frequency: str = "monthly"  # reporting frequency (DESIGN §9)
    reporter: str | None = None  # the catalogue's named reporter (None: the first lead unit)


_WIDTH = len(_TARGET_COLUMNS)


def _baseline(baseline: float | None, baseline_unit: str | None, unit: str) -> float | None:
    """A plan's baseline in the target's own unit (None when it cannot be converted)."""
    if baseline is not None and baseline_unit and baseline_unit != unit:
        try:
            return convert(baseline, baseline_unit, unit)
        except UnitError:
            return None
    return baseline


class _Decoder:
    """Per-call decoding state: JSON texts decoded once each, plan starts, converted baselines."""

    def __init__(self, plan_starts: dict[str, str]):
        self.plan_starts = plan_starts
        self.json: dict[str | None, tuple | None] = {None: None, "null": None, "[]": ()}

    def tuple_of(self, text: str | None) -> tuple | None:
        try:
            return self.json[text]
        except KeyError:
            value = self.json[text] = tuple(json.loads(text))
            return value

    def info(self, values: Sequence) -> TargetInfo:
        """TargetInfo from a row starting with _TARGET_COLUMNS (positional: this runs once per target)."""
        (target_id, plan_id, jurisdiction, sector, lead_units, name, name_en, clause, kind, comparator, value,
         value_max, unit, deadline, recurrence, baseline, baseline_unit, profile, quote, frequency, reporter,
         baseline_period, pacing) = values[:_WIDTH]
        baseline = _baseline(baseline, baseline_unit, unit)
        spec = TargetSpec(
            target_id, kind, comparator, value, unit, self.plan_starts[plan_id], deadline, value_max, recurrence,
            baseline, kind == "level" and any(w in quote for w in progress.HOLD_WORDS), self.tuple_of(profile),
            name, name_en, pacing, baseline_period,
        )
        return TargetInfo(spec, plan_id, jurisdiction, sector, self.tuple_of(lead_units) or (), name, name_en, clause,
                          frequency or "monthly", reporter)


def load_targets(conn: Connection, plan_ids: Sequence[str] | None = None,
                 jurisdictions: Sequence[str] | None = None) -> list[TargetInfo]:
    """Live (not retired) targets, optionally of some plans / jurisdictions, in id order."""
    decoder = _Decoder(store.plan_starts(conn))
    # SQLAlchemy decodes the JSON columns here: encode them back for the shared decoder (a handful of calls)
    return [decoder.info((*row[:4], json.dumps(row[4]), *row[5:17], None if row[17] is None else json.dumps(row[17]),
                          *row[18:])) for row in store.live_target_rows(conn, plan_ids, jurisdictions)]


@contextmanager
def no_cyclic_gc():
    """Pause the cyclic garbage collector while a province's objects are built (none of them forms a cycle).

    Building 100,000 objects triggers its full passes, each walking every object of a server process that holds
    caches: measured at half the time of a roll-up. It runs on its own schedule again afterwards.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


class _BuiltOnRead(Sequence):
    """A sequence whose items are built the first time each is read (``_build``): at 38k targets most are never read,
    roll-ups take the columns."""

    def __init__(self, length: int):
        self._items: list = [None] * length

    def _build(self, index: int):
        raise NotImplementedError

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        item = self._items[index]
        if item is None:
            item = self._items[index] = self._build(index)
        return item

    def __iter__(self) -> Iterator:
        return (self[i] for i in range(len(self)))


class TargetList(_BuiltOnRead):
    """The targets of a lookup in id order, each TargetInfo built the first time it is read."""

    def __init__(self, frame: LookupFrame, decoder: _Decoder):
        super().__init__(len(frame))
        self.frame = frame
        self._decoder = decoder

    def _build(self, index: int) -> TargetInfo:
        return self._decoder.info(self.frame.row(index))

    def column(self, name: str) -> np.ndarray:
        """One column of the targets (store.lookup's names: ``sector``, ``jurisdiction``, ``plan_id`` ...)."""
        return self.frame[name]

    def coded(self, name: str) -> vector.Coded:
        """A text column as codes into its distinct values, taken once per column (LookupFrame.codes)."""
        return vector.Coded(*self.frame.codes(name))


class ProgressList(_BuiltOnRead):
    """Every target's Progress in the order of its TargetList, each built from the columns the first time it is
    read; roll-ups read the columns themselves."""

    def __init__(self, columns: vector.Columns, targets: TargetList, as_of: str):
        super().__init__(len(targets))
        self.columns = columns
        self.targets = targets
        self.as_of = as_of
        self._periods = targets.frame["latest_period"]
        self._rollup_columns: ResultColumns | None = None

    def _build(self, index: int) -> Progress:
        return self.columns.progress(index, self.targets[index].spec, self.as_of, self._periods)

    def rollup_columns(self) -> ResultColumns:
        """The columns roll-ups read (rollup.ResultColumns.of), taken from the rules' columns, once."""
        if self._rollup_columns is None:
            self._rollup_columns = ResultColumns.from_arrays(
                self.columns.status, self.columns.completion, self.columns.behind,
                self.targets.column("id"))
        return self._rollup_columns


def _inputs(targets: TargetList, plan_starts: dict[str, str]) -> vector.Inputs:
    """The rules' input columns from the lookup's columns: each text column coded once (TargetList.coded), each
    distinct unit, plan, month, quote and profile text handled once."""
    frame, coded = targets.frame, targets.coded
    kind, unit = coded("kind"), coded("unit")
    starts = dict(zip(plan_starts, vector.months_of(list(plan_starts.values())).tolist(), strict=True))
    baseline = np.array(frame["baseline_value"], dtype=float)
    units = coded("baseline_unit")
    for i in np.flatnonzero(~np.isnan(baseline) & units.map(bool, bool)).tolist():  # a baseline in another unit
        converted = _baseline(float(baseline[i]), units.values[units.codes[i]], unit.values[unit.codes[i]])
        baseline[i] = np.nan if converted is None else converted
    level = kind.map(lambda k: k == "level", bool)
    quotes = frame["quote"][level]
    holding = {quote: any(word in quote for word in progress.HOLD_WORDS) for quote in set(quotes)}
    holds = np.zeros(len(level), dtype=bool)
    holds[level] = np.fromiter(map(holding.__getitem__, quotes), dtype=bool, count=len(quotes))
    texts, decode = coded("profile"), targets._decoder.tuple_of  # most targets have none (NULL, 'null' or '[]')
    profiled = texts.map(lambda text: bool(decode(text)), bool)
    profiles = {i: decode(texts.values[texts.codes[i]]) for i in np.flatnonzero(profiled).tolist()}
    yearly = coded("recurrence").map(lambda r: r == "yearly", bool)
    first = vector.months_of(coded("first_period"))
    first[yearly] = -1  # a yearly target's first value of *this* year is not needed (it is never a level baseline)
    return vector.Inputs(
        kind=kind, comparator=coded("comparator"), value=np.array(frame["value"], dtype=float),
        count_unit=unit.map(progress.is_count_unit, bool), start=coded("plan_id").map(starts.__getitem__, np.int64),
        deadline=vector.months_of(coded("deadline")), yearly=yearly, baseline=baseline,
        baseline_period=vector.months_of(coded("baseline_period")), holds_level=holds,
        profiles=profiles, pacing=coded("pacing"), frequency=coded("frequency"),
        latest=vector.months_of(coded("latest_period")), latest_value=np.array(frame["latest_value"], dtype=float),
        first=first, first_value=np.array(frame["first_value"], dtype=float),
    )


def compute(engine: Engine, as_of: str, plan_ids: Sequence[str] | None = None,
            jurisdictions: Sequence[str] | None = None,
            thresholds: Thresholds | None = None) -> tuple[TargetList, ProgressList]:
    """Every live target's progress as of a month (optionally for some plans or jurisdictions), in target id order:
    the lookup once, the rules over whole columns, items built when read."""
    thresholds = thresholds or progress.load_thresholds()
    # the collector paused: the 38,000 fetched rows become column arrays and are freed before it ever walks them
    with no_cyclic_gc(), engine.connect() as conn:
        plan_starts = store.plan_starts(conn)
        frame = store.fetch_lookup(conn, as_of, plan_ids, jurisdictions)
    targets = TargetList(frame, _Decoder(plan_starts))
    with no_cyclic_gc():
        columns = vector.evaluate(_inputs(targets, plan_starts), as_of, thresholds)
    return targets, ProgressList(columns, targets, as_of)


def _aligned_keys(infos: Sequence[TargetInfo], by: str) -> list[tuple[str, ...]]:
    """The roll-up keys of each target, in the order of ``infos`` (`unit` gives every lead unit of a target)."""
    if isinstance(infos, TargetList):
        return _column_keys(infos, by)
    if by == "sector":
        return [(i.sector,) for i in infos]
    if by in ("unit", "division"):
        table = departments.table_for()  # memoises the keys of each (jurisdiction, lead units)
        return [table.keys(i.jurisdiction, i.lead_units, by == "division") for i in infos]
    if by == "jurisdiction":
        return [(i.jurisdiction,) for i in infos]
    if by == "plan":
        return [(i.plan_id,) for i in infos]
    raise ValueError(f"unknown roll-up {by!r}; one of {', '.join(ROLLUPS)}")


def _column_keys(targets: TargetList, by: str) -> list[tuple[str, ...]]:
    """_aligned_keys from the lookup's columns (no TargetInfo built; each (jurisdiction, lead units) looked up once)."""
    if by in ("sector", "jurisdiction", "plan"):
        return [(key,) for key in targets.column("plan_id" if by == "plan" else by)]
    if by in ("unit", "division"):
        return department_keys_aligned(targets, departments.table_for(), by == "division")
    raise ValueError(f"unknown roll-up {by!r}; one of {', '.join(ROLLUPS)}")


def group_keys(infos: Sequence[TargetInfo], by: str) -> dict[str, tuple[str, ...]]:
    """target id -> the roll-up keys it belongs to (`unit` gives every lead unit of a target)."""
    return dict(zip((i.spec.id for i in infos), _aligned_keys(infos, by), strict=True))


def department_keys_aligned(infos: Sequence[TargetInfo], table: Departments,
                            divisions: bool = False) -> list[tuple[str, ...]]:
    """Each target's lead units' canonical departments, in the order of ``infos`` (from the lookup's columns when
    ``infos`` is compute's list: each (jurisdiction, lead units) looked up once, no TargetInfo built)."""
    if not isinstance(infos, TargetList):
        return [table.keys(i.jurisdiction, i.lead_units, divisions) for i in infos]
    decode, memo, keys = infos._decoder.tuple_of, {}, []
    for place in zip(infos.column("jurisdiction"), infos.column("lead_units"), strict=True):
        found = memo.get(place)
        if found is None:
            found = memo[place] = table.keys(place[0], decode(place[1]) or (), divisions)
        keys.append(found)
    return keys


def department_keys(infos: Sequence[TargetInfo], divisions: bool = False,
                    table: Departments | None = None) -> dict[str, tuple[str, ...]]:
    """target id -> its lead units' canonical departments (a division under its bureau unless ``divisions``)."""
    table = table if table is not None else departments.table_for()
    return {i.spec.id: table.keys(i.jurisdiction, i.lead_units, divisions) for i in infos}


def _department_members(targets: TargetList, divisions: bool) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The lead-unit (or division) roll-up's memberships as rollup_codes takes them: member m puts target ``rows[m]``
    in group ``names[codes[m]]``, a target's departments in their order. Each distinct (jurisdiction, lead units)
    is looked up once; the memberships are spread over the targets with numpy, no Python step per target."""
    table, decode = departments.table_for(), targets._decoder.tuple_of
    places, place_names = targets.frame.codes("jurisdiction")
    leads, lead_texts = targets.frame.codes("lead_units")
    lead_texts = [None, *lead_texts]  # a NULL's code −1 becomes 0: no lead unit
    pairs, distinct = pd.factorize(places * len(lead_texts) + leads + 1)
    keys = [table.keys(place_names[pair // len(lead_texts)], decode(lead_texts[pair % len(lead_texts)]) or (),
                       divisions) or ("—",) for pair in distinct.tolist()]
    flat, names = pd.factorize(pd.Series(list(chain.from_iterable(keys)), dtype=object), sort=True)
    widths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    lengths = widths[pairs]  # how many groups each target belongs to
    rows = np.repeat(np.arange(len(pairs)), lengths)
    # member m is its target's key number m − (the target's first member), of its pair's keys starting at offsets
    offsets = np.cumsum(widths) - widths
    firsts = np.cumsum(lengths) - lengths
    codes = flat[np.repeat(offsets[pairs] - firsts, lengths) + np.arange(len(rows))]
    return rows, codes, names.tolist()


def _rollup(infos: Sequence[TargetInfo], results: Sequence[Progress], by: str,
            columns: ResultColumns) -> list[progress.Group]:
    if isinstance(infos, TargetList) and by in ("sector", "jurisdiction", "plan"):
        codes, names = infos.frame.codes("plan_id" if by == "plan" else by)
        if all(names) and (len(codes) == 0 or codes.min() >= 0):  # one key per target: the column's codes, sorted
            order = sorted(range(len(names)), key=names.__getitem__)
            rank = np.empty(len(names), dtype=np.int64)
            rank[order] = np.arange(len(names))
            return rollup_codes(results, np.arange(len(codes)), rank[codes], [names[i] for i in order], columns)
    if isinstance(infos, TargetList) and by in ("unit", "division") and len(infos):
        return rollup_codes(results, *_department_members(infos, by == "division"), columns)
    return rollup_columns(results, _aligned_keys(infos, by), columns)


def rollups_by(infos: Sequence[TargetInfo], results: Sequence[Progress], by: str) -> list[progress.Group]:
    """One roll-up (``by`` one of ROLLUPS or "division"), column-wise."""
    with no_cyclic_gc():
        return _rollup(infos, results, by, ResultColumns.of(results))


def rollups(infos: Sequence[TargetInfo], results: Sequence[Progress]) -> dict[str, list[progress.Group]]:
    """The four roll-ups of DESIGN §6 (``results`` in the order of ``infos``, as compute returns them)."""
    with no_cyclic_gc():
        columns = ResultColumns.of(results)
        return {by: _rollup(infos, results, by, columns) for by in ROLLUPS}


def observed_months(engine: Engine) -> list[str]:
    """Months that have at least one live value, oldest first (the UI's as-of choices)."""
    with engine.connect() as conn:
        return store.observed_months(conn)


def series(engine: Engine, target_id: str) -> dict[str, float]:
    """One target's resolved monthly values {YYYY-MM: value} (latest live revision per month)."""
    with engine.connect() as conn:
        return {period: value for (_, period), value in store.latest_values(conn, [target_id]).items()}
