"""The fast XLSX reader (calamine) reads every cell as the reference reader (openpyxl) does, wherever the data
starts, whatever the cell types; files it is not meant for (document types, error cells) go to openpyxl."""

from __future__ import annotations

import datetime as dt
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from indicators.upload.read import UploadError, _xlsx_rows, check_package, xlsx_columns

CELLS = st.one_of(
    st.none(),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12),
    st.sampled_from(["指标编号", "2023-06", "2023年6月", "1,320", " 45 ", "1.32万", "个", "%", "0"]),
    st.integers(-10**15, 10**15),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1901, 1, 1), max_value=dt.datetime(2100, 12, 31)).map(
        lambda moment: moment.replace(microsecond=0)),
    st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2100, 12, 31)),
)


def workbook(rows: list[list[object]], first_row: int, first_column: int, write_only: bool) -> bytes:
    """An XLSX whose cells start at (first_row, first_column); shared strings, or inline strings when write_only."""
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("actuals") if write_only else book.active
    if write_only:
        for _ in range(first_row):
            sheet.append([])
        for row in rows:
            sheet.append([None] * first_column + row)
    else:
        for r, row in enumerate(rows, start=first_row + 1):
            for c, value in enumerate(row, start=first_column + 1):
                if value is not None:
                    sheet.cell(r, c, value)
        book.create_sheet("second").append(["not read"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def trimmed(rows: list[list[str]]) -> list[list[str]]:
    """Rows without trailing blank cells, and without trailing blank rows (the readers pad differently)."""
    out = [list(row) for row in rows]
    for row in out:
        while row and row[-1] == "":
            row.pop()
    while out and not out[-1]:
        out.pop()
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(CELLS, min_size=1, max_size=6), min_size=1, max_size=6),
       first_row=st.integers(0, 3), first_column=st.integers(0, 3), write_only=st.booleans())
def test_fast_reader_reads_every_cell_as_openpyxl_does(rows, first_row, first_column, write_only):
    data = workbook(rows, first_row, first_column, write_only)
    fast = outcome(data, fast=True)
    assert fast == outcome(data, fast=False)
    if isinstance(fast, list):  # the rows read from a package checked and read beforehand (validation reuses it)
        assert trimmed(list(_xlsx_rows(data, package=check_package(data)))) == fast


def outcome(data: bytes, fast: bool) -> object:
    """The rows read, or the refusal's code and cell: a text starting with "=" is written by openpyxl as a formula
    without a saved result, which both readers must refuse alike."""
    try:
        return trimmed(list(_xlsx_rows(data, fast=fast)))
    except UploadError as refusal:
        return (refusal.issue.code, refusal.issue.column)


def test_error_cells_are_left_to_openpyxl():
    data = workbook([["sample", "2023-06", "#N/A"]], 0, 0, write_only=False)
    assert trimmed(list(_xlsx_rows(data))) == [["sample", "2023-06", "#N/A"]]  # not read as a blank value


def one_cell(reference: str) -> bytes:
    book = Workbook()
    book.active["A1"] = "指标编号"
    book.active[reference] = 5
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_sheet_whose_grid_is_too_large_for_the_fast_reader_goes_to_openpyxl():
    """calamine allocates every cell up to the last one: a small file placing a cell far away is read by openpyxl."""
    from indicators.upload.read import _check_sheet

    sheet = "xl/worksheets/sheet1.xml"
    assert _check_sheet(one_cell("D100"), sheet) is True
    assert _check_sheet(one_cell("Z200000"), sheet) is True  # the row limit x 26 columns: the largest grid
    assert _check_sheet(one_cell("AA100000"), sheet) is False  # past Z: 64 columns x 100,000 rows
    assert _check_sheet(one_cell("BM2"), sheet) is False  # past MAX_COLUMNS
    assert trimmed(list(_xlsx_rows(one_cell("BM2")))) == [["指标编号"]]  # cells past BL are not read either way


def test_a_formula_without_a_saved_result_is_refused_by_both_readers_naming_the_cell():
    data = workbook([["指标编号", "实际值"], ["sample", "=1+1"]], 0, 0, write_only=False)
    assert outcome(data, fast=True) == outcome(data, fast=False) == ("formula_without_value", "B2")


def columns_outcome(data: bytes) -> object:
    """xlsx_columns' cells put back into rows (None when it declines), or the refusal's code and cell."""
    try:
        read = xlsx_columns(check_package(data))
    except UploadError as refusal:
        return (refusal.issue.code, refusal.issue.column)
    if read is None:
        return None
    header, body = read
    assert len({len(column) for column in body}) == 1 and len(header) == len(body)
    return trimmed([header, *map(list, zip(*body, strict=True))])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(CELLS, min_size=1, max_size=6), min_size=1, max_size=6),
       first_row=st.integers(0, 2), first_column=st.integers(0, 3), write_only=st.booleans())
def test_the_column_reader_gives_the_cells_openpyxl_reads(rows, first_row, first_column, write_only):
    """Read column by column, a sheet whose header is its first row has exactly openpyxl's cells; it declines a
    sheet whose first row is blank (the header is further down: the rows are read then) and refuses alike."""
    data = workbook(rows, first_row, first_column, write_only)
    reference = outcome(data, fast=False)
    answer = columns_outcome(data)
    if isinstance(reference, tuple):
        assert answer == reference
    elif answer is None:
        assert not reference or not reference[0] or len(reference) < 2
    else:
        assert answer == reference


def test_the_column_reader_answers_a_plain_sheet_and_leaves_an_error_cell_to_the_rows():
    data = workbook([["指标编号", "期间", "实际值"], ["sample", "2023-06", 1320.0], ["sample", "2023-07", 12.5]],
                    0, 0, write_only=True)
    assert xlsx_columns(check_package(data)) == (["指标编号", "期间", "实际值"], [["sample", "sample"], ["2023-06", "2023-07"],
                                                                ["1320", "12.5"]])
    assert xlsx_columns(check_package(workbook([["sample", "2023-06", "#N/A"], ["a", "b", "c"]], 0, 0,
                                                write_only=False))) is None
