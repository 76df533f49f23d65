"""The one-line explanations in both languages: Chinese units in Chinese, their English names in English."""

from __future__ import annotations

import re

import pytest

from indicators import catalogue as cat
from indicators.progress import TargetSpec, Thresholds, evaluate
from indicators.progress.explain import explain, format_amount

T = Thresholds()
CJK = re.compile(r"[\u3400-\u9fff]")


def spec(value: float, unit: str, kind: str = "increment", **kw) -> TargetSpec:
    return TargetSpec(id="x", kind=kind, comparator=">=", value=value, unit=unit, start=kw.pop("start", "2023-01"),
                      deadline=kw.pop("deadline", "2023-12"), **kw)


@pytest.mark.parametrize("target, values, as_of, zh, en", [
    (spec(2500, "个"), {"2023-06": 1320}, "2023-06",
     "1–6月累计1,320个，应完成1,250个（50%），完成率52.8%，按当前进度预计年底达到2,640个（目标2,500个）",
     "Jan–Jun 2023 cumulative 1,320 items; expected 1,250 items (50%); completion 52.8%; "
     "projected 2,640 items by year end at the current pace (target 2,500 items)"),
    (spec(30, "万亩"), {"2023-03": 10}, "2023-06",
     "1–3月累计10万亩，应完成15万亩（50%），完成率33.3%，按当前进度预计年底达到40万亩（目标30万亩）",
     "Jan–Mar 2023 cumulative 100,000 mu; expected 150,000 mu (50%); completion 33.3%; "
     "projected 400,000 mu by year end at the current pace (target 300,000 mu)"),
    (spec(3600, "家", deadline="2025-12"), {"2023-12": 1000}, "2023-12",
     "1–12月累计1,000家，应完成1,200家（33%），完成率27.8%，按当前进度预计2025年底达到3,000家（目标3,600家）",
     "Jan–Dec 2023 cumulative 1,000 firms; expected 1,200 firms (33%); completion 27.8%; "
     "projected 3,000 firms by end of 2025 at the current pace (target 3,600 firms)"),
    (spec(8, "%", kind="growth"), {"2023-06": 6.5}, "2023-06",
     "截至6月同比增长6.5%，目标不低于8%，完成率81.2%",
     "as of Jun 2023: growth 6.5%; target ≥ 8%; completion 81.2%"),
])
def test_explanations_in_both_languages(target, values, as_of, zh, en):
    result = evaluate(target, values, as_of, T)
    assert (explain(result, "zh"), explain(result, "en")) == (zh, en)


def test_a_month_not_reported_is_said_in_both_languages():
    from indicators.reporting import evaluate_reported

    result = evaluate_reported(spec(1200, "亩"), "monthly", ("2023-02", 200), ("2023-01", 100), "2023-03", T)
    assert result.reported is False
    assert explain(result, "zh").startswith("3月未报，按2月数据判定：1–2月累计200亩")
    assert explain(result, "en").startswith("2023-03 not reported; judged at 2023-02: Jan–Feb 2023 cumulative 200 mu")


def test_data_of_another_year_names_it_in_chinese_too():
    result = evaluate(spec(3600, "个", deadline="2025-12"), {"2023-12": 1300}, "2024-03", T)
    assert explain(result, "zh").startswith("2023年1–12月累计1,300个")
    assert explain(result, "en").startswith("Jan–Dec 2023 cumulative 1,300 items")


@pytest.mark.parametrize("unit", sorted({t.unit for t in cat.load().targets}))
def test_english_explanations_name_every_catalogue_unit_in_english(unit):
    kind = "growth" if unit == "%" else "increment"
    result = evaluate(spec(100, unit, kind=kind), {"2023-06": 40}, "2023-06", T)
    assert CJK.search(explain(result, "en")) is None, explain(result, "en")
    assert unit in explain(result, "zh")


@pytest.mark.parametrize("value, unit, zh, en", [
    (15, "万亩", "15万亩", "150,000 mu"), (5, "亿元", "5亿元", "500 million yuan"), (30, "万千瓦", "30万千瓦", "300 MW"),
    (1320, "个", "1,320个", "1,320 items"), (52.8, "%", "52.8%", "52.8%"), (12, "平方公里", "12平方公里", "12 km²"),
    (None, "个", "—", "—"),
])
def test_format_amount(value, unit, zh, en):
    assert (format_amount(value, unit), format_amount(value, unit, lang="en")) == (zh, en)
