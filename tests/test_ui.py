"""The UI layer itself (ui/): the data version is read once per script run, and again on the next run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from indicators import demo

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def version_queries():
    """Every data-version read issued by any engine of this process (the app's engine is made inside ui/)."""
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if "max(data_version.version)" in statement:
            seen.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    yield seen
    event.remove(Engine, "before_cursor_execute", count)


@pytest.mark.parametrize("page", [None, "pages/overview.py", "pages/indicator.py", "pages/reporting.py"])
def test_the_data_version_is_queried_once_per_rerun(db, version_queries, page):
    demo.load_demo(db, archive_dir=Path(os.environ["INDICATORS_ARCHIVE_DIR"]),
                   directory=Path(os.environ["INDICATORS_ARCHIVE_DIR"]) / "demo")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    version_queries.clear()
    at.radio(key="lang").set_value("en").run()  # one more rerun, every cached look-up of the page made again
    assert not at.exception, [e.value for e in at.exception]
    assert len(version_queries) == 1


def test_a_change_between_two_runs_is_seen_by_the_next_run(db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not any("demo data" in w.value for w in at.warning)
    demo.load_demo(db, archive_dir=Path(os.environ["INDICATORS_ARCHIVE_DIR"]),
                   directory=Path(os.environ["INDICATORS_ARCHIVE_DIR"]) / "demo")
    at.run()
    assert any("示例数据 / demo data" in w.value for w in at.warning)
