"""`bench pages` times the overview through AppTest over a synthetic province, built once per size and reused."""

from __future__ import annotations

import json

from indicators.bench import pages
from indicators.cli import main


def test_bench_pages_builds_the_province_once_and_times_real_uploads(tmp_path):
    figures = pages.bench_pages(0.007, rounds=2, cache=tmp_path)  # one jurisdiction: 250 targets, 9,000 values
    assert figures["errors"] == [] and (figures["targets"], figures["observations"]) == (250, 9000)
    assert len(figures["first_runs"]) == len(figures["cached_reruns"]) == 2
    assert 0 < figures["first_run_cpu_s"] and 0 < figures["cached_rerun_cpu_s"]
    built = list(tmp_path.iterdir())
    assert len(built) == 1 and (built[0] / "province.sqlite").exists() and (built[0] / "targets.yaml").exists()
    stamp = (built[0] / "province.sqlite").stat().st_mtime_ns
    again = pages.bench_pages(0.007, rounds=1, cache=tmp_path)
    assert again["observations"] == 9000 and list(tmp_path.iterdir()) == built  # reused, and left as it was built
    assert (built[0] / "province.sqlite").stat().st_mtime_ns == stamp
    assert all(line for line in pages.lines(again))


def test_bench_pages_json_is_one_object(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the province's cache goes under the temp directory
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", None)
    assert main(["bench", "pages", "--sizes", "0.007", "--runs", "1", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert {"first_run_s", "cached_rerun_s", "first_run_cpu_s", "cached_rerun_cpu_s", "server_start_s",
            "load_average"} <= set(figures)
