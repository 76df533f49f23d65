"""Column-wise validation of a CSV upload whose every row is plain: the fast path for large files.

A *plain* file is UTF-8 comma-separated text (a cell may be quoted, when the quotes hold no quote or line break and
fill the whole cell), whose every row has the header's number of cells and is either empty (a blank line) or names
a live target inside the uploader's jurisdictions, a month inside the plan, a value (or nothing: not reported this
month), a unit that converts to the target's (or none), basis 累计, and a target and month that no other row gives.
A year-end file of 100,000 rows is plain throughout. Such a file is parsed by Arrow's CSV reader and checked over
whole columns, once per distinct id, month, unit and basis, instead of once per row in Python. Values are read
over the whole column too when they are plain decimals (1320, -3.5); the few that are written otherwise ("1,234.50",
"1.2万", "１２") are read one by one as the reference reads them, so that one such value does not send the whole file
row by row.

As soon as anything is not plain, or any row has a problem, this returns None, and the caller runs the row-by-row
validator: the reference, which words every problem. tests/test_plain_rows.py checks with hypothesis that, whenever
this returns a result, the report is exactly the reference's.
"""

from __future__ import annotations

import io
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import repeat
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from indicators.text.units import UnitError
from indicators.upload.cells import (
    BASIS,
    MAX_MAGNITUDE,
    MAX_RAW_UNIT,
    MAX_RAW_VALUE,
    Issue,
    ParsedRow,
    clean_cell,
    conversion_factor,
    convert_by,
    map_header,
    parse_period,
    period_bounds,
    value_of,
)
from indicators.upload.lookup import StoreLookup
from indicators.upload.warnings import upload_warnings

if TYPE_CHECKING:
    from indicators.store import UploadTarget

# Builds a ParsedRow from a tuple without the Python-level __new__ of a NamedTuple: 100k rows, 40 ms less.
_parsed_row = partial(tuple.__new__, ParsedRow)
_MAX_COLUMNS = 64  # more columns than this: not a template, the reference reads it
_PLAIN_NUMBER = r"^-?[0-9]+(\.[0-9]+)?$"  # upload_cells.is_plain_number's pattern, ASCII digits only
_QUOTED = re.compile(rb'"[^"\r\n]*"')  # a quoted text holding no quote and no line break


@dataclass
class PlainResult:
    """What the reference validator would report for a plain file (it has no errors by construction)."""

    rows_total: int
    rows_skipped: int
    parsed: list[ParsedRow]
    warnings: list[Issue]
    columns: dict[str, int]  # the header's {column: index}


