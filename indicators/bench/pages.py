"""`bench pages`: the overview page through Streamlit's AppTest over a synthetic province (38,000 targets at 1×):
its first run after an upload (status computed again) and a cached rerun (nothing large recomputed or unpickled).
The province is built once per size and reused (``province``)."""

from __future__ import annotations

import hashlib
import inspect
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from indicators import config, store
from indicators.bench.data import load_province, synthetic_catalogue
from indicators.bench.status import JURISDICTIONS


def _write_catalogue(path: Path, jurisdictions: int) -> None:
    """The synthetic province as a catalogue file, so the app's own sync keeps its targets live."""
    catalogue = synthetic_catalogue(jurisdictions, 250, years=3)
    data = {
        "sectors": {k: s.model_dump() for k, s in catalogue.sectors.items()},
        "plans": [p.model_dump(mode="json", exclude_none=True) for p in catalogue.plans.values()],
        "targets": [t.model_dump(mode="json", exclude_none=True) for t in catalogue.targets],
    }
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: 38,000 targets in seconds, not a minute
    path.write_text(yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _fingerprint() -> str:
    """What the bench's database depends on: the generator's code and the schema's migrations."""
    versions = config.PROJECT_ROOT / "indicators" / "store" / "migrations" / "versions"
    parts = [inspect.getsource(f) for f in (load_province, synthetic_catalogue, _write_catalogue)]
    parts += sorted(p.read_text(encoding="utf-8") for p in versions.glob("*.py"))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def province(jurisdictions: int, cache: Path | None = None) -> tuple[Path, int]:
    """(folder, observations): the synthetic province of ``jurisdictions`` × 250 targets (``province.sqlite``,
    ``targets.yaml``), built once per size and generator version under the temp directory and reused: building the
    1× province takes a minute or more; copying it, a second."""
    root = cache or Path(tempfile.gettempdir()) / "indicators-bench"
    folder = root / f"pages-{jurisdictions}-{_fingerprint()}"
    done = folder / "observations.txt"
    if not done.exists():
        root.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=f"building-{jurisdictions}-", dir=root))
        try:
            engine = store.make_engine(f"sqlite:///{building / 'province.sqlite'}")
            store.migrate(engine)
            observations = load_province(engine, jurisdictions=jurisdictions)
            engine.dispose()
            _write_catalogue(building / "targets.yaml", jurisdictions)
            (building / "observations.txt").write_text(str(observations), encoding="utf-8")
            shutil.rmtree(folder, ignore_errors=True)
            building.rename(folder)  # whole or not at all: a bench stopped half-way leaves no half-built province
        finally:
            shutil.rmtree(building, ignore_errors=True)
    return folder, int(done.read_text(encoding="utf-8"))


def _upload(engine, round_number: int, jurisdictions: int) -> None:
    """A department's upload, as service.commit writes it: one jurisdiction's 250 targets for the last month (a
    correction, 1.1x the target), a new committed batch, the data version bumped."""
    plan_id = f"bench-{round_number % jurisdictions:03d}"
    rows = [(f"{plan_id}.t{t}", "2025-12", 1.1 * (100 + t), f"{1.1 * (100 + t):g}", None, "累计", None, t + 2)
            for t in range(250)]
    with store.write_transaction(engine) as conn:
        batch_id = store.insert_batch(conn, file_name=f"round{round_number}.csv", sha256=f"{round_number + 1:064x}",
                                      archived_path="-", uploader="bench", rows_total=len(rows),
                                      rows_written=len(rows), rows_skipped=0, is_demo=True)
        store.insert_observations(conn, batch_id, rows)
        store.bump_version(conn)


def bench_pages(scale: float = 1.0, rounds: int = 5, cache: Path | None = None) -> dict:
    """Seconds of the overview's runs (AppTest, same process): server start, first run after a data change, rerun."""
    from streamlit.testing.v1 import AppTest

    jurisdictions = max(1, round(JURISDICTIONS * scale))
    started = time.perf_counter()
    built, observations = province(jurisdictions, cache)
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copyfile(built / "province.sqlite", Path(tmp) / "province.sqlite")  # each run changes its copy
        url = f"sqlite:///{Path(tmp) / 'province.sqlite'}"
        engine = store.make_engine(url)
        setup_s = time.perf_counter() - started
        env = config.environment(DATABASE_URL=url, INDICATORS_TARGETS=str(built / "targets.yaml"),
                                 INDICATORS_NOT_TARGETS=str(Path(tmp) / "none.yaml"),
                                 INDICATORS_ARCHIVE_DIR=str(Path(tmp) / "archive"))
        try:
            with env:
                at = AppTest.from_file(str(config.PROJECT_ROOT / "app.py"), default_timeout=600)
                started = time.perf_counter()
                at.run()  # the server's first page: catalogue loaded and synced, status computed
                start_s = time.perf_counter() - started
                load_before = os.getloadavg()[0]
                problems = [e.value for e in at.exception]
                first, rerun, first_cpu, rerun_cpu = [], [], [], []
                for round_number in range(rounds):
                    _upload(engine, round_number, jurisdictions)  # every cached status is stale
                    started, cpu = time.perf_counter(), time.process_time()
                    at.run()
                    first.append(time.perf_counter() - started)
                    first_cpu.append(time.process_time() - cpu)
                    started, cpu = time.perf_counter(), time.process_time()
                    at.run()
                    rerun.append(time.perf_counter() - started)
                    rerun_cpu.append(time.process_time() - cpu)
                    problems += [e.value for e in at.exception]
        finally:
            engine.dispose()
    return {"page": "overview", "targets": jurisdictions * 250, "observations": observations,
            "setup_s": round(setup_s, 1), "server_start_s": round(start_s, 3),
            "first_run_s": round(statistics.median(first), 3), "cached_rerun_s": round(statistics.median(rerun), 3),
            "first_runs": [round(x, 3) for x in first], "cached_reruns": [round(x, 3) for x in rerun],
            # CPU seconds of the process (its script thread does the work): what the runs cost whatever the load
            "first_run_cpu_s": round(statistics.median(first_cpu), 3),
            "cached_rerun_cpu_s": round(statistics.median(rerun_cpu), 3),
            "errors": problems, "load_average": os.getloadavg()[0], "load_average_before": load_before}


def lines(figures: dict) -> list[str]:
    return [
        f"overview over {figures['targets']:,} targets, {figures['observations']:,} observations (AppTest)",
        f"  server's first page (catalogue load + sync)  {figures['server_start_s']:>8.3f} s",
        f"  first run after a data change (median)       {figures['first_run_s']:>8.3f} s   (goal <= 3 s)",
        f"  cached rerun (median)                        {figures['cached_rerun_s']:>8.3f} s   (goal <= 0.3 s)",
        f"  CPU: first run / cached rerun (medians)      {figures['first_run_cpu_s']:>8.3f} s / "
        f"{figures['cached_rerun_cpu_s']:.3f} s",
        f"  errors on the page                           {len(figures['errors']):>8}",
        f"  load average (before / after the rounds)     {figures['load_average_before']:>8.2f} / "
        f"{figures['load_average']:.2f}",
    ]
