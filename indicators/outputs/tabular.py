"""Safe tabular downloads: CSV that Excel on a Chinese PC opens correctly and cannot be tricked into running formulas.

A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which Excel skips before
looking for one of those) is read by spreadsheet programs as a formula: text typed by a user, such as a login name
or a note, could then run ``=HYPERLINK(...)`` or worse on an administrator's PC ("CSV injection"). ``safe_cell``
prefixes such text with an apostrophe, which the spreadsheet shows as plain text. Numbers are left as numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
UTF8_BOM = b"\xef\xbb\xbf"


def safe_cell(value: object) -> object:
    """The value ready for a CSV cell: None -> "", numbers unchanged, formula-like text escaped with a leading '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_bytes(header: Iterable[object], rows: Iterable[Iterable[object]]) -> bytes:
    """A CSV file as bytes: UTF-8 with BOM (so Excel reads the Chinese), CRLF line ends, every cell through safe_cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    writer.writerows([safe_cell(c) for c in row] for row in rows)
    return UTF8_BOM + buffer.getvalue().encode("utf-8")


def xlsx_bytes(header: Iterable[object], rows: Iterable[Iterable[object]], sheet: str = "Sheet1") -> bytes:
    """An XLSX file as bytes, every cell through safe_cell and written as a string or a number (never a formula).

    openpyxl treats any string starting with '=' as a formula; safe_cell has already prefixed it with an apostrophe,
    and the cell's data type is set to string as a second guard."""
    from openpyxl import Workbook

    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet[:31]
    for r, row in enumerate([list(header), *(list(row) for row in rows)], start=1):
        for c, value in enumerate(row, start=1):
            cell = worksheet.cell(row=r, column=c)
            value = safe_cell(value)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
