"""Monthly actuals: read a CSV/XLSX upload, validate every row, and commit it as one batch, all or nothing.

Flow: ``validate_upload`` (bytes -> ValidationReport naming every problem by row, column and a plain sentence in
Chinese and English; a plain CSV is checked column-wise by ``plain_rows``, any other file is read by ``read_table``
and checked row by row) -> ``commit_upload`` (archive the raw file by sha256, then one transaction that writes the
batch and its observations).
"""

from __future__ import annotations

import csv
import difflib
import gc
import hashlib
import io
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import compress, count
from operator import attrgetter, itemgetter, not_
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.engine import Engine

from indicators import plain_rows, store
from indicators.units import UnitError, normalise_text, parse_unit
from indicators.upload_cells import (  # noqa: F401  (COLUMNS, Issue, ParsedRow and parse_period are used via ingest.)
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
from indicators.upload_warnings import warnings_of_rows

MAX_BYTES = 20 * 1024 * 1024
DEFAULT_ARCHIVE_DIR = store.PROJECT_ROOT / "data" / "actuals" / "archive"


def archive_dir() -> Path:
    """Where raw uploads are kept: INDICATORS_ARCHIVE_DIR, else data/actuals/archive (read at call time)."""
    return Path(os.environ.get("INDICATORS_ARCHIVE_DIR") or DEFAULT_ARCHIVE_DIR)


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


class UploadError(ValueError):
    """The file cannot be read at all (size, encoding, format); carries the Issue."""

    def __init__(self, issue: Issue):
        self.issue = issue
        super().__init__(issue.message_en)


def _file_issue(zh: str, en: str) -> UploadError:
    return UploadError(Issue(0, "-", zh, en))


# --- reading ------------------------------------------------------------------------------------------------------
def decode(data: bytes) -> str:
    """Decode CSV bytes: UTF-8 BOM, then strict UTF-8, then GB18030 (what Excel on a Chinese PC writes)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise _file_issue(
            "无法识别文件编码：请用 Excel“另存为 CSV UTF-8”或 XLSX 格式后重新上传",
            f"cannot decode the file (tried UTF-8 and GB18030): {exc.reason} at byte {exc.start}",
        ) from exc


def check_readable(data: bytes, max_bytes: int = MAX_BYTES) -> None:
    """Raise UploadError when the bytes cannot be an actuals file at all: too large, empty, or binary."""
    if len(data) > max_bytes:
        raise _file_issue(
            f"文件过大（{len(data) / 1048576:.1f} MB），上限为 {max_bytes / 1048576:.0f} MB",
            f"file too large ({len(data)} bytes; the limit is {max_bytes} bytes)",
        )
    if not data.strip():
        raise _file_issue("文件是空的", "the file is empty")
    if not is_xlsx(data) and b"\x00" in data[:4096]:
        raise _file_issue("这不是 CSV 或 XLSX 文件（看起来是二进制文件）", "not a CSV or XLSX file (binary content)")


def is_xlsx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def read_table(data: bytes, file_name: str, max_bytes: int = MAX_BYTES) -> list[list[str]]:
    """Bytes of a CSV or XLSX file -> rows of cell texts (first row = header). Raises UploadError when unreadable."""
    check_readable(data, max_bytes)
    return _parse_table(data)


def _parse_table(data: bytes) -> list[list[str]]:
    """Rows of cell texts of bytes that passed check_readable."""
    if is_xlsx(data):
        return _read_xlsx(data)
    text = decode(data)
    try:
        sample = text[:4096]
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;") if "\t" in sample or ";" in sample else csv.excel
    except csv.Error:
        dialect = csv.excel
    try:
        return list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:  # e.g. a NUL byte past the first 4 KB
        raise _file_issue("这不是有效的 CSV 文件，无法读取", f"not a readable CSV file: {exc}") from exc


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a corrupt file
        raise _file_issue("XLSX 文件已损坏，无法打开", f"cannot open the XLSX file: {exc}") from exc
    sheet = workbook.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        rows.append(["" if v is None else _cell_text(v) for v in values])
    workbook.close()
    return rows


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m")  # a month typed into Excel becomes a date cell
    return str(value)


def drop_blank_rows(table: list[list[str]]) -> tuple[Sequence[int], list[list[str]]]:
    """The rows with any text, and their line numbers in the file (1 = first line), as the user sees them in Excel."""
    # Whole-row joins in C, and no second list when (as usual) no row is blank.
    blank = set(compress(count(1), map(not_, map(str.strip, map("".join, table)))))
    if not blank:
        return range(1, len(table) + 1), table
    lines = [line for line in range(1, len(table) + 1) if line not in blank]
    return lines, [table[line - 1] for line in lines]


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

    A plain CSV file (plain_rows) is checked column-wise; any other file, or ``column_wise=False``, row by row by
    the reference validator. Both give the same report for a plain file (tests/test_plain_rows.py).
    """
    report = ValidationReport(file_name=file_name, sha256=hashlib.sha256(data).hexdigest())
    try:
        check_readable(data, max_bytes)
    except UploadError as exc:
        report.errors.append(exc.issue)
        return report
    with paused_gc(), engine.connect() as conn:
        known = store.target_rows(conn, for_validation=True)
        plans = store.plan_rows(conn)
        report.duplicate_of = conn.execute(
            select(store.batches.c.id).where(store.batches.c.sha256 == report.sha256,
                                             store.batches.c.status == "committed")
        ).scalar()

        def stored_values(target_ids: Iterable[str]) -> dict[tuple[str, str], float]:
            return store.latest_values(conn, target_ids)

        if column_wise and not is_xlsx(data):
            plain = plain_rows.validate_plain(data, known, plans, allowed_jurisdictions, stored_values)
            if plain is not None:
                report.rows_total, report.rows_skipped = plain.rows_total, plain.rows_skipped
                report.parsed, report.warnings = plain.parsed, plain.warnings
                return report
        _validate_table(report, data, known, plans, allowed_jurisdictions, stored_values)
    return report


def _validate_table(report, data, known, plans, allowed_jurisdictions, stored_values) -> None:
    """Read the file and validate it row by row, filling the report."""
    try:
        table = _parse_table(data)  # validate_upload has run check_readable
    except UploadError as exc:
        report.errors.append(exc.issue)
        return
    lines, rows = drop_blank_rows(table)
    if not rows:
        report.errors.append(Issue(0, "-", "文件是空的", "the file is empty"))
        return
    header, lines, rows = rows[0], lines[1:], rows[1:]
    mapping, header_issues = map_header(header)
    if header_issues:
        report.errors += header_issues
        return
    report.rows_total = len(rows)
    if not rows:
        report.errors.append(Issue(0, "-", "文件只有表头，没有数据行", "the file has a header but no data rows"))
        return
    id_index = mapping["target_id"]
    raw_ids = {row[id_index] for row in rows if id_index < len(row)}
    stored = stored_values([i for i in map(clean_cell, raw_ids) if i in known])
    _validate_rows(report, lines, rows, mapping, known, plans, stored, allowed_jurisdictions)
    report.warnings = warnings_of_rows(report.parsed, known, stored)


def _validate_rows(report, lines, rows, mapping, known, plans, stored, allowed_jurisdictions) -> None:
    """The reference validator: row by row, naming every problem it meets with its row, column and reason."""
    errors = report.errors
    seen: dict[tuple[str, str], int] = {}
    monthly: list[tuple[int, dict, str, float, ParsedRow]] = []
    in_file: dict[tuple[str, str], float] = {}
    line = 1  # the header is row 1

    def err(column: str, zh: str, en: str) -> None:
        errors.append(Issue(line, column, zh, en))

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
            err("target_id", "指标编号为空", "target id is empty")
            continue
        if target is None:
            nearest = difflib.get_close_matches(target_id, list(known), n=3, cutoff=0.6)
            hint_zh = f"；您是否要填：{'、'.join(nearest)}" if nearest else ""
            hint_en = f"; did you mean: {', '.join(nearest)}" if nearest else ""
            err("target_id", f"指标编号“{target_id}”不在指标目录中{hint_zh}", f"unknown target id {target_id!r}{hint_en}")
            continue
        if target["retired"]:
            err("target_id", f"指标“{target_id}”已从目录中停用，不再接收数据", f"target {target_id!r} is retired")
            continue
        if allowed_jurisdictions is not None and target["jurisdiction"] not in allowed_jurisdictions:
            err("target_id", f"指标“{target_id}”属于{target['jurisdiction']}，不属于您负责的辖区",
                f"target {target_id!r} belongs to {target['jurisdiction']}, outside your jurisdictions")
            continue
        period = parse_period(raw_period)
        if period is None:
            err("period", f"期间“{raw_period}”不是有效月份（应写成 2023-06、2023/6、2023年6月 或 202306）",
                f"period {raw_period!r} is not a month (use 2023-06, 2023/6, 2023年6月 or 202306)")
            continue
        bounds = bounds_of.get(target_id)
        if bounds is None:
            bounds = bounds_of[target_id] = period_bounds(target, plans)
        if not (bounds[0] <= period <= bounds[1]):
            err("period", f"期间 {period} 不在计划期 {bounds[0]} 至 {bounds[1]} 之内",
                f"period {period} is outside the plan period {bounds[0]}..{bounds[1]}")
            continue
        key = (target_id, period)
        if key in seen:
            err("target_id", f"同一指标同一期间重复填报（与第 {seen[key]} 行重复）",
                f"duplicate target and period (same as row {seen[key]})")
            continue
        seen[key] = line
        if raw_value == "":
            report.rows_skipped += 1  # blank = not reported this month
            continue
        if is_plain_number(raw_value):
            number, value_unit = float(raw_value), None
        else:
            try:
                number, value_unit = parse_value(raw_value)
            except UnitError:
                err("value", f"实际值“{raw_value}”不是数字", f"value {raw_value!r} is not a number")
                continue
        unit_text = raw_unit or value_unit or target["unit"]
        if raw_unit and value_unit and value_unit != normalise_text(raw_unit):
            err("value", f"实际值带有单位“{value_unit}”，与单位列“{raw_unit}”不一致",
                f"value carries unit {value_unit!r} but the unit column says {raw_unit!r}")
            continue
        try:
            factor = conversion_factor(unit_text, target["unit"])
        except UnitError:
            try:
                parse_unit(unit_text)
            except UnitError:
                err("unit", f"无法识别的单位“{unit_text}”", f"unknown unit {unit_text!r}")
                continue
            err("unit", f"单位“{unit_text}”不能换算为该指标的单位“{target['unit']}”",
                f"unit {unit_text!r} cannot be converted to the target's unit {target['unit']!r}")
            continue
        value = convert_by(number, factor)
        if value < 0 and target["kind"] != "growth":
            err("value", f"实际值不能为负数（{raw_value}）", f"value must not be negative ({raw_value})")
            continue
        basis = BASIS.get(raw_basis.lower() if raw_basis.isascii() else raw_basis)
        if basis is None:
            err("basis", f"口径“{raw_basis}”无效，应为“累计”或“当月”", f"basis {raw_basis!r} must be 累计 or 当月")
            continue
        if basis == "当月" and target["kind"] in ("growth", "share"):
            err("basis", "增速和比重类指标只能填报累计或月末数，不能按当月填报",
                "growth and share targets take the cumulative / month-end figure, not 当月")
            continue
        parsed = ParsedRow(line, target_id, period, value, target["unit"], raw_value, raw_unit or None,
                           basis, note)
        if basis == "当月" and target["kind"] in ("increment", "cap"):
            monthly.append((line, target, period, value, parsed))
            continue
        in_file[key] = parsed.value
        report.parsed.append(parsed)

    # 当月 values become 累计 by adding the previous month's 累计, from this file or the store, in month order.
    for line, target, period, value, parsed in sorted(monthly, key=lambda m: (m[4].target_id, m[2])):
        start = _accumulation_start(target, plans[target["plan_id"]]["period_start"], period)
        if period == start:
            cumulative = value
        else:
            previous = previous_month(period)
            before = in_file.get((parsed.target_id, previous), stored.get((parsed.target_id, previous)))
            if before is None:
                errors.append(Issue(line, "basis", f"按当月口径填报需要上月（{previous}）的累计数，但系统中没有",
                                    f"a 当月 value needs the cumulative value of {previous}, which is missing"))
                continue
            cumulative = before + value
        parsed = parsed._replace(value=round(cumulative, 9))
        in_file[(parsed.target_id, period)] = parsed.value
        report.parsed.append(parsed)
    report.parsed.sort(key=lambda p: p.row)


def _accumulation_start(target: dict, plan_start: str, period: str) -> str:
    """First month of the span over which 累计 accumulates: January for yearly targets, else the plan's start."""
    if target.get("recurrence") == "yearly":
        return f"{period[:4]}-01"
    return plan_start


# --- committing ---------------------------------------------------------------------------------------------------
class Change(NamedTuple):
    """One value a commit writes: the value it replaces (None: a month not reported before) and the new one."""

    target_id: str
    period: str
    old: float | None
    new: float


@dataclass
class CommitResult:
    batch_id: int | None
    written: int
    unchanged: int
    message_zh: str
    message_en: str
    written_rows: list[ParsedRow] = field(default_factory=list, repr=False)
    previous: dict[tuple[str, str], float] = field(default_factory=dict, repr=False)  # stored values before

    @property
    def changes(self) -> list[Change]:
        """Every value written, with the one it replaced; built when asked, as a large file writes 100,000."""
        previous = self.previous
        return [Change(p.target_id, p.period, previous.get((p.target_id, p.period)), p.value)
                for p in self.written_rows]


# Where each of store.OBSERVATION_COLUMNS sits in a ParsedRow: parsed rows are inserted as they are.
_OBSERVATION_POSITIONS = tuple(ParsedRow._fields.index("row" if name == "row_number" else name)
                               for name in store.OBSERVATION_COLUMNS)
_target_id_of = attrgetter("target_id")


def archive(data: bytes, sha256: str, directory: Path | None = None) -> Path:
    """Keep the raw upload under data/actuals/archive/<sha256>; the uploaded file name never touches the path."""
    directory = Path(directory or archive_dir())
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{sha256}.bin"
    if not path.exists():
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(path)  # atomic: a half-written archive is never left under the final name
    return path


def commit_upload(
    engine: Engine,
    report: ValidationReport,
    data: bytes,
    uploader: str,
    is_demo: bool = False,
    archive_dir: Path | None = None,
    before_commit: Callable[[], None] | None = None,
) -> CommitResult:
    """Write a valid report as one batch in one transaction; an identical re-upload changes nothing.

    ``before_commit`` runs inside the transaction after all rows are written (tests use it to inject a failure).
    """
    if not report.ok:
        raise ValueError("cannot commit an upload with errors")
    if report.duplicate_of is not None:
        return CommitResult(None, 0, len(report.parsed),
                            f"与已提交的批次 {report.duplicate_of} 完全相同，未做任何更改",
                            f"identical to committed batch {report.duplicate_of}; nothing changed")
    path = archive(data, report.sha256, archive_dir)
    with paused_gc(), store.write_transaction(engine) as conn:
        current = store.latest_values(conn, set(map(_target_id_of, report.parsed)))
        written = report.parsed
        if current:  # a value equal to the stored one is not written again
            written = [p for p in written if not _same(current.get((p.target_id, p.period)), p.value)]
        batch_id = conn.execute(store.batches.insert().values(
            file_name=Path(report.file_name).name[:255], sha256=report.sha256, archived_path=str(path),
            uploader=uploader, uploaded_at=store.now(), rows_total=report.rows_total, rows_written=len(written),
            rows_skipped=report.rows_skipped, status="committed", is_demo=is_demo,
        )).inserted_primary_key[0]
        store.insert_observations(conn, batch_id, written, _OBSERVATION_POSITIONS)
        store.bump_version(conn)
        if before_commit is not None:
            before_commit()
    unchanged = len(report.parsed) - len(written)
    return CommitResult(batch_id, len(written), unchanged,
                        f"已提交批次 {batch_id}：写入 {len(written)} 条，{unchanged} 条与现有数值相同",
                        f"committed batch {batch_id}: {len(written)} values written, {unchanged} unchanged",
                        written, current)


def _same(old: float | None, new: float) -> bool:
    return old is not None and abs(old - new) <= 1e-9 * max(1.0, abs(old))


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
