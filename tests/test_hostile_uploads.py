"""Hostile and broken uploads (issue 14 §4-5): each is refused with a whole-file or row/column issue code, quickly,
and leaves nothing in the database or the archive; every accepted number is finite and sane."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from indicators import service, store, upload

DATA = Path(__file__).parent / "data" / "ingest"


def snapshot(engine) -> dict:
    with engine.connect() as conn:
        return {t.name: sorted(map(repr, conn.execute(select(t)).all())) for t in store.metadata.sorted_tables
                if t.name != "audit_log"}


def try_upload(engine, archive_dir, name: str, data: bytes | None = None):
    data = (DATA / name).read_bytes() if data is None else data
    actor = service.operator()
    report = service.validate(engine, actor, data, name)
    result = service.commit(engine, actor, report, data, archive_dir=archive_dir) if report.ok else None
    return report, result


@pytest.mark.parametrize(("name", "row", "column", "code", "zh", "en"), [
    ("nines.csv", 2, "value", "too_long", "实际值的内容过长（400 个字符", "value is too long (400 characters"),
    ("too_large.csv", 2, "value", "too_large", "超出合理范围", "out of range"),
    ("long_value.csv", 2, "value", "too_long", "实际值的内容过长（91 个字符，上限 80）", "value is too long (91"),
    ("duplicate_header.csv", 1, "target_id", "duplicate_column", "列“target_id”（第 1 列）与列“指标编号”（第 4 列）",
     "column 'target_id' (column 1) and column '指标编号' (column 4)"),
    ("same_header_twice.csv", 1, "value", "duplicate_column", "列“value”（第 3 列）与列“value”（第 4 列）", "are the same"),
    ("blank_values.csv", 0, "-", "nothing_to_commit", "没有可提交的内容", "nothing to commit"),
    ("bom_gbk.csv", 0, "-", "bad_encoding", "无法识别文件编码", "UTF-8 BOM"),
    ("renamed_png.csv", 0, "-", "not_a_table", "不是 CSV 或 XLSX 文件", "another file renamed"),
    ("malformed.xlsx", 0, "-", "malformed_xlsx", "XLSX 文件已损坏", "cannot open the XLSX file"),
    ("renamed_docx.xlsx", 0, "-", "malformed_xlsx", "XLSX 文件已损坏", "cannot open the XLSX file"),
    ("formula_no_value.xlsx", 0, "C2", "formula_without_value", "单元格 C2 是公式", "cell C2 is a formula"),
    ("billion_laughs.xlsx", 0, "-", "unsafe_xml", "不安全的 XML", "unsafe XML"),
])
def test_broken_file_is_refused_with_its_code_and_leaves_nothing(engine, archive_dir, name, row, column, code, zh, en):
    before = snapshot(engine)
    report, result = try_upload(engine, archive_dir, name)
    assert result is None and not report.ok
    assert [(e.row, e.column, e.code) for e in report.errors] == [(row, column, code)], report.errors
    assert zh in report.errors[0].message("zh") and en in report.errors[0].message("en"), report.errors[0].message("en")
    if row == 0:  # a whole-file problem says so, never "row 0"
        assert report.errors[0].where("zh") in ("整个文件", "C2") and "row 0" not in report.errors[0].where("en")
    assert snapshot(engine) == before
    assert not archive_dir.exists()


def test_minus_zero_is_stored_as_zero(engine, archive_dir):
    report, result = try_upload(engine, archive_dir, "negative_zero.csv")
    assert report.ok and result.batch_id is not None
    with engine.connect() as conn:
        [value] = store.latest_values(conn).values()
    assert value == 0.0 and str(value) == "0.0"  # not -0.0


def _sheet_xlsx(sheet_xml: bytes, compress: bool = True) -> bytes:
    """A minimal workbook around one sheet's XML (as Excel writes it, without styles)."""
    parts = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+'
        b'xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
        b'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        b'2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
        b'name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def declared_rows_xlsx(rows: int, real_every: int) -> bytes:
    """A sheet declaring ``rows`` rows, of which every ``real_every``-th holds cells (the rest are gaps)."""
    head = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<dimension ref="A1:C%d"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>target_id</t></is></c>'
            b'<c r="B1" t="inlineStr"><is><t>period</t></is></c><c r="C1" t="inlineStr"><is><t>value</t></is></c>'
            b'</row>' % rows)
    body = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x%d</t></is></c></row>' % (r, r, r)
                    for r in range(real_every, rows + 1, real_every))
    return _sheet_xlsx(head + body + b"</sheetData></worksheet>")


def test_xlsx_declaring_millions_of_rows_is_refused_past_the_row_limit(engine, archive_dir):
    data = declared_rows_xlsx(4_000_000, 400_000)
    before = snapshot(engine)
    report, _ = try_upload(engine, archive_dir, "many.xlsx", data)
    assert [(e.row, e.code) for e in report.errors] == [(0, "too_many_rows")]
    assert "200000" in report.errors[0].message("en")
    assert snapshot(engine) == before and not archive_dir.exists()


def test_row_and_unpacked_size_limits_are_settings(engine, archive_dir, tmp_path, monkeypatch):
    settings = tmp_path / "settings.toml"
    settings.write_text("max_upload_rows = 3\nmax_upload_unpacked_mb = 1\n", encoding="utf-8")
    monkeypatch.setenv("INDICATORS_SETTINGS", str(settings))
    rows = "".join(f"sample-2023.t1.5g,2023-0{m},{m}\n" for m in range(1, 5))
    report, _ = try_upload(engine, archive_dir, "four.csv", ("target_id,period,value\n" + rows).encode())
    assert [(e.row, e.code, e.params) for e in report.errors] == [(0, "too_many_rows", {"limit": 3})]
    padding = b"<!--" + b" " * (2 * 1024 * 1024) + b"-->"  # unpacks to 2 MB, compresses to a few KB
    bomb = _sheet_xlsx(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                       b'2006/main">' + padding + b"<sheetData/></worksheet>")
    assert len(bomb) < 20_000
    report, _ = try_upload(engine, archive_dir, "bomb.xlsx", bomb)
    assert [(e.row, e.code) for e in report.errors] == [(0, "too_big")]
    assert not archive_dir.exists()


def test_a_wrong_header_stops_before_the_body(engine, archive_dir):
    data = b"target,period,value\n" + b"\xff\xfe broken body \x00\n" * 3  # the body would be unreadable
    report, _ = try_upload(engine, archive_dir, "bad_header.csv", data)
    assert [e.code for e in report.errors] in (["missing_column"], ["not_a_table"], ["bad_encoding"])


def test_unknown_ids_get_suggestions_once_each_and_capped(engine, archive_dir):
    rows = "".join(f"sample-2023.t1.5g{i},2023-06,1\n" for i in range(300))
    report, _ = try_upload(engine, archive_dir, "unknown.csv", ("target_id,period,value\n" + rows).encode())
    assert len(report.errors) == 300 and {e.code for e in report.errors} == {"unknown_target"}
    suggested = [e for e in report.errors if e.params["suggestions"]]
    assert len(suggested) == upload.cells.MAX_SUGGESTED  # the first distinct ids only


def test_status_json_is_standard_json():
    import json

    from indicators.cli.reports import standard_json

    def refuse(name: str) -> None:
        raise ValueError(f"non-standard JSON constant {name}")

    text = standard_json([{"completion": float("inf"), "value": float("nan"), "expected": 1.5}])
    assert json.loads(text, parse_constant=refuse) == [{"completion": None, "value": None, "expected": 1.5}]
