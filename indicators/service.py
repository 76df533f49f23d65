"""The one door for every write, from the UI and the CLI alike.

Each function acts for an authenticated actor: an account (``accounts.User``, re-read from the store so that a
disabled or changed account takes effect at once) or, at the command line without ``--user``, the server's
operator (``Operator``, recorded as ``os:<login name>``). It checks the actor's scope and writes the audit row in
the same transaction as the change; a refusal is audited too and changes nothing. Add a new write (approve, enter,
...) as one more small function here, with keyword arguments after ``engine, actor``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import getpass
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Connection, Engine

from indicators import store, upload
from indicators.accounts import users as accounts_users
from indicators.accounts.scope import _fresh, can_approve, can_write, write_scope
from indicators.accounts.users import PermissionDenied, User
from indicators.store import approval as approvals
from indicators.store.actuals import batch_places as _batch_places
from indicators.store.actuals import target_places as _target_places
from indicators.store.audit import audit


@dataclass(frozen=True)
class Operator:
    """Whoever runs the command line on the server without ``--user``: every right, audited as ``os:<login>``."""

    name: str
    role: str = "admin"
    scopes: tuple[str, ...] = ()
    disabled: bool = False

    @property
    def is_admin(self) -> bool:
        return True

    @property
    def may_write(self) -> bool:
        return True


Actor = User | Operator


def operator() -> Operator:
    """The operator of this process: ``os:<login name>`` (the name the operating system gives the process owner)."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):
        login = "unknown"
    return Operator(f"os:{login}"[:80])


class Denied(PermissionDenied):
    """A write refused for its actor: ``code`` (``may_not_write``, ``out_of_scope``, ``may_not_rollback``,
    ``admin_only``) and ``params``; ``message(lang)`` is the sentence (``denied.<code>``)."""

    prefix = "denied"


def _name(actor: Actor | str | None) -> str:
    return "?" if actor is None else actor if isinstance(actor, str) else actor.name


def _current(engine: Engine, actor: Actor | str | None) -> Actor | None:
    """The actor as it may act now: the operator as is; an account re-read (None when unknown, disabled or a
    viewer: such an account may not write)."""
    if isinstance(actor, Operator):
        return actor
    return _fresh(engine, actor)


def _refuse(engine: Engine, actor: Actor | str | None, action: str, target: str, detail: dict,
            code: str, **params: object) -> Denied:
    """Audit a refusal (its own transaction: nothing else changed) and return the error to raise."""
    error = Denied(code, **params)
    audit(engine, _name(actor), action, target, {**detail, "error": code}, ok=False)
    return error


def _out_of_scope(engine: Engine, actor: Actor, parsed: list[upload.ParsedRow]) -> list[upload.Issue]:
    """One out_of_scope error per parsed row whose target the actor may not write (by jurisdiction or plan)."""
    if actor.role == "admin":
        return []
    with engine.connect() as conn:
        places = _target_places(conn, (p.target_id for p in parsed))
    issues = []
    for row in parsed:
        jurisdiction, plan_id = places.get(row.target_id, ("?", "?"))
        if not can_write(actor, jurisdiction, plan_id):
            issues.append(upload.Issue("out_of_scope", row.row, "target_id",
                                       {"id": row.target_id, "jurisdiction": jurisdiction, "plan": plan_id}))
    return issues


# --- uploads -------------------------------------------------------------------------------------------------------
def validate(engine: Engine, actor: Actor | str | None, data: bytes, file_name: str,
             **kwargs: object) -> upload.ValidationReport:
    """Check an upload for ``actor``: every row outside its scope (jurisdiction, or plan for a statistician scoped
    to a plan) is an out_of_scope error; an actor who may not write at all gets one may_not_write. Writes nothing."""
    current = _current(engine, actor)
    if current is None:  # a viewer, a disabled or an unknown account: one whole-file answer, nothing read
        report = upload.ValidationReport(file_name=file_name, sha256=hashlib.sha256(data).hexdigest())
        report.errors.append(upload.file_issue("may_not_write"))
        return report
    scope = None if isinstance(current, Operator) else write_scope(engine, current)
    report = upload.validate_upload(engine, data, file_name, allowed_jurisdictions=scope, **kwargs)
    if current is not None and current.role != "admin":
        extra = upload.locate(_out_of_scope(engine, current, report.parsed), report.columns)
        if extra:
            report.errors = sorted(report.errors + extra, key=lambda issue: issue.row)
    return report


