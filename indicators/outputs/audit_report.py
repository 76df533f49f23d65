"""The audit log as a table and a formula-safe CSV for the admin page."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

from indicators.outputs import tabular

if TYPE_CHECKING:  # outputs take rows the page read; they never query the store
    from indicators.store.audit import AuditRow

AUDIT_HEADER = {"zh": ["编号", "时间（北京时间）", "操作人", "操作", "对象", "成功", "详情"],
                "en": ["id", "time (UTC+8)", "actor", "action", "target", "ok", "detail"]}


def audit_table(rows: list[AuditRow], lang: str = "zh") -> list[dict]:
    """audit_rows flattened for display (st.dataframe) and CSV: headers in ``lang``, every cell a plain value,
    the detail as one JSON string."""
    zh = lang == "zh"
    header = AUDIT_HEADER["zh" if zh else "en"]
    table = []
    for r in rows:
        at = r.at.strftime("%Y-%m-%d %H:%M:%S") if isinstance(r.at, dt.datetime) else r.at
        ok = ("是" if r.ok else "否") if zh else str(bool(r.ok)).lower()
        detail = json.dumps(r.detail, ensure_ascii=False, sort_keys=True) if r.detail else ""
        table.append(dict(zip(header, [r.id, at, r.actor, r.action, r.target or "", ok, detail],
                              strict=True)))
    return table


def audit_csv(rows: list[AuditRow], lang: str = "zh") -> bytes:
    """audit_rows as a CSV download: UTF-8 with BOM, formula-like cells escaped (tabular.safe_cell)."""
    header = AUDIT_HEADER["zh" if lang == "zh" else "en"]
    return tabular.csv_bytes(header, [list(row.values()) for row in audit_table(rows, lang)])