def read_plain_csv(data: bytes) -> tuple[list[str], list[pa.Array]] | None:
    """(header cells, one string column per header cell, the blank lines included) or None when not plain text."""
    if b"\x00" in data:
        return None  # NULs are where CSV readers differ: the reference reads those
    if b'"' in data and not _simply_quoted(data):
        return None  # quotes inside a quoted cell, a quoted line break, text beside the quotes: the reference reads it
    sample = data[:4096]
    if b"\t" in sample or b";" in sample:
        return None  # the reference sniffs the delimiter
    try:
        table = pa_csv.read_csv(
            io.BytesIO(data),
            read_options=pa_csv.ReadOptions(autogenerate_column_names=True),
            parse_options=pa_csv.ParseOptions(ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(_MAX_COLUMNS)},
                strings_can_be_null=False, quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None  # not UTF-8, a row of another width, ...
    if table.num_rows == 0 or table.num_columns > _MAX_COLUMNS:
        return None
    columns = [column.combine_chunks() for column in table.columns]
    return [column[0].as_py() for column in columns], [column[1:] for column in columns]


def _simply_quoted(data: bytes) -> bool:
    """Whether every quote in the file belongs to a quoted cell both CSV readers take alike (as Excel writes
    "1,234.50"): quotes around the whole cell, holding no quote and no line break."""
    pairs = 0
    for match in _QUOTED.finditer(data):  # a search for the quote character, not a pattern tried at every byte
        start, end = match.span()
        if (start and data[start - 1] not in b",\r\n") or (end < len(data) and data[end] not in b",\r\n"):
            return False
        pairs += 1
    return data.count(b'"') == 2 * pairs


def table_columns(table: list[list[str]]) -> tuple[list[str], list[pa.Array]] | None:
    """A table read by upload.read (an XLSX sheet: row i of the list is the sheet's row i + 1) as read_plain_csv
    gives a CSV: (header cells, one string column per header cell); None unless the header is the first row and no
    row has text past the header's width (the reference would read such a row: it is not blank)."""
    if len(table) < 2 or not "".join(table[0]).strip():
        return None
    header, body = table[0], table[1:]
    width = len(header)
    if width == 0 or width > _MAX_COLUMNS:
        return None
    padded = body  # as usual every row is as wide as the header (calamine's rows are): nothing to pad
    if not min(map(len, body)) == width == max(map(len, body)):
        empty = [""] * width
        padded = []
        for row in body:
            if len(row) != width:
                if len(row) > width and any(row[width:]):
                    return None
                row = (row + empty)[:width]
            padded.append(row)
    return header, string_arrays(zip(*padded, strict=True))


def string_arrays(columns: Iterable[Sequence[str]]) -> list[pa.Array]:
    """Columns of cell texts as Arrow string arrays, as validate_columns takes them."""
    return [pa.array(column, pa.string()) for column in columns]


def validate_plain(data: bytes, lookup: StoreLookup, allowed_jurisdictions: set[str] | None) -> PlainResult | None:
    """The reference's report of a plain CSV file, computed column-wise; None as soon as anything is not plain.

    ``lookup`` reads the file's targets, their plans and their latest values (for the warnings) from the store.
    """
    read = read_plain_csv(data)
    if read is None:
        return None
    return validate_columns(*read, lookup, allowed_jurisdictions)


def validate_columns(header: list[str], cells: list[pa.Array], lookup: StoreLookup,
                     allowed_jurisdictions: set[str] | None) -> PlainResult | None:
    """The reference's report of a file given as its header and string columns (the lines after the header, blank
    ones included: line 2 first), computed column-wise; None as soon as anything is not plain."""
    mapping, header_issues = map_header(header)
    if header_issues:
        return None

    # Rows whose every cell is empty are blank lines: dropped, each other row keeping its line number.
    empty = [pc.equal(column, "") for column in cells]
    blank_line = empty[0]
    for column_empty in empty[1:]:
        blank_line = pc.and_(blank_line, column_empty)
    line_numbers = pa.array(np.arange(2, len(cells[0]) + 2, dtype=np.int64))
    kept = pc.invert(blank_line) if pc.any(blank_line).as_py() else None  # None: no blank line (as usual)
    if kept is not None:
        line_numbers = pc.filter(line_numbers, kept)
    count = len(line_numbers)
    if count == 0:
        return None

    def column(name: str) -> pa.Array | None:
        index = mapping.get(name)
        return None if index is None else cells[index] if kept is None else pc.filter(cells[index], kept)

    ids = _distinct(column("target_id"))
    id_list = ids.values
    if any(target_id != clean_cell(target_id) for target_id in id_list):
        return None
    known = lookup.targets(id_list)
    targets = [known.get(target_id) for target_id in id_list]
    for target in targets:
        if target is None or target.retired:
            return None
        if allowed_jurisdictions is not None and target.jurisdiction not in allowed_jurisdictions:
            return None
    plans = lookup.plans({target.plan_id for target in targets})

    periods = _distinct(column("period"))
    month_of_cell = [parse_period(clean_cell(raw)) for raw in periods.values]
    if None in month_of_cell:
        return None
    # Months as codes into a sorted list: the plan-period check and the duplicate check become integer work.
    month_list = sorted(set(month_of_cell))
    month_code = pc.take(pa.array([month_list.index(m) for m in month_of_cell], pa.int64()), periods.index)
    bounds = [period_bounds(target, plans) for target in targets]
    lowest = pc.take(pa.array([bisect_left(month_list, first) for first, _ in bounds], pa.int64()), ids.index)
    highest = pc.take(pa.array([bisect_right(month_list, last) - 1 for _, last in bounds], pa.int64()), ids.index)
    if not pc.all(pc.and_(pc.greater_equal(month_code, lowest), pc.less_equal(month_code, highest))).as_py():
        return None
    key_code = pc.add(pc.multiply(pc.cast(ids.index, pa.int64()), len(month_list)), month_code)
    if pc.count_distinct(key_code).as_py() != count:
        return None  # a target and month given twice

    raw_values = column("value")
    reported = pc.not_equal(raw_values, "")
    blank = count - pc.sum(reported).as_py()
    if blank:  # blank = not reported this month; such rows are counted, not parsed
        line_numbers, raw_values, month_code = (pc.filter(a, reported) for a in (line_numbers, raw_values, month_code))
        ids = ids.filter(reported)
    rows = len(raw_values)
    if rows == 0:
        return None  # nothing to commit: the reference says so
    if pc.max(pc.utf8_length(raw_values)).as_py() > MAX_RAW_VALUE:
        return None  # longer than the store's column: the reference refuses it
    # Arrow's pattern takes ASCII digits only, a subset of what upload_cells.is_plain_number takes; Arrow's
    # string-to-double is correctly rounded, as float() is (tests/test_plain_rows.py checks both).
    odd = pc.invert(pc.match_substring_regex(raw_values, _PLAIN_NUMBER))
    odd_rows = pc.indices_nonzero(odd).to_pylist()

    basis = column("basis")
    if basis is not None:
        for raw in pc.unique(basis).to_pylist():
            cleaned = clean_cell(raw)
            if BASIS.get(cleaned.lower() if cleaned.isascii() else cleaned) != "累计":
                return None  # 当月 values are accumulated by the reference

    values = pc.cast(pc.if_else(odd, "0", raw_values) if odd_rows else raw_values, pa.float64())
    id_codes = ids.index.to_pylist()
    target_units = [target.unit for target in targets]
    unit_list = list(map(target_units.__getitem__, id_codes))
    units = column("unit")
    if units is None:
        unit_texts: list[str | None] = [None] * rows
    else:
        unit_cells = _distinct(pc.filter(units, reported) if blank else units)
        cleaned_units = [clean_cell(raw) for raw in unit_cells.values]
        if any(len(unit) > MAX_RAW_UNIT for unit in cleaned_units):
            return None
        unit_codes = unit_cells.index.to_pylist()
        unit_texts = list(map([cleaned or None for cleaned in cleaned_units].__getitem__, unit_codes))
        factor_of = {}
        for pair in set(zip(unit_codes, id_codes, strict=True)):  # each distinct (unit cell, target) once
            unit, target_unit = cleaned_units[pair[0]], target_units[pair[1]]
            try:
                factor_of[pair] = conversion_factor(unit or target_unit, target_unit)
            except UnitError:
                return None
        if any(factor != 1.0 for factor in factor_of.values()):
            factors = map(factor_of.__getitem__, zip(unit_codes, id_codes, strict=True))
            values = pa.array(list(map(convert_by, values.to_pylist(), factors)), pa.float64())
    value_texts = raw_values.to_pylist()
    if odd_rows:  # the values not written as plain decimals, read one by one as the reference reads them
        value_list = values.to_pylist()
        for row in odd_rows:
            read = _odd_value(value_texts[row], unit_texts[row], targets[id_codes[row]])
            if read is None:
                return None
            value_texts[row], value_list[row] = read
        values = pa.array(value_list, pa.float64())
    values = pc.add(values, 0.0)  # -0 is stored as 0
    if not pc.all(pc.less_equal(pc.abs(values), MAX_MAGNITUDE)).as_py():
        return None  # infinite (400 nines) or beyond any indicator: the reference names the row
    growth = pa.array([target.kind == "growth" for target in targets])
    if pc.any(pc.and_(pc.less(values, 0), pc.invert(pc.take(growth, ids.index)))).as_py():
        return None

    notes = column("note")
    if notes is None:
        note_texts: list[str | None] = [None] * rows
    else:
        note_cells = _distinct(pc.filter(notes, reported) if blank else notes)
        note_texts = list(map([clean_cell(raw) or None for raw in note_cells.values].__getitem__,
                              note_cells.index.to_pylist()))

    # The parsed rows share their id, month and unit strings instead of making 100,000 copies of each.
    line_list = line_numbers.to_pylist()
    id_texts = list(map(id_list.__getitem__, id_codes))
    month_texts = list(map(month_list.__getitem__, month_code.to_pylist()))
    parsed = list(map(_parsed_row, zip(
        line_list, id_texts, month_texts, values.to_pylist(), unit_list, value_texts, unit_texts,
        repeat("累计"), note_texts,
        strict=False,  # repeat() is endless; the other columns have one entry per row
    )))
    stored = lookup.stored(id_list)
    warnings = upload_warnings(line_list, pc.take(pa.array(id_list, pa.string()), ids.index),
                               pc.take(pa.array(month_list, pa.string()), month_code), values, unit_list, known, stored)
    return PlainResult(count, blank, parsed, warnings, mapping)


def _odd_value(raw: str, unit: str | None, target: UploadTarget) -> tuple[str, float] | None:
    """(the cell as stored, its value in the target's unit) of a value not written as a plain decimal, read as the
    reference reads it; None when the reference would report a problem (or count a cell of spaces as blank)."""
    text = clean_cell(raw)
    if not text or len(text) > MAX_RAW_VALUE:
        return None
    value = value_of(text, unit or "", target.unit)
    return None if value.__class__ is Issue else (text, value)


@dataclass
class _Distinct:
    """A column as its distinct values and, per row, the index of its value among them."""

    values: list[str]
    index: pa.Array

    def filter(self, mask: pa.Array) -> _Distinct:
        return _Distinct(self.values, pc.filter(self.index, mask))


def _distinct(column: pa.Array) -> _Distinct:
    encoded = pc.dictionary_encode(column)
    return _Distinct(encoded.dictionary.to_pylist(), encoded.indices)
