"""Departments (issue 15): one canonical body per written lead unit, looked up with the plan's jurisdiction."""

import dataclasses

import pytest

from indicators import catalogue as cat
from indicators.catalogue import departments
from indicators.catalogue.departments import UNLISTED, Department, Departments
from indicators.catalogue.rules import department_problems


@pytest.fixture(scope="module")
def real() -> cat.Catalogue:
    return cat.load()


@pytest.mark.parametrize(
    ("jurisdiction", "written", "divisions", "keys"),
    [
        # two written forms of one division of the bureau: merged
        ("聊城市", ["原材料科"], True, ("原材料产业科",)),
        ("聊城市", ["原材料产业科"], True, ("原材料产业科",)),
        # divisions roll up under the bureau that issued the 002 plan, counted once per target
        ("聊城市", ["原材料科", "原材料产业科", "化专办"], False, ("聊城市工信局",)),
        ("聊城市", ["链长办", "市科技局"], False, ("聊城市工信局", "聊城市科技局")),
        # the same words in two cities are two bodies
        ("聊城市", ["市发展改革委"], False, ("聊城市发改委",)),
        ("泰安市", ["市发展改革委"], False, ("泰安市发改委",)),
        # a bureau and a centre are not merged
        ("聊城市", ["市大数据局"], False, ("聊城市大数据局",)),
        ("泰安市", ["市大数据中心"], False, ("泰安市大数据中心",)),
        # a city body written by a district plan
        ("文昌湖区", ["市萌山水库管理中心"], False, ("萌山水库管理中心",)),
        # unknown names stay as written; no lead unit is its own group
        ("聊城市", ["市某某局"], False, ("市某某局",)),
        ("聊城市", [], False, (UNLISTED,)),
    ],
)
def test_keys_merge_only_the_same_body(real, jurisdiction, written, divisions, keys):
    assert real.departments.keys(jurisdiction, written, divisions) == keys


def test_every_lead_unit_of_the_real_catalogue_maps_and_the_table_is_sound(real):
    assert department_problems(real) == []
    for target in real.targets:
        assert None not in real.departments_of(target), target.id


def test_divisions_sit_one_level_below_the_bureau(real):
    shorts = {d.short for d in real.departments.divisions_of("聊城市工信局")}
    assert {"原材料产业科", "化专办", "链长办", "技改办"} <= shorts
    assert real.departments.divisions_of("泰安市工信局") == []


def test_labels_are_short_in_chinese_and_english_otherwise(real):
    assert real.departments.labels("zh")["聊城市工信局"] == "聊城市工信局"
    assert real.departments.labels("en")["聊城市工信局"] == "Liaocheng Industry & IT Bureau"
    assert real.departments.labels("en")[UNLISTED] == "(no lead unit listed)"


def _dept(ident, short, written, jurisdiction="聊城市", parent=None):
    return Department(id=ident, name=short, short=short, en=short, jurisdiction=jurisdiction, written=written,
                      parent=parent)


@pytest.mark.parametrize(
    ("table", "where", "field", "code", "params"),
    [
        ([_dept("a", "甲", ["市科技局"]), _dept("a", "乙", ["市水利局"])], "a", "id", "duplicate_department", {}),
        ([_dept("a", "甲", ["市科技局"]), _dept("b", "甲", ["市水利局"])], "b", "short", "short_taken",
         {"short": "甲", "other": "a"}),
        ([_dept("a", "甲", ["市科技局"], parent="zz")], "a", "parent", "unknown_parent", {"parent": "zz"}),
        ([_dept("a", "甲", ["市科技厅"])], "a", "written", "written_not_in_sources", {"written": "市科技厅"}),
        ([_dept("a", "甲", ["市科技局"]), _dept("b", "乙", ["市科技局"])], "b", "written", "written_taken",
         {"written": "市科技局", "place": "聊城市", "other": "a"}),
    ],
)
def test_table_problems_name_the_department_field_and_reason(real, table, where, field, code, params):
    broken = dataclasses.replace(real, departments=Departments.of(table))
    problems = department_problems(broken)
    assert any((p.entry, p.where, p.field, p.code, p.params) == ("department", where, field, code, params)
               for p in problems), problems


def test_same_written_form_in_two_jurisdictions_is_fine(real):
    table = [_dept("a", "甲", ["市科技局"]), _dept("b", "乙", ["市科技局"], jurisdiction="泰安市")]
    assert department_problems(dataclasses.replace(real, departments=Departments.of(table))) == []


def test_table_for_reads_the_catalogue_file_once_per_change(tmp_path):
    path = tmp_path / "targets.yaml"
    path.write_text("departments:\n  - {id: a, jurisdiction: 甲市, name: 甲市乙局, short: 乙局, en: B, written: [市乙局]}\n",
                    encoding="utf-8")
    first = departments.table_for(path)
    assert first.keys("甲市", ["市乙局"]) == ("乙局",)
    assert departments.table_for(path) is first
    path.write_text("departments: []\n", encoding="utf-8")
    import os
    os.utime(path, ns=(1, 1))
    assert departments.table_for(path).keys("甲市", ["市乙局"]) == ("市乙局",)
