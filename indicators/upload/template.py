"""The month's actuals template: CSV, UTF-8 with BOM, Chinese headers."""

from __future__ import annotations

import csv
import io
import re

from sqlalchemy.engine import Engine

from indicators import store


def template_rows(engine: Engine, plan_id: str, period: str) -> list[list[str]]:
    """The month's template: Chinese headers, one row per live target of the plan in clause order (t2 before t10),
    value left empty. 口径 is 累计 for targets that accumulate (increment, cap); a level, share or growth rate is the
    month-end figure itself, so its 口径 is left blank (the checks read blank as the figure as it stands)."""
    with engine.connect() as conn:
        rows = store.template_targets(conn, plan_id)
    rows = sorted(rows, key=lambda r: (clause_key(r.clause), r.id))
    header = ["指标编号", "指标名称", "期间", "实际值", "单位", "口径", "备注"]
    return [header] + [[r.id, r.name, period, "", r.unit, "累计" if r.kind in ("increment", "cap") else "", ""]
                       for r in rows]


def clause_key(clause: str) -> tuple:
    """'2' < '10' < '10.3': the numbers in a clause compared as numbers, the rest as text."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.findall(r"\d+|\D+", clause))


def template_csv(engine: Engine, plan_id: str, period: str) -> bytes:
    """The template as CSV bytes, UTF-8 with BOM so that Excel opens the Chinese correctly."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(template_rows(engine, plan_id, period))
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
