"""Every page through Streamlit's AppTest, on demo data and on an empty database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from indicators import catalogue as cat
from indicators import demo, i18n, progress, store
from indicators.progress import read_model

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["pages/overview.py", "pages/indicator.py", "pages/upload.py", "pages/catalogue.py", "pages/export.py",
         "pages/reporting.py", "pages/entry.py"]


def app(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_demo_data(demo_db, page):
    at = app(page)
    assert_clean(at)
    assert any("示例数据 / demo data" in w.value for w in at.warning) or page == "pages/catalogue.py"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_an_empty_database_with_a_friendly_state(db, page):
    at = app(page)
    assert_clean(at)
    if page in ("pages/overview.py", "pages/export.py"):
        assert any("python -m indicators demo" in i.value for i in at.info)


def test_overview_counts_equal_the_status_command(demo_db):
    at = app()
    as_of = at.session_state["sel_as_of"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-m", "indicators", "status", "--as-of", as_of, "--json"], env=env,
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    expected = progress.status_counts(progress.Progress(r["target_id"], as_of, r["status"], None, None, None, None,
                                                        0, 0, 0) for r in json.loads(out))
    shown = {m.label: m.value for m in at.metric}
    for key, count in expected.items():
        assert shown[i18n.status_label(key)] == str(count)
    assert shown["跟踪指标"] == str(sum(expected.values()))


def test_language_switch_changes_titles(demo_db):
    at = app()
    assert at.title[0].value == "总览"
    at.radio(key="lang").set_value("en").run()
    assert at.title[0].value == "Overview"
    assert_clean(at)
    assert any("demo data" in w.value for w in at.warning)


def test_indicator_page_shows_quote_status_and_history(demo_db):
    at = app()
    at.switch_page("pages/indicator.py").run()
    at.selectbox(key="indicator_target").set_value("liaocheng-2023.t29.5g-new").run()
    assert_clean(at)
    assert any("力争新建成开通5G基站2500个" in m.value for m in at.markdown)
    history = at.dataframe[-1].value  # the revision history comes last, after the month-by-month table
    assert len(history) == 9 and set(history["填报人"]) == {demo.DEMO_USER}


def test_as_of_defaults_to_the_latest_month_with_data(demo_db):
    at = app()
    assert at.session_state["sel_as_of"] == max(read_model.observed_months(demo_db))


def test_catalogue_page_filters_by_text(demo_db):
    at = app("pages/catalogue.py")
    at.text_input(key="cat_text").set_value("5G基站").run()
    assert_clean(at)
    table = at.dataframe[0].value
    assert 0 < len(table) < 10 and all("5G" in " ".join(map(str, row)) for row in table.values)


def test_catalogue_page_filters_by_canonical_department(demo_db):
    at = app("pages/catalogue.py")
    at.multiselect(key="cat_units").set_value(["泰安市发改委"]).run()
    assert_clean(at)
    table = at.dataframe[0].value
    assert len(table) > 0 and set(table["辖区"]) == {"泰安市"}  # 市发展改革委 of 聊城市 is another body
    at.multiselect(key="cat_units").set_value(["原材料产业科"]).run()  # written 原材料科 and 原材料产业科
    ids = set(at.dataframe[0].value["编号"])
    assert {"liaocheng-gxj-2023-2025.s4-1-1.nonferrous-firms",  # written 原材料科
            "liaocheng-gxj-2023-2025.s4-3.groups-revenue-100bn"} <= ids  # written 原材料产业科


def test_overview_lists_every_laggard_in_a_table(demo_db):
    at = app()
    assert_clean(at)
    laggards = [d.value for d in at.dataframe if "牵头部门" in d.value.columns]
    _, results = read_model.compute(demo_db, at.session_state["sel_as_of"])
    assert laggards and len(laggards[0]) == sum(r.status in progress.LAGGING for r in results) > 40  # every row
    assert set(laggards[0]["状态"]) <= {"滞后", "突破上限", "逾期未完成"}


def observation_count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(store.observations)).scalar()


# --- upload page, with accounts ------------------------------------------------------------------------------------
DATA = Path(__file__).parent / "data" / "pages"


def signed_in(engine, name: str, role: str, scopes=()) -> AppTest:
    from indicators import accounts

    accounts.add_user(engine, name, role, "correct horse battery", list(scopes), actor="test")
    at = app()
    at.session_state["session"] = accounts.new_session(accounts.get_user(engine, name))
    at.switch_page("pages/upload.py").run()
    return at


def upload_file(at: AppTest, name: str) -> AppTest:
    at.file_uploader(key="upload_file").set_value((name, (DATA / name).read_bytes(), "text/csv"))
    return at.run()


def test_viewer_cannot_reach_commit_or_rollback(demo_db):
    at = signed_in(demo_db, "leader", "viewer")
    assert_clean(at)
    keys = {b.key for b in at.button}
    assert "commit" not in keys and "rollback" not in keys
    assert not at.get("file_uploader")
    assert any("统计员" in i.value for i in at.info)


def test_statistician_uploads_checks_and_commits_a_good_file(db):
    at = signed_in(db, "王统计", "statistician", ["聊城市"])
    upload_file(at, "liaocheng_good.csv")
    assert_clean(at)
    assert observation_count(db) == 0  # nothing before the commit
    at.button(key="commit").click().run()
    assert_clean(at)
    assert observation_count(db) == 2
    assert any("已提交批次" in s.value for s in at.success)
    assert any("原值" in d.value.columns and list(d.value["原值"]) == ["（新增）"] * 2 for d in at.dataframe)  # changes
    from indicators.store import audit as audit_trail

    assert [r.action for r in audit_trail.audit_rows(db, action="commit")] == ["commit"]


def test_bad_file_shows_every_error_and_writes_nothing(db):
    at = signed_in(db, "王统计", "statistician", ["聊城市"])
    upload_file(at, "liaocheng_bad.csv")
    assert any("2 处错误" in e.value for e in at.error)
    table = at.dataframe[0].value
    assert list(table["行"]) == [2, 3]
    assert list(table["列"]) == ["B列（期间）", "C列（实际值）"]  # the template's headers and the Excel column letters
    assert list(table["代码"]) == ["bad_period", "not_a_number"]
    assert "commit" not in {b.key for b in at.button}
    assert observation_count(db) == 0


def test_an_unknown_id_gets_its_suggestions_in_full(db, tmp_path):
    at = signed_in(db, "王统计", "statistician", ["聊城市"])
    good = (DATA / "liaocheng_good.csv").read_text(encoding="utf-8-sig").splitlines()
    known = good[1].split(",")[0]
    data = "\n".join([good[0], good[1].replace(known, known + "x", 1)]).encode()
    at.file_uploader(key="upload_file").set_value(("typo.csv", data, "text/csv")).run()
    table = at.dataframe[0].value
    assert list(table["代码"]) == ["unknown_target"] and list(table["列"]) == ["A列（指标编号）"]
    [caption] = [c.value for c in at.caption if "您是否要填" in c.value]
    assert caption.startswith(f"第2行 A列（指标编号）：指标编号“{known}x”不在指标目录中；您是否要填：")
    suggestions = caption.split("您是否要填：")[1].split("、")
    assert suggestions[0] == known and len(suggestions) == 3  # every suggested id whole, the closest first
    assert all(s.startswith("liaocheng-2023.t") and not s.endswith("…") for s in suggestions)


def test_statistician_of_another_jurisdiction_cannot_commit(db):
    at = signed_in(db, "文统计", "statistician", ["文昌湖区"])
    upload_file(at, "liaocheng_good.csv")
    assert any("不属于您负责的辖区" in str(v) for v in at.dataframe[0].value["说明"])
    assert "commit" not in {b.key for b in at.button}
    assert observation_count(db) == 0


def test_rollback_reports_success_clears_the_confirmation_and_a_second_click_does_nothing(demo_db):
    at = signed_in(demo_db, "admin", "admin")
    batches = store.batch_list(demo_db)
    first = batches[0].id
    chooser = at.selectbox(key="rollback_batch")
    assert chooser.value is None  # nothing is armed before the user chooses
    label = chooser.format_func(first)
    assert batches[0].file_name in label and "2023" in label and str(batches[0].rows_written) in label
    chooser.set_value(first)
    at.checkbox(key="rollback_confirm").check()
    at.run()
    at.button(key="rollback").click().run()
    assert_clean(at)
    assert any(f"批次 {first} 已撤销" in s.value for s in at.success)
    assert at.checkbox(key="rollback_confirm").value is False
    assert at.selectbox(key="rollback_batch").value is None
    assert at.button(key="rollback").disabled
    rolled = [b.id for b in store.batch_list(demo_db) if b.status == "rolled_back"]
    assert rolled == [first]
    with pytest.raises(Exception, match="disabled"):  # a second click cannot reach the disarmed form
        at.button(key="rollback").click()
    at.checkbox(key="rollback_confirm").check().run()  # ticking the box alone arms nothing: no batch is chosen
    assert at.button(key="rollback").disabled
    assert_clean(at)
    assert [b.id for b in store.batch_list(demo_db) if b.status == "rolled_back"] == [first]
    assert not any("已撤销" in s.value for s in at.success)


def test_template_lists_targets_in_clause_order_with_basis_per_kind_for_a_month_chosen_from_a_list(demo_db):
    import csv
    import datetime as dt
    import io

    from indicators.upload.template import clause_key

    at = signed_in(demo_db, "admin", "admin")
    month = at.selectbox(key="template_month")
    today = dt.date.today()
    due = f"{today.year - (today.month == 1):04d}-{(today.month - 2) % 12 + 1:02d}"  # last month's figures are due
    assert month.value == due and month.options[-1] == due and len(month.options) == 24
    at.selectbox(key="template_plan").set_value("liaocheng-2023").run()
    month.set_value(month.options[-4]).run()
    button = next(b for b in at.get("download_button") if b.proto.id and "template_download" in b.proto.id)
    assert button is not None
    from indicators import upload

    rows = list(csv.reader(io.StringIO(upload.template_csv(demo_db, "liaocheng-2023", month.options[-4])
                                       .decode("utf-8-sig"))))
    catalogue = cat.load()
    targets = {t.id: t for t in catalogue.targets}
    clauses = [targets[r[0]].clause for r in rows[1:]]
    assert clauses == sorted(clauses, key=clause_key) and clauses.index("2") < clauses.index("10")
    for row in rows[1:]:
        assert row[5] == ("累计" if targets[row[0]].kind in ("increment", "cap") else ""), row


def test_indicator_page_table_metadata_and_downloads(demo_db):
    import csv
    import io

    at = app()
    at.switch_page("pages/indicator.py").run()
    at.selectbox(key="indicator_target").set_value("liaocheng-2023.t29.5g-new").run()
    assert_clean(at)
    as_of = at.session_state["sel_as_of"]
    table = at.dataframe[0].value
    assert list(table.columns) == ["月份", "实际值 (个)", "按进度应完成 (个)", "完成率", "状态", "批次"]
    assert table["月份"].iloc[0] == as_of and table["月份"].iloc[-1] == "2023-01"  # newest first, the whole window
    series = read_model.series(demo_db, "liaocheng-2023.t29.5g-new")
    assert [v for v in table["实际值 (个)"] if v == v] == [series[m] for m in table["月份"] if m in series]
    from indicators import i18n

    assert set(table["状态"]) <= {i18n.status_label(s, "zh") for s in progress.STATUSES}
    assert table["批次"].notna().all()
    markdown = " ".join(m.value for m in at.markdown)
    for label in ("定义（计划原文）", "单位与口径", "牵头单位", "辖区", "文号与条款", "报送频率", "判定方法"):
        assert label in markdown, label
    assert any("indicator_csv" in (d.proto.id or "") for d in at.get("download_button"))
    assert any("indicator_xlsx" in (d.proto.id or "") for d in at.get("download_button"))
    from indicators.outputs import tabular

    body = [list(r) for r in table.itertuples(index=False)]
    rows = list(csv.reader(io.StringIO(tabular.csv_bytes(table.columns, body).decode("utf-8-sig"))))
    assert rows[0][0] == "月份" and len(rows) == len(table) + 1
    at.button(key="indicator_render_png").click().run()  # the chart as a 16:9 PNG, through kaleido
    assert_clean(at)
    assert any("indicator_png_download" in (d.proto.id or "") for d in at.get("download_button"))
    assert at.session_state["indicator_png"][2][:8] == b"\x89PNG\r\n\x1a\n"


def test_indicator_page_in_english_names_units_and_departments_in_english(demo_db):
    at = app()
    at.switch_page("pages/indicator.py").run()
    at.selectbox(key="indicator_target").set_value("liaocheng-2023.t29.5g-new").run()
    at.radio(key="lang").set_value("en").run()
    assert_clean(at)
    assert "Actual (items)" in at.dataframe[0].value.columns
    markdown = " ".join(m.value for m in at.markdown)
    assert "at least 2,500 items" in markdown and "Liaocheng" in markdown


def test_export_page_follows_the_sidebar_plan_and_offers_every_indicator(demo_db):
    at = app("pages/export.py")
    at.session_state["sel_plans"] = ["wenchanghu-2023"]
    at.run()
    assert_clean(at)
    assert at.selectbox(key="export_plan").value == "wenchanghu-2023"
    options = at.selectbox(key="export_chart").options
    targets = [t for t in cat.load().targets if t.plan == "wenchanghu-2023"]
    sectors = {t.sector for t in targets}
    # the four overview charts, one per sector and one per indicator (not only laggards): the pack's chart set
    assert len(options) == 4 + len(sectors) + len(targets)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_export_page_says_what_to_install_in_the_readers_language(demo_db, monkeypatch, lang):
    from indicators.outputs import png

    # a server without Chromium (the environment, not our code): the page refuses to render, saying what to install
    monkeypatch.setattr(png.shutil, "which", lambda name: None)
    at = app("pages/export.py")
    at.radio(key="lang").set_value(lang).run()
    assert not at.exception
    assert [e.value for e in at.error] == [png.ExportError("no_chromium").message(lang)]


def test_export_page_builds_the_powerpoint_deck(demo_db):
    import io

    from pptx import Presentation

    at = app("pages/export.py")
    at.session_state["sel_plans"] = ["wenchanghu-2023"]
    at.run()
    at.button(key="build_pptx").click().run(timeout=300)
    assert_clean(at)
    deck_state = at.session_state["export_pptx"]
    assert deck_state[:3] == ("wenchanghu-2023", at.session_state["sel_as_of"], "zh")
    deck = Presentation(io.BytesIO(deck_state[4]))
    infos, results = read_model.compute(demo_db, deck_state[1], ["wenchanghu-2023"])
    assert len(deck.slides) == 1 + 4 + len({i.sector for i in infos}) + len(progress.laggards(results))
    assert deck.slide_width * 9 == deck.slide_height * 16
    assert any("pptx_download" in (d.proto.id or "") for d in at.get("download_button"))


def test_the_sidebar_links_every_page_the_user_may_open(db):
    at = app()
    links = [link.proto for link in at.sidebar.get("page_link")]
    assert [p.label for p in links] == ["总览", "指标详情", "数据上报", "指标目录", "图表导出", "报送情况", "填报"]
    assert len({p.page_script_hash for p in links}) == len(links) and all(p.page_script_hash for p in links)
    admin = signed_in(db, "admin", "admin")
    assert [p.label for p in (link.proto for link in admin.sidebar.get("page_link"))][-1] == "审计日志"
    admin.switch_page("pages/overview.py").run()
    assert_clean(admin)
    assert admin.title[0].value == "总览"


def test_an_app_run_under_other_settings_never_brings_its_catalogue_into_this_database(db, tmp_path, monkeypatch):
    """The catalogue is cached per file: a run with another INDICATORS_TARGETS in the same process (a benchmark, a
    test) once left its catalogue cached, and the next run synced it into this database, retiring every target."""
    with monkeypatch.context() as other:
        other.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'other.sqlite'}")
        other.setenv("INDICATORS_TARGETS", str(ROOT / "tests" / "data" / "ingest" / "targets.yaml"))
        other.setenv("INDICATORS_NOT_TARGETS", str(tmp_path / "none.yaml"))
        assert_clean(app())
    assert_clean(app())
    with db.connect() as conn:
        retired = conn.execute(select(func.count()).select_from(store.targets).where(store.targets.c.retired)).scalar()
        live = conn.execute(select(func.count()).select_from(store.targets)).scalar()
    assert (retired, live) == (0, len(cat.load().targets))
