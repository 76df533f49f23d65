"""Briefing export with real Chromium and the real CJK font: PNG sizes, font resolution, the pack, the Word briefing."""

from __future__ import annotations

import csv
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx.shared import RGBColor

from indicators import catalogue as cat
from indicators.outputs import charts, pack, png, style

DATA = Path(__file__).parent / "data" / "ingest"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_the_cjk_font_is_what_fontconfig_resolves_for_chart_titles():
    resolved = png.font_file_for(style.FONT_NAME)
    assert "NotoSansCJK" in resolved.replace(" ", ""), f"fontconfig falls back to {resolved!r}: Chinese would be boxes"
    assert style.FONT_NAME in style.FONT_FAMILY.split(",")[0]


@pytest.mark.parametrize("size", ["slide", "a4"])
def test_png_has_the_preset_size(size):
    fig = charts.status_bars([], {}, charts.ChartContext("聊城市指标", "2023-06", size=size), "分领域进展")
    width, height = style.SIZES[size]
    assert png_size(png.png_bytes(fig, size)) == (width * style.SCALE, height * style.SCALE)


def test_missing_font_is_a_clear_error_not_boxes(monkeypatch):
    monkeypatch.setattr(png, "font_file_for", lambda family=style.FONT_NAME: "/usr/share/fonts/DejaVuSans.ttf|DejaVu")
    with pytest.raises(png.ExportError) as info:
        png.check_environment()
    assert (info.value.code, info.value.params) == ("no_cjk_font", {"resolved": "/usr/share/fonts/DejaVuSans.ttf|DejaVu"})
    assert all("fonts-noto-cjk" in info.value.message(lang) for lang in ("zh", "en"))  # says what to install


