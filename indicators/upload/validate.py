"""Validate an upload: bytes -> ValidationReport naming every problem by row, column and reason.

A plain CSV is checked column-wise (upload.plain); any other file is read by upload.read, a plain XLSX sheet then
checked column-wise too, and the rest row by row.
"""

from __future__ import annotations

import difflib
import gc
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter

from sqlalchemy.engine import Engine

from indicators import config, months, store
from indicators.upload import plain
from indicators.upload.cells import (
    BASIS,
    MAX_MAGNITUDE,
    MAX_RAW_UNIT,
    MAX_RAW_VALUE,
    MAX_SUGGESTED,
    Issue,
    ParsedRow,
    clean_cell,
    map_header,
    parse_period,
    period_bounds,
    previous_month,
    value_of,
)
from indicators.upload.issues import file_issue, locate
from indicators.upload.lookup import StoreLookup
from indicators.upload.read import (
    MAX_BYTES,
    UploadError,
    _parse_table,
    check_package,
    check_readable,
    drop_blank_rows,
    is_xlsx,
    xlsx_columns,
)
from indicators.upload.warnings import warnings_of_rows


@dataclass
class ValidationReport:
    file_name: str
    sha256: str
    rows_total: int = 0
    rows_skipped: int = 0  # blank values: not reported this month
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    parsed: list[ParsedRow] = field(default_factory=list)
    duplicate_of: int | None = None  # batch id of an identical committed upload
    columns: dict[str, int] = field(default_factory=dict)  # {column: its index in the file}, once the header is read

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_json(self, batch_id: int | None, lang: str = "zh") -> dict:
        """The JSON of DESIGN §7 (`import --json`)."""
        return {
            "ok": self.ok,
            "batch_id": batch_id,
            "rows": self.rows_total,
            "errors": [e.as_dict(lang) for e in self.errors],
            "warnings": [w.as_dict(lang) for w in self.warnings],
            "parsed": [
                {"row": p.row, "target_id": p.target_id, "period": p.period, "value": p.value, "unit": p.unit}
                for p in self.parsed
            ],
        }


# --- validation ---------------------------------------------------------------------------------------------------
@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large upload's rows are built.

    A 100k-row file makes about a million small objects, none of them in cycles; CPython would otherwise run its
    collector hundreds of times over the growing heap, which measured as a third of the validation time.
    Reference counting still frees everything as usual. The switch is process-wide: only a caller that found the
    collector on turns it back on, so concurrent uploads can delay a collection but never leave it off.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def validate_upload(
    engine: Engine,
    data: bytes,
    file_name: str,
    allowed_jurisdictions: set[str] | None = None,
    max_bytes: int = MAX_BYTES,
    *,
    column_wise: bool = True,
) -> ValidationReport:
    """Check an upload against the catalogue in the store; never writes anything.

    A plain CSV file or XLSX sheet (upload.plain) is checked column-wise; any other file, or ``column_wise=False``,
    row by row by the reference validator. Both give the same report for a plain file (tests/test_plain_rows.py,
    tests/test_plain_tables.py).
    """
    report = ValidationReport(file_name=file_name, sha256=hashlib.sha256(data).hexdigest())
    try:
        check_readable(data, max_bytes)
    except UploadError as exc:
        report.errors.append(exc.issue)
        return report
    with paused_gc(), engine.connect() as conn:
        lookup = StoreLookup(conn)  # reads only what the file names
        report.duplicate_of = store.committed_twin(conn, report.sha256)
        column_result = None
        # the fast path reads the whole file: past the row limit (in lines) the reference reads and refuses it
        if column_wise and not is_xlsx(data) and data.count(b"\n") <= config.upload_limits().max_rows + 1:
            column_result = plain.validate_plain(data, lookup, allowed_jurisdictions)
        if column_result is not None:
            _fill(report, column_result)
        else:
            _validate_table(report, data, lookup, allowed_jurisdictions, column_wise and is_xlsx(data))
    # every issue of a row names its column's letter in the file (第5行 D列（实际值）)
    report.errors, report.warnings = locate(report.errors, report.columns), locate(report.warnings, report.columns)
    return report


