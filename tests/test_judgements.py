"""Issue 15 rules at their edges: milestones, verdicts after the deadline, projections, whole counts, named years."""

from __future__ import annotations

import pytest

from indicators.progress import TargetSpec, Thresholds, evaluate
from indicators.progress.explain import format_amount
from indicators.progress.rules import is_count_unit, is_milestone

T = Thresholds()


def spec(kind="increment", comparator=">=", value=1200.0, **kw) -> TargetSpec:
    return TargetSpec(id="x", kind=kind, comparator=comparator, value=value, unit=kw.pop("unit", "个"),
                      start=kw.pop("start", "2023-01"), deadline=kw.pop("deadline", "2023-12"), **kw)


# --- which targets are milestones ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kw", "milestone"),
    [
        ({"value": 1, "unit": "所"}, True),  # 新建1所学校
        ({"value": 3, "unit": "家"}, True),  # at the setting
        ({"value": 4, "unit": "家"}, False),  # above it: time-proportional
        ({"value": 2, "unit": "万千瓦"}, False),  # not a count
        ({"value": 3, "unit": "万人"}, False),  # 吸引3万名高校毕业生: 30,000 people, paced by time
        ({"value": 1.2, "unit": "万人"}, False),
        ({"value": 1, "unit": "万个", "kind": "level"}, False),
        ({"value": 3, "unit": "名"}, True),  # an alias of 人, one by one
        ({"value": 2, "unit": "%", "kind": "share"}, False),
        ({"value": 2, "unit": "个", "kind": "level"}, False),
        ({"value": 50, "unit": "家", "pacing": "milestone"}, True),  # the catalogue says so
        ({"value": 2, "unit": "个", "pacing": "linear"}, False),  # the catalogue says not
    ],
)
def test_milestone_default_and_catalogue_pacing(kw, milestone):
    assert is_milestone(spec(**kw), T) is milestone


def test_milestone_threshold_is_a_setting():
    assert is_milestone(spec(value=5, unit="家"), Thresholds(milestone_max_count=5))
    assert not is_milestone(spec(value=5, unit="家"), T)


# 新建1所学校 in 2023: the last quarter starts after 9 of 12 months
@pytest.mark.parametrize(
    ("values", "as_of", "status"),
    [
        ({"2023-01": 0}, "2023-01", "green"),
        ({"2023-09": 0}, "2023-09", "green"),  # the last month before the last quarter
        ({"2023-10": 0}, "2023-10", "amber"),  # first month of the last quarter
        ({"2023-11": 0}, "2023-11", "amber"),
        ({"2023-12": 0}, "2023-12", "missed"),  # the deadline month, unmet
        ({"2023-11": 0}, "2024-02", "missed"),  # after the deadline
        ({"2023-05": 1}, "2023-05", "achieved"),  # met early
        ({"2023-12": 1}, "2023-12", "achieved"),
    ],
)
def test_milestone_before_in_and_after_the_last_quarter(values, as_of, status):
    result = evaluate(spec(value=1, unit="所"), values, as_of, T)
    assert result.status == status and result.milestone


def test_milestone_of_a_three_year_plan_turns_amber_in_its_last_nine_months():
    s = spec(value=2, unit="处", deadline="2025-12")
    assert evaluate(s, {"2025-03": 1}, "2025-03", T).status == "green"  # 27 of 36 months
    assert evaluate(s, {"2025-04": 1}, "2025-04", T).status == "amber"


def test_milestone_never_states_a_fraction_due():
    result = evaluate(spec(value=1, unit="所"), {"2023-03": 0}, "2023-03", T)
    assert result.expected is None and result.projected is None
    assert result.explanation_zh == "1–3月累计0所，目标不低于1所，按计划推进（年底前完成）"
    assert "0.25" not in result.explanation_en


