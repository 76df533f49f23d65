"""Month-by-month completeness kept up to date upload by upload (reporting/completeness.py) gives the reporting
cycle's own figures (read.load_cycle) after any sequence of uploads, approvals, rollbacks and schedule changes."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from indicators import store
from indicators.reporting import BEIJING, completeness, read

TARGETS = ["sample-2023.t1.5g", "sample-2023.t1.firms", "sample-2023.t2.water", "other-2023-2025.t1.graduates",
           "other-2023-2025.t1.forest"]
MONTHS = ["2023-02", "2023-03", "2023-09", "2023-12", "2024-03"]
SELECTIONS = [(None, None), (("sample-2023",), None), (None, ("另一区",))]
_files = itertools.count()

upload = st.tuples(st.just("upload"), st.sampled_from(MONTHS), st.sets(st.sampled_from(TARGETS), min_size=1),
                   st.integers(0, 90), st.sampled_from([None, None, "submitted"]))  # days after the month's end
decide = st.tuples(st.just("decide"), st.integers(0, 20), st.sampled_from(["approved", "rejected", "rolled_back"]))
reschedule = st.tuples(st.just("reschedule"), st.sampled_from(TARGETS),
                       st.sampled_from(["monthly", "quarterly", "yearly", "retired", "live"]))


def _apply(engine, op) -> None:
    """One change to the store, as an upload, an approval or rollback, or a catalogue sync would make it."""
    with store.write_transaction(engine) as conn:
        if op[0] == "upload":
            _, month, ids, days, approval = op
            year, number = map(int, month.split("-"))
            when = dt.datetime(year + number // 12, number % 12 + 1, 1, 9, tzinfo=BEIJING) + dt.timedelta(days=days)
            batch_id = store.insert_batch(conn, when.astimezone(dt.UTC), file_name="t.csv",
                                          sha256=f"{next(_files):064d}", archived_path="-", uploader="tester",
                                          rows_total=len(ids), rows_written=len(ids), rows_skipped=0, is_demo=False)
            if approval:
                conn.execute(update(store.batches).where(store.batches.c.id == batch_id).values(approval=approval))
            store.insert_observations(conn, batch_id, [(t, month, 1.0, "1", None, "累计", None, i + 2)
                                                       for i, t in enumerate(sorted(ids))])
        elif op[0] == "decide":
            ids = sorted(store.batch_states(conn))
            if not ids:
                return
            batch_id = ids[op[1] % len(ids)]
            values = {"status": "rolled_back"} if op[2] == "rolled_back" else {"approval": op[2]}
            conn.execute(update(store.batches).where(store.batches.c.id == batch_id).values(**values))
        else:
            _, target_id, change = op
            values = {"retired": change == "retired"} if change in ("retired", "live") else {"frequency": change}
            conn.execute(update(store.targets).where(store.targets.c.id == target_id).values(**values))
        store.bump_version(conn)


def _same_as_the_cycle(engine, held: completeness.Completeness, selection) -> None:
    cycle = read.load_cycle(engine, *selection)
    assert held.months_with_data == set(cycle.months_with_data)
    assert held.per_month() == cycle.per_month()
    assert held.per_month(MONTHS) == cycle.per_month(MONTHS)
    assert held.default_month() == cycle.default_month()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(st.one_of(upload, upload, decide, reschedule), min_size=1, max_size=6))
def test_refreshed_completeness_is_the_reporting_cycles(engine, ops):
    held = {selection: completeness.load(engine, *selection) for selection in SELECTIONS}
    for op in ops:
        _apply(engine, op)
        for selection in SELECTIONS:
            held[selection] = completeness.refresh(held[selection], engine)
            _same_as_the_cycle(engine, held[selection], selection)
            _same_as_the_cycle(engine, completeness.load(engine, *selection), selection)


def test_an_upload_reads_only_its_own_rows(engine):
    """After an upload that comes after the others, refresh adds the new batch's first reports to the counts it had
    (a value already reported by an earlier batch is not counted twice; a late report counts as late)."""
    _apply(engine, ("upload", "2023-09", {"sample-2023.t1.5g", "sample-2023.t1.firms"}, 5, None))
    before = completeness.load(engine, ["sample-2023"])
    assert (before.per_month()["2023-09"].reported, before.per_month()["2023-09"].on_time) == (2, 2)
    _apply(engine, ("upload", "2023-09", {"sample-2023.t1.5g", "sample-2023.t2.water"}, 40, None))
    after = completeness.refresh(before, engine)
    cell = after.per_month()["2023-09"]
    assert (cell.expected, cell.reported, cell.on_time, cell.late, cell.missing) == (6, 3, 2, 1, 3)
    assert sum(after.counts.values()) == sum(before.counts.values()) + 1  # added to, not worked out again
    assert after.counts.keys() > before.counts.keys()
    _same_as_the_cycle(engine, after, (["sample-2023"], None))
