"""The pure progress rules of DESIGN §6: per kind, completion, expected value and red/amber/green status."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from indicators import config
from indicators.months import make as make_month
from indicators.months import month_index, month_of, year_end
from indicators.months import year as year_of
from indicators.progress.explain import explain
from indicators.text.units import UnitError, parse_unit

STATUSES = ("achieved", "green", "amber", "red", "breached", "missed", "no_data")
LAGGING = ("red", "breached", "missed")  # the statuses a leader must act on
LAST_QUARTER = 0.75  # a milestone turns amber once this share of its period has elapsed
DEFAULT_THRESHOLDS = Path(__file__).with_name("thresholds.toml")
HOLD_WORDS = ("保持", "稳定在", "稳定")
COUNT_DIMENSIONS = {"[item]", "[organisation]", "[person]", "[person_visit]", "[household]", "[livestock]"}


@dataclass(frozen=True)
class Thresholds:
    amber_share_of_expected: float = 0.80
    approx_tolerance: float = 0.05
    cap_red_projection: float = 1.05
    rate_amber_tolerance: float = 0.10
    milestone_max_count: float = 3  # an increment of a count unit up to this value is paced as a milestone


def load_thresholds(path: Path | None = None) -> Thresholds:
    """Thresholds from the package file, overridden by INDICATORS_THRESHOLDS or data/thresholds.toml when present."""
    values = config.layered_toml(DEFAULT_THRESHOLDS, "INDICATORS_THRESHOLDS", path)
    known = set(Thresholds.__dataclass_fields__)
    unknown = set(values) - known
    if unknown:
        raise ValueError(f"unknown threshold setting(s): {', '.join(sorted(unknown))}")
    return Thresholds(**{k: float(v) for k, v in values.items()})  # type: ignore[arg-type]


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
    pacing: str | None = None  # "milestone" | "linear" from the catalogue; None: the default rule (is_milestone)
    baseline_period: str | None = None  # the month the baseline describes (a level's trend runs from it)


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
    projected: float | None = None  # the value projected for the deadline (None where the rules give none)
    reported: bool = True  # the report for as_of is in, or none is owed (DESIGN §9); False: flagged 未报
    last_reported: str | None = None  # latest month with a live value up to as_of
    milestone: bool = False
    finished: bool = False  # the as-of month is at or past the deadline: the status is a verdict

    @property
    def explanation_zh(self) -> str:
        return explain(self, "zh")

    @property
    def explanation_en(self) -> str:
        return explain(self, "en")

    def as_json(self) -> dict:
        """The shape of `status --json` (DESIGN §7)."""
        deadline = None if self.spec is None else target_window(self.spec, self.as_of)[1]
        return {"target_id": self.target_id, "as_of": self.as_of, "actual": self.actual, "expected": self.expected,
                "completion": self.completion, "status": self.status, "reported": self.reported,
                "last_reported": self.last_reported, "projected": self.projected, "deadline": deadline}


def target_window(spec: TargetSpec, as_of: str) -> tuple[str, str]:
    """(first month, last month) of the period the target is judged over at ``as_of``."""
    if spec.recurrence == "yearly":
        year = min(max(year_of(as_of), year_of(spec.start)), year_of(spec.deadline))
        return max(make_month(year, 1), spec.start), min(make_month(year, 12), spec.deadline)
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
    """Progress from the latest value up to ``as_of`` and the first value of the period (a level's baseline when the
    plan gives none; for growth and share it tells whether two months were reported)."""
    first_month, last_month = target_window(spec, as_of)
    total = month_index(last_month) - month_index(first_month) + 1
    elapsed = max(0, min(total, month_index(as_of) - month_index(first_month) + 1))
    if latest is not None and not (first_month <= latest[0] <= min(as_of, last_month)):
        latest = None  # e.g. last year's value of a yearly target
    if latest is None or elapsed == 0:
        return _no_data(spec, as_of, elapsed, total)
    period, actual = latest
    finished = as_of >= last_month  # the period is over: the status is a verdict, achieved or missed
    if is_milestone(spec, thresholds) or _small_level_step(spec, first, thresholds):
        rule = _milestone
    else:
        rule = {"increment": _progressive, "level": _progressive, "cap": _cap}.get(spec.kind, _rate)
        if spec.comparator in ("<=", "<") and spec.kind != "cap":
            rule = _rate  # "lower is better" levels, shares and growth rates are judged against the target itself
    result = rule(spec, period, actual, first, first_month, elapsed, total, finished, as_of, thresholds)
    result.finished = finished
    return result


@lru_cache(maxsize=256)
def is_count_unit(unit: str) -> bool:
    """True for units that count whole things one by one (个, 家, 所, 人 ...): their expected values are shown as whole
    numbers and a few of them may be a milestone. 万人 and 万个 count in ten-thousands: 2.5万个 is no fraction of a
    thing, and 3万人 (30,000 graduates) is no milestone."""
    try:
        parsed = parse_unit(unit)
    except UnitError:
        return False
    dimensions = dict(parsed.dimensionality)
    if not (len(dimensions) == 1 and next(iter(dimensions.values())) == 1 and next(iter(dimensions)) in COUNT_DIMENSIONS):
        return False
    return (1 * parsed).to_base_units().magnitude == 1  # one of the unit is one thing, not a multiple of things


def is_milestone(spec: TargetSpec, thresholds: Thresholds = Thresholds()) -> bool:
    """Paced as a milestone: the catalogue says so, or an increment of at most a few countable things (新建1所学校)."""
    if spec.pacing is not None:
        return spec.pacing == "milestone"
    return (spec.kind == "increment" and spec.comparator not in ("<=", "<")
            and 0 < spec.value <= thresholds.milestone_max_count and is_count_unit(spec.unit))


def _level_base(spec: TargetSpec, first: tuple[str, float] | None) -> float | None:
    """A level's starting point: the plan's baseline, else the first report of the period."""
    if spec.baseline is not None:
        return spec.baseline
    return first[1] if first is not None else None


def _small_level_step(spec: TargetSpec, first: tuple[str, float] | None, thresholds: Thresholds) -> bool:
    """A level of countable things that must rise by only a few (3 -> 4 industries over 1,000亿): a milestone too,
    never "应达到3.25个" (the default rule; `pacing:` in the catalogue wins)."""
    if spec.pacing is not None or spec.kind != "level" or spec.holds_level or spec.comparator in ("<=", "<"):
        return False
    base = _level_base(spec, first)
    return base is not None and 0 < spec.value - base <= thresholds.milestone_max_count and is_count_unit(spec.unit)


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


def expected_share(spec: TargetSpec, elapsed: int, total: int) -> float:
    """Share of the period's target expected after ``elapsed`` of ``total`` months (profile or straight line)."""
    if spec.profile and total == 12 and len(spec.profile) == 12:
        return spec.profile[elapsed - 1]
    return elapsed / total


