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


@pytest.mark.parametrize("by", ["unit", "division"])
def test_department_rollup_from_the_columns_equals_the_one_from_each_target(tmp_path, by):
    from indicators import catalogue as cat

    engine = store.make_engine(f"sqlite:///{tmp_path / 'real.sqlite'}")
    store.init_db(engine, cat.load())  # the real catalogue: bureaus, divisions, targets with two lead units
    infos, results = read_model.compute(engine, "2024-06")
    engine.dispose()
    assert any(len(i.lead_units) > 1 for i in infos) and len({i.jurisdiction for i in infos}) > 1
    got = read_model.rollups_by(infos, results, by)  # the lookup's columns, spread with numpy
    want = read_model.rollups_by(list(infos), list(results), by)  # each target's own lead units, one by one
    assert [(g.key, g.counts, g.completions, g.behinds, list(g.laggards)) for g in got] == \
        [(g.key, g.counts, g.completions, g.behinds, list(g.laggards)) for g in want]
    assert sum(g.total for g in got) >= len(infos)


@given(st.lists(st.tuples(st.text(min_size=1, max_size=4), st.sampled_from(progress.STATUSES),
                          st.sampled_from([0.0, 0.25, 0.5, 1.0])), max_size=40, unique_by=lambda r: r[0]),
       st.booleans())
def test_laggards_are_ordered_by_shortfall_then_python_order_of_ids(rows, sort_ids):
    import numpy as np

    from indicators.progress.rollup import ResultColumns

    rows = sorted(rows) if sort_ids else rows  # ids as a database with any collation may return them
    ids = [i for i, _, _ in rows]
    statuses = np.array([progress.STATUSES.index(s) for _, s, _ in rows], dtype=np.int64)
    behind = np.array([b for *_, b in rows], dtype=float)
    got = ResultColumns.from_arrays(statuses, np.full(len(rows), np.nan), behind, ids).lagging.tolist()
    want = sorted((i for i, (_, s, _) in enumerate(rows) if s in progress.LAGGING), key=lambda i: (-behind[i], ids[i]))
    assert got == want
