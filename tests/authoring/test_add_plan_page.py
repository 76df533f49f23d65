"""The catalogue page's "add a plan" end to end in AppTest: paste a plan, accept candidates, save, see it on the
overview. The catalogue files are a copy of data/ in a temporary folder (INDICATORS_TARGETS / _NOT_TARGETS)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from indicators import accounts, config, demo, store
from indicators import catalogue as cat
from indicators.store.audit import audit_rows

ROOT = Path(__file__).resolve().parents[2]
PLAN_TEXT = ("某县2025年重点工作任务\n一、产业发展\n"
             "　　1.壮大企业。新增规模以上工业企业20家，完成造林3000亩。（牵头单位：县工业和信息化局）\n"
             "　　2.2024年，全县新建公园4个。\n")


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A copy of the catalogue files, a database with the demo actuals, and an admin account."""
    data = tmp_path / "data"
    data.mkdir()
    for name in ("targets.yaml", "not_targets.yaml"):
        shutil.copy(config.DATA_DIR / name, data / name)
    shutil.copytree(config.DATA_DIR / "sources", data / "sources")
    monkeypatch.setenv("INDICATORS_TARGETS", str(data / "targets.yaml"))
    monkeypatch.setenv("INDICATORS_NOT_TARGETS", str(data / "not_targets.yaml"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.sqlite'}")
    monkeypatch.setenv("INDICATORS_ARCHIVE_DIR", str(tmp_path / "archive"))
    engine = store.make_engine()
    store.init_db(engine, cat.load())
    archive = Path(os.environ["INDICATORS_ARCHIVE_DIR"])
    demo.load_demo(engine, archive_dir=archive, directory=archive / "demo")
    accounts.add_user(engine, "boss", "admin", "correct horse battery", [], actor="test")
    yield data, engine
    engine.dispose()


def _app(engine, user: str | None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    if user:
        at.session_state["session"] = accounts.new_session(accounts.get_user(engine, user))
    return at


def _tracked(at: AppTest) -> int:
    at.switch_page("pages/overview.py").run()
    return int(next(m.value for m in at.metric if m.label in ("跟踪指标", "Targets tracked")))


def _fill(at: AppTest) -> AppTest:
    at.switch_page("pages/catalogue.py").run()
    at.text_area(key="plan_text").input(PLAN_TEXT).run()
    at.text_input(key="plan_id").input("demo-county-2025").run()
    at.text_input(key="plan_title_en").input("Demo county 2025 key tasks").run()
    at.text_input(key="plan_issuer").input("某县人民政府").run()
    at.text_input(key="plan_doc_number").input("某政发〔2025〕1号").run()
    at.text_input(key="plan_jurisdiction").input("某县").run()
    assert at.multiselect(key="plan_accept").options == ["demo-county-2025.t1.1", "demo-county-2025.t1.2"]
    at.multiselect(key="plan_accept").set_value(["demo-county-2025.t1.1"]).run()
    at.selectbox(key="plan_sector").set_value("industry").run()
    return at


def test_admin_adds_a_plan_and_sees_it_on_the_overview(site):
    data, engine = site
    at = _app(engine, "boss")
    before = _tracked(at)
    at = _fill(at)
    at.button(key="plan_save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("demo-county-2025" in s.value for s in at.success)
    written = yaml.safe_load((data / "targets.yaml").read_text(encoding="utf-8"))
    assert [t["id"] for t in written["targets"] if t["plan"] == "demo-county-2025"] == ["demo-county-2025.t1.1"]
    assert (data / "sources" / "demo-county-2025.txt").read_text(encoding="utf-8") == PLAN_TEXT
    assert _tracked(at) == before + 1  # the accepted target is on the overview; the other candidate is not
    assert [(r.actor, r.target) for r in audit_rows(engine, action="plan_add")] == [("boss", "demo-county-2025")]


def test_without_an_admin_the_form_is_not_offered(site):
    # issue 18: 导入新计划 is shown to administrators only (the save refuses a non-admin as well, see _add_plan)
    data, engine = site
    accounts.add_user(engine, "leader", "viewer", "correct horse battery", [], actor="test")
    for user in (None, "leader"):
        at = _app(engine, user)
        at.switch_page("pages/catalogue.py").run()
        assert not at.exception and not at.error
        assert "plan_text" not in {t.key for t in at.text_area}
        assert "plan_save" not in {b.key for b in at.button}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_validator_refuses_and_lists_problems(site, lang):
    data, engine = site
    before = (data / "targets.yaml").read_bytes()
    at = _fill(_app(engine, "boss"))
    at.text_input(key="plan_end").input("2031-12").run()  # the candidates' deadline 2025-12 stays inside; the
    at.text_input(key="plan_start").input("2026-01").run()  # period no longer holds it
    # the language and the click in one run: AppTest formats a selectbox's value outside the app's session (in
    # Chinese), so a further run after the switch would not find it among the English options
    at.radio(key="lang").set_value(lang)
    at.button(key="plan_save").click().run()
    # the review table says the problem in the reader's language: the entry, the field, the sentence of its code
    expected = cat.Problem("demo-county-2025.t1.1", "deadline", "deadline_outside_plan",
                           {"deadline": "2025-12", "start": "2026-01", "end": "2031-12"})
    assert at.error and at.table[-1].value.values.tolist() == [
        [expected.place(lang), "deadline", expected.message(lang)]]
    assert (data / "targets.yaml").read_bytes() == before


def test_a_fragment_missing_its_fields_is_listed_in_the_table(site):
    data, engine = site
    at = _fill(_app(engine, "boss"))
    at.text_input(key="plan_issuer").input("").run()
    at.multiselect(key="plan_accept").set_value([]).run()
    at.button(key="plan_save").click().run()
    rows = at.table[-1].value.values.tolist()
    assert ["计划 demo-county-2025", "issuer", cat.Problem("", "issuer", "plan_field_empty",
                                                           {"field": "issuer"}).message("zh")] in rows
    assert ["计划 demo-county-2025", "accepted", cat.Problem("", "", "nothing_accepted").message("zh")] in rows
