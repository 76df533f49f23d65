"""Progress rules (DESIGN §6): every kind × comparator × edge, property tests, and roll-ups."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators import progress
from indicators.progress import TargetSpec, Thresholds, evaluate

T = Thresholds()


def spec(kind="increment", comparator=">=", value=1200.0, **kw) -> TargetSpec:
    return TargetSpec(id="x", kind=kind, comparator=comparator, value=value, unit=kw.pop("unit", "个"),
                      start=kw.pop("start", "2023-01"), deadline=kw.pop("deadline", "2023-12"), **kw)


def status_of(s: TargetSpec, values: dict, as_of: str) -> str:
    return evaluate(s, values, as_of, T).status


# increment, 1200 a year: expected at June = 600; amber from 480 (80 %)
@pytest.mark.parametrize(
    ("actual", "as_of", "expected_status"),
    [
        (600, "2023-06", "green"),  # exactly on schedule
        (599.99, "2023-06", "amber"),
        (480, "2023-06", "amber"),  # exactly 80 % of expected
        (479.99, "2023-06", "red"),
        (1200, "2023-06", "achieved"),  # met early
        (100, "2023-01", "green"),  # first month: expected 100
        (79, "2023-01", "red"),
        (1199, "2023-12", "missed"),  # the deadline month, not met: a verdict
        (1200, "2023-12", "achieved"),
        (1100, "2024-03", "missed"),  # after the deadline, not met: missed, never red again
    ],
)
def test_increment_time_proportional(actual, as_of, expected_status):
    period = min(as_of, "2023-12")
    assert status_of(spec(), {period: actual}, as_of) == expected_status


@pytest.mark.parametrize(
    ("comparator", "value_max", "actual", "expected_status"),
    [
        (">", None, 1200, "missed"),  # 突破1200 needs more than 1200
        (">", None, 1201, "achieved"),
        ("~", None, 1140, "achieved"),  # 左右: within 5 %
        ("~", None, 1139, "missed"),
        ("range", 1500, 1200, "achieved"),  # inside 1200—1500
        ("range", 1500, 1600, "achieved"),  # above the range is not a shortfall for an increment
        ("range", 1500, 1199, "missed"),
    ],
)
def test_increment_comparators_at_year_end(comparator, value_max, actual, expected_status):
    s = spec(comparator=comparator, value_max=value_max)
    assert status_of(s, {"2023-12": actual}, "2023-12") == expected_status


def test_explanation_line_reads_like_a_briefing():
    result = evaluate(spec(value=2500), {"2023-06": 1320}, "2023-06", T)
    assert result.explanation_zh == ("1–6月累计1,320个，应完成1,250个（50%），完成率52.8%，"
                                     "按当前进度预计年底达到2,640个（目标2,500个）")
    assert result.expected == 1250 and result.completion == pytest.approx(0.528)


def test_no_data_before_any_report_and_before_the_plan_starts():
    assert status_of(spec(), {}, "2023-06") == "no_data"
    assert status_of(spec(), {"2023-07": 800}, "2023-06") == "no_data"  # a later month does not count yet
    assert status_of(spec(start="2024-01", deadline="2024-12"), {}, "2023-06") == "no_data"


def test_latest_reported_month_counts_when_this_month_is_missing():
    result = evaluate(spec(), {"2023-04": 550}, "2023-06", T)
    assert (result.actual, result.actual_period, result.expected) == (550, "2023-04", 600)
    assert result.status == "amber"


def test_profile_replaces_the_straight_line():
    shares = (0.05, 0.15, 0.35, 0.6, 0.8, 0.9, 0.92, 0.94, 0.96, 0.98, 0.99, 1.0)  # afforestation in spring
    s = spec(value=4000, unit="亩", profile=shares)
    result = evaluate(s, {"2023-04": 2000}, "2023-04", T)
    assert result.expected == 2400 and result.status == "amber"


@pytest.mark.parametrize(
    ("baseline", "values", "as_of", "expected", "status"),
    [
        (7500, {"2023-06": 8750}, "2023-06", 8750, "green"),  # baseline from the catalogue: 7500 -> 10000
        (7500, {"2023-06": 8500}, "2023-06", 8750, "amber"),  # progress 1000 of expected 1250 = 80 %
        (7500, {"2023-06": 8490}, "2023-06", 8750, "red"),
        (None, {"2023-03": 8000, "2023-06": 8600}, "2023-06", 8666.666667, "amber"),  # first report is the base
        (None, {"2023-03": 8000}, "2023-03", 8000, "green"),  # a lone first report is on its own trajectory
        (7500, {"2023-12": 10000}, "2023-12", 10000, "achieved"),
    ],
)
def test_level_with_and_without_baseline(baseline, values, as_of, expected, status):
    s = spec(kind="level", value=10000, baseline=baseline)
    result = evaluate(s, values, as_of, T)
    assert result.expected == pytest.approx(expected) and result.status == status


def test_level_worded_keep_expects_the_target_every_month():
    s = spec(kind="level", value=13.58, unit="万头", holds_level=True)
    assert evaluate(s, {"2023-02": 13.6}, "2023-02", T).status == "achieved"
    result = evaluate(s, {"2023-02": 13.0}, "2023-02", T)
    assert result.expected == 13.58 and result.status == "amber"  # 13.0 ≥ 80 % of 13.58


# cap 20.1: pro-rata 10.05 by June
@pytest.mark.parametrize(
    ("actual", "as_of", "expected_status"),
    [
        (10.05, "2023-06", "green"),  # projected exactly the cap
        (10.1, "2023-06", "amber"),  # projected 20.2 > 20.1
        (10.55, "2023-06", "amber"),  # projected 21.1 ≤ 21.105 (5 % over)
        (10.56, "2023-06", "red"),
        (20.2, "2023-11", "breached"),  # over the cap before the end
        (20.1, "2023-12", "achieved"),  # exactly at the cap at the end
        (1.6, "2023-01", "green"),  # first month: projected 19.2
        (1.8, "2023-01", "red"),  # first month: projected 21.6 > 21.105
    ],
)
def test_cap_projection(actual, as_of, expected_status):
    s = spec(kind="cap", comparator="<=", value=20.1, unit="亿立方米")
    assert status_of(s, {as_of: actual}, as_of) == expected_status


@pytest.mark.parametrize(
    ("kind", "comparator", "target", "actual", "as_of", "expected_status"),
    [
        ("growth", ">=", 8, 8, "2023-06", "green"),
        ("growth", ">=", 8, 7.2, "2023-06", "amber"),  # exactly 10 % below
        ("growth", ">=", 8, 7.19, "2023-06", "red"),
        ("growth", ">=", 8, 8.5, "2023-12", "achieved"),
        ("growth", ">=", 8, 7.5, "2023-12", "missed"),  # year end, not met
        ("share", ">=", 50, 46, "2023-06", "amber"),
        ("share", ">=", 50, 60, "2023-06", "green"),
        ("growth", "<=", -4, -4.5, "2023-06", "green"),  # 下降4%: a fall of 4.5 % meets it
        ("growth", "<=", -4, -3.7, "2023-06", "amber"),
        ("growth", "<=", -4, -1, "2023-06", "red"),
        ("share", "~", 30, 28.6, "2023-06", "green"),
        ("share", "range", 30, 29, "2023-06", "amber"),
    ],
)
def test_growth_and_share(kind, comparator, target, actual, as_of, expected_status):
    s = spec(kind=kind, comparator=comparator, value=target, unit="%", value_max=40 if comparator == "range" else None)
    assert status_of(s, {as_of: actual}, as_of) == expected_status


def test_multi_year_target_uses_its_own_period_and_yearly_targets_reset():
    s = spec(value=2000, start="2023-01", deadline="2025-12", unit="家")
    result = evaluate(s, {"2023-12": 700}, "2023-12", T)
    assert (result.elapsed, result.total, result.expected) == (12, 36, pytest.approx(666.666667))
    assert result.status == "green"
    yearly = spec(value=100, start="2023-01", deadline="2025-12", recurrence="yearly", unit="家")
    assert evaluate(yearly, {"2023-12": 100}, "2024-03", T).status == "no_data"  # last year's total is not this year's
    result = evaluate(yearly, {"2023-12": 100, "2024-03": 25}, "2024-03", T)
    assert (result.expected, result.status) == (25, "green")


def test_thresholds_file_overrides(tmp_path, monkeypatch):
    override = tmp_path / "t.toml"
    override.write_text("amber_share_of_expected = 0.5\n")
    monkeypatch.setenv("INDICATORS_THRESHOLDS", str(override))
    thresholds = progress.load_thresholds()
    assert thresholds.amber_share_of_expected == 0.5 and thresholds.cap_red_projection == 1.05
    assert evaluate(spec(), {"2023-06": 300}, "2023-06", thresholds).status == "amber"
    override.write_text("amber = 0.5\n")
    with pytest.raises(ValueError, match="unknown threshold"):
        progress.load_thresholds()


# --- properties ---------------------------------------------------------------------------------------------------
RANK_MORE_IS_BETTER = {"missed": 0, "red": 0, "amber": 1, "green": 2, "achieved": 3}
RANK_CAP = {"breached": 0, "red": 1, "amber": 2, "green": 3, "achieved": 4}
months = st.integers(min_value=1, max_value=12).map(lambda m: f"2023-{m:02d}")
kinds = st.sampled_from(["increment", "level", "growth", "share"])
comparators = st.sampled_from([">=", ">", "~", "range"])
amounts = st.floats(min_value=0, max_value=1e6, allow_nan=False)


@given(kinds, comparators, st.floats(min_value=1, max_value=1e5), amounts, amounts, months)
def test_more_actual_never_makes_a_more_is_better_status_worse(kind, comparator, target, a, b, as_of):
    s = spec(kind=kind, comparator=comparator, value=target, value_max=target * 2, unit="%" if kind in ("growth", "share") else "个")
    low, high = sorted((a, b))
    rank_low = RANK_MORE_IS_BETTER[status_of(s, {as_of: low}, as_of)]
    rank_high = RANK_MORE_IS_BETTER[status_of(s, {as_of: high}, as_of)]
    assert rank_high >= rank_low


@given(st.floats(min_value=0.1, max_value=1e5), amounts, amounts, months)
def test_more_use_never_makes_a_cap_status_better(cap, a, b, as_of):
    s = spec(kind="cap", comparator="<=", value=cap, unit="亿立方米")
    low, high = sorted((a, b))
    assert RANK_CAP[status_of(s, {as_of: high}, as_of)] <= RANK_CAP[status_of(s, {as_of: low}, as_of)]


@given(st.sampled_from(["increment", "level", "cap", "growth", "share"]), st.floats(min_value=1, max_value=1e5),
       amounts, amounts, months)
def test_completion_is_monotone_in_actual(kind, target, a, b, as_of):
    s = spec(kind=kind, value=target, comparator="<=" if kind == "cap" else ">=", baseline=0.0 if kind == "level" else None)
    low, high = sorted((a, b))
    assert evaluate(s, {as_of: high}, as_of, T).completion >= evaluate(s, {as_of: low}, as_of, T).completion


@given(st.lists(st.tuples(st.sampled_from(progress.STATUSES), st.lists(st.sampled_from("ABC"), max_size=2)),
                max_size=40))
def test_rollup_counts_sum_to_the_number_of_target_memberships(rows):
    results, keys = [], {}
    for i, (status_, groups) in enumerate(rows):
        results.append(progress.Progress(f"t{i}", "2023-06", status_, None, None, None, 0.5, 0.0, 6, 12))
        keys[f"t{i}"] = groups
    groups = progress.rollup(results, keys)
    assert sum(g.total for g in groups) == sum(max(1, len(k)) for k in keys.values())
    assert sum(progress.status_counts(results).values()) == len(results)
    for group in groups:
        assert group.mean_completion is None or 0 <= group.mean_completion <= 1


def test_rollup_caps_completion_and_sorts_laggards():
    def result(target_id, status_, completion, behind):
        return progress.Progress(target_id, "2023-06", status_, 1, "2023-06", 1, completion, behind, 6, 12)

    results = [result("a", "green", 1.8, 0), result("b", "red", 0.2, 0.7), result("c", "breached", 1.1, 0.9)]
    (group,) = progress.rollup(results, {"a": ["S"], "b": ["S"], "c": ["S"]})
    assert group.mean_completion == pytest.approx((1 + 0.2 + 1) / 3)
    assert [p.target_id for p in group.laggards] == ["c", "b"]
