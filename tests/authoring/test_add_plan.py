"""The reviewed path into the catalogue, end to end on a copy of the data folder: extract --out, review, add-plan."""

from __future__ import annotations

import argparse
import difflib
import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from indicators import authoring, config, store
from indicators import catalogue as cat
from indicators.authoring.merge import merge_fragment

PROJECT_DATA = config.DATA_DIR
PLAN_TEXT = ("某县2025年重点工作任务\n一、产业发展\n"
             "　　1.壮大企业。新增规模以上工业企业20家，完成造林3000亩。（牵头单位：县工业和信息化局）\n"
             "　　2.2024年，全县新建公园4个。\n")


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m indicators")
    authoring.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A copy of the data folder (catalogue, exclusions, sources), a plan text, and a scratch database."""
    data = tmp_path / "data"
    data.mkdir()
    for name in ("targets.yaml", "not_targets.yaml"):
        shutil.copy(PROJECT_DATA / name, data / name)
    shutil.copytree(PROJECT_DATA / "sources", data / "sources")
    (tmp_path / "plan_2025.txt").write_text(PLAN_TEXT, encoding="utf-8")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite'}")
    return tmp_path


def _review(fragment: Path, accept: dict[int, dict]) -> None:
    """What a reviewer does: fill the plan's fields and accept (and edit) some candidates."""
    data = yaml.safe_load(fragment.read_text(encoding="utf-8"))
    data["plan"].update(title_en="Demo county 2025 key tasks", issuer="某县人民政府", doc_number="某政发〔2025〕1号",
                        issued="2025-02-01", jurisdiction="某县")
    for index, changes in accept.items():
        data["targets"][index].update({"accepted": True, "sector": "industry", "name_en": "n", **changes})
    fragment.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_extract_out_writes_a_fragment_nothing_accepted(project, capsys):
    fragment = project / "fragment.yaml"
    assert _run(["extract", str(project / "plan_2025.txt"), "--plan-id", "demo-2025", "--out", str(fragment)]) == 0
    data = yaml.safe_load(fragment.read_text(encoding="utf-8"))
    assert data["plan"]["id"] == "demo-2025" and data["plan"]["period"] == {"start": "2025-01", "end": "2025-12"}
    assert data["plan"]["source"] == "data/sources/plan_2025.txt"
    assert [(t["value"], t["unit"], t["accepted"]) for t in data["targets"]] == [(20, "家", False), (3000, "亩", False)]
    assert data["targets"][0]["lead_units"] == ["县工业和信息化局"]


def test_add_plan_merges_accepted_targets_copies_the_text_and_syncs_the_database(project, capsys):
    fragment = project / "fragment.yaml"
    _run(["extract", str(project / "plan_2025.txt"), "--plan-id", "demo-2025", "--out", str(fragment)])
    _review(fragment, {0: {"name": "新增规上工业企业"}})
    before = (project / "data" / "targets.yaml").read_text(encoding="utf-8")

    assert _run(["add-plan", str(fragment), "--data", str(project / "data")]) == 0

    after = (project / "data" / "targets.yaml").read_text(encoding="utf-8")
    changes = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False).get_opcodes()
    assert {tag for tag, *_ in changes} == {"equal", "insert"}  # the existing content kept as it was, lines added
    assert (project / "data" / "sources" / "plan_2025.txt").read_text(encoding="utf-8") == PLAN_TEXT
    merged = cat.load(project / "data" / "targets.yaml", project / "data" / "not_targets.yaml")
    merged.root = project
    assert "demo-2025" in merged.plans and cat.validate(merged) == []
    (added,) = [t for t in merged.targets if t.plan == "demo-2025"]
    assert (added.value, added.unit, added.name, added.quote) == (20, "家", "新增规上工业企业", "新增规模以上工业企业20家")
    with store.make_engine().connect() as conn:
        assert "demo-2025.t1.1" in store.target_rows(conn)
        actions = conn.execute(select(store.audit_log.c.action, store.audit_log.c.target)).all()
    assert ("plan_add", "demo-2025") in [tuple(row) for row in actions]
    out = capsys.readouterr().out  # Chinese by default
    assert "已添加计划 demo-2025，共 1 项指标。" in out
    assert f"数据库已同步：新增指标 {len(merged.targets)} 项。" in out  # a fresh database: the whole catalogue


