"""The audit log as a table and a formula-safe CSV for the admin page."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

from indicators.i18n import t
from indicators.outputs import tabular

if TYPE_CHECKING:  # outputs take rows the page read; they never query the store
    from indicators.store.audit import AuditRow

AUDIT_COLUMNS = ("id", "at", "actor", "action", "target", "ok", "detail")


def audit_header(lang: str = "zh") -> list[str]:
    """The column titles in ``lang``."""
    return [t(f"audit_report.col_{column}", lang) for column in AUDIT_COLUMNS]


def audit_table(rows: list[AuditRow], lang: str = "zh") -> list[dict]:
    """audit_rows flattened for display (st.dataframe) and CSV: headers in ``lang``, every cell a plain value,
    the detail as one JSON string."""
    header = audit_header(lang)
    table = []
    for r in rows:
        at = r.at.strftime("%Y-%m-%d %H:%M:%S") if isinstance(r.at, dt.datetime) else r.at
        ok = t("audit_report.ok_yes" if r.ok else "audit_report.ok_no", lang)
        detail = json.dumps(r.detail, ensure_ascii=False, sort_keys=True) if r.detail else ""
        table.append(dict(zip(header, [r.id, at, r.actor, r.action, r.target or "", ok, detail],
                              strict=True)))
    return table


def audit_csv(rows: list[AuditRow], lang: str = "zh") -> bytes:
    """audit_rows as a CSV download: UTF-8 with BOM, formula-like cells escaped (tabular.safe_cell)."""
    return tabular.csv_bytes(audit_header(lang), [list(row.values()) for row in audit_table(rows, lang)])
