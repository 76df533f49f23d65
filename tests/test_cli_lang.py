"""The command line speaks the chosen language (issue 13): every summary line, header and usage refusal of
`python -m indicators ...` comes from i18n/{zh,en}/cli.toml; --lang en leaves no Chinese but the data's own names."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from indicators import i18n
from indicators.cli import main

DATA = Path(__file__).parent / "data" / "ingest"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """One SQLite file with the shipped catalogue and the demo actuals, for every command of this module."""
    folder = tmp_path_factory.mktemp("cli_lang")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", f"sqlite:///{folder / 'demo.sqlite'}")
        patch.setenv("INDICATORS_ARCHIVE_DIR", str(folder / "archive"))
        assert main(["init-db"]) == 0 and main(["demo"]) == 0
        yield patch


def _wording(key: str, lang: str) -> re.Pattern:
    """The catalogue sentence ``key`` as a pattern: its own words literally, each {placeholder} as any text."""
    parts = [re.escape(literal) + ("(.+?)" if name is not None else "")
             for literal, name, _, _ in string.Formatter().parse(i18n.t(key, lang))]
    return re.compile("".join(parts))


# (arguments, exit code, the catalogue key its line is worded by, which line is checked: -1 the last, None all)
COMMANDS = [
    (["init-db"], 0, "cli.database_ready", None),
    (["demo", "--if-empty"], 0, "cli.demo_not_loaded", None),
    (["validate", "--no-coverage"], 0, "cli.catalogue_summary", None),
    (["status", "--as-of", "2023-06"], 0, "cli.status_summary", -1),  # the table above holds the targets' names
    (["status", "--as-of", "2023-06", "--by", "jurisdiction"], 0, "cli.column.jurisdiction", 0),
    (["reporting", "--as-of", "2023-06", "--by", "jurisdiction"], 0, "cli.column.on_time", None),
    (["import", str(DATA / "duplicate.csv"), "--dry-run"], 1, "cli.import_summary", -1),
    (["template", "--plan", "liaocheng-2023", "--period", "2023-13"], 1, "cli.bad_month", None),
    (["export", "--as-of", "2023-06"], 2, "cli.export_needs_out", None),
    (["user", "list"], 0, "cli.no_users", None),
]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("argv", "code", "key", "line"), COMMANDS, ids=lambda v: " ".join(v) if isinstance(v, list)
                         else None)
def test_the_command_line_speaks_the_chosen_language(demo_db, capsys, argv, code, key, line, lang):
    assert main([*argv, "--lang", lang]) == code
    captured = capsys.readouterr()
    said = (captured.out + captured.err).strip()
    checked = said if line is None else said.splitlines()[line]
    assert _wording(key, lang).search(checked), f"{key} not in: {checked}"
    if lang == "en":
        assert not CJK.search(checked), checked
    else:
        assert CJK.search(checked), checked  # the Chinese wording itself, not only data


def test_english_is_never_the_default(demo_db, capsys):
    assert main(["status", "--as-of", "2023-06"]) == 0
    summary = capsys.readouterr().out.splitlines()[-1]
    assert summary.startswith("截至 2023-06：共 238 项指标——") and "targets" not in summary


@pytest.mark.parametrize(("text", "columns"), [("abc", 3), ("部门", 4), ("聊城市工信局", 12), ("ＡＢ", 4), ("", 0)])
def test_padding_counts_chinese_characters_as_two_columns(text, columns):
    from indicators.cli.common import pad, width

    assert width(text) == columns
    assert width(pad(text, 14)) == 14 and pad(text, 14).startswith(text)
    assert width(pad(text, 14, right=True)) == 14 and pad(text, 14, right=True).endswith(text)


HELP_COMMANDS = [[], ["validate"], ["import"], ["status"], ["extract"], ["add-plan"], ["bench"], ["user"],
                 ["user", "add"], ["reporting"], ["reject"]]


@pytest.mark.parametrize("command", HELP_COMMANDS, ids=lambda c: " ".join(c) or "top")
def test_help_speaks_chinese_by_default_and_english_with_lang_en(command):
    """`python -m indicators CMD --help`, a real process: Chinese help by default, no Chinese with --lang en (only
    argparse's own words, usage: and options:, stay English in Chinese help)."""
    import subprocess
    import sys

    def run(*extra: str) -> str:
        done = subprocess.run([sys.executable, "-m", "indicators", *command, "--help", *extra],
                              capture_output=True, text=True, encoding="utf-8", cwd=Path(__file__).parent.parent)
        assert done.returncode == 0, done.stderr
        return done.stdout

    chinese, english, english_eq = run(), run("--lang", "en"), run("--lang=en")
    assert CJK.search(chinese), chinese
    assert not CJK.search(english), english
    assert english == english_eq
    assert "usage:" in english and "usage:" in chinese


def _parsers(parser):
    """Every parser under ``parser``, itself included."""
    import argparse

    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                yield from _parsers(child)


def test_every_help_text_of_every_command_follows_the_language():
    """All the help of all (sub)commands: each option described, Chinese in zh, no Chinese in en."""
    from indicators.cli import argv_lang, build_parser

    assert argv_lang([]) == "zh" and argv_lang(["status", "--lang", "en"]) == "en"
    assert argv_lang(["status", "--lang=en", "--help"]) == "en" and argv_lang(["status", "--lang", "zh"]) == "zh"
    for zh, en in zip(_parsers(build_parser()), _parsers(build_parser("en")), strict=True):
        for z, e in zip(zh._actions, en._actions, strict=True):
            if z.help is None or z.dest == "help":
                continue
            assert CJK.search(z.help), (zh.prog, z.dest, z.help)
            assert not CJK.search(e.help), (en.prog, e.dest, e.help)
        assert not CJK.search(en.format_help()), en.prog
