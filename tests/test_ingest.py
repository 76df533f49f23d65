"""Uploads: every bad file is refused with row, column and reason and writes nothing; good files commit atomically."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import select

from indicators import store, upload

DATA = Path(__file__).parent / "data" / "ingest"


def snapshot(engine) -> dict:
    """Every row of every table, to prove that a refused upload changed nothing."""
    with engine.connect() as conn:
        return {table.name: sorted(map(repr, conn.execute(select(table)).all())) for table in store.metadata.sorted_tables}


def first_batch(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(store.batches.c.id).order_by(store.batches.c.id)).scalars().first()


def upload_file(engine, name: str, archive_dir, user: str = "tester", **kwargs):
    data = (DATA / name).read_bytes()
    report = upload.validate_upload(engine, data, name, **kwargs)
    result = upload.commit_upload(engine, report, data, user, archive_dir=archive_dir) if report.ok else None
    return report, result


@pytest.mark.parametrize(
    ("file_name", "row", "column", "code", "zh", "en"),
    [
        ("empty.csv", 0, "-", "empty_file", "文件是空的", "empty"),
        ("header_only.csv", 0, "-", "nothing_to_commit", "没有任何数据行", "nothing to commit"),
        ("missing_column.csv", 1, "value", "missing_column", "缺少必填列“实际值”", "missing required column 'value'"),
        ("unknown_id.csv", 2, "target_id", "unknown_target", "指标编号“sample-2023.t1.5gg”不在指标目录中；您是否要填：sample-2023.t1.5g",
         "unknown target_id 'sample-2023.t1.5gg'; did you mean: sample-2023.t1.5g"),
        ("non_numeric.csv", 2, "value", "not_a_number", "实际值“", "not a number"),
        ("negative_count.csv", 2, "value", "negative", "实际值不能为负数", "value must not be negative"),
        ("bad_month.csv", 2, "period", "bad_period", "不是有效月份", "not a month"),
        ("outside_plan.csv", 2, "period", "period_outside_plan", "不在计划期", "outside the plan period"),
        ("unit_other_dimension.csv", 2, "unit", "unit_mismatch", "不能换算为该指标的单位“家”", "cannot be converted"),
        ("unit_unparseable.csv", 2, "unit", "unit_unknown", "无法识别的单位“家伙”", "unknown unit"),
        ("duplicate.csv", 4, "target_id", "duplicate_row", "与第 2 行重复", "same as row 2"),
        ("blank_line_then_bad.csv", 4, "value", "not_a_number", "不是数字", "not a number"),  # line 4, after a blank
        ("binary.csv", 0, "-", "not_a_table", "二进制", "binary"),
        ("undecodable.csv", 0, "-", "bad_encoding", "无法识别文件编码", "cannot decode"),
    ],
)
def test_bad_file_is_refused_naming_row_column_reason_and_writes_nothing(engine, archive_dir, file_name, row, column,
                                                                          code, zh, en):
    before = snapshot(engine)
    report, result = upload_file(engine, file_name, archive_dir)
    assert not report.ok and result is None
    assert any((e.row, e.column, e.code) == (row, column, code) for e in report.errors), report.errors
    wording = [e for e in report.errors if e.code == code][0]  # the wording, checked once per code
    assert zh in wording.message("zh") and en in wording.message("en"), (wording.message("zh"), wording.message("en"))
    assert snapshot(engine) == before
    assert not archive_dir.exists()


def test_good_file_every_spelling_is_understood(engine, archive_dir):
    report, result = upload_file(engine, "good.csv", archive_dir)
    assert report.ok, report.errors
    values = {(p.target_id, p.period): p.value for p in report.parsed}
    assert values == {
        ("sample-2023.t1.5g", "2023-06"): 1320,
        ("sample-2023.t1.firms", "2023-06"): 20,
        ("sample-2023.t2.water", "2023-06"): 1.32,
        ("sample-2023.t3.hitech", "2023-06"): 285,
        ("sample-2023.t3.growth", "2023-06"): 7.5,
        ("sample-2023.t3.sewage", "2023-06"): 45,
        ("other-2023-2025.t1.forest", "2023-06"): 300,
    }
    assert report.rows_total == 8 and report.rows_skipped == 1
    assert result.written == 7
    with engine.connect() as conn:
        assert store.latest_values(conn)[("sample-2023.t1.5g", "2023-06")] == 1320
    assert (archive_dir / f"{report.sha256}.bin").read_bytes() == (DATA / "good.csv").read_bytes()


@pytest.mark.parametrize("file_name", ["good_gbk.csv", "good_bom.csv"])
def test_chinese_encodings_and_monthly_basis(engine, archive_dir, file_name):
    upload_file(engine, "good.csv", archive_dir)  # June: firms 累计 20
    report, result = upload_file(engine, file_name, archive_dir)
    assert report.ok, report.errors
    values = {(p.target_id, p.period): (p.value, p.basis) for p in report.parsed}
    assert values[("sample-2023.t1.5g", "2023-07")] == (1500, "累计")
    assert values[("sample-2023.t1.firms", "2023-07")] == (23, "当月")  # 20 by June + 3 in July


def test_monthly_basis_with_a_gap_names_the_missing_month(engine, archive_dir):
    report, _ = upload_file(engine, "good_gbk.csv", archive_dir)  # July 当月 with no June on record
    assert [(e.row, e.column) for e in report.errors] == [(3, "basis")]
    assert report.errors[0].code == "missing_previous" and report.errors[0].params == {"previous": "2023-06"}


def test_xlsx_with_unit_conversion(engine, archive_dir):
    report, result = upload_file(engine, "good.xlsx", archive_dir)
    assert report.ok, report.errors
    values = {p.target_id: p.value for p in report.parsed}
    assert values == {"sample-2023.t1.5g": 1700, "sample-2023.t2.water": 1.8}  # 18000万立方米 = 1.8亿立方米


def test_identical_reupload_changes_nothing_and_says_so(engine, archive_dir):
    first, _ = upload_file(engine, "good.csv", archive_dir)
    before = snapshot(engine)
    again, result = upload_file(engine, "good.csv", archive_dir)
    assert again.duplicate_of is not None and result.batch_id is None
    assert result.duplicate_of == first_batch(engine) and "完全相同" in result.message("zh")
    assert snapshot(engine) == before


def test_commit_writes_only_changed_values_and_lists_each_change(engine, archive_dir, tmp_path):
    report, first = upload_file(engine, "cumulative_decrease.csv", archive_dir)
    assert first.written == 2 and [(c.period, c.old, c.new) for c in first.changes] == [
        ("2023-05", None, 700.0), ("2023-06", None, 650.0)]
    revised = b"target_id,period,value\nsample-2023.t1.5g,2023-05,700\nsample-2023.t1.5g,2023-06,720\n"
    report = upload.validate_upload(engine, revised, "revised.csv")
    result = upload.commit_upload(engine, report, revised, "tester", archive_dir=archive_dir)
    assert (result.written, result.unchanged) == (1, 1)
    assert result.changes == [upload.Change("sample-2023.t1.5g", "2023-06", 650.0, 720.0)]
    with engine.connect() as conn:
        assert store.latest_values(conn, ["sample-2023.t1.5g"]) == {
            ("sample-2023.t1.5g", "2023-05"): 700.0, ("sample-2023.t1.5g", "2023-06"): 720.0}


def test_warnings_do_not_block(engine, archive_dir):
    report, result = upload_file(engine, "cumulative_decrease.csv", archive_dir)
    assert report.ok and result.written == 2
    assert [(w.row, w.column) for w in report.warnings] == [(3, "value")]
    assert report.warnings[0].code == "cumulative_decrease" and "小于上月" in report.warnings[0].message("zh")
    report, _ = upload_file(engine, "over_10x.csv", archive_dir)
    assert report.ok and [w.code for w in report.warnings] == ["over_10x"]
    assert "10 倍" in report.warnings[0].message("zh") and "10x" in report.warnings[0].message("en")


def test_retired_target_is_refused(engine, archive_dir, test_catalogue):
    test_catalogue.targets[:] = [t for t in test_catalogue.targets if t.id != "sample-2023.t1.5g"]
    assert store.sync_catalogue(engine, test_catalogue).targets_retired == 1
    before = snapshot(engine)
    report, _ = upload_file(engine, "unknown_id.csv".replace("unknown_id", "duplicate"), archive_dir)
    assert any((e.row, e.code) == (2, "retired_target") for e in report.errors)
    assert "已从目录中停用" in next(e for e in report.errors if e.code == "retired_target").message("zh")
    assert snapshot(engine) == before


def test_statistician_cannot_write_another_jurisdiction(engine, archive_dir):
    before = snapshot(engine)
    report, _ = upload_file(engine, "other_jurisdiction.csv", archive_dir, allowed_jurisdictions={"示例县"})
    assert [(e.row, e.column, e.code) for e in report.errors] == [(2, "target_id", "out_of_scope")]
    assert "不属于您负责的辖区" in report.errors[0].message("zh")
    assert snapshot(engine) == before


def test_file_over_the_size_limit_is_refused_before_parsing(engine, tmp_path):
    big = b"target_id,period,value\n" + b"sample-2023.t1.5g,2023-06,1\n" * 800_000  # ~22 MB, over the 20 MB default
    assert len(big) > upload.MAX_BYTES
    report = upload.validate_upload(engine, big, "big.csv")
    assert (report.errors[0].row, report.errors[0].code) == (0, "too_big")
    assert "文件过大" in report.errors[0].message("zh")


def test_failure_mid_commit_leaves_every_table_unchanged(engine, archive_dir):
    data = (DATA / "good.csv").read_bytes()
    report = upload.validate_upload(engine, data, "good.csv")
    before = snapshot(engine)

    def explode():
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError, match="power cut"):
        upload.commit_upload(engine, report, data, "tester", archive_dir=archive_dir, before_commit=explode)
    assert snapshot(engine) == before
    assert list(archive_dir.iterdir()) == []  # the archive file appears only with a committed batch


def test_dangerous_file_name_never_reaches_the_filesystem(engine, archive_dir):
    data = (DATA / "good.csv").read_bytes()
    report = upload.validate_upload(engine, data, "../../etc/passwd.csv")
    result = upload.commit_upload(engine, report, data, "tester", archive_dir=archive_dir)
    assert [p.name for p in archive_dir.iterdir()] == [f"{report.sha256}.bin"]
    assert store.batch_list(engine)[0].file_name == "passwd.csv"
    assert result.batch_id is not None


def test_template_lists_every_live_target_with_chinese_headers(engine):
    data = upload.template_csv(engine, "sample-2023", "2023-06")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["指标编号", "指标名称", "期间", "实际值", "单位", "口径", "备注"]
    with engine.connect() as conn:
        expected = {t for t in store.target_rows(conn) if t.startswith("sample-2023.")}
    assert {r[0] for r in rows[1:]} == expected
    assert all(r[2] == "2023-06" and r[3] == "" for r in rows[1:])
