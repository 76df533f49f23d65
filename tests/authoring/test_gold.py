"""The gold lists of real texts (tests/data/extract/real) and the evaluation that reads texts from a folder."""

from __future__ import annotations

import argparse

import pytest
import yaml

from indicators import authoring
from indicators.authoring.gold import DEFAULT_GOLD_DIR, evaluate_gold, load_gold
from indicators.text.units import UnitError, parse_unit

GOLD = load_gold()


def test_there_are_at_least_twenty_real_texts_in_both_halves():
    assert len(GOLD) >= 20
    assert {g.split for g in GOLD} == {"tuning", "heldout"}
    assert len({g.kind for g in GOLD}) >= 6


@pytest.mark.parametrize("gold", GOLD, ids=[g.name for g in GOLD])
def test_gold_files_are_complete(gold):
    assert gold.source.startswith(("http://", "https://")) and gold.file.endswith(".txt")
    for target in gold.targets:
        assert target.quote.strip() and target.comparator in (">=", ">", "<=", "<", "~", "range")
        assert target.kind in ("increment", "level", "cap", "growth", "share")
        assert (target.comparator == "range") == (target.value_max is not None)
        if target.unit not in ("万株", "株", "盏", "万盏", "课时"):  # units.txt lacks these (the extractor notes it)
            try:
                parse_unit(target.unit)
            except UnitError as exc:
                pytest.fail(f"{target.quote}: {exc}")
    assert all(quote.strip() and reason.strip() for quote, reason in gold.not_targets)


def _folders(tmp_path):
    texts, gold = tmp_path / "texts", tmp_path / "gold"
    texts.mkdir()
    gold.mkdir()
    (texts / "a.txt").write_text("某县2025年工作要点\n　　2024年，全县新增企业8家。\n　　2025年，新增企业10家，"
                                 "新建公园3个，落实政策20条。\n", encoding="utf-8")
    (gold / "01_a.gold.yaml").write_text(yaml.safe_dump({
        "file": "a.txt", "source": "https://example.org/a", "kind": "plan", "split": "heldout",
        "targets": [{"quote": "新增企业10家", "value": 10, "unit": "家", "comparator": ">=", "kind": "increment"},
                    {"quote": "新建公园3个", "value": 3, "unit": "个", "comparator": ">=", "kind": "level"},
                    {"quote": "新增企业8家", "value": 8, "unit": "家", "comparator": ">=", "kind": "increment"}],
        "not_targets": [{"quote": "落实政策20条", "reason": "a policy's count of articles"}],
    }, allow_unicode=True), encoding="utf-8")
    return texts, gold


def test_evaluate_gold_counts_found_missed_and_readings(tmp_path):
    texts, gold = _folders(tmp_path)
    result = evaluate_gold(texts, gold)
    (score,) = result.scores
    assert (score.found, score.candidates, score.correct, score.right_reading) == (2, 2, 2, 1)
    assert [t.value for t in score.misses] == [8]  # judged a target here on purpose, to see a miss counted
    figures = result.figures()
    assert figures["recall"] == pytest.approx(2 / 3) and figures["precision"] == 1.0 and figures["reading"] == 0.5
    assert "heldout · plan" in result.table() and "miss" in result.details()


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m indicators")
    authoring.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_evaluate_a_folder(tmp_path, capsys):
    texts, gold = _folders(tmp_path)
    assert _run(["extract", "--evaluate", str(texts), "--gold", str(gold), "--details"]) == 1  # recall 66.7 %
    out = capsys.readouterr().out
    assert "FAIL (held-out)" in out and "recall 66.7%" in out
    (texts / "a.txt").unlink()
    assert _run(["extract", "--evaluate", str(texts), "--gold", str(gold)]) == 1
    assert "a.txt" in capsys.readouterr().err


def test_the_real_gold_lists_live_in_the_repository_but_not_the_texts():
    assert DEFAULT_GOLD_DIR.is_dir()
    assert not list(DEFAULT_GOLD_DIR.glob("*.txt"))
