"""Read an uploaded file into cells, at bounded cost: CSV (BOM, UTF-8, GB18030) or XLSX (streamed, XML parsed
safely), within the size, uncompressed-size, row and column limits of config.SETTINGS."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from itertools import compress, count, islice
from operator import not_
from typing import NamedTuple

from indicators import config, months
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


def _parse_table(data: bytes, max_rows: int | None = None,
                 header_ok: Callable[[list[str]], bool] | None = None,
                 package: CheckedPackage | None = None) -> list[list[str]]:
    """Rows of cell texts of bytes that passed check_readable; at most ``max_rows`` data rows (+ the header).

    ``header_ok(first non-blank row)``: when it says no, reading stops there (the body of a file whose header is
    wrong is never read). ``package``: an XLSX's check_package, when the caller has it already.
    """
    limit = config.upload_limits().max_rows if max_rows is None else max_rows
    if is_xlsx(data):
        source = _xlsx_rows(data, package=package)
    else:
        text = decode(data)
        sample = text[:4096]
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",\t;") if "\t" in sample or ";" in sample else csv.excel
        except csv.Error:
            dialect = csv.excel
        source = csv.reader(io.StringIO(text), dialect)
    rows: list[list[str]] = []
    try:
        bounded = islice(source, limit + 2)
        for row in bounded:
            rows.append(row)
            if any(cell.strip() for cell in row):  # the header: the first row with text
                if header_ok is None or header_ok(row):
                    rows.extend(bounded)  # the body in one C loop, not a Python step per row
                break
    except csv.Error as exc:  # e.g. a NUL byte past the first 4 KB, or a field past the csv module's limit
        raise _refuse("malformed_csv", detail=str(exc)[:200]) from exc
    finally:
        close = getattr(source, "close", None)
        if close is not None:
            close()  # the XLSX generator closes its workbook
    if len(rows) > limit + 1:
        raise _refuse("too_many_rows", limit=limit)
    return rows


def _xlsx_rows(data: bytes, fast: bool = True, package: CheckedPackage | None = None) -> Iterator[list[str]]:
    """The first sheet's rows as cell texts, streamed (read-only), after the uncompressed-size check; formula
    cells without a saved result are refused (checked before the first row is given). A plain package is read by
    calamine; any other (or ``fast=False``) by openpyxl. ``package``: check_package(data), when already made."""
    from openpyxl import load_workbook

    if package is None:
        sheets, plain = _checked_package(data)
        grid = _calamine_grid(data) if fast and plain else None
    else:
        sheets, grid = package.sheets, package.grid if fast else None
    if grid is not None:  # the fast reader, without opening openpyxl at all
        yield from _grid_rows(grid)
        return
    workbook = None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        if not workbook.worksheets:
            raise _refuse("malformed_xlsx", detail="no worksheet")
        sheet = workbook.worksheets[0]
        if sheet._worksheet_path not in sheets:  # openpyxl's own attribute: the part the sheet is read from
            _check_sheet(data, sheet._worksheet_path)
        empty: list[str] = []
        for values in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            # a sheet declaring millions of rows yields them as empty tuples: one shared empty list each
            yield list(map(_cell_text, values)) if any(v is not None for v in values) else empty
    except (UploadError, GeneratorExit):
        raise
    except Exception as exc:  # openpyxl raises many types for a corrupt file, and wraps defusedxml's refusals
        raise _xlsx_failure(exc) from exc
    finally:
        if workbook is not None:
            workbook.close()


class CheckedPackage(NamedTuple):
    """An XLSX package that passed the checks: its sheets' parts, and its first sheet's cells as calamine read them
    (None when the package is not plain enough for calamine, or calamine could not read it: openpyxl reads it)."""

    sheets: list[str]
    grid: list[list] | None


def check_package(data: bytes) -> CheckedPackage:
    """Check an XLSX package (UploadError when refused) and read its first sheet with calamine when it is plain;
    read once, for both the column-wise check and, when that declines, the rows of the reference."""
    sheets, plain = _checked_package(data)
    return CheckedPackage(sheets, _calamine_grid(data) if plain else None)


def xlsx_columns(package: CheckedPackage) -> tuple[list[str], list[list[str]]] | None:
    """A plain XLSX package's first sheet as (header cells, one list of cell texts per header cell, row 2 first,
    blank rows included), as _xlsx_rows would give its rows: calamine's grid converted one column at a time instead
    of one cell at a time. None when calamine did not read the sheet or the header is not the first row: the caller
    reads the rows then."""
    grid = package.grid
    if grid is None or len(grid) < 2 or len(grid) > config.upload_limits().max_rows + 1:
        return None
    columns = [_cell_texts(column) for column in islice(zip(*grid, strict=True), MAX_COLUMNS)]
    if not columns or not "".join(column[0] for column in columns).strip():
        return None  # the first row is blank: the header is further down
    return [column[0] for column in columns], [column[1:] for column in columns]


def _checked_package(data: bytes) -> tuple[list[str], bool]:
    """Check a package before any cell is parsed (the uncompressed size; every sheet, by _check_sheet) and return
    its sheets' parts and whether the package is plain enough for calamine. Raises UploadError when refused."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse("malformed_xlsx", detail=str(exc)[:200]) from exc
    max_unpacked = config.upload_limits().max_unpacked_bytes
    if unpacked > max_unpacked:
        raise _refuse("too_big", size_mb=f"{unpacked / 1048576:.1f}", limit_mb=f"{max_unpacked / 1048576:.0f}")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:  # before openpyxl, which reads a whole sheet to size it
            sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/") and name.endswith(".xml")]
        # every sheet: which one openpyxl takes first is only known once it has opened the file
        plain = [_check_sheet(data, name) for name in sheets]
        return sheets, bool(plain) and all(plain) and _plain_package(data)
    except UploadError:
        raise
    except Exception as exc:  # a corrupt part, or defusedxml refusing a formula sheet's XML
        raise _xlsx_failure(exc) from exc


