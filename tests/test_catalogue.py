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
    ("sample", "target_id", "field", "message"),
    [
        ("broken_duplicate_id.yaml", "sample-2023.t1.tech-projects", "id", "duplicate id"),
        ("broken_quote_not_verbatim.yaml", "sample-2023.t1.5g", "quote", "not a verbatim substring"),
        ("broken_value_not_in_quote.yaml", "sample-2023.t2.afforestation", "value", "400 does not appear"),
        ("broken_bad_unit.yaml", "sample-2023.t2.afforestation", "unit", "unknown unit: '亩地'"),
        ("broken_comparator_mismatch.yaml", "sample-2023.t2.water-cap", "comparator", "wording says '<='"),
        ("broken_deadline_outside.yaml", "sample-2023.t2.water-cap", "deadline", "outside the plan period"),
        ("broken_unknown_plan.yaml", "sample-2023.t2.afforestation", "plan", "unknown plan 'sample-2024'"),
        ("broken_unknown_sector.yaml", "sample-2023.t1.5g", "sector", "unknown sector 'space'"),
        ("broken_range_without_max.yaml", "sample-2023.t1.tech-projects", "value_max", "a range needs value_max"),
        ("broken_unknown_lead_unit.yaml", "sample-2023.t2.water-cap", "lead_units", "'县水务局' is not in the departments"),
    ],
)
def test_broken_sample_reports_id_field_and_reason(sample, target_id, field, message):
    problems = cat.validate(load_sample(sample))
    assert any(p.where == target_id and p.field == field and message in p.message for p in problems), problems
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


def test_yaml_syntax_error_is_a_catalogue_error_not_a_traceback():
    with pytest.raises(cat.CatalogueError, match="cannot read YAML"):
        load_sample("broken_yaml_syntax.yaml")


def test_cli_validate_exits_1_listing_every_problem(capsys):
    code = main(["validate", "--targets", str(DATA / "broken_value_not_in_quote.yaml"),
                 "--exclusions", str(DATA / "good.exclusions.yaml"), "--plans", str(PLANS)])
    out = capsys.readouterr().out
    assert code == 1
    assert "sample-2023.t2.afforestation" in out and "400 does not appear" in out


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


def test_validate_coverage_runs_the_extractor_and_names_an_uncatalogued_target(capsys):
    code = main(["validate", "--targets", str(DATA / "missing_target.yaml"), "--exclusions",
                 str(DATA / "good.exclusions.yaml"), "--plans", str(PLANS), "--coverage"])
    out = capsys.readouterr().out
    assert code == 1
    assert "candidate 4000亩" in out and "完成造林４０００亩" in out and "neither catalogued nor excluded" in out


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
    ("target_id", "update", "field", "message"),
    [
        ("liaocheng-2023.t92.day-care-coverage", {"value": 90.0}, "value", "全覆盖 means 100, not 90"),
        ("liaocheng-2023.t60.soe-main-indicators-growth", {"comparator": ">"}, "comparator", "两位数增长 means '>='"),
        ("taian-2022.t5.tech-upgrade-investment-growth", {"comparator": ">="}, "comparator", "正增长 means '>'"),
    ],
)
def test_a_worded_target_must_carry_what_its_words_mean(real, target_id, update, field, message):
    import dataclasses

    targets = [t.model_copy(update=update) if t.id == target_id else t for t in real.targets]
    problems = cat.validate(dataclasses.replace(real, targets=targets))
    assert [(p.where, p.field) for p in problems] == [(target_id, field)] and message in problems[0].message
