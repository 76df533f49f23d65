"""`bench status`: every target's status and the four roll-ups over a synthetic province, against the bare driver
running the same lookup (the floor), round after round in one run; the lookup's plan is shown (no scan of
observations)."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from indicators import store
from indicators.bench.data import load_province

JURISDICTIONS = 152  # × 250 targets × 36 months: 38,000 targets, 1.37 M observations (the default, 1× size)


@dataclass
class StatusBench:
    """Figures of one size: each round times the floor, status and roll-ups back to back."""

    database: str
    scale: float
    targets: int
    observations: int
    load_s: float
    rounds: list[tuple[float, float, float]]  # (floor, status, roll-ups) seconds
    counts: dict[str, int]
    plan: str
    load_average: tuple[float, float] = (0.0, 0.0)  # 1-minute load before and after the rounds
    notes: list[str] = field(default_factory=list)

    def _median(self, index: int) -> float:
        return statistics.median(r[index] for r in self.rounds)

    @property
    def floor_s(self) -> float:
        return self._median(0)

    @property
    def status_s(self) -> float:
        return self._median(1)

    @property
    def rollups_s(self) -> float:
        return self._median(2)

    @property
    def ratios(self) -> list[float]:
        """(status + roll-ups) / floor of each round (timed back to back: a slow spell of the machine hits both)."""
        return [(status + rollups) / floor for floor, status, rollups in self.rounds]

    @property
    def full_scan(self) -> bool:
        """True when the lookup's plan reads the observations table whole (PostgreSQL's plan; SQLite's always seeks)."""
        sqlite_scans = {f"SCAN {name}" for name in ("observations", "o", "lo", "fo")}
        return any(step in self.plan for step in ("Seq Scan on observations", "Bitmap Heap Scan on observations")) \
            or any(" ".join(line.split()[:2]) in sqlite_scans for line in self.plan.splitlines())

    def as_json(self) -> dict:
        return {"database": self.database, "scale": self.scale, "targets": self.targets,
                "observations": self.observations, "status_s": round(self.status_s, 4),
                "rollups_s": round(self.rollups_s, 4), "floor_s": round(self.floor_s, 4),
                "ratio": round(statistics.median(self.ratios), 3), "ratios": [round(r, 3) for r in self.ratios],
                "rounds": len(self.rounds), "full_scan": self.full_scan, "load_average": self.load_average,
                "setup_s": round(self.load_s, 2), "counts": self.counts}

    def lines(self) -> list[str]:
        ratios = self.ratios
        return [
            f"size {self.scale:g}x: {self.targets:,} targets, {self.observations:,} observations "
            f"(setup {self.load_s:.1f} s; load average {self.load_average[0]:.2f} → {self.load_average[1]:.2f})",
            f"  rounds (medians shown)            {len(self.rounds):>8}",
            f"  floor: bare driver, same lookup   {self.floor_s:>8.3f} s",
            f"  status of every target            {self.status_s:>8.3f} s",
            f"  four roll-ups                     {self.rollups_s:>8.3f} s",
            f"  status + roll-ups                 {self.status_s + self.rollups_s:>8.3f} s",
            f"  ratio (status + roll-ups) / floor {statistics.median(ratios):>8.2f} x   (goal <= 1.5x; rounds "
            f"{min(ratios):.2f}-{max(ratios):.2f})",
            f"  full scan of observations in plan {'YES' if self.full_scan else 'no':>8}",
            "  statuses: " + ", ".join(f"{k} {v}" for k, v in self.counts.items()),
        ]


def _clear(engine) -> None:
    """Empty a scratch PostgreSQL database's actuals and catalogue (what `--url` promises to replace)."""
    with store.write_transaction(engine) as conn:
        conn.exec_driver_sql("TRUNCATE observations, batches, targets, plans CASCADE")


def floor_once(engine, as_of: str) -> float:
    """Seconds for the bare driver to run the read model's lookup SQL and fetch every row (no Python per row).

    The cyclic garbage collector is paused as read_model pauses it: with it running, its passes over the 38,000
    fresh row tuples cost the bare fetch 6-12 % more, and the floor would not be a floor.
    """
    from indicators.progress.read_model import no_cyclic_gc

    connection = engine.raw_connection()
    try:
        dialect = engine.dialect.name
        with no_cyclic_gc():
            started = time.perf_counter()
            cursor = connection.cursor()
            cursor.execute("SELECT id FROM batches WHERE status <> 'committed' "
                           "OR (approval IS NOT NULL AND approval <> 'approved')")
            excluded = [row[0] for row in cursor.fetchall()]
            sql, params = store.lookup_sql(dialect, as_of, excluded)
            cursor.execute(sql, params)
            cursor.fetchall()  # and dropped, inside the timing: the read model frees its rows too
            cursor.close()
            elapsed = time.perf_counter() - started
        connection.rollback()
    finally:
        connection.close()
    return elapsed


def bench_status(url: str | None = None, as_of: str = "2024-06", scales: tuple[float, ...] = (1.0,),
                 rounds: int = 5) -> list[StatusBench]:
    """Time status + roll-ups against the floor at each size (``scales`` × 152 jurisdictions of 250 targets)."""
    results = []
    for scale in scales:
        with tempfile.TemporaryDirectory() as tmp:
            engine = store.make_engine(url or f"sqlite:///{Path(tmp) / 'province.sqlite'}")
            store.migrate(engine)
            if url:
                _clear(engine)
            results.append(_bench_size(engine, scale, as_of, rounds))
            engine.dispose()
    return results


def _bench_size(engine, scale: float, as_of: str, rounds: int) -> StatusBench:
    from indicators.progress import read_model, status_counts

    started = time.perf_counter()
    observations = load_province(engine, jurisdictions=max(1, round(JURISDICTIONS * scale)))
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")  # as autovacuum would have it on a live server
            conn.commit()
    loaded = time.perf_counter() - started
    with engine.connect() as conn:
        plan = store.explain_lookup(conn, as_of)
    floor_once(engine, as_of)  # warm the page cache once, as a running server would have it
    # and our side once too (the departments table, unit parsing, thresholds are read on first use in a process)
    read_model.rollups(*read_model.compute(engine, as_of))
    before = os.getloadavg()[0]
    timings = []
    for _ in range(rounds):
        floor = floor_once(engine, as_of)
        t0 = time.perf_counter()
        infos, results = read_model.compute(engine, as_of)
        t1 = time.perf_counter()
        read_model.rollups(infos, results)
        t2 = time.perf_counter()
        timings.append((floor, t1 - t0, t2 - t1))
    return StatusBench(engine.dialect.name, scale, len(infos), observations, loaded, timings, status_counts(results),
                       plan, (before, os.getloadavg()[0]))
