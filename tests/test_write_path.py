"""The write path (issue 14): batches hold every value they report, rollbacks undo exactly one batch, the audit row
commits with its change, concurrent writers are safe, and the CLI acts as an authenticated actor in its scope.
Every test runs on SQLite and on the real PostgreSQL server (the database_url / engine fixtures)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from indicators import accounts, service, store, upload
from indicators.accounts import passwords

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "ingest"
PASSWORD = "a long enough password"
KEY = ("sample-2023.t1.5g", "2023-03")


def commit_bytes(engine, data: bytes, archive_dir, actor=None, name: str = "upload.csv") -> upload.CommitResult:
    actor = actor or service.operator()
    report = service.validate(engine, actor, data, name)
    assert report.ok, report.errors
    return service.commit(engine, actor, report, data, archive_dir=archive_dir)


def live(engine) -> dict:
    with engine.connect() as conn:
        return store.latest_values(conn)


def audit_rows(engine, action: str) -> list:
    with engine.connect() as conn:
        return conn.execute(select(store.audit_log).where(store.audit_log.c.action == action)
                            .order_by(store.audit_log.c.id)).all()


# --- 1. a rollback never removes a value another committed batch holds ---------------------------------------------
def test_rollback_keeps_a_value_an_equal_later_batch_reported(engine, archive_dir):
    first = commit_bytes(engine, b"target_id,period,value\nsample-2023.t1.5g,2023-03,600\n", archive_dir)
    second = commit_bytes(engine, b"target_id,period,value,note\nsample-2023.t1.5g,2023-03,600,again\n", archive_dir)
    assert (first.written, second.written, second.unchanged) == (1, 0, 1)  # reported as unchanged, yet held
    service.rollback(engine, service.operator(), first.batch_id)
    assert live(engine) == {KEY: 600.0}  # batch 2 still holds it
    service.rollback(engine, service.operator(), second.batch_id)
    assert live(engine) == {}


def test_rollback_of_an_older_batch_leaves_a_newer_correction(engine, archive_dir):
    one = commit_bytes(engine, b"target_id,period,value\nsample-2023.t1.5g,2023-03,600\n", archive_dir)
    two = commit_bytes(engine, b"target_id,period,value\nsample-2023.t1.5g,2023-03,650\n", archive_dir)
    three = commit_bytes(engine, b"target_id,period,value\nsample-2023.t1.5g,2023-03,700\n", archive_dir)
    service.rollback(engine, service.operator(), two.batch_id)  # not the live revision: nothing changes
    assert live(engine) == {KEY: 700.0}
    service.rollback(engine, service.operator(), three.batch_id)  # reverts to the latest live revision left: 600
    assert live(engine) == {KEY: 600.0}
    assert one.batch_id < two.batch_id < three.batch_id


# The property: random imports (new values, identical values, corrections, overlapping files, identical files)
# and rollbacks in random order, compared after every step with a tiny model of "latest live revision wins".
TARGETS = ("sample-2023.t1.5g", "sample-2023.t3.hitech")
MONTHS = ("2023-01", "2023-02", "2023-03")
cells = st.tuples(st.sampled_from(TARGETS), st.sampled_from(MONTHS), st.integers(1, 3))
files = st.lists(cells, min_size=1, max_size=4, unique_by=lambda c: (c[0], c[1])).map(
    lambda rows: ("target_id,period,value\n" + "".join(f"{t},{p},{v}\n" for t, p, v in rows)).encode())
steps = st.lists(st.one_of(st.tuples(st.just("import"), files), st.tuples(st.just("rollback"), st.integers(0, 7))),
                 min_size=1, max_size=10)


class Model:
    """Batches in commit order, each with its values and whether it is live; the live value is the last live one."""

    def __init__(self):
        self.batches: list[dict] = []

    def commit(self, data: bytes, batch_id: int | None) -> int | None:
        """The batch id the store should report (None: identical to a live batch of the same file)."""
        twin = next((b["id"] for b in self.batches if b["live"] and b["data"] == data), None)
        if twin is not None:
            assert batch_id is None
            return None
        rows = [line.split(",") for line in data.decode().splitlines()[1:]]
        self.batches.append({"id": batch_id, "data": data, "live": True,
                             "values": {(t, p): float(v) for t, p, v in rows}})
        return batch_id

    def live(self) -> dict:
        values: dict = {}
        for batch in self.batches:
            if batch["live"]:
                values.update(batch["values"])
        return values


@pytest.fixture
def fresh_engines(database_url, test_catalogue, request, tmp_path):
    """A factory of fresh, migrated databases of the test catalogue on the test's backend (one per example)."""
    made = []

    def make():
        if database_url.startswith("sqlite"):
            url = f"sqlite:///{tmp_path / f'p{len(made)}.sqlite'}"
        else:
            name = f"p_{uuid.uuid4().hex[:12]}"
            admin = create_engine(request.getfixturevalue("postgres_admin_url"), isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            admin.dispose()
            url = make_url(database_url).set(database=name).render_as_string(hide_password=False)
        engine = store.make_engine(url)
        store.init_db(engine, test_catalogue)
        made.append((engine, url))
        return engine

    yield make
    for engine, url in made:
        engine.dispose()
        if url.startswith("postgresql"):
            admin = create_engine(request.getfixturevalue("postgres_admin_url"), isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
            admin.dispose()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_imports_and_rollbacks_agree_with_latest_live_revision_wins(fresh_engines, tmp_path, steps):
    engine = fresh_engines()
    model = Model()
    for kind, arg in steps:
        if kind == "import":
            result = commit_bytes(engine, arg, tmp_path / "archive")
            model.commit(arg, result.batch_id)
        elif model.batches:
            batch = model.batches[arg % len(model.batches)]
            if batch["live"]:
                service.rollback(engine, service.operator(), batch["id"])
                batch["live"] = False
            else:
                with pytest.raises(store.RollbackError):
                    service.rollback(engine, service.operator(), batch["id"])
        assert live(engine) == model.live()


# --- 2. the change and its audit row commit together ---------------------------------------------------------------
def _run_and_kill(database_url: str, archive_dir: Path, mode: str, what: str) -> None:
    child = subprocess.Popen([sys.executable, str(ROOT / "tests" / "helpers" / "write_and_hang.py"), database_url,
                              str(archive_dir), mode, what], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    line = child.stdout.readline()
    assert line.startswith("hanging"), child.stderr.read()
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)


@pytest.mark.parametrize("point", ["before", "after"])
def test_killed_commit_leaves_both_batch_and_audit_or_neither(engine, database_url, archive_dir, tmp_path, point):
    path = tmp_path / "one.csv"
    path.write_bytes(b"target_id,period,value\nsample-2023.t1.5g,2023-03,600\n")
    _run_and_kill(database_url, archive_dir, f"commit-{point}", str(path))
    batches = store.batch_list(engine)
    commits = [r for r in audit_rows(engine, "commit") if r.ok]
    assert len(batches) == len(commits) == (1 if point == "after" else 0)
    if point == "after":
        assert commits[0].target == f"batch {batches[0].id}" and commits[0].actor.startswith("os:")
    else:
        assert live(engine) == {} and audit_rows(engine, "commit") == []


@pytest.mark.parametrize("point", ["before", "after"])
def test_killed_rollback_leaves_both_change_and_audit_or_neither(engine, database_url, archive_dir, point):
    batch = commit_bytes(engine, b"target_id,period,value\nsample-2023.t1.5g,2023-03,600\n", archive_dir).batch_id
    _run_and_kill(database_url, archive_dir, f"rollback-{point}", str(batch))
    rolled_back = store.batch_list(engine)[0].status == "rolled_back"
    audited = [r for r in audit_rows(engine, "rollback") if r.ok]
    assert rolled_back == bool(audited) == (point == "after")


# --- 3. every write by an authenticated actor within its scope -----------------------------------------------------
def cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "indicators", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=300)


def test_cli_rollback_checks_the_signed_in_user(engine, database_url, archive_dir):
    accounts.add_user(engine, "viewer1", "viewer", PASSWORD)
    accounts.add_user(engine, "other", "statistician", PASSWORD, ["另一区"])
    accounts.add_user(engine, "gone", "statistician", PASSWORD, ["示例县"])
    accounts.disable_user(engine, "gone")
    accounts.add_user(engine, "sample", "statistician", PASSWORD, ["示例县"])
    batch = commit_bytes(engine, b"target_id,period,value\nsample-2023.t1.5g,2023-03,600\n", archive_dir).batch_id
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT), "INDICATORS_PASSWORD": PASSWORD}
    for name in ("viewer1", "other", "gone"):
        result = cli(env, "rollback", str(batch), "--user", name, "--lang", "en")
        assert result.returncode == 1, result.stdout
        assert store.batch_list(engine)[0].status == "committed"
    wrong = cli({**env, "INDICATORS_PASSWORD": "not the password"}, "rollback", str(batch), "--user", "sample")
    assert wrong.returncode == 1 and store.batch_list(engine)[0].status == "committed"
    assert cli(env, "rollback", str(batch), "--user", "sample").returncode == 0
    refusals = [(r.actor, r.ok) for r in audit_rows(engine, "rollback")]
    assert refusals == [("viewer1", False), ("other", False), ("sample", True)]  # a disabled account never signs in
    assert [(r.actor, r.ok, r.detail["reason"]) for r in audit_rows(engine, "login")][-3:] == [
        ("gone", False, "disabled"), ("sample", False, "wrong_password"), ("sample", True, "ok")]


