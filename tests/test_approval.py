"""Approval before leaders see the numbers (DESIGN §9), on SQLite and PostgreSQL: off by default, on by setting."""

from __future__ import annotations

import json

import pytest

from indicators import accounts, service, store
from indicators.progress import read_model
from indicators.store import audit as audit_trail
from tests.test_cli_store import cli, env  # noqa: F401  (the env fixture)

PASSWORD = "correct horse battery"
CSV = "target_id,period,value\nsample-2023.t1.5g,2023-06,600\n"


@pytest.fixture
def approval_on(tmp_path, monkeypatch):
    path = tmp_path / "settings.toml"
    path.write_text("approval_required = true\n", encoding="utf-8")
    monkeypatch.setenv("INDICATORS_SETTINGS", str(path))
    return path


def people(engine):
    accounts.add_user(engine, "stat", "statistician", PASSWORD, ["示例县"], actor="test")
    accounts.add_user(engine, "boss", "approver", PASSWORD, ["示例县"], actor="test")
    accounts.add_user(engine, "elsewhere", "approver", PASSWORD, ["另一区"], actor="test")
    accounts.add_user(engine, "root", "admin", PASSWORD, [], actor="test")


def submit(engine, archive_dir, text: str = CSV, user: str = "stat") -> int:
    data = text.encode()
    report = service.validate(engine, user, data, "june.csv")
    assert report.ok, report.errors
    return service.commit(engine, user, report, data, archive_dir=archive_dir).batch_id


def actual(engine) -> float | None:
    _, results = read_model.compute(engine, "2023-06", ["sample-2023"])
    return next(r for r in results if r.target_id == "sample-2023.t1.5g").actual


def test_without_approval_a_batch_counts_at_once(engine, archive_dir):
    people(engine)
    batch = submit(engine, archive_dir)
    assert store.batch_list(engine)[0].approval is None and actual(engine) == 600
    with pytest.raises(service.ApprovalError):
        service.approve(engine, "boss", batch)


def test_a_submitted_batch_counts_only_once_approved(engine, archive_dir, approval_on):
    people(engine)
    batch = submit(engine, archive_dir)
    assert store.batch_list(engine)[0].approval == "submitted"
    assert actual(engine) is None and read_model.observed_months(engine) == []
    with engine.connect() as conn:  # the statistician sees the pending value on the entry page
        assert store.pending_values(conn, ["sample-2023.t1.5g"], "2023-06", "stat") == {
            "sample-2023.t1.5g": (600, "600", batch)}
    assert [b.id for b in service.pending_batches(engine, "boss")] == [batch]
    assert service.pending_batches(engine, "elsewhere") == []
    for outsider in ("elsewhere", "stat"):
        with pytest.raises(accounts.PermissionDenied):
            service.approve(engine, outsider, batch, comment="ok")
    assert actual(engine) is None
    service.approve(engine, "boss", batch, comment="核对无误")
    assert actual(engine) == 600
    rows = audit_trail.audit_rows(engine, action="approve")
    assert [(r.actor, r.ok) for r in rows] == [("boss", True), ("stat", False), ("elsewhere", False)]
    assert rows[0].detail["comment"] == "核对无误"
    with pytest.raises(service.ApprovalError, match="not awaiting"):
        service.reject(engine, "boss", batch, reason="too late")


def test_a_rejected_batch_never_counts_and_needs_a_reason(engine, archive_dir, approval_on):
    people(engine)
    batch = submit(engine, archive_dir)
    with pytest.raises(service.ApprovalError, match="reason"):
        service.reject(engine, "boss", batch, reason="  ")
    service.reject(engine, "boss", batch, reason="数值与台账不符")
    assert actual(engine) is None and service.pending_batches(engine) == []
    again = submit(engine, archive_dir)  # the same file may be submitted again after a rejection
    assert again != batch
    service.approve(engine, "root", again)
    assert actual(engine) == 600


def test_rolling_back_an_approved_batch_needs_an_admin(engine, archive_dir, approval_on):
    people(engine)
    batch = submit(engine, archive_dir)
    service.approve(engine, "boss", batch)
    with pytest.raises(accounts.PermissionDenied, match="admin"):
        service.rollback(engine, "stat", batch)
    assert actual(engine) == 600
    service.rollback(engine, "root", batch)
    assert actual(engine) is None
    pending = submit(engine, archive_dir, CSV.replace("600", "650"))
    service.rollback(engine, "stat", pending)  # a batch not yet approved is still the statistician's own


def test_timeliness_counts_the_submission_once_approved(engine, archive_dir, approval_on):
    from indicators.reporting import read

    people(engine)
    batch = submit(engine, archive_dir)
    assert read.load_cycle(engine, ["sample-2023"]).firsts == {}
    service.approve(engine, "boss", batch)
    firsts = read.load_cycle(engine, ["sample-2023"]).firsts
    assert list(firsts) == [("sample-2023.t1.5g", "2023-06")]


def test_cli_approve_and_reject(env, tmp_path, approval_on):  # noqa: F811
    env = {**env, "INDICATORS_SETTINGS": str(approval_on), "INDICATORS_PASSWORD": PASSWORD}
    cli(env, "init-db")
    engine = store.make_engine(env["DATABASE_URL"])
    people(engine)
    for name, value in (("a.csv", "600"), ("b.csv", "700")):
        (tmp_path / name).write_text(CSV.replace("600", value), encoding="utf-8")
        cli(env, "import", str(tmp_path / name))
    first, second = (b.id for b in sorted(store.batch_list(engine), key=lambda b: b.id))
    assert cli(env, "approve", str(first), "--user", "elsewhere", check_code=1).stderr
    cli(env, "approve", str(first), "--user", "boss", "--comment", "ok")
    cli(env, "reject", str(second), "--reason", "重复上报")  # the server operator, recorded as os:<login>
    states = {b.id: (b.approval, b.decided_by, b.decision_comment) for b in store.batch_list(engine)}
    assert states[first] == ("approved", "boss", "ok")
    assert states[second][0] == "rejected" and states[second][1].startswith("os:") and states[second][2] == "重复上报"
    rows = json.loads(cli(env, "status", "--as-of", "2023-06", "--plan", "sample-2023", "--json").stdout)
    assert next(r for r in rows if r["target_id"] == "sample-2023.t1.5g")["actual"] == 600  # the approved one
    engine.dispose()
