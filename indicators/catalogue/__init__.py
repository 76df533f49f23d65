"""The catalogue (DESIGN §3):

models (typed plans, targets, exclusions), departments (one body per written lead unit),
load (YAML with line numbers), rules (verbatim quotes, values, units,
comparators), coverage (every number in the sources accounted for).
"""

from indicators.catalogue.coverage import (
    coverage,
    exclusion_problems,
)
from indicators.catalogue.departments import (
    Department,
    Departments,
)
from indicators.catalogue.load import (
    load,
)
from indicators.catalogue.models import (
    ID_RE,
    MONTH_RE,
    Baseline,
    Catalogue,
    CatalogueError,
    Comparator,
    Exclusion,
    Kind,
    Period,
    Plan,
    Problem,
    Sector,
    Strict,
    Target,
)
from indicators.catalogue.rules import (
    expected_comparator,
    validate,
)

__all__ = [
    'MONTH_RE', 'ID_RE', 'Kind', 'Comparator', 'Strict', 'Period', 'Plan', 'Baseline', 'Target',
    'Exclusion', 'Sector', 'Problem', 'CatalogueError', 'Catalogue', 'DEFAULT_EXCLUSIONS',
    'Department', 'Departments', 'load', 'expected_comparator', 'validate', 'coverage', 'exclusion_problems',
]
