"""Plotly figure builders, pure: plain data in, figure out. Used by the pages and by the briefing export alike.

Every figure carries the scope (plan) and the as-of month in its title and a source line at the bottom.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import plotly.graph_objects as go

from indicators import progress
from indicators.i18n import as_of_label, status_label, t
from indicators.months import span as month_span
from indicators.outputs import style
from indicators.progress import Group, Progress, TargetSpec
from indicators.progress.explain import explain, format_amount
from indicators.progress.rules import expected_share
from indicators.text import unit_label

_CJK = re.compile(r"[\u4e00-\u9fff]")
EXPORT_TARGETS = {"slide": 15, "a4": 8}  # bars of a sector chart drawn at an export size (A4's type is larger)
NAME_WIDTH = 26  # half-width units per line of a group's name in the status bars on a page
MIN_ROWS = 8  # a sector chart is laid out for this many bars at least
SHOWN_STATUSES = ("missed", "breached", "red", "amber", "green", "achieved", "no_data")  # worst first, left to right


@dataclass
class ChartContext:
    """What every chart title and source line needs."""

    scope: str  # e.g. the plan's title, or 全部计划
    as_of: str  # YYYY-MM
    lang: str = "zh"
    doc_numbers: Sequence[str] = field(default_factory=tuple)
    demo: bool = False
    size: str | None = None  # "slide" | "a4" for export; None = let the page size it

    def title(self, what: str) -> str:
        """Scope on the first line (shortened to fit), what and the as-of month on the second: the month is never cut."""
        month = as_of_label(self.as_of, self.lang)
        second = t("chart_title_what", self.lang, what=what, month=month)
        scope = style.shorten(self.scope, style.title_chars(self.size, self.lang))
        return f"{scope}<br>{second}" if scope else second

    def footer(self) -> str:
        """The source line (and the demo mark), wrapped onto a second line rather than cut at the chart's edge."""
        docs = t("briefing.list_sep", self.lang).join(self.doc_numbers)
        text = t("source_line", self.lang, docs=docs or "—") + (t("demo_source", self.lang) if self.demo else "")
        return style.wrap(text, style.footer_chars(self.size, self.lang))

    def layout(self, what: str) -> dict:
        width, height = style.SIZES.get(self.size or "", (None, None))
        # on a page the source line is a caption under the charts (ui.source_caption), where it wraps with the column
        return style.base_layout(self.title(what), self.footer() if self.size else "", width, height, self.size)


def _amount(value: float | None, unit: str, lang: str) -> str:
    """2,500个 in Chinese, 2,500 items in English; 30万千瓦 is 300 MW (whole numbers for count units, as the
    explanations write them)."""
    return format_amount(value, unit, lang=lang)


def _axis_suffix(unit: str, lang: str) -> str:
    """The unit after each axis number when it is short and written close up (100个, 50%); a word (items, MW) would
    crowd the ticks, so the unit is then left to the hover and the target line's label."""
    label = unit_label(unit, lang)
    return label if label == "%" or (len(label) <= 3 and _CJK.search(label)) else ""


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def status_bars(groups: Sequence[Group], labels: Mapping[str, str], ctx: ChartContext, what: str,
                limit: int | None = None, ranked: bool = False) -> go.Figure:
    """Horizontal bars, one per group, stacked by status (colour, pattern and legend text); mean completion at the end.

    ``ranked``: the groups come in the order to show, the first at the top (progress.behind_schedule); a cut says
    "前15个，共N个" in the title. Otherwise the weakest by mean completion come first."""
    total_groups = len(groups)
    if not ranked:
        groups = _ordered(groups)
    if limit:
        groups = groups[:limit]  # the groups furthest behind first: a briefing shows where to act
    if ranked and len(groups) < total_groups:
        note = t("attention.top_of", ctx.lang, shown=len(groups), total=total_groups)
        what = t("briefing.with_note", ctx.lang, what=what, note=note)
    names = [labels.get(g.key, g.key) for g in groups]
    if ctx.size is None:  # on a page, which may be a phone's: long names (English departments, "Wenchanghu Economic
        # Development Bureau") on at most two lines, each row tall enough for them; one line took a phone's width
        # and pushed the completion text and the axis title off the chart. Export sizes are wide enough for one line.
        names = [style.wrap(style.shorten(name, 2 * NAME_WIDTH - 4), NAME_WIDTH) for name in names]
    fig = go.Figure()
    for status in SHOWN_STATUSES:
        counts = [g.counts[status] for g in groups]
        if not any(counts):
            continue
        fig.add_trace(go.Bar(
            y=names, x=counts, orientation="h", name=status_label(status, ctx.lang),
            marker=style.marker(status),
            text=[c or "" for c in counts], textposition="inside", insidetextanchor="middle", textangle=0,
            textfont={"color": style.LABEL_ON.get(status, style.INK)},
            hovertemplate="%{y}<br>" + status_label(status, ctx.lang) + "：%{x}<extra></extra>",
        ))
    totals = [g.total for g in groups]
    fig.add_trace(go.Scatter(
        y=names, x=totals, mode="text", text=[f"  {t('chart_bar_completion', ctx.lang, p=_percent(g.mean_completion))}" for g in groups],
        textposition="middle right", showlegend=False, hoverinfo="skip", textfont={"color": style.MUTED},
    ))
    layout = ctx.layout(what)
    layout.update(barmode="stack", bargap=0.35)
    if ctx.size is None:
        lines = sum(1 + name.count("<br>") for name in names)
        layout["height"] = max(style.SCREEN_HEIGHT, 190 + 18 * lines + 12 * len(names))
    fig.update_layout(**layout)
    fig.update_xaxes(title=t("chart_bar_axis", ctx.lang), gridcolor=style.GRID, range=[0, max(totals or [1]) * 1.4])
    fig.update_yaxes(automargin=True, autorange="reversed" if ranked else True)
    return fig


