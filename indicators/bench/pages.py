"""`bench pages`: the overview page through Streamlit's AppTest over a synthetic province (38,000 targets at 1×):
its first run after the data changed (status computed) and a cached rerun (nothing large recomputed or unpickled)."""

from __future__ import annotations

import os
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
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def bench_pages(scale: float = 1.0, rounds: int = 5) -> dict:
    """Seconds of the overview's runs (AppTest, same process): server start, first run after a data change, rerun."""
    from streamlit.testing.v1 import AppTest

    jurisdictions = max(1, round(JURISDICTIONS * scale))
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'province.sqlite'}"
        engine = store.make_engine(url)
        store.migrate(engine)
        started = time.perf_counter()
        observations = load_province(engine, jurisdictions=jurisdictions)
        _write_catalogue(Path(tmp) / "targets.yaml", jurisdictions)
        setup_s = time.perf_counter() - started
        env = config.environment(DATABASE_URL=url, INDICATORS_TARGETS=str(Path(tmp) / "targets.yaml"),
                                 INDICATORS_NOT_TARGETS=str(Path(tmp) / "none.yaml"),
                                 INDICATORS_ARCHIVE_DIR=str(Path(tmp) / "archive"))
        try:
            with env:
                at = AppTest.from_file(str(config.PROJECT_ROOT / "app.py"), default_timeout=600)
                started = time.perf_counter()
                at.run()  # the server's first page: catalogue loaded and synced, status computed
                start_s = time.perf_counter() - started
                problems = [e.value for e in at.exception]
                first, rerun = [], []
                for _ in range(rounds):
                    with store.write_transaction(engine) as conn:
                        store.bump_version(conn)  # as an upload would: every cached status is stale
                    started = time.perf_counter()
                    at.run()
                    first.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    at.run()
                    rerun.append(time.perf_counter() - started)
                    problems += [e.value for e in at.exception]
        finally:
            engine.dispose()
    return {"page": "overview", "targets": jurisdictions * 250, "observations": observations,
            "setup_s": round(setup_s, 1), "server_start_s": round(start_s, 3),
            "first_run_s": round(statistics.median(first), 3), "cached_rerun_s": round(statistics.median(rerun), 3),
            "first_runs": [round(x, 3) for x in first], "cached_reruns": [round(x, 3) for x in rerun],
            "errors": problems, "load_average": os.getloadavg()[0]}


def lines(figures: dict) -> list[str]:
    return [
        f"overview over {figures['targets']:,} targets, {figures['observations']:,} observations (AppTest)",
        f"  server's first page (catalogue load + sync)  {figures['server_start_s']:>8.3f} s",
        f"  first run after a data change (median)       {figures['first_run_s']:>8.3f} s   (goal <= 3 s)",
        f"  cached rerun (median)                        {figures['cached_rerun_s']:>8.3f} s   (goal <= 0.3 s)",
        f"  errors on the page                           {len(figures['errors']):>8}",
        f"  load average                                 {figures['load_average']:>8.2f}",
    ]
