"""The reporting cycle on the pages (AppTest): the sidebar's default month, the 已报 tile, 报送情况 and 填报."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook

from indicators import store, upload
from indicators.outputs import tabular
from tests.test_pages import app, assert_clean

SEPTEMBER_ONLY = Path(__file__).parent / "data" / "pages"


def commit_csv(engine, text: str, name: str = "x.csv") -> int:
    data = text.encode("utf-8")
    report = upload.validate_upload(engine, data, name)
    assert report.ok, report.errors
    return upload.commit_upload(engine, report, data, "tester").batch_id


def liaocheng_ids(engine) -> list[str]:
    with engine.connect() as conn:
        rows = store.reporting_targets(conn, ["liaocheng-2023"])
    return [r.id for r in rows]


def test_sidebar_defaults_to_the_complete_month_and_shows_completeness(db):  # noqa: F811
    ids = liaocheng_ids(db)
    september = "".join(f"{t},2023-09,1\n" for t in ids)
    commit_csv(db, "target_id,period,value\n" + september)
    commit_csv(db, "target_id,period,value\n" + "".join(f"{t},2023-10,1\n" for t in ids[:8]))
    at = app()
    assert_clean(at)
    at.multiselect[0].set_value(["liaocheng-2023"]).run()
    at = app()  # a fresh session picks the default for the selection
    at.multiselect[0].set_value(["liaocheng-2023"]).run()
    box = next(s for s in at.selectbox if s.label == "截至月份")
    assert box.value == "2023-09"
    assert "2023年9月 · 已报 100%" in box.options and f"2023年10月 · 已报 {8 / len(ids):.0%}" in box.options
    shown = {m.label: m.value for m in at.metric}
    assert shown["已报"] == f"{len(ids)}/{len(ids)}"


def test_reporting_page_counts_and_chase_list(db):  # noqa: F811
    ids = liaocheng_ids(db)
    commit_csv(db, "target_id,period,value\n" + "".join(f"{t},2023-09,1\n" for t in ids[:-3]))
    at = app("pages/reporting.py")
    assert_clean(at)
    at.multiselect[0].set_value(["liaocheng-2023"]).run()
    shown = {m.label: m.value for m in at.metric}
    assert (shown["应报"], shown["已报"], shown["未报"]) == (str(len(ids)), str(len(ids) - 3), "3")
    assert_clean(at)
    chase = at.dataframe[2].value  # month table, grid, 催报 list
    assert sorted(chase["指标编号"]) == sorted(ids[-3:]) and (chase["逾期天数"] > 0).all()
    at.radio(key="reporting_by").set_value("jurisdiction").run()
    assert_clean(at)
    assert list(at.dataframe[0].value["辖区"]) == ["聊城市"]
    at.radio(key="lang").set_value("en").run()
    assert_clean(at)
    assert at.title[0].value == "Reporting"


def test_reporting_page_on_demo_data_carries_the_banner(demo_db):  # noqa: F811
    at = app("pages/reporting.py")
    assert_clean(at)
    assert any("示例数据 / demo data" in w.value for w in at.warning)


def test_xlsx_download_keeps_formula_text_as_text():
    data = tabular.xlsx_bytes(["部门", "n"], [["=HYPERLINK(\"http://x\")", 3], ["+1", 4.5]])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "'=HYPERLINK(\"http://x\")" and sheet["A2"].data_type == "s"
    assert sheet["A3"].data_type == "s" and sheet["B3"].value == 4.5


# --- 填报 -------------------------------------------------------------------------------------------------------------
def entry_page(engine, name: str = "stat", role: str = "statistician", scopes=("聊城市",)):
    from indicators import accounts

    accounts.add_user(engine, name, role, "correct horse battery", list(scopes), actor="test")
    at = app()
    at.session_state["session"] = accounts.new_session(accounts.get_user(engine, name))
    at.switch_page("pages/entry.py").run()
    at.selectbox(key="entry_plan_zh").set_value("liaocheng-2023").run()
    at.selectbox(key="entry_month_zh").set_value("2023-09").run()
    return at


def type_values(at, values: dict[int, str]):
    generation = at.session_state["entry_generation"]
    at.session_state[f"entry_grid_{generation}"] = {
        "edited_rows": {row: {"input": text} for row, text in values.items()}, "added_rows": [], "deleted_rows": []}
    at.button(key="entry_save").click().run()
    return at


def live(engine, target_id: str, month: str) -> float | None:
    with engine.connect() as conn:
        return store.latest_values(conn, [target_id]).get((target_id, month))


def test_entry_saves_a_value_as_one_audited_batch_and_shows_it(db):  # noqa: F811
    from indicators.store import audit as audit_trail

    at = entry_page(db)
    assert_clean(at)
    grid = at.data_editor[0].value
    first = grid["target_id"][0]
    type_values(at, {0: "1,234"})
    assert_clean(at)
    assert live(db, first, "2023-09") == 1234
    assert any("已保存" in s.value for s in at.success)
    assert at.data_editor[0].value["current"][0] == "1234"  # shown in the fresh grid
    batches = store.batch_list(db)
    assert len(batches) == 1 and batches[0].uploader == "stat"
    assert [r.action for r in audit_trail.audit_rows(db, actor="stat")] == ["commit"]


def test_entry_refuses_a_bad_value_with_the_upload_message_and_writes_nothing(db):  # noqa: F811
    at = entry_page(db)
    grid = at.data_editor[0].value
    type_values(at, {0: "很多", 1: "12"})
    assert any("未保存任何数据" in e.value for e in at.error)
    issues = at.dataframe[-1].value
    assert list(issues["指标"]) == [grid["name"][0]] and "数" in issues["说明"][0]
    assert store.batch_list(db) == [] and live(db, grid["target_id"][1], "2023-09") is None


def test_entry_correction_is_a_new_revision(db):  # noqa: F811
    at = entry_page(db)
    target = at.data_editor[0].value["target_id"][0]
    type_values(at, {0: "100"})
    type_values(at, {0: "150"})
    assert_clean(at)
    assert live(db, target, "2023-09") == 150
    history = [h for h in store.revision_history(db, target) if h.period == "2023-09"]
    assert [h.value for h in history] == [150, 100]
    assert at.data_editor[0].value["current"][0] == "150"
    at.radio(key="lang").set_value("en").run()  # the choices survive a language switch
    assert_clean(at)
    assert (at.selectbox(key="entry_plan_en").value, at.selectbox(key="entry_month_en").value) == \
        ("liaocheng-2023", "2023-09")


def test_entry_needs_a_writer(db):  # noqa: F811
    at = app("pages/entry.py")
    assert_clean(at)
    assert any("登录" in i.value for i in at.info)


def test_approver_approves_from_the_reporting_page_and_statistician_sees_pending(db, tmp_path, monkeypatch):  # noqa: F811
    from indicators import accounts

    settings = tmp_path / "settings.toml"
    settings.write_text("approval_required = true\n", encoding="utf-8")
    monkeypatch.setenv("INDICATORS_SETTINGS", str(settings))
    at = entry_page(db)
    target = at.data_editor[0].value["target_id"][0]
    type_values(at, {0: "321"})
    assert_clean(at)
    assert at.data_editor[0].value["current"][0] == "321（待审核）" and live(db, target, "2023-09") is None

    accounts.add_user(db, "boss", "approver", "correct horse battery", ["聊城市"], actor="test")
    boss = app()
    boss.session_state["session"] = accounts.new_session(accounts.get_user(db, "boss"))
    boss.switch_page("pages/reporting.py").run()
    assert_clean(boss)
    boss.button(key="approval_reject").click().run()
    assert any("原因" in e.value for e in boss.error)  # a rejection needs a reason; nothing decided
    boss.text_input(key="approval_comment").set_value("已核对").run()
    boss.button(key="approval_approve").click().run()
    assert_clean(boss)
    assert live(db, target, "2023-09") == 321
    assert any("已审核通过" in s.value for s in boss.success)
