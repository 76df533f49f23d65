"""Candidates as YAML, and as flat rows a reviewer edits in a table."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

import yaml

from indicators.authoring.model import Candidate
from indicators.authoring.reader import plain_number


class FlowListDumper(yaml.SafeDumper):
    """Block style for mappings, flow style for short lists of scalars (lead_units, span)."""


def _represent_list(dumper: yaml.SafeDumper, data: list):
    flow = all(not isinstance(item, (dict, list)) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


FlowListDumper.add_representer(list, _represent_list)


def candidates_to_yaml(candidates: Iterable[Candidate]) -> str:
    """The candidates as a YAML document with one ``targets:`` list, Chinese kept readable."""
    entries = [c.catalogue_entry() for c in candidates]
    return yaml.dump({"targets": entries}, Dumper=FlowListDumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=1000, indent=2)


# Columns a reviewer may edit in a table of candidates (the Catalogue page's data editor), in display order.
ROW_FIELDS = ("id", "clause", "task", "name", "kind", "phrase_kind", "comparator", "value", "value_max", "unit",
              "deadline", "recurrence", "lead_units", "quote", "note")


def candidate_row(candidate: Candidate) -> dict:
    """One flat table row for a candidate (lead units joined with 、), for review in a table editor."""
    row = {key: getattr(candidate, key) for key in ROW_FIELDS}
    row["lead_units"] = "、".join(candidate.lead_units)
    return row


def _cell(value: object) -> object:
    """A table cell back to a plain value: NaN and blank text become None."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def rows_to_yaml(rows: list[dict], candidates: list[Candidate]) -> str:
    """YAML for candidates after a reviewer edited their rows (same order as ``candidates``; extra keys ignored)."""
    edited = []
    for row, candidate in zip(rows, candidates, strict=False):
        values = {key: _cell(row.get(key)) for key in ROW_FIELDS if key in row}
        merged = Candidate(**{**candidate.__dict__})
        for key, value in values.items():
            if key == "lead_units":
                merged.lead_units = [u.strip() for u in re.split(r"[、,，;；]", value or "") if u.strip()]
            elif key in ("value", "value_max"):
                setattr(merged, key, None if value is None else plain_number(Decimal(str(value))))
            elif key in ("id", "clause", "task", "name", "kind", "phrase_kind", "comparator", "unit", "quote"):
                setattr(merged, key, "" if value is None else str(value))
            else:
                setattr(merged, key, None if value is None else str(value))
        if merged.value is None:
            continue  # a row whose value was cleared is dropped
        edited.append(merged)
    return candidates_to_yaml(edited)


