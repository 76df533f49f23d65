"""Monthly actuals: read a CSV/XLSX upload, validate every row, and commit it as one batch, all or nothing.

Flow: ``read_table`` (bytes -> header + rows) -> ``validate_upload`` (rows -> ValidationReport naming every problem
by row, column and a plain sentence in Chinese and English) -> ``commit_upload`` (archive the raw file by sha256,
then one transaction that writes the batch and its observations).
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.engine import Engine

from indicators import store
from indicators.units import UnitError, convert, normalise_text, parse_number, parse_unit

MAX_BYTES = 20 * 1024 * 1024
DEFAULT_ARCHIVE_DIR = store.PROJECT_ROOT / "data" / "actuals" / "archive"


def archive_dir() -> Path:
    """Where raw uploads are kept: INDICATORS_ARCHIVE_DIR, else data/actuals/archive (read at call time)."""
    return Path(os.environ.get("INDICATORS_ARCHIVE_DIR") or DEFAULT_ARCHIVE_DIR)

# Header spellings accepted for each column (matched after NFKC and lower-casing).
COLUMNS: dict[str, tuple[str, ...]] = {
    "target_id": ("target_id", "指标编号", "指标id", "编号"),
    "period": ("period", "期间", "月份", "月度"),
    "value": ("value", "实际值", "数值", "完成值"),
    "unit": ("unit", "单位"),
    "basis": ("basis", "口径"),
    "note": ("note", "备注"),
}
REQUIRED = ("target_id", "period", "value")
COLUMN_ZH = {"target_id": "指标编号", "period": "期间", "value": "实际值", "unit": "单位", "basis": "口径", "note": "备注"}
BASIS = {"累计": "累计", "cumulative": "累计", "": "累计", "当月": "当月", "monthly": "当月", "本月": "当月"}


@dataclass(frozen=True)
class Issue:
    """One problem with an upload. Row numbers count the header as row 1 (0 = the file as a whole)."""

    row: int
    column: str
    message_zh: str
    message_en: str
    severity: str = "error"  # error | warning

    def message(self, lang: str = "zh") -> str:
        return self.message_zh if lang == "zh" else self.message_en

    def as_dict(self, lang: str = "zh") -> dict:
        return {"row": self.row, "column": self.column, "message": self.message(lang)}


class ParsedRow(NamedTuple):
    """A valid row: its value converted to the target's own unit and, for 当月 uploads, accumulated to 累计."""

    row: int
    target_id: str
    period: str
    value: float  # 累计 (or the level/share/growth as of month end) in the target's unit
    unit: str  # the target's unit
    value_raw: str
    unit_raw: str | None
    basis: str
    note: str | None


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


def read_table(data: bytes, file_name: str, max_bytes: int = MAX_BYTES) -> list[list[str]]:
    """Bytes of a CSV or XLSX file -> rows of cell texts (first row = header). Raises UploadError when unreadable."""
    if len(data) > max_bytes:
        raise _file_issue(
            f"文件过大（{len(data) / 1048576:.1f} MB），上限为 {max_bytes / 1048576:.0f} MB",
            f"file too large ({len(data)} bytes; the limit is {max_bytes} bytes)",
        )
    if not data.strip():
        raise _file_issue("文件是空的", "the file is empty")
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if b"\x00" in data[:4096]:
        raise _file_issue("这不是 CSV 或 XLSX 文件（看起来是二进制文件）", "not a CSV or XLSX file (binary content)")
    text = decode(data)
    try:
        sample = text[:4096]
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;") if "\t" in sample or ";" in sample else csv.excel
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


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


# --- parsing cells ------------------------------------------------------------------------------------------------
_PERIOD_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
    re.compile(r"^(\d{4})-(\d{1,2})-\d{1,2}(?:[ T].*)?$"),
)


@lru_cache(maxsize=4096)
def parse_period(text: str) -> str | None:
    """'2023-06', '2023/6', '2023年6月', '202306' -> '2023-06'; None when it is not a month."""
    text = unicodedata.normalize("NFKC", text).strip()
    for pattern in _PERIOD_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month = int(match.group(1)), int(match.group(2))
            if 1 <= month <= 12 and 1900 < year < 2200:
                return f"{year:04d}-{month:02d}"
    return None


@lru_cache(maxsize=4096)
def _previous_month(period: str) -> str:
    year, month = int(period[:4]), int(period[5:])
    return f"{year - 1}-12" if month == 1 else f"{year:04d}-{month - 1:02d}"


_PLAIN_NUMBER_RE = re.compile(r"-?\d+(?:\.\d+)?")
_VALUE_RE = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*(万亿|万|亿|%)?$")


