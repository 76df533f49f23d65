"""The language catalogues: both languages complete, placeholders alike, every key used by code present."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from indicators import i18n

ROOT = Path(__file__).resolve().parent.parent


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_the_same_keys():
    zh, en = i18n.catalogue("zh"), i18n.catalogue("en")
    assert sorted(set(zh) - set(en)) == [] and sorted(set(en) - set(zh)) == []


@pytest.mark.parametrize("key", sorted(i18n.catalogue("zh")))
def test_placeholders_are_the_same_in_both_languages(key):
    # the one language-specific form: Chinese writes the month's number, English its name (both are always passed)
    same = {"month_name": "month"}
    left_out = LEFT_OUT.get(key, set())
    zh = _placeholders(i18n.catalogue("zh")[key])
    en = {same.get(name, name) for name in _placeholders(i18n.catalogue("en")[key])}
    assert zh - left_out == en - left_out
    assert left_out <= zh | en, f"{key}: LEFT_OUT names a placeholder neither language has"


# Keys where one language leaves out a value the other writes (every value is always passed to both):
LEFT_OUT = {
    # Chinese leaves out the as-of month's own year (6月); English always writes it (Jun 2023)
    "progress.months_span": {"year"},
    "progress.months_one": {"year"},
    # the 未报 rule: Chinese names the months by number within the year (9月未报，按8月数据判定), English by YYYY-MM
    "progress.not_reported": {"month", "actual_month", "period", "actual_period"},
}


def test_every_key_the_code_asks_for_exists():
    used = set()
    for path in [*ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py"), *ROOT.glob("indicators/**/*.py")]:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\b(?:t|tr)\(\s*["']([a-z0-9_.]+)["']""", text))
    missing = sorted(used - set(i18n.catalogue("zh")))
    assert missing == [], f"keys used in code but missing from the catalogues: {missing}"


