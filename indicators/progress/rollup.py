"""Roll-ups of progress results by sector, lead unit, jurisdiction or plan; counts and laggards."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
import pandas as pd

from indicators.progress.rules import LAGGING, STATUSES, Progress


# --- roll-ups -----------------------------------------------------------------------------------------------------
@dataclass
class Group:
    """One roll-up group (a sector, a lead unit, a jurisdiction or a plan)."""

    key: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    completions: list[float] = field(default_factory=list)
    laggards: list[Progress] = field(default_factory=list)
    behinds: list[float] = field(default_factory=list)  # how far behind schedule each target with data is (0 = on it)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def mean_completion(self) -> float | None:
        """Mean completion over targets with data, each capped at 100 % so one overshoot cannot hide a laggard."""
        if not self.completions:
            return None
        return sum(min(1.0, max(0.0, c)) for c in self.completions) / len(self.completions)

    @property
    def lagging(self) -> int:
        """Targets a leader must act on: red, breached and missed."""
        return sum(self.counts[s] for s in LAGGING)

    @property
    def mean_behind(self) -> float:
        """Mean shortfall against the schedule (1 − progress made / progress expected, 0 when on or ahead of it)."""
        return sum(min(1.0, b) for b in self.behinds) / len(self.behinds) if self.behinds else 0.0


class Picked(Sequence[Progress]):
    """Some results of a result list, by index, in the given order: read_model's lists build a result only when it
    is read, and a group's laggards are many at province scale."""

    def __init__(self, results: Sequence[Progress], indexes: Sequence[int]):
        self._results = results
        self._indexes = indexes

    def __len__(self) -> int:
        return len(self._indexes)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._results[i] for i in self._indexes[index]]
        return self._results[self._indexes[index]]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)


def behind_schedule(groups: Sequence[Group]) -> list[Group]:
    """Groups ranked by how far behind schedule they are: most red+breached+missed first, then the mean shortfall
    against the time-adjusted expectation (not raw completion: a plan 25 % through its time is not behind at 25 %)."""
    return sorted(groups, key=lambda g: (-g.lagging, -g.mean_behind, g.key))


def rollup(results: Sequence[Progress], keys_of: Mapping[str, Sequence[str]]) -> list[Group]:
    """Group results by ``keys_of[target_id]`` (a target with two lead units counts in both groups)."""
    return rollup_aligned(results, [keys_of.get(r.target_id) for r in results])


def rollup_aligned(results: Sequence[Progress], keys: Sequence[Sequence[str] | None]) -> list[Group]:
    """Like rollup, with ``keys[i]`` the group keys of ``results[i]`` (no lookup by id: a province has 38,000)."""
    return rollup_columns(results, keys, ResultColumns.of(results))


@dataclass(frozen=True)
class ResultColumns:
    """The columns of a result list that roll-ups read, taken once and shared by every roll-up of the same list."""

    statuses: np.ndarray  # index into STATUSES of each result
    completions: np.ndarray  # NaN where a result has no completion
    behinds: np.ndarray  # NaN where a result has no actual value
    lagging: np.ndarray  # indexes of the red and breached results, the furthest behind first

    @classmethod
    def of(cls, results: Sequence[Progress]) -> ResultColumns:
        """The columns of a result list (read_model's lists hand over the rules' columns instead of each result)."""
        prepared = getattr(results, "rollup_columns", None)
        if prepared is not None:
            return prepared()
        code = {status: i for i, status in enumerate(STATUSES)}
        statuses = np.fromiter((code[r.status] for r in results), dtype=np.int64, count=len(results))
        completions = np.array([r.completion for r in results], dtype=float)  # None becomes NaN
        behinds = np.array([np.nan if r.actual is None else r.behind for r in results], dtype=float)
        lagging = np.flatnonzero(np.isin(statuses, [code[s] for s in LAGGING])).tolist()
        lagging.sort(key=lambda i: (-results[i].behind, results[i].target_id))
        return cls(statuses, completions, behinds, np.array(lagging, dtype=np.int64))

    @classmethod
    def from_arrays(cls, statuses: np.ndarray, completions: np.ndarray, behind: np.ndarray,
                    target_ids: Sequence[str]) -> ResultColumns:
        """The columns from whole arrays: status codes, completions (NaN for none), behind, target ids."""
        no_data = STATUSES.index("no_data")
        lagging = np.flatnonzero(np.isin(statuses, [STATUSES.index(s) for s in LAGGING]))
        # furthest behind first, then by target id (Python's order of texts, whatever the database's collation):
        # ids that already come in that order (SQLite's and a C-collation PostgreSQL's ORDER BY id) are not sorted
        ids = np.asarray(target_ids, dtype=object)[lagging]
        if len(ids) < 2 or bool((ids[1:] > ids[:-1]).all()):
            order = np.argsort(-behind[lagging], kind="stable")  # ties keep their (id) order
        else:
            order = np.lexsort((ids.astype(str), -behind[lagging]))
        return cls(statuses, completions, np.where(statuses == no_data, np.nan, behind), lagging[order])


