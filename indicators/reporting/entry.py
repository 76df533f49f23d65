"""The 填报 form (DESIGN §9): the targets a department owes for a month, with what the statistician needs beside each
input cell, and the typed values as an in-memory actuals CSV that goes through the same checks as a file upload."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from indicators import months, progress, store
from indicators.catalogue import departments
from indicators.progress import read_model
from indicators.reporting.schedule import owes, reporter_of

# What the grid lets a cell hold while typing (digits, separators, %, 万/亿); the upload checks decide on save
TYPED_VALUE_PATTERN = r"^\s*[-+0-9０-９.,，．%％万亿 ]*\s*$"


@dataclass
class EntryRow:
    """One line of the form: a target owed for the month and the values around it."""

    target_id: str
    name: str
    name_en: str
    unit: str
    kind: str
    target: float
    reporter: str
    last_month: float | None  # the live value of the month before
    expected: float | None  # what the rules expect by this month
    current: float | None  # the live value already entered for the month
    pending: str | None  # a value this user submitted for the month that awaits approval (as typed)


def entry_rows(engine: Engine, plan_id: str, month: str, reporter: str | None = None,
               uploader: str | None = None) -> list[EntryRow]:
    """The targets of ``plan_id`` owed for ``month`` (optionally only those ``reporter`` reports), in id order."""
    table = departments.table_for()
    previous = months.previous(month)
    infos, results = read_model.compute(engine, month, [plan_id])
    judged = {r.target_id: r for r in results}
    owed = [i for i in infos if owes(month, i.spec.start, i.spec.deadline, i.frequency)]
    reporters = {i.spec.id: reporter_of(i.lead_units, i.reporter, i.jurisdiction, table) for i in owed}
    if reporter:
        owed = [i for i in owed if reporters[i.spec.id] == reporter]
    ids = [i.spec.id for i in owed]
    with engine.connect() as conn:
        values = store.latest_values(conn, ids, up_to=month) if ids else {}
        pending = store.pending_values(conn, ids, month, uploader) if ids and uploader else {}
    rows = []
    for info in owed:
        spec, result = info.spec, judged[info.spec.id]
        if result.actual_period == month:  # reported: its own expectation at this month
            expected = result.expected
        elif spec.kind == "level" and spec.baseline is None:
            expected = None  # a level without a baseline starts from its first report: nothing to expect yet here
        else:  # the expectation at this month depends on the spec, not on the value
            expected = progress.evaluate_points(spec, (month, result.actual or 0.0), None, month).expected
        rows.append(EntryRow(spec.id, info.name, info.name_en, spec.unit, spec.kind, spec.value, reporters[spec.id],
                             values.get((spec.id, previous)), expected,
                             values.get((spec.id, month)), pending[spec.id][1] if spec.id in pending else None))
    return rows


def reporters_owing(engine: Engine, plan_id: str, month: str) -> list[str]:
    """The departments that owe reports for ``plan_id`` and ``month``, by name."""
    return sorted({row.reporter for row in entry_rows(engine, plan_id, month)})


def entry_csv(month: str, values: Iterable[tuple[str, str]]) -> tuple[bytes, dict[int, str]]:
    """The typed values as an actuals CSV (指标编号, 期间, 实际值, 口径 累计) and {CSV row number: target id}.

    Blank cells are left out: a blank is "not reported", never zero. Row numbers count the header as row 1, as the
    upload checks do, so each message can be put back on its line of the form.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["指标编号", "期间", "实际值", "口径"])
    rows: dict[int, str] = {}
    for target_id, text in values:
        text = "" if text is None else str(text).strip()
        if not text:
            continue
        writer.writerow([target_id, month, text, "累计"])
        rows[len(rows) + 2] = target_id
    return buffer.getvalue().encode("utf-8"), rows


def changed_values(rows: Sequence[EntryRow], typed: Iterable[tuple[str, object]]) -> list[tuple[str, str]]:
    """(target id, text) of the cells the user filled in (an untouched blank cell is not a report)."""
    known = {r.target_id for r in rows}
    result = []
    for target_id, value in typed:
        if target_id not in known or value is None:
            continue
        text = str(value).strip()
        if text and text.lower() != "nan":
            result.append((target_id, text))
    return result
