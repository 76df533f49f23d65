"""The column-wise fast path (plain_rows) gives exactly the reference validator's report, or declines.

Hypothesis writes CSV files from cells that are plain and cells that are not (unknown, retired and foreign ids,
months in every spelling and out of range, values with 万, %, full-width digits, commas, blanks and negatives, units
that convert or do not, 当月, notes with commas and spaces, blank and short lines, BOMs and CRLFs). For every file
the report of ``validate_upload`` (fast path first) must equal the row-by-row reference (``column_wise=False``); for
files drawn only from plain cells, the fast path must also be the one that answered.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators import catalogue as cat
from indicators import store, upload
from indicators.upload import plain
from indicators.upload.lookup import StoreLookup

INGEST = Path(__file__).parent / "data" / "ingest"
RETIRED = "sample-2023.t1.firms"
LIVE = ["sample-2023.t1.5g", "sample-2023.t2.water", "sample-2023.t3.hitech", "sample-2023.t3.growth",
        "sample-2023.t3.sewage", "other-2023-2025.t1.graduates", "other-2023-2025.t1.forest"]
UNIT_OF = {target.id: target.unit for target in cat.load(INGEST / "targets.yaml", None).targets}
SAMPLE_MONTHS = [f"2023-{m:02d}" for m in range(1, 13)]
HEADERS = {
    "en": {"target_id": "target_id", "period": "period", "value": "value", "unit": "unit", "basis": "basis",
           "note": "note", "name": "name"},
    "zh": {"target_id": "指标编号", "period": "期间", "value": "实际值", "unit": "单位", "basis": "口径", "note": "备注",
           "name": "指标名称"},
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """SQLite store of the test catalogue with some stored values and one retired target (only read by the tests)."""
    tmp = tmp_path_factory.mktemp("plain")
    engine = store.make_engine(f"sqlite:///{tmp / 'plain.sqlite'}")
    catalogue = cat.load(INGEST / "targets.yaml", None)
    store.init_db(engine, catalogue)
    stored = ("target_id,period,value\n"
              f"{RETIRED},2023-01,3\n"
              "sample-2023.t1.5g,2023-01,100\nsample-2023.t1.5g,2023-02,250\n"
              "other-2023-2025.t1.forest,2023-01,900\nsample-2023.t3.growth,2023-01,4\n").encode()
    report = upload.validate_upload(engine, stored, "stored.csv", column_wise=False)
    assert report.ok, report.errors
    upload.commit_upload(engine, report, stored, "tester", archive_dir=tmp / "archive")
    catalogue.targets[:] = [t for t in catalogue.targets if t.id != RETIRED]
    assert store.sync_catalogue(engine, catalogue).targets_retired == 1
    yield engine
    engine.dispose()


plain_values = st.one_of(
    st.integers(min_value=0, max_value=10**7).map(str),
    st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False).map(str),
    st.sampled_from(["", "0", "12.5", "1300", "13000", "99999", "0.001"]),
)
odd_values = st.sampled_from(["-3", "-0", "-12.5", "1.32万", "18%", "１２", "1,320", "abc", " 12 ", "1e3", "+5",
                              "2亿", "12 个", "٣"])
any_values = st.one_of(plain_values, odd_values)
# Values not written as plain decimals that every target takes: the column-wise path reads these one by one.
valid_odd_values = st.sampled_from(["1,320", "1,234.50", "+5", "１２", " 12 ", "1.32万", "2亿", "０.５", "3.0万"])
plain_units = st.sampled_from(["", "个", "亿立方米", "万立方米", "家", "%", "人", "亩", "万人", "公顷"])
odd_units = st.sampled_from(["家伙", "kg", " 个 ", "平方米", "万个", "个个", "%", "亩"])
any_units = st.one_of(plain_units, odd_units)
plain_periods = st.sampled_from(SAMPLE_MONTHS + ["2023/6", "2023年7月", "202308", "2023-9", "2023.10"])
odd_periods = st.sampled_from(
    ["2022-12", "2024-01", "2025-12", "2026-01", "2023-13", "abc", "", " 2023-05 ", "２０２３-０５", "2023-05-01"])
any_periods = st.one_of(plain_periods, odd_periods)
plain_ids = st.sampled_from(LIVE)
odd_ids = st.sampled_from(
    [RETIRED, "sample-2023.t9", "", " sample-2023.t1.5g", "sample-2023.t1.5G", "ｓａｍｐｌｅ-2023.t1.5g", *LIVE])
any_ids = st.one_of(plain_ids, odd_ids)
plain_bases = st.sampled_from(["", "累计", "cumulative", "CUMULATIVE"])
odd_bases = st.sampled_from(["当月", "monthly", "本月", "x"])
any_bases = st.one_of(plain_bases, odd_bases)
notes = st.sampled_from(["", "备注", " 有空格 ", "ok", "a,b", "说\"明\"", "　全角空格"])


def rows(ids, periods, values, units, bases):
    return st.fixed_dictionaries({"target_id": ids, "period": periods, "value": values, "unit": units,
                                  "basis": bases, "note": notes, "name": st.just("名称")})


# One odd cell: ids include live ones (a duplicate key), units other targets' (no conversion).
ODD_CELLS = {"target_id": odd_ids, "period": odd_periods, "value": odd_values, "unit": odd_units, "basis": odd_bases,
             "note": notes}


@st.composite
def csv_files(draw, mode: str) -> bytes:
    """A CSV upload in some header spelling and column order.

    mode "plain": plain rows only; "odd_values": plain rows, some of whose values are written as a person or Excel
    writes them ("1,234.50" quoted, "1.32万", full-width digits) but valid; "one_odd": plain rows but for one cell or
    one line (blank, short or long); "any": every cell drawn from plain and odd ones.
    """
    optional = draw(st.lists(st.sampled_from(["unit", "basis", "note", "name"]), unique=True))
    columns = draw(st.permutations(["target_id", "period", "value", *optional]))
    header = [HEADERS[draw(st.sampled_from(["en", "zh"]))][c] for c in columns]
    if mode == "any":
        records = draw(st.lists(rows(any_ids, any_periods, any_values, any_units, any_bases), min_size=0, max_size=25))
    else:
        records = draw(st.lists(rows(plain_ids, plain_periods, plain_values, plain_units, plain_bases),
                                min_size=1, max_size=25))
        seen, unique = set(), []
        for record in records:  # a month spelt two ways is still one month: one row per target and month
            key = (record["target_id"], upload.parse_period(record["period"]))
            if key not in seen:
                seen.add(key)
                unique.append(record)
        records = unique
        for record in records:  # units the target's own, or none, so that every row converts
            record["unit"] = "" if not record["unit"] else UNIT_OF[record["target_id"]]
            record["note"] = record["note"].replace(",", "").replace("\"", "")  # nothing to quote
        if mode == "odd_values":
            for record in draw(st.lists(st.sampled_from(records), max_size=4)):
                record["value"] = draw(valid_odd_values)
        if mode in ("plain", "odd_values") and all(record["value"] == "" for record in records):
            records[0]["value"] = "1"  # a file of blanks only has nothing to commit: the reference refuses it
    lines = [[record[c] for c in columns] for record in records]
    if mode == "one_odd" and draw(st.integers(0, 2)):
        column = draw(st.sampled_from([c for c in columns if c in ODD_CELLS]))
        lines[draw(st.integers(0, len(lines) - 1))][columns.index(column)] = draw(ODD_CELLS[column])
    elif mode not in ("plain", "odd_values"):
        for _ in range(draw(st.integers(0 if mode == "any" else 1, 2 if mode == "any" else 1))):
            odd = draw(st.sampled_from([[], [""] * len(columns), ["  "] * len(columns), lines[0][:-1] if lines else [],
                                        (lines[0] + ["extra"]) if lines else []]))
            lines.insert(draw(st.integers(0, len(lines))), odd)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=draw(st.sampled_from(["\r\n", "\n"]))).writerows([header, *lines])
    return draw(st.sampled_from(["", "\ufeff"])).encode() + buffer.getvalue().encode("utf-8")



def both_reports(engine, data: bytes, allowed: set[str] | None = None):
    fast = upload.validate_upload(engine, data, "upload.csv", allowed)
    reference = upload.validate_upload(engine, data, "upload.csv", allowed, column_wise=False)
    return fast, reference


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(csv_files("any"), csv_files("one_odd")), allowed=st.sampled_from([None, {"示例县"}, {"另一区"}]))
def test_any_file_gets_the_reference_report(engine, data, allowed):
    fast, reference = both_reports(engine, data, allowed)
    assert fast == reference  # Issues compare by code, row, column and parameters
    for issue in reference.errors + reference.warnings:  # every problem has a known code and a sentence in each language
        assert issue.code in upload.CODES and issue.message("zh") and issue.message("en")
        assert "{" not in issue.message("zh") and json.dumps(issue.as_dict("en"))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(csv_files("plain"), csv_files("odd_values")))
def test_plain_file_is_answered_by_the_fast_path_with_the_reference_report(engine, data):
    """Plain files, and plain files with a few values written otherwise ("1,234.50", 1.2万): column-wise."""
    with engine.connect() as conn:
        answer = plain.validate_plain(data, StoreLookup(conn), None)
    assert answer is not None
    fast, reference = both_reports(engine, data)
    assert reference.ok and fast == reference


@pytest.mark.parametrize(
    ("text", "value_raw", "value"),
    [
        ('target_id,period,value,note\nsample-2023.t1.5g,2023-01,5,"a,b"\n', "5", 5.0),
        ('target_id,period,value\nsample-2023.t1.5g,2023-01,"1,234.50"\n', "1,234.50", 1234.5),
        ('"target_id","period","value"\r\n"sample-2023.t1.5g","2023-01",""\r\n"sample-2023.t1.5g","2023-02","7"\r\n',
         "7", 7.0),
        ("target_id,period,value\nsample-2023.t1.5g,2023-03,1.2万\n", "1.2万", 12000.0),
        ("target_id,period,value\nsample-2023.t1.5g,2023-03,１２\n", "12", 12.0),
        ("target_id,period,value\nsample-2023.t1.5g,2023-03, 12 \n", "12", 12.0),
        ("target_id,period,value,unit\nsample-2023.t2.water,2023-03,0.5万,亿立方米\n", "0.5万", 5000.0),
        ("target_id,period,value,unit\nsample-2023.t2.water,2023-03,5000,万立方米\n", "5000", 0.5),
    ],
)
def test_quoted_cells_and_values_written_otherwise_are_read_column_wise(engine, text, value_raw, value):
    with engine.connect() as conn:
        answer = plain.validate_plain(text.encode(), StoreLookup(conn), None)
    assert answer is not None
    assert [(p.value_raw, p.value) for p in answer.parsed] == [(value_raw, value)]
    fast, reference = both_reports(engine, text.encode())
    assert reference.ok and fast == reference


@pytest.mark.parametrize(
    ("text", "allowed", "why"),
    [
        ('target_id,period,value,note\nsample-2023.t1.5g,2023-01,5,"说""明"\n', None, "a quote inside a quoted cell"),
        ('target_id,period,value,note\nsample-2023.t1.5g,2023-01,5,"两\n行"\n', None, "a line break inside a cell"),
        ('target_id,period,value,note\nsample-2023.t1.5g,2023-01,5,"a" b\n', None, "text beside the quotes"),
        ("target_id,period,value\nsample-2023.t1.5g,2023-03,  \n", None, "a value of spaces (blank)"),
        ("target_id,period,value\nsample-2023.t1.5g,2023-03,abc\n", None, "a value that is no number"),
        ("target_id,period,value\nsample-2023.t1.5g,2023-03,18%\n", None, "a percentage of a count"),
        ("target_id,period,value,unit\nsample-2023.t1.5g,2023-03,12%,个\n", None, "a value's unit against the cell's"),
        ("target_id,period,value\nsample-2023.t1.5g,2023-03,-1.2万\n", None, "a negative count written otherwise"),
        ("target_id;period;value\nsample-2023.t1.5g;2023-01;5\n", None, "another delimiter"),
        ("target_id,period,value\nsample-2023.t1.5g,2023-01\n", None, "a short row"),
        ("target_id,period,value\nsample-2023.t1.5g,2023-01,5,6\n", None, "a long row"),
        ("target_id,period,value\n  ,  ,  \nsample-2023.t1.5g,2023-01,5\n", None, "a line of spaces"),
        ("target_id,period,value\nsample-2023.t1.5g,2023-01,5\nsample-2023.t1.5g,2023/1,6\n", None, "a month twice"),
        ("target_id,period,value\nsample-2023.t1.5g,2023-13,5\n", None, "not a month"),
        ("target_id,period,value\nsample-2023.t1.5g,2024-01,5\n", None, "a month after the plan"),
        ("target_id,period,value,basis\nsample-2023.t1.5g,2023-03,5,当月\n", None, "a monthly value"),
        ("target_id,period,value\nsample-2023.t1.5g,2023-03,-5\n", None, "a negative count"),
        ("target_id,period,value,unit\nsample-2023.t1.5g,2023-03,5,亩\n", None, "a unit of another dimension"),
        ("target_id,period,value,unit\nsample-2023.t1.5g,2023-03,5,家伙\n", None, "a unit pint cannot read"),
        ("target_id,period,value\n sample-2023.t1.5g,2023-03,5\n", None, "an id with a space"),
        ("target_id,period,value\nsample-2023.t9,2023-03,5\n", None, "an unknown id"),
        (f"target_id,period,value\n{RETIRED},2023-03,5\n", None, "a retired target"),
        ("target_id,period,value\nsample-2023.t1.5g,2023-03,5\n", {"另一区"}, "another jurisdiction's target"),
    ],
)
def test_fast_path_declines_what_is_not_plain(engine, text, allowed, why):
    with engine.connect() as conn:
        answer = plain.validate_plain(text.encode(), StoreLookup(conn), allowed)
    assert answer is None, why
    fast, reference = both_reports(engine, text.encode(), allowed)
    assert fast == reference


def test_blank_lines_keep_the_line_numbers_of_the_file(engine):
    data = (INGEST / "blank_lines.csv").read_bytes()
    fast, reference = both_reports(engine, data)
    assert fast == reference
    assert [(p.row, p.target_id) for p in fast.parsed] == [
        (2, "sample-2023.t1.5g"), (4, "sample-2023.t2.water"), (6, "sample-2023.t1.5g")]
    assert [(w.row, w.column) for w in fast.warnings] == [(6, "value")]  # 10x the 1200 target, line 6 of the file


@settings(max_examples=300)
@given(st.lists(st.from_regex(r"-?[0-9]{1,25}(\.[0-9]{1,25})?", fullmatch=True), min_size=1, max_size=40))
def test_arrow_reads_a_plain_number_exactly_as_float_does(texts):
    """The fast path casts the value column in Arrow; the reference calls float(). Same double, sign included."""
    assert all(upload.is_plain_number(text) for text in texts)
    assert list(map(repr, pc.cast(pa.array(texts), pa.float64()).to_pylist())) == list(map(repr, map(float, texts)))


def test_a_file_of_blank_values_has_nothing_to_commit(engine):
    data = b"target_id,period,value\nsample-2023.t1.5g,2023-01,\nsample-2023.t2.water,2023-01,\n"
    fast, reference = both_reports(engine, data, None)
    assert fast == reference and [(e.row, e.code) for e in fast.errors] == [(0, "nothing_to_commit")]
    assert fast.rows_skipped == 2