def test_pack_writes_pngs_index_zip_and_a_word_briefing(sample_engine, tmp_path):
    engine, catalogue = sample_engine
    out = tmp_path / "pack"
    zip_path = pack.build_pack(engine, "2023-06", out, ["sample-2023"], "zh", "a4", docx=True, catalogue=catalogue)
    with (out / "index.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all(r["as_of"] == "2023-06" and r["plan"] == "sample-2023" for r in rows)
    assert all("截至2023年6月" in r["title"] for r in rows)
    files = {r["file"] for r in rows}
    # file names say what each chart is
    assert {"sample-2023/01_概况.png", "sample-2023/02_总览_按领域.png", "sample-2023/04_总览_领域状态分布.png"} <= files
    assert any(f.startswith("sample-2023/10_领域01_") for f in files)
    assert any(f.startswith("sample-2023/20_指标001_") for f in files)  # 1,320 of 1,200... growth 7.5 < 8: red ones
    for name in files:
        assert png_size((out / name).read_bytes()) == (1520, 1280)  # A4: 760 × 640 layout pixels, scale 2
    with zipfile.ZipFile(zip_path) as archive:
        assert set(files) | {"index.csv", "sample-2023_briefing_2023-06.docx"} <= set(archive.namelist())
    docx = out / "sample-2023_briefing_2023-06.docx"
    from docx import Document

    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "示例县2023年重点工作任务" in text and "截至2023年6月" in text


def _docx_tables(path) -> list[list[str]]:
    from docx import Document

    return [[cell.text for cell in row.cells] for table in Document(str(path)).tables for row in table.rows]


def test_word_briefing_shows_projections_and_a_finished_plans_verdicts(sample_engine, tmp_path):
    engine, catalogue = sample_engine
    pack.build_pack(engine, "2023-06", tmp_path / "june", ["sample-2023"], "zh", "slide", docx=True,
                    catalogue=catalogue)
    rows = _docx_tables(tmp_path / "june" / "sample-2023_briefing_2023-06.docx")
    header = rows[0]
    assert header[:2] == ["指标名称", "牵头单位"] and "按进度应完成" in header and header[-1] == "状态"
    projected = header.index("预计期末")
    from docx import Document

    document = Document(str(tmp_path / "june" / "sample-2023_briefing_2023-06.docx"))
    assert document.styles["Heading 1"].font.color.rgb == RGBColor.from_string(style.INK[1:])  # not Word's blue
    assert "\n" not in document.paragraphs[0].text and "截至2023年6月" in document.paragraphs[0].text
    fills = [c._tc.tcPr.xpath("./w:shd/@w:fill") for c in (row.cells[-1] for row in document.tables[0].rows[1:])]
    assert fills and all(f for f in fills)  # every status cell coloured, with its word written in it
    by_name = {r[0]: r for r in rows[1:]}
    assert any(r[projected] == "2,640个" for r in by_name.values())  # 1,320 by June: 2,640 at this pace
    # the same data read a year on: the plan is over, unmet targets are missed (never 滞后 again)
    pack.build_pack(engine, "2024-06", tmp_path / "later", ["sample-2023"], "zh", "slide", docx=True,
                    catalogue=catalogue)
    statuses = {r[-1] for r in _docx_tables(tmp_path / "later" / "sample-2023_briefing_2024-06.docx")[1:]}
    assert "逾期未完成" in statuses and "滞后" not in statuses and "正常" not in statuses


def test_word_briefing_opens_in_libreoffice(sample_engine, tmp_path):
    engine, catalogue = sample_engine
    soffice = shutil.which("libreoffice") or shutil.which("soffice")
    assert soffice, "LibreOffice is installed by `make test` (libreoffice-writer-nogui)"
    out = tmp_path / "pack"
    pack.build_pack(engine, "2023-06", out, ["sample-2023"], "en", "slide", docx=True, catalogue=catalogue)
    docx = out / "sample-2023_briefing_2023-06.docx"
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
                   check=True, capture_output=True, timeout=180, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    pdf = tmp_path / "sample-2023_briefing_2023-06.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10_000


def test_a_warm_renderer_draws_what_a_fresh_browser_draws_and_serves_threads(tmp_path):
    import threading

    ctx = charts.ChartContext("聊城市指标", "2023-06", size="slide")
    first = charts.status_bars([], {}, ctx, "分领域进展")
    second = charts.status_bars([], {}, ctx, "分单位进展")
    fresh = png.png_bytes(second)  # a browser started for this one chart
    renderer = png.Renderer(tabs=1)
    try:
        renderer.png(first)  # the one tab has drawn another chart and is not reloaded
        assert renderer.png(second) == fresh
        drawn = {}
        threads = [threading.Thread(target=lambda i=i: drawn.__setitem__(i, renderer.png(first))) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert drawn[0] == drawn[1] and png_size(drawn[0]) == (1600 * style.SCALE, 900 * style.SCALE)
        renderer.write([(first, tmp_path / "a.png"), (second, tmp_path / "b.png")])
        assert (tmp_path / "b.png").read_bytes() == fresh
    finally:
        renderer.close()
    assert not renderer.alive
    with pytest.raises(png.ExportError) as info:
        renderer.png(first)
    assert info.value.code == "renderer_closed"


def test_english_word_briefing_writes_english_units_and_department_names(sample_engine, tmp_path):
    import dataclasses
    import re

    engine, catalogue = sample_engine
    place = catalogue.plans["sample-2023"].jurisdiction
    written = sorted({unit for target in catalogue.targets for unit in target.lead_units})
    table = cat.Departments.of(cat.Department(id=f"d{i}", name=unit, short=unit, en=f"Department {i}",
                                              jurisdiction=place, written=[unit]) for i, unit in enumerate(written))
    catalogue = dataclasses.replace(catalogue, departments=table)  # the sample has no departments table of its own
    pack.build_pack(engine, "2023-06", tmp_path, ["sample-2023"], "en", "slide", docx=True, catalogue=catalogue)
    rows = _docx_tables(tmp_path / "sample-2023_briefing_2023-06.docx")
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for row in rows[1:]:  # name, lead departments, target, expected, actual, completion, projected, status
        assert re.fullmatch(r"Department \d+(; Department \d+)*", row[1]), row
        assert not any(cjk.search(cell) for cell in row[2:]), f"Chinese in the English briefing: {row}"
    assert any(re.search(r"\d items$", row[2]) for row in rows[1:])  # 个 -> items