def test_cli_without_user_acts_as_the_operator(engine, database_url, archive_dir, tmp_path):
    path = tmp_path / "one.csv"
    path.write_bytes(b"target_id,period,value\nsample-2023.t1.5g,2023-03,600\n")
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT),
           "INDICATORS_ARCHIVE_DIR": str(archive_dir)}
    assert cli(env, "import", str(path)).returncode == 0
    [row] = audit_rows(engine, "commit")
    assert row.actor == service.operator().name and row.actor.startswith("os:")
    assert store.batch_list(engine)[0].uploader == row.actor


class CountingHasher(PasswordHasher):
    """argon2's own hasher, counting the password checks it makes."""

    checks = 0

    def verify(self, hash, password):  # noqa: A002  (argon2's parameter name)
        CountingHasher.checks += 1
        return super().verify(hash, password)


def test_refusals_read_the_same_and_take_the_same_time(engine, monkeypatch):
    import time

    monkeypatch.setattr(passwords, "HASHER", CountingHasher(time_cost=2, memory_cost=16 * 1024, parallelism=1))
    accounts.add_user(engine, "locked1", "statistician", PASSWORD, ["示例县"])
    accounts.add_user(engine, "off", "statistician", PASSWORD, ["示例县"])
    accounts.add_user(engine, "plain", "statistician", PASSWORD, ["示例县"])
    accounts.disable_user(engine, "off")
    for _ in range(5):
        accounts.authenticate(engine, "locked1", "wrong wrong")
    cases = [("plain", "wrong wrong"), ("nobody", PASSWORD), ("locked1", PASSWORD), ("off", PASSWORD)]
    times: dict = {case: [] for case in cases}
    messages: dict = {case: set() for case in cases}
    for _ in range(5):  # round robin: a busy machine slows every case alike
        for case in cases:
            before, start = CountingHasher.checks, time.perf_counter()
            result = accounts.authenticate(engine, *case)
            times[case].append(time.perf_counter() - start)
            assert not result.ok and CountingHasher.checks == before + 1, case  # one password check, whatever the case
            messages[case].add((accounts.login_message(result, "zh"), accounts.login_message(result, "en")))
    assert len(set().union(*messages.values())) == 1, messages  # the same answer
    medians = [sorted(t)[2] for t in times.values()]
    assert min(medians) > 0.3 * max(medians), times  # no shortcut answers in a fraction of the time


