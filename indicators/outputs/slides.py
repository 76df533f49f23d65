"""The PowerPoint briefing deck (python-pptx), 16:9: per plan a title slide, the overview charts, one slide per
sector and one per laggard with its explanation; the source line (and 示例数据 on demo data) on every slide.

The charts are the chart set's (outputs/figures.py) drawn at the slide size; text on the slides is set in the CJK
font for East Asian text too (PowerPoint otherwise picks a Latin font and Chinese falls back to whatever is there).
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from indicators import catalogue as cat
from indicators import progress
from indicators.i18n import as_of_label, pick, status_label, t
from indicators.outputs import figures, style
from indicators.outputs.png import Renderer, check_environment, drawing_with, write_pngs
from indicators.progress.explain import format_amount

SLIDE_EMU = (12_192_000, 6_858_000)  # PowerPoint's own 16:9 (13.333 × 7.5 inches), exactly
SLIDE_W_IN, SLIDE_H_IN = SLIDE_EMU[0] / 914_400, SLIDE_EMU[1] / 914_400
MARGIN_IN = 0.4
FOOTER_H_IN = 0.5


@dataclass
class PlanDeck:
    """One plan's part of the deck: its chart set and the PNG of each chart drawn (key -> file)."""

    plan: cat.Plan
    charts: figures.ChartSet
    images: dict[str, Path]


def _font(run, size_pt: float, bold: bool = False, colour: str = style.INK) -> None:
    """Set a run's size, weight, colour and its Latin and East Asian typeface (a:latin and a:ea)."""
    from pptx.dml.color import RGBColor
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    font = run.font
    font.size = Pt(size_pt)
    font.bold = bold
    font.name = style.FONT_NAME  # a:latin
    font.color.rgb = RGBColor.from_string(colour[1:])
    rpr = run._r.get_or_add_rPr()
    for tag in ("a:ea", "a:cs"):
        element = rpr.find(qn(tag))
        if element is None:
            element = rpr.makeelement(qn(tag), {})
            rpr.find(qn("a:latin" if tag == "a:ea" else "a:ea")).addnext(element)  # schema order: latin, ea, cs
        element.set("typeface", style.FONT_NAME)


def _text(slide, left: float, top: float, width: float, height: float, lines: Sequence[tuple[str, float, bool, str]],
          name: str = "") -> None:
    """A text box (inches) of paragraphs (text, size pt, bold, colour), wrapping within its width."""
    from pptx.util import Inches, Pt

    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    if name:
        box.name = name
    frame = box.text_frame
    frame.word_wrap = True
    for index, (text, size_pt, bold, colour) in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(size_pt * 0.4)
        _font(_run(paragraph, text), size_pt, bold, colour)


def _run(paragraph, text: str):
    run = paragraph.add_run()
    run.text = text
    return run


def _footer(slide, deck: PlanDeck) -> None:
    """The source line on every slide, with the demo mark on demo data."""
    ctx = deck.charts.context
    source = ctx.footer().replace("<br>", " ")
    lines = [(source, 11, False, style.MUTED)]
    _text(slide, MARGIN_IN, SLIDE_H_IN - FOOTER_H_IN, SLIDE_W_IN - 2 * MARGIN_IN - (2.2 if ctx.demo else 0),
          FOOTER_H_IN, lines, "source")
    if ctx.demo:
        _text(slide, SLIDE_W_IN - MARGIN_IN - 2.1, SLIDE_H_IN - FOOTER_H_IN, 2.1, FOOTER_H_IN,
              [(t("slides.demo_mark", ctx.lang), 12, True, style.RAG["red"])], "demo_mark")


def _picture(slide, image: Path, left: float, top: float, width: float, height: float) -> None:
    """The chart, as large as fits the box while keeping its 16:9 shape, centred in it."""
    from pptx.util import Inches

    ratio = style.SIZES["slide"][0] / style.SIZES["slide"][1]
    w, h = (width, width / ratio) if width / ratio <= height else (height * ratio, height)
    slide.shapes.add_picture(str(image), Inches(left + (width - w) / 2), Inches(top + (height - h) / 2),
                             Inches(w), Inches(h))


def _title_slide(prs, deck: PlanDeck) -> None:
    charts, lang = deck.charts, deck.charts.lang
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    counts = progress.status_counts(charts.results)
    parts = t("briefing.clause_sep", lang).join(f"{status_label(s, lang)} {n}" for s, n in counts.items() if n)
    lines = [(t("slides.briefing", lang), 36, True, style.INK),
             (pick(deck.plan.title, deck.plan.title_en, lang), 24, False, style.INK),
             (deck.plan.doc_number, 16, False, style.MUTED),
             (t("slides.as_of", lang, month=as_of_label(charts.as_of, lang)), 20, True, style.INK),
             (t("slides.counts", lang, total=len(charts.results), parts=parts), 16, False, style.INK)]
    _text(slide, 0.9, 1.5, SLIDE_W_IN - 1.8, 4.5, lines, "title")
    _footer(slide, deck)


