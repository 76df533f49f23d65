"""Accounts, roles, lockout, write scopes, sessions, the audit log and the `user` commands (issue 7), on both backends."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from argon2 import PasswordHasher
from sqlalchemy import select

from indicators import accounts, config, service, store, upload
from indicators.accounts import passwords
from indicators.catalogue import safe_yaml
from indicators.cli import users as cli_users
from indicators.outputs import audit_report, tabular
from indicators.store import audit as audit_trail

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "ingest"
PASSWORD = "correct horse 电池"
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def fast_hasher(monkeypatch):
    """argon2id with small parameters: the tests check behaviour; test_stored_hash_* checks the real parameters."""
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def actions(engine, action: str | None = None) -> list:
    return list(reversed(audit_trail.audit_rows(engine, action=action, limit=10_000)))  # oldest first


def stored_row(engine, name: str):
    with engine.connect() as conn:
        return conn.execute(select(store.users).where(store.users.c.name == name)).one()


# --- accounts and passwords ----------------------------------------------------------------------------------------
def test_no_default_account(engine):
    assert accounts.list_users(engine) == []
    result = accounts.authenticate(engine, "admin", "admin")
    assert not result.ok and result.reason == "unknown"


def test_stored_hash_is_not_the_password_and_verifies(engine, monkeypatch):
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher())  # the production parameters
    accounts.add_user(engine, "王芳", "admin", PASSWORD, actor="setup")
    stored = stored_row(engine, "王芳").password_hash
    assert stored != PASSWORD and PASSWORD not in stored
    assert stored.startswith("$argon2id$")
    memory = int(re.search(r"m=(\d+)", stored).group(1))
    assert memory >= 19 * 1024  # memory-hard: at least OWASP's 19 MiB minimum for argon2id
    assert PasswordHasher().verify(stored, PASSWORD)
    assert accounts.authenticate(engine, "王芳", PASSWORD).ok
    # two accounts with the same password get different hashes (salted)
    accounts.add_user(engine, "李强", "viewer", PASSWORD, actor="setup")
    assert stored_row(engine, "李强").password_hash != stored
    # the password appears nowhere in the audit log
    with engine.connect() as conn:
        dump = repr(conn.execute(select(store.audit_log)).all())
    assert PASSWORD not in dump
    assert [(r.actor, r.target, r.ok) for r in actions(engine, "user_add")] == [
        ("setup", "王芳", True), ("setup", "李强", True)]


def test_disabled_user_cannot_log_in(engine):
    user = accounts.add_user(engine, "stat1", "statistician", PASSWORD, ["示例县"], actor="boss")
    assert accounts.authenticate(engine, "stat1", PASSWORD).ok
    accounts.disable_user(engine, "stat1", actor="boss")
    result = accounts.authenticate(engine, "stat1", PASSWORD)
    assert not result.ok and result.user is None and result.reason == "disabled"
    # the answer reads like a wrong password: it does not reveal that the account exists or is disabled
    assert accounts.login_message(result, "zh") == accounts.login_message(accounts.authenticate(engine, "x", "y"), "zh")
    # a wrong password does not even reveal that the account is disabled
    assert accounts.authenticate(engine, "stat1", "wrong password").reason == "wrong_password"
    # a still-open session of the disabled account loses every write right at once
    assert accounts.write_scope(engine, user) == set()
    accounts.enable_user(engine, "stat1", actor="boss")
    assert accounts.authenticate(engine, "stat1", PASSWORD).ok

    assert [(r.action, r.actor, r.ok) for r in actions(engine)] == [
        ("user_add", "boss", True), ("login", "stat1", True), ("user_disable", "boss", True),
        ("login", "stat1", False), ("login", "x", False), ("login", "stat1", False), ("user_enable", "boss", True),
        ("login", "stat1", True)]
    assert [r.detail["reason"] for r in actions(engine, "login")] == ["ok", "disabled", "unknown", "wrong_password",
                                                                        "ok"]


def test_sixth_attempt_is_refused_even_with_the_right_password(engine):
    accounts.add_user(engine, "stat1", "statistician", PASSWORD, ["示例县"])
    for attempt in range(1, 6):
        result = accounts.authenticate(engine, "stat1", f"wrong {attempt}", now=T0 + dt.timedelta(seconds=attempt))
        assert not result.ok and result.reason == "wrong_password"
    assert result.locked_until == T0 + dt.timedelta(seconds=5) + accounts.LOCKOUT  # the fifth failure locks
    refused = accounts.login_message(accounts.LoginResult(False, None, "unknown"), "zh")
    assert accounts.login_message(result, "zh") == refused  # the same answer as for a name that does not exist

    sixth = accounts.authenticate(engine, "stat1", PASSWORD, now=T0 + dt.timedelta(minutes=1))
    assert not sixth.ok and sixth.reason == "locked" and sixth.user is None
    assert accounts.login_message(sixth, "zh") == refused and accounts.login_message(sixth, "en") == \
        accounts.login_message(accounts.LoginResult(False, None, "unknown"), "en")
    assert not accounts.authenticate(engine, "stat1", PASSWORD, now=T0 + dt.timedelta(minutes=15)).ok

    logins = actions(engine, "login")
    assert [r.ok for r in logins] == [False] * 7
    assert [r.detail["reason"] for r in logins] == ["wrong_password"] * 5 + ["locked"] * 2
    assert "locked_until" in logins[4].detail and "locked_until" not in logins[3].detail

    # after 15 minutes the right password works and the count starts again
    later = T0 + dt.timedelta(minutes=15, seconds=6)
    assert accounts.authenticate(engine, "stat1", PASSWORD, now=later).ok
    assert stored_row(engine, "stat1").failed_logins == 0
    assert stored_row(engine, "stat1").locked_until is None


def test_expired_lock_gives_five_fresh_attempts(engine):
    accounts.add_user(engine, "stat1", "statistician", PASSWORD, ["示例县"])
    for _ in range(5):
        accounts.authenticate(engine, "stat1", "nope nope", now=T0)
    later = T0 + accounts.LOCKOUT + dt.timedelta(seconds=1)
    result = accounts.authenticate(engine, "stat1", "nope nope", now=later)
    assert result.reason == "wrong_password" and result.locked_until is None
    assert stored_row(engine, "stat1").failed_logins == 1


def test_success_resets_the_failure_count(engine):
    accounts.add_user(engine, "stat1", "statistician", PASSWORD, ["示例县"])
    for _ in range(4):
        accounts.authenticate(engine, "stat1", "nope nope", now=T0)
    assert accounts.authenticate(engine, "stat1", PASSWORD, now=T0).ok
    for _ in range(4):
        assert accounts.authenticate(engine, "stat1", "nope nope", now=T0).locked_until is None
    assert accounts.authenticate(engine, "stat1", PASSWORD, now=T0).ok


def test_new_password_unlocks(engine):
    accounts.add_user(engine, "stat1", "statistician", PASSWORD, ["示例县"])
    for _ in range(5):
        accounts.authenticate(engine, "stat1", "nope nope")
    accounts.set_password(engine, "stat1", "another good one", actor="admin1")
    assert accounts.authenticate(engine, "stat1", "another good one").ok
    assert not accounts.authenticate(engine, "stat1", PASSWORD).ok
    assert actions(engine, "user_passwd")[0].actor == "admin1"


def test_unknown_user_reads_like_a_wrong_password(engine):
    accounts.add_user(engine, "stat1", "statistician", PASSWORD, ["示例县"])
    unknown = accounts.authenticate(engine, "nobody", PASSWORD)
    wrong = accounts.authenticate(engine, "stat1", "nope nope")
    assert unknown.reason == "unknown" and wrong.reason == "wrong_password"
    assert accounts.login_message(unknown, "zh") == accounts.login_message(wrong, "zh")
    assert accounts.login_message(unknown, "zh").startswith("用户名或密码错误")
    assert accounts.login_message(unknown, "en") == accounts.login_message(wrong, "en")
    row = actions(engine, "login")[0]
    assert (row.actor, row.ok, row.detail) == ("nobody", False, {"reason": "unknown"})


def test_names_are_normalised(engine):
    accounts.add_user(engine, " ｓｔａｔ１ ", "statistician", PASSWORD, ["示例县"])
    assert accounts.get_user(engine, "stat1").name == "stat1"
    assert accounts.authenticate(engine, "ｓｔａｔ１", PASSWORD).ok


@pytest.mark.parametrize(("name", "role", "password", "scopes", "code", "message"), [
    ("a", "viewer", "short", [], "password_short", "至少 8 个字符"),
    ("stat1", "statistician", PASSWORD, [], "scope_needed", "至少需要一个负责范围"),
    ("stat1", "statistician", PASSWORD, ["火星市"], "unknown_scope", "未知的辖区或计划：火星市"),
    ("v", "viewer", PASSWORD, ["示例县"], "scope_not_for_role", "有负责范围（viewer 不需要"),
    ("x", "superuser", PASSWORD, [], "unknown_role", "未知角色"),
    ("has space", "viewer", PASSWORD, [], "name_characters", "含空格"),
    ("samename1", "viewer", "samename1", [], "password_is_name", "不能与用户名相同"),
    ("sso", "viewer", None, [], "sso_needs_email", "需要电子邮箱"),
])
def test_bad_accounts_are_refused_and_audited(engine, name, role, password, scopes, code, message):
    with pytest.raises(accounts.AuthError, match=message) as refused:
        accounts.add_user(engine, name, role, password, scopes, actor="boss")
    assert refused.value.code == code
    assert refused.value.message("en") in str(refused.value)  # the command line says it in both languages
    assert accounts.list_users(engine) == []
    [row] = actions(engine)
    assert (row.action, row.actor, row.ok) == ("user_add", "boss", False)
    assert message in row.detail["error"]


def test_duplicate_names_and_emails_are_refused(engine):
    accounts.add_user(engine, "stat1", "statistician", PASSWORD, ["示例县"], email="Stat1@Example.gov.cn")
    with pytest.raises(accounts.AuthError, match="已存在"):
        accounts.add_user(engine, "stat1", "viewer", PASSWORD)
    with pytest.raises(accounts.AuthError, match="已被其他用户使用"):
        accounts.add_user(engine, "stat2", "viewer", PASSWORD, email="stat1@example.gov.cn")
    assert [u.name for u in accounts.list_users(engine)] == ["stat1"]
    assert [r.ok for r in actions(engine, "user_add")] == [True, False, False]
    with pytest.raises(accounts.AuthError, match="不存在"):
        accounts.disable_user(engine, "ghost")
    assert actions(engine, "user_disable")[0].ok is False


def test_single_sign_on_matches_by_email(engine):
    accounts.add_user(engine, "wang", "statistician", None, ["示例县"], email="wang@example.gov.cn")
    assert stored_row(engine, "wang").password_hash is None
    assert not accounts.authenticate(engine, "wang", "").ok  # no password login for an SSO-only account
    result = accounts.authenticate_sso(engine, "WANG@example.gov.cn")
    assert result.ok and result.user.name == "wang"
    assert accounts.authenticate_sso(engine, "other@example.gov.cn").reason == "unknown"
    accounts.disable_user(engine, "wang")
    assert accounts.authenticate_sso(engine, "wang@example.gov.cn").reason == "disabled"
    assert [(r.actor, r.ok) for r in actions(engine, "login_sso")] == [
        ("wang", True), ("other@example.gov.cn", False), ("wang", False)]


# --- scopes --------------------------------------------------------------------------------------------------------
def test_can_write_rules():
    admin = accounts.User("a", "admin")
    county = accounts.User("s", "statistician", ("示例县",))
    plan = accounts.User("p", "statistician", ("sample-2023",))
    viewer = accounts.User("v", "viewer")
    assert accounts.can_write(admin, "另一区", "other-2023-2025")
    assert accounts.can_write(county, "示例县", "sample-2023") and accounts.can_write(county, "示例县")
    assert not accounts.can_write(county, "另一区", "other-2023-2025")
    assert accounts.can_write(plan, "示例县", "sample-2023") and not accounts.can_write(plan, "示例县", "sample-b")
    assert not accounts.can_write(viewer, "示例县", "sample-2023")
    assert not accounts.can_write(None, "示例县")
    assert not accounts.can_write(accounts.User("d", "admin", disabled=True), "示例县")


def test_write_scope_and_writable_plans(engine):
    admin = accounts.add_user(engine, "admin1", "admin", PASSWORD)
    county = accounts.add_user(engine, "county", "statistician", PASSWORD, ["另一区"])
    plan = accounts.add_user(engine, "planner", "statistician", PASSWORD, ["sample-2023"])
    viewer = accounts.add_user(engine, "viewer1", "viewer", PASSWORD)
    assert accounts.write_scope(engine, admin) is None and accounts.writable_plans(engine, admin) is None
    assert accounts.write_scope(engine, county) == {"另一区"}
    assert accounts.writable_plans(engine, county) == {"other-2023-2025"}
    assert accounts.write_scope(engine, plan) == {"示例县"}  # the plan's jurisdiction, for validate_upload
    assert accounts.writable_plans(engine, plan) == {"sample-2023"}
    assert accounts.write_scope(engine, viewer) == set() and accounts.writable_plans(engine, viewer) == set()
    assert accounts.write_scope(engine, None) == set()
    assert accounts.write_scope(engine, accounts.User("ghost", "admin")) == set()  # not in the database: no rights


def snapshot(engine) -> dict:
    tables = [t for t in store.metadata.sorted_tables if t.name != "audit_log"]
    with engine.connect() as conn:
        return {t.name: sorted(map(repr, conn.execute(select(t)).all())) for t in tables}


def test_statistician_upload_of_another_jurisdiction_writes_nothing(engine, archive_dir):
    stat = accounts.add_user(engine, "stat1", "statistician", PASSWORD, ["示例县"])
    before = snapshot(engine)
    data = (DATA / "good.csv").read_bytes()
    report = service.validate_upload_as(engine, stat, data, "good.csv")
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(8, "target_id"), (9, "target_id")]
    assert [e.code for e in report.errors] == ["out_of_scope", "out_of_scope"]
    assert report.errors[0].params["id"] == "other-2023-2025.t1.forest"
    assert "不属于您负责的辖区" in report.errors[0].message("zh")
    with pytest.raises(ValueError):
        service.commit_as(engine, stat, report, data, archive_dir=archive_dir)
    assert snapshot(engine) == before


def test_plan_scope_is_narrower_than_the_jurisdiction(engine, archive_dir):
    """A statistician of one plan may not write another plan of the same jurisdiction."""
    with store.write_transaction(engine) as conn:
        plan = dict(conn.execute(select(store.plans).where(store.plans.c.id == "sample-2023")).one()._mapping)
        conn.execute(store.plans.insert().values({**plan, "id": "sample-b", "title": "示例县另一计划"}))
        target = dict(conn.execute(select(store.targets).where(store.targets.c.id == "sample-2023.t1.5g")).one()._mapping)
        conn.execute(store.targets.insert().values({**target, "id": "sample-b.t1.5g", "plan_id": "sample-b"}))
    stat = accounts.add_user(engine, "planner", "statistician", PASSWORD, ["sample-2023"])
    data = b"target_id,period,value\nsample-2023.t1.5g,2023-06,100\nsample-b.t1.5g,2023-06,100\n"
    report = service.validate_upload_as(engine, stat, data, "two_plans.csv")
    assert [(e.row, e.column, e.code) for e in report.errors] == [(3, "target_id", "out_of_scope")]
    assert report.errors[0].params == {"id": "sample-b.t1.5g", "jurisdiction": "示例县", "plan": "sample-b"}
    # committing the unchecked report is refused too, audited, and writes nothing
    unchecked = upload.validate_upload(engine, data, "two_plans.csv", allowed_jurisdictions={"示例县"})
    assert unchecked.ok
    before = snapshot(engine)
    with pytest.raises(accounts.PermissionDenied):
        service.commit_as(engine, stat, unchecked, data, archive_dir=archive_dir)
    assert snapshot(engine) == before
    [row] = actions(engine, "commit")
    assert (row.actor, row.ok, row.detail["rows_out_of_scope"]) == ("planner", False, 1)


def test_commit_and_rollback_are_scoped_and_audited(engine, archive_dir):
    admin = accounts.add_user(engine, "admin1", "admin", PASSWORD)
    sample = accounts.add_user(engine, "sample", "statistician", PASSWORD, ["示例县"])
    other = accounts.add_user(engine, "other", "statistician", PASSWORD, ["另一区"])
    viewer = accounts.add_user(engine, "viewer1", "viewer", PASSWORD)

    data = (DATA / "good.csv").read_bytes()
    report = service.validate_upload_as(engine, admin, data, "good.csv")
    assert report.ok
    with pytest.raises(accounts.PermissionDenied):
        service.commit_as(engine, viewer, report, data, archive_dir=archive_dir)
    result = service.commit_as(engine, admin, report, data, archive_dir=archive_dir)
    assert result.batch_id is not None and store.batch_list(engine)[0].uploader == "admin1"

    # the batch spans both jurisdictions: neither statistician may roll it back, the admin may
    assert not accounts.can_rollback(engine, sample, result.batch_id)
    with pytest.raises(accounts.PermissionDenied):
        service.rollback_as(engine, other, result.batch_id)
    assert store.batch_list(engine)[0].status == "committed"

    mine = b"target_id,period,value\nsample-2023.t1.5g,2023-07,1500\n"
    own = service.commit_as(engine, sample, service.validate_upload_as(engine, sample, mine, "mine.csv"), mine,
                         archive_dir=archive_dir)
    assert accounts.can_rollback(engine, sample, own.batch_id) and not accounts.can_rollback(engine, other, own.batch_id)
    assert service.rollback_as(engine, sample, own.batch_id).file_name == "mine.csv"
    with pytest.raises(store.RollbackError):
        service.rollback_as(engine, sample, own.batch_id)  # already rolled back
    service.rollback_as(engine, admin, result.batch_id)

    commits = [(r.actor, r.target, r.ok) for r in actions(engine, "commit")]
    assert commits == [("viewer1", "good.csv", False), ("admin1", f"batch {result.batch_id}", True),
                       ("sample", f"batch {own.batch_id}", True)]
    assert actions(engine, "commit")[1].detail["written"] == result.written
    rollbacks = [(r.actor, r.target, r.ok) for r in actions(engine, "rollback")]
    assert rollbacks == [("other", f"batch {result.batch_id}", False), ("sample", f"batch {own.batch_id}", True),
                         ("sample", f"batch {own.batch_id}", False), ("admin1", f"batch {result.batch_id}", True)]


# --- sessions and settings -----------------------------------------------------------------------------------------
def test_sessions_expire_after_the_idle_time(engine):
    user = accounts.add_user(engine, "stat1", "statistician", PASSWORD, ["示例县"])
    session = accounts.new_session(user, now=T0)
    eight = dt.timedelta(hours=8)
    assert accounts.session_valid(session, T0 + dt.timedelta(hours=7, minutes=59), eight)
    assert not accounts.session_valid(session, T0 + dt.timedelta(hours=8, minutes=1), eight)
    accounts.touch(session, T0 + dt.timedelta(hours=7))
    assert accounts.session_valid(session, T0 + dt.timedelta(hours=14), eight)
    assert not accounts.session_valid(session, T0 + dt.timedelta(hours=7, minutes=31), 0.5)  # hours as a number
    assert accounts.session_valid(accounts.new_session(user))  # default timeout from the settings
    assert not accounts.session_valid(None) and not accounts.session_valid({})
    assert accounts.session_user(engine, session, T0 + dt.timedelta(hours=8), eight) == user
    accounts.disable_user(engine, "stat1")
    assert accounts.session_user(engine, session, T0 + dt.timedelta(hours=8), eight) is None


def test_settings_defaults_and_overrides(tmp_path, monkeypatch):
    monkeypatch.delenv("INDICATORS_SETTINGS", raising=False)
    settings = config.load_settings()
    assert settings.login_required is False and settings.idle_timeout == dt.timedelta(hours=8)
    override = tmp_path / "settings.toml"
    override.write_text("login_required = true\nidle_timeout_hours = 0.5\n", encoding="utf-8")
    monkeypatch.setenv("INDICATORS_SETTINGS", str(override))
    settings = config.load_settings()
    assert settings.login_required is True and settings.idle_timeout == dt.timedelta(minutes=30)
    override.write_text("login_requried = true\n", encoding="utf-8")
    with pytest.raises(ValueError, match="login_requried"):
        config.load_settings()
    override.write_text('login_required = "yes"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="true or false"):
        config.load_settings()


# --- audit log -----------------------------------------------------------------------------------------------------
def test_audit_rows_filter(engine):
    audit_trail.audit(engine, "alice", "commit", "batch 1", {"written": 3})
    audit_trail.audit(engine, "bob", "rollback", "batch 1", {}, ok=False)
    audit_trail.audit(engine, "alice", "user_add", "carol", {"role": "viewer", "password": "leaked?"})
    assert [r.action for r in audit_trail.audit_rows(engine)] == ["user_add", "rollback", "commit"]  # newest first
    assert [r.action for r in audit_trail.audit_rows(engine, actor="ALI")] == ["user_add", "commit"]
    assert [r.actor for r in audit_trail.audit_rows(engine, action="roll")] == ["bob"]
    assert [r.actor for r in audit_trail.audit_rows(engine, ok=False)] == ["bob"]
    assert len(audit_trail.audit_rows(engine, limit=2)) == 2
    assert audit_trail.audit_rows(engine, action="user")[0].detail == {"role": "viewer", "password": "[redacted]"}
    first = audit_trail.audit_rows(engine)[0].at
    assert first.utcoffset() == dt.timedelta(hours=8)
    assert len(audit_trail.audit_rows(engine, since=first - dt.timedelta(minutes=1))) == 3
    assert audit_trail.audit_rows(engine, until=first - dt.timedelta(minutes=1)) == []
    today = first.date()  # a date is a whole day in China time
    assert len(audit_trail.audit_rows(engine, since=today, until=today)) == 3
    assert audit_trail.audit_rows(engine, since=today + dt.timedelta(days=1)) == []
    assert audit_trail.audit_rows(engine, actor="%") == []  # LIKE wildcards are literal


def test_audit_csv_is_excel_ready_and_formula_safe(engine):
    accounts.authenticate(engine, "=HYPERLINK(\"http://evil\")", "whatever1")
    audit_trail.audit(engine, "admin1", "commit", "batch 7", {"file": "六月.csv"})
    data = audit_report.audit_csv(audit_trail.audit_rows(engine))
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data[3:].decode("utf-8"))))
    assert rows[0] == ["编号", "时间（北京时间）", "操作人", "操作", "对象", "成功", "详情"]
    assert rows[1][2:6] == ["admin1", "commit", "batch 7", "是"]
    assert json.loads(rows[1][6]) == {"file": "六月.csv"}
    assert rows[2][2] == "'=HYPERLINK(\"http://evil\")" and rows[2][5] == "否"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", rows[1][1])
    assert audit_report.audit_csv([], "en").decode("utf-8-sig").startswith("id,time (UTC+8)")
    table = audit_report.audit_table(audit_trail.audit_rows(engine), "en")
    assert table[0]["actor"] == "admin1" and table[0]["ok"] == "true" and table[0]["detail"] == '{"file": "六月.csv"}'



def test_safe_cell():
    assert tabular.safe_cell("=1+1") == "'=1+1"
    assert [tabular.safe_cell(v) for v in ("+x", "-x", "@x", "\tx", "\rx")] == ["'+x", "'-x", "'@x", "'\tx", "'\rx"]
    assert tabular.safe_cell("聊城市") == "聊城市" and tabular.safe_cell("a=b") == "a=b"
    assert tabular.safe_cell(-5) == -5 and tabular.safe_cell(2.5) == 2.5 and tabular.safe_cell(None) == ""
    assert tabular.safe_cell(True) == "true"
    assert tabular.csv_bytes(["a"], [["-1+2"], [-3]]) == b"\xef\xbb\xbfa\r\n'-1+2\r\n-3\r\n"


def test_cli_import_checks_the_user_scope(engine, database_url, tmp_path):
    """`python -m indicators import --user NAME` (wired in cli.py): rows of another jurisdiction are errors."""
    accounts.add_user(engine, "stat1", "statistician", PASSWORD, ["示例县"])
    accounts.add_user(engine, "viewer1", "viewer", PASSWORD)
    env = {**os.environ, "DATABASE_URL": database_url, "INDICATORS_ARCHIVE_DIR": str(tmp_path / "archive"),
           "PYTHONPATH": str(ROOT), "INDICATORS_PASSWORD": PASSWORD}
    before = snapshot(engine)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "indicators", "import", *args], capture_output=True, text=True,
                              env=env, cwd=ROOT, timeout=300)

    result = run(str(DATA / "good.csv"), "--json", "--user", "stat1")
    assert result.returncode == 1
    errors = json.loads(result.stdout)["errors"]
    assert [(e["row"], e["column"], e["code"]) for e in errors] == [(8, "target_id", "out_of_scope"),
                                                                     (9, "target_id", "out_of_scope")]
    assert all("不属于您负责的辖区" in e["message"] for e in errors)
    result = run(str(DATA / "good.csv"), "--json", "--user", "viewer1")
    assert result.returncode == 1
    assert [e["code"] for e in json.loads(result.stdout)["errors"]] == ["may_not_write"]
    result = run(str(DATA / "good.csv"), "--user", "ghost")
    assert result.returncode == 1 and "用户名或密码错误" in result.stderr

    def data_of(tables: dict) -> dict:  # signing in may rehash a password stored with cheaper test parameters
        return {name: rows for name, rows in tables.items() if name != "users"}
    assert data_of(snapshot(engine)) == data_of(before)


# --- the `user` command line ---------------------------------------------------------------------------------------
@pytest.fixture
def user_cli(engine, database_url, monkeypatch, capsys):
    """Run `python -m indicators user ...` in-process: (exit code, stdout, stderr); stdin gives the password."""
    monkeypatch.setenv("DATABASE_URL", database_url)

    def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
        parser = argparse.ArgumentParser(prog="python -m indicators")
        cli_users.add_parser(parser.add_subparsers(dest="command", required=True))
        args = parser.parse_args(["user", *argv])
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = args.func(args)
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def test_cli_user_commands(engine, user_cli):
    assert user_cli("list")[1].startswith("尚无用户")  # Chinese by default
    assert user_cli("list", "--lang", "en")[1].startswith("no users yet")
    assert user_cli("add", "admin1", "--role", "admin", stdin=PASSWORD + "\n")[0] == 0
    code, out, _ = user_cli("add", "stat1", "--role", "statistician", "--scope", "示例县", "--scope", "sample-2023",
                            stdin=PASSWORD + "\r\n")
    assert code == 0 and "stat1（statistician），负责范围：示例县、sample-2023" in out
    assert user_cli("add", "stat2", "--role", "statistician", "--scope", "示例县", "另一区", stdin=PASSWORD)[0] == 0
    assert accounts.get_user(engine, "stat2").scopes == ("示例县", "另一区")
    assert accounts.authenticate(engine, "stat1", PASSWORD).ok  # the CRLF is not part of the password

    code, _, err = user_cli("add", "stat1", "--role", "viewer", stdin=PASSWORD)
    assert code == 1 and "已存在" in err
    code, _, err = user_cli("add", "nopass", "--role", "viewer", stdin="")
    assert code == 1 and "没有密码" in err
    code, _, err = user_cli("add", "weak", "--role", "viewer", stdin="1234\n")
    assert code == 1 and "至少 8 个字符" in err

    assert user_cli("passwd", "stat1", stdin="a brand new one\n")[0] == 0
    assert accounts.authenticate(engine, "stat1", "a brand new one").ok
    code, _, err = user_cli("passwd", "ghost", stdin="a brand new one\n")
    assert code == 1 and "不存在" in err

    assert user_cli("disable", "stat1")[0] == 0
    assert accounts.authenticate(engine, "stat1", "a brand new one").reason == "disabled"
    code, out, _ = user_cli("list")
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == ["admin1", "stat1", "stat2"]
    assert "已停用" in lines[1] and "示例县,sample-2023" in lines[1]
    english = user_cli("list", "--lang", "en")[1].splitlines()
    assert "disabled" in english[1] and "active" in english[0] and "示例县,sample-2023" in english[1]
    listed = json.loads(user_cli("list", "--json")[1])
    assert listed[1] == {"name": "stat1", "role": "statistician", "scopes": ["示例县", "sample-2023"], "email": None,
                         "disabled": True, "locked_until": None}
    assert user_cli("enable", "stat1")[0] == 0

    changes = [(r.action, r.target, r.ok) for r in actions(engine) if r.action.startswith("user_")]
    assert changes == [("user_add", "admin1", True), ("user_add", "stat1", True), ("user_add", "stat2", True),
                       ("user_add", "stat1", False), ("user_add", "weak", False), ("user_passwd", "stat1", True),
                       ("user_disable", "stat1", True), ("user_enable", "stat1", True)]
    assert all(r.actor.startswith("os:") for r in actions(engine) if r.action.startswith("user_"))
    with engine.connect() as conn:
        dump = repr(conn.execute(select(store.audit_log)).all()) + repr(conn.execute(select(store.users)).all())
    assert PASSWORD not in dump and "a brand new one" not in dump


def test_cli_user_argument_errors(user_cli):
    with pytest.raises(SystemExit):
        user_cli("add", "x", "--role", "root")
    with pytest.raises(SystemExit):
        user_cli()


# --- hygiene -------------------------------------------------------------------------------------------------------
def test_security_hygiene():
    # yaml.load only in the one module that gives it the safe loader, and that loader refuses Python tags
    allowed = ROOT / "indicators" / "catalogue" / "safe_yaml.py"
    for path in (ROOT / "indicators").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"yaml\.(unsafe_load|full_load)\(|Loader=yaml\.(Unsafe|Full)?Loader", source), path
        if path != allowed:
            assert not re.search(r"yaml\.load\(", source), path
    assert issubclass(safe_yaml.SAFE_LOADER, yaml.constructor.SafeConstructor)
    assert not issubclass(safe_yaml.SAFE_LOADER, yaml.constructor.FullConstructor)
    with pytest.raises(yaml.constructor.ConstructorError):
        safe_yaml.safe_load('!!python/object/apply:os.system ["true"]')
    assert ".streamlit/secrets.toml" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    example = (ROOT / ".streamlit" / "secrets.toml.example").read_text(encoding="utf-8")
    assert "[auth]" in example and "cookie_secret" in example and "server_metadata_url" in example
