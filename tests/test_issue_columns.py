"""Upload messages name the template's column (实际值, 单位, 指标编号 ...) and its letter as Excel shows the file
("第5行 D列（实际值）"), in both languages, for CSV and XLSX files alike, whatever order the columns are in."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from indicators import accounts, service, upload
from indicators.upload.issues import column_letter

PASSWORD = "a long enough password 1"


def as_csv(rows: list[list[object]]) -> bytes:
    return "\n".join(",".join(map(str, row)) for row in rows).encode("utf-8")


def as_xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("actuals")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


FORMATS = {"csv": as_csv, "xlsx": as_xlsx}

# The template's own headers, in an order of the user's choosing: 实际值 in column D, 单位 in C.
HEADER = ["指标编号", "期间", "单位", "实际值", "备注"]
GOOD = ["sample-2023.t1.5g", "2023-05", "个", 700, ""]


@pytest.mark.parametrize("kind", FORMATS)
def test_a_bad_value_is_located_by_row_and_excel_column(engine, kind):
    rows = [HEADER, GOOD, ["sample-2023.t1.firms", "2023-06", "家", 20, ""],
            ["sample-2023.t3.sewage", "2023-06", "%", 45, ""], ["sample-2023.t2.water", "2023-06", "亿立方米", "很多", ""]]
    report = upload.validate_upload(engine, FORMATS[kind](rows), f"upload.{kind}")
    [error] = report.errors
    assert (error.code, error.row, error.column, error.letter) == ("not_a_number", 5, "value", "D")
    assert error.where("zh") == "第5行 D列（实际值）"
    assert error.where("en") == "row 5, column D (value)"
    assert error.column_label("zh") == "D列（实际值）" and error.column_label("en") == "column D (value)"
    assert error.message("zh").startswith("实际值“很多”") and error.message("en").startswith("value '很多'")


@pytest.mark.parametrize("kind", FORMATS)
def test_each_column_gets_its_own_letter(engine, kind):
    rows = [HEADER,
            ["sample-2023.t1.5gg", "2023-06", "个", 5, ""],  # unknown id: column A
            ["sample-2023.t1.firms", "2023-13", "家", 20, ""],  # not a month: B
            ["sample-2023.t1.5g", "2023-06", "家伙", 5, ""]]  # unknown unit: C
    report = upload.validate_upload(engine, FORMATS[kind](rows), f"upload.{kind}")
    located = [(e.code, e.row, e.letter, e.where("zh"), e.where("en")) for e in report.errors]
    assert located == [
        ("unknown_target", 2, "A", "第2行 A列（指标编号）", "row 2, column A (target_id)"),
        ("bad_period", 3, "B", "第3行 B列（期间）", "row 3, column B (period)"),
        ("unit_unknown", 4, "C", "第4行 C列（单位）", "row 4, column C (unit)"),
    ]
    # the suggestion for an unknown id is part of its message, whole, in both languages
    unknown = report.errors[0]
    assert unknown.message("zh").endswith("；您是否要填：sample-2023.t1.5g、sample-2023.t1.firms、sample-2023.t3.sewage")
    assert unknown.message("en").endswith("did you mean: sample-2023.t1.5g, sample-2023.t1.firms, sample-2023.t3.sewage")


def test_a_warning_of_the_column_wise_path_is_located_too(engine):
    """A plain CSV is checked column-wise; its warnings name the letter as the row-by-row checks would."""
    rows = [["target_id", "period", "unit", "value"], ["sample-2023.t1.5g", "2023-06", "个", 999999]]
    report = upload.validate_upload(engine, as_csv(rows), "upload.csv")
    assert report.ok
    [warning] = report.warnings
    assert (warning.code, warning.row, warning.letter) == ("over_10x", 2, "D")
    assert warning.where("zh") == "第2行 D列（实际值）" and warning.where("en") == "row 2, column D (value)"
    assert report == upload.validate_upload(engine, as_csv(rows), "upload.csv", column_wise=False)


@pytest.mark.parametrize("kind", FORMATS)
def test_header_problems_name_the_column_to_fix(engine, kind):
    missing = upload.validate_upload(engine, FORMATS[kind]([["指标编号", "期间", "单位"], GOOD[:3]]), f"m.{kind}")
    [error] = missing.errors
    assert (error.code, error.row, error.letter) == ("missing_column", 1, "")  # no letter: the column is not there
    assert error.where("zh") == "第 1 行，实际值" and error.where("en") == "row 1, value"
    twice = upload.validate_upload(engine, FORMATS[kind]([["指标编号", "期间", "实际值", "value"], GOOD[:2] + [1, 2]]),
                                   f"d.{kind}")
    [error] = twice.errors
    assert (error.code, error.letter) == ("duplicate_column", "D")  # the second of the two: the one to delete
    assert error.where("zh") == "第1行 D列（实际值）"


def test_a_row_outside_the_scope_names_the_id_column(engine):
    accounts.add_user(engine, "stat1", "statistician", PASSWORD, ["示例县"])
    user = accounts.get_user(engine, "stat1")
    rows = [["备注", "指标编号", "期间", "实际值"], ["", "other-2023-2025.t1.forest", "2023-06", 300]]
    report = service.validate(engine, user, as_csv(rows), "scope.csv")
    [error] = report.errors
    assert (error.code, error.row, error.letter) == ("out_of_scope", 2, "B")
    assert error.where("zh") == "第2行 B列（指标编号）" and error.where("en") == "row 2, column B (target_id)"


def test_a_file_problem_has_no_row_or_letter(engine):
    report = upload.validate_upload(engine, b"", "empty.csv")
    [error] = report.errors
    assert (error.code, error.row, error.letter) == ("empty_file", 0, "")
    assert error.where("zh") == "整个文件" and error.where("en") == "whole file"


@pytest.mark.parametrize(("index", "letter"), [(0, "A"), (3, "D"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"),
                                               (701, "ZZ"), (702, "AAA")])
def test_column_letters_are_excels(index, letter):
    assert column_letter(index) == letter
