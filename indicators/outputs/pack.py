"""The briefing pack: the chart set of each plan as PNGs, index.csv and a ZIP."""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go

from indicators import catalogue as cat
from indicators import progress, store
from indicators.i18n import pick, t
from indicators.outputs import charts
from indicators.outputs.attention import SHOWN_DEPARTMENTS, department_ranking
from indicators.outputs.png import Renderer, check_environment, write_pngs
from indicators.outputs.word import write_briefing
from indicators.progress import read_model


def safe_name(text: str, limit: int = 40) -> str:
    """A chart's name as part of a file name: no path separators or characters Windows refuses, not too long."""
    cleaned = re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("._")
    return cleaned[:limit] or "_"


# --- the pack -----------------------------------------------------------------------------------------------------
@dataclass
class PackChart:
    file: str
    title: str
    plan_id: str
    figure: go.Figure


def plan_charts(engine, catalogue: cat.Catalogue, plan_id: str, as_of: str, lang: str = "zh",
                size: str = "slide") -> tuple[list[PackChart], list[read_model.TargetInfo], list[progress.Progress]]:
    """The pack's charts for one plan: overview, one per sector, one trajectory per red/breached/missed target."""
    plan = catalogue.plans[plan_id]
    infos, results = read_model.compute(engine, as_of, [plan_id])
    demo = store.demo_in_use(engine)
    scope = pick(plan.title, plan.title_en, lang)
    ctx = charts.ChartContext(scope, as_of, lang, (plan.doc_number,), demo, size)
    sector_labels = {k: pick(s.zh, s.en, lang) for k, s in catalogue.sectors.items()}
    out: list[PackChart] = []

    def add(file: str, figure: go.Figure) -> None:
        out.append(PackChart(f"{plan_id}/{file}", figure.layout.title.text, plan_id, figure))

    add(t("file_summary", lang), charts.plan_summary(results, ctx))
    add(t("file_by_sector", lang), charts.status_bars(progress.rollup(results, read_model.group_keys(infos, "sector")),
                                                      sector_labels, ctx, t("by_sector", lang)))
    ranking = department_ranking(infos, results, catalogue.departments, lang, limit=None)
    add(t("file_by_unit", lang), charts.status_bars(ranking.groups, ranking.labels, ctx, t("by_unit", lang),
                                                    limit=SHOWN_DEPARTMENTS, ranked=True))
    add(t("file_heatmap", lang), charts.status_heatmap(progress.rollup(results, read_model.group_keys(infos, "sector")),
                                                       sector_labels, ctx))
    by_id = {i.spec.id: i for i in infos}
    names = {i.spec.id: pick(i.name, i.name_en, lang) for i in infos}
    for index, sector in enumerate(sorted({i.sector for i in infos}), start=1):
        members = [r for r in results if by_id[r.target_id].sector == sector]
        label = sector_labels.get(sector, sector)
        sector_ctx = charts.ChartContext(scope, as_of, lang, (plan.doc_number,), demo, size)
        add(t("file_sector", lang, index=f"{index:02d}", sector=safe_name(label)),
            charts.target_completion(members, names, sector_ctx, t("sector_completion", lang, sector=label), limit=25))
    for index, result in enumerate(progress.laggards(results), start=1):
        info = by_id[result.target_id]
        values = read_model.series(engine, info.spec.id)
        add(t("file_target", lang, index=f"{index:03d}", name=safe_name(names[info.spec.id])),
            charts.trajectory(info.spec, values, ctx, names[info.spec.id]))
    return out, infos, results


def build_pack(engine, as_of: str, out_dir: Path, plan_ids: Sequence[str] | None = None, lang: str = "zh",
               size: str = "slide", docx: bool = False, catalogue: cat.Catalogue | None = None,
               renderer: Renderer | None = None) -> Path:
    """Write every plan's charts as PNG, index.csv, optional Word briefings, and a ZIP of the lot; return the ZIP.

    ``renderer``: a warm browser to draw with (the dashboard's); without one, a browser is started for the pack.
    The Word briefing embeds the pack's own PNG files: nothing is drawn twice.
    """
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
    write_pngs([(c.figure, out_dir / c.file) for c in every], size, renderer)
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
