"""Briefing export: PNG charts through kaleido and Debian's Chromium, a one-click pack, and a Word briefing.

One warm browser renders a whole pack (kaleido's write_fig_from_object over a list), never one browser per chart.
Before rendering, the environment is checked: without Chromium or the Noto Sans CJK font, Chinese would come out as
boxes, so we refuse with a message that says what to install instead.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go

from indicators import catalogue as cat
from indicators import charts, progress, status, store, style
from indicators.i18n import as_of_label, status_label, t

RENDER_TABS = 2


class ExportError(RuntimeError):
    """PNG export cannot work here; the message says what to install."""


def font_file_for(family: str = style.FONT_NAME) -> str:
    """The font file fontconfig resolves for ``family`` (fc-match), '' if fontconfig is missing."""
    if shutil.which("fc-match") is None:
        return ""
    out = subprocess.run(["fc-match", "-f", "%{file}|%{family}", family], capture_output=True, text=True, timeout=30)
    return out.stdout.strip()


def check_environment() -> None:
    """Raise ExportError unless Chromium and a CJK font are there (Chinese would otherwise render as boxes)."""
    if not any(shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")):
        raise ExportError("找不到 Chromium 浏览器，无法导出图片。请安装：apt-get install chromium / "
                          "Chromium is missing: install it with `apt-get install chromium` (or run `make run`).")
    resolved = font_file_for()
    if "NotoSansCJK" not in resolved.replace(" ", "") and "Noto Sans CJK" not in resolved:
        raise ExportError("找不到中文字体 Noto Sans CJK，导出的中文会显示为方框。请安装：apt-get install fonts-noto-cjk / "
                          f"the CJK font is missing (fontconfig resolves it to {resolved or 'nothing'}): "
                          "install it with `apt-get install fonts-noto-cjk`.")


def _opts(size: str) -> dict:
    width, height = style.SIZES[size]
    return {"format": "png", "width": width, "height": height, "scale": style.SCALE}


def png_bytes(fig: go.Figure, size: str = "slide") -> bytes:
    """One chart as PNG bytes (starts a browser: use write_pngs for several)."""
    import kaleido

    check_environment()
    return kaleido.calc_fig_sync(fig, opts=_opts(size))


def write_pngs(items: Sequence[tuple[go.Figure, Path]], size: str = "slide") -> None:
    """Render many charts with one browser: the whole list goes to one kaleido session."""
    import kaleido

    check_environment()
    # two tabs of the one browser: the machine has two cores, and a tab waits on plotly.js layout most of the time
    kaleido.write_fig_from_object_sync([{"fig": fig, "path": str(path), "opts": _opts(size)} for fig, path in items],
                                       kopts={"n": RENDER_TABS})


# --- the pack -----------------------------------------------------------------------------------------------------
@dataclass
class PackChart:
    file: str
    title: str
    plan_id: str
    figure: go.Figure


def plan_charts(engine, catalogue: cat.Catalogue, plan_id: str, as_of: str, lang: str = "zh",
                size: str = "slide") -> tuple[list[PackChart], list[status.TargetInfo], list[progress.Progress]]:
    """The pack's charts for one plan: overview, one per sector, one trajectory per red/breached target."""
    plan = catalogue.plans[plan_id]
    infos, results = status.compute(engine, as_of, [plan_id])
    demo = store.demo_in_use(engine)
    scope = plan.title if lang == "zh" else plan.title_en
    ctx = charts.ChartContext(scope, as_of, lang, (plan.doc_number,), demo, size)
    sector_labels = {k: (s.zh if lang == "zh" else s.en) for k, s in catalogue.sectors.items()}
    out: list[PackChart] = []

    def add(file: str, figure: go.Figure) -> None:
        out.append(PackChart(f"{plan_id}/{file}", figure.layout.title.text, plan_id, figure))

    add("01_summary.png", charts.plan_summary(results, ctx))
    add("02_by_sector.png", charts.status_bars(progress.rollup(results, status.group_keys(infos, "sector")),
                                              sector_labels, ctx, t("by_sector", lang)))
    add("03_by_unit.png", charts.status_bars(progress.rollup(results, status.group_keys(infos, "unit")), {}, ctx,
                                            t("by_unit", lang), limit=20))
    add("04_heatmap.png", charts.status_heatmap(progress.rollup(results, status.group_keys(infos, "sector")),
                                               sector_labels, ctx))
    by_id = {i.spec.id: i for i in infos}
    for index, sector in enumerate(sorted({i.sector for i in infos}), start=1):
        members = [r for r in results if by_id[r.target_id].sector == sector]
        keys = {r.target_id: (by_id[r.target_id].name if lang == "zh" else by_id[r.target_id].name_en,)
                for r in members}
        sector_ctx = charts.ChartContext(f"{scope} · {sector_labels.get(sector, sector)}", as_of, lang,
                                         (plan.doc_number,), demo, size)
        add(f"10_sector_{index:02d}_{sector}.png",
            charts.status_bars(progress.rollup(members, keys), {}, sector_ctx, t("completion", lang), limit=25))
    for index, result in enumerate(progress.laggards(results), start=1):
        info = by_id[result.target_id]
        values = status.series(engine, info.spec.id)
        name = info.name if lang == "zh" else info.name_en
        add(f"20_behind_{index:03d}.png", charts.trajectory(info.spec, values, ctx, name))
    return out, infos, results


def build_pack(engine, as_of: str, out_dir: Path, plan_ids: Sequence[str] | None = None, lang: str = "zh",
               size: str = "slide", docx: bool = False, catalogue: cat.Catalogue | None = None) -> Path:
    """Write every plan's charts as PNG, index.csv, optional Word briefings, and a ZIP of the lot; return the ZIP."""
    check_environment()
    catalogue = catalogue or cat.load()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    plan_ids = list(plan_ids or catalogue.plans)
    every: list[PackChart] = []
    briefings = []
    for plan_id in plan_ids:
        pack, infos, results = plan_charts(engine, catalogue, plan_id, as_of, lang, size)
        every += pack
        briefings.append((plan_id, pack, infos, results))
    for chart in every:
        (out_dir / chart.file).parent.mkdir(parents=True, exist_ok=True)
    write_pngs([(c.figure, out_dir / c.file) for c in every], size)
    with (out_dir / "index.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "title", "plan", "as_of"])
        writer.writerows([c.file, c.title, c.plan_id, as_of] for c in every)
    if docx:
        for plan_id, pack, infos, results in briefings:
            path = out_dir / f"{plan_id}_briefing_{as_of}.docx"
            write_briefing(path, catalogue.plans[plan_id], pack, infos, results, as_of, lang, out_dir,
                           demo=store.demo_in_use(engine))
    zip_path = out_dir / f"briefing_pack_{as_of}.zip"
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(out_dir.rglob("*")):
            if path.is_file() and path != zip_path:
                archive.write(path, path.relative_to(out_dir))
    return zip_path


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
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    headers = [t("name", lang), t("target", lang), t("actual", lang), t("completion", lang), t("status", lang)]
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
        row[4].text = status_label(result.status, lang)
    document.add_paragraph(charts.ChartContext("", as_of, lang, (plan.doc_number,), demo).footer())
    document.save(path)
    return path


def _comparator_text(spec: progress.TargetSpec, zh: bool) -> str:
    if zh:
        return {">=": "≥", ">": ">", "<=": "≤", "<": "<", "~": "约", "range": ""}.get(spec.comparator, "")
    return {">=": "≥", ">": ">", "<=": "≤", "<": "<", "~": "~", "range": ""}.get(spec.comparator, "")
