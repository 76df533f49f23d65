"""Catalogue loading and validation (DESIGN §3): the real catalogue is sound, broken samples say what is wrong."""

from pathlib import Path

import pytest

from indicators import catalogue as cat
from indicators.cli import main

DATA = Path(__file__).parent / "data" / "catalogue"
PLANS = DATA / "plans.yaml"


def load_sample(name: str) -> cat.Catalogue:
    return cat.load(DATA / name, DATA / "good.exclusions.yaml", plans_path=PLANS)


def test_good_sample_has_no_problems_and_full_coverage():
    catalogue = load_sample("good.yaml")
    assert len(catalogue.targets) == 4
    assert cat.validate(catalogue) == []
    assert cat.exclusion_problems(catalogue) == []
    assert cat.coverage(catalogue) == []


def test_coverage_finds_a_number_nobody_accounted_for():
    catalogue = cat.load(DATA / "good.yaml", None, plans_path=PLANS)
    missing = cat.coverage(catalogue)
    assert [(m[0], m[2]) for m in missing] == [("source.txt", "500"), ("source.txt", "5")]


@pytest.mark.parametrize(
    ("sample", "target_id", "field", "code", "params"),
    [
        ("broken_duplicate_id.yaml", "sample-2023.t1.tech-projects", "id", "duplicate_id", {"other_line": 2}),
        ("broken_quote_not_verbatim.yaml", "sample-2023.t1.5g", "quote", "quote_not_verbatim", {"source": "source.txt"}),
        ("broken_value_not_in_quote.yaml", "sample-2023.t2.afforestation", "value", "value_not_in_quote",
         {"value": 400, "unit": "亩"}),
        ("broken_bad_unit.yaml", "sample-2023.t2.afforestation", "unit", "unknown_unit", {"unit": "亩地"}),
        ("broken_comparator_mismatch.yaml", "sample-2023.t2.water-cap", "comparator", "comparator_mismatch",
         {"comparator": ">=", "wording": ["<="]}),
        ("broken_deadline_outside.yaml", "sample-2023.t2.water-cap", "deadline", "deadline_outside_plan",
         {"deadline": "2024-06", "start": "2023-01", "end": "2023-12"}),
        ("broken_unknown_plan.yaml", "sample-2023.t2.afforestation", "plan", "unknown_plan", {"plan": "sample-2024"}),
        ("broken_unknown_sector.yaml", "sample-2023.t1.5g", "sector", "unknown_sector",
         {"sector": "space", "sectors": ["investment_consumption", "digital", "water", "environment"]}),
        ("broken_range_without_max.yaml", "sample-2023.t1.tech-projects", "value_max", "range_without_max", {}),
        ("broken_unknown_lead_unit.yaml", "sample-2023.t2.water-cap", "lead_units", "unknown_lead_unit",
         {"unit": "县水务局", "jurisdiction": "示例县"}),
    ],
)
def test_broken_sample_reports_id_field_and_reason(sample, target_id, field, code, params):
    problems = cat.validate(load_sample(sample))
    assert any((p.where, p.field, p.code, p.params) == (target_id, field, code, params) for p in problems), problems
    assert all(p.line for p in problems if p.where.startswith("sample-"))


@pytest.mark.parametrize(
    ("sample", "where", "field"),
    [
        ("broken_missing_field.yaml", "sample-2023.t2.water-cap", "name_en"),
        ("broken_bad_kind.yaml", "sample-2023.t2.water-cap", "kind"),
    ],
)
def test_schema_errors_name_the_entry_and_line(sample, where, field):
    with pytest.raises(cat.CatalogueError) as info:
        load_sample(sample)
    problem = info.value.problems[0]
    assert (problem.where, problem.field) == (where, field)
    assert problem.line is not None and problem.line > 1