def _validate_table(report: ValidationReport, data: bytes, lookup: StoreLookup,
                    allowed_jurisdictions: set[str] | None, column_wise: bool = False) -> None:
    """Read the file and validate it row by row, filling the report; ``column_wise``: a plain table (an XLSX
    sheet, cells read by calamine) is checked over whole columns first, as a plain CSV is."""
    try:
        package = check_package(data) if is_xlsx(data) else None  # checked and read once, whichever path reads it
        # an XLSX sheet read column by column (calamine's cells worded once per column), else as rows
        sheet = xlsx_columns(package) if column_wise and package is not None else None
        if sheet is not None:
            result = plain.validate_columns(sheet[0], plain.string_arrays(sheet[1]), lookup, allowed_jurisdictions)
            if result is not None:
                _fill(report, result)
                return
        # after check_readable
        table = _parse_table(data, header_ok=lambda header: not map_header(header)[1], package=package)
    except UploadError as exc:
        report.errors.append(exc.issue)
        return
    columns = plain.table_columns(table) if column_wise and sheet is None else None
    result = None if columns is None else plain.validate_columns(*columns, lookup, allowed_jurisdictions)
    if result is not None:
        _fill(report, result)
        return
    lines, rows = drop_blank_rows(table)
    if not rows:
        report.errors.append(file_issue("empty_file"))
        return
    header, lines, rows = rows[0], lines[1:], rows[1:]
    mapping, header_issues = map_header(header)
    report.columns = mapping
    if header_issues:  # the header is checked before any row is read
        report.errors += header_issues
        return
    report.rows_total = len(rows)
    id_index = mapping["target_id"]
    raw_ids = {row[id_index] for row in rows if id_index < len(row)}
    known = lookup.targets(set(map(clean_cell, raw_ids)))
    plans = lookup.plans({target.plan_id for target in known.values()})
    stored = lookup.stored(known)
    if rows:
        _validate_rows(report, lines, rows, mapping, known, plans, stored, allowed_jurisdictions, lookup.all_ids)
    if not report.errors and not report.parsed:
        report.errors.append(file_issue("nothing_to_commit"))
        return
    report.warnings = warnings_of_rows(report.parsed, known, stored)


def _fill(report: ValidationReport, result: plain.PlainResult) -> None:
    """Fill the report with a column-wise result (which has no errors by construction)."""
    report.rows_total, report.rows_skipped = result.rows_total, result.rows_skipped
    report.parsed, report.warnings, report.columns = result.parsed, result.warnings, result.columns


