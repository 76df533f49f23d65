"""Add a reviewed plan for good: merge it into the catalogue files, sync the database, audit who did it.

The one path for the ``add-plan`` command and the catalogue page.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from indicators.authoring.fragment import Fragment
from indicators.authoring.merge import MergeResult, merge_fragment


def add_reviewed_plan(engine: Engine | None, fragment: Fragment, data_dir: Path, actor: str) -> tuple[MergeResult, int | None]:
    """Merge ``fragment`` (FragmentError when refused), then sync ``engine`` with the ``plan_add`` audit row in the
    sync's transaction. Call it through ``service.add_plan`` (which checks the actor); ``engine`` None: files only.

    Returns the merge result and the number of targets the database sync added (None without an engine); the
    callers word it (i18n key ``plan_synced``).
    """
    result = merge_fragment(fragment, data_dir)
    if engine is None:
        return result, None
    from indicators import store
    from indicators.store.audit import audit

    detail = {"targets": len(result.target_ids), "source": result.source.name}
    report = store.init_db(engine, result.catalogue,
                           in_transaction=lambda conn: audit(conn, actor, "plan_add", result.plan_id, detail))
    return result, report.targets_added
