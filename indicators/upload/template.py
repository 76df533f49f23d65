"""The month's actuals template: CSV, UTF-8 with BOM, Chinese headers."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select
from sqlalchemy.engine import Engine

from indicators import store
from indicators.upload.cells import (  # noqa: F401  (COLUMNS, Issue, ParsedRow and parse_period are used via ingest.)
    BASIS,
    COLUMNS,
    Issue,
    ParsedRow,
    clean_cell,
    conversion_factor,
    convert_by,
    is_plain_number,
    map_header,
    parse_period,
    parse_value,
    period_bounds,
    previous_month,
)


def template_rows(engine: Engine, plan_id: str, period: str) -> list[list[str]]:
    """The month's template: Chinese headers, one row per live target of the plan, value left empty."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(store.targets.c.id, store.targets.c.name, store.targets.c.unit)
            .where(store.targets.c.plan_id == plan_id, store.targets.c.retired.is_(False))
            .order_by(store.targets.c.id)
        ).all()
    header = ["指标编号", "指标名称", "期间", "实际值", "单位", "口径", "备注"]
    return [header] + [[r.id, r.name, period, "", r.unit, "累计", ""] for r in rows]


def template_csv(engine: Engine, plan_id: str, period: str) -> bytes:
    """The template as CSV bytes, UTF-8 with BOM so that Excel opens the Chinese correctly."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(template_rows(engine, plan_id, period))
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
