"""The progress rules of DESIGN §6 with the 未报 rule (reporting.evaluate_reported), over whole columns of targets.

`rules.py` stays the readable reference, one target at a time, and the explanations read its fields; this module
computes the same fields for every target at once with numpy, branch by branch (each rule's arithmetic in the same
order as the scalar one, so results are identical to the last bit: a property test holds both to that). Months are
month indexes (months.month_index); a missing value is NaN, a missing month −1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators import months
from indicators.months import month_index, month_of
from indicators.progress.rules import LAST_QUARTER, STATUSES, Progress, TargetSpec, Thresholds, is_count_unit

CODE = {status: i for i, status in enumerate(STATUSES)}
ACHIEVED, GREEN, AMBER, RED, BREACHED, MISSED, NO_DATA = (CODE[s] for s in STATUSES)


@dataclass
class Inputs:
    """What the rules read, one array per field, one entry per target."""

    kind: np.ndarray | Coded  # texts (object array or coded): increment | level | cap | growth | share
    comparator: np.ndarray | Coded
    value: np.ndarray  # float
    count_unit: np.ndarray  # bool: the unit counts whole things (is_count_unit)
    start: np.ndarray  # int month
    deadline: np.ndarray  # int month
    yearly: np.ndarray  # bool: recurrence == "yearly"
    baseline: np.ndarray  # float, NaN: none (in the target's unit)
    baseline_period: np.ndarray  # int month, −1: none
    holds_level: np.ndarray  # bool
    profiles: dict[int, tuple[float, ...]]  # row -> its monthly profile (rows with one)
    pacing: np.ndarray | Coded  # None | "milestone" | "linear"
    frequency: np.ndarray | Coded  # monthly | quarterly | yearly (anything else: monthly)
    latest: np.ndarray  # int month, −1: none
    latest_value: np.ndarray  # float
    first: np.ndarray  # int month, −1: none (none for a yearly target)
    first_value: np.ndarray  # float


@dataclass
class Columns:
    """Progress of every target, column-wise (the fields of rules.Progress; NaN / −1 where the scalar has None)."""

    status: np.ndarray  # int: index into STATUSES
    actual: np.ndarray
    actual_period: np.ndarray  # int month, −1: none
    expected: np.ndarray  # rounded as the scalar rounds them, NaN: None
    completion: np.ndarray  # rounded as the scalar rounds them, NaN: None
    behind: np.ndarray
    elapsed: np.ndarray
    total: np.ndarray
    window_start: np.ndarray  # int month, −1: "" (no data)
    share: np.ndarray
    projected: np.ndarray
    reported: np.ndarray
    last_reported: np.ndarray  # int month, −1: none
    milestone: np.ndarray
    finished: np.ndarray

    def progress(self, index: int, spec: TargetSpec, as_of: str, periods: Sequence[str | None]) -> Progress:
        """The rules.Progress of one target (``periods``: the latest period text of each target, as stored)."""
        def number(array: np.ndarray) -> float | None:
            value = float(array[index])
            return None if value != value else value

        status = STATUSES[self.status[index]]
        window_start = int(self.window_start[index])
        period = periods[index]
        return Progress(spec.id, as_of, status, None if status == "no_data" else float(self.actual[index]),
                        None if status == "no_data" else period, number(self.expected), number(self.completion),
                        float(self.behind[index]), int(self.elapsed[index]), int(self.total[index]), spec,
                        "" if window_start < 0 else month_of(window_start), float(self.share[index]),
                        number(self.projected), bool(self.reported[index]),
                        None if self.last_reported[index] < 0 else period, bool(self.milestone[index]),
                        bool(self.finished[index]))


def months_of(periods: Sequence[str | None] | Coded) -> np.ndarray:
    """Month numbers of YYYY-MM texts (−1 for None or ""), each distinct text parsed once."""
    coded = periods if isinstance(periods, Coded) else Coded.of(periods)
    return coded.map(lambda text: month_index(text) if text else -1, np.int64)


def inputs_of(specs: Sequence[TargetSpec], frequencies: Sequence[str | None],
              latests: Sequence[tuple[str, float] | None], firsts: Sequence[tuple[str, float] | None]) -> Inputs:
    """Inputs from scalar specs and points (the reference's arguments: what the property test feeds both)."""
    def column(values, dtype=object) -> np.ndarray:
        return np.array(list(values), dtype=dtype) if dtype is not object else objects(values)

    firsts = [None if spec.recurrence == "yearly" else first for spec, first in zip(specs, firsts, strict=True)]
    return Inputs(
        kind=column(s.kind for s in specs), comparator=column(s.comparator for s in specs),
        value=column((s.value for s in specs), float),
        count_unit=column((is_count_unit(s.unit) for s in specs), bool),
        start=months_of([s.start for s in specs]), deadline=months_of([s.deadline for s in specs]),
        yearly=column((s.recurrence == "yearly" for s in specs), bool),
        baseline=column((np.nan if s.baseline is None else s.baseline for s in specs), float),
        baseline_period=months_of([s.baseline_period for s in specs]),
        holds_level=column((s.holds_level for s in specs), bool),
        profiles={i: s.profile for i, s in enumerate(specs) if s.profile},
        pacing=column(s.pacing for s in specs), frequency=column(frequencies),
        latest=months_of([p[0] if p else None for p in latests]),
        latest_value=column((p[1] if p else np.nan for p in latests), float),
        first=months_of([p[0] if p else None for p in firsts]),
        first_value=column((p[1] if p else np.nan for p in firsts), float),
    )


def objects(values) -> np.ndarray:
    """A 1-d object array of the values (texts stay texts; numpy would make a fixed-width string array); an object
    array is returned as it is, not copied."""
    if isinstance(values, np.ndarray) and values.dtype == object and values.ndim == 1:
        return values  # already one (the lookup's columns are)
    items = list(values)
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


@dataclass(frozen=True)
class Coded:
    """A text column as integer codes into its distinct values (pandas.factorize's: None is −1), so that a rule
    reads each distinct value once instead of every row's text (read_model hands the lookup's columns over so)."""

    codes: np.ndarray
    values: list

    @classmethod
    def of(cls, values) -> Coded:
        codes, uniques = pd.factorize(objects(values))
        return cls(codes, uniques.tolist())

    def map(self, function, dtype) -> np.ndarray:
        """function(value) of every row, called once per distinct value (and once for None if a row has it)."""
        missing = bool(len(self.codes)) and int(self.codes.min()) < 0
        table = [function(value) for value in self.values] + [function(None) if missing else 0]
        return np.array(table, dtype=dtype)[self.codes]  # code −1 reads the table's last entry


class _Labels:
    """A column of a few distinct texts, compared as integer codes (one pass over the texts, not one per test)."""

    def __init__(self, values: np.ndarray | Coded):
        coded = values if isinstance(values, Coded) else Coded.of(values)
        self.codes = coded.codes  # None gets code −1
        self.index = {label: i for i, label in enumerate(coded.values)}

    def equals(self, *labels: str) -> np.ndarray:
        return np.isin(self.codes, [self.index[label] for label in labels if label in self.index])

    def present(self) -> np.ndarray:
        return self.codes >= 0


def _positive(x: np.ndarray) -> np.ndarray:
    """max(0.0, x) as Python gives it (0.0 unless x > 0)."""
    return np.where(x > 0.0, x, 0.0)


_EXACT = 2.0 ** 40  # |v · 10⁶| below this: the product is within 2⁻¹³ of the exact one, far inside the guard
_GUARD = 1e-3  # a scaled value this close to a half (or nearer) is rounded by Python itself


def _rounded(values: np.ndarray, rounds: np.ndarray) -> np.ndarray:
    """round(v, 6) where ``rounds`` (Python's correctly rounded round), v as it is elsewhere, NaN staying NaN.

    numpy's rint(v · 10⁶) / 10⁶ is the same double as Python's round whenever the scaled value is not near a half:
    both pick the same integer k, and k / 10⁶ divided in IEEE arithmetic is the double nearest to the decimal
    k·10⁻⁶, which is what Python parses back. The few values near a half (or huge, or infinite) go through Python's
    round one by one: 38,000 calls of it were a third of the rules' time.
    """
    out = values.copy()
    rows = np.flatnonzero(rounds & ~np.isnan(values))
    with np.errstate(over="ignore", invalid="ignore"):  # a huge or infinite value is Python's to round
        scaled = values[rows] * 1e6
        out[rows] = np.rint(scaled) / 1e6
        sure = (np.abs(scaled - np.floor(scaled) - 0.5) > _GUARD) & (np.abs(scaled) < _EXACT)
    for i in rows[~sure].tolist():
        out[i] = round(float(values[i]), 6)
    return out


class _Shares:
    """expected_share over columns: the catalogue's monthly profile for a 12-month window, else elapsed / total."""

    def __init__(self, inputs: Inputs, total: np.ndarray):
        self.total = total
        self.profiles = inputs.profiles
        rows = np.array([i for i, p in inputs.profiles.items() if len(p) == 12], dtype=np.int64)
        self.rows = rows[total[rows] == 12]

    def at(self, count: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            share = count / self.total
        for i in self.rows.tolist():
            share[i] = self.profiles[i][int(count[i]) - 1]
        return share


def evaluate(inputs: Inputs, as_of: str, thresholds: Thresholds = Thresholds()) -> Columns:
    """Every target's progress as of ``as_of``: reporting.evaluate_reported over whole columns."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return _evaluate(inputs, month_index(as_of), thresholds)


def _window(x: Inputs, as_of: int) -> tuple[np.ndarray, np.ndarray]:
    """rules.target_window: a yearly target's window is the calendar year of as_of within its period."""
    year = np.minimum(np.maximum(months.index_year(as_of), months.index_year(x.start)), months.index_year(x.deadline))
    first = np.where(x.yearly, np.maximum(months.january_index(year), x.start), x.start)
    last = np.where(x.yearly, np.minimum(months.december_index(year), x.deadline), x.deadline)
    return first, last


def _judged_month(x: Inputs, as_of: int, first: np.ndarray, last: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """reporting.judge (the 未报 rule): the month each target is judged at, and whether its report is in."""
    reported_at = x.latest
    has = reported_at >= 0
    month = np.minimum(as_of, last)
    number = months.index_number(month)
    frequency = _Labels(x.frequency)
    by_frequency = np.where(frequency.equals("quarterly"), number % 3 == 0,
                            np.where(frequency.equals("yearly"), number == 12, True))
    owes = (x.start <= month) & (month <= x.deadline) & ((month == x.deadline) | by_frequency)
    current = has & (reported_at >= month)
    in_window = has & (reported_at >= first)
    # reported the month: as_of; nothing owed: its latest figure of the window, at its month; owed and missing:
    # judged at the last reported month of the window (no_data when there is none)
    judged = np.where(current, as_of, np.where(in_window, reported_at, as_of))
    reported = current | ~owes
    # past the deadline the period ends in a verdict at as_of (issue 15)
    return np.where(as_of > last, as_of, judged), reported


def _meets(c: _Labels, x: Inputs, actual: np.ndarray, thresholds: Thresholds) -> np.ndarray:
    target = x.value
    approx = actual >= target - thresholds.approx_tolerance * np.abs(target)
    return np.select([c.equals(">=", "range"), c.equals(">"), c.equals("<="), c.equals("<")],
                     [actual >= target - 1e-9, actual > target, actual <= target + 1e-9, actual < target], approx)


def _evaluate(x: Inputs, as_of: int, th: Thresholds) -> Columns:
    n = len(x.value)
    first_month, last_month = _window(x, as_of)
    month, reported = _judged_month(x, as_of, first_month, last_month)
    total = last_month - first_month + 1
    elapsed = np.maximum(0, np.minimum(total, month - first_month + 1))
    period, actual = x.latest, x.latest_value
    data = (period >= 0) & (first_month <= period) & (period <= np.minimum(month, last_month)) & (elapsed != 0)
    finished = month >= last_month
    shares = _Shares(x, total)
    share_now = shares.at(elapsed)
    comparator, kind, pacing = _Labels(x.comparator), _Labels(x.kind), _Labels(x.pacing)
    met = _meets(comparator, x, actual, th)
    target = x.value
    lower = comparator.equals("<=", "<")
    level, increment, cap = kind.equals("level"), kind.equals("increment"), kind.equals("cap")
    has_first = x.first >= 0
    has_baseline = ~np.isnan(x.baseline)
    level_base = np.where(has_baseline, x.baseline, np.where(has_first, x.first_value, np.nan))
    paced = pacing.present()
    step = target - level_base
    milestone = np.where(paced, pacing.equals("milestone"),
                         increment & ~lower & (0 < target) & (target <= th.milestone_max_count) & x.count_unit)
    small_step = (~paced & level & ~x.holds_level & ~lower & ~np.isnan(level_base) & (0 < step)
                  & (step <= th.milestone_max_count) & x.count_unit)
    rule_milestone = data & (milestone | small_step)
    rule_cap = data & ~rule_milestone & cap
    rule_progressive = data & ~rule_milestone & (increment | level) & ~lower
    rule_rate = data & ~rule_milestone & ~rule_cap & ~rule_progressive

    status = np.full(n, NO_DATA, dtype=np.int64)
    expected = np.full(n, np.nan)
    completion = np.full(n, np.nan)
    behind = np.zeros(n)
    share = np.zeros(n)
    projected = np.full(n, np.nan)

    # pace projection (increments, caps): the deadline value at the pace so far, from the month of the actual
    pace_share = shares.at(np.maximum(1, np.minimum(total, period - first_month + 1)))
    pace = np.where(pace_share > 0, actual / pace_share, np.nan)

    # milestone: green until the last quarter, amber in it, then a verdict
    m = rule_milestone
    base = np.where(level, np.where(np.isnan(level_base) | (level_base == 0), 0.0, level_base), 0.0)
    done = np.where(target != base, (actual - base) / (target - base), np.where(met, 1.0, 0.0))
    late = elapsed > LAST_QUARTER * total
    value = np.select([met, finished, late], [ACHIEVED, MISSED, AMBER], GREEN)
    status[m] = value[m]
    completion[m] = done[m]
    behind[m] = np.where((value == ACHIEVED) | (value == GREEN), 0.0, _positive(1 - done))[m]
    expected[m] = np.where(finished, target, np.nan)[m]
    share[m] = np.where(finished, 1.0, 0.0)[m]
    projected[m] = np.where(met | finished, actual, np.nan)[m]

    # increment and level: done in proportion to the time elapsed
    p = rule_progressive
    base, part = np.zeros(n), share_now.copy()
    base_month = first_month - 1
    holds = level & x.holds_level
    with_baseline = level & ~x.holds_level & has_baseline
    from_first = level & ~x.holds_level & ~has_baseline & has_first
    part[holds] = 1.0
    base = np.where(with_baseline, x.baseline, np.where(from_first, x.first_value, base))
    base_month = np.where(with_baseline & (x.baseline_period >= 0), x.baseline_period,
                          np.where(from_first, x.first, base_month))
    span = np.where(x.yearly, months.december_index(months.index_year(first_month)), x.deadline) - x.first
    ratio = (month - x.first) / span
    part = np.where(from_first, np.where(span <= 0, 1.0, np.where(ratio < 1.0, np.where(ratio > 0.0, ratio, 0.0),
                                                                    1.0)), part)
    span_value = target - base
    due = base + span_value * part
    done = np.where(span_value != 0, (actual - base) / span_value, np.where(met, 1.0, 0.0))
    needed, made = due - base, actual - base
    value = np.select([met, finished, made >= needed - 1e-9, made >= th.amber_share_of_expected * needed],
                      [ACHIEVED, MISSED, GREEN, AMBER], RED)
    short = np.where(needed <= 0, 0.0, _positive(1 - made / needed))
    short = np.where((value == MISSED) & (1 - done > short), 1 - done, short)
    gone = period - base_month
    trend = np.where(gone <= 0, np.nan, actual + (actual - base) / gone * (last_month - period))
    ahead = np.where((period == last_month) | holds, actual, np.where(increment, pace, trend))
    status[p], expected[p], completion[p], behind[p] = value[p], due[p], done[p], short[p]
    share[p], projected[p] = part[p], ahead[p]

    # cap: a ceiling on use; the projection to the period's end decides red/amber early
    c = rule_cap
    ahead = np.where(np.isnan(pace) | (pace == 0), actual, pace)
    breached = (actual > target) | (comparator.equals("<") & (actual >= target))
    value = np.select([breached, finished, ahead > target * th.cap_red_projection, ahead > target],
                      [BREACHED, ACHIEVED, RED, AMBER], GREEN)
    status[c], expected[c], projected[c] = value[c], (target * share_now)[c], ahead[c]
    completion[c] = np.where(target != 0, actual / target, 0.0)[c]
    behind[c] = np.where(target != 0, _positive(ahead / target - 1), 0.0)[c]
    share[c] = (elapsed / total)[c]

    # growth, share and lower-is-better levels: judged against the target itself every month
    r = rule_rate
    tolerance = np.where(target != 0, th.rate_amber_tolerance * np.abs(target), th.rate_amber_tolerance)
    gap = np.where(met, 0.0, np.where(lower, actual - target, target - actual))
    value = np.where(met, np.where(finished, ACHIEVED, GREEN),
                     np.where(finished, MISSED, np.where(gap <= tolerance, AMBER, RED)))
    twice = has_first & (first_month <= x.first) & (x.first < period)
    late_enough = 2 * (period - first_month + 1) >= total
    status[r], expected[r] = value[r], target[r]
    completion[r] = np.where(target != 0, actual / target, np.nan)[r]
    behind[r] = np.where(target != 0, _positive(gap / np.abs(target)), _positive(gap))[r]
    projected[r] = np.where(finished | (twice & late_enough), actual, np.nan)[r]

    return Columns(status, actual, np.where(data, period, -1), _rounded(expected, rule_progressive | rule_cap),
                   _rounded(completion, data), behind, elapsed, total,
                   np.where(data, first_month, -1), share, projected, reported, x.latest, rule_milestone,
                   data & finished)
