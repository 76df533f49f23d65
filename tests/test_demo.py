"""The demo data's reporting cycle: one batch per plan and month, dated when its report would have come in (most by
the due day, some late), through the service; backdating is refused to anyone but the operator loading demo data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from indicators import accounts, demo, months, service, store, upload
from indicators.reporting import read
from indicators.reporting.schedule import BEIJING, due_moment
from indicators.store.audit import audit_rows

DATA = Path(__file__).parent / "data" / "ingest"


def test_demo_batches_are_monthly_reports_dated_around_the_due_day(engine, tmp_path):
    results = demo.load_demo(engine, archive_dir=tmp_path / "archive", directory=tmp_path / "demo")
    with engine.connect() as conn:
        plans = store.plan_rows(conn)
    expected = {(p, m) for p, row in plans.items()
                for m in (months.month_of(i) for i in range(months.month_index(row.period_start),
                                                            months.month_index(demo.demo_until(row.period_start,
                                                                                               row.period_end)) + 1))}
    batches = sorted(store.batch_list(engine), key=lambda b: b.id)
    assert len(results) == len(batches) == len(expected)  # one batch per plan per month
    seen = set()
    times = []
    for batch in batches:
        plan_id, month = batch.file_name.removeprefix("DEMO_").removesuffix(".csv").rsplit("_", 1)
        seen.add((plan_id, month))
        assert batch.is_demo and batch.uploader == demo.DEMO_USER
        when = batch.uploaded_at
        when = (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).astimezone(BEIJING)
        assert when == demo.submission_time(plan_id, month)
        # in the month after the one reported, never before the month is over
        assert when.strftime("%Y-%m") == months.month_of(months.month_index(month) + 1)
        times.append(when)
    assert seen == expected
    assert times == sorted(times)  # loaded in the order the reports came in
    on_time = [t < due_moment(m) for t, (_, m) in zip(times, sorted(seen, key=lambda pm: demo.submission_time(*pm)),
                                                       strict=True)]
    assert any(on_time) and not all(on_time)  # some late on purpose
    assert sum(on_time) >= 0.6 * len(on_time)  # most by the due day
    tally = read.load_cycle(engine, None).per_month()
    assert sum(t.late for t in tally.values()) and sum(t.on_time for t in tally.values()) > sum(
        t.late for t in tally.values())
    assert store.demo_in_use(engine)  # still marked as demo data


def test_backdating_is_for_the_operators_demo_data_only(engine, tmp_path):
    data = (DATA / "good.csv").read_bytes()
    report = upload.validate_upload(engine, data, "good.csv")
    past = dt.datetime(2023, 7, 5, 10, 0, tzinfo=BEIJING)
    accounts.add_user(engine, "stat", "admin", "correct horse battery")
    user = accounts.get_user(engine, "stat")
    refused = [
        dict(actor=user, is_demo=True, submitted_at=past),  # a signed-in user, even an administrator
        dict(actor=service.Operator("os:test"), is_demo=False, submitted_at=past),  # real data
        dict(actor=service.Operator("os:test"), is_demo=True, submitted_at=past.replace(tzinfo=None)),  # naive
        dict(actor=service.Operator("os:test"), is_demo=True,
             submitted_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=1)),  # the future
    ]
    for case in refused:
        with pytest.raises(ValueError, match="submitted_at"):
            service.commit(engine, case["actor"], report, data, is_demo=case["is_demo"],
                           submitted_at=case["submitted_at"], archive_dir=tmp_path / "archive")
    assert store.batch_list(engine) == []  # nothing written
    result = service.commit(engine, service.Operator("os:test"), report, data, is_demo=True, submitted_at=past,
                            archive_dir=tmp_path / "archive")
    batch = store.batch_list(engine)[0]
    assert batch.id == result.batch_id
    when = batch.uploaded_at
    assert (when if when.tzinfo else when.replace(tzinfo=dt.UTC)) == past
    trail = audit_rows(engine, action="commit")
    assert trail[0].detail["submitted_at"] == past.astimezone(dt.UTC).isoformat()
    assert trail[0].at > past  # the audit row keeps when it really happened