@pytest.mark.parametrize(
    ("sample", "code", "params"),
    [
        ("broken_missing_field.yaml", "schema_missing", {"field": "name_en"}),
        ("broken_bad_kind.yaml", "schema_choice",
         {"field": "kind", "value": "'ceiling'", "expected": ["'increment'", "'level'", "'cap'", "'growth'", "'share'"]}),
    ],
)
def test_schema_errors_carry_a_code_and_the_field(sample, code, params):
    with pytest.raises(cat.CatalogueError) as info:
        load_sample(sample)
    assert [(p.code, p.params) for p in info.value.problems] == [(code, params)]


@pytest.mark.parametrize(
    ("raw", "field", "code", "params"),
    [
        ({"value": "abc"}, "value", "schema_not_number", {"value": "'abc'"}),
        ({"deadline": "2023-13"}, "deadline", "schema_not_month", {"value": "'2023-13'"}),
        ({"lead_units": "市科技局"}, "lead_units", "schema_not_list", {"value": "'市科技局'"}),
        ({"baseline": 3}, "baseline", "schema_not_mapping", {"value": "3"}),
        ({"colour": "red"}, "colour", "schema_extra", {"value": "'red'"}),
        ({"name": 5}, "name", "schema_not_text", {"value": "5"}),
        ({"profile": [0.1] * 11 + [{"a": 1}]}, "profile.11", "schema_not_number", {"value": "{'a': 1}"}),
    ],
)
def test_each_pydantic_error_type_becomes_a_code_with_the_field(raw, field, code, params):
    from pydantic import ValidationError

    from indicators.catalogue.load import schema_problem

    good = load_sample("good.yaml").targets[0].model_dump()
    with pytest.raises(ValidationError) as info:
        cat.Target.model_validate(good | raw)
    (error,) = info.value.errors()
    problem = schema_problem(good["id"], error, 7, "target")
    assert (problem.field, problem.code, problem.params) == (field, code, {"field": field, **params})
    assert problem.message("zh") != problem.message("en") and field in problem.message("zh")


def test_an_unmapped_pydantic_error_keeps_pydantic_text():
    from indicators.catalogue.load import schema_problem

    error = {"type": "too_short", "loc": ("lead_units",), "msg": "List should have at least 1 item", "input": []}
    problem = schema_problem("x", error, None, "target")
    assert (problem.code, problem.params) == ("schema_other", {"field": "lead_units",
                                                               "detail": "List should have at least 1 item"})


def test_yaml_syntax_error_is_a_catalogue_error_not_a_traceback():
    with pytest.raises(cat.CatalogueError) as info:
        load_sample("broken_yaml_syntax.yaml")
    assert [(p.entry, p.code) for p in info.value.problems] == [("file", "yaml_unreadable")]
    assert "line 3" in info.value.problems[0].params["detail"]  # the parser's own words say where


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cli_validate_exits_1_listing_every_problem(capsys, lang):
    code = main(["validate", "--targets", str(DATA / "broken_value_not_in_quote.yaml"),
                 "--exclusions", str(DATA / "good.exclusions.yaml"), "--plans", str(PLANS), "--lang", lang])
    out = capsys.readouterr().out
    assert code == 1
    (problem,) = [p for p in cat.validate(load_sample("broken_value_not_in_quote.yaml"))]
    assert problem.code == "value_not_in_quote"
    # one line a problem: where, line, field, the code and the sentence in the chosen language
    assert f"  ✗ {problem.text(lang)}\n" in out and "[value_not_in_quote]" in out


@pytest.mark.parametrize("sample", ["broken_comparator_mismatch.yaml", "broken_bad_kind.yaml", "good.yaml"])
def test_cli_validate_json_gives_each_problem_its_code_and_params(capsys, sample):
    import json

    code = main(["validate", "--targets", str(DATA / sample), "--exclusions", str(DATA / "good.exclusions.yaml"),
                 "--plans", str(PLANS), "--json", "--lang", "en"])
    out = json.loads(capsys.readouterr().out)
    try:
        expected = cat.validate(load_sample(sample))
    except cat.CatalogueError as exc:  # a schema error: the file does not load
        expected = exc.problems
    assert [(p["where"], p["field"], p["line"], p["code"], p["params"], p["message"]) for p in out["problems"]] == [
        (p.where, p.field, p.line, p.code, p.params, p.message("en")) for p in expected]
    assert out["ok"] is (expected == []) and code == (0 if out["ok"] else 1)
    assert sample == "good.yaml" or out["problems"]