def test_a_key_defined_in_two_files_is_refused(tmp_path, monkeypatch):
    for name in ("a.toml", "b.toml"):
        (tmp_path / "zh").mkdir(exist_ok=True)
        (tmp_path / "zh" / name).write_text('same = "一"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "CATALOGUE_DIR", tmp_path)
    i18n.catalogue.cache_clear()
    try:
        with pytest.raises(ValueError, match="same"):
            i18n.catalogue("zh")
    finally:
        i18n.catalogue.cache_clear()


def _cjk_literals(path: Path) -> list[str]:
    """String literals holding Chinese characters, apart from docstrings."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [f"{path.name}:{node.lineno}: {node.value[:30]}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
            and re.search(r"[\u4e00-\u9fff]", node.value)]


@pytest.mark.parametrize("path", [*sorted(ROOT.glob("pages/*.py")), *sorted(ROOT.glob("ui/*.py"))], ids=lambda p: p.name)
def test_pages_hold_no_inline_translations(path):
    assert _cjk_literals(path) == []
    assert not re.search(r"""["'] if (zh|lang == ["']zh["'])""", path.read_text(encoding="utf-8"))


def test_every_unit_and_jurisdiction_of_the_catalogue_has_an_english_name():
    from indicators import catalogue as cat
    from indicators import text

    catalogue = cat.load()
    units = {t.unit for t in catalogue.targets}
    places = {p.jurisdiction for p in catalogue.plans.values()}
    assert sorted(u for u in units if text.unit_label(u, "en") == u and u != "%") == []
    assert sorted(j for j in places if text.jurisdiction_label(j, "en") == j) == []


# --- one language mechanism: library modules choose wording through the catalogues, never by `lang` inline ---------
# Choices by language that are not wording, each with its reason (module, the line's code as written).
NOT_WORDING = {
    # the catalogue of English names is the data here: the one lookup every unit and jurisdiction name goes through
    ("indicators/text/__init__.py", 'return _names_en()["units"].get(unit, unit) if lang == "en" else unit'),
    ("indicators/text/__init__.py", 'return _names_en()["jurisdictions"].get(name, name) if lang == "en" else name'),
    # an unknown language code falls back to Chinese
    ("indicators/upload/issues.py", 'lang = "en" if lang == "en" else "zh"'),
    # a department's own English name field from the departments table (data, as i18n.pick does for the catalogue)
    ("indicators/catalogue/departments.py", 'labels = {d.short: (d.short if lang == "zh" else d.en) for d in self.by_id.values()}'),
    # layout: English status names are long and slant over narrow heat-map columns
    ("indicators/outputs/charts.py", 'slanted = ctx.size is None and ctx.lang != "zh"'),
}


def _language_choices(source: str) -> list[tuple[int, str]]:
    """(line, code) of every comparison of a language with "zh"/"en", and every `... if zh else ...`."""
    import ast

    tree = ast.parse(source)
    lines = source.splitlines()
    found = []
    for node in ast.walk(tree):
        hit = False
        if isinstance(node, ast.Compare):
            parts = [node.left, *node.comparators]
            hit = any(isinstance(p, ast.Constant) and p.value in ("zh", "en") for p in parts) and any(
                (isinstance(p, ast.Name) and "lang" in p.id) or (isinstance(p, ast.Attribute) and "lang" in p.attr)
                or (isinstance(p, ast.Call) and isinstance(p.func, ast.Name) and "lang" in p.func.id) for p in parts)
        elif isinstance(node, ast.IfExp | ast.If):
            hit = isinstance(node.test, ast.Name) and node.test.id in ("zh", "en", "is_zh", "english")
        if hit:
            found.append((node.lineno, lines[node.lineno - 1].strip()))
    return found


def _library_modules() -> list[Path]:
    """The library and the UI layer (pages and ui/): every module that could choose wording."""
    modules = [*ROOT.glob("indicators/**/*.py"), *ROOT.glob("ui/*.py"), *ROOT.glob("pages/*.py")]
    return sorted(p for p in modules if p != ROOT / "indicators" / "i18n" / "__init__.py")


@pytest.mark.parametrize("path", _library_modules(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_library_modules_choose_no_wording_by_language_inline(path):
    relative = path.relative_to(ROOT).as_posix()
    found = [f"{line}: {code}" for line, code in _language_choices(path.read_text(encoding="utf-8"))
             if (relative, code) not in NOT_WORDING]
    assert found == [], f"{relative}: put the wording in indicators/i18n/{{zh,en}}/*.toml and use t(): {found}"


def test_every_not_wording_exception_is_still_there():
    stale = [(module, code) for module, code in sorted(NOT_WORDING)
             if code not in {c for _, c in _language_choices((ROOT / module).read_text(encoding="utf-8"))}]
    assert stale == []


@pytest.mark.parametrize("code, caught", [
    ('x = "个" if lang == "zh" else "items"', True),
    ('x = a if zh else b', True),
    ('if lang != "zh":\n    pass', True),
    ('x = "a" if self.lang == "en" else "b"', True),
    ('if ui.lang() == "zh":\n    pass', False),
    ('x = t("key", lang)', False),
    ('x = lang in LANGS', False),
])
def test_the_language_check_itself(code, caught):
    assert bool(_language_choices(code)) is caught


# --- exceptions carry codes and parameters (i18n.CodedError), not "中文 / English" sentences -------------------------
def _chinese_raised(source: str) -> list[str]:
    """(line: text) of every string holding Chinese inside a ``raise ...(...)`` statement."""
    import ast

    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Raise) and node.exc is not None:
            found += [f"{node.lineno}: {c.value[:40]}" for c in ast.walk(node.exc)
                      if isinstance(c, ast.Constant) and isinstance(c.value, str) and re.search(r"[\u4e00-\u9fff]", c.value)]
    return found


@pytest.mark.parametrize("path", sorted(ROOT.glob("indicators/**/*.py")), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_library_exceptions_carry_codes_not_chinese_sentences(path):
    assert _chinese_raised(path.read_text(encoding="utf-8")) == [], "raise a CodedError with a code and params"


@pytest.mark.parametrize(("code", "caught"), [
    ('raise UnitError(f"不是数字 / not a number: {text!r}")', True),
    ('raise ExportError("找不到 Chromium")', True),
    ('raise UnitError("not_a_number", text=text)', False),
    ('raise ValueError("unknown threshold")', False),
])
def test_the_exception_check_itself(code, caught):
    assert bool(_chinese_raised(code)) is caught


# --- the command line prints catalogue sentences, not its own (issue 13) -------------------------------------------
# `bench` and `extract --evaluate` are the team's developer tools: English only, on purpose (see
# indicators/cli/reports.py cmd_bench).
CLI_ENGLISH_ONLY = {"cmd_bench", "_evaluate_catalogue", "_evaluate_gold"}
CLI_MODULES = [*sorted(ROOT.glob("indicators/cli/*.py")), ROOT / "indicators/authoring/cli.py",
               ROOT / "indicators/authoring/add_plan.py"]


def _worded_prints(source: str) -> list[str]:
    """(line: text) of every word written into a print() of the command line: a string literal (or an f-string's
    literal part) holding letters or Chinese, outside calls (t(...), json.dumps(...), pad(...)) and comparisons."""
    import ast

    found: list[str] = []

    def literals(node: ast.AST) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            # a command's own name as the line's prefix ("extract: ") is not wording
            if re.search(r"[A-Za-z]{2,}|[\u4e00-\u9fff]", re.sub(r"^[a-z-]+: $", "", node.value)):
                found.append(f"{node.lineno}: {node.value[:40]}")
        elif not isinstance(node, ast.Call | ast.Compare | ast.FormattedValue):
            for child in ast.iter_child_nodes(node):
                literals(child)

    def visit(node: ast.AST, skip: bool) -> None:
        if isinstance(node, ast.FunctionDef):
            skip = node.name in CLI_ENGLISH_ONLY
        if (not skip and isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print"):
            for arg in node.args:
                literals(arg)
        for child in ast.iter_child_nodes(node):
            visit(child, skip)

    visit(ast.parse(source), False)
    return found


@pytest.mark.parametrize("path", CLI_MODULES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_command_line_prints_no_inline_sentences(path):
    assert _worded_prints(path.read_text(encoding="utf-8")) == [], "put the line in i18n/{zh,en}/cli.toml and use t()"


@pytest.mark.parametrize(("code", "caught"), [
    ('print("dry run: nothing written")', True),
    ('print(f"wrote {out} ({n} targets)")', True),
    ('print("  by kind: " + ", ".join(kinds))', True),
    ('print("已写出")', True),
    ('print(t("cli.dry_run", lang))', False),
    ('print("  " + t("cli.converted", lang, count=n))', False),
    ('print(f"  {plan_id:<26} {count:>4}  ")', False),
    ('print(json.dumps({"ok": True}))', False),
    ('print("extract: " + t("cli.cannot_read", lang))', False),
    ('print("extract: cannot read")', True),
    ('def cmd_bench(args):\n    print("bench import:")', False),
])
def test_the_command_line_check_itself(code, caught):
    assert bool(_worded_prints(code)) is caught