def _chart_slide(prs, deck: PlanDeck, key: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _picture(slide, deck.images[key], MARGIN_IN, 0.2, SLIDE_W_IN - 2 * MARGIN_IN, SLIDE_H_IN - FOOTER_H_IN - 0.3)
    _footer(slide, deck)


def _laggard_slide(prs, deck: PlanDeck, result: progress.Progress, key: str) -> None:
    charts, lang = deck.charts, deck.charts.lang
    info = charts.by_id[result.target_id]
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    status = status_label(result.status, lang)
    _text(slide, MARGIN_IN, 0.25, SLIDE_W_IN - 2 * MARGIN_IN, 0.8,
          [(t("slides.laggard_title", lang, name=charts.names[result.target_id], status=status), 24, True,
            style.RAG.get(result.status, style.INK))], "laggard_title")
    side = 4.1  # the explanation column on the right
    _picture(slide, deck.images[key], MARGIN_IN, 1.1, SLIDE_W_IN - 2 * MARGIN_IN - side - 0.2,
             SLIDE_H_IN - FOOTER_H_IN - 1.3)
    unit = result.spec.unit if result.spec else ""
    facts = t("slides.facts", lang,
              actual="—" if result.actual is None else format_amount(result.actual, unit, whole=False, lang=lang),
              expected="—" if result.expected is None else format_amount(result.expected, unit, lang=lang),
              completion="—" if result.completion is None else f"{result.completion:.1%}")
    table = charts.catalogue.departments  # the lead departments by their names in the deck's language
    labels = table.labels(lang)
    units = t("briefing.list_sep", lang).join(labels.get(k, k) for k in table.keys(info.jurisdiction,
                                                                                     info.lead_units)) or "—"
    lines = [(t("slides.why", lang), 16, True, style.INK), (charts.explanation(result.target_id), 16, False, style.INK),
             (facts, 14, False, style.INK), (t("slides.lead", lang, units=units), 14, False, style.MUTED)]
    if result.projected is not None and not result.finished:
        lines.append((t("slides.projected", lang, projected=format_amount(result.projected, unit, lang=lang)), 14, False,
                      style.MUTED))
    _text(slide, SLIDE_W_IN - MARGIN_IN - side, 1.2, side, SLIDE_H_IN - FOOTER_H_IN - 1.4, lines, "explanation")
    _footer(slide, deck)


def write_deck(path: Path, decks: Sequence[PlanDeck]) -> Path:
    """Write the .pptx: for each plan its title slide, overview charts, sector charts and laggards, in that order."""
    from pptx import Presentation
    from pptx.util import Emu

    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(SLIDE_EMU[0]), Emu(SLIDE_EMU[1])
    for deck in decks:
        _title_slide(prs, deck)
        for chart in [*deck.charts.overview, *deck.charts.sectors]:
            _chart_slide(prs, deck, chart.key)
        for result in deck.charts.laggards:
            _laggard_slide(prs, deck, result, f"target:{result.target_id}")
    prs.save(str(path))
    return Path(path)


def build_deck(engine, as_of: str, path: Path, plan_ids: Sequence[str] | None = None, lang: str = "zh",
               catalogue: cat.Catalogue | None = None, renderer: Renderer | None = None) -> Path:
    """Compute each plan's status, draw its chart set at the slide size and write the deck to ``path``."""
    from indicators.outputs.pack import chart_set  # the store side of a chart set lives with the pack

    check_environment()
    catalogue = catalogue or cat.load()
    plan_ids = list(plan_ids or catalogue.plans)
    with tempfile.TemporaryDirectory() as scratch, drawing_with(renderer) as renderer:
        decks, items = [], []
        for plan_id in plan_ids:
            charts = chart_set(engine, catalogue, plan_id, as_of, lang, "slide")
            images = {}
            for index, chart in enumerate(charts.briefing()):
                images[chart.key] = Path(scratch) / f"{plan_id}_{index:04d}.png"
                items.append((charts.figure(chart.key), images[chart.key]))
            decks.append(PlanDeck(catalogue.plans[plan_id], charts, images))
        write_pngs(items, "slide", renderer)
        return write_deck(Path(path), decks)
