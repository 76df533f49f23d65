"""The Word briefing (python-docx): the plan's status, its laggards and the pack's charts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from indicators import catalogue as cat
from indicators import progress
from indicators.i18n import as_of_label, status_label, t
from indicators.outputs import charts, style

if TYPE_CHECKING:  # pack imports this module to write the briefing
    from indicators.outputs.pack import PackChart


# --- Word briefing ------------------------------------------------------------------------------------------------
def write_briefing(path: Path, plan: cat.Plan, pack: Sequence[PackChart], infos, results, as_of: str, lang: str,
                   png_dir: Path, demo: bool = False) -> Path:
    """A .docx briefing: title, a generated summary paragraph, the overview charts, and a table of every target."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    normal = document.styles["Normal"]
    normal.font.name = style.FONT_NAME
    normal.font.size = Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), style.FONT_NAME)  # Word needs the East Asian font set apart
    zh = lang == "zh"
    title = plan.title if zh else plan.title_en
    document.add_heading(f"{title}\n{t('summary', lang)}（{as_of_label(as_of, lang)}）" if zh
                         else f"{title}\n{t('summary', lang)} ({as_of_label(as_of, lang)})", level=1)
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
    for chart in pack[:4]:
        document.add_picture(str(png_dir / chart.file), width=Cm(16))
    document.add_heading("指标明细" if zh else "Every target", level=2)
    table = document.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    headers = [t("name", lang), t("target", lang), t("actual", lang), t("completion", lang),
               t("attention.col_projected", lang), t("status", lang)]
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
    by_id = {i.spec.id: i for i in infos}
    for result in results:
        spec = by_id[result.target_id].spec
        row = table.add_row().cells
        row[0].text = names[result.target_id]
        row[1].text = f"{_comparator_text(spec, zh)}{progress.format_number(spec.value)}{spec.unit}"
        row[2].text = "—" if result.actual is None else f"{progress.format_number(result.actual)}{spec.unit}"
        row[3].text = "—" if result.completion is None else f"{result.completion:.1%}"
        row[4].text = "—" if result.projected is None or result.finished else progress.format_amount(result.projected,
                                                                                                    spec.unit)
        row[5].text = status_label(result.status, lang)
    document.add_paragraph(charts.ChartContext("", as_of, lang, (plan.doc_number,), demo).footer())
    document.save(path)
    return path


def _comparator_text(spec: progress.TargetSpec, zh: bool) -> str:
    if zh:
        return {">=": "≥", ">": ">", "<=": "≤", "<": "<", "~": "约", "range": ""}.get(spec.comparator, "")
    return {">=": "≥", ">": ">", "<=": "≤", "<": "<", "~": "~", "range": ""}.get(spec.comparator, "")