def test_cli_unlock_lifts_a_lockout(engine, database_url):
    accounts.add_user(engine, "boss", "admin", PASSWORD)
    for _ in range(5):
        accounts.authenticate(engine, "boss", "wrong wrong")
    assert accounts.authenticate(engine, "boss", PASSWORD).reason == "locked"
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    assert cli(env, "user", "unlock", "boss").returncode == 0
    assert accounts.authenticate(engine, "boss", PASSWORD).ok
    [row] = audit_rows(engine, "user_unlock")
    assert row.ok and row.actor.startswith("os:")


def test_only_an_admin_changes_accounts(engine):
    accounts.add_user(engine, "sample", "statistician", PASSWORD, ["示例县"])
    stat = accounts.get_user(engine, "sample")
    with pytest.raises(service.Denied):
        service.add_user(engine, stat, "new1", role="viewer", password=PASSWORD)
    assert accounts.get_user(engine, "new1") is None
    service.add_user(engine, service.operator(), "new1", role="viewer", password=PASSWORD)
    assert [(r.actor, r.ok) for r in audit_rows(engine, "user_add")][-2:] == [("sample", False),
                                                                             (service.operator().name, True)]


# --- concurrency: two processes at once -----------------------------------------------------------------------------
def _together(env: dict, *commands: list[str]) -> list[subprocess.CompletedProcess]:
    procs = [subprocess.Popen([sys.executable, "-m", "indicators", *c], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for c in commands]
    return [subprocess.CompletedProcess(p.args, p.wait(timeout=300), *p.communicate()) for p in procs]


def _rows(count: int, value: int) -> bytes:
    months = [f"2023-{m:02d}" for m in range(1, 13)]
    targets = ["sample-2023.t1.5g", "sample-2023.t3.hitech", "other-2023-2025.t1.forest"]
    lines = [f"{t},{m},{value}\n" for t in targets for m in months][:count]
    return ("target_id,period,value\n" + "".join(lines)).encode()


def test_two_uploads_of_one_file_at_once_commit_once(engine, database_url, tmp_path):
    path = tmp_path / "same.csv"
    path.write_bytes(_rows(36, 5))
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT),
           "INDICATORS_ARCHIVE_DIR": str(tmp_path / "archive")}
    results = _together(env, ["import", str(path)], ["import", str(path)])
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    assert len(store.batch_list(engine)) == 1
    assert len(live(engine)) == 36


