"""Synthetic demo actuals, clearly labelled as such, so a newcomer sees a living dashboard.

Demo values are generated deterministically for every target, written as ordinary actuals files (with 示例数据 in the
note column) under data/actuals/demo/, one per plan and month, and imported as batches flagged ``is_demo``, each
dated when that month's report would have come in (mostly by the due day, some late): the UI shows a
"示例数据 / demo data" banner while any of them is committed. Roll the batches back to remove them from view.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from pathlib import Path

from sqlalchemy.engine import Engine

from indicators import config, months, progress, service, store, upload
from indicators.progress import read_model
from indicators.reporting.schedule import BEIJING

DEMO_DIR = config.PROJECT_ROOT / "data" / "actuals" / "demo"
DEMO_USER = "示例数据（demo）"
WHOLE_EXEMPT = {"%", "个百分点", "亿元", "万元", "元", "万千瓦", "亿立方米", "万亩", "亩", "公里", "万吨", "吨"}
DEMO_NOTE = "示例数据 / demo data（系统生成，非真实统计）"


def demo_until(plan_start: str, plan_end: str) -> str:
    """The last month the demo data covers: September of the plan's first year (as if it were autumn then)."""
    return min(plan_end, months.make(months.year(plan_start), 9)) if plan_start >= "2023-01" else plan_end


def demo_rows(info: read_model.TargetInfo, until: str, rng: random.Random) -> list[list[str]]:
    """Monthly demo values of one target from its plan's start to ``until`` (cumulative where the kind adds up)."""
    spec = info.spec
    pace = rng.choice([0.55, 0.75, 0.9, 1.0, 1.05, 1.15, 1.3])  # some targets lag, most keep pace, some lead
    rows = []
    base = spec.baseline if spec.baseline is not None else spec.value * rng.uniform(0.6, 0.9)
    for index in range(months.month_index(spec.start), months.month_index(until) + 1):
        period = months.month_of(index)
        first, last = progress.target_window(spec, period)
        elapsed = index - months.month_index(first) + 1
        total = months.month_index(last) - months.month_index(first) + 1
        share = elapsed / total
        noise = rng.uniform(0.96, 1.04)
        if spec.kind == "increment":
            value = spec.value * pace * share * noise
        elif spec.kind == "cap":
            value = spec.value * rng.choice([0.85, 0.95, 1.02]) * share * noise
        elif spec.kind == "level":
            value = base + (spec.value - base) * pace * share * noise
        else:  # growth, share: a rate around the target
            value = spec.value * (pace if spec.comparator not in ("<=", "<") else 2 - pace) * noise
        if spec.kind in ("increment", "level") and spec.value == int(spec.value) and spec.unit not in WHOLE_EXEMPT:
            value = round(value)  # counts of projects, firms, people are whole numbers
        rows.append([spec.id, period, f"{value:.4g}" if abs(value) < 1000 else f"{value:.0f}", spec.unit, "累计",
                     DEMO_NOTE])
    return rows


def submission_time(plan_id: str, month: str, due_day: int = 10) -> dt.datetime:
    """When the demo's report of ``plan_id`` for ``month`` is taken to have come in (Beijing time, deterministic):
    most in the first days of the next month up to the due day, every fifth month of a plan a few days late on
    purpose, so the reporting page shows both."""
    index = months.month_index(month)
    rng = random.Random(f"{plan_id}:{month}")
    late = (index + sum(map(ord, plan_id))) % 5 == 2
    day = due_day + rng.randint(1, 6) if late else rng.randint(max(1, due_day - 7), due_day)
    year, number = months.year_month(months.month_of(index + 1))
    return dt.datetime(year, number, day, rng.randint(9, 17), rng.randint(0, 59),
                       tzinfo=BEIJING)


def write_demo_files(engine: Engine, directory: Path = DEMO_DIR, seed: int = 2023) -> list[tuple[str, str, Path]]:
    """One demo CSV per plan and month, as a statistician would send each month's report (deterministic for a
    given catalogue and seed); returns (plan id, month, path) in the plans' and months' order."""
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("DEMO_*.csv"):  # files of an earlier layout (one per plan) would be loaded too
        old.unlink()
    rng = random.Random(seed)
    with engine.connect() as conn:
        plans = store.plan_rows(conn)
        infos = read_model.load_targets(conn)
    out = []
    for plan_id, plan in sorted(plans.items()):
        until = demo_until(plan.period_start, plan.period_end)
        by_month: dict[str, list[list[str]]] = {}
        for info in infos:
            if info.plan_id == plan_id:
                for row in demo_rows(info, until, rng):
                    by_month.setdefault(row[1], []).append(row)
        for month, rows in sorted(by_month.items()):
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(["指标编号", "期间", "实际值", "单位", "口径", "备注"])
            writer.writerows(rows)
            path = directory / f"DEMO_{plan_id}_{month}.csv"
            path.write_bytes("\ufeff".encode() + buffer.getvalue().encode("utf-8"))
            out.append((plan_id, month, path))
    return out


def load_demo(engine: Engine, archive_dir: Path | None = None,
              directory: Path = DEMO_DIR) -> list[upload.CommitResult]:
    """Write and import the demo files as batches flagged as demo data, one per plan and month, each dated when
    its report would have come in (submission_time), in that order."""
    due_day = config.load_settings().due_day
    files = [(submission_time(plan_id, month, due_day), path) for plan_id, month, path in
             write_demo_files(engine, directory)]
    results = []
    for when, path in sorted(files, key=lambda item: item[0]):
        data = path.read_bytes()
        report = upload.validate_upload(engine, data, path.name)
        if not report.ok:
            raise RuntimeError(f"demo file {path.name} is invalid: {report.errors[:3]}")
        # through the one door: the operator loads it, the batch names the demo as its uploader, audited with it
        results.append(service.commit(engine, service.Operator(DEMO_USER), report, data, is_demo=True,
                                      archive_dir=archive_dir, submitted_at=when))
    return results
