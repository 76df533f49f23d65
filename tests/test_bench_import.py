"""`bench import` measures every file kind on an empty and a big database against its floor, and `--json` prints
one JSON object with the figures (small sizes here: the figures are not asserted, their presence and sense are)."""

from __future__ import annotations

import json

from indicators import service, store, upload
from indicators.bench import imports
from indicators.cli import main
from indicators.upload import plain
from indicators.upload.lookup import StoreLookup


def test_bench_import_json_is_one_object_with_every_figure(capsys):
    assert main(["bench", "import", "--rows", "720", "--big-targets", "500", "--runs", "1", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)  # one object, nothing else printed
    assert figures["database"] == "sqlite" and figures["rows"] == 720 and figures["rounds"] == 1
    assert figures["big_targets"] == 500 + 21 and figures["big_observations"] == 500 * 36  # the province + the file's plan
    assert len(figures["load_before"]) == 3 and len(figures["load_after"]) == 3
    assert set(figures["files"]) == set(imports.KINDS)
    for kind, entry in figures["files"].items():
        assert entry["floor_goal"] == imports.FLOOR_GOALS["sqlite"][kind] and entry["big_goal"] == 1.2
        for db in ("empty", "big"):
            side = entry[db]
            assert side["ours_s"] >= side["validate_s"] > 0 and side["floor_s"] > 0
            assert side["ours_over_floor"] > 0 and side["commit_over_floor"] > 0
        assert entry["big_over_empty"] > 0


def test_the_three_files_hold_the_same_rows():
    plan = imports.synthetic_catalogue(jurisdictions=1, targets_per_jurisdiction=3, prefix="upload")
    files = imports._files(plan, 100)
    plain, odd = files["plain"].decode().splitlines(), files["odd"].decode().splitlines()
    assert len(plain) == len(odd) == 101
    assert sum(a != b for a, b in zip(plain, odd, strict=True)) == 1  # one value written "+12.50" or "1,234.50"
    [odd_value] = [b.split(",")[2] for a, b in zip(plain, odd, strict=True) if a != b]
    assert not upload.is_plain_number(odd_value)  # not a plain decimal: read on its own
    assert files["rows"] == files["odd"] and imports.ROW_BY_ROW == {"rows"}  # checked by the reference validator


def test_the_odd_file_stays_column_wise_and_the_rows_file_goes_row_by_row(tmp_path):
    """The figures of "odd" and "rows" are of the two paths they name: the same file, through each validator."""
    plan = imports.synthetic_catalogue(jurisdictions=1, targets_per_jurisdiction=3, prefix="upload")
    engine = store.make_engine(f"sqlite:///{tmp_path / 'bench.sqlite'}")
    store.init_db(engine, plan)
    files = imports._files(plan, 100)
    with engine.connect() as conn:
        assert plain.validate_plain(files["odd"], StoreLookup(conn), None) is not None
    operator = service.Operator(imports.BENCH_USER)
    fast = service.validate(engine, operator, files["odd"], "odd.csv")
    reference = service.validate(engine, operator, files["rows"], "odd.csv", column_wise=False)
    engine.dispose()
    assert fast.ok and fast == reference and len(fast.parsed) == 100
