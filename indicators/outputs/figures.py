"""The chart set, built in one place from computed results: the overview page, the export page, the briefing pack,
the Word briefing and the PowerPoint deck all take their charts from a ChartSet.

It never queries the store: the caller hands over (infos, results) from ``read_model.compute`` and, for the
trajectories, a function giving a target's monthly values. Each figure is built on first use and kept, so a page
that shows four charts builds four, and the pack that shows all builds each once.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import plotly.graph_objects as go

from indicators import catalogue as cat
from indicators import progress
from indicators.i18n import pick, t
from indicators.outputs import attention, charts
from indicators.progress import Progress, read_model
from indicators.progress.explain import explain
from indicators.text import jurisdiction_label

OVERVIEW = ("summary", "by_sector", "by_unit", "heatmap")  # the charts every briefing opens with


def safe_name(text: str, limit: int = 40) -> str:
    """A chart's name as part of a file name: no path separators or characters Windows refuses, not too long."""
    cleaned = re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("._")
    return cleaned[:limit] or "_"


def _column(infos: Sequence[read_model.TargetInfo], name: str) -> Sequence[str]:
    """One attribute of every target: from the lookup's column when ``infos`` is compute's list (nothing built)."""
    column = getattr(infos, "column", None)  # read_model.TargetList's
    return column(name) if column is not None else [getattr(i, name) for i in infos]


@dataclass(frozen=True)
class Chart:
    """One chart of the set: ``key`` to build it by, ``label`` for a menu, ``file`` its name in a pack."""

    key: str  # summary | by_sector | by_unit | heatmap | sector:<key> | target:<id> | by_jurisdiction | divisions:<key>
    label: str
    file: str
    group: str  # overview | sector | target | page


