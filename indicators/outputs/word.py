"""The Word briefing (python-docx): the plan's status, its laggards and the pack's charts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from indicators import catalogue as cat
from indicators import progress
from indicators.i18n import as_of_label, pick, status_label, t
from indicators.outputs import charts, style


# --- Word briefing ------------------------------------------------------------------------------------------------
def write_briefing(path: Path, plan: cat.Plan, images: Sequence[Path], infos, results, as_of: str, lang: str,
                   demo: bool = False, departments: cat.Departments | None = None) -> Path:
    """A .docx briefing: title, a generated summary paragraph, the overview charts, and a table of every target.

    ``departments``: the departments table, which names lead units in ``lang`` (without it they stay as written).

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
    title = pick(plan.title, plan.title_en, lang)
    for name in ("Heading 1", "Heading 2"):  # headings in the document's own type, not Word's default blue
        heading = document.styles[name]
        heading.font.name = style.FONT_NAME
        heading.font.color.rgb = RGBColor.from_string(style.INK[1:])
        heading.font.size = Pt(16 if name == "Heading 1" else 13)
        heading.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), style.FONT_NAME)
    # the title on one line: what and when; the plan's (long) name under it
    document.add_heading(t("chart_title_what", lang, what=t("summary", lang), month=as_of_label(as_of, lang)), level=1)
    document.add_paragraph(t("briefing.plan_with_doc", lang, title=title, doc=plan.doc_number))
    if demo:
        document.add_paragraph(t("demo_banner", lang))
    counts = progress.status_counts(results)
    group = progress.rollup(results, {r.target_id: ("all",) for r in results})
    mean = group[0].mean_completion if group else None
    names = {i.spec.id: pick(i.name, i.name_en, lang) for i in infos}
    parts = t("briefing.clause_sep", lang).join(
        t("briefing.count_part", lang, status=status_label(s, lang), n=n) for s, n in counts.items() if n)
    document.add_paragraph(t("briefing.summary", lang, total=len(results), month=as_of_label(as_of, lang),
                             parts=parts, mean="—" if mean is None else f"{mean:.1%}"))
    behind = progress.laggards(results)[:5]
    if behind:
        document.add_paragraph(t("briefing.furthest_behind", lang))
        for result in behind:
            explanation = pick(result.explanation_zh, result.explanation_en, lang)
            document.add_paragraph(t("briefing.laggard_line", lang, name=names[result.target_id],
                                     explanation=explanation), style="List Bullet")
    for image in images:
        document.add_picture(str(image), width=Cm(style.A4_TEXT_WIDTH_CM))
    document.add_heading(t("briefing.every_target", lang), level=2)
    headers = [t("name", lang), t("lead_units", lang), t("target", lang), t("expected", lang), t("actual", lang),
               t("completion", lang), t("attention.col_projected", lang), t("status", lang)]
    widths = [Cm(w) for w in (3.3, 2.6, 2.0, 1.8, 1.8, 1.4, 1.8, 1.3)]  # 16 cm: the A4 text width
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.autofit = False
    by_id = {i.spec.id: i for i in infos}
    labels = departments.labels(lang) if departments is not None else {}
    rows: list[tuple[list[str], str]] = []
    for result in results:
        info = by_id[result.target_id]
        spec = info.spec
        units = departments.keys(info.jurisdiction, info.lead_units) if departments is not None else info.lead_units
        rows.append(([names[result.target_id], t("briefing.list_sep", lang).join(labels.get(u, u) for u in units),
                      _target_cell(spec, lang),
                      "—" if result.expected is None else progress.format_amount(result.expected, spec.unit, lang=lang),
                      "—" if result.actual is None
                      else progress.format_amount(result.actual, spec.unit, whole=False, lang=lang),
                      "—" if result.completion is None else f"{result.completion:.1%}",
                      "—" if result.projected is None or result.finished
                      else progress.format_amount(result.projected, spec.unit, lang=lang),
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


def _target_cell(spec: progress.TargetSpec, lang: str) -> str:
    """The target in a table cell: its comparator as a sign before the amount (≥2,500个 / ≥2,500 items), 约 / ~ for
    an approximate one, both ends of a range."""
    if spec.comparator == "range" and spec.value_max is not None:
        return f"{progress.format_number(spec.value)}–" + progress.format_amount(spec.value_max, spec.unit, whole=False,
                                                                                 lang=lang)
    sign = t("briefing.comparator_approx", lang) if spec.comparator == "~" else \
        {">=": "≥", ">": ">", "<=": "≤", "<": "<"}.get(spec.comparator, "")
    return sign + progress.format_amount(spec.value, spec.unit, whole=False, lang=lang)
