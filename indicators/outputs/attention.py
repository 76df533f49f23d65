"""What a leader acts on: departments ranked by how far behind schedule they are, and the 需要关注 table.

Pure data for the overview page, the pack and the downloads; pages only draw it (issue 15).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from indicators import progress
from indicators.catalogue.departments import Departments
from indicators.i18n import pick, status_label, t
from indicators.outputs import tabular
from indicators.progress import Group, Progress, read_model
from indicators.progress.explain import deadline_text, format_amount
from indicators.progress.rollup import ResultColumns
from indicators.text import jurisdiction_label

SHOWN_DEPARTMENTS = 15  # the overview chart shows this many and says how many there are


@dataclass
class Ranking:
    """Departments ranked behind schedule first; ``shown`` is what a chart draws, ``total`` how many there are."""

    groups: list[Group]
    shown: list[Group]
    labels: dict[str, str]

    @property
    def total(self) -> int:
        return len(self.groups)

    @property
    def cut(self) -> bool:
        return len(self.shown) < len(self.groups)


def department_ranking(infos: Sequence, results: Sequence[Progress], table: Departments, lang: str = "zh",
                       limit: int | None = SHOWN_DEPARTMENTS, divisions: bool = False) -> Ranking:
    """Canonical departments (a bureau's divisions under the bureau unless ``divisions``) ranked by how far behind
    schedule they are: red+breached+missed, then the mean shortfall against the time-adjusted expectation."""
    keys = read_model.department_keys_aligned(infos, table, divisions)
    groups = progress.behind_schedule(progress.rollup_aligned(results, keys))
    shown = groups[:limit] if limit else groups
    return Ranking(groups, shown, table.labels(lang))


def ranking_note(ranking: Ranking, lang: str) -> str:
    """'前15个，共41个' when the chart is cut, else ''."""
    return t("attention.top_of", lang, shown=len(ranking.shown), total=ranking.total) if ranking.cut else ""


COLUMNS = ("status", "indicator", "departments", "jurisdiction", "actual_expected", "completion", "projected")


def attention_rows(infos: Sequence, results: Sequence[Progress], table: Departments, lang: str = "zh",
                   statuses: Sequence[str] = progress.LAGGING) -> list[dict]:
    """Every target a leader must act on (red, breached, missed by default), furthest behind first, one dict each:
    the status, indicator, lead department(s), jurisdiction, actual / expected, completion and projection."""
    labels = table.labels(lang)
    separator = t("attention.departments_sep", lang)
    # a province lists ~20,000 laggards sharing a few hundred departments, jurisdictions and statuses: each worked
    # out once
    departments_of: dict[tuple, str] = {}
    places: dict[str, str] = {}
    statuses_text: dict[str, str] = {}
    rows = []
    for info, result in _acted_on(infos, results, statuses):
        spec = info.spec
        place = (info.jurisdiction, tuple(info.lead_units))
        departments = departments_of.get(place)
        if departments is None:
            departments = departments_of[place] = separator.join(
                labels.get(k, k) for k in table.keys(info.jurisdiction, info.lead_units))
        jurisdiction = places.get(info.jurisdiction)
        if jurisdiction is None:
            jurisdiction = places[info.jurisdiction] = jurisdiction_label(info.jurisdiction, lang)
        status = statuses_text.get(result.status)
        if status is None:
            status = statuses_text[result.status] = status_label(result.status, lang)
        expected = format_amount(result.expected, spec.unit, lang=lang) if result.expected is not None else "—"
        actual = format_amount(result.actual, spec.unit, whole=False, lang=lang)
        projected = "—"
        if result.projected is not None and not result.finished:
            deadline = progress.target_window(spec, result.as_of)[1]
            projected = t("attention.projected_by", lang, amount=format_amount(result.projected, spec.unit, lang=lang),
                          when=deadline_text(deadline, result.as_of, lang))
        rows.append({
            "target_id": result.target_id,
            "status": status,
            "indicator": pick(info.name, info.name_en, lang),
            "departments": departments,
            "jurisdiction": jurisdiction,
            "actual_expected": f"{actual} / {expected}",
            "completion": None if result.completion is None else round(result.completion, 4),
            "projected": projected,
        })
    return rows


def _acted_on(infos: Sequence, results: Sequence[Progress], statuses: Sequence[str]) -> list[tuple]:
    """(info, result) of the results with one of ``statuses``, furthest behind first (then by target id). Only
    those are read: compute's lists build nothing else, and their lagging order is already sorted."""
    if tuple(statuses) == tuple(progress.LAGGING) and len(infos) == len(results):
        pairs = [(infos[i], results[i]) for i in ResultColumns.of(results).lagging.tolist()]
        if all(info.spec.id == result.target_id for info, result in pairs):  # aligned, as compute gives them
            return pairs
    by_id = {i.spec.id: i for i in infos}
    chosen = sorted((r for r in results if r.status in statuses), key=lambda p: (-p.behind, p.target_id))
    return [(by_id[r.target_id], r) for r in chosen]


def headers(lang: str) -> list[str]:
    """The table's column titles in ``lang``."""
    return [t(f"attention.col_{c}", lang) for c in COLUMNS]


def attention_table(rows: Sequence[dict], lang: str) -> pd.DataFrame:
    """The rows as the page's table: one column per COLUMNS, headed in ``lang`` (as the CSV and XLSX are)."""
    return pd.DataFrame({h: [r[c] for r in rows] for h, c in zip(headers(lang), COLUMNS, strict=True)})


def attention_csv(rows: Sequence[dict], lang: str) -> bytes:
    """The table as a formula-safe CSV (UTF-8 with BOM) for download."""
    return tabular.csv_bytes(headers(lang), ([r[c] for c in COLUMNS] for r in rows))


def attention_xlsx(rows: Sequence[dict], lang: str) -> bytes:
    """The table as a formula-safe XLSX for download."""
    return tabular.xlsx_bytes(headers(lang), ([r[c] for c in COLUMNS] for r in rows), t("attention", lang))


def division_rankings(infos: Sequence, results: Sequence[Progress], table: Departments,
                      lang: str = "zh") -> dict[str, Ranking]:
    """For each department whose own divisions lead targets here (the 002 plan's 科室 under 聊城市工信局), those
    divisions ranked the same way: the click below the department's bar."""
    parents = {d.short for d in table.by_id.values() if table.divisions_of(d.short)}
    out: dict[str, Ranking] = {}
    division_keys = read_model.department_keys_aligned(infos, table, divisions=True) if parents else []
    for parent in sorted(parents):
        child_names = {d.short for d in table.divisions_of(parent)}
        members = [index for index, target_keys in enumerate(division_keys) if child_names.intersection(target_keys)]
        if not members:
            continue
        keys = [tuple(k for k in division_keys[index] if k in child_names) for index in members]
        groups = progress.behind_schedule(progress.rollup_aligned([results[index] for index in members], keys))
        out[parent] = Ranking(groups, groups, table.labels(lang))
    return out
