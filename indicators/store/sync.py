"""Synchronise the catalogue's plans and targets into the store; a target removed from the YAML is retired."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import (
    bindparam,
    func,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine

from indicators.catalogue import Catalogue
from indicators.i18n import CodedError
from indicators.store.engine import bump_version, migrate, now, write_transaction
from indicators.store.schema import observations, plans, targets


@dataclass(frozen=True)
class SyncReport:
    plans: int
    targets_added: int
    targets_updated: int
    targets_retired: int
    # (target id, old unit, new unit, factor, stored values converted) for each unit changed under stored actuals
    units_converted: tuple[tuple[str, str, str, float, int], ...] = ()


class UnitChangeError(CodedError, ValueError):
    """A target's unit changed to one its stored values cannot be converted to; nothing was synced.
    ``message(lang)`` is ``unit_change.not_convertible``; ``str()`` holds both languages (init-db prints it)."""

    prefix = "unit_change"

    def __init__(self, target_id: str, old: str, new: str, count: int):
        self.target_id, self.old, self.new, self.count = target_id, old, new, count
        super().__init__("not_convertible", target_id=target_id, old=old, new=new, count=count)


def sync_catalogue(engine: Engine, catalogue: Catalogue, in_transaction=None) -> SyncReport:
    """Upsert plans and targets from the catalogue; targets no longer in it are marked retired, never deleted.

    ``in_transaction(conn)``, when given, runs inside the sync's transaction (the audit row of a change that syncs).
    """
    added = updated = retired = 0
    converted: list[tuple[str, str, str, float, int]] = []
    stamp = now()
    with write_transaction(engine, serialise=True) as conn:
        existing_plans = set(conn.execute(select(plans.c.id)).scalars())
        for plan in catalogue.plans.values():
            row = {
                "title": plan.title, "title_en": plan.title_en, "issuer": plan.issuer, "doc_number": plan.doc_number,
                "jurisdiction": plan.jurisdiction, "period_start": plan.period.start, "period_end": plan.period.end,
                "source": plan.source, "synced_at": stamp,
            }
            if plan.id in existing_plans:
                conn.execute(update(plans).where(plans.c.id == plan.id).values(**row))
            else:
                conn.execute(plans.insert().values(id=plan.id, **row))
        existing = {r.id: r for r in conn.execute(select(targets))}
        new_rows = []
        for target in catalogue.targets:
            plan = catalogue.plans[target.plan]
            row = {
                "plan_id": target.plan, "jurisdiction": plan.jurisdiction, "clause": target.clause,
                "chapter": target.chapter, "sector": target.sector, "task": target.task, "name": target.name,
                "name_en": target.name_en, "kind": target.kind, "comparator": target.comparator,
                "value": target.value, "value_max": target.value_max, "unit": target.unit,
                "deadline": target.deadline, "recurrence": target.recurrence,
                "baseline_value": target.baseline.value if target.baseline else None,
                "baseline_unit": target.baseline.unit if target.baseline else None,
                "baseline_period": target.baseline.period if target.baseline else None,
                "lead_units": list(target.lead_units), "profile": target.profile, "quote": target.quote,
                "pacing": target.pacing,
                "retired": False, "retired_at": None,
                "frequency": target.frequency or plan.frequency or "monthly", "reporter": target.reporter,
            }
            old = existing.pop(target.id, None)
            if old is not None and old.unit != target.unit:
                converted.extend(_convert_stored(conn, target.id, old.unit, target.unit))
            if old is None:
                new_rows.append({"id": target.id, **row})
            elif any(_differs(getattr(old, k), v) for k, v in row.items()):
                conn.execute(update(targets).where(targets.c.id == target.id).values(**row))
                updated += 1
        if new_rows:  # one executemany: a province adds tens of thousands of targets at once
            conn.execute(targets.insert(), new_rows)
            added = len(new_rows)
        for old in existing.values():
            if not old.retired:
                conn.execute(update(targets).where(targets.c.id == old.id).values(retired=True, retired_at=stamp))
                retired += 1
        if added or updated or retired:
            bump_version(conn)
        if in_transaction is not None:
            in_transaction(conn)
    return SyncReport(len(catalogue.plans), added, updated, retired, tuple(converted))


def _convert_stored(conn: Connection, target_id: str, old: str, new: str) -> list[tuple[str, str, str, float, int]]:
    """Convert a target's stored values (every revision; the raw value and unit as uploaded stay) from its old unit
    to its new one, in the sync's transaction; UnitChangeError when they cannot be converted."""
    from indicators.text.units import UnitError, convert

    count = conn.execute(select(func.count()).select_from(observations)
                         .where(observations.c.target_id == target_id)).scalar()
    if not count:
        return []
    try:
        factor = convert(1.0, old, new)
    except UnitError as exc:
        raise UnitChangeError(target_id, old, new, count) from exc
    if factor == 1.0:
        return []
    rows = conn.execute(select(observations.c.id, observations.c.value)
                        .where(observations.c.target_id == target_id)).all()
    conn.execute(update(observations).where(observations.c.id == bindparam("row_id")),
                 [{"row_id": row.id, "value": round(row.value * factor, 9)} for row in rows])
    return [(target_id, old, new, factor, count)]


def _differs(old: object, new: object) -> bool:
    if isinstance(old, (list, dict)) or isinstance(new, (list, dict)):
        return json.dumps(old, ensure_ascii=False) != json.dumps(new, ensure_ascii=False)
    return old != new


def init_db(engine: Engine, catalogue: Catalogue, in_transaction=None) -> SyncReport:
    """Create/upgrade the schema and sync the catalogue (the `init-db` command); see sync_catalogue."""
    migrate(engine)
    return sync_catalogue(engine, catalogue, in_transaction)