def _months_to(first_month: str, period: str) -> int:
    """Months from the window's start up to and including ``period`` (1 for the first month)."""
    return month_index(period) - month_index(first_month) + 1


def _pace_projection(spec: TargetSpec, actual: float, period: str, first_month: str, total: int) -> float | None:
    """Increments and caps: the deadline value at the pace so far (profile-aware), from the month of the actual."""
    share = expected_share(spec, max(1, min(total, _months_to(first_month, period))), total)
    return actual / share if share > 0 else None


def _level_projection(spec: TargetSpec, actual: float, period: str, base: float, base_month: str,
                      last_month: str) -> float | None:
    """Levels: the straight trend from the baseline month through the latest value, continued to the deadline."""
    months = month_index(period) - month_index(base_month)
    if months <= 0:
        return None
    return actual + (actual - base) / months * (month_index(last_month) - month_index(period))


def _milestone(spec, period, actual, first, first_month, elapsed, total, finished, as_of, thresholds) -> Progress:
    """A milestone (新建1所学校): no fraction of a school is due; green until the last quarter, amber in it, then a
    verdict. Its projection is the value itself once met; before that a pace would only project a fraction."""
    target = spec.value
    met = _meets(spec, actual, thresholds)
    base = (_level_base(spec, first) or 0.0) if spec.kind == "level" else 0.0
    completion = (actual - base) / (target - base) if target != base else (1.0 if met else 0.0)
    late = elapsed > LAST_QUARTER * total
    if met:
        status = "achieved"
    elif finished:
        status = "missed"
    else:
        status = "amber" if late else "green"
    behind = 0.0 if status in ("achieved", "green") else max(0.0, 1 - completion)
    expected = target if finished else None
    return Progress(spec.id, as_of, status, actual, period, expected, round(completion, 6), behind, elapsed, total,
                    spec, first_month, 1.0 if finished else 0.0, actual if (met or finished) else None, milestone=True)


