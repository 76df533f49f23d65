"""README.md documents every setting, environment variable and command (as datasette's tests/test_docs.py does)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from indicators import config
from indicators.cli import build_parser

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(sub.choices)


@pytest.mark.parametrize("setting", [s.name for s in config.SETTINGS])
def test_every_setting_is_in_the_readme(setting):
    assert f"`{setting}`" in README, f"README.md does not document the setting {setting}"


@pytest.mark.parametrize("command", _commands())
def test_every_command_is_in_the_readme(command):
    assert f"`{command}" in README, f"README.md does not document the command {command}"


def test_environment_is_read_only_through_config():
    """No module but config reads os.environ, so the settings table stays the whole truth."""
    root = Path(__file__).resolve().parent.parent / "indicators"
    readers = sorted(str(p.relative_to(root)) for p in root.rglob("*.py")
                     if "os.environ" in p.read_text(encoding="utf-8") and p.name != "config.py")
    assert readers == [], f"these modules read os.environ directly: {readers}"


def test_undocumented_environment_variable_is_refused():
    with pytest.raises(KeyError, match="not a documented setting"):
        config.env("INDICATORS_SOMETHING_NEW")