def test_a_rollback_racing_an_import_loses_nothing(engine, database_url, tmp_path, archive_dir):
    first = commit_bytes(engine, _rows(36, 5), archive_dir).batch_id
    path = tmp_path / "again.csv"
    path.write_bytes(_rows(36, 5).replace(b"value\n", b"value,note\n").replace(b"5\n", b"5,again\n"))
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT),
           "INDICATORS_ARCHIVE_DIR": str(archive_dir)}
    results = _together(env, ["import", str(path)], ["rollback", str(first)])
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    assert len(live(engine)) == 36 and set(live(engine).values()) == {5.0}  # the second file holds every value
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(store.observations)).scalar() == 72


# --- 6. the catalogue cannot silently change what stored numbers mean ----------------------------------------------
def change_target(catalogue, **changes) -> None:
    """Edit the test target as a new targets.yaml would (the models are frozen: a changed copy replaces it)."""
    index = next(i for i, t in enumerate(catalogue.targets) if t.id == KEY[0])
    catalogue.targets[index] = catalogue.targets[index].model_copy(update=changes)


@pytest.mark.parametrize(("old", "new", "stored", "expected"), [("个", "万个", 15000.0, 1.5), ("万个", "个", 1.5, 15000.0)])
def test_a_unit_change_converts_stored_values_in_the_sync(engine, archive_dir, test_catalogue, old, new, stored,
                                                          expected):
    change_target(test_catalogue, unit=old)
    store.sync_catalogue(engine, test_catalogue)
    commit_bytes(engine, f"target_id,period,value\n{KEY[0]},{KEY[1]},{stored:g}\n".encode(), archive_dir)
    change_target(test_catalogue, unit=new)
    report = store.sync_catalogue(engine, test_catalogue)
    assert report.units_converted == ((KEY[0], old, new, pytest.approx(expected / stored), 1),)
    assert live(engine) == {KEY: pytest.approx(expected)}
    [revision] = store.revision_history(engine, KEY[0])
    assert (revision.value_raw, revision.unit_raw) == (f"{stored:g}", None)  # as uploaded


def test_a_unit_change_that_cannot_convert_is_refused_and_syncs_nothing(engine, archive_dir, test_catalogue,
                                                                         database_url, tmp_path):
    commit_bytes(engine, f"target_id,period,value\n{KEY[0]},{KEY[1]},600\n".encode(), archive_dir)
    with engine.connect() as conn:
        before = conn.execute(select(store.targets).order_by(store.targets.c.id)).all()
    change_target(test_catalogue, unit="万元", name="改了名字")
    with pytest.raises(store.UnitChangeError) as refused:
        store.sync_catalogue(engine, test_catalogue)
    assert (refused.value.code, refused.value.params) == (
        "not_convertible", {"target_id": KEY[0], "old": "个", "new": "万元", "count": 1})
    with engine.connect() as conn:
        assert conn.execute(select(store.targets).order_by(store.targets.c.id)).all() == before
    assert live(engine) == {KEY: 600.0}


# --- 7. replicas can start together ---------------------------------------------------------------------------------
def test_two_processes_run_init_db_together_on_a_fresh_database(database_url, tmp_path):
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT),
           "INDICATORS_TARGETS": str(DATA / "targets.yaml"), "INDICATORS_NOT_TARGETS": str(tmp_path / "none.yaml")}
    results = _together(env, ["init-db", "--lang", "en"], ["init-db", "--lang", "en"])
    assert [r.returncode for r in results] == [0, 0], [r.stderr[-500:] for r in results]
    added = sorted(int(r.stdout.split(" targets added")[0].rsplit(" ", 1)[-1]) for r in results)
    assert added == [0, 8]  # one of them migrated and synced, the other found it done
    engine = store.make_engine(database_url)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(store.targets)).scalar() == 8
    engine.dispose()
