"""Progress against targets: completion, expected trajectory, red/amber/green status and roll-ups (DESIGN §6).

Pure functions over plain data: no database, no streamlit. ``indicators.status`` feeds them from the store.

Direction: increment, level, growth and share targets are "more is better" unless their comparator is ``<=``/``<``
(e.g. 下降4% is growth -4 with ``<=``), caps are "less is better". ``~`` and ``range`` are met from the lower
bound (minus the ``~`` tolerance) upwards: doing more than 600个左右 is not a shortfall.
"""

from __future__ import annotations

import os
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

STATUSES = ("achieved", "green", "amber", "red", "breached", "no_data")
STATUS_ZH = {"achieved": "已完成", "green": "正常", "amber": "预警", "red": "滞后", "breached": "突破上限",
             "no_data": "无数据"}
STATUS_EN = {"achieved": "Achieved", "green": "On track", "amber": "At risk", "red": "Behind", "breached": "Breached",
             "no_data": "No data"}
DEFAULT_THRESHOLDS = Path(__file__).with_name("thresholds.toml")
HOLD_WORDS = ("保持", "稳定在", "稳定")


@dataclass(frozen=True)
class Thresholds:
    amber_share_of_expected: float = 0.80
    approx_tolerance: float = 0.05
    cap_red_projection: float = 1.05
    rate_amber_tolerance: float = 0.10


def load_thresholds(path: Path | None = None) -> Thresholds:
    """Thresholds from the package file, overridden by INDICATORS_THRESHOLDS or data/thresholds.toml when present."""
    values: dict[str, float] = {}
    candidates = [DEFAULT_THRESHOLDS, Path(__file__).resolve().parent.parent / "data" / "thresholds.toml"]
    if os.environ.get("INDICATORS_THRESHOLDS"):
        candidates.append(Path(os.environ["INDICATORS_THRESHOLDS"]))
    if path is not None:
        candidates.append(path)
    for candidate in candidates:
        if candidate.is_file():
            with candidate.open("rb") as handle:
                values.update(tomllib.load(handle))
    known = set(Thresholds.__dataclass_fields__)
    unknown = set(values) - known
    if unknown:
        raise ValueError(f"unknown threshold setting(s): {', '.join(sorted(unknown))}")
    return Thresholds(**{k: float(v) for k, v in values.items()})


@dataclass(slots=True)
class TargetSpec:
    """What progress needs to know about one target (values in the target's own unit)."""

    id: str
    kind: str  # increment | level | cap | growth | share
    comparator: str  # >= > <= < ~ range
    value: float
    unit: str
    start: str  # first month of the plan period, YYYY-MM
    deadline: str  # YYYY-MM
    value_max: float | None = None
    recurrence: str | None = None  # "yearly": the target applies to each calendar year
    baseline: float | None = None
    holds_level: bool = False  # worded 保持/稳定在: the level is expected every month
    profile: tuple[float, ...] | None = None  # cumulative share of a year's target expected by month 1..12
    name: str = ""
    name_en: str = ""


@dataclass(slots=True)
class Progress:
    """One target's progress as of a month. The explanation lines are built on demand (only shown rows need them)."""

    target_id: str
    as_of: str
    status: str
    actual: float | None
    actual_period: str | None
    expected: float | None
    completion: float | None
    behind: float  # how far behind, for sorting laggards (0 = on schedule or better)
    elapsed: int
    total: int
    spec: TargetSpec | None = None
    window_start: str = ""
    share: float = 0.0  # expected share of the target by now (increment)
    projected: float | None = None  # cap: use projected to the period's end

    @property
    def explanation_zh(self) -> str:
        return explain(self, "zh")

    @property
    def explanation_en(self) -> str:
        return explain(self, "en")

    def as_json(self) -> dict:
        """The shape of `status --json` (DESIGN §7)."""
        return {"target_id": self.target_id, "as_of": self.as_of, "actual": self.actual, "expected": self.expected,
                "completion": self.completion, "status": self.status}


# --- months ---------------------------------------------------------------------------------------------------------
@lru_cache(maxsize=8192)
def month_index(period: str) -> int:
    return int(period[:4]) * 12 + int(period[5:7]) - 1