# --- verdicts after the deadline ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "comparator", "value", "unit", "actual", "status"),
    [
        ("increment", ">=", 1200, "个", 1100, "missed"),
        ("increment", ">=", 1200, "个", 1200, "achieved"),
        ("level", ">=", 80, "家", 79, "missed"),
        ("growth", ">=", 8, "%", 7.9, "missed"),
        ("share", ">=", 100, "%", 99, "missed"),
        ("share", "<=", 5, "%", 5.5, "missed"),  # lower is better, over at the end
        ("cap", "<=", 20, "亿立方米", 19, "achieved"),
        ("cap", "<=", 20, "亿立方米", 21, "breached"),  # a cap is breached, not missed
    ],
)
def test_a_plan_finished_a_year_ago_ends_in_a_verdict_with_its_year(kind, comparator, value, unit, actual, status):
    s = spec(kind=kind, comparator=comparator, value=value, unit=unit, start="2022-01", deadline="2022-12",
             baseline=60.0 if kind == "level" else None)
    result = evaluate(s, {"2022-12": actual}, "2023-09", T)
    assert result.status == status and result.finished
    assert "2022年" in result.explanation_zh  # the data's year, not the as-of year


def test_explanation_names_the_year_of_last_years_data():
    s = spec(value=500, start="2022-01", deadline="2022-12")
    result = evaluate(s, {"2022-12": 364}, "2023-09", T)
    assert result.explanation_zh.startswith("2022年1–12月累计364个")
    same_year = evaluate(spec(value=500), {"2023-06": 200}, "2023-09", T)
    assert same_year.explanation_zh.startswith("1–6月累计200个")


# --- projections -----------------------------------------------------------------------------------------------------
SPRING = (0.05, 0.15, 0.35, 0.6, 0.8, 0.9, 0.92, 0.94, 0.96, 0.98, 0.99, 1.0)


@pytest.mark.parametrize(
    ("kw", "values", "as_of", "projected"),
    [
        ({"value": 2500}, {"2023-06": 1320}, "2023-06", 2640),  # straight pace: 1320 × 12/6
        ({"value": 2500}, {"2023-04": 700}, "2023-06", 2100),  # pace of the month reported, not the as-of month
        ({"value": 4000, "unit": "亩", "profile": SPRING}, {"2023-04": 2000}, "2023-04", 2000 / 0.6),  # spring
        ({"value": 4000, "unit": "亩"}, {"2023-04": 2000}, "2023-04", 6000),  # the same without the profile
        ({"value": 2500}, {"2023-12": 2400}, "2023-12", 2400),  # the deadline month: the value itself
        ({"kind": "cap", "comparator": "<=", "value": 20.1, "unit": "亿立方米"}, {"2023-06": 10.5}, "2023-06", 21),
        ({"kind": "cap", "comparator": "<=", "value": 20, "unit": "亿立方米", "profile": SPRING}, {"2023-04": 12},
         "2023-04", 20),
        # level from its baseline at the period's start: +300 in 6 months -> +300 more by December
        ({"kind": "level", "value": 10000, "baseline": 7500.0}, {"2023-06": 7800}, "2023-06", 8100),
        # baseline dated 2022-06: +600 in 12 months -> +300 more by December
        ({"kind": "level", "value": 10000, "baseline": 7500.0, "baseline_period": "2022-06"}, {"2023-06": 8100},
         "2023-06", 8400),
        # no baseline: the first report starts the trend; one report gives none
        ({"kind": "level", "value": 10000}, {"2023-03": 8000, "2023-06": 8300}, "2023-06", 8900),
        ({"kind": "level", "value": 10000}, {"2023-03": 8000}, "2023-03", None),
        ({"kind": "level", "value": 13.58, "unit": "万头", "holds_level": True}, {"2023-04": 13.0}, "2023-04", 13.0),
        # growth and share: none before half the period or with one report
        ({"kind": "growth", "value": 8, "unit": "%"}, {"2023-03": 7, "2023-05": 7.5}, "2023-05", None),
        ({"kind": "growth", "value": 8, "unit": "%"}, {"2023-06": 7.5}, "2023-06", None),
        ({"kind": "growth", "value": 8, "unit": "%"}, {"2023-03": 7, "2023-06": 7.5}, "2023-06", 7.5),
        ({"kind": "share", "value": 50, "unit": "%"}, {"2023-05": 40, "2023-09": 44}, "2023-09", 44),
    ],
)
def test_projection_for_the_deadline(kw, values, as_of, projected):
    result = evaluate(spec(**kw), values, as_of, T)
    assert result.projected == (None if projected is None else pytest.approx(projected))


