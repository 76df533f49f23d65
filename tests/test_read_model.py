"""The read model's one-query lookup and column-wise roll-ups, checked against plain reference implementations."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, text

from indicators import bench, progress, reporting, store
from indicators.progress import read_model

PERIODS = [f"2023-{m:02d}" for m in range(1, 13)] + [f"2024-{m:02d}" for m in range(1, 7)]
IDS = ["sample-2023.t1.5g", "sample-2023.t2.water", "sample-2023.t3.hitech", "sample-2023.t3.growth",
       "other-2023-2025.t1.graduates", "other-2023-2025.t1.forest"]

uploads = st.lists(  # batches of (target, period, value); a later batch may revise an earlier month
    st.lists(st.tuples(st.sampled_from(IDS), st.sampled_from(PERIODS), st.integers(0, 3000)), min_size=1, max_size=8),
    min_size=1, max_size=4)


def _reference(engine, as_of: str, thresholds) -> dict[str, progress.Progress]:
    """Status the slow, obvious way: every live observation read, the latest revision of each month kept."""
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT o.id, o.target_id, o.period, o.value FROM observations o JOIN batches b ON b.id = o.batch_id "
            "WHERE b.status = 'committed' AND (b.approval IS NULL OR b.approval = 'approved') ORDER BY o.id")).all()
        infos = read_model.load_targets(conn)
    values: dict[str, dict[str, float]] = {}
    for _, target_id, period, value in rows:
        if period <= as_of:
            values.setdefault(target_id, {})[period] = value  # ordered by id: a later revision wins
    result = {}
    for info in infos:
        spec, series = info.spec, values.get(info.spec.id, {})
        latest = (max(series), series[max(series)]) if series else None
        needs_first = spec.recurrence != "yearly" and (
            (spec.kind == "level" and spec.baseline is None) or spec.kind in ("growth", "share"))
        first = (min(series), series[min(series)]) if series and needs_first else None
        result[spec.id] = reporting.evaluate_reported(spec, info.frequency, latest, first, as_of, thresholds)
    return result


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(uploads, st.sets(st.integers(0, 3), max_size=2), st.sampled_from(PERIODS))
def test_compute_equals_the_status_of_every_observation_read(engine, batches, rolled_back, as_of):
    with store.write_transaction(engine) as conn:
        conn.execute(delete(store.observations))
        conn.execute(delete(store.batches))
    batch_ids = []
    for index, rows in enumerate(batches):
        with store.write_transaction(engine) as conn:
            batch_ids.append(conn.execute(store.batches.insert().values(
                file_name=f"b{index}.csv", sha256=f"{index:064d}", archived_path="-", uploader="t",
                uploaded_at=store.now(), rows_total=len(rows), rows_written=len(rows), rows_skipped=0,
                status="committed", is_demo=False)).inserted_primary_key[0])
            store.insert_observations(conn, batch_ids[-1], [
                (target_id, period, float(value), str(value), None, "累计", None, row)
                for row, (target_id, period, value) in enumerate(rows, start=2)])
    for index in rolled_back:
        if index < len(batch_ids):
            store.rollback_batch(engine, batch_ids[index])
    thresholds = progress.Thresholds()
    infos, results = read_model.compute(engine, as_of, thresholds=thresholds)
    expected = _reference(engine, as_of, thresholds)
    assert [i.spec.id for i in infos] == sorted(expected) == [r.target_id for r in results]
    for result in results:
        assert result == expected[result.target_id]


def _rollup_reference(results, keys):
    """The roll-up one result at a time (how it was written before the column-wise version)."""
    groups: dict[str, progress.Group] = {}
    for result, result_keys in zip(results, keys, strict=True):
        for key in result_keys or ("—",):
            group = groups.setdefault(key, progress.Group(key))
            group.counts[result.status] += 1
            if result.completion is not None:
                group.completions.append(result.completion)
            if result.actual is not None:
                group.behinds.append(result.behind)
            if result.status in progress.LAGGING:
                group.laggards.append(result)
    for group in groups.values():
        group.laggards.sort(key=lambda p: (-p.behind, p.target_id))
    return sorted(groups.values(), key=lambda g: g.key)


@given(st.lists(st.tuples(st.sampled_from(progress.STATUSES), st.none() | st.floats(-2, 3),
                          st.sampled_from([0.0, 0.25, 0.5, 0.9]),
                          st.none() | st.lists(st.sampled_from(["甲", "乙", "B", "a"]), max_size=3, unique=True)),
                max_size=60))
def test_column_wise_rollup_equals_the_one_at_a_time_rollup(rows):
    results = [progress.Progress(f"t{i:02d}", "2023-06", status, None if completion is None else 1.0, None, None,
                                 completion, behind, 6, 12) for i, (status, completion, behind, _) in enumerate(rows)]
    keys = [k for *_, k in rows]
    got, want = progress.rollup_aligned(results, keys), _rollup_reference(results, keys)
    assert [(g.key, g.counts, g.completions, g.behinds, [p.target_id for p in g.laggards]) for g in got] == \
        [(g.key, g.counts, g.completions, g.behinds, [p.target_id for p in g.laggards]) for g in want]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_postgresql_lookup_seeks_the_index_and_never_scans_observations(database_url):
    engine = store.make_engine(database_url)
    store.migrate(engine)
    bench.load_province(engine, jurisdictions=3, targets_per_jurisdiction=200, months_count=36)
    store.rollback_batch(engine, 1)  # a rolled-back batch adds a NOT IN filter to each seek: still no scan
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        rows = conn.exec_driver_sql("SELECT count(*) FROM observations").scalar_one()
        plan = read_model.explain_lookup(conn, "2024-06")
    engine.dispose()
    assert rows == 3 * 200 * 36
    assert "Seq Scan on observations" not in plan and "Bitmap Heap Scan on observations" not in plan, plan
    assert "Index Scan Backward using ix_observations_target_period on observations" in plan, plan


def test_bench_status_json_prints_one_object_with_the_figures(capsys):
    from indicators.cli import main

    assert main(["bench", "status", "--sizes", "0.01", "--runs", "2", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert {"status_s", "rollups_s", "floor_s", "targets", "observations", "database", "ratio", "sizes"} <= set(figures)
    assert (figures["database"], figures["targets"], figures["observations"]) == ("sqlite", 500, 500 * 36)
    assert figures["full_scan"] is False and len(figures["ratios"]) == 2
    assert 0 < figures["floor_s"] and 0 < figures["status_s"]
