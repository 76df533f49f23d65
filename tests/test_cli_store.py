"""The statisticians' command line end to end, on SQLite and PostgreSQL, plus concurrency and crash safety."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from indicators import accounts, bench, store

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "ingest"


def cli(env: dict, *args: str, check_code: int | None = 0) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "indicators", *args], capture_output=True, text=True, env=env,
                            cwd=ROOT, timeout=300)
    if check_code is not None:
        assert result.returncode == check_code, result.stdout + result.stderr
    return result


@pytest.fixture
def env(database_url, tmp_path) -> dict:
    return {**os.environ, "DATABASE_URL": database_url, "INDICATORS_TARGETS": str(DATA / "targets.yaml"),
            "INDICATORS_NOT_TARGETS": str(tmp_path / "none.yaml"), "INDICATORS_ARCHIVE_DIR": str(tmp_path / "archive"),
            "PYTHONPATH": str(ROOT)}


def test_init_template_import_rollback(env, tmp_path, database_url):
    assert "新增指标 8 项，" in cli(env, "init-db").stdout  # Chinese by default
    assert "0 targets added" in cli(env, "init-db", "--lang", "en").stdout  # idempotent

    template = tmp_path / "t.csv"
    cli(env, "template", "--plan", "sample-2023", "--period", "2023-06", "--out", str(template))
    rows = list(csv.reader(io.StringIO(template.read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["指标编号", "指标名称", "期间"] and len(rows) == 7

    dry = json.loads(cli(env, "import", str(DATA / "good.csv"), "--dry-run", "--json").stdout)
    assert dry["ok"] is True and dry["batch_id"] is None and dry["rows"] == 8
    assert set(dry) == {"ok", "batch_id", "rows", "errors", "warnings", "parsed"}
    assert {"row": 4, "target_id": "sample-2023.t2.water", "period": "2023-06", "value": 1.32, "unit": "亿立方米"} \
        in dry["parsed"]

    accounts_db = store.make_engine(database_url)  # `import --user` needs an account whose scope covers the rows
    accounts.add_user(accounts_db, "王统计", "statistician", "统计员的密码2023", ["示例县", "另一区"])
    accounts_db.dispose()
    signed_in = {**env, "INDICATORS_PASSWORD": "统计员的密码2023"}  # --user signs in: the password for scripts
    first = json.loads(cli(signed_in, "import", str(DATA / "good.csv"), "--json", "--user", "王统计").stdout)
    assert first["ok"] and isinstance(first["batch_id"], int)
    corrected = tmp_path / "corrected.csv"
    corrected.write_text("target_id,period,value\nsample-2023.t1.5g,2023-06,1400\n", encoding="utf-8")
    second = json.loads(cli(env, "import", str(corrected), "--json").stdout)

    engine = store.make_engine(database_url)
    with engine.connect() as conn:
        assert store.latest_values(conn)[("sample-2023.t1.5g", "2023-06")] == 1400
    cli(env, "rollback", str(second["batch_id"]))
    with engine.connect() as conn:
        assert store.latest_values(conn)[("sample-2023.t1.5g", "2023-06")] == 1320  # the earlier revision shows again
        assert conn.execute(select(func.count()).select_from(store.observations)).scalar() == 8  # nothing deleted
    history = store.revision_history(engine, "sample-2023.t1.5g")
    assert [(h.value, h.status) for h in history] == [(1400, "rolled_back"), (1320, "committed")]
    assert history[1].uploader == "王统计"
    assert "already rolled back" in cli(env, "rollback", str(second["batch_id"]), "--lang", "en", check_code=1).stderr
    engine.dispose()


def test_rejected_import_exits_1_with_json_errors(env):
    cli(env, "init-db")
    out = json.loads(cli(env, "import", str(DATA / "duplicate.csv"), "--json", "--lang", "en", check_code=1).stdout)
    assert out["ok"] is False and out["batch_id"] is None
    assert out["errors"] == [{"row": 4, "column": "target_id", "code": "duplicate_row",
                              "message": "duplicate target and period (same as row 2)"}]


def test_two_processes_import_into_one_sqlite_file_at_once(tmp_path):
    """Both imports succeed (the second waits on the write lock) and no row is lost."""
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    catalogue = bench.synthetic_catalogue(jurisdictions=2, targets_per_jurisdiction=200)
    engine = store.make_engine(url)
    store.init_db(engine, catalogue)
    files = []
    for j in range(2):
        part = bench.synthetic_catalogue(jurisdictions=2, targets_per_jurisdiction=200)
        part.targets[:] = [t for t in part.targets if t.plan == f"bench-{j:03d}"]
        path = tmp_path / f"part{j}.csv"
        path.write_bytes(bench.actuals_csv(part, 7200))
        files.append(path)
    env = {**os.environ, "DATABASE_URL": url, "INDICATORS_ARCHIVE_DIR": str(tmp_path / "archive"),
           "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-m", "indicators", "import", str(f)], env=env, cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in files]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(store.observations)).scalar() == 14_400
        assert conn.execute(select(func.count()).select_from(store.batches)).scalar() == 2
    engine.dispose()


def test_sigkill_during_a_large_import_leaves_the_database_as_before(database_url, tmp_path):
    catalogue = bench.synthetic_catalogue(jurisdictions=1, targets_per_jurisdiction=600)
    engine = store.make_engine(database_url)
    store.init_db(engine, catalogue)
    path = tmp_path / "big.csv"
    path.write_bytes(bench.actuals_csv(catalogue, 20_000))
    with engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(store.observations)).scalar()
    child = subprocess.Popen([sys.executable, str(ROOT / "tests" / "helpers" / "import_and_hang.py"), database_url,
                              str(path), str(tmp_path / "archive")], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert child.stdout.readline().startswith("rows written")
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    engine.dispose()
    engine = store.make_engine(database_url)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(store.observations)).scalar() == before == 0
        assert conn.execute(select(func.count()).select_from(store.batches)).scalar() == 0
    engine.dispose()


def test_status_follows_import_correction_and_rollback(env, tmp_path):
    cli(env, "init-db")
    june = tmp_path / "june.csv"
    june.write_text("target_id,period,value\nsample-2023.t1.5g,2023-06,450\nsample-2023.t2.water,2023-06,1.2\n",
                    encoding="utf-8")
    cli(env, "import", str(june))

    def statuses() -> dict:
        rows = json.loads(cli(env, "status", "--as-of", "2023-06", "--plan", "sample-2023", "--json").stdout)
        assert all(set(r) == {"target_id", "as_of", "actual", "expected", "completion", "status", "reported",
                               "last_reported", "projected", "deadline"} for r in rows)
        assert all(r["deadline"] == "2023-12" for r in rows)
        return {r["target_id"]: (r["actual"], r["status"]) for r in rows}

    first = statuses()
    assert first["sample-2023.t1.5g"] == (450, "red")  # 450 of the 600 due by June (1200 a year) is 75 %
    assert first["sample-2023.t2.water"] == (1.2, "green")
    assert first["sample-2023.t3.growth"] == (None, "no_data")

    fix = tmp_path / "fix.csv"
    fix.write_text("target_id,period,value\nsample-2023.t1.5g,2023-06,650\n", encoding="utf-8")
    batch = json.loads(cli(env, "import", str(fix), "--json").stdout)["batch_id"]
    assert statuses()["sample-2023.t1.5g"] == (650, "green")
    cli(env, "rollback", str(batch))
    assert statuses()["sample-2023.t1.5g"] == (450, "red")

    by_sector = json.loads(cli(env, "status", "--as-of", "2023-06", "--by", "sector", "--json").stdout)
    assert sum(g["total"] for g in by_sector) == 8
    table = cli(env, "status", "--as-of", "2023-06", "--by", "unit").stdout
    assert "县水利局" in table and table.splitlines()[0].split()[:3] == ["部门", "合计", "已完成"]
    english = cli(env, "status", "--as-of", "2023-06", "--by", "unit", "--lang", "en").stdout
    assert english.splitlines()[0].split()[:4] == ["unit", "total", "Achieved", "On"]