def parse_value(text: str) -> tuple[Decimal, str | None]:
    """'1,320' -> (1320, None); '1.32万' -> (13200, None); '18%' -> (18, '%'); raises UnitError otherwise."""
    normal = normalise_text(text)
    match = _VALUE_RE.match(normal)
    if match:
        number = Decimal(match.group(1))
        suffix = match.group(2)
        if suffix == "%":
            return number, "%"
        if suffix:
            number *= {"万": Decimal(10_000), "亿": Decimal(100_000_000), "万亿": Decimal(10**12)}[suffix]
        return number, None
    try:
        return parse_number(normal), None
    except (UnitError, InvalidOperation) as exc:
        raise UnitError(f"not a number: {text!r}") from exc


@lru_cache(maxsize=4096)
def _conversion(from_unit: str, to_unit: str) -> float:
    """Factor from one unit to another, computed once per pair (the import's hot path)."""
    return convert(1.0, from_unit, to_unit)


@lru_cache(maxsize=1024)
def _is_dimensionless(unit: str) -> bool:
    return parse_unit(unit).dimensionless


# --- validation ---------------------------------------------------------------------------------------------------
def _map_header(header: list[str]) -> tuple[dict[str, int], list[Issue]]:
    mapping: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = unicodedata.normalize("NFKC", cell).strip().lower().lstrip("\ufeff")
        for column, spellings in COLUMNS.items():
            if key in spellings and column not in mapping:
                mapping[column] = index
    issues = [
        Issue(1, column, f"缺少必填列“{COLUMN_ZH[column]}”（或 {column}）", f"missing required column {column!r}")
        for column in REQUIRED
        if column not in mapping
    ]
    return mapping, issues


def validate_upload(
    engine: Engine,
    data: bytes,
    file_name: str,
    allowed_jurisdictions: set[str] | None = None,
    max_bytes: int = MAX_BYTES,
) -> ValidationReport:
    """Check an upload against the catalogue in the store; never writes anything."""
    report = ValidationReport(file_name=file_name, sha256=hashlib.sha256(data).hexdigest())
    try:
        table = read_table(data, file_name, max_bytes)
    except UploadError as exc:
        report.errors.append(exc.issue)
        return report
    table = [row for row in table if "".join(row).strip()]
    if not table:
        report.errors.append(Issue(0, "-", "文件是空的", "the file is empty"))
        return report
    header, rows = table[0], table[1:]
    mapping, header_issues = _map_header(header)
    if header_issues:
        report.errors += header_issues
        return report
    report.rows_total = len(rows)
    if not rows:
        report.errors.append(Issue(0, "-", "文件只有表头，没有数据行", "the file has a header but no data rows"))
        return report

    with engine.connect() as conn:
        known = store.target_rows(conn)
        plans = store.plan_rows(conn)
        report.duplicate_of = conn.execute(
            select(store.batches.c.id).where(store.batches.c.sha256 == report.sha256,
                                             store.batches.c.status == "committed")
        ).scalar()
        ids_in_file = [i for i in {_cell(r, mapping, "target_id") for r in rows} if i in known]
        stored = store.latest_values(conn, ids_in_file)

    _validate_rows(report, rows, mapping, known, plans, stored, allowed_jurisdictions)
    return report


def _cell(row: list[str], mapping: dict[str, int], column: str) -> str:
    index = mapping.get(column)
    if index is None or index >= len(row):
        return ""
    cell = row[index]
    return (cell if cell.isascii() else unicodedata.normalize("NFKC", cell)).strip()


