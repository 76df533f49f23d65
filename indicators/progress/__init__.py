"""Progress (DESIGN §6):

rules (pure per-kind completion, expected value, status), explain (one sentence per result), rollup (counts by
group), read_model (targets and their values from the store, evaluated).
"""

from indicators.progress.explain import (
    explain,
    format_number,
)
from indicators.progress.rollup import (
    Group,
    laggards,
    rollup,
    rollup_aligned,
    status_counts,
)
from indicators.progress.rules import (
    DEFAULT_THRESHOLDS,
    HOLD_WORDS,
    STATUSES,
    Progress,
    TargetSpec,
    Thresholds,
    evaluate,
    evaluate_points,
    load_thresholds,
    target_window,
)

__all__ = [
    'STATUSES', 'DEFAULT_THRESHOLDS', 'HOLD_WORDS', 'Thresholds', 'load_thresholds',
    'TargetSpec', 'Progress', 'target_window', 'evaluate', 'evaluate_points', 'format_number',
    'explain', 'Group', 'rollup', 'rollup_aligned', 'laggards', 'status_counts',
]
