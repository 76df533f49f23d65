"""Roll-ups of progress results by sector, lead unit, jurisdiction or plan; counts and laggards."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

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


def behind_schedule(groups: Sequence[Group]) -> list[Group]:
    """Groups ranked by how far behind schedule they are: most red+breached+missed first, then the mean shortfall
    against the time-adjusted expectation (not raw completion: a plan 25 % through its time is not behind at 25 %)."""
    return sorted(groups, key=lambda g: (-g.lagging, -g.mean_behind, g.key))


def rollup(results: Sequence[Progress], keys_of: Mapping[str, Sequence[str]]) -> list[Group]:
    """Group results by ``keys_of[target_id]`` (a target with two lead units counts in both groups)."""
    return rollup_aligned(results, [keys_of.get(r.target_id) for r in results])


def rollup_aligned(results: Sequence[Progress], keys: Sequence[Sequence[str] | None]) -> list[Group]:
    """Like rollup, with ``keys[i]`` the group keys of ``results[i]`` (no lookup by id: a province has 38,000)."""
    groups: dict[str, Group] = {}
    no_key = ("—",)
    for result, result_keys in zip(results, keys, strict=True):
        status, completion = result.status, result.completion
        lagging = status in LAGGING
        for key in result_keys or no_key:
            group = groups.get(key)
            if group is None:
                group = groups[key] = Group(key)
            group.counts[status] += 1
            if completion is not None:
                group.completions.append(completion)
            if result.actual is not None:
                group.behinds.append(result.behind)
            if lagging:
                group.laggards.append(result)
    for group in groups.values():
        group.laggards.sort(key=lambda p: (-p.behind, p.target_id))
    return sorted(groups.values(), key=lambda g: g.key)


def laggards(results: Iterable[Progress]) -> list[Progress]:
    """Red, breached and missed targets, the furthest behind first."""
    return sorted((r for r in results if r.status in LAGGING), key=lambda p: (-p.behind, p.target_id))


def status_counts(results: Iterable[Progress]) -> dict[str, int]:
    counts = defaultdict(int)
    for result in results:
        counts[result.status] += 1
    return {status: counts.get(status, 0) for status in STATUSES}
