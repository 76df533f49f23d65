"""The briefing pack: the chart set of each plan as PNGs, index.csv and a ZIP."""

from __future__ import annotations

import csv
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go

from indicators import catalogue as cat
from indicators import progress, store
from indicators.outputs import figures
from indicators.outputs.png import Renderer, check_environment, drawing_with, write_pngs
from indicators.outputs.word import write_briefing
from indicators.progress import read_model

safe_name = figures.safe_name  # kept here too: the pack's file names are made by it


# --- the pack -----------------------------------------------------------------------------------------------------
@dataclass
class PackChart:
    file: str
    title: str
    plan_id: str
    figure: go.Figure


def chart_set(engine, catalogue: cat.Catalogue, plan_id: str, as_of: str, lang: str = "zh",
              size: str | None = "slide") -> figures.ChartSet:
    """One plan's chart set from the store: its status as of ``as_of`` and its laggards' monthly values."""
    infos, results = read_model.compute(engine, as_of, [plan_id])
    return figures.ChartSet(catalogue, infos, results, as_of, lang, [plan_id], store.demo_in_use(engine), size,
                            series=lambda target_id: read_model.series(engine, target_id))


def plan_charts(engine, catalogue: cat.Catalogue, plan_id: str, as_of: str, lang: str = "zh",
                size: str = "slide") -> tuple[list[PackChart], list[read_model.TargetInfo], list[progress.Progress]]:
    """The pack's charts for one plan: overview, one per sector, one trajectory per red/breached/missed target."""
    charts = chart_set(engine, catalogue, plan_id, as_of, lang, size)
    out = []
    for chart in charts.briefing():
        figure = charts.figure(chart.key)
        out.append(PackChart(f"{plan_id}/{chart.file}", figure.layout.title.text, plan_id, figure))
    return out, charts.infos, charts.results


def build_pack(engine, as_of: str, out_dir: Path, plan_ids: Sequence[str] | None = None, lang: str = "zh",
               size: str = "slide", docx: bool = False, catalogue: cat.Catalogue | None = None,
               renderer: Renderer | None = None) -> Path:
    """Write every plan's charts as PNG, index.csv, optional Word briefings, and a ZIP of the lot; return the ZIP.

    ``renderer``: a warm browser to draw with (the dashboard's); without one, a browser is started for the pack (it
    starts while the figures are built) and draws the Word briefings' charts too.
    The Word briefing embeds the pack's own PNG files when they are drawn for A4; a slide pack draws the briefing's
    four overview charts once more at A4, where their type prints at 9 pt or more.
    """
    check_environment()
    with drawing_with(renderer) as renderer:
        return _write_pack(engine, as_of, Path(out_dir), plan_ids, lang, size, docx, catalogue or cat.load(), renderer)


def _write_pack(engine, as_of: str, out_dir: Path, plan_ids: Sequence[str] | None, lang: str, size: str, docx: bool,
                catalogue: cat.Catalogue, renderer: Renderer) -> Path:
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
    write_pngs([(c.figure, out_dir / c.file) for c in every], size, renderer)
    with (out_dir / "index.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "title", "plan", "as_of"])
        writer.writerows([c.file, c.title, c.plan_id, as_of] for c in every)
    if docx:
        with tempfile.TemporaryDirectory() as scratch:
            for plan_id, pack, infos, results in briefings:
                images = word_images(engine, catalogue, plan_id, as_of, lang, size, pack, out_dir, Path(scratch),
                                     renderer)
                path = out_dir / f"{plan_id}_briefing_{as_of}.docx"
                write_briefing(path, catalogue.plans[plan_id], images, infos, results, as_of, lang,
                               demo=store.demo_in_use(engine), departments=catalogue.departments)
    zip_path = out_dir / f"briefing_pack_{as_of}.zip"
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(out_dir.rglob("*")):
            if path.is_file() and path != zip_path:
                archive.write(path, path.relative_to(out_dir))
    return zip_path


def word_images(engine, catalogue: cat.Catalogue, plan_id: str, as_of: str, lang: str, size: str,
                pack: Sequence[PackChart], out_dir: Path, scratch: Path, renderer: Renderer | None) -> list[Path]:
    """The overview charts for the Word briefing, drawn at the A4 size: the pack's own files when the pack is A4."""
    count = len(figures.OVERVIEW)
    if size == "a4":
        return [out_dir / c.file for c in pack[:count]]
    a4 = chart_set(engine, catalogue, plan_id, as_of, lang, "a4")
    items = [(a4.figure(c.key), scratch / f"{plan_id}_{c.key}.png") for c in a4.overview]
    write_pngs(items, "a4", renderer)
    return [path for _, path in items]