def _ordered(groups: Sequence[Group]) -> list[Group]:
    """Weakest mean completion first (drawn at the bottom of a bar chart; groups without data below them)."""
    return sorted(groups, key=lambda g: (g.mean_completion is None, g.mean_completion or 0))


def status_heatmap(groups: Sequence[Group], labels: Mapping[str, str], ctx: ChartContext) -> go.Figure:
    """Sector × status: how many targets of each sector are in each status, each column shaded in its status colour.

    Rows run top to bottom as the bar chart's do (best mean completion at the top), so the two read side by side.
    """
    groups = list(reversed(_ordered(groups)))
    names = [labels.get(g.key, g.key) for g in groups]
    counts = [[g.counts[s] for s in SHOWN_STATUSES] for g in groups]
    top = max([c for row in counts for c in row] or [1]) or 1
    # One colour scale in bands, one band per status column (white to a tint of its colour): cell (row, k) gets
    # z = k + its share of the largest count, so each column is shaded in its own status colour.
    bands = len(SHOWN_STATUSES)
    scale = []
    for k, status in enumerate(SHOWN_STATUSES):
        scale += [[k / bands, "#FFFFFF"], [(k + 0.999) / bands, style.tint(style.RAG[status], 0.8)]]
    scale[-1][0] = 1.0
    z = [[k + 0.999 * c / top for k, c in enumerate(row)] for row in counts]
    fig = go.Figure(go.Heatmap(
        z=z, x=[status_label(s, ctx.lang) for s in SHOWN_STATUSES], y=names, zmin=0, zmax=bands, colorscale=scale,
        showscale=False, customdata=counts, text=[[str(c) if c else "·" for c in row] for row in counts],
        texttemplate="%{text}", textfont={"size": style.type_sizes(ctx.size)[1],
                                          "color": style.INK},
        hovertemplate="%{y} · %{x}：%{customdata}<extra></extra>", xgap=3, ygap=3,
    ))
    layout = ctx.layout(t("heatmap", ctx.lang))
    # English status names in a page column are wider than their columns ("Breached" ran into "Behind"): slanted
    slanted = ctx.size is None and ctx.lang != "zh"
    layout["margin"]["t"] += 60 if slanted else 30  # the status names sit above the grid, below the title
    fig.update_layout(**layout)
    if ctx.size != "slide" and not slanted:  # a page column or the A4 width: status names on two lines
        fig.update_xaxes(ticktext=[status_label(s, ctx.lang).replace(" ", "<br>") for s in SHOWN_STATUSES],
                         tickvals=[status_label(s, ctx.lang) for s in SHOWN_STATUSES],
                         tickfont={"size": style.type_sizes(ctx.size)[2] if ctx.size else 11})
    fig.update_xaxes(side="top", tickangle=-40 if slanted else 0)
    fig.update_yaxes(autorange="reversed", automargin=True)
    return fig


