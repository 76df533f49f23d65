"""Synthetic demo actuals, clearly labelled as such, so a newcomer sees a living dashboard.

Demo values are generated deterministically for every target, written as ordinary actuals files (with 示例数据 in the
note column) under data/actuals/demo/, and imported as batches flagged ``is_demo``: the UI shows a
"示例数据 / demo data" banner while any of them is committed. Roll the batches back to remove them from view.
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

from sqlalchemy.engine import Engine

from indicators import config, months, progress, service, store, upload
from indicators.progress import read_model

DEMO_DIR = config.PROJECT_ROOT / "data" / "actuals" / "demo"
DEMO_USER = "示例数据（demo）"
WHOLE_EXEMPT = {"%", "个百分点", "亿元", "万元", "元", "万千瓦", "亿立方米", "万亩", "亩", "公里", "万吨", "吨"}
DEMO_NOTE = "示例数据 / demo data（系统生成，非真实统计）"


def demo_until(plan_start: str, plan_end: str) -> str:
    """The last month the demo data covers: September of the plan's first year (as if it were autumn then)."""
    return min(plan_end, f"{plan_start[:4]}-09") if plan_start >= "2023-01" else plan_end


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


def write_demo_files(engine: Engine, directory: Path = DEMO_DIR, seed: int = 2023) -> list[Path]:
    """One demo CSV per plan (deterministic for a given catalogue and seed)."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    with engine.connect() as conn:
        plans = store.plan_rows(conn)
        infos = read_model.load_targets(conn)
    paths = []
    for plan_id, plan in sorted(plans.items()):
        until = demo_until(plan["period_start"], plan["period_end"])
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["指标编号", "期间", "实际值", "单位", "口径", "备注"])
        for info in infos:
            if info.plan_id == plan_id:
                writer.writerows(demo_rows(info, until, rng))
        path = directory / f"DEMO_{plan_id}.csv"
        path.write_bytes("\ufeff".encode() + buffer.getvalue().encode("utf-8"))
        paths.append(path)
    return paths


def load_demo(engine: Engine, archive_dir: Path | None = None,
              directory: Path = DEMO_DIR) -> list[upload.CommitResult]:
    """Write and import the demo files as batches flagged as demo data."""
    results = []
    for path in write_demo_files(engine, directory):
        data = path.read_bytes()
        report = upload.validate_upload(engine, data, path.name)
        if not report.ok:
            raise RuntimeError(f"demo file {path.name} is invalid: {report.errors[:3]}")
        # through the one door: the operator loads it, the batch names the demo as its uploader, audited with it
        results.append(service.commit(engine, service.Operator(DEMO_USER), report, data, is_demo=True,
                                      archive_dir=archive_dir))
    return results
