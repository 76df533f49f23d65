"""The chart set built once (outputs/figures.py), the PowerPoint deck and the Word briefing's print size, with real
Chromium, the real CJK font, python-pptx and python-docx reading back what was written."""

from __future__ import annotations

import ast
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from indicators import catalogue as cat
from indicators import progress, store
from indicators.i18n import status_label
from indicators.outputs import figures, pack, slides, style
from indicators.progress import read_model
from indicators.progress.explain import explain

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "ingest"
EMU_PER_CM = 360_000


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_the_chart_set_never_queries_the_store():
    tree = ast.parse(Path(figures.__file__).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names}
    assert not any(m and ("store" in m or "sqlalchemy" in m) for m in imported) and "store" not in names
    calls = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)
             and isinstance(node.value, ast.Name) and node.value.id == "read_model"}
    assert calls <= {"TargetInfo", "rollups_by"}  # types and pure roll-ups; compute/series read the store


def test_the_chart_set_holds_the_briefing_in_order_and_builds_each_chart_once(demo_engine):
    engine, catalogue = demo_engine
    infos, results = read_model.compute(engine, "2023-06", ["sample-2023"])
    asked: list[str] = []

    def series(target_id: str) -> dict[str, float]:
        asked.append(target_id)
        return read_model.series(engine, target_id)

    charts = figures.ChartSet(catalogue, infos, results, "2023-06", "zh", ["sample-2023"], True, "slide", series)
    assert [c.key for c in charts.overview] == ["summary", "by_sector", "by_unit", "heatmap"]
    assert [c.key for c in charts.sectors] == [f"sector:{s}" for s in sorted({i.sector for i in infos})]
    behind = progress.laggards(results)
    assert behind, "the sample's June data has targets behind"
    assert [c.key for c in charts.targets] == [f"target:{r.target_id}" for r in behind]
    assert charts.briefing() == [*charts.overview, *charts.sectors, *charts.targets]
    assert charts.sectors[0].file.startswith("10_领域01_") and charts.targets[0].file.startswith("20_指标001_")
    for chart in charts.briefing():
        figure = charts.figure(chart.key)
        assert "截至2023年6月" in figure.layout.title.text
        assert charts.figure(chart.key) is figure  # built once, then kept
        assert any("示例数据" in (a.text or "") for a in figure.layout.annotations)  # source line with the mark
    assert asked == [r.target_id for r in behind]  # one series read per trajectory, no more
    every = figures.ChartSet(catalogue, infos, results, "2023-06", "en", ["sample-2023"], every_target=True)
    keys = [c.key.split(":", 1)[1] for c in every.targets]
    assert sorted(keys) == sorted(r.target_id for r in results)  # every target, those behind first
    assert keys[:len(behind)] == [r.target_id for r in behind]
    with pytest.raises(ValueError, match="series"):
        every.figure(every.targets[0].key)  # no values handed over: a clear refusal, never a store query


def test_the_pack_takes_its_charts_from_the_chart_set(demo_engine):
    engine, catalogue = demo_engine
    charts = pack.chart_set(engine, catalogue, "sample-2023", "2023-06", "zh", "slide")
    packed, _, _ = pack.plan_charts(engine, catalogue, "sample-2023", "2023-06", "zh", "slide")
    assert [p.file for p in packed] == [f"sample-2023/{c.file}" for c in charts.briefing()]


def _texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def test_the_powerpoint_deck(demo_engine, tmp_path):
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE
    from pptx.oxml.ns import qn

    engine, catalogue = demo_engine
    path = slides.build_deck(engine, "2023-06", tmp_path / "deck.pptx", ["sample-2023"], "zh", catalogue)
    deck = Presentation(str(path))
    assert deck.slide_width * 9 == deck.slide_height * 16  # 16:9 exactly
    infos, results = read_model.compute(engine, "2023-06", ["sample-2023"])
    behind = progress.laggards(results)
    sectors = {i.sector for i in infos}
    assert len(deck.slides) == 1 + 4 + len(sectors) + len(behind)
    plan = catalogue.plans["sample-2023"]
    title = "\n".join(_texts(deck.slides[0]))
    assert plan.title in title and plan.doc_number in title and "截至2023年6月" in title
    assert f"共跟踪量化指标{len(results)}项" in title
    for index, slide in enumerate(deck.slides):
        texts = "\n".join(_texts(slide))
        assert "目标来源：" + plan.doc_number in texts and "示例数据" in texts, f"slide {index + 1}"
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == (0 if index == 0 else 1), f"slide {index + 1}"
        for picture in pictures:
            assert png_size(picture.image.blob) == tuple(n * style.SCALE for n in style.SIZES["slide"])
            assert picture.width / picture.height == pytest.approx(16 / 9, abs=0.01)
            assert picture.left >= 0 and picture.left + picture.width <= deck.slide_width
            assert picture.top >= 0 and picture.top + picture.height <= deck.slide_height
        for shape in slide.shapes:  # Chinese set in the CJK font: every run names it for East Asian text
            if shape.has_text_frame:
                for paragraph in shape.text_frame.paragraphs:
                    for run in paragraph.runs:
                        ea = run._r.find(qn("a:rPr")).find(qn("a:ea"))
                        assert ea is not None and ea.get("typeface") == style.FONT_NAME
    names = {i.spec.id: i.name for i in infos}
    for slide, result in zip(list(deck.slides)[5 + len(sectors):], behind, strict=True):
        texts = "\n".join(_texts(slide))
        assert f"{names[result.target_id]}：{status_label(result.status, 'zh')}" in texts
        assert explain(result, "zh") in texts