def _xlsx_failure(exc: Exception) -> UploadError:
    """The refusal for an exception raised while reading a package: unsafe XML, else a malformed file."""
    from defusedxml import DefusedXmlException

    if _caused_by(exc, DefusedXmlException):
        return _refuse("unsafe_xml")
    return _refuse("malformed_xlsx", detail=f"{type(exc).__name__}: {exc}"[:200])


def _check_sheet(data: bytes, path: str) -> bool:
    """Before any cell is parsed, in one streamed pass over the sheet's XML: refuse more <row> elements than the row
    limit, and a formula cell whose result was never saved (data_only reads it as empty), naming the cell.

    Returns whether the sheet is plain enough for the fast reader: no document type (entity declarations are for
    defusedxml to refuse), no error cells (#N/A: the fast reader reads them as blank), no ISO date cells, and every
    row and cell placed by its reference within a grid of at most _FAST_CELLS cells (calamine allocates the whole
    grid up to the last cell: a small file placing one cell at row 4,000,000 must not cost gigabytes).
    """
    from defusedxml.ElementTree import iterparse

    limit = config.upload_limits().max_rows
    rows, formulas, odd = 0, False, False
    placed = True
    last_row, width = 0, 26  # columns in use: up to Z, up to BL (MAX_COLUMNS), or wider
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        with archive.open(path) as source:
            tail = b""
            while block := source.read(1 << 20):
                joined = tail + block  # a tag split across two blocks is counted once, in the joined text
                rows += joined.count(b"<row") - tail.count(b"<row")
                unplaced = _UNPLACED.search(joined)  # one cut by the block's end is seen whole in the next
                placed = placed and (unplaced is None or unplaced.start() > len(joined) - 8)
                formulas = formulas or b"<f" in joined
                # one regex pass for the four cell types instead of four scans (the sheet is tens of MB)
                odd = odd or _NOT_PLAIN[0] in joined or _ODD_CELL.search(joined) is not None
                for dimension in _DIMENSION.findall(joined):  # the size the sheet declares, which readers may trust
                    declared = _DIMENSION_REF.fullmatch(dimension)
                    odd = odd or declared is None or int(declared[2]) > limit + 1 or \
                        int(declared[2]) * _column_number(declared[1]) > _FAST_CELLS
                last_row = max(last_row, max(map(int, _ROW_NUMBER.findall(joined)), default=0))
                if width < 64 and _TWO_LETTERS.search(joined):
                    width = 64 if _WIDE.search(joined) is None else _FAST_CELLS
                tail = block[-64:]
        if rows > limit + 1:
            raise _refuse("too_many_rows", limit=limit)
        odd = odd or not placed or last_row > limit + 1 or last_row * width > _FAST_CELLS
        if not formulas:
            return not odd
        namespace = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
        with archive.open(path) as source:
            for _event, element in iterparse(source):
                if element.tag == f"{namespace}c":
                    if element.find(f"{namespace}f") is not None and not element.findtext(f"{namespace}v"):
                        raise UploadError(Issue("formula_without_value", 0, str(element.get("r")),
                                                {"cell": element.get("r")}))
                    element.clear()
    return not odd