def _validate_rows(report, rows, mapping, known, plans, stored, allowed_jurisdictions) -> None:
    errors = report.errors
    seen: dict[tuple[str, str], int] = {}
    monthly: list[tuple[int, dict, str, float, ParsedRow]] = []
    in_file: dict[tuple[str, str], float] = {}
    line = 1  # the header is row 1

    def err(column: str, zh: str, en: str) -> None:
        errors.append(Issue(line, column, zh, en))

    # One itemgetter pulls the six cells; absent optional columns read the "" sentinel appended to each row.
    width = max((len(r) for r in rows), default=0)
    getter = itemgetter(*[mapping.get(c, width) for c in ("target_id", "period", "value", "unit", "basis", "note")])
    padding = [""] * (width + 1)
    period_bounds: dict[str, tuple[str, str]] = {}
    plain_number = _PLAIN_NUMBER_RE.fullmatch
    for row in rows:
        line += 1
        if len(row) <= width:
            row = row + padding[len(row):]
        cells = getter(row)
        if not all(map(str.isascii, cells)):
            cells = [unicodedata.normalize("NFKC", c) for c in cells]
        target_id, raw_period, raw_value, raw_unit, raw_basis, note = (c.strip() for c in cells)
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
        bounds = period_bounds.get(target_id)
        if bounds is None:
            plan = plans[target["plan_id"]]
            bounds = period_bounds[target_id] = (plan["period_start"], max(plan["period_end"], target["deadline"]))
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
        if plain_number(raw_value):
            number, value_unit = float(raw_value), None  # the common case, kept fast for year-end files of 100k rows
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
            factor = _conversion(unit_text, target["unit"])
        except UnitError:
            try:
                parse_unit(unit_text)
            except UnitError:
                err("unit", f"无法识别的单位“{unit_text}”", f"unknown unit {unit_text!r}")
                continue
            err("unit", f"单位“{unit_text}”不能换算为该指标的单位“{target['unit']}”",
                f"unit {unit_text!r} cannot be converted to the target's unit {target['unit']!r}")
            continue
        value = float(number) if factor == 1.0 else round(float(number) * factor, 9)
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
            previous = _previous_month(period)
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
    _warn(report, known, stored, in_file)


def _accumulation_start(target: dict, plan_start: str, period: str) -> str:
    """First month of the span over which 累计 accumulates: January for yearly targets, else the plan's start."""
    if target.get("recurrence") == "yearly":
        return f"{period[:4]}-01"
    return plan_start


def _warn(report: ValidationReport, known: dict, stored: dict, in_file: dict) -> None:
    for parsed in report.parsed:
        target = known[parsed.target_id]
        previous = _previous_month(parsed.period)
        before = in_file.get((parsed.target_id, previous), stored.get((parsed.target_id, previous)))
        if target["kind"] == "increment" and before is not None and parsed.value < before:
            report.warnings.append(Issue(
                parsed.row, "value",
                f"累计值 {parsed.value:g}{parsed.unit} 小于上月（{previous}）的 {before:g}{parsed.unit}，请核实",
                f"cumulative value {parsed.value:g} is below last month's ({previous}) {before:g}", "warning"))
        if target["value"] and not _is_dimensionless(target["unit"]) and abs(parsed.value) > 10 * abs(target["value"]):
            report.warnings.append(Issue(
                parsed.row, "value",
                f"实际值 {parsed.value:g}{parsed.unit} 超过目标值 {target['value']:g}{parsed.unit} 的 10 倍，请核实单位",
                f"value {parsed.value:g} is more than 10x the target {target['value']:g}; check the unit", "warning"))
    report.warnings.sort(key=lambda w: w.row)


# --- committing ---------------------------------------------------------------------------------------------------
@dataclass
class CommitResult:
    batch_id: int | None
    written: int
    unchanged: int
    changes: list[dict]  # {target_id, period, old, new} for every value written
    message_zh: str
    message_en: str


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
        return CommitResult(None, 0, len(report.parsed), [],
                            f"与已提交的批次 {report.duplicate_of} 完全相同，未做任何更改",
                            f"identical to committed batch {report.duplicate_of}; nothing changed")
    path = archive(data, report.sha256, archive_dir)
    with store.write_transaction(engine) as conn:
        current = store.latest_values(conn, {p.target_id for p in report.parsed})
        changes, rows = [], []
        for parsed in report.parsed:
            old = current.get((parsed.target_id, parsed.period))
            if old is not None and abs(old - parsed.value) <= 1e-9 * max(1.0, abs(old)):
                continue
            changes.append({"target_id": parsed.target_id, "period": parsed.period, "old": old, "new": parsed.value})
            rows.append((parsed.target_id, parsed.period, parsed.value, parsed.value_raw, parsed.unit_raw,
                         parsed.basis, parsed.note, parsed.row))
        batch_id = conn.execute(store.batches.insert().values(
            file_name=Path(report.file_name).name[:255], sha256=report.sha256, archived_path=str(path),
            uploader=uploader, uploaded_at=store.now(), rows_total=report.rows_total, rows_written=len(rows),
            rows_skipped=report.rows_skipped, status="committed", is_demo=is_demo,
        )).inserted_primary_key[0]
        store.insert_observations(conn, batch_id, rows)
        store.bump_version(conn)
        if before_commit is not None:
            before_commit()
    unchanged = len(report.parsed) - len(rows)
    return CommitResult(batch_id, len(rows), unchanged, changes,
                        f"已提交批次 {batch_id}：写入 {len(rows)} 条，{unchanged} 条与现有数值相同",
                        f"committed batch {batch_id}: {len(rows)} values written, {unchanged} unchanged")


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
