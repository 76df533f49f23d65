"""The column-wise checks applied to a table read by upload.read (an XLSX sheet) give exactly the reference
validator's report, or decline.

The files are test_plain_rows' hypothesis CSVs (plain, one odd cell, anything), written as XLSX sheets (numbers as
number cells or as text, at random) and also read as CSV tables, which checks table_columns on the quoting, short and
long rows only CSV can hold.
"""

from __future__ import annotations

import csv
import io
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators import upload
from indicators.upload import plain
from indicators.upload.issues import locate
from indicators.upload.lookup import StoreLookup
from indicators.upload.read import _parse_table
from tests.test_plain_rows import csv_files, engine  # noqa: F401 - engine is the module's fixture

PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def as_xlsx(data: bytes, numbers: bool) -> bytes:
    """The CSV's cells as the first sheet of a workbook; ``numbers``: plain values as number cells."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("actuals")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    value = next((i for i, cell in enumerate(table[0]) if cell in ("value", "实际值")), -1) if table else -1
    for row in table:  # a month like 2023.10 stays text: as a number it would be 2023.1, another month
        sheet.append([float(cell) if numbers and i == value and PLAIN_NUMBER.fullmatch(cell) else cell
                      for i, cell in enumerate(row)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def column_wise(engine, data: bytes, allowed: set[str] | None = None) -> plain.PlainResult | None:  # noqa: F811
    columns = plain.table_columns(_parse_table(data))
    if columns is None:
        return None
    with engine.connect() as conn:
        return plain.validate_columns(*columns, StoreLookup(conn), allowed)


def same_as_reference(result: plain.PlainResult, reference) -> bool:
    warnings = locate(result.warnings, result.columns)  # validate_upload names each column's letter
    return reference.ok and (result.rows_total, result.rows_skipped, result.parsed, warnings, result.columns) \
        == (reference.rows_total, reference.rows_skipped, reference.parsed, reference.warnings, reference.columns)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(csv_files("any"), csv_files("one_odd"), csv_files("plain"), csv_files("odd_values")),
       numbers=st.booleans(), allowed=st.sampled_from([None, {"示例县"}, {"另一区"}]))
def test_an_xlsx_gets_the_reference_report(engine, data, numbers, allowed):  # noqa: F811
    xlsx = as_xlsx(data, numbers)
    fast = upload.validate_upload(engine, xlsx, "upload.xlsx", allowed)
    reference = upload.validate_upload(engine, xlsx, "upload.xlsx", allowed, column_wise=False)
    assert fast == reference
    result = column_wise(engine, xlsx, allowed)
    assert result is None or same_as_reference(result, reference)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(csv_files("plain"), csv_files("odd_values")), numbers=st.booleans())
def test_a_plain_xlsx_is_answered_column_wise(engine, data, numbers):  # noqa: F811
    xlsx = as_xlsx(data, numbers)
    result = column_wise(engine, xlsx)
    assert result is not None
    assert same_as_reference(result, upload.validate_upload(engine, xlsx, "upload.xlsx", column_wise=False))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(csv_files("any"), csv_files("one_odd"), csv_files("plain")),
       allowed=st.sampled_from([None, {"示例县"}, {"另一区"}]))
def test_a_csv_table_checked_column_wise_gets_the_reference_report_or_declines(engine, data, allowed):  # noqa: F811
    result = column_wise(engine, data, allowed)
    if result is not None:
        assert same_as_reference(result, upload.validate_upload(engine, data, "upload.csv", allowed,
                                                                column_wise=False))


def test_text_past_the_header_or_a_header_not_on_the_first_row_is_left_to_the_reference(engine):  # noqa: F811
    past = [["target_id", "period", "value"], ["sample-2023.t1.5g", "2023-01", "5", "stray"]]
    assert plain.table_columns(past) is None
    assert plain.table_columns([[], *past[:1], ["sample-2023.t1.5g", "2023-01", "5"]]) is None
    columns = plain.table_columns([past[0], [], ["sample-2023.t1.5g", "2023-01", "5", ""]])
    assert columns is not None and [c.to_pylist() for c in columns[1]] == [["", "sample-2023.t1.5g"],
                                                                          ["", "2023-01"], ["", "5"]]
