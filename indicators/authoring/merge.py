"""Merge a reviewed fragment into the catalogue: validate first, refuse with every problem, else write.

Nothing is written when a problem is found: the merged catalogue is built in memory, loaded and checked with the
catalogue's own validator (verbatim quotes, values, units, comparators, deadlines, ids), and only then is the text
copied to ``data/sources/`` and ``data/targets.yaml`` replaced (the existing file's content kept as it is).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from indicators import catalogue as cat
from indicators.authoring.fragment import Fragment, FragmentError, merge_text


@dataclass(frozen=True)
class MergeResult:
    """What was added: the plan id, the target ids, the copied source file and the catalogue written."""

    plan_id: str
    target_ids: list[str]
    department_ids: list[str]
    source: Path
    targets_file: Path
    catalogue: cat.Catalogue


def _load(targets: Path, exclusions: Path, root: Path) -> cat.Catalogue:
    catalogue = cat.load(targets, exclusions if exclusions.exists() else None)
    catalogue.root = root  # sources are read from this project's data/sources
    return catalogue


def new_departments(catalogue: cat.Catalogue, fragment: Fragment) -> list[dict]:
    """Departments-table entries for the lead units the accepted targets write and the table does not know yet
    in the plan's jurisdiction: named as written (the English name too, until someone translates it)."""
    jurisdiction = str(fragment.plan["jurisdiction"])
    shorts = {d.short for d in catalogue.departments.by_id.values()}
    entries: list[dict] = []
    for target in fragment.targets:
        for written in target.get("lead_units") or []:
            if catalogue.departments.department_of(jurisdiction, written) or written in {
                    w for e in entries for w in e["written"]}:
                continue
            short = written if written not in shorts else f"{jurisdiction}{written}"
            shorts.add(short)
            entries.append({"id": f"{fragment.plan['id']}.d{len(entries) + 1}", "jurisdiction": jurisdiction,
                            "name": written, "short": short, "en": written, "written": [written]})
    return entries


def _paths(data_dir: Path, fragment: Fragment) -> tuple[Path, Path, Path]:
    data_dir = Path(data_dir)
    return (data_dir / "targets.yaml", data_dir / "not_targets.yaml",
            data_dir / "sources" / Path(str(fragment.plan["source"])).name)


@dataclass(frozen=True)
class Check:
    """What merging would do: the merged catalogue text, the departments it adds, and every problem it would add."""

    text: str
    departments: list[dict]
    problems: list[cat.Problem]


def check_fragment(fragment: Fragment, data_dir: Path) -> Check:
    """What merging ``fragment`` would write and every problem it would add (nothing is written).

    Raises FragmentError when the fragment cannot be merged at all (plan id taken, source name taken, YAML invalid).
    Each Problem's ``where`` is the target id it concerns, so a review table can show a verdict per row.
    """
    targets_path, exclusions_path, source = _paths(data_dir, fragment)
    plan_id = str(fragment.plan["id"])
    if source.exists() and source.read_bytes() != fragment.source_text:
        raise FragmentError([cat.Problem(plan_id, "source", "source_taken", {"source": source.name}, entry="plan")])
    before = _load(targets_path, exclusions_path, Path(data_dir).parent)
    if plan_id in before.plans:
        raise FragmentError([cat.Problem(plan_id, "id", "plan_taken", {"plan": plan_id}, entry="plan")])
    departments = new_departments(before, fragment)
    merged_text = merge_text(targets_path.read_text(encoding="utf-8"), fragment.plan, fragment.targets, departments)
    with tempfile.TemporaryDirectory() as scratch:
        scratch_targets = Path(scratch) / "targets.yaml"
        scratch_targets.write_text(merged_text, encoding="utf-8")
        scratch_root = Path(scratch) / "root"
        shutil.copytree(Path(data_dir) / "sources", scratch_root / "data" / "sources")
        (scratch_root / "data" / "sources" / source.name).write_bytes(fragment.source_text)
        try:
            merged = _load(scratch_targets, exclusions_path, scratch_root)
        except cat.CatalogueError as exc:
            raise FragmentError(exc.problems) from exc
        known = {p.key() for p in cat.validate(before)}
        return Check(merged_text, departments, [p for p in cat.validate(merged) if p.key() not in known])


def merge_fragment(fragment: Fragment, data_dir: Path) -> MergeResult:
    """Add the fragment's plan and accepted targets to ``data_dir``'s catalogue; raise FragmentError on problems."""
    check = check_fragment(fragment, data_dir)
    if check.problems:
        raise FragmentError(check.problems)
    targets_path, exclusions_path, source = _paths(data_dir, fragment)
    created = not source.exists()
    source.write_bytes(fragment.source_text)
    try:
        handle, temporary = tempfile.mkstemp(dir=data_dir, prefix=".targets.", suffix=".yaml")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(check.text)
        os.replace(temporary, targets_path)
    except OSError:
        if created:
            source.unlink(missing_ok=True)
        raise
    result = _load(targets_path, exclusions_path, Path(data_dir).parent)
    return MergeResult(str(fragment.plan["id"]), [t["id"] for t in fragment.targets],
                       [d["id"] for d in check.departments], source, targets_path, result)