def test_projection_is_in_the_explanation_with_whole_counts_and_in_json():
    result = evaluate(spec(value=2500), {"2023-07": 1348}, "2023-07", T)
    assert result.explanation_zh.endswith("按当前进度预计年底达到2,311个（目标2,500个）")  # 2310.86 -> 2,311
    assert "应完成1,458个" in result.explanation_zh  # 1458.33 shown whole
    assert result.expected == pytest.approx(1458.333333)  # the computation keeps its precision
    row = result.as_json()
    assert row["projected"] == pytest.approx(2310.857, abs=1e-3) and row["deadline"] == "2023-12"
    assert evaluate(spec(value=1, unit="所"), {"2023-03": 0}, "2023-03", T).as_json()["projected"] is None


def test_projection_of_a_multi_year_target_names_the_year():
    result = evaluate(spec(value=3600, unit="家", deadline="2025-12"), {"2023-12": 1000}, "2023-12", T)
    assert result.projected == pytest.approx(3000)
    assert "按当前进度预计2025年底达到3,000家（目标3,600家）" in result.explanation_zh
    assert "projected 3,000 firms by end of 2025 at the current pace (target 3,600 firms)" in result.explanation_en


def test_whole_numbers_only_for_counts():
    result = evaluate(spec(value=100, unit="万千瓦"), {"2023-01": 8}, "2023-01", T)
    assert "应完成8.33万千瓦" in result.explanation_zh


# --- with the reporting cycle's 未报 rule ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("latest", "as_of", "status", "reported"),
    [
        (("2023-06", 400.0), "2023-09", "red", False),  # in the period: judged at June's expectation (600), flagged
        (("2023-06", 400.0), "2023-12", "red", False),  # the deadline month unreported: still judged at June
        (("2023-06", 500.0), "2024-09", "missed", False),  # a plan finished long ago: a verdict, flagged 未报
        (("2023-12", 1100.0), "2024-09", "missed", True),
        (("2023-12", 1200.0), "2024-09", "achieved", True),
    ],
)
def test_a_finished_plan_ends_in_a_verdict_even_with_its_last_report_missing(latest, as_of, status, reported):
    from indicators import reporting

    result = reporting.evaluate_reported(spec(), "monthly", latest, None, as_of, T)
    assert (result.status, result.reported, result.as_of) == (status, reported, as_of)


@pytest.mark.parametrize(
    ("kw", "values", "as_of", "status", "milestone"),
    [
        # 过千亿级产业 from 3 to 4 by 2025: one more, a milestone (never "应达到3.25个")
        ({"value": 4, "deadline": "2025-12"}, {"2023-01": 3, "2023-09": 3}, "2023-09", "green", True),
        ({"value": 4, "deadline": "2025-12"}, {"2023-01": 3, "2025-10": 3}, "2025-10", "amber", True),
        ({"value": 4, "deadline": "2025-12"}, {"2023-01": 3, "2025-12": 3}, "2025-12", "missed", True),
        ({"value": 4, "baseline": 3.0, "deadline": "2025-12"}, {"2024-03": 4}, "2024-03", "achieved", True),
        # a rise of more than 3, or not a count: time-proportional as before
        ({"value": 10, "baseline": 3.0, "deadline": "2025-12"}, {"2023-09": 3}, "2023-09", "red", False),
        ({"value": 4, "baseline": 3.0, "unit": "万千瓦"}, {"2023-09": 3}, "2023-09", "red", False),
        ({"value": 4, "baseline": 3.0, "pacing": "linear"}, {"2023-09": 3}, "2023-09", "red", False),
    ],
)
def test_a_level_that_must_rise_by_a_few_things_is_a_milestone(kw, values, as_of, status, milestone):
    result = evaluate(spec(kind="level", **kw), values, as_of, T)
    assert (result.status, result.milestone) == (status, milestone)


@pytest.mark.parametrize(
    ("unit", "counts"),
    [("个", True), ("家", True), ("所", True), ("名", True), ("人次", True), ("户", True),
     ("万个", False), ("万人", False), ("万户", False), ("亩", False), ("万千瓦", False), ("%", False), ("不存在", False)],
)
def test_count_units_count_one_by_one(unit, counts):
    assert is_count_unit(unit) is counts


def test_ten_thousands_of_things_keep_their_fraction():
    assert format_amount(2.5, "万个") == "2.5万个"
    assert format_amount(2.5, "个") == "3个"  # a count: whole, rounded half up
