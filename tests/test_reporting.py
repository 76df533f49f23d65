"""The reporting cycle (DESIGN §9): due dates, timeliness, completeness, the default month and the 未报 rule."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators import progress, reporting
from indicators.months import month_index, month_of
from indicators.reporting.cycle import Duty, Tally, completeness, default_month, missing_reports, tally

BJ = reporting.BEIJING
UTC = dt.UTC


@pytest.mark.parametrize("month, due_day, due", [
    ("2023-01", 10, dt.date(2023, 2, 10)),
    ("2023-12", 10, dt.date(2024, 1, 10)),  # year end: due in January of the next year
    ("2023-02", 28, dt.date(2023, 3, 28)),
    ("2024-01", 1, dt.date(2024, 2, 1)),
])
def test_due_date_is_day_due_day_of_the_next_month(month, due_day, due):
    assert reporting.due_date(month, due_day) == due


@pytest.mark.parametrize("committed_at, on_time", [
    (dt.datetime(2023, 7, 10, 23, 59, 59, tzinfo=BJ), True),  # the due day itself, last second in Beijing
    (dt.datetime(2023, 7, 11, 0, 0, 0, tzinfo=BJ), False),  # Beijing midnight after the due day
    (dt.datetime(2023, 7, 10, 15, 59, 59), True),  # naive = UTC: 23:59:59 in Beijing
    (dt.datetime(2023, 7, 10, 16, 0, 0), False),  # naive = UTC: midnight in Beijing
    (dt.datetime(2023, 7, 10, 16, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))), False),
    (dt.datetime(2023, 6, 30, 12, 0, tzinfo=BJ), True),  # within the month itself
    (dt.datetime(2023, 8, 1, 9, 0, tzinfo=BJ), False),
])
def test_on_time_by_the_end_of_the_due_day_in_beijing(committed_at, on_time):
    assert reporting.on_time("2023-06", committed_at, 10) is on_time


@pytest.mark.parametrize("frequency, owed", [
    ("monthly", [f"2023-{m:02d}" for m in range(1, 13)]),
    ("quarterly", ["2023-03", "2023-06", "2023-09", "2023-12"]),
    ("yearly", ["2023-12"]),
    (None, [f"2023-{m:02d}" for m in range(1, 13)]),
])
def test_owed_months_by_frequency(frequency, owed):
    assert reporting.owed_months("2023-01", "2023-12", frequency) == owed


def test_the_deadline_month_is_always_owed_and_nothing_outside_the_period():
    assert reporting.owed_months("2023-01", "2023-08", "quarterly") == ["2023-03", "2023-06", "2023-08"]
    assert reporting.owed_months("2023-01", "2025-12", "yearly") == ["2023-12", "2024-12", "2025-12"]
    assert not reporting.owes("2024-01", "2023-01", "2023-12", "monthly")
    assert not reporting.owes("2022-12", "2023-01", "2023-12", "monthly")


@pytest.mark.parametrize("month, today, days", [
    ("2023-06", dt.date(2023, 7, 10), 0), ("2023-06", dt.date(2023, 7, 11), 1), ("2023-06", dt.date(2023, 6, 1), 0),
    ("2023-11", dt.date(2024, 1, 10), 31),
])
def test_days_overdue(month, today, days):
    assert reporting.days_overdue(month, today, 10) == days


def test_reporter_is_the_named_one_else_the_first_lead_department():
    assert reporting.reporter_of(["市工业和信息化局", "市发展改革委"]) == "市工业和信息化局"
    assert reporting.reporter_of(["市工业和信息化局"], "市统计局") == "市统计局"
    assert reporting.reporter_of([]) == "（未列明）"


def test_reporter_is_the_canonical_department_of_the_plans_jurisdiction():
    from indicators.catalogue import departments

    table = departments.table_for()  # the real catalogue's departments table
    division = next(d for d in table.by_id.values() if d.parent)
    top = table.top(division)
    # a division's targets are reported by its bureau, under the bureau's canonical short name
    assert reporting.reporter_of([division.written[0]], None, division.jurisdiction, table) == top.short
    assert reporting.reporter_of(["没有这个单位"], None, division.jurisdiction, table) == "没有这个单位"


# --- completeness, timeliness, the default month ------------------------------------------------------------------
def duty(target_id: str, reporter: str = "甲局", jurisdiction: str = "示例县", frequency: str = "monthly") -> Duty:
    return Duty(target_id, "p", jurisdiction, reporter, "2023-01", "2023-12", frequency)


def at(month: str, day: int, hour: int = 9) -> dt.datetime:
    following = month_of(month_index(month) + 1)
    return dt.datetime(int(following[:4]), int(following[5:]), day, hour, tzinfo=BJ)


DUTIES = [duty("a"), duty("b"), duty("c", "乙局"), duty("d", "乙局", "另一区"), duty("q", "乙局", frequency="quarterly")]


def test_tally_counts_expected_reported_on_time_late_and_missing_per_group():
    firsts = {("a", "2023-06"): at("2023-06", 5), ("b", "2023-06"): at("2023-06", 12),
              ("c", "2023-06"): at("2023-06", 10, 23), ("q", "2023-06"): at("2023-06", 11, 0)}
    cells = {(c.group, c.month): c for c in tally(DUTIES, firsts, ["2023-06", "2023-07"], "unit", 10)}
    assert cells[("甲局", "2023-06")].as_json() == {"group": "甲局", "month": "2023-06", "expected": 2, "reported": 2,
                                                   "on_time": 1, "late": 1, "missing": 0}
    assert cells[("乙局", "2023-06")].as_json() == {"group": "乙局", "month": "2023-06", "expected": 3, "reported": 2,
                                                   "on_time": 1, "late": 1, "missing": 1}
    assert cells[("乙局", "2023-07")].expected == 2  # the quarterly target owes nothing for July
    by_place = {(c.group, c.month): c for c in tally(DUTIES, firsts, ["2023-06"], "jurisdiction", 10)}
    assert (by_place[("另一区", "2023-06")].expected, by_place[("另一区", "2023-06")].missing) == (1, 1)


@pytest.mark.parametrize("reported_in, threshold, expected_default", [
    ({"2023-08": 5, "2023-09": 5, "2023-10": 1}, 0.8, "2023-09"),  # October is 1 of 4: September is the default
    ({"2023-08": 5, "2023-09": 5, "2023-10": 4}, 0.8, "2023-10"),  # 4 of 4 monthly reports in
    ({"2023-08": 5, "2023-09": 3, "2023-10": 1}, 0.8, "2023-08"),
    ({"2023-08": 5, "2023-09": 3, "2023-10": 1}, 0.6, "2023-09"),  # 3 of 5 = 60 % reaches 0.6
    ({"2023-09": 1, "2023-10": 1}, 0.8, "2023-10"),  # none reaches it: the latest month with data
    ({}, 0.8, None),
])
def test_default_month_is_the_latest_complete_enough_month(reported_in, threshold, expected_default):
    ids = ["a", "b", "c", "d", "q"]
    firsts = {(target, month): at(month, 1) for month, n in reported_in.items() for target in ids[:n]}
    per_month = completeness(DUTIES, firsts, sorted(reported_in))
    assert default_month(per_month, sorted(reported_in), threshold) == expected_default


def test_completeness_is_reported_over_due():
    firsts = {("a", "2023-09"): at("2023-09", 1), ("q", "2023-09"): at("2023-09", 1)}
    cell = completeness(DUTIES, firsts, ["2023-09"])["2023-09"]
    assert (cell.reported, cell.expected, cell.completeness) == (2, 5, 0.4)
    assert Tally("x", "2023-09").completeness is None


def test_missing_reports_most_overdue_first():
    firsts = {("a", "2023-06"): at("2023-06", 1)}
    rows = missing_reports(DUTIES[:2], firsts, ["2023-05", "2023-06"], dt.date(2023, 7, 20), 10)
    assert [(r.target_id, r.month, r.days_overdue) for r in rows] == [
        ("a", "2023-05", 40), ("b", "2023-05", 40), ("b", "2023-06", 10)]


# --- the 未报 rule ------------------------------------------------------------------------------------------------
def spec(kind: str = "increment", value: float = 1200, comparator: str = ">=") -> progress.TargetSpec:
    return progress.TargetSpec("t", kind, comparator, value, "个", "2023-01", "2023-12")


def monthly(month: str) -> bool:
    return True


@pytest.mark.parametrize("as_of, last, owes, judged, reported", [
    ("2023-10", "2023-10", True, "2023-10", True),  # reported: judged at the month
    ("2023-10", "2023-09", True, "2023-09", False),  # owes October, stops at September: judged at September
    ("2023-10", None, True, "2023-10", False),  # never reported: no data
    ("2023-10", "2023-09", False, "2023-09", True),  # owes nothing for October (quarterly): its own month
    ("2024-02", "2023-12", True, "2024-02", True),  # after the deadline the deadline month is what is owed
    ("2024-02", "2023-11", True, "2023-11", False),
])
def test_judge(as_of, last, owes, judged, reported):
    verdict = reporting.judge(as_of, last, ("2023-01", "2023-12"), lambda m: owes)
    assert (verdict.month, verdict.reported, verdict.last_reported) == (judged, reported, last)


def test_an_unreported_target_is_judged_at_its_last_month_and_flagged():
    result = reporting.evaluate_reported(spec(), "monthly", ("2023-09", 900), None, "2023-10")
    at_september = progress.evaluate_points(spec(), ("2023-09", 900), None, "2023-09")
    assert (result.status, result.expected) == (at_september.status, at_september.expected) == ("green", 900)
    assert (result.as_of, result.reported, result.last_reported) == ("2023-10", False, "2023-09")
    assert result.as_json()["reported"] is False and result.as_json()["last_reported"] == "2023-09"
    assert result.explanation_zh.startswith("10月未报，按9月数据判定")
    never = reporting.evaluate_reported(spec(), "monthly", None, None, "2023-10")
    assert (never.status, never.reported, never.last_reported) == ("no_data", False, None)


def test_a_quarterly_target_between_quarters_is_reported_and_judged_at_its_quarter():
    result = reporting.evaluate_reported(spec(), "quarterly", ("2023-09", 900), None, "2023-11")
    assert (result.reported, result.expected, result.status) == (True, 900, "green")


KINDS = st.sampled_from([("increment", ">="), ("level", ">="), ("cap", "<="), ("growth", ">="), ("share", ">=")])


@settings(max_examples=300, deadline=None)
@given(KINDS, st.floats(1, 1e5), st.integers(1, 11), st.integers(1, 12), st.floats(0, 2e5),
       st.sampled_from(["monthly", "quarterly", "yearly"]))
def test_a_partial_month_never_changes_an_unreported_target(kind, target, last, later, actual, frequency):
    """Moving the as-of month to a month others have reported leaves a target that stopped earlier as it was."""
    kind, comparator = kind
    target_spec = spec(kind, target, comparator)
    last_month, as_of = f"2023-{last:02d}", f"2023-{min(12, last + later):02d}"
    point = (last_month, actual)
    before = reporting.evaluate_reported(target_spec, frequency, point, point, last_month)
    after = reporting.evaluate_reported(target_spec, frequency, point, point, as_of)
    assert (after.status, after.expected, after.completion) == (before.status, before.expected, before.completion)
    assert after.last_reported == last_month
    if reporting.owes(as_of, "2023-01", "2023-12", frequency):
        assert not after.reported
