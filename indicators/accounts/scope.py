"""Who may write what: roles and scopes (jurisdictions or plan ids) checked against targets and batches."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from indicators.accounts.users import User, _plan_jurisdictions, get_user
from indicators.store.actuals import batch_places as _batch_places


# --- write scope ---------------------------------------------------------------------------------------------------
def can_write(user: User | None, jurisdiction: str, plan_id: str | None = None) -> bool:
    """May ``user`` write (template, commit, rollback) the actuals of this jurisdiction / plan? Pure: no database.

    Admins: always. Statisticians: when the jurisdiction, or the plan, is one of their scopes. Others: never.
    """
    if user is None or not user.may_write:
        return False
    if user.role == "admin":
        return True
    return jurisdiction in user.scopes or (plan_id is not None and plan_id in user.scopes)


def _fresh(engine: Engine, user: User | str | None) -> User | None:
    """The user as stored now (a disabled or changed account takes effect at once), or None."""
    if user is None:
        return None
    stored = get_user(engine, user if isinstance(user, str) else user.name)
    return stored if stored is not None and stored.may_write else None


def write_scope(engine: Engine, user: User | str | None) -> set[str] | None:
    """Jurisdictions ``user`` may write: None = every one (admin); an empty set = none (viewer, disabled, unknown).

    A statistician's plan scope counts as the plan's jurisdiction here, because uploads are checked by jurisdiction
    (upload.validate_upload's allowed_jurisdictions); validate_upload_as narrows that to the plan.
    """
    user = _fresh(engine, user)
    if user is None:
        return set()
    if user.role == "admin":
        return None
    with engine.connect() as conn:
        plans = _plan_jurisdictions(conn)
    return {plans.get(scope, scope) for scope in user.scopes}


def writable_plans(engine: Engine, user: User | str | None) -> set[str] | None:
    """Plan ids whose template ``user`` may download and whose actuals it may write: None = all (admin)."""
    user = _fresh(engine, user)
    if user is None:
        return set()
    if user.role == "admin":
        return None
    with engine.connect() as conn:
        plans = _plan_jurisdictions(conn)
    return {plan for plan, jurisdiction in plans.items() if can_write(user, jurisdiction, plan)}


def can_rollback(engine: Engine, user: User | str | None, batch_id: int) -> bool:
    """May ``user`` roll this batch back? Admins: yes. Statisticians: when every value in it is in their scope
    (a batch that wrote nothing: only its own uploader). Unknown batches: False."""
    fresh = _fresh(engine, user)
    if fresh is None:
        return False
    with engine.connect() as conn:
        exists, uploader, places = _batch_places(conn, batch_id)
    if not exists:
        return False
    if fresh.role == "admin":
        return True
    if not places:
        return uploader == fresh.name
    return all(can_write(fresh, jurisdiction, plan_id) for jurisdiction, plan_id in places)


# --- approval (DESIGN §9) ----------------------------------------------------------------------------------------
def can_approve(engine: Engine, user: User | str | None, batch_id: int) -> bool:
    """May ``user`` approve or reject this batch? Admins: yes. Approvers: when every value in it is in their scope
    (a jurisdiction or plan, as for statisticians). Unknown batches, other roles and disabled accounts: False."""
    if user is None:
        return False
    fresh = get_user(engine, user if isinstance(user, str) else user.name)
    if fresh is None or not fresh.may_approve:
        return False
    with engine.connect() as conn:
        exists, _, places = _batch_places(conn, batch_id)
    if not exists:
        return False
    if fresh.role == "admin":
        return True
    return bool(places) and all(jurisdiction in fresh.scopes or plan_id in fresh.scopes
                                for jurisdiction, plan_id in places)
