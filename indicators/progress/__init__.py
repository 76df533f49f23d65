"""Progress (DESIGN §6):

rules (pure per-kind completion, expected value, status, projection), explain (one sentence per result), rollup
(counts by group, ranking behind schedule), read_model (targets and their values from the store, evaluated).
"""

from indicators.progress.explain import (
    explain,
    format_amount,
    format_number,
)
from indicators.progress.rollup import (
    Group,
    behind_schedule,
    laggards,
    overall,
    rollup,
    rollup_aligned,
    status_counts,
)
from indicators.progress.rules import (
    DEFAULT_THRESHOLDS,
    HOLD_WORDS,
    LAGGING,
    STATUSES,
    Progress,
    TargetSpec,
    Thresholds,
    evaluate,
    evaluate_points,
    is_count_unit,
    is_milestone,
    load_thresholds,
    target_window,
)

__all__ = [
    'STATUSES', 'LAGGING', 'DEFAULT_THRESHOLDS', 'HOLD_WORDS', 'Thresholds', 'load_thresholds',
    'TargetSpec', 'Progress', 'target_window', 'evaluate', 'evaluate_points', 'is_count_unit', 'is_milestone',
    'format_number', 'format_amount', 'explain', 'Group', 'rollup', 'rollup_aligned', 'behind_schedule', 'laggards', 'overall',
    'status_counts',
]
