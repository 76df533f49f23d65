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
    zh = _placeholders(i18n.catalogue("zh")[key])
    en = {same.get(name, name) for name in _placeholders(i18n.catalogue("en")[key])}
    assert zh == en


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