@pytest.mark.parametrize(
    ("quote", "number", "expected"),
    [
        ("新增省级以上创新平台20家以上", "20", ">="),
        ("用水总量控制在20.1亿立方米以内", "20.1", "<="),
        ("技术改造项目600个左右", "600", "~"),
        ("保护性种植农作物种质资源70余个", "70", ">"),  # N余: more than N
        ("免费播放公益电影700余场", "700", ">"),
        ("总量突破1万个", "1", ">"),
        ("谋划推进3—5条标志性产业链", "3", "range"),
        ("谋划推进3—5条标志性产业链", "5", "range"),
        ("证明材料共享率达到60%", "60", ">="),
        ("改造不低于县域内20%的农村公办幼儿园", "20", ">="),
        ("新增省级技术创新示范企业2家", "2", None),
        ("持续抓好3条2500吨/日及以下熟料生产线", "3", None),
        ("签约项目8个", "8", None),
        ("约300家", "300", "~"),
    ],
)
def test_expected_comparator_from_wording(quote, number, expected):
    start = quote.index(number)
    assert cat.expected_comparator(quote, start, start + len(number)) == expected


@pytest.mark.parametrize(("lang", "said"), [("zh", "候选数字 4000亩 见于“"), ("en", "candidate 4000亩 in “")])
def test_validate_coverage_runs_the_extractor_and_names_an_uncatalogued_target(capsys, lang, said):
    code = main(["validate", "--targets", str(DATA / "missing_target.yaml"), "--exclusions",
                 str(DATA / "good.exclusions.yaml"), "--plans", str(PLANS), "--coverage", "--lang", lang])
    out = capsys.readouterr().out
    assert code == 1
    assert said in out and "完成造林４０００亩" in out
    assert ("既未编入目录也未列为非指标" if lang == "zh" else "neither catalogued nor excluded") in out


# --- targets written in words (issue 15) ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real():
    return cat.load()


@pytest.mark.parametrize(
    ("target_id", "word"),
    [
        ("liaocheng-2023.t92.day-care-coverage", "全覆盖"),
        ("liaocheng-2023.t60.soe-main-indicators-growth", "两位数"),
        ("taian-2022.t5.tech-upgrade-investment-growth", "正增长"),
    ],
)
def test_coverage_catches_a_target_written_in_words_when_it_is_missing(real, target_id, word):
    import dataclasses

    assert cat.coverage(real) == []
    without = dataclasses.replace(real, targets=[t for t in real.targets if t.id != target_id])
    assert [m[2] for m in cat.coverage(without)] == [word]


@pytest.mark.parametrize(
    ("target_id", "update", "field", "code", "params"),
    [
        ("liaocheng-2023.t92.day-care-coverage", {"value": 90.0}, "value", "word_value",
         {"word": "全覆盖", "expected": 100.0, "value": 90.0}),
        ("liaocheng-2023.t60.soe-main-indicators-growth", {"comparator": ">"}, "comparator", "word_comparator",
         {"word": "两位数增长", "expected": ">=", "comparator": ">"}),
        ("taian-2022.t5.tech-upgrade-investment-growth", {"comparator": ">="}, "comparator", "word_comparator",
         {"word": "正增长", "expected": ">", "comparator": ">="}),
    ],
)
def test_a_worded_target_must_carry_what_its_words_mean(real, target_id, update, field, code, params):
    import dataclasses

    targets = [t.model_copy(update=update) if t.id == target_id else t for t in real.targets]
    problems = cat.validate(dataclasses.replace(real, targets=targets))
    assert [(p.where, p.field, p.code, p.params) for p in problems] == [(target_id, field, code, params)]
