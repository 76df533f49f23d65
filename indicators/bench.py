"""Benchmarks (`python -m indicators bench import|status|export`): deterministic synthetic data, wall-clock figures.

These are measurements to report, not tests: nothing here asserts a time.
"""

from __future__ import annotations

import csv
import io
import random
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from indicators import catalogue as cat
from indicators import config, store, upload

BENCH_SECTORS = {"industry": cat.Sector(zh="产业发展", en="Industry")}


def months(start_year: int, count: int) -> list[str]:
    """``count`` consecutive months from January of ``start_year``."""
    return [f"{start_year + i // 12:04d}-{i % 12 + 1:02d}" for i in range(count)]


def synthetic_catalogue(jurisdictions: int, targets_per_jurisdiction: int, first_year: int = 2023,
                        years: int = 3) -> cat.Catalogue:
    """A province of plans: one plan per jurisdiction, each with the same mix of target kinds (deterministic)."""
    kinds = ["increment"] * 6 + ["level"] * 2 + ["cap", "growth", "share"]
    plans, targets = {}, []
    for j in range(jurisdictions):
        plan_id = f"bench-{j:03d}"
        plans[plan_id] = cat.Plan(
            id=plan_id, title=f"基准测试计划{j}", title_en=f"Benchmark plan {j}", issuer="基准", doc_number=f"基准〔{j}〕",
            issued="2023-01-01", jurisdiction=f"辖区{j:03d}",
            period=cat.Period(start=f"{first_year}-01", end=f"{first_year + years - 1}-12"), source="bench.txt",
        )
        for t in range(targets_per_jurisdiction):
            kind = kinds[t % len(kinds)]
            unit = "%" if kind in ("growth", "share") else "个"
            targets.append(cat.Target(
                id=f"{plan_id}.t{t}", plan=plan_id, clause=str(t), chapter="一、基准", sector="industry",
                task="基准任务", name=f"指标{t}", name_en=f"Indicator {t}", kind=kind,
                comparator="<=" if kind == "cap" else ">=", value=100 + t, unit=unit,
                deadline=f"{first_year + years - 1}-12", lead_units=[f"单位{t % 7}"], quote="-",
            ))
    return cat.Catalogue(plans, BENCH_SECTORS, targets, [], config.PROJECT_ROOT, {})


def actuals_csv(catalogue: cat.Catalogue, rows: int, seed: int = 20231) -> bytes:
    """A valid actuals CSV of ``rows`` rows over the catalogue's targets and months (cumulative values rise)."""
    rng = random.Random(seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["target_id", "period", "value", "unit"])
    plan = next(iter(catalogue.plans.values()))
    start_year = int(plan.period.start[:4])
    span = months(start_year, (int(plan.period.end[:4]) - start_year + 1) * 12)
    written = 0
    for target in catalogue.targets:
        level = 0.0
        for period in span:
            if written == rows:
                return buffer.getvalue().encode("utf-8")
            level += rng.uniform(0, target.value / 12)
            writer.writerow([target.id, period, f"{level:.2f}", target.unit])
            written += 1
    return buffer.getvalue().encode("utf-8")


@dataclass
class ImportBench:
    rows: int
    rounds: list[tuple[float, float, float]]  # (validate, commit, bare insert) seconds of each round

    def _median(self, index: int) -> float:
        return statistics.median(round_[index] for round_ in self.rounds)

    @property
    def validate_s(self) -> float:
        return self._median(0)

    @property
    def commit_s(self) -> float:
        return self._median(1)

    @property
    def bare_insert_s(self) -> float:
        return self._median(2)

    @property
    def total_s(self) -> float:
        return statistics.median(validate + commit for validate, commit, _ in self.rounds)

    @property
    def ratios(self) -> list[float]:
        """ours / bare of each round: both timed back to back, so a slow spell of the machine hits both."""
        return [(validate + commit) / bare for validate, commit, bare in self.rounds]

    def lines(self) -> list[str]:
        ratios = self.ratios
        return [
            f"rows                    {self.rows:>10,}",
            f"rounds (medians shown)  {len(self.rounds):>10}",
            f"validate (read+check)   {self.validate_s:>10.3f} s",
            f"commit (one transaction){self.commit_s:>10.3f} s",
            f"our import, total       {self.total_s:>10.3f} s   {self.rows / self.total_s:>12,.0f} rows/s",
            f"bare executemany INSERT {self.bare_insert_s:>10.3f} s   {self.rows / self.bare_insert_s:>12,.0f} rows/s",
            f"ratio ours / bare       {statistics.median(ratios):>10.2f} x   (goal <= 2x; rounds "
            f"{min(ratios):.2f}-{max(ratios):.2f})",
        ]