def test_export_pptx_from_the_command_line(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    engine = store.make_engine(url)
    catalogue = cat.load()
    store.init_db(engine, catalogue)
    engine.dispose()
    env = {**os.environ, "DATABASE_URL": url, "INDICATORS_ARCHIVE_DIR": str(tmp_path / "archive")}
    out = tmp_path / "brief.pptx"
    run = subprocess.run([sys.executable, "-m", "indicators", "export", "--as-of", "2023-06", "--pptx", str(out),
                          "--plan", "wenchanghu-2023", "--lang", "en"], capture_output=True, text=True, env=env,
                         cwd=ROOT, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    from pptx import Presentation

    deck = Presentation(str(out))
    sectors = {t.sector for t in catalogue.targets if t.plan == "wenchanghu-2023"}
    assert len(deck.slides) == 1 + 4 + len(sectors)  # nothing reported: no laggards
    title = "\n".join(_texts(deck.slides[0]))
    assert catalogue.plans["wenchanghu-2023"].title_en in title and "as of Jun 2023" in title
    refused = subprocess.run([sys.executable, "-m", "indicators", "export", "--as-of", "2023-06"],
                             capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert refused.returncode == 2 and "--pptx" in refused.stderr


def test_word_charts_print_at_nine_points_or_more(demo_engine, tmp_path):
    """Each chart's smallest type, laid out at the A4 size and placed at its width in the document, prints at
    9 pt or more: font px / layout width px × printed width. Fails if the pictures shrink, the type shrinks, or
    the briefing embeds the slide-sized charts."""
    from docx import Document

    engine, catalogue = demo_engine
    out = tmp_path / "pack"
    pack.build_pack(engine, "2023-06", out, ["sample-2023"], "zh", "slide", docx=True, catalogue=catalogue)
    document = Document(str(out / "sample-2023_briefing_2023-06.docx"))
    a4 = pack.chart_set(engine, catalogue, "sample-2023", "2023-06", "zh", "a4")
    smallest = min(figures.min_font_px(a4.figure(c.key)) for c in a4.overview)
    shapes = list(document.inline_shapes)
    assert len(shapes) == len(a4.overview)
    for shape in shapes:
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        width_px, _ = png_size(document.part.related_parts[blip.embed].blob)
        layout_width = width_px / style.SCALE
        assert layout_width == style.SIZES["a4"][0]
        printed_cm = shape.width / EMU_PER_CM
        assert printed_cm <= 16.0 + 1e-6  # within the A4 text width
        points = style.print_points(smallest, layout_width, printed_cm)
        assert points >= style.MIN_PRINT_PT, f"chart text prints at {points:.1f} pt"
    # the same arithmetic says the slide charts would not do: the test can fail
    slide = pack.chart_set(engine, catalogue, "sample-2023", "2023-06", "zh", "slide")
    small = min(figures.min_font_px(slide.figure(c.key)) for c in slide.overview)
    assert style.print_points(small, style.SIZES["slide"][0], 16.0) < style.MIN_PRINT_PT


def test_min_font_px_sees_every_font_a_figure_sets():
    import plotly.graph_objects as go

    fig = go.Figure(go.Bar(x=[1], y=["a"], textfont={"size": 7}))
    fig.update_layout(font={"size": 16}, title={"text": "t", "font": {"size": 20}})
    assert figures.min_font_px(fig) == 7
    fig.update_traces(textfont={"size": 18})
    fig.update_layout(annotations=[{"text": "s", "font": {"size": 9}}])
    assert figures.min_font_px(fig) == 9
    assert figures.min_font_px(go.Figure()) == 12  # plotly's default where nothing is set


def test_trajectory_point_labels_do_not_run_together():
    from indicators.outputs import charts
    from indicators.progress import TargetSpec

    spec = TargetSpec("a", "level", ">=", 2000, "家", "2023-01", "2025-12", baseline=1400)
    values = {f"2023-{m:02d}": 1400 + 10 * m for m in range(1, 10)}
    fig = charts.trajectory(spec, values, charts.ChartContext("计划", "2023-09", size="slide"), "创新型中小企业")
    actual = next(trace for trace in fig.data if trace.mode == "lines+markers+text")
    shown = [text for text in actual.text if text]
    assert len(actual.text) == 9 and 1 < len(shown) <= 6 and actual.text[-1] == "1,490"