def target_completion(results: Sequence[Progress], names: Mapping[str, str], ctx: ChartContext, what: str,
                      limit: int | None = None) -> go.Figure:
    """One bar per target: its completion (actual against the target), coloured by status, with a tick where the
    schedule says it should be by now; the status and completion are written beside each bar."""
    results = sorted(results, key=lambda r: (r.completion is None, -(r.behind or 0), r.completion or 0))
    total = len(results)
    cap = EXPORT_TARGETS.get(ctx.size or "")  # what fits an exported chart with names on two lines
    if cap:
        limit = min(limit or cap, cap)
    if limit:
        results = results[:limit]
    if len(results) < total:  # the cut is said in the title: the furthest behind are shown
        note = t("attention.top_of", ctx.lang, shown=len(results), total=total)
        what = t("briefing.with_note", ctx.lang, what=what, note=note)
    results = list(reversed(results))  # plotly draws the first bar at the bottom: the furthest behind on top
    width = 28 if ctx.size == "a4" else 44  # half-width units: long names wrap rather than squeeze the bars
    # at most two lines each (a third ran into the next bar's name); the cut is marked with an ellipsis
    labels = [style.wrap(style.shorten(names.get(r.target_id, r.target_id), 2 * width - 4), width) for r in results]
    shown = [min(r.completion or 0.0, 1.5) for r in results]  # beyond 150 % the bar is clipped and the text says it
    fig = go.Figure()
    for status in SHOWN_STATUSES:
        rows = [i for i, r in enumerate(results) if r.status == status]
        if not rows:
            continue
        fig.add_trace(go.Bar(
            y=[labels[i] for i in rows], x=[shown[i] for i in rows], orientation="h",
            name=status_label(status, ctx.lang), marker=style.marker(status),
            hovertemplate="%{y}<br>" + t("completion", ctx.lang) + " %{x:.0%}<extra></extra>",
        ))
    expected = [_expected_completion(r) for r in results]
    fig.add_trace(go.Scatter(
        y=labels, x=expected, mode="markers", name=t("chart_expected_mark", ctx.lang),
        marker={"symbol": "line-ns", "size": 22, "line": {"width": 3, "color": style.INK}}, hoverinfo="skip",
    ))
    fig.add_trace(go.Scatter(
        y=labels, x=[max(v, e or 0) for v, e in zip(shown, expected, strict=True)], mode="text", showlegend=False,
        text=[f"  {status_label(r.status, ctx.lang)} {_percent(r.completion)}" for r in results],
        textposition="middle right", hoverinfo="skip", textfont={"color": style.MUTED},
    ))
    layout = ctx.layout(what)
    layout.update(barmode="overlay", bargap=0.3, height=layout.get("height") or None)
    fig.update_layout(**layout)
    fig.update_xaxes(title=t("chart_completion_axis", ctx.lang), tickformat=".0%", range=[0, 1.85],
                     gridcolor=style.GRID, tickvals=[0, 0.25, 0.5, 0.75, 1, 1.25, 1.5])
    # room for at least MIN_ROWS bars, the bars at the top: one or two targets are not drawn as slabs
    rows = max(len(labels), MIN_ROWS)
    fig.update_yaxes(automargin=True, categoryorder="array", categoryarray=labels,
                     range=[len(labels) - 0.5 - rows, len(labels) - 0.5])
    return fig


def _expected_completion(result: Progress) -> float | None:
    """Where the schedule says the completion should be by now: the expected share, or the whole target for a rate."""
    if result.spec is None:
        return None
    if result.spec.kind in ("growth", "share"):
        return 1.0
    return result.share


def plan_summary(results: Sequence[Progress], ctx: ChartContext) -> go.Figure:
    """A donut of status counts with the number of targets and the mean completion in its centre."""
    counts = progress.status_counts(results)
    shown = [s for s in SHOWN_STATUSES if counts[s]]
    group = progress.rollup(results, {r.target_id: ("all",) for r in results})
    mean = group[0].mean_completion if group else None
    fig = go.Figure(go.Pie(
        labels=[f"{status_label(s, ctx.lang)} {counts[s]}" for s in shown], values=[counts[s] for s in shown],
        hole=0.55, sort=False, direction="clockwise",
        marker={"colors": [style.RAG[s] for s in shown],
                "pattern": {"shape": [style.PATTERN[s] for s in shown], "fgcolor": "white", "solidity": 0.25,
                            "bgcolor": [style.RAG[s] for s in shown], "fillmode": "replace"}},
        textinfo="label", textposition="outside",
    ))
    centre = (f"{t('chart_targets_count', ctx.lang, n=len(results))}<br>"
              f"{t('mean_completion', ctx.lang)} {_percent(mean)}")
    layout = ctx.layout(t("summary", ctx.lang))
    layout["annotations"].append({"text": centre, "x": 0.5, "y": 0.5, "showarrow": False,
                                  "font": {"size": style.type_sizes(ctx.size)[0 if ctx.size == "slide" else 1]}})
    layout["showlegend"] = False
    fig.update_layout(**layout)
    return fig