def commit(engine: Engine, actor: Actor | str, report: upload.ValidationReport, data: bytes, *,
           archive_dir=None, is_demo: bool = False, before_commit: Callable[[], None] | None = None,
           submitted_at: dt.datetime | None = None) -> upload.CommitResult:
    """Commit a valid report as one batch for ``actor`` (its uploader), after checking its scope again.

    The audit row is written in the batch's own transaction: both exist or neither. Raises Denied (audited,
    nothing written) when the actor may not write every row.

    ``submitted_at`` backdates the batch (when the report would have come in): only for demo data loaded by the
    operator (the demo loader, tests), aware and not in the future; the audit row keeps the real time and says so.
    A signed-in user can never set it.
    """
    name = _name(actor)
    detail = {"file": report.file_name, "sha256": report.sha256, "rows": len(report.parsed)}
    if submitted_at is not None:
        if not (is_demo and isinstance(actor, Operator)):
            raise ValueError("submitted_at is for demo data loaded by the operator only")
        if submitted_at.tzinfo is None or submitted_at > dt.datetime.now(dt.UTC):
            raise ValueError("submitted_at must be an aware time in the past")
        submitted_at = submitted_at.astimezone(dt.UTC)
        detail["submitted_at"] = submitted_at.isoformat()
    current = _current(engine, actor)
    if current is None:
        raise _refuse(engine, actor, "commit", report.file_name, detail, "may_not_write")
    outside = _out_of_scope(engine, current, report.parsed)
    if outside:
        raise _refuse(engine, actor, "commit", report.file_name, {**detail, "rows_out_of_scope": len(outside)},
                      "out_of_scope", rows=len(outside))

    def audit_commit(conn: Connection, result: upload.CommitResult) -> None:
        audit(conn, current.name, "commit", f"batch {result.batch_id}",
              {**detail, "batch_id": result.batch_id, "written": result.written, "unchanged": result.unchanged})

    try:
        result = upload.commit_upload(engine, report, data, uploader=current.name, is_demo=is_demo,
                                      archive_dir=archive_dir, before_commit=before_commit,
                                      in_transaction=audit_commit, submitted_at=submitted_at)
    except Exception as exc:
        audit(engine, name, "commit", report.file_name, {**detail, "error": f"{type(exc).__name__}: {exc}"[:500]},
              ok=False)
        raise
    if result.batch_id is None:  # identical to a committed batch: nothing written, the attempt is still recorded
        audit(engine, current.name, "commit", report.file_name, {**detail, "duplicate_of": result.duplicate_of})
    return result


def rollback(engine: Engine, actor: Actor | str, batch_id: int, *,
             before_commit: Callable[[], None] | None = None) -> store.BatchRow:
    """Roll a batch back for ``actor``: admins any batch, statisticians a batch whose every value is in their
    scope (a batch without values: only its uploader). Audited in the rollback's own transaction.

    Raises Denied (audited), or store.RollbackError (audited) for an unknown or already rolled-back batch.
    """
    name, target = _name(actor), f"batch {batch_id}"
    current = _current(engine, actor)
    if current is None:
        raise _refuse(engine, actor, "rollback", target, {"batch_id": batch_id}, "may_not_rollback", batch_id=batch_id)
    if current.role != "admin":
        with engine.connect() as conn:
            exists, uploader, places = _batch_places(conn, batch_id)
        allowed = (all(can_write(current, j, p) for j, p in places) if places else uploader == current.name)
        if exists and not allowed:
            raise _refuse(engine, actor, "rollback", target, {"batch_id": batch_id}, "may_not_rollback",
                          batch_id=batch_id)
        if exists and approvals.approval_of(engine, batch_id) == "approved":  # what leaders saw: an admin's decision
            raise _refuse(engine, actor, "rollback", target, {"batch_id": batch_id}, "approved_admin_only",
                          batch_id=batch_id)

    def audit_rollback(conn: Connection, row: store.BatchRow) -> None:
        audit(conn, current.name, "rollback", target,
              {"batch_id": batch_id, "file": row.file_name, "rows_written": row.rows_written})
        if before_commit is not None:
            before_commit()

    try:
        return store.rollback_batch(engine, batch_id, user=current.name, in_transaction=audit_rollback)
    except store.RollbackError as exc:
        audit(engine, name, "rollback", target, {"batch_id": batch_id, "error": exc.reason}, ok=False)
        raise


def rollback_message(error: store.RollbackError, lang: str = "zh") -> str:
    """The sentence for a refused rollback (unknown or already rolled back)."""
    from indicators.i18n import t

    return t(f"rollback.{error.reason}", lang, batch_id=error.batch_id, when=error.when or "")


# --- approval (DESIGN §9) ------------------------------------------------------------------------------------------
class ApprovalError(ValueError):
    """A batch cannot be decided: ``reason`` is unknown, not_pending or reason_needed; ``message(lang)``."""

    def __init__(self, reason: str, batch_id: int, state: str = ""):
        self.reason, self.batch_id, self.state = reason, batch_id, state
        super().__init__(self.message("en"))

    def message(self, lang: str = "zh") -> str:
        from indicators.i18n import t

        return t(f"approval.{self.reason}", lang, batch_id=self.batch_id, state=self.state)


def _approver(engine: Engine, actor: Actor | str | None) -> Actor | None:
    """The actor as it may approve now: the operator; an approver or admin re-read from the store; else None."""
    if isinstance(actor, Operator):
        return actor
    if actor is None:
        return None
    user = accounts_users.get_user(engine, _name(actor))
    return user if user is not None and user.may_approve else None


