"""Add a reviewed plan for good: merge it into the catalogue files, sync the database, audit who did it.

The one path for the ``add-plan`` command and the catalogue page.
"""

from __future__ import annotations

from pathlib import Path

from indicators.authoring.fragment import Fragment
from indicators.authoring.merge import MergeResult, merge_fragment


def add_reviewed_plan(fragment: Fragment, data_dir: Path, actor: str, sync: bool = True) -> tuple[MergeResult, str]:
    """Merge ``fragment`` (FragmentError when refused), then sync the database and audit ``plan_add``.

    Returns the merge result and a one-line account of the database sync ("" when ``sync`` is False).
    """
    result = merge_fragment(fragment, data_dir)
    if not sync:
        return result, ""
    from indicators import store
    from indicators.store.audit import audit

    engine = store.make_engine()
    report = store.init_db(engine, result.catalogue)
    audit(engine, actor, "plan_add", result.plan_id,
               {"targets": len(result.target_ids), "source": result.source.name})
    return result, f"database synced: {report.targets_added} target(s) added"
