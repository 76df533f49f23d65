"""The one door for every write, from the UI and the CLI alike:

validate, commit and roll back as an authenticated actor, within their scope, audited.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection, Engine

from indicators import store, upload
from indicators.accounts.scope import OUT_OF_SCOPE_ZH, _batch_places, _fresh, _target_places, can_rollback, can_write, write_scope
from indicators.accounts.users import PermissionDenied, User
from indicators.store.audit import audit


def _out_of_scope(engine: Engine, user: User, report: upload.ValidationReport) -> list[upload.Issue]:
    """One error per parsed row whose target the user may not write."""
    if user.role == "admin":
        return []
    with engine.connect() as conn:
        places = _target_places(conn, (p.target_id for p in report.parsed))
    issues = []
    for parsed in report.parsed:
        jurisdiction, plan_id = places.get(parsed.target_id, ("?", "?"))
        if not can_write(user, jurisdiction, plan_id):
            issues.append(upload.Issue(
                parsed.row, "target_id", f"指标“{parsed.target_id}”属于{jurisdiction}（{plan_id}），{OUT_OF_SCOPE_ZH}",
                f"target {parsed.target_id!r} belongs to {jurisdiction} ({plan_id}), outside your scope"))
    return issues


def validate_upload_as(engine: Engine, user: User | str | None, data: bytes, file_name: str,
                       **kwargs) -> upload.ValidationReport:
    """upload.validate_upload with the user's scope: every row outside it is an error (row, id, "不属于您负责的辖区").

    Checks jurisdictions (through allowed_jurisdictions) and, for statisticians scoped to a plan, the plan too.
    A user who may not write at all gets every row as such an error.
    """
    fresh = _fresh(engine, user)
    scope = write_scope(engine, fresh)
    report = upload.validate_upload(engine, data, file_name, allowed_jurisdictions=scope, **kwargs)
    if fresh is not None and fresh.role != "admin":
        extra = _out_of_scope(engine, fresh, report)
        if extra:
            report.errors = sorted(report.errors + extra, key=lambda issue: issue.row)
    return report


def _deny(engine: Engine, actor: str, action: str, target: str, detail: dict, zh: str, en: str) -> PermissionDenied:
    error = PermissionDenied(f"{zh} / {en}")
    audit(engine, actor, action, target, {**detail, "error": str(error)}, ok=False)
    return error


def commit_as(engine: Engine, user: User | str, report: upload.ValidationReport, data: bytes,
              **kwargs) -> upload.CommitResult:
    """upload.commit_upload on behalf of ``user`` (the batch's uploader), after checking its scope again; audited.

    Raises PermissionDenied (audited, nothing written) when the user may not write every row of the report.
    ``kwargs`` go to commit_upload (archive_dir, is_demo, ...).
    """
    name = user if isinstance(user, str) else user.name
    detail = {"file": report.file_name, "sha256": report.sha256, "rows": len(report.parsed)}
    fresh = _fresh(engine, name)
    if fresh is None:
        raise _deny(engine, name, "commit", report.file_name, detail,
                    "只有本辖区统计员或管理员可以提交数据", "only a statistician of the jurisdiction or an admin may commit")
    outside = _out_of_scope(engine, fresh, report)
    if outside:
        raise _deny(engine, name, "commit", report.file_name, {**detail, "rows_out_of_scope": len(outside)},
                    f"{len(outside)} 行{OUT_OF_SCOPE_ZH}", f"{len(outside)} row(s) outside your scope")
    try:
        result = upload.commit_upload(engine, report, data, uploader=fresh.name, **kwargs)
    except Exception as exc:
        audit(engine, name, "commit", report.file_name, {**detail, "error": f"{type(exc).__name__}: {exc}"[:500]},
              ok=False)
        raise
    record_commit(engine, fresh.name, report, result)
    return result


def record_commit(engine_or_conn: Engine | Connection, actor: str, report: upload.ValidationReport,
                  result: upload.CommitResult) -> None:
    """Audit a commit done by upload.commit_upload (for callers that commit themselves, such as the CLI)."""
    target = f"batch {result.batch_id}" if result.batch_id is not None else report.file_name
    detail = {"file": report.file_name, "sha256": report.sha256, "batch_id": result.batch_id,
              "written": result.written, "unchanged": result.unchanged, "duplicate_of": report.duplicate_of}
    audit(engine_or_conn, actor, "commit", target, detail)


def rollback_as(engine: Engine, user: User | str, batch_id: int) -> dict:
    """store.rollback_batch on behalf of ``user`` after checking its scope; audited (refusals too).

    Raises PermissionDenied, or store.RollbackError for an unknown or already rolled-back batch.
    """
    name = user if isinstance(user, str) else user.name
    target = f"batch {batch_id}"
    with engine.connect() as conn:
        exists = _batch_places(conn, batch_id)[0]
    if exists and not can_rollback(engine, name, batch_id):
        raise _deny(engine, name, "rollback", target, {"batch_id": batch_id},
                    f"您无权撤销批次 {batch_id}（含{OUT_OF_SCOPE_ZH}的数据）",
                    f"you may not roll back batch {batch_id} (it holds values outside your scope)")
    if _fresh(engine, name) is None:
        raise _deny(engine, name, "rollback", target, {"batch_id": batch_id},
                    "只有统计员或管理员可以撤销批次", "only a statistician or an admin may roll back")
    try:
        row = store.rollback_batch(engine, batch_id, user=name)
    except store.RollbackError as exc:
        audit(engine, name, "rollback", target, {"batch_id": batch_id, "error": str(exc)}, ok=False)
        raise
    record_rollback(engine, name, batch_id, row)
    return row


def record_rollback(engine_or_conn: Engine | Connection, actor: str, batch_id: int, row: dict) -> None:
    """Audit a rollback done by store.rollback_batch (for callers that roll back themselves, such as the CLI)."""
    audit(engine_or_conn, actor, "rollback", f"batch {batch_id}",
          {"batch_id": batch_id, "file": row.get("file_name"), "rows_written": row.get("rows_written")})
