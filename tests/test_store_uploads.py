"""store.uploads: what validation and commit read of the store, on both databases, at the cost of the file's own
targets (PostgreSQL seeks the index per target instead of reading the whole observations table)."""

from __future__ import annotations

import pytest

from indicators import bench, store
from indicators.store.uploads import _previous_values_by_seeks, previous_values


def revision(engine, rows: list[tuple[str, str, float]], name: str) -> int:
    """Commit ``rows`` (target, month, value) as one batch, bare; returns its id."""
    with store.write_transaction(engine) as conn:
        batch_id = store.insert_batch(conn, None, file_name=name, sha256=name.ljust(64, "0"), archived_path="-",
                                      uploader="tester", rows_total=len(rows), rows_written=len(rows),
                                      rows_skipped=0, is_demo=False, approval=None)
        store.insert_observations(conn, batch_id, [(t, p, v, str(v), None, "累计", None, i)
                                                   for i, (t, p, v) in enumerate(rows, start=2)])
    return batch_id


def test_previous_values_are_the_live_revision_of_each_month_of_the_targets_asked(engine):
    revision(engine, [("sample-2023.t1.5g", "2023-01", 100.0), ("sample-2023.t1.5g", "2023-02", 200.0),
                              ("sample-2023.t2.water", "2023-01", 1.5)], "a")
    revision(engine, [("sample-2023.t1.5g", "2023-02", 250.0)], "b")
    withdrawn = revision(engine, [("sample-2023.t1.5g", "2023-01", 999.0)], "c")
    store.rollback_batch(engine, withdrawn)
    with engine.connect() as conn:
        assert previous_values(conn, ["sample-2023.t1.5g", "sample-2023.t9"]) == {
            ("sample-2023.t1.5g", "2023-01"): 100.0, ("sample-2023.t1.5g", "2023-02"): 250.0}
        assert previous_values(conn, ["sample-2023.t2.water"]) == {("sample-2023.t2.water", "2023-01"): 1.5}
        assert previous_values(conn, []) == {}


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_postgresql_previous_values_seek_the_index_for_the_files_targets_only(database_url):
    """A file naming a thousand targets with no values yet: ``target_id = ANY(...)`` was planned as a sequential scan
    of every observation; the seeks read only the index entries of those targets."""
    engine = store.make_engine(database_url)
    store.migrate(engine)
    bench.load_province(engine, jurisdictions=4, targets_per_jurisdiction=250, months_count=36)
    wanted = [f"new-{i}" for i in range(1000)] + ["bench-000.t1"]
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        query = _previous_values_by_seeks(sorted(wanted)).compile(conn)
        cursor = conn.connection.driver_connection.cursor()
        cursor.execute("EXPLAIN " + str(query), query.params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        values = previous_values(conn, wanted)
        jit = conn.exec_driver_sql("SHOW jit").scalar()  # compiling the plan cost more than running it
    engine.dispose()
    assert jit == "off"
    assert "Seq Scan on observations" not in plan and "ix_observations_target_period" in plan, plan
    assert sorted(values) == [("bench-000.t1", f"{year}-{month:02d}") for year in (2023, 2024, 2025)
                              for month in range(1, 13)]
