"""The store, the only place with SQL on its tables:

schema, engine (DATABASE_URL, SQLite safety, migrations), sync (catalogue -> plans and targets), batches (typed
batch rows), actuals (batches, observations, revisions), reporting (first reports, pending values), lookup (every
target's latest value, for status); accounts (the users table), approval (batch decisions) and audit (the audit log)
are imported as modules of their own.
"""

from indicators.store.actuals import (
    OBSERVATION_COLUMNS,
    PlanRow,
    Revision,
    RollbackError,
    batch_months,
    committed_batch_of,
    demo_in_use,
    has_observations,
    insert_batch,
    insert_observations,
    latest_values,
    live_observations_query,
    plan_rows,
    revision_history,
    rollback_batch,
    target_rows,
)
from indicators.store.batches import (
    BatchRow,
    batch_list,
    batch_row,
)
from indicators.store.engine import (
    bump_version,
    current_version,
    database_url,
    make_engine,
    migrate,
    now,
    write_transaction,
)
from indicators.store.lookup import (
    LookupFrame,
    explain_lookup,
    fetch_lookup,
    live_target_rows,
    lookup_sql,
    observed_months,
    plan_starts,
)
from indicators.store.reporting import (
    ReportingTarget,
    batch_states,
    counts_clause,
    excluded_batch_ids,
    first_reports,
    new_first_reports,
    pending_values,
    reporting_targets,
    target_schedules,
)
from indicators.store.schema import (
    audit_log,
    batches,
    data_version,
    metadata,
    observations,
    plans,
    targets,
    users,
)
from indicators.store.sync import (
    SyncReport,
    UnitChangeError,
    init_db,
    sync_catalogue,
)
from indicators.store.uploads import (
    PlanSpan,
    TemplateTarget,
    UploadTarget,
    all_target_ids,
    committed_twin,
    plan_spans,
    previous_values,
    template_targets,
    upload_targets,
)

__all__ = [
    'metadata', 'plans', 'targets', 'batches', 'observations', 'data_version', 'users', 'audit_log', 'PROJECT_ROOT',
    'now', 'database_url', 'make_engine', 'write_transaction', 'migrate', 'bump_version',
    'current_version', 'SyncReport', 'UnitChangeError', 'sync_catalogue', 'init_db', 'live_observations_query', 'latest_values',
    'target_rows', 'plan_rows', 'PlanRow', 'batch_list', 'batch_months', 'revision_history', 'RollbackError', 'rollback_batch',
    'batch_row', 'BatchRow', 'committed_batch_of', 'insert_batch',
    'OBSERVATION_COLUMNS', 'insert_observations', 'has_observations', 'demo_in_use',
    'LookupFrame', 'explain_lookup', 'fetch_lookup', 'live_target_rows', 'lookup_sql', 'observed_months', 'plan_starts',
    'Revision', 'ReportingTarget', 'counts_clause', 'excluded_batch_ids', 'first_reports', 'pending_values', 'reporting_targets',
    'batch_states', 'new_first_reports', 'target_schedules',
    'UploadTarget', 'PlanSpan', 'TemplateTarget', 'upload_targets', 'plan_spans', 'all_target_ids', 'previous_values',
    'committed_twin', 'template_targets',
]