def _validate_rows(report, lines, rows, mapping, known, plans, stored, allowed_jurisdictions, all_ids) -> None:
    """The reference validator: row by row, naming every problem it meets with its row, column and reason."""
    errors = report.errors
    seen: dict[tuple[str, str], int] = {}
    monthly: list[tuple[int, dict, str, float, ParsedRow]] = []
    in_file: dict[tuple[str, str], float] = {}
    suggest = _Suggestions(all_ids)
    line = 1  # the header is row 1

    def err(code: str, column: str, **params: object) -> None:
        errors.append(Issue(code, line, column, params))

    # One itemgetter pulls the six cells; absent optional columns read the "" sentinel appended to each row.
    # Wide enough for every row and for every mapped column, which a file of short rows may never reach.
    width = max(max(map(len, rows)), max(mapping.values()) + 1)
    getter = itemgetter(*[mapping.get(c, width) for c in ("target_id", "period", "value", "unit", "basis", "note")])
    padding = [""] * (width + 1)
    bounds_of: dict[str, tuple[str, str]] = {}
    for line, row in zip(lines, rows, strict=True):
        if len(row) <= width:
            row = row + padding[len(row):]
        target_id, raw_period, raw_value, raw_unit, raw_basis, note = map(clean_cell, getter(row))
        note = note or None

        target = known.get(target_id)
        if not target_id:
            err("empty_target_id", "target_id")
            continue
        if target is None:
            err("unknown_target", "target_id", id=target_id[:200], suggestions=suggest(target_id))
            continue
        if target.retired:
            err("retired_target", "target_id", id=target_id)
            continue
        if allowed_jurisdictions is not None and target.jurisdiction not in allowed_jurisdictions:
            err("out_of_scope", "target_id", id=target_id, jurisdiction=target.jurisdiction, plan=target.plan_id)
            continue
        period = parse_period(raw_period)
        if period is None:
            err("bad_period", "period", value=raw_period[:100])
            continue
        bounds = bounds_of.get(target_id)
        if bounds is None:
            bounds = bounds_of[target_id] = period_bounds(target, plans)
        if not (bounds[0] <= period <= bounds[1]):
            err("period_outside_plan", "period", period=period, start=bounds[0], end=bounds[1])
            continue
        key = (target_id, period)
        if key in seen:
            err("duplicate_row", "target_id", first_row=seen[key])
            continue
        seen[key] = line
        if raw_value == "":
            report.rows_skipped += 1  # blank = not reported this month
            continue
        if len(raw_value) > MAX_RAW_VALUE:  # the store keeps the cell as uploaded, in a column of this width
            err("too_long", "value", length=len(raw_value), limit=MAX_RAW_VALUE)
            continue
        if len(raw_unit) > MAX_RAW_UNIT:
            err("too_long", "unit", length=len(raw_unit), limit=MAX_RAW_UNIT)
            continue
        value = value_of(raw_value, raw_unit, target.unit, line)
        if value.__class__ is Issue:
            errors.append(value)
            continue
        value += 0.0  # -0 is stored as 0
        if not abs(value) <= MAX_MAGNITUDE:
            err("too_large", "value", value=raw_value, limit=f"{MAX_MAGNITUDE:g}")
            continue
        if value < 0 and target.kind != "growth":
            err("negative", "value", value=raw_value)
            continue
        basis = BASIS.get(raw_basis.lower() if raw_basis.isascii() else raw_basis)
        if basis is None:
            err("bad_basis", "basis", value=raw_basis)
            continue
        if basis == "当月" and target.kind in ("growth", "share"):
            err("monthly_not_allowed", "basis")
            continue
        parsed = ParsedRow(line, target_id, period, value, target.unit, raw_value, raw_unit or None,
                           basis, note)
        if basis == "当月" and target.kind in ("increment", "cap"):
            monthly.append((line, target, period, value, parsed))
            continue
        in_file[key] = parsed.value
        report.parsed.append(parsed)

    # 当月 values become 累计 by adding the previous month's 累计, from this file or the store, in month order.
    for line, target, period, value, parsed in sorted(monthly, key=lambda m: (m[4].target_id, m[2])):
        start = _accumulation_start(target, plans[target.plan_id].period_start, period)
        if period == start:
            cumulative = value
        else:
            previous = previous_month(period)
            before = in_file.get((parsed.target_id, previous), stored.get((parsed.target_id, previous)))
            if before is None:
                errors.append(Issue("missing_previous", line, "basis", {"previous": previous}))
                continue
            cumulative = before + value
        if not abs(cumulative) <= MAX_MAGNITUDE:
            errors.append(Issue("too_large", line, "value", {"value": parsed.value_raw, "limit": f"{MAX_MAGNITUDE:g}"}))
            continue
        parsed = parsed._replace(value=round(cumulative, 9))
        in_file[(parsed.target_id, period)] = parsed.value
        report.parsed.append(parsed)
    report.parsed.sort(key=lambda p: p.row)


class _Suggestions:
    """Close matches for an unknown id among every id in the store (read when the first unknown id is met):
    computed once per distinct id, for the first MAX_SUGGESTED ids only (a file of 20,000 unknown ids must not
    cost 20,000 fuzzy searches over the catalogue)."""

    def __init__(self, all_ids: Callable[[], list[str]]):
        self.all_ids = all_ids
        self.done: dict[str, list[str]] = {}

    def __call__(self, target_id: str) -> list[str]:
        if target_id not in self.done:
            if len(self.done) >= MAX_SUGGESTED or len(target_id) > 200:
                return []
            self.done[target_id] = difflib.get_close_matches(target_id, self.all_ids(), n=3, cutoff=0.6)
        return self.done[target_id]


def _accumulation_start(target: store.UploadTarget, plan_start: str, period: str) -> str:
    """First month of the span over which 累计 accumulates: January for yearly targets, else the plan's start."""
    if target.recurrence == "yearly":
        return months.year_start(period)
    return plan_start
_target_id_of = attrgetter("target_id")