def month_of(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def target_window(spec: TargetSpec, as_of: str) -> tuple[str, str]:
    """(first month, last month) of the period the target is judged over at ``as_of``."""
    if spec.recurrence == "yearly":
        year = min(max(as_of[:4], spec.start[:4]), spec.deadline[:4])
        return max(f"{year}-01", spec.start), min(f"{year}-12", spec.deadline)
    return spec.start, spec.deadline


def resolve_latest(revisions: Iterable[tuple[int, str, float, bool]]) -> dict[str, float]:
    """{period: value} from revisions (id, period, value, rolled_back): the latest live revision wins."""
    latest: dict[str, tuple[int, float]] = {}
    for revision_id, period, value, rolled_back in revisions:
        if rolled_back:
            continue
        if period not in latest or revision_id > latest[period][0]:
            latest[period] = (revision_id, value)
    return {period: value for period, (_, value) in latest.items()}


# --- one target ---------------------------------------------------------------------------------------------------
def evaluate(spec: TargetSpec, values: Mapping[str, float], as_of: str,
             thresholds: Thresholds = Thresholds()) -> Progress:
    """Progress of one target as of a month, from its resolved monthly values {YYYY-MM: value}."""
    first_month, last_month = target_window(spec, as_of)
    judged_to = min(as_of, last_month)
    in_window = sorted(p for p in values if first_month <= p <= judged_to)
    latest = (in_window[-1], values[in_window[-1]]) if in_window else None
    first = (in_window[0], values[in_window[0]]) if in_window else None
    return evaluate_points(spec, latest, first, as_of, thresholds)


def evaluate_points(spec: TargetSpec, latest: tuple[str, float] | None, first: tuple[str, float] | None,
                    as_of: str, thresholds: Thresholds = Thresholds()) -> Progress:
    """Progress from the latest value up to ``as_of`` and the first value of the period (used as a level's baseline)."""
    first_month, last_month = target_window(spec, as_of)
    total = month_index(last_month) - month_index(first_month) + 1
    elapsed = max(0, min(total, month_index(as_of) - month_index(first_month) + 1))
    if latest is not None and not (first_month <= latest[0] <= min(as_of, last_month)):
        latest = None  # e.g. last year's value of a yearly target
    if latest is None or elapsed == 0:
        return _no_data(spec, as_of, elapsed, total)
    period, actual = latest
    finished = as_of >= last_month
    rule = {"increment": _progressive, "level": _progressive, "cap": _cap}.get(spec.kind, _rate)
    if spec.comparator in ("<=", "<") and spec.kind != "cap":
        rule = _rate  # "lower is better" levels, shares and growth rates are judged against the target itself
    return rule(spec, period, actual, first, first_month, elapsed, total, finished, as_of, thresholds)


def _meets(spec: TargetSpec, actual: float, thresholds: Thresholds) -> bool:
    target = spec.value
    if spec.comparator == ">=" or spec.comparator == "range":
        return actual >= target - 1e-9
    if spec.comparator == ">":
        return actual > target
    if spec.comparator == "<=":
        return actual <= target + 1e-9
    if spec.comparator == "<":
        return actual < target
    # "~": met within the tolerance, from below; more is fine (direction from the kind)
    return actual >= target - thresholds.approx_tolerance * abs(target)


def _expected_share(spec: TargetSpec, elapsed: int, total: int) -> float:
    """Share of the period's target expected after ``elapsed`` of ``total`` months (profile or straight line)."""
    if spec.profile and total == 12 and len(spec.profile) == 12:
        return spec.profile[elapsed - 1]
    return elapsed / total


def _progressive(spec, period, actual, first, first_month, elapsed, total, finished, as_of, thresholds) -> Progress:
    """increment and level: 时间过半、任务过半 — on schedule when done in proportion to the time elapsed."""
    target = spec.value
    base, share = 0.0, _expected_share(spec, elapsed, total)
    if spec.kind == "level":
        if spec.holds_level:
            base, share = 0.0, 1.0
        elif spec.baseline is not None:
            base = spec.baseline
        elif first is not None:
            # no baseline in the plan: the first report is the starting point, and the trajectory runs from it
            base = first[1]
            start_index = month_index(first[0])
            span = month_index(spec.deadline if spec.recurrence != "yearly" else first_month[:4] + "-12") - start_index
            done = month_index(as_of) - start_index
            share = 1.0 if span <= 0 else max(0.0, min(1.0, done / span))
    span_value = target - base
    expected = base + span_value * share
    completion = (actual - base) / span_value if span_value else (1.0 if _meets(spec, actual, thresholds) else 0.0)
    progress_needed = expected - base
    progress_made = actual - base
    if _meets(spec, actual, thresholds):
        status = "achieved"
    elif finished:
        status = "red"
    elif progress_made >= progress_needed - 1e-9:
        status = "green"
    elif progress_made >= thresholds.amber_share_of_expected * progress_needed:
        status = "amber"
    else:
        status = "red"
    behind = 0.0 if progress_needed <= 0 else max(0.0, 1 - progress_made / progress_needed)
    if status == "red" and finished:
        behind = max(behind, 1 - completion)
    return Progress(spec.id, as_of, status, actual, period, round(expected, 6), round(completion, 6), behind,
                    elapsed, total, spec, first_month, share)


def _cap(spec, period, actual, first, first_month, elapsed, total, finished, as_of, thresholds) -> Progress:
    """cap: a ceiling on use; lower is better; the projection to the period's end decides red/amber early."""
    cap = spec.value
    expected = cap * _expected_share(spec, elapsed, total)
    completion = actual / cap if cap else 0.0
    projected = actual * total / elapsed
    if actual > cap or (spec.comparator == "<" and actual >= cap):
        status = "breached"
    elif finished:
        status = "achieved"
    elif projected > cap * thresholds.cap_red_projection:
        status = "red"
    elif projected > cap:
        status = "amber"
    else:
        status = "green"
    behind = max(0.0, projected / cap - 1) if cap else 0.0
    return Progress(spec.id, as_of, status, actual, period, round(expected, 6), round(completion, 6), behind,
                    elapsed, total, spec, first_month, elapsed / total, projected)


def _rate(spec, period, actual, first, first_month, elapsed, total, finished, as_of, thresholds) -> Progress:
    """growth and share (and lower-is-better levels): judged against the target itself every month."""
    target = spec.value
    tolerance = thresholds.rate_amber_tolerance * abs(target) if target else thresholds.rate_amber_tolerance
    lower_is_better = spec.comparator in ("<=", "<")
    if _meets(spec, actual, thresholds):
        status = "achieved" if finished else "green"
        gap = 0.0
    else:
        gap = (actual - target) if lower_is_better else (target - actual)
        status = "amber" if gap <= tolerance and not finished else "red"
    completion = actual / target if target else None
    behind = max(0.0, gap / abs(target)) if target else max(0.0, gap)
    return Progress(spec.id, as_of, status, actual, period, target, None if completion is None else round(completion, 6),
                    behind, elapsed, total, spec, first_month)


def _no_data(spec: TargetSpec, as_of: str, elapsed: int, total: int) -> Progress:
    return Progress(spec.id, as_of, "no_data", None, None, None, None, 0.0, elapsed, total, spec)


# --- wording ------------------------------------------------------------------------------------------------------
def format_number(value: float) -> str:
    """1320 -> '1,320'; 1.3200 -> '1.32'."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _months_text(first_month: str, period: str) -> tuple[str, str]:
    if first_month[:4] == period[:4]:
        zh = f"{int(first_month[5:])}–{int(period[5:])}月" if first_month != period else f"{int(period[5:])}月"
    else:
        zh = f"{first_month[:4]}年{int(first_month[5:])}月–{period[:4]}年{int(period[5:])}月"
    return zh, f"{first_month}..{period}"


def _comparator_zh(spec: TargetSpec) -> str:
    return {">=": "不低于", ">": "超过", "<=": "不超过", "<": "低于", "~": "约", "range": ""}.get(spec.comparator, "")


def explain(result: Progress, lang: str = "zh") -> str:
    """The one-line explanation of a result, e.g. "1–6月累计1,320个，应完成1,250个（50%），完成率52.8%"."""
    spec, zh = result.spec, lang == "zh"
    if result.actual is None or spec is None:
        return f"截至{result.as_of}尚无上报数据" if zh else f"no value reported up to {result.as_of}"
    actual, period, unit, completion = result.actual, result.actual_period, spec.unit, result.completion
    months_zh, months_en = _months_text(result.window_start, period)
    rate_rule = spec.kind in ("growth", "share") or (spec.comparator in ("<=", "<") and spec.kind != "cap")
    if rate_rule:
        word = {"growth": "同比增长"}.get(spec.kind, "")
        done = "" if completion is None else (f"，完成率{completion:.1%}" if zh else f" ({completion:.1%})")
        target = format_number(spec.value)
        if zh:
            return f"截至{int(period[5:])}月{word}{format_number(actual)}{unit}，目标{_comparator_zh(spec)}{target}{unit}{done}"
        return f"as of {period}: {format_number(actual)} {unit} against a target of {spec.comparator} {target} {unit}{done}"
    if spec.kind == "cap":
        if zh:
            return (f"{months_zh}累计{format_number(actual)}{unit}，按进度不超过{format_number(result.expected)}{unit}，"
                    f"预计全期{format_number(result.projected)}{unit}（上限{format_number(spec.value)}{unit}），使用率{completion:.1%}")
        return (f"{months_en} cumulative {format_number(actual)} {unit}; pro-rata ceiling {format_number(result.expected)}; projected "
                f"{format_number(result.projected)} against the cap of {format_number(spec.value)} ({completion:.1%} used)")
    if spec.kind == "level":
        if zh:
            return (f"{int(period[5:])}月末{format_number(actual)}{unit}，按进度应达到{format_number(result.expected)}{unit}，"
                    f"目标{format_number(spec.value)}{unit}，完成率{completion:.1%}")
        return (f"end of {period}: {format_number(actual)} {unit}; expected {format_number(result.expected)} by now, target "
                f"{format_number(spec.value)} ({completion:.1%})")
    if zh:
        return (f"{months_zh}累计{format_number(actual)}{unit}，应完成{format_number(result.expected)}{unit}（{result.share:.0%}），"
                f"完成率{completion:.1%}")
    return (f"{months_en} cumulative {format_number(actual)} {unit}; expected {format_number(result.expected)} ({result.share:.0%}); "
            f"completion {completion:.1%}")


# --- roll-ups -----------------------------------------------------------------------------------------------------
@dataclass
class Group:
    """One roll-up group (a sector, a lead unit, a jurisdiction or a plan)."""

    key: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    completions: list[float] = field(default_factory=list)
    laggards: list[Progress] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def mean_completion(self) -> float | None:
        """Mean completion over targets with data, each capped at 100 % so one overshoot cannot hide a laggard."""
        if not self.completions:
            return None
        return sum(min(1.0, max(0.0, c)) for c in self.completions) / len(self.completions)


def rollup(results: Sequence[Progress], keys_of: Mapping[str, Sequence[str]]) -> list[Group]:
    """Group results by ``keys_of[target_id]`` (a target with two lead units counts in both groups)."""
    return rollup_aligned(results, [keys_of.get(r.target_id) for r in results])


def rollup_aligned(results: Sequence[Progress], keys: Sequence[Sequence[str] | None]) -> list[Group]:
    """Like rollup, with ``keys[i]`` the group keys of ``results[i]`` (no lookup by id: a province has 38,000)."""
    groups: dict[str, Group] = {}
    no_key = ("—",)
    for result, result_keys in zip(results, keys, strict=True):
        status, completion = result.status, result.completion
        lagging = status == "red" or status == "breached"
        for key in result_keys or no_key:
            group = groups.get(key)
            if group is None:
                group = groups[key] = Group(key)
            group.counts[status] += 1
            if completion is not None:
                group.completions.append(completion)
            if lagging:
                group.laggards.append(result)
    for group in groups.values():
        group.laggards.sort(key=lambda p: (-p.behind, p.target_id))
    return sorted(groups.values(), key=lambda g: g.key)


def laggards(results: Iterable[Progress]) -> list[Progress]:
    """Red and breached targets, the furthest behind first."""
    return sorted((r for r in results if r.status in ("red", "breached")), key=lambda p: (-p.behind, p.target_id))


def status_counts(results: Iterable[Progress]) -> dict[str, int]:
    counts = defaultdict(int)
    for result in results:
        counts[result.status] += 1
    return {status: counts.get(status, 0) for status in STATUSES}