def approve(engine: Engine, actor: Actor | str, batch_id: int, *, comment: str = "") -> store.BatchRow:
    """Approve a submitted batch: its values count from now on (status, pages, pack, briefings). Approvers scoped to
    every value of it, admins and the operator; audited in the decision's transaction, refusals too."""
    return _decide(engine, actor, batch_id, "approved", comment)


def reject(engine: Engine, actor: Actor | str, batch_id: int, *, reason: str) -> store.BatchRow:
    """Reject a submitted batch with a reason: its values never count, and the same file may be submitted again."""
    return _decide(engine, actor, batch_id, "rejected", reason)


def _decide(engine: Engine, actor: Actor | str, batch_id: int, decision: str, comment: str) -> store.BatchRow:
    action, target = ("approve" if decision == "approved" else "reject"), f"batch {batch_id}"
    comment = (comment or "").strip()[:2000]
    detail = {"batch_id": batch_id, "comment": comment}
    current = _approver(engine, actor)
    if current is None or not (isinstance(current, Operator) or can_approve(engine, current, batch_id)):
        raise _refuse(engine, actor, action, target, detail, "may_not_approve", batch_id=batch_id)
    try:
        if decision == "rejected" and not comment:
            raise ApprovalError("reason_needed", batch_id)
        with store.write_transaction(engine) as conn:
            row = store.batch_row(conn, batch_id)
            if row is None:
                raise ApprovalError("unknown", batch_id)
            if row.status != "committed" or row.approval != "submitted":
                raise ApprovalError("not_pending", batch_id, row.approval or row.status)
            approvals.record_decision(conn, batch_id, decision, by=current.name, at=store.now(),
                                      comment=comment or None)
            store.bump_version(conn)
            audit(conn, current.name, action, target, {**detail, "file": row.file_name, "uploader": row.uploader})
    except ApprovalError as exc:
        audit(engine, _name(actor), action, target, {**detail, "error": exc.reason}, ok=False)
        raise
    return dataclasses.replace(row, approval=decision)  # as before the decision, with the decision itself


def pending_batches(engine: Engine, actor: Actor | str | None = None) -> list[store.BatchRow]:
    """Batches awaiting approval, oldest first; given ``actor``, only those it may decide on."""
    rows = approvals.pending_batches(engine)
    if actor is None or isinstance(actor, Operator):
        return rows
    return [r for r in rows if can_approve(engine, actor, r.id)]


# --- accounts ------------------------------------------------------------------------------------------------------
def _admin(engine: Engine, actor: Actor | str, action: str, name: str) -> str:
    """The actor's name when it may change accounts (an admin or the operator); otherwise Denied (audited)."""
    current = _current(engine, actor)
    if current is None or current.role != "admin":
        raise _refuse(engine, actor, action, name, {}, "admin_only")
    return current.name


def add_user(engine: Engine, actor: Actor | str, name: str, *, role: str, password: str | None,
             scopes: tuple[str, ...] | list[str] = (), email: str | None = None) -> User:
    """Create an account (admins only); audited with the change."""
    return accounts_users.add_user(engine, name, role, password, scopes, _admin(engine, actor, "user_add", name),
                                   email)


def set_password(engine: Engine, actor: Actor | str, name: str, *, password: str) -> None:
    """Replace an account's password (admins only; also lifts a lock-out); audited with the change."""
    accounts_users.set_password(engine, name, password, _admin(engine, actor, "user_passwd", name))


def disable_user(engine: Engine, actor: Actor | str, name: str) -> None:
    """Disable an account (admins only); audited with the change."""
    accounts_users.disable_user(engine, name, _admin(engine, actor, "user_disable", name))


def enable_user(engine: Engine, actor: Actor | str, name: str) -> None:
    """Re-enable an account (admins only; also lifts a lock-out); audited with the change."""
    accounts_users.enable_user(engine, name, _admin(engine, actor, "user_enable", name))


def unlock_user(engine: Engine, actor: Actor | str, name: str) -> None:
    """Lift a login lock-out (admins only); audited with the change."""
    accounts_users.unlock_user(engine, name, _admin(engine, actor, "user_unlock", name))


# --- catalogue ----------------------------------------------------------------------------------------------------
def add_plan(engine: Engine, actor: Actor | str, fragment, data_dir: Path, *, sync: bool = True):
    """Add a reviewed plan to the catalogue files and the database (admins only); audited in the sync's transaction.

    Returns (MergeResult, sync summary); FragmentError, nothing written, when the merged catalogue would not validate.
    """
    from indicators.authoring.publish import add_reviewed_plan

    name = _admin(engine, actor, "plan_add", str(fragment.plan.get("id", "")))
    return add_reviewed_plan(engine if sync else None, fragment, data_dir, name)


# The names the pages and older callers use.
validate_upload_as, commit_as, rollback_as = validate, commit, rollback