# What sends a sheet to openpyxl: a document type (or comment), error cells, ISO date cells (t="e", t="d"; Excel
# writes the attribute with double quotes, other writers may use single ones).
_NOT_PLAIN = (b"<!", b't="e"', b"t='e'", b't="d"', b"t='d'")
_ODD_CELL = re.compile(rb"""t=(?:"[de]"|'[de]')""")  # _NOT_PLAIN's cell types, each quoted alike on both sides
_UNPLACED = re.compile(rb'<(?:c|row)(?:>| (?!r="))')  # a row or cell whose place is not its first attribute
_ROW_NUMBER = re.compile(rb'<row r="(\d+)"')
_DIMENSION = re.compile(rb'<dimension ref="([^"]*)"')
_DIMENSION_REF = re.compile(rb'(?:[A-Z]{1,3}\d+:)?([A-Z]{1,3})(\d{1,7})')
_TWO_LETTERS = re.compile(rb'<c r="[A-Z]{2}')  # a cell past column Z
_WIDE = re.compile(rb'<c r="(?:[A-Z]{3}|[C-Z][A-Z]|B[M-Z])')  # a cell past column BL
_FAST_CELLS = 5_300_000  # the largest grid (rows x columns) calamine may allocate: the row limit x 26 columns


def _column_number(letters: bytes) -> int:
    """Excel's column letters as a number: A -> 1, Z -> 26, AA -> 27."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _plain_package(data: bytes) -> bool:
    """No part of the package other than its sheets (checked by _check_sheet) declares a document type."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")) and not name.startswith("xl/worksheets/"):
                with archive.open(name) as part:
                    if any(mark in part.read() for mark in _NOT_PLAIN[:1]):
                        return False
    return True


def _calamine_grid(data: bytes) -> list[list] | None:
    """The first worksheet's cells read by calamine (Rust), from A1 (empty rows and columns before the data kept),
    as calamine's values. None when calamine cannot read the file: openpyxl then reads it, and words its failure.
    tests/test_xlsx_reader.py checks with hypothesis that both readers give the same cells."""
    try:
        from python_calamine import CalamineWorkbook, SheetTypeEnum

        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        first = next(m.name for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet)
        return book.get_sheet_by_name(first).to_python(skip_empty_area=False)
    except Exception:  # noqa: BLE001 - any failure of the fast reader leaves the file to openpyxl
        return None


def _grid_rows(grid: list[list]) -> Iterator[list[str]]:
    """calamine's rows as cell texts, at most MAX_COLUMNS each, as openpyxl's rows are read (a blank row: [])."""
    empty: list[str] = []
    for values in grid:
        cells = _cell_texts(values[:MAX_COLUMNS])
        yield cells if any(cells) else empty


def _cell_texts(values: Sequence) -> list[str]:
    """A row or column of calamine's values as cell texts, each worded as _cell_text words it: text cells as they
    are, and text and number cells in one pass without a call per cell (a 100,000-row column)."""
    kinds = set(map(type, values))
    if kinds == {str}:
        return list(values)
    if kinds <= {str, float}:
        return [value if value.__class__ is str else
                (str(value) if not value.is_integer() or not abs(value) < 1e16 else str(int(value)))
                for value in values]
    return list(map(_cell_text, values))


def _caused_by(exc: BaseException, kind: type) -> bool:
    """Whether ``exc`` or any exception it was raised from (or during) is a ``kind``."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, kind):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if hasattr(value, "strftime"):
        return months.of_date(value)  # a month typed into Excel becomes a date cell
    return str(value)


def drop_blank_rows(table: list[list[str]]) -> tuple[Sequence[int], list[list[str]]]:
    """The rows with any text, and their line numbers in the file (1 = first line), as the user sees them in Excel."""
    # Whole-row joins in C, and no second list when (as usual) no row is blank.
    blank = set(compress(count(1), map(not_, map(str.strip, map("".join, table)))))
    if not blank:
        return range(1, len(table) + 1), table
    lines = [line for line in range(1, len(table) + 1) if line not in blank]
    return lines, [table[line - 1] for line in lines]


