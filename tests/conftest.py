"""Shared fixtures: a fresh database per test on SQLite *and* on a real PostgreSQL server.

PostgreSQL: when DATABASE_URL names a PostgreSQL server, tests create their databases there; otherwise the fixture
starts the Debian cluster (installed by `make test`) on 127.0.0.1 and creates a password-protected test role.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

from indicators import catalogue as cat
from indicators import store

# Properties check what is true, not how fast: speed goals are shown by `python -m indicators bench`, not by timed
# tests. Hypothesis's default 200 ms deadline per example turns a loaded 2-core machine's slow moment into a failure
# (seen: the column-wise roll-up property under load 8), so the project's profile has no deadline.
settings.register_profile("indicators", deadline=None)
settings.load_profile("indicators")

DATA = Path(__file__).parent / "data"
INGEST = DATA / "ingest"
TEST_ROLE = "indicators_test"


def _local_postgres_url() -> str:
    """Start the local Debian PostgreSQL cluster (as root) and return an admin URL for a test role."""
    if shutil.which("pg_lsclusters") is None:
        pytest.fail("PostgreSQL is not installed: run `make test` (it apt-installs postgresql) or set DATABASE_URL")
    clusters = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True).stdout
    if not clusters.strip():
        pytest.fail("no PostgreSQL cluster: `pg_createcluster 15 main` first, or set DATABASE_URL")
    version, name, port = clusters.split()[:3]
    if "online" not in clusters.splitlines()[0]:
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "start"], check=True)
    sql = (
        f"DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='{TEST_ROLE}') THEN "
        f"CREATE ROLE {TEST_ROLE} LOGIN CREATEDB PASSWORD '{TEST_ROLE}'; END IF; END$$;"
    )
    subprocess.run(["su", "postgres", "-c", f"psql -q -p {port} -v ON_ERROR_STOP=1"], input=sql, text=True,
                   check=True, capture_output=True)
    return f"postgresql+psycopg://{TEST_ROLE}:{TEST_ROLE}@127.0.0.1:{port}/postgres"


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgresql"):
        return url
    return _local_postgres_url()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """URL of a fresh, empty database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite'}"
        return
    admin_url = request.getfixturevalue("postgres_admin_url")
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    # FORCE ends the test's own leftover sessions, but the test role may not end an autovacuum worker that happens
    # to be on the new database (a superuser's process): wait for it rather than fail the test's teardown.
    for attempt in range(20):
        try:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            break
        except OperationalError:
            time.sleep(0.25 * (attempt + 1))
        except ProgrammingError as exc:
            if "pg_signal_backend" not in str(exc):
                raise
            time.sleep(0.25 * (attempt + 1))
    admin.dispose()


@pytest.fixture
def test_catalogue() -> cat.Catalogue:
    return cat.load(INGEST / "targets.yaml", None)


@pytest.fixture
def engine(database_url, test_catalogue):
    """A migrated database holding the small test catalogue (two plans, two jurisdictions)."""
    engine = store.make_engine(database_url)
    store.init_db(engine, test_catalogue)
    yield engine
    engine.dispose()


@pytest.fixture
def archive_dir(tmp_path) -> Path:
    return tmp_path / "archive"


# --- the app's own database (pages, ui/): the real catalogue in a SQLite file the app finds through DATABASE_URL ---
@pytest.fixture
def db(tmp_path, monkeypatch):
    """A migrated SQLite database holding the real catalogue, named by DATABASE_URL (and an archive folder by
    INDICATORS_ARCHIVE_DIR) so the app under AppTest opens it; no actuals yet."""
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("INDICATORS_ARCHIVE_DIR", str(tmp_path / "archive"))
    engine = store.make_engine(url)
    store.init_db(engine, cat.load())
    yield engine
    engine.dispose()


@pytest.fixture
def demo_db(db):
    """The app database with the clearly-labelled demo actuals loaded (as `python -m indicators demo` does)."""
    from indicators import demo

    archive = Path(os.environ["INDICATORS_ARCHIVE_DIR"])
    demo.load_demo(db, archive_dir=archive, directory=archive / "demo")
    return db


# --- the sample plan with June's file committed (outputs: charts, pack, deck, Word briefing) ------------------------
def _sample_engine(tmp_path: Path, is_demo: bool):
    from indicators import service, upload

    engine = store.make_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    catalogue = cat.load(INGEST / "targets.yaml", None)
    store.init_db(engine, catalogue)
    data = (INGEST / "good.csv").read_bytes()
    report = upload.validate_upload(engine, data, "good.csv")
    service.commit(engine, service.Operator("os:test"), report, data, is_demo=is_demo, archive_dir=tmp_path / "archive")
    return engine, catalogue


@pytest.fixture
def sample_engine(tmp_path):
    """(engine, catalogue): the sample plan of tests/data/ingest on SQLite with its June file committed."""
    engine, catalogue = _sample_engine(tmp_path, is_demo=False)
    yield engine, catalogue
    engine.dispose()


@pytest.fixture
def demo_engine(tmp_path):
    """The same, with June's file committed as demo data (a deck or briefing must carry the 示例数据 mark)."""
    engine, catalogue = _sample_engine(tmp_path, is_demo=True)
    yield engine, catalogue
    engine.dispose()