def _sparse_labels(labels: Sequence[str], most: int = 6) -> list[str]:
    """At most about ``most`` point labels, evenly spaced and always the latest: nine monthly values side by side
    ran into each other ("1,4031,412…")."""
    step = -(-len(labels) // most)  # ceiling
    last = len(labels) - 1
    return [text if (last - i) % step == 0 else "" for i, text in enumerate(labels)]


def projection_path(spec: TargetSpec, result: Progress, periods: Sequence[str]) -> list[tuple[str, float]]:
    """The dashed continuation of the actual line: from the latest reported month to the deadline, ending at the
    projection. Increments and caps follow the pace (the profile's shape where there is one); levels run straight;
    growth and share stay at the latest rate. Empty when there is no projection or the period is over."""
    if result.projected is None or result.finished or result.actual_period is None:
        return []
    months = [m for m in periods if m >= result.actual_period]
    if len(months) < 2:
        return []
    if spec.kind in ("increment", "cap") and not result.milestone:
        total = len(periods)
        return [(m, result.projected * expected_share(spec, periods.index(m) + 1, total)) for m in months]
    step = (result.projected - result.actual) / (len(months) - 1)
    return [(m, result.actual + step * i) for i, m in enumerate(months)]


def trajectory(spec: TargetSpec, values: Mapping[str, float], ctx: ChartContext, name: str,
               thresholds: progress.Thresholds | None = None) -> go.Figure:
    """Actual (reported months) against the expected path and the target or cap line, over the target's period."""
    thresholds = thresholds or progress.Thresholds()
    first, last = progress.target_window(spec, ctx.as_of)
    periods = month_span(first, last)
    shown = [m for m in periods if m <= ctx.as_of]
    expected = []
    for month in periods:
        known = {p: v for p, v in values.items() if p <= month}
        result = progress.evaluate(spec, known, month, thresholds)
        expected.append(result.expected if result.expected is not None else None)
    actual_months = [m for m in shown if m in values]
    fig = go.Figure()
    # expected values of count units are labelled whole (never 0.25 of a school); the line keeps its precision
    fig.add_trace(go.Scatter(x=periods, y=expected, name=t("expected", ctx.lang), mode="lines",
                             line={"color": style.MUTED, "dash": "dash", "width": 2},
                             customdata=[_amount(e, spec.unit, ctx.lang) for e in expected],
                             hovertemplate="%{x|%Y-%m} · %{customdata}<extra></extra>"))
    fig.add_trace(go.Scatter(x=actual_months, y=[values[m] for m in actual_months], name=t("actual", ctx.lang),
                             mode="lines+markers+text", line={"color": "#0072B2", "width": 4}, marker={"size": 10},
                             text=_sparse_labels([progress.format_number(values[m]) for m in actual_months]),
                             textposition="top left"))
    final = progress.evaluate(spec, {p: v for p, v in values.items() if p <= ctx.as_of}, ctx.as_of, thresholds)
    path = projection_path(spec, final, periods)
    if path:
        months, ys = zip(*path, strict=True)
        fig.add_trace(go.Scatter(
            x=list(months), y=list(ys), name=t("chart.projected", ctx.lang), mode="lines+text",
            line={"color": "#0072B2", "width": 3, "dash": "dot"},
            text=[""] * (len(ys) - 1) + [f"{t('chart.projected', ctx.lang)} {_amount(ys[-1], spec.unit, ctx.lang)}"],
            textposition="top left", textfont={"color": "#0072B2"}))
    # the status and its explanation over the plot, wrapped to the chart's width rather than run off its edge
    badge = style.wrap(f"{status_label(final.status, ctx.lang)} · {explain(final, ctx.lang)}",
                       {"slide": 180, "a4": 76}.get(ctx.size or "", 110))
    layout = ctx.layout(t("chart_trajectory_of", ctx.lang, name=name))
    layout["annotations"].append({"text": badge, "xref": "paper", "yref": "paper", "x": 0, "y": 1.0, "xanchor": "left",
                                  "yanchor": "bottom", "yshift": 8, "showarrow": False, "align": "left",
                                  "font": {"size": style.type_sizes(ctx.size)[1],
                                           "color": style.RAG[final.status]}})
    layout["margin"]["t"] += 18 + 22 * (badge.count("<br>") + 1)
    fig.update_layout(**layout)  # before the target line: update_layout replaces the annotations (the source line)
    line_name = t("cap" if spec.kind == "cap" else "target", ctx.lang)
    fig.add_hline(y=spec.value, line={"color": style.RAG["red"] if spec.kind == "cap" else style.INK, "width": 2},
                  annotation_text=f"{line_name} {_amount(spec.value, spec.unit, ctx.lang)}",
                  annotation_position="top left")
    suffix = _axis_suffix(spec.unit, ctx.lang)
    # without a suffix the axis names its unit: English ticks 0–3 beside "target 30,000 yuan" read as yuan otherwise
    fig.update_yaxes(gridcolor=style.GRID, rangemode="tozero", ticksuffix=suffix,
                     title=None if suffix or not spec.unit else unit_label(spec.unit, ctx.lang))
    fig.update_xaxes(gridcolor=style.GRID, dtick="M1" if len(periods) <= 12 else "M3", tickformat="%Y-%m")
    return fig