def _progressive(spec, period, actual, first, first_month, elapsed, total, finished, as_of, thresholds) -> Progress:
    """increment and level: 时间过半、任务过半 — on schedule when done in proportion to the time elapsed."""
    target = spec.value
    last_month = target_window(spec, as_of)[1]
    base, share = 0.0, expected_share(spec, elapsed, total)
    base_month = month_of(month_index(first_month) - 1)  # an increment counts from zero before the period
    if spec.kind == "level":
        if spec.holds_level:
            base, share = 0.0, 1.0
        elif spec.baseline is not None:
            base = spec.baseline
            base_month = spec.baseline_period or base_month
        elif first is not None:
            # no baseline in the plan: the first report is the starting point, and the trajectory runs from it
            base, base_month = first[1], first[0]
            start_index = month_index(first[0])
            span = month_index(spec.deadline if spec.recurrence != "yearly" else year_end(first_month)) - start_index
            done = month_index(as_of) - start_index
            share = 1.0 if span <= 0 else max(0.0, min(1.0, done / span))
    span_value = target - base
    expected = base + span_value * share
    met = _meets(spec, actual, thresholds)
    completion = (actual - base) / span_value if span_value else (1.0 if met else 0.0)
    progress_needed = expected - base
    progress_made = actual - base
    if met:
        status = "achieved"
    elif finished:
        status = "missed"
    elif progress_made >= progress_needed - 1e-9:
        status = "green"
    elif progress_made >= thresholds.amber_share_of_expected * progress_needed:
        status = "amber"
    else:
        status = "red"
    behind = 0.0 if progress_needed <= 0 else max(0.0, 1 - progress_made / progress_needed)
    if status == "missed":
        behind = max(behind, 1 - completion)
    if period == last_month or (spec.kind == "level" and spec.holds_level):
        projected = actual
    elif spec.kind == "increment":
        projected = _pace_projection(spec, actual, period, first_month, total)
    else:
        projected = _level_projection(spec, actual, period, base, base_month, last_month)
    return Progress(spec.id, as_of, status, actual, period, round(expected, 6), round(completion, 6), behind,
                    elapsed, total, spec, first_month, share, projected)


def _cap(spec, period, actual, first, first_month, elapsed, total, finished, as_of, thresholds) -> Progress:
    """cap: a ceiling on use; lower is better; the projection to the period's end decides red/amber early."""
    cap = spec.value
    expected = cap * expected_share(spec, elapsed, total)
    completion = actual / cap if cap else 0.0
    projected = _pace_projection(spec, actual, period, first_month, total) or actual
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
    """growth and share (and lower-is-better levels): judged against the target itself every month.

    The projection is the latest rate carried to the deadline, given only from half the period on and with at least
    two reported months: an early year-to-date rate says little about the year."""
    target = spec.value
    tolerance = thresholds.rate_amber_tolerance * abs(target) if target else thresholds.rate_amber_tolerance
    lower_is_better = spec.comparator in ("<=", "<")
    if _meets(spec, actual, thresholds):
        status = "achieved" if finished else "green"
        gap = 0.0
    else:
        gap = (actual - target) if lower_is_better else (target - actual)
        status = "missed" if finished else ("amber" if gap <= tolerance else "red")
    completion = actual / target if target else None
    behind = max(0.0, gap / abs(target)) if target else max(0.0, gap)
    reported_twice = first is not None and first_month <= first[0] < period
    late_enough = 2 * _months_to(first_month, period) >= total
    projected = actual if (finished or (reported_twice and late_enough)) else None
    return Progress(spec.id, as_of, status, actual, period, target, None if completion is None else round(completion, 6),
                    behind, elapsed, total, spec, first_month, 0.0, projected)


def _no_data(spec: TargetSpec, as_of: str, elapsed: int, total: int) -> Progress:
    return Progress(spec.id, as_of, "no_data", None, None, None, None, 0.0, elapsed, total, spec)