@pytest.mark.parametrize(("edit", "field", "code"), [
    ({"quote": "新增规模以上工业企业25家"}, "quote", "quote_not_verbatim"),  # not verbatim in the text
    ({"value": 25}, "value", "value_not_in_quote"),  # the quote says 20
    ({"sector": "no-such-sector"}, "sector", "unknown_sector"),
    ({"deadline": "2031-12"}, "deadline", "deadline_outside_plan"),  # outside the plan's period
])
def test_add_plan_refuses_a_fragment_the_validator_rejects_and_writes_nothing(project, capsys, edit, field, code):
    fragment = project / "fragment.yaml"
    _run(["extract", str(project / "plan_2025.txt"), "--plan-id", "demo-2025", "--out", str(fragment)])
    _review(fragment, {0: edit})
    before = (project / "data" / "targets.yaml").read_bytes()
    with pytest.raises(authoring.FragmentError) as refused:
        merge_fragment(authoring.load_fragment(fragment), project / "data")
    assert [(p.where, p.field, p.code) for p in refused.value.problems] == [("demo-2025.t1.1", field, code)]
    assert _run(["add-plan", str(fragment), "--data", str(project / "data")]) == 1
    assert f"  ✗ {refused.value.problems[0].text('zh')}\n" in capsys.readouterr().err  # where · field [code]: 句子
    assert (project / "data" / "targets.yaml").read_bytes() == before
    assert not (project / "data" / "sources" / "plan_2025.txt").exists()


def test_add_plan_refuses_when_nothing_is_accepted_or_fields_are_missing(project, capsys):
    fragment = project / "fragment.yaml"
    _run(["extract", str(project / "plan_2025.txt"), "--plan-id", "demo-2025", "--out", str(fragment)])
    with pytest.raises(authoring.FragmentError) as refused:
        authoring.load_fragment(fragment)
    codes = {(p.field, p.code) for p in refused.value.problems}
    assert {("accepted", "nothing_accepted"), ("issuer", "plan_field_empty")} <= codes
    assert _run(["add-plan", str(fragment), "--data", str(project / "data"), "--no-db", "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "[nothing_accepted]: no target has accepted: true" in err and "[plan_field_empty]: plan.issuer is empty" in err
    assert f"add-plan {fragment}: refused, {len(refused.value.problems)} problem(s):\n" in err


def test_add_plan_refuses_a_plan_id_already_in_the_catalogue(project, capsys):
    fragment = project / "fragment.yaml"
    _run(["extract", str(project / "plan_2025.txt"), "--plan-id", "liaocheng-2023", "--out", str(fragment)])
    _review(fragment, {0: {}})
    with pytest.raises(authoring.FragmentError) as refused:
        merge_fragment(authoring.load_fragment(fragment), project / "data")
    assert [(p.code, p.params) for p in refused.value.problems] == [("plan_taken", {"plan": "liaocheng-2023"})]
    assert _run(["add-plan", str(fragment), "--data", str(project / "data"), "--no-db"]) == 1
    assert "[plan_taken]: 计划 liaocheng-2023 已在指标目录中" in capsys.readouterr().err


def test_merge_text_keeps_comments_and_order():
    text = "# head\nsectors:\n  a: {zh: 甲, en: A}\n\nplans:\n  - id: p1\n\n# the targets\ntargets:\n  - id: p1.t1\n"
    merged = authoring.merge_text(text, {"id": "p2"}, [{"id": "p2.t1"}])
    assert merged.splitlines() == ["# head", "sectors:", "  a: {zh: 甲, en: A}", "", "plans:", "  - id: p1",
                                   "  - id: p2", "", "# the targets", "targets:", "  - id: p1.t1", "  - id: p2.t1"]


def test_add_plan_is_for_administrators_and_audited_with_its_sync(project, monkeypatch):
    from indicators import accounts, service
    from indicators.accounts import passwords
    from indicators.store import audit as audit_trail

    monkeypatch.setattr(passwords, "HASHER", passwords.PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    fragment = project / "fragment.yaml"
    _run(["extract", str(project / "plan_2025.txt"), "--plan-id", "demo-2025", "--out", str(fragment)])
    _review(fragment, {0: {"name": "新增规上工业企业"}})
    engine = store.make_engine(config.database_url())
    store.init_db(engine, cat.load(project / "data" / "targets.yaml", project / "data" / "not_targets.yaml"))
    accounts.add_user(engine, "stat", "statistician", "统计员的密码2025", ["聊城市"], actor="setup")
    before = (project / "data" / "targets.yaml").read_text(encoding="utf-8")
    stat = accounts.get_user(engine, "stat")
    with pytest.raises(service.Denied):
        service.add_plan(engine, stat, authoring.load_fragment(fragment), project / "data")
    assert (project / "data" / "targets.yaml").read_text(encoding="utf-8") == before  # nothing written
    assert [(r.action, r.ok) for r in audit_trail.audit_rows(engine, action="plan_add")] == [("plan_add", False)]

    service.add_plan(engine, service.Operator("os:tester"), authoring.load_fragment(fragment), project / "data")
    rows = audit_trail.audit_rows(engine, action="plan_add")
    assert sorted((r.actor, r.ok) for r in rows) == [("os:tester", True), ("stat", False)]
    with engine.connect() as conn:
        assert conn.execute(select(store.targets.c.id).where(store.targets.c.plan_id == "demo-2025")).first()
    engine.dispose()
