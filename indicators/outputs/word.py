"""The Word briefing (python-docx): the plan's status, its laggards and the pack's charts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from indicators import catalogue as cat
from indicators import progress
from indicators.i18n import as_of_label, status_label, t
from indicators.outputs import charts, style


# --- Word briefing ------------------------------------------------------------------------------------------------
def write_briefing(path: Path, plan: cat.Plan, images: Sequence[Path], infos, results, as_of: str, lang: str,
                   demo: bool = False) -> Path:
    """A .docx briefing: title, a generated summary paragraph, the overview charts, and a table of every target.

    ``images``: the overview charts as PNG drawn at the A4 size (style.SIZES["a4"]); each is placed across the page's
    text width, where its smallest type prints at style.MIN_PRINT_PT or more (tests/test_export.py measures it)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    normal = document.styles["Normal"]
    normal.font.name = style.FONT_NAME
    normal.font.size = Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), style.FONT_NAME)  # Word needs the East Asian font set apart
    zh = lang == "zh"
    title = plan.title if zh else plan.title_en
    for name in ("Heading 1", "Heading 2"):  # headings in the document's own type, not Word's default blue
        heading = document.styles[name]
        heading.font.name = style.FONT_NAME
        heading.font.color.rgb = RGBColor.from_string(style.INK[1:])
        heading.font.size = Pt(16 if name == "Heading 1" else 13)
        heading.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), style.FONT_NAME)
    # the title on one line: what and when; the plan's (long) name under it
    document.add_heading(t("chart_title_what", lang, what=t("summary", lang), month=as_of_label(as_of, lang)), level=1)
    document.add_paragraph(f"{title}（{plan.doc_number}）" if zh else f"{title} ({plan.doc_number})")
    if demo:
        document.add_paragraph(t("demo_banner", lang))
    counts = progress.status_counts(results)
    group = progress.rollup(results, {r.target_id: ("all",) for r in results})
    mean = group[0].mean_completion if group else None
    names = {i.spec.id: (i.name if zh else i.name_en) for i in infos}
    parts = "，".join(f"{status_label(s, lang)}{n}项" for s, n in counts.items() if n) if zh else \
        ", ".join(f"{n} {status_label(s, lang).lower()}" for s, n in counts.items() if n)
    mean_text = "—" if mean is None else f"{mean:.1%}"
    if zh:
        summary = f"本计划共跟踪量化指标{len(results)}项，{as_of_label(as_of, lang)}：{parts}；平均完成率{mean_text}。"
    else:
        summary = f"The plan has {len(results)} quantitative targets; {as_of_label(as_of, lang)}: {parts}; " \
                  f"mean completion {mean_text}."
    document.add_paragraph(summary)
    behind = progress.laggards(results)[:5]
    if behind:
        document.add_paragraph("进展最滞后的五项指标：" if zh else "The five targets furthest behind:")
        for result in behind:
            explanation = result.explanation_zh if zh else result.explanation_en
            document.add_paragraph(f"{names[result.target_id]}：{explanation}" if zh
                                   else f"{names[result.target_id]}: {explanation}", style="List Bullet")
    for image in images:
        document.add_picture(str(image), width=Cm(style.A4_TEXT_WIDTH_CM))
    document.add_heading("指标明细" if zh else "Every target", level=2)
    headers = [t("name", lang), t("lead_units", lang), t("target", lang), t("expected", lang), t("actual", lang),
               t("completion", lang), t("attention.col_projected", lang), t("status", lang)]
    widths = [Cm(w) for w in (3.3, 2.6, 2.0, 1.8, 1.8, 1.4, 1.8, 1.3)]  # 16 cm: the A4 text width
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.autofit = False
    by_id = {i.spec.id: i for i in infos}
    rows: list[tuple[list[str], str]] = []
    for result in results:
        info = by_id[result.target_id]
        spec = info.spec
        rows.append(([names[result.target_id], "、".join(info.lead_units) if zh else "; ".join(info.lead_units),
                      f"{_comparator_text(spec, zh)}{progress.format_number(spec.value)}{spec.unit}",
                      "—" if result.expected is None else progress.format_amount(result.expected, spec.unit),
                      "—" if result.actual is None else f"{progress.format_number(result.actual)}{spec.unit}",
                      "—" if result.completion is None else f"{result.completion:.1%}",
                      "—" if result.projected is None or result.finished
                      else progress.format_amount(result.projected, spec.unit),
                      status_label(result.status, lang)], result.status))
    for values, status in [(headers, None), *rows]:
        cells = table.rows[0].cells if status is None else table.add_row().cells
        for cell, text, width in zip(cells, values, widths, strict=True):
            cell.width = width
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(9)
                run.font.bold = status is None
        if status is not None:  # the status cell shaded in a light tint of its colour; the word is written in it
            _shade(cells[-1], style.tint(style.RAG.get(status, style.RAG["no_data"]), 0.35))
    document.add_paragraph(charts.ChartContext("", as_of, lang, (plan.doc_number,), demo).footer().replace("<br>", " "))
    document.save(path)
    return path


def _shade(cell, colour: str) -> None:
    """Fill a table cell with ``colour`` ('#RRGGBB'): python-docx has no API for it, so the w:shd element is set."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour[1:])
    cell._tc.get_or_add_tcPr().append(shading)


def _comparator_text(spec: progress.TargetSpec, zh: bool) -> str:
    if zh:
        return {">=": "≥", ">": ">", "<=": "≤", "<": "<", "~": "约", "range": ""}.get(spec.comparator, "")
    return {">=": "≥", ">": ">", "<=": "≤", "<": "<", "~": "~", "range": ""}.get(spec.comparator, "")