def rollup_columns(results: Sequence[Progress], keys: Sequence[Sequence[str] | None],
                   columns: ResultColumns) -> list[Group]:
    """rollup_aligned over prepared columns: whole columns grouped at once (numpy), no Python step per result."""
    if len(keys) != len(results):
        raise ValueError(f"{len(keys)} key lists for {len(results)} results")
    no_key = ("—",)
    keys = [k or no_key for k in keys]
    lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    rows = np.repeat(np.arange(len(keys)), lengths)  # a target with two lead units counts in both groups
    codes, names = pd.factorize(pd.Series(list(chain.from_iterable(keys)), dtype=object), sort=True)
    return rollup_codes(results, rows, codes, names.tolist(), columns)


def rollup_codes(results: Sequence[Progress], rows: np.ndarray, codes: np.ndarray, names: list[str],
                 columns: ResultColumns) -> list[Group]:
    """The roll-up of group memberships given as arrays: member m puts result ``rows[m]`` in group ``names[codes[m]]``
    (``names`` sorted; a target with one key per row has rows = 0..n−1, no key lists built)."""
    width = len(STATUSES)
    counts = np.bincount(codes * width + columns.statuses[rows], minlength=len(names) * width).reshape(-1, width)
    # members of each group in result order: a stable sort by group code, then one split per group
    order = np.argsort(codes, kind="stable")
    bounds = np.cumsum(np.bincount(codes, minlength=len(names)))[:-1]
    completions = np.split(columns.completions[rows[order]], bounds)
    behinds = np.split(columns.behinds[rows[order]], bounds)
    # laggards of each group keep the global furthest-behind-first order
    lagging_rank = np.full(len(results), -1, dtype=np.int64)
    lagging_rank[columns.lagging] = np.arange(len(columns.lagging))
    member_rank = lagging_rank[rows]
    laggard_members = np.flatnonzero(member_rank >= 0)
    laggard_members = laggard_members[np.lexsort((member_rank[laggard_members], codes[laggard_members]))]
    laggard_bounds = np.searchsorted(codes[laggard_members], np.arange(1, len(names)))
    laggard_rows = np.split(rows[laggard_members], laggard_bounds)
    groups = []
    for index, name in enumerate(names):
        group = Group(name, dict(zip(STATUSES, counts[index].tolist(), strict=True)))
        values = completions[index]
        group.completions = values[~np.isnan(values)].tolist()
        values = behinds[index]
        group.behinds = values[~np.isnan(values)].tolist()
        group.laggards = Picked(results, laggard_rows[index].tolist())  # type: ignore[assignment]
        groups.append(group)
    return groups


def laggards(results: Iterable[Progress]) -> list[Progress]:
    """Red, breached and missed targets, the furthest behind first."""
    return sorted((r for r in results if r.status in LAGGING), key=lambda p: (-p.behind, p.target_id))


def overall(results: Sequence[Progress]) -> Group:
    """Every result in one group, ``all`` (the overview's tiles), column-wise."""
    return rollup_codes(results, np.arange(len(results)), np.zeros(len(results), dtype=np.int64), ["all"],
                        ResultColumns.of(results))[0]


def status_counts(results: Iterable[Progress]) -> dict[str, int]:
    """How many results have each status (read_model's lists count their status column, building no result)."""
    if hasattr(results, "rollup_columns"):
        counts = np.bincount(ResultColumns.of(results).statuses, minlength=len(STATUSES))  # type: ignore[arg-type]
        return dict(zip(STATUSES, counts.tolist(), strict=True))
    counts = defaultdict(int)
    for result in results:
        counts[result.status] += 1
    return {status: counts.get(status, 0) for status in STATUSES}
