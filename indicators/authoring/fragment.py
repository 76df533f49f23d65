"""The reviewable fragment: a new plan's metadata and its candidate targets, each with ``accepted: false``.

``extract FILE --plan-id ID --out F`` writes one; a person fills the plan's fields, sets ``accepted: true`` on the
targets to keep (editing what is wrong), then ``add-plan F`` merges the accepted ones into the catalogue.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from indicators import months
from indicators.authoring.model import Candidate
from indicators.authoring.outline import plan_period
from indicators.authoring.phrases import DOC_NUMBER_RES
from indicators.authoring.reader import ranked
from indicators.authoring.review import FlowListDumper
from indicators.catalogue.models import Problem

# keys of a target entry that the catalogue does not take (they help the reviewer only)
REVIEW_ONLY_KEYS = ("accepted", "doubt", "phrase_kind", "span")
HEADER = """\
# Candidate plan for the catalogue, written by `python -m indicators extract --out`.
# Review it: fill the plan's empty fields, and for each target you keep set `accepted: true`, a `sector`
# (one of data/targets.yaml's sector keys) and `name_en`; correct anything read wrongly. Targets with a
# `doubt` come last: read the reason. Then run `python -m indicators add-plan THIS_FILE`.
"""


class FragmentError(Exception):
    """A fragment that cannot be read or merged; ``problems`` lists every reason, as catalogue Problems (a code and
    params each; ``message(lang)`` says it)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


@dataclass(frozen=True)
class Fragment:
    """A reviewed fragment: the plan entry, the accepted targets (catalogue keys only) and the plan's text."""

    plan: dict
    targets: list[dict]
    source_text: bytes  # exactly as the file holds it: it is copied to data/sources/ unchanged
    rejected: int


def _title(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")[:200]


def build_fragment(source_file: Path, text: str, plan_id: str, candidates: list[Candidate], lang: str = "en") -> dict:
    """The fragment as a mapping: plan (pre-filled where the text tells), source, and targets not yet accepted (their
    doubts in ``lang``)."""
    first, last = plan_period(text)
    doc_number = next((m.group(0) for regex in DOC_NUMBER_RES for m in [regex.search(text)] if m), "")
    plan = {
        "id": plan_id, "title": _title(text), "title_en": "", "issuer": "", "doc_number": doc_number,
        "issued": None, "jurisdiction": "",
        "period": {"start": months.make(first, 1) if first else "", "end": months.make(last, 12) if last else ""},
        "source": f"data/sources/{Path(source_file).name}",
    }
    targets = []
    for candidate in ranked(candidates):
        entry = candidate.catalogue_entry(lang)
        entry.pop("span", None)
        targets.append({"accepted": False, **entry, "sector": "", "name_en": ""})
    return {"plan": plan, "source_file": str(Path(source_file).resolve()),
            "source_sha256": hashlib.sha256(Path(source_file).read_bytes()).hexdigest(), "targets": targets}


def write_fragment(path: Path, source_file: Path, text: str, plan_id: str, candidates: list[Candidate]) -> None:
    """Write the fragment YAML (with a header telling the reviewer what to do)."""
    body = yaml.dump(build_fragment(source_file, text, plan_id, candidates), Dumper=FlowListDumper,
                     allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)
    Path(path).write_text(HEADER + body, encoding="utf-8")


def load_fragment(path: Path) -> Fragment:
    """Read a reviewed fragment; raise FragmentError naming every missing piece."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        detail = str(exc).replace("\n", " ")
        raise FragmentError([Problem(str(path), "-", "fragment_unreadable", {"detail": detail}, entry="file")]) from exc
    if not isinstance(data, dict) or not isinstance(data.get("plan"), dict):
        raise FragmentError([Problem(str(path), "-", "fragment_shape", entry="file")])
    source_file = Path(str(data.get("source_file") or ""))
    problems = []
    if not source_file.is_file():
        problems.append(Problem(str(path), "source_file", "fragment_source_missing", {"source": str(source_file)},
                                entry="fragment"))
    elif data.get("source_sha256") and hashlib.sha256(source_file.read_bytes()).hexdigest() != data["source_sha256"]:
        problems.append(Problem(str(path), "source_file", "fragment_source_changed", {"source": str(source_file)},
                                entry="fragment"))
    try:
        fragment = fragment_from_rows(data["plan"], source_file.read_bytes() if not problems else b"",
                                      data.get("targets") or [])
    except FragmentError as exc:
        problems += exc.problems
    if problems:
        raise FragmentError(problems)
    return fragment


def fragment_from_rows(plan: dict, source_text: bytes, rows: list[dict]) -> Fragment:
    """A fragment from reviewed rows (catalogue entries with ``accepted``); FragmentError lists what is missing."""
    problems = []
    plan = dict(plan)
    plan_id = str(plan.get("id") or "?")
    for key in ("id", "title", "title_en", "issuer", "doc_number", "issued", "jurisdiction", "source"):
        if plan.get(key) in (None, ""):
            problems.append(Problem(plan_id, key, "plan_field_empty", {"field": key}, entry="plan"))
    period = plan.get("period") or {}
    if not (period.get("start") and period.get("end")):
        problems.append(Problem(plan_id, "period", "plan_period_missing", entry="plan"))
    accepted = [t for t in rows if isinstance(t, dict) and t.get("accepted") is True]
    if not accepted:
        problems.append(Problem(plan_id, "accepted", "nothing_accepted", entry="plan"))
    targets = []
    for entry in accepted:
        cleaned = {k: v for k, v in entry.items() if k not in REVIEW_ONLY_KEYS and v is not None and v != ""}
        cleaned.setdefault("lead_units", [])
        cleaned["baseline"] = entry.get("baseline") or None
        for key in ("sector", "name_en"):
            if not cleaned.get(key):
                problems.append(Problem(str(entry.get("id", "?")), key, "target_field_empty", {"field": key}))
        targets.append(cleaned)
    if problems:
        raise FragmentError(problems)
    return Fragment(plan, targets, source_text, len(rows) - len(accepted))


def _block_end(lines: list[str], key: str) -> int | None:
    """Index of the line after the top-level ``key:`` block's last item (before trailing blank and comment lines)."""
    start = next((i for i, line in enumerate(lines) if re.match(rf"^{re.escape(key)}\s*:", line)), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"^[A-Za-z_]", lines[i])), len(lines))
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return end


def _as_list_item(entry: dict) -> list[str]:
    body = yaml.dump([entry], Dumper=FlowListDumper, allow_unicode=True, sort_keys=False, default_flow_style=False,
                     width=1000)
    return ["  " + line if line.strip() else line for line in body.splitlines()]


def merge_text(catalogue_text: str, plan: dict, targets: list[dict], departments: list[dict] = ()) -> str:
    """The catalogue YAML with ``plan`` appended to ``plans:``, ``targets`` to ``targets:`` and ``departments`` to
    ``departments:``; the rest unchanged."""
    lines = catalogue_text.splitlines()
    for key, entries in (("targets", targets), ("departments", list(departments)), ("plans", [plan])):
        if not entries:
            continue
        end = _block_end(lines, key)
        new = [line for entry in entries for line in _as_list_item(entry)]
        if end is None:
            lines += ["", f"{key}:"] + new
        else:
            lines[end:end] = new
    return "\n".join(lines) + "\n"