def bench_import(rows: int = 100_000, url: str | None = None, runs: int = 7) -> ImportBench:
    """Import a ``rows``-row file into a fresh database and time it against a bare executemany INSERT.

    Each of ``runs`` rounds times both on fresh databases, back to back; medians are reported, because on a shared
    2-core machine single timings of half a second swing by a third.
    """
    catalogue = synthetic_catalogue(jurisdictions=1, targets_per_jurisdiction=rows // 36 + 1)
    data = actuals_csv(catalogue, rows)
    return ImportBench(rows, [_import_once(catalogue, data, rows, url) for _ in range(runs)])


def _import_once(catalogue: cat.Catalogue, data: bytes, rows: int, url: str | None) -> tuple[float, float, float]:
    """(validate, commit, bare insert) seconds of one round: fresh SQLite files, or the scratch database at url."""
    with tempfile.TemporaryDirectory() as tmp:
        ours = store.make_engine(url or f"sqlite:///{Path(tmp) / 'ours.sqlite'}")
        store.init_db(ours, catalogue)
        if url is not None:
            _forget_bench_batches(ours)  # an earlier round's identical file would make this import a no-op
        started = time.perf_counter()
        report = upload.validate_upload(ours, data, "bench.csv")
        validated = time.perf_counter()
        assert report.ok, report.errors[:3]
        upload.commit_upload(ours, report, data, "bench", archive_dir=Path(tmp) / "archive")
        committed = time.perf_counter()

        bare = store.make_engine(f"sqlite:///{Path(tmp) / 'bare.sqlite'}") if url is None else ours
        if url is None:
            store.init_db(bare, catalogue)
        with store.write_transaction(bare) as conn:
            batch_id = conn.execute(store.batches.insert().values(
                file_name="bare", sha256="0" * 64, archived_path="-", uploader="bench", uploaded_at=store.now(),
                rows_total=rows, rows_written=rows, rows_skipped=0, status="committed", is_demo=False,
            )).inserted_primary_key[0]
            # The bare insert gets its rows ready-made: only the executemany and the commit are timed.
            ready = [(p.target_id, p.period, p.value, p.value_raw, p.unit_raw, p.basis, p.note, p.row, batch_id)
                     for p in report.parsed]
            marker = "?" if bare.dialect.name == "sqlite" else "%s"
            sql = ("INSERT INTO observations (target_id, period, value, value_raw, unit_raw, basis, note, row_number,"
                   f" batch_id) VALUES ({', '.join([marker] * 9)})")
            bare_started = time.perf_counter()
            conn.exec_driver_sql(sql, ready)
        bare_s = time.perf_counter() - bare_started
        ours.dispose()
        bare.dispose()
    return validated - started, committed - validated, bare_s


def _forget_bench_batches(engine) -> None:
    """Delete what earlier bench rounds wrote into a scratch database (batches uploaded by "bench" only)."""
    from sqlalchemy import delete, select

    with store.write_transaction(engine) as conn:
        bench_batches = select(store.batches.c.id).where(store.batches.c.uploader == "bench")
        conn.execute(delete(store.observations).where(store.observations.c.batch_id.in_(bench_batches)))
        conn.execute(delete(store.batches).where(store.batches.c.uploader == "bench"))


@dataclass
class StatusBench:
    targets: int
    observations: int
    load_s: float
    status_s: float
    rollups_s: float
    select_floor_s: float
    counts: dict

    def lines(self) -> list[str]:
        return [
            f"targets                          {self.targets:>10,}",
            f"observations                     {self.observations:>10,}",
            f"synthetic data load (setup)      {self.load_s:>10.2f} s",
            f"status of every target           {self.status_s:>10.3f} s",
            f"four roll-ups                    {self.rollups_s:>10.3f} s",
            f"status + roll-ups                {self.status_s + self.rollups_s:>10.3f} s   (goal <= 1 s)",
            f"floor: plain SELECT of the obs.  {self.select_floor_s:>10.3f} s",
            "statuses: " + ", ".join(f"{k} {v}" for k, v in self.counts.items()),
        ]


def load_province(engine, jurisdictions: int = 152, targets_per_jurisdiction: int = 250, months_count: int = 36,
                  seed: int = 7) -> int:
    """Fill a migrated database with a synthetic province: every target reported every month (deterministic)."""
    catalogue = synthetic_catalogue(jurisdictions, targets_per_jurisdiction, years=months_count // 12)
    store.sync_catalogue(engine, catalogue)
    rng = random.Random(seed)
    span = months(2023, months_count)
    total = 0
    with store.write_transaction(engine) as conn:
        batch_id = conn.execute(store.batches.insert().values(
            file_name="province.csv", sha256="1" * 64, archived_path="-", uploader="bench", uploaded_at=store.now(),
            rows_total=0, rows_written=0, rows_skipped=0, status="committed", is_demo=True,
        )).inserted_primary_key[0]
        rows = []
        for target in catalogue.targets:
            pace = rng.uniform(0.6, 1.3)
            for index, period in enumerate(span, start=1):
                if target.kind in ("growth", "share"):
                    value = target.value * pace
                else:
                    value = target.value * pace * index / len(span)
                rows.append((target.id, period, round(value, 3), str(round(value, 3)), None, "累计", None, index))
            if len(rows) >= 100_000:
                store.insert_observations(conn, batch_id, rows)
                total += len(rows)
                rows = []
        store.insert_observations(conn, batch_id, rows)
        total += len(rows)
    return total


def bench_status(url: str | None = None, as_of: str = "2024-06") -> StatusBench:
    """Time every target's status and the four roll-ups for one month over a 1.4 M-observation province."""
    from sqlalchemy import select

    from indicators.progress import read_model

    with tempfile.TemporaryDirectory() as tmp:
        engine = store.make_engine(url or f"sqlite:///{Path(tmp) / 'province.sqlite'}")
        store.migrate(engine)
        started = time.perf_counter()
        observations = load_province(engine)
        loaded = time.perf_counter()
        with engine.connect() as conn:  # warm the page cache once, as a running server would have it
            conn.execute(select(store.observations.c.id).limit(1)).all()
        t0 = time.perf_counter()
        infos, results = read_model.compute(engine, as_of)
        t1 = time.perf_counter()
        read_model.rollups(infos, results)
        t2 = time.perf_counter()
        with engine.connect() as conn:
            conn.execute(store.live_observations_query(up_to=as_of)).all()
        t3 = time.perf_counter()
        from indicators.progress import status_counts

        result = StatusBench(len(infos), observations, loaded - started, t1 - t0, t2 - t1, t3 - t2,
                             status_counts(results))
        engine.dispose()
    return result


def bench_export(charts_count: int = 30) -> list[str]:
    """A 30-chart pack through one warm browser (cold start included) against 30 naive `fig.write_image` calls."""
    from indicators.outputs import charts, png
    from indicators.progress import TargetSpec

    figures = []
    for i in range(charts_count):
        spec = TargetSpec(f"t{i}", "increment", ">=", 1000 + i, "个", "2023-01", "2023-12")
        values = {f"2023-{m:02d}": (1000 + i) * m / 14 for m in range(1, 10)}
        ctx = charts.ChartContext("基准测试计划", "2023-09", "zh", ("基准〔2023〕1号",), True, "slide")
        figures.append(charts.trajectory(spec, values, ctx, f"指标{i}"))
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        png.write_pngs([(fig, Path(tmp) / f"pack{i}.png") for i, fig in enumerate(figures)], "slide")
        pack_s = time.perf_counter() - started
        started = time.perf_counter()
        for i, fig in enumerate(figures):
            fig.write_image(str(Path(tmp) / f"naive{i}.png"), width=1600, height=900, scale=2)
        naive_s = time.perf_counter() - started
    return [
        f"charts                         {charts_count:>8}",
        f"pack, one browser, cold        {pack_s:>8.2f} s   ({pack_s / charts_count:.3f} s per chart)  (goal <= 10 s)",
        f"naive fig.write_image x{charts_count}      {naive_s:>8.2f} s   ({naive_s / charts_count:.3f} s per chart)",
        f"speed-up                       {naive_s / pack_s:>8.1f} x   (goal >= 5x)",
    ]
