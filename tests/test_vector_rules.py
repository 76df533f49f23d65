"""The whole-column rules (progress.vector) give exactly what the scalar reference (reporting.evaluate_reported, the
rules explanations read) gives, field by field and bit by bit, for every kind, comparator, pacing, profile, baseline,
recurrence and reporting frequency."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from indicators import progress, reporting
from indicators.months import month_index, month_of
from indicators.progress import vector

MONTHS = [month_of(i) for i in range(month_index("2022-10"), month_index("2026-03"))]
month = st.sampled_from(MONTHS)
# months where windows start, turn a quarter, end: most draws land on one of them
usual = st.sampled_from(["2023-03", "2023-06", "2023-09", "2023-12", "2024-06", "2024-12"])
# small integers and awkward fractions: ties with the thresholds (exactly on schedule, exactly the cap) happen often
amount = st.one_of(st.integers(-3, 12).map(float), st.floats(-50, 5000, allow_nan=False, allow_infinity=False),
                   st.sampled_from([0.1, 0.3, 1 / 3, 2.675, 1e-7, 99.9999995]))
profile = st.one_of(st.none(), st.just(()), st.lists(st.floats(0, 1), min_size=12, max_size=12).map(
    lambda shares: tuple(sorted(shares))), st.lists(st.floats(0, 1), min_size=3, max_size=3).map(tuple))


@st.composite
def point(draw, value: float, as_of: str, start: str) -> tuple[str, float] | None:
    """A reported (month, value): any amount, or the target's value times a share of the year (ties with the
    schedule, the cap and the thresholds, to the last bit)."""
    if draw(st.integers(0, 5)) == 0:
        return None
    when = min(draw(st.one_of(st.just(as_of), st.just(as_of), usual, month)), as_of)  # up to as_of
    months = month_index(when) - month_index(start) + 1 if draw(st.booleans()) else draw(st.integers(0, 15))
    near = draw(st.sampled_from([0.75, 0.8, 1.05, 0.9, 1.1]))
    # value × months / 12 and value × (months / 12) may differ in the last bit: the rules' 1e-9 slack is for that
    on_schedule = st.sampled_from([value * months / 12, value * (months / 12), value * near, value])
    return when, draw(st.one_of(amount, on_schedule, on_schedule))


@st.composite
def case(draw, as_of: str) -> tuple:
    start = draw(st.sampled_from(["2023-01", "2023-01", "2023-01", "2023-04", "2024-01"]) if draw(st.integers(0, 4))
                 else month)
    deadline = draw(st.sampled_from(["2023-12", "2023-12", "2024-12", "2025-12", "2023-06"]) if draw(st.integers(0, 4))
                    else month)
    if deadline < start and draw(st.integers(0, 9)):
        deadline = start[:4] + "-12"  # now and then a deadline before the start
    kind = draw(st.sampled_from(["increment", "level", "cap", "growth", "share"]))
    spec = progress.TargetSpec(
        id=f"t{draw(st.integers(0, 10**6))}", kind=kind,
        comparator=draw(st.sampled_from([">=", ">", "<=", "<", "~", "range"])),
        value=draw(st.one_of(amount, st.sampled_from([0.0, 1.0, 2.0, 3.0, 4.0, 12.0, 100.0]))),
        unit=draw(st.sampled_from(["个", "所", "亿元", "%", "家", "万人"])), start=start, deadline=deadline,
        recurrence=draw(st.sampled_from([None, "yearly"])), baseline=draw(st.one_of(st.none(), amount)),
        holds_level=kind == "level" and draw(st.booleans()), profile=draw(profile),
        pacing=draw(st.sampled_from([None, None, "milestone", "linear"])),
        baseline_period=draw(st.sampled_from([None, "", "2022-12", "2023-06"])),
    )
    frequency = draw(st.sampled_from(["monthly", "quarterly", "yearly", None]))
    latest = draw(point(spec.value, as_of, start))
    first = draw(st.one_of(point(spec.value, as_of, start), st.just(latest)))
    if latest is not None and first is not None and first[0] > latest[0]:
        first = (latest[0], first[1])  # the first value up to as_of is never after the latest
    return spec, frequency, latest, first


def same(a: object, b: object) -> bool:
    """Equal, and the same float to the bit (NaN equals NaN; -0.0 differs from 0.0)."""
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    return type(a) is type(b) and a == b


FIELDS = ("target_id", "as_of", "status", "actual", "actual_period", "expected", "completion", "behind", "elapsed",
          "total", "window_start", "share", "projected", "reported", "last_reported", "milestone", "finished")


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(usual, usual, usual, month).flatmap(
    lambda as_of: st.tuples(st.just(as_of), st.lists(case(as_of), min_size=1, max_size=60))),
       st.builds(progress.Thresholds, amber_share_of_expected=st.sampled_from([0.8, 0.5, 1.0]),
                 milestone_max_count=st.sampled_from([3.0, 0.0, 10.0])))
@example(("2023-03", [(progress.TargetSpec("tie", "increment", ">=", 2.675, "亿元", "2023-01", "2023-12"), "monthly",
                       ("2023-03", 2.675 * 3 / 12), None)]), progress.Thresholds())  # 1 ulp behind: on schedule
def test_columns_equal_the_scalar_rules(batch, thresholds):
    as_of, cases = batch
    specs, frequencies, latests, firsts = zip(*cases, strict=True)
    columns = vector.evaluate(vector.inputs_of(specs, frequencies, latests, firsts), as_of, thresholds)
    periods = [p[0] if p else None for p in latests]
    for i, (spec, frequency, latest, first) in enumerate(zip(specs, frequencies, latests, firsts, strict=True)):
        scalar = reporting.evaluate_reported(spec, frequency, latest, None if spec.recurrence == "yearly" else first,
                                             as_of, thresholds)
        column = columns.progress(i, spec, as_of, periods)
        for name in FIELDS:
            assert same(getattr(column, name), getattr(scalar, name)), (name, spec, frequency, latest, first, as_of)
        assert column.spec is scalar.spec


# near halves at the sixth decimal, huge and tiny magnitudes, infinities: where numpy's rounding could part from Python's
awkward = st.one_of(st.floats(allow_nan=False), st.floats(-1e7, 1e7),
                    st.integers(-10**9, 10**9).map(lambda k: (k + 0.5) / 1e6),
                    st.integers(-10**9, 10**9).map(lambda k: k / 1e6 + 5e-7),
                    st.sampled_from([2.675, 0.0000005, -0.0000005, 1e-7, -1e-7, 0.0, -0.0, 99.9999995, 2.0 ** 40 / 1e6]))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(awkward, st.just(math.nan)), min_size=1, max_size=50), st.data())
def test_rounding_a_column_equals_pythons_round(values, data):
    rounds = data.draw(st.lists(st.booleans(), min_size=len(values), max_size=len(values)))
    got = vector._rounded(np.array(values, dtype=float), np.array(rounds, dtype=bool))
    for value, rounded, expected in zip(values, got.tolist(), rounds, strict=True):
        want = round(value, 6) if expected and not math.isnan(value) else value
        assert same(rounded, want), (value, rounded, want)
