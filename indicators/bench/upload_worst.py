"""`python -m indicators bench upload-worst`: hostile uploads, each validated (and committed when valid) in a fresh
process through the service, with its outcome, wall-clock time and peak memory (issue 14: ≤ 10 s and ≤ 500 MB each),
and a check that a refused file left nothing in the database or the archive."""

from __future__ import annotations

import io
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from indicators import catalogue as cat
from indicators import store
from indicators.bench.data import actuals_csv, synthetic_catalogue

_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _xlsx(sheet_chunks: Callable[[], object]) -> bytes:
    """A minimal workbook whose one sheet's XML is streamed from ``sheet_chunks()`` (an iterable of bytes)."""
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
        '+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
        'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="{pkg}"><Relationship Id="rId1" '
        f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook {_NS.decode()} xmlns:r="{rel}"><sheets><sheet name="S" '
        'sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0"?><Relationships xmlns="{pkg}"><Relationship Id="rId1" '
        f'Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for chunk in sheet_chunks():
                sheet.write(chunk)
    return out.getvalue()


def _cell(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def _header_row() -> bytes:
    return b'<row r="1">' + _cell("A1", "target_id") + _cell("B1", "period") + _cell("C1", "value") + b"</row>"


def xlsx_declaring_rows(declared: int = 4_000_000, every: int = 200) -> bytes:
    """~575 KB: a dimension of 4 million rows, a real row every ``every`` rows (openpyxl fills the gaps)."""
    def chunks():
        yield b'<?xml version="1.0"?><worksheet ' + _NS + b'><dimension ref="A1:C%d"/><sheetData>' % declared
        yield _header_row()
        for r in range(every, declared + 1, every):
            yield (b'<row r="%d">' % r + _cell(f"A{r}", f"t{r % 9973}") + _cell(f"B{r}", "2023-06")
                   + b'<c r="C%d"><v>%d</v></c></row>' % (r, r % 1000))
        yield b"</sheetData></worksheet>"
    return _xlsx(chunks)


def xlsx_random(size: int = 15 * 1024 * 1024) -> bytes:
    """~15 MB of rows of random ids that compress badly: far more rows than the row limit."""
    rng = random.Random(14)

    def chunks():
        yield b'<?xml version="1.0"?><worksheet ' + _NS + b"><sheetData>" + _header_row()
        for r in range(2, size // 39):  # ~39 compressed bytes a row
            yield (b'<row r="%d">' % r + _cell(f"A{r}", f"{rng.getrandbits(128):032x}") + _cell(f"B{r}", "2023-06")
                   + b'<c r="C%d"><v>%d</v></c></row>' % (r, rng.randrange(10**6)))
        yield b"</sheetData></worksheet>"
    return _xlsx(chunks)


def xlsx_zip_bomb(unpacked: int = 1024 * 1024 * 1024) -> bytes:
    """A sheet that unpacks to 1 GB (spaces in a comment), about 1 MB packed."""
    def chunks():
        yield b'<?xml version="1.0"?><worksheet ' + _NS + b"><!--"
        block = b" " * (1 << 20)
        for _ in range(unpacked >> 20):
            yield block
        yield b"--><sheetData/></worksheet>"
    return _xlsx(chunks)


def xlsx_billion_laughs() -> bytes:
    entities = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))

    def chunks():
        yield (f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY l0 "lol">{entities}]><worksheet {_NS.decode()}>'
               '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&l9;</t></is></c></row></sheetData>'
               "</worksheet>").encode()
    return _xlsx(chunks)


def csv_unknown_ids(rows: int = 20_000) -> bytes:
    """~729 KB: 20,000 distinct ids that are in no catalogue."""
    return ("target_id,period,value\n" + "".join(f"bench-000.t{i}.unknown-x,2023-06,{i}\n"
                                                 for i in range(rows))).encode()


