"""Deterministic synthetic data for the benchmarks: a province of plans and targets, actuals files, a loaded store."""

from __future__ import annotations

import csv
import io
import random

from indicators import catalogue as cat
from indicators import config, store
from indicators import months as month_numbers

BENCH_SECTORS = {"industry": cat.Sector(zh="产业发展", en="Industry")}


def months(start_year: int, count: int) -> list[str]:
    """``count`` consecutive months from January of ``start_year``."""
    first = month_numbers.make(start_year, 1)
    return month_numbers.span(first, month_numbers.add(first, count - 1))


def synthetic_catalogue(jurisdictions: int, targets_per_jurisdiction: int, first_year: int = 2023,
                        years: int = 3, prefix: str = "bench") -> cat.Catalogue:
    """A province of plans: one plan per jurisdiction, each with the same mix of target kinds (deterministic);
    plan ids are ``<prefix>-000``, ``<prefix>-001``, ..."""
    kinds = ["increment"] * 6 + ["level"] * 2 + ["cap", "growth", "share"]
    plans, targets = {}, []
    for j in range(jurisdictions):
        plan_id = f"{prefix}-{j:03d}"
        plans[plan_id] = cat.Plan(
            id=plan_id, title=f"基准测试计划{j}", title_en=f"Benchmark plan {j}", issuer="基准", doc_number=f"基准〔{j}〕",
            issued="2023-01-01", jurisdiction=f"辖区{j:03d}",
            period=cat.Period(start=month_numbers.make(first_year, 1), end=month_numbers.make(first_year + years - 1, 12)),
            source="bench.txt",
        )
        for t in range(targets_per_jurisdiction):
            kind = kinds[t % len(kinds)]
            unit = "%" if kind in ("growth", "share") else "个"
            targets.append(cat.Target(
                id=f"{plan_id}.t{t}", plan=plan_id, clause=str(t), chapter="一、基准", sector="industry",
                task="基准任务", name=f"指标{t}", name_en=f"Indicator {t}", kind=kind,
                comparator="<=" if kind == "cap" else ">=", value=100 + t, unit=unit,
                deadline=month_numbers.make(first_year + years - 1, 12), lead_units=[f"单位{t % 7}"], quote="-",
            ))
    return cat.Catalogue(plans, BENCH_SECTORS, targets, [], config.PROJECT_ROOT, {})


def actuals_csv(catalogue: cat.Catalogue, rows: int, seed: int = 20231) -> bytes:
    """A valid actuals CSV of ``rows`` rows over the catalogue's targets and months (cumulative values rise)."""
    rng = random.Random(seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["target_id", "period", "value", "unit"])
    plan = next(iter(catalogue.plans.values()))
    span = month_numbers.span(month_numbers.year_start(plan.period.start), month_numbers.year_end(plan.period.end))
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


def load_province(engine, jurisdictions: int = 152, targets_per_jurisdiction: int = 250, months_count: int = 36,
                  seed: int = 7) -> int:
    """Fill a migrated database with a synthetic province: every target reported every month (deterministic)."""
    catalogue = synthetic_catalogue(jurisdictions, targets_per_jurisdiction, years=month_numbers.years_in(months_count))
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
                total += _insert(conn, batch_id, rows)
                rows = []
        total += _insert(conn, batch_id, rows)
    return total


def _insert(conn, batch_id: int, rows: list[tuple]) -> int:
    """Write a chunk of synthetic observations: COPY on PostgreSQL (5.5 M rows), one executemany on SQLite."""
    if conn.dialect.name != "postgresql":
        store.insert_observations(conn, batch_id, rows)
        return len(rows)
    columns = ", ".join((*store.OBSERVATION_COLUMNS, "batch_id"))
    with conn.connection.driver_connection.cursor() as cursor, \
            cursor.copy(f"COPY observations ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row((*row, batch_id))
    return len(rows)
