"""Read an uploaded file into cells, at bounded cost: CSV (BOM, UTF-8, GB18030) or XLSX (streamed, XML parsed
safely), within the size, uncompressed-size, row and column limits of config.SETTINGS."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from itertools import compress, count, islice
from operator import not_

from indicators import config
from indicators.upload.issues import Issue, file_issue

MAX_BYTES = 20 * 1024 * 1024
MAX_COLUMNS = 64  # more than this is not the template: cells past it are never read


class UploadError(ValueError):
    """The file cannot be read at all (size, encoding, format); carries the Issue."""

    def __init__(self, issue: Issue):
        self.issue = issue
        super().__init__(issue.message("en"))


def _refuse(code: str, **params: object) -> UploadError:
    return UploadError(file_issue(code, **params))


# --- reading ------------------------------------------------------------------------------------------------------
def decode(data: bytes) -> str:
    """Decode CSV bytes: UTF-8 BOM, then strict UTF-8, then GB18030 (what Excel on a Chinese PC writes)."""
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if body is not data:  # a UTF-8 mark followed by other bytes: not UTF-8, whatever it says
            raise _refuse("bad_encoding", detail=f"UTF-8 BOM, {exc.reason} at byte {exc.start + 3}") from exc
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise _refuse("bad_encoding", detail=f"UTF-8/GB18030: {exc.reason} at byte {exc.start}") from exc


def check_readable(data: bytes, max_bytes: int = MAX_BYTES) -> None:
    """Raise UploadError when the bytes cannot be an actuals file at all: too large, empty, or binary."""
    if len(data) > max_bytes:
        raise _refuse("too_big", size_mb=f"{len(data) / 1048576:.1f}", limit_mb=f"{max_bytes / 1048576:.0f}")
    if not data.strip():
        raise _refuse("empty_file")
    if not is_xlsx(data) and b"\x00" in data[:4096]:
        raise _refuse("not_a_table")


def is_xlsx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def _parse_table(data: bytes, max_rows: int | None = None) -> list[list[str]]:
    """Rows of cell texts of bytes that passed check_readable; at most ``max_rows`` data rows (+ the header)."""
    limit = config.upload_limits().max_rows if max_rows is None else max_rows
    if is_xlsx(data):
        rows = _read_xlsx(data, limit)
    else:
        text = decode(data)
        sample = text[:4096]
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",\t;") if "\t" in sample or ";" in sample else csv.excel
        except csv.Error:
            dialect = csv.excel
        try:
            rows = list(islice(csv.reader(io.StringIO(text), dialect), limit + 2))
        except csv.Error as exc:  # e.g. a NUL byte past the first 4 KB
            raise _refuse("malformed_csv", detail=str(exc)) from exc
    if len(rows) > limit + 1:
        raise _refuse("too_many_rows", limit=limit)
    return rows


def _read_xlsx(data: bytes, limit: int) -> list[list[str]]:
    """The first sheet's cells, streamed (read-only), refused past the uncompressed-size or row limit."""
    from defusedxml import DefusedXmlException
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse("malformed_xlsx", detail=str(exc)[:200]) from exc
    max_unpacked = config.upload_limits().max_unpacked_bytes
    if unpacked > max_unpacked:
        raise _refuse("too_big", size_mb=f"{unpacked / 1048576:.1f}", limit_mb=f"{max_unpacked / 1048576:.0f}")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            rows = [list(map(_cell_text, values)) for values in
                    islice(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), limit + 2)]
        finally:
            workbook.close()
        if len(rows) <= limit + 1:
            _check_formulas(data, workbook, rows)
    except UploadError:
        raise
    except DefusedXmlException as exc:
        raise _refuse("unsafe_xml") from exc
    except Exception as exc:  # openpyxl raises many types for a corrupt file
        raise _refuse("malformed_xlsx", detail=f"{type(exc).__name__}: {exc}"[:200]) from exc
    return rows


def _check_formulas(data: bytes, workbook, rows: list[list[str]]) -> None:
    """Refuse a formula cell whose result was never saved (data_only reads it as empty), naming the cell."""
    from defusedxml.ElementTree import iterparse

    path = workbook.worksheets[0]._worksheet_path  # the sheet read above (openpyxl's own attribute)
    namespace = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(path) as source:
        if b"<f" not in source.read():  # no formula anywhere: the common case costs one scan
            return
        source.seek(0)
        for _event, element in iterparse(source):
            if element.tag == f"{namespace}c":
                if element.find(f"{namespace}f") is not None and element.find(f"{namespace}v") is None:
                    raise UploadError(Issue("formula_without_value", 0, str(element.get("r")),
                                            {"cell": element.get("r")}))
                element.clear()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
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


