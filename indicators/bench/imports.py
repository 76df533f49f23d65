"""`bench import`: a file imported through validation and commit against a bare driver INSERT of the same rows."""

from __future__ import annotations

import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from indicators import catalogue as cat
from indicators import store, upload
from indicators.bench.data import actuals_csv, synthetic_catalogue


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
