"""Read an uploaded file into cells: decode CSV (BOM, UTF-8, GB18030) or XLSX, within the size limit."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from itertools import compress, count
from operator import not_

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

MAX_BYTES = 20 * 1024 * 1024


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
