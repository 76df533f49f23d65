"""The pure progress rules of DESIGN §6: per kind, completion, expected value and red/amber/green status."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from indicators import config
from indicators.months import month_index
from indicators.progress.explain import explain

STATUSES = ("achieved", "green", "amber", "red", "breached", "no_data")
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
    values = config.layered_toml(DEFAULT_THRESHOLDS, "INDICATORS_THRESHOLDS", path)
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
    reported: bool = True  # the report for as_of is in, or none is owed (DESIGN §9); False: flagged 未报
    last_reported: str | None = None  # latest month with a live value up to as_of

    @property
    def explanation_zh(self) -> str:
        return explain(self, "zh")

    @property
    def explanation_en(self) -> str:
        return explain(self, "en")

    def as_json(self) -> dict:
        """The shape of `status --json` (DESIGN §7)."""
        return {"target_id": self.target_id, "as_of": self.as_of, "actual": self.actual, "expected": self.expected,
                "completion": self.completion, "status": self.status, "reported": self.reported,
                "last_reported": self.last_reported}


def target_window(spec: TargetSpec, as_of: str) -> tuple[str, str]:
    """(first month, last month) of the period the target is judged over at ``as_of``."""
    if spec.recurrence == "yearly":
        year = min(max(as_of[:4], spec.start[:4]), spec.deadline[:4])
        return max(f"{year}-01", spec.start), min(f"{year}-12", spec.deadline)
    return spec.start, spec.deadline


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
