"""Progress fed from the store: latest and first live values per target, on SQLite and PostgreSQL."""

import pytest

from indicators import store, upload
from indicators.progress import read_model


def commit(engine, archive_dir, text: str) -> int:
    data = text.encode("utf-8")
    report = upload.validate_upload(engine, data, "x.csv")
    assert report.ok, report.errors
    return upload.commit_upload(engine, report, data, "tester", archive_dir=archive_dir).batch_id


def test_level_without_baseline_starts_from_its_first_report_and_ignores_rolled_back_batches(engine, archive_dir):
    commit(engine, archive_dir, "target_id,period,value\nsample-2023.t3.hitech,2023-03,200\n")
    commit(engine, archive_dir, "target_id,period,value\nsample-2023.t3.hitech,2023-06,260\n")
    later = commit(engine, archive_dir, "target_id,period,value\nsample-2023.t3.hitech,2023-03,100\n")
    store.rollback_batch(engine, later)
    infos, results = read_model.compute(engine, "2023-06", ["sample-2023"])
    result = next(r for r in results if r.target_id == "sample-2023.t3.hitech")
    # base 200 in March; 300 by December: expected by June 200 + 100 × 3/9
    assert (result.actual, result.expected) == (260, pytest.approx(233.333333))
    assert result.status == "green"
    assert len(infos) == 6 and sum(1 for r in results if r.status == "no_data") == 5


def test_latest_value_up_to_the_as_of_month(engine, archive_dir):
    commit(engine, archive_dir, "target_id,period,value\nsample-2023.t1.5g,2023-03,300\nsample-2023.t1.5g,2023-07,800\n")
    _, results = read_model.compute(engine, "2023-06", ["sample-2023"])
    result = next(r for r in results if r.target_id == "sample-2023.t1.5g")
    # June is owed and not reported (DESIGN §9): judged at March, against March's expectation, and flagged
    assert (result.actual, result.actual_period, result.expected) == (300, "2023-03", 300)
    assert (result.reported, result.last_reported) == (False, "2023-03")
    _, results = read_model.compute(engine, "2023-07", ["sample-2023"])
    result = next(r for r in results if r.target_id == "sample-2023.t1.5g")
    assert (result.actual, result.expected, result.reported) == (800, 700, True)
