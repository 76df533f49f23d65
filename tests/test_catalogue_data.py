"""The shipped catalogue itself: valid against DESIGN §3, and every number in the sources accounted for."""

from collections import Counter

import pytest

from indicators import catalogue as cat
from indicators import config


@pytest.fixture(scope="module")
def catalogue() -> cat.Catalogue:
    return cat.load(config.PROJECT_ROOT / "data" / "targets.yaml", config.PROJECT_ROOT / "data" / "not_targets.yaml")


def test_catalogue_has_no_problems(catalogue):
    assert cat.validate(catalogue) == []
    assert cat.exclusion_problems(catalogue) == []


def test_every_number_in_the_sources_is_a_target_or_a_judged_exclusion(catalogue):
    assert cat.coverage(catalogue) == []


def test_every_plan_has_targets_and_ids_are_unique(catalogue):
    counts = Counter(t.plan for t in catalogue.targets)
    assert set(counts) == set(catalogue.plans)
    assert len({t.id for t in catalogue.targets}) == len(catalogue.targets) > 200


def test_sources_are_unchanged_copies_of_shared():
    shared = config.PROJECT_ROOT.parent / "shared" / "sources"
    if not shared.is_dir():
        pytest.fail("../shared/sources is not beside the checkout")
    for path in shared.glob("*.txt"):
        assert (config.PROJECT_ROOT / "data" / "sources" / path.name).read_bytes() == path.read_bytes()


@pytest.mark.parametrize(
    ("target_id", "value", "unit", "comparator"),
    [
        ("liaocheng-2023.t29.5g-new", 2500, "个", ">="),
    ],
)
def test_spot_checks_against_the_design_examples(catalogue, target_id, value, unit, comparator):
    target = catalogue.targets_by_id[target_id]
    assert (target.value, target.unit, target.comparator) == (value, unit, comparator)
