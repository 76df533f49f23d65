"""The department ranking and the 需要关注 table (issue 15): behind schedule first, every row, safe downloads."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from indicators.catalogue.departments import Department, Departments
from indicators.outputs import attention
from indicators.progress import Progress, TargetSpec, evaluate
from indicators.progress.read_model import TargetInfo


def dept(ident, short, written, parent=None):
    return Department(id=ident, name=short, short=short, en=f"{short} (en)", jurisdiction="甲市", written=written,
                      parent=parent)


TABLE = Departments.of([
    dept("gx", "甲市工信局", ["市工业和信息化局"]),
    dept("gx.ycl", "原材料产业科", ["原材料产业科", "原材料科"], parent="gx"),
    dept("fg", "甲市发改委", ["市发展改革委"]),
    dept("kj", "甲市科技局", ["市科技局"]),
])


def info(target_id, units, value=1200.0, unit="个", name=None):
    spec = TargetSpec(target_id, "increment", ">=", value, unit, "2023-01", "2023-12")
    return TargetInfo(spec, "p", "甲市", "industry", tuple(units), name or target_id, f"{target_id} (en)", "1")


def judged(infos, values, as_of="2023-06") -> list[Progress]:
    return [evaluate(i.spec, {as_of: v}, as_of) for i, v in zip(infos, values, strict=True)]


def test_ranking_puts_the_most_red_first_then_the_largest_shortfall_not_raw_completion():
    infos = [info("a", ["市发展改革委"]), info("b", ["市发展改革委"]), info("c", ["原材料科"]),
             info("d", ["原材料产业科", "市工业和信息化局"]), info("e", ["市科技局"])]
    # June: 600 expected. 发改委: two red; 工信局 (division rolled up, counted once for d): one red, one amber;
    # 科技局: green
    results = judged(infos, [100, 200, 300, 500, 700])
    ranking = attention.department_ranking(infos, results, TABLE, limit=2)
    assert [g.key for g in ranking.groups] == ["甲市发改委", "甲市工信局", "甲市科技局"]
    assert [g.key for g in ranking.shown] == ["甲市发改委", "甲市工信局"] and ranking.cut
    assert attention.ranking_note(ranking, "zh") == "前2个，共3个"
    assert ranking.groups[1].total == 2  # d names the bureau and its division: one target, counted once
    divisions = attention.division_rankings(infos, results, TABLE)
    assert list(divisions) == ["甲市工信局"] and [g.key for g in divisions["甲市工信局"].groups] == ["原材料产业科"]


def test_shortfall_breaks_ties_between_equal_red_counts():
    infos = [info("a", ["市发展改革委"]), info("b", ["市科技局"])]
    results = judged(infos, [400, 100])  # both red; 科技局 further behind its expectation
    assert [g.key for g in attention.department_ranking(infos, results, TABLE).groups] == ["甲市科技局", "甲市发改委"]


@pytest.fixture
def rows():
    infos = [info(f"t{i}", ["市发展改革委"], name=f"指标{i}") for i in range(50)]
    infos.append(info("evil", ["市科技局"], name="=HYPERLINK(\"http://x\")"))
    results = judged(infos, [10.0 * i for i in range(50)] + [0])
    return attention.attention_rows(infos, results, TABLE, "zh")


def test_every_laggard_is_a_row_furthest_behind_first(rows):
    assert len(rows) == 49  # 0..470 of an expected 600 are red (<480), and the evil one; 480 and up are amber
    assert rows[0]["completion"] == 0 and rows[-1]["indicator"] == "指标47"
    row = next(r for r in rows if r["indicator"] == "指标10")
    assert row == {"target_id": "t10", "status": "滞后", "indicator": "指标10", "departments": "甲市发改委",
                   "jurisdiction": "甲市", "actual_expected": "100个 / 600个", "completion": 0.0833,
                   "projected": "200个（年底）"}


def test_downloads_are_formula_safe_csv_and_xlsx(rows):
    text = attention.attention_csv(rows, "zh").decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["状态", "指标", "牵头部门", "辖区", "实际 / 按进度应完成", "完成率", "预计期末"]
    assert len(table) == len(rows) + 1
    assert any(r[1] == "'=HYPERLINK(\"http://x\")" for r in table)
    sheet = load_workbook(io.BytesIO(attention.attention_xlsx(rows, "en"))).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[0][0] == "Status" and len(values) == len(rows) + 1
    evil = next(r for r in values if str(r[1]).endswith('HYPERLINK("http://x")'))
    assert evil[1].startswith("'") and all(c.data_type != "f" for r in sheet.iter_rows() for c in r)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_table_has_the_downloads_headers_and_every_row(rows, lang):
    frame = attention.attention_table(rows, lang)
    assert list(frame.columns) == attention.headers(lang)
    assert len(frame) == len(rows)
    assert frame.iloc[0, 0] == rows[0]["status"] and frame.iloc[-1, 1] == rows[-1]["indicator"]
