"""The reporting cycle from the store and the command line, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import update

from indicators import store, upload
from indicators.progress import read_model
from indicators.reporting import BEIJING, read
from tests.test_cli_store import cli, env  # noqa: F401  (the env fixture)

SAMPLE = ["sample-2023.t1.5g", "sample-2023.t1.firms", "sample-2023.t2.water", "sample-2023.t3.hitech",
          "sample-2023.t3.growth", "sample-2023.t3.sewage"]
VALUES = {"2023-09": ["900", "40", "1.8", "280", "8.5", "52%"], "2023-10": ["1000", "44", "2.0", "285", "8.6", "53%"]}


def commit(engine, archive_dir, month: str, ids: list[str], when: dt.datetime | None = None) -> int:
    lines = ["target_id,period,value"] + [f"{t},{month},{VALUES[month][SAMPLE.index(t)]}" for t in ids]
    data = ("\n".join(lines) + "\n").encode()
    report = upload.validate_upload(engine, data, f"{month}.csv")
    assert report.ok, report.errors
    batch_id = upload.commit_upload(engine, report, data, "tester", archive_dir=archive_dir).batch_id
    if when is not None:  # the batch's commit time, as if it had been committed then (the store keeps UTC)
        with store.write_transaction(engine) as conn:
            conn.execute(update(store.batches).where(store.batches.c.id == batch_id)
                         .values(uploaded_at=when.astimezone(dt.UTC)))
    return batch_id


def test_a_partial_month_keeps_the_default_month_and_marks_the_unreported(engine, archive_dir):
    commit(engine, archive_dir, "2023-09", SAMPLE, dt.datetime(2023, 10, 10, 23, 0, tzinfo=BEIJING))
    commit(engine, archive_dir, "2023-10", SAMPLE[:1], dt.datetime(2023, 11, 11, 0, 30, tzinfo=BEIJING))
    cycle = read.load_cycle(engine, ["sample-2023"])
    assert cycle.months_with_data == ["2023-09", "2023-10"]
    per_month = cycle.per_month()
    assert (per_month["2023-09"].reported, per_month["2023-09"].expected) == (6, 6)
    assert (per_month["2023-10"].reported, per_month["2023-10"].expected) == (1, 6)
    assert cycle.default_month() == "2023-09"
    september, october = cycle.tally(["2023-09", "2023-10"])
    assert (september.on_time, september.late, october.late, october.missing) == (6, 0, 1, 5)
    missing = cycle.missing(["2023-10"], today=dt.date(2023, 11, 20))
    assert sorted(m.target_id for m in missing) == sorted(SAMPLE[1:]) and {m.days_overdue for m in missing} == {10}
    assert {m.reporter for m in missing} >= {"县工业和信息化局", "县水利局"}

    _, at_september = read_model.compute(engine, "2023-09", ["sample-2023"])
    _, at_october = read_model.compute(engine, "2023-10", ["sample-2023"])
    for before, after in zip(at_september[1:], at_october[1:], strict=True):  # the five that did not report October
        assert (after.status, after.expected, after.reported, after.last_reported) == \
            (before.status, before.expected, False, "2023-09")
    assert (at_october[0].reported, at_october[0].actual_period) == (True, "2023-10")


def test_rolled_back_reports_do_not_count(engine, archive_dir):
    batch = commit(engine, archive_dir, "2023-09", SAMPLE)
    assert read.load_cycle(engine, ["sample-2023"]).per_month()["2023-09"].reported == 6
    store.rollback_batch(engine, batch)
    cycle = read.load_cycle(engine, ["sample-2023"])
    assert cycle.firsts == {} and cycle.default_month() is None


def test_cli_status_without_as_of_and_reporting_json(env, tmp_path):  # noqa: F811
    cli(env, "init-db")
    for month, ids in (("2023-09", SAMPLE), ("2023-10", SAMPLE[:2])):
        path = tmp_path / f"{month}.csv"
        path.write_text("target_id,period,value\n" + "".join(
            f"{t},{month},{VALUES[month][SAMPLE.index(t)]}\n" for t in ids), encoding="utf-8")
        cli(env, "import", str(path))
    status = cli(env, "status", "--plan", "sample-2023", "--json")
    assert "截至 2023-09（默认：" in status.stderr  # Chinese by default
    english = cli(env, "status", "--plan", "sample-2023", "--json", "--lang", "en")
    assert "as of 2023-09 (default" in english.stderr and english.stdout == status.stdout  # the JSON is not worded
    rows = {r["target_id"]: r for r in json.loads(status.stdout)}
    assert all(r["as_of"] == "2023-09" and r["reported"] and r["last_reported"] == "2023-09" for r in rows.values())
    october = {r["target_id"]: r for r in json.loads(cli(env, "status", "--as-of", "2023-10", "--plan", "sample-2023",
                                                            "--json").stdout)}
    assert october["sample-2023.t2.water"]["reported"] is False
    assert october["sample-2023.t2.water"]["last_reported"] == "2023-09"
    report = json.loads(cli(env, "reporting", "--as-of", "2023-10", "--plan", "sample-2023", "--by", "unit",
                            "--json").stdout)
    assert {r["group"]: (r["expected"], r["reported"], r["missing"]) for r in report} == {
        "县工业和信息化局": (2, 2, 0), "县水利局": (1, 0, 1), "县科技局": (3, 0, 3)}
    assert set(report[0]) >= {"group", "expected", "reported", "on_time", "late", "missing"}
    missing = json.loads(cli(env, "reporting", "--as-of", "2023-10", "--plan", "sample-2023", "--missing",
                             "--json").stdout)["missing"]
    assert sorted(m["target_id"] for m in missing) == sorted(SAMPLE[2:])
    text = cli(env, "reporting", "--by", "jurisdiction").stdout
    assert "示例县" in text and text.splitlines()[0].split() == ["分组", "应报", "已报", "按时", "迟报", "未报"]
    chase = cli(env, "reporting", "--as-of", "2023-10", "--plan", "sample-2023", "--missing", "--lang", "en").stdout
    assert "missing reports (to chase):" in chase and "group" in chase.splitlines()[0]
    assert sum("days overdue" in line for line in chase.splitlines()) == len(SAMPLE[2:])