class ChartSet:
    """Every chart of one selection (plans, month, language, size) from its computed results."""

    def __init__(self, catalogue: cat.Catalogue, infos: Sequence[read_model.TargetInfo],
                 results: Sequence[Progress], as_of: str, lang: str = "zh", plan_ids: Sequence[str] | None = None,
                 demo: bool = False, size: str | None = None,
                 series: Callable[[str], Mapping[str, float]] | None = None,
                 thresholds: progress.Thresholds | None = None, every_target: bool = False) -> None:
        """``size`` None draws for a page, "slide"/"a4" for export; ``series(target_id)`` gives a target's monthly
        values (the trajectories need it); ``every_target``: a trajectory for every target, laggards first, instead
        of the laggards only."""
        # compute's lists kept as they are (not copied into lists): their roll-ups read the columns, and only the
        # targets a chart reads are built (building all 38,000 of a province took seconds of the first run)
        self.catalogue, self.infos, self.results = catalogue, infos, results
        self.as_of, self.lang, self.size, self.demo = as_of, lang, size, demo
        self.plan_ids = list(plan_ids or sorted(set(_column(self.infos, "plan_id"))))
        self._series, self.thresholds, self.every_target = series, thresholds, every_target
        self._built: dict[str, go.Figure] = {}
        self._lock = threading.Lock()  # one set may be shared by the dashboard's sessions

    # --- what the charts are drawn from ---------------------------------------------------------------------------
    @cached_property
    def context(self) -> charts.ChartContext:
        """Title scope (the plan, or 全部计划), as-of month, source line and demo mark of every chart."""
        plans = self.catalogue.plans
        if len(self.plan_ids) == 1 and self.plan_ids[0] in plans:
            plan = plans[self.plan_ids[0]]
            scope = pick(plan.title, plan.title_en, self.lang)
        else:
            scope = t("all_plans", self.lang)
        docs = [plans[p].doc_number for p in self.plan_ids if p in plans]
        return charts.ChartContext(scope, self.as_of, self.lang, tuple(docs), self.demo, self.size)

    @cached_property
    def footer(self) -> str:
        """The charts' source line (context.footer()), worked out once: wrapping a province's 152 document numbers
        took a quarter of the overview's cached rerun."""
        return self.context.footer()

    @cached_property
    def sector_labels(self) -> dict[str, str]:
        return {k: pick(s.zh, s.en, self.lang) for k, s in self.catalogue.sectors.items()}

    @cached_property
    def names(self) -> dict[str, str]:
        """target id -> its name in the set's language."""
        return {i.spec.id: pick(i.name, i.name_en, self.lang) for i in self.infos}

    @cached_property
    def by_id(self) -> dict[str, read_model.TargetInfo]:
        return {i.spec.id: i for i in self.infos}

    @cached_property
    def result_of(self) -> dict[str, Progress]:
        return {r.target_id: r for r in self.results}

    @cached_property
    def sector_rollup(self) -> list[progress.Group]:
        return read_model.rollups_by(self.infos, self.results, "sector")

    @cached_property
    def ranking(self) -> attention.Ranking:
        """Departments ranked behind schedule first (the by_unit chart shows the first SHOWN_DEPARTMENTS)."""
        return attention.department_ranking(self.infos, self.results, self.catalogue.departments, self.lang,
                                            limit=None)

    @cached_property
    def divisions(self) -> dict[str, attention.Ranking]:
        return attention.division_rankings(self.infos, self.results, self.catalogue.departments, self.lang)

    @cached_property
    def laggards(self) -> list[Progress]:
        """The targets behind (red, breached, missed), furthest behind first: one slide and one chart each."""
        return progress.laggards(self.results)

    # --- the charts -------------------------------------------------------------------------------------------------
    @cached_property
    def overview(self) -> list[Chart]:
        """The four charts a briefing opens with."""
        files = {"summary": "file_summary", "by_sector": "file_by_sector", "by_unit": "file_by_unit",
                 "heatmap": "file_heatmap"}
        return [Chart(key, t(key, self.lang), t(files[key], self.lang), "overview") for key in OVERVIEW]

    @cached_property
    def sectors(self) -> list[Chart]:
        """One completion chart per sector that has targets here, in the sectors' key order."""
        present = sorted(set(_column(self.infos, "sector")))
        out = []
        for index, sector in enumerate(present, start=1):
            label = self.sector_labels.get(sector, sector)
            out.append(Chart(f"sector:{sector}", t("sector_completion", self.lang, sector=label),
                             t("file_sector", self.lang, index=f"{index:02d}", sector=safe_name(label)), "sector"))
        return out

    @cached_property
    def targets(self) -> list[Chart]:
        """A trajectory per laggard (furthest behind first), or per target with ``every_target`` (laggards first)."""
        chosen = list(self.laggards)
        if self.every_target:
            first = {r.target_id for r in chosen}
            chosen += [r for r in self.results if r.target_id not in first]
        return [Chart(f"target:{r.target_id}", f"{t('trajectory', self.lang)} · {self.names[r.target_id]}",
                      t("file_target", self.lang, index=f"{index:03d}", name=safe_name(self.names[r.target_id])),
                      "target") for index, r in enumerate(chosen, start=1)]

    def briefing(self) -> list[Chart]:
        """The pack's charts in order: overview, sectors, targets."""
        return [*self.overview, *self.sectors, *self.targets]

    def page_extras(self) -> list[Chart]:
        """The overview page's further charts: by jurisdiction, and each bureau's divisions."""
        extra = [Chart("by_jurisdiction", t("by_jurisdiction", self.lang), "", "page")]
        return extra + [Chart(f"divisions:{parent}", t("attention.divisions", self.lang,
                                                       department=self.ranking.labels.get(parent, parent)), "", "page")
                        for parent in self.divisions]

    def figure(self, key: str) -> go.Figure:
        """The chart ``key`` (see Chart.key), built on first use. Shared: never mutate the returned figure."""
        with self._lock:
            if key not in self._built:
                self._built[key] = self._build(key)
            return self._built[key]

    def _build(self, key: str) -> go.Figure:
        ctx, lang = self.context, self.lang
        if key == "summary":
            return charts.plan_summary(self.results, ctx)
        if key == "by_sector":
            return charts.status_bars(self.sector_rollup, self.sector_labels, ctx, t("by_sector", lang))
        if key == "by_unit":
            return charts.status_bars(self.ranking.groups, self.ranking.labels, ctx, t("by_unit", lang),
                                      limit=attention.SHOWN_DEPARTMENTS, ranked=True)
        if key == "heatmap":
            return charts.status_heatmap(self.sector_rollup, self.sector_labels, ctx)
        if key == "by_jurisdiction":
            groups = read_model.rollups_by(self.infos, self.results, "jurisdiction")
            return charts.status_bars(groups, {g.key: jurisdiction_label(g.key, lang) for g in groups}, ctx,
                                      t("by_jurisdiction", lang))
        kind, _, rest = key.partition(":")
        if kind == "divisions":
            ranking = self.divisions[rest]
            return charts.status_bars(ranking.groups, ranking.labels, ctx, t("by_unit", lang), ranked=True)
        if kind == "sector":
            members = [r for r in self.results if self.by_id[r.target_id].sector == rest]
            label = self.sector_labels.get(rest, rest)
            return charts.target_completion(members, self.names, ctx, t("sector_completion", lang, sector=label),
                                            limit=25)
        if kind == "target":
            if self._series is None:
                raise ValueError("a trajectory needs the target's values: give the chart set a series function")
            spec = self.by_id[rest].spec
            return charts.trajectory(spec, self._series(rest), ctx, self.names[rest], self.thresholds)
        raise KeyError(f"unknown chart {key!r}")

    def explanation(self, target_id: str) -> str:
        """Why a target has its status, in the set's language (the laggard slides and the Word list)."""
        return explain(self.result_of[target_id], self.lang)


def min_font_px(figure: go.Figure) -> float:
    """The smallest type a figure sets anywhere (title, axes, legend, annotations, trace text), in layout pixels;
    plotly's own default (12 px) where a font names no size. Text plotly may shrink to fit a bar is bounded by
    ``uniformtext.minsize`` when set."""
    sizes: list[float] = []

    def walk(node: object, key: str = "") -> None:
        if isinstance(node, dict):
            for name, value in node.items():
                if name == "size" and key.endswith("font") and isinstance(value, int | float):
                    sizes.append(float(value))
                elif name == "size" and key.endswith("font") and isinstance(value, list | tuple):
                    sizes.extend(float(v) for v in value if isinstance(v, int | float))
                else:
                    walk(value, name)
        elif isinstance(node, list | tuple):
            for item in node:
                walk(item, key)

    data = figure.to_plotly_json()
    walk(data)
    layout = data.get("layout", {})
    if not layout.get("font", {}).get("size"):
        sizes.append(12.0)
    minsize = layout.get("uniformtext", {}).get("minsize")
    if minsize:
        sizes.append(float(minsize))
    return min(sizes)