CASES: dict[str, Callable[[cat.Catalogue], bytes]] = {
    "xlsx_declaring_4m_rows.xlsx": lambda _c: xlsx_declaring_rows(),
    "xlsx_random_15mb.xlsx": lambda _c: xlsx_random(),
    "xlsx_zip_bomb_1gb.xlsx": lambda _c: xlsx_zip_bomb(),
    "xlsx_billion_laughs.xlsx": lambda _c: xlsx_billion_laughs(),
    "csv_20000_unknown_ids.csv": lambda _c: csv_unknown_ids(),
    "csv_400_nines.csv": lambda c: f"target_id,period,value\n{c.targets[0].id},2023-06,{'9' * 400}\n".encode(),
    "csv_700000_rows.csv": lambda c: b"target_id,period,value\n" + f"{c.targets[0].id},2023-06,1\n".encode() * 700_000,
    "csv_21mb_over_size.csv": lambda c: b"target_id,period,value\n" + f"{c.targets[0].id},2023-06,1\n".encode() * 940_000,
    "csv_one_15mb_cell.csv": lambda c: b'target_id,period,value\n"' + b"9" * (15 * 1024 * 1024) + b'",2023-06,1\n',
    "csv_bom_then_gbk.csv": lambda c: b"\xef\xbb\xbf" + "指标编号,期间,实际值\n".encode("gbk"),
    "csv_100000_valid_rows.csv": lambda c: actuals_csv(c, 100_000),
}


def _measure(url: str, path: Path, archive: Path) -> dict:
    """In this (fresh) process: validate and, when valid, commit; outcome, seconds, peak memory."""
    from indicators import service

    engine = store.make_engine(url)
    data = path.read_bytes()
    start = time.perf_counter()
    actor = service.operator()
    report = service.validate(engine, actor, data, path.name)
    batch = service.commit(engine, actor, report, data, archive_dir=archive).batch_id if report.ok else None
    seconds = time.perf_counter() - start
    codes = sorted({issue.code for issue in report.errors})
    return {"codes": codes, "errors": len(report.errors), "first": report.errors[0].message("en")[:90] if
            report.errors else "", "batch": batch, "seconds": round(seconds, 2),
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def _counts(url: str) -> tuple[int, int]:
    engine = store.make_engine(url)
    with engine.connect() as conn:
        from sqlalchemy import func, select

        counts = (conn.execute(select(func.count()).select_from(store.batches)).scalar(),
                  conn.execute(select(func.count()).select_from(store.observations)).scalar())
    engine.dispose()
    return counts


def bench_upload_worst(url: str | None = None) -> list[str]:
    """Generate each hostile file, run it in a fresh process, and say what happened (one line per case)."""
    lines = [f"{'case':<28} {'size':>9} {'outcome':<34} {'s':>6} {'peak MB':>8}  nothing written/lost"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        url = url or f"sqlite:///{tmp_path / 'worst.sqlite'}"
        catalogue = synthetic_catalogue(jurisdictions=4, targets_per_jurisdiction=150)
        engine = store.make_engine(url)
        store.init_db(engine, catalogue)
        engine.dispose()
        for name, make in CASES.items():
            path = tmp_path / name
            path.write_bytes(make(catalogue))
            archive = tmp_path / "archive"
            before = _counts(url)
            child = subprocess.run([sys.executable, "-m", "indicators.bench.upload_worst", url, str(path), str(archive)],
                                   capture_output=True, text=True, timeout=900,
                                   cwd=Path(__file__).resolve().parents[2])  # `-m` finds the package from here
            if child.returncode != 0:
                lines.append(f"{name:<28} CRASHED: {child.stderr.strip().splitlines()[-1:]}")
                continue
            result = json.loads(child.stdout)
            after = _counts(url)
            archived = len(list(archive.glob("*.bin"))) if archive.exists() else 0
            if result["batch"] is None:
                clean = "yes" if after == before and archived == 0 else f"NO: {before}->{after}, archive {archived}"
                outcome = "refused: " + ",".join(result["codes"])
            else:
                clean = "committed" if after[0] == before[0] + 1 else "NO"
                outcome = f"accepted: batch {result['batch']}"
                for stale in archive.glob("*.bin"):
                    stale.unlink()  # the next case starts with an empty archive
            size = path.stat().st_size
            lines.append(f"{name:<28} {size / 1024:>7.0f}KB {outcome:<34} {result['seconds']:>6.2f} "
                         f"{result['peak_mb']:>8}  {clean}")
            path.unlink()
    return lines


if __name__ == "__main__":  # the child: python -m indicators.bench.upload_worst URL FILE ARCHIVE_DIR
    print(json.dumps(_measure(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))))
