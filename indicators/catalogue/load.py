"""Load data/targets.yaml and data/not_targets.yaml into a Catalogue, with YAML line numbers for every problem."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from indicators import config
from indicators.catalogue import departments
from indicators.catalogue.models import Catalogue, CatalogueError, Exclusion, Plan, Problem, Sector, Target


def _yaml_with_lines(path: Path, list_key: str) -> tuple[dict, dict[int, int]]:
    """Safe-load a YAML file; also return the 1-based line of each item of its ``list_key`` list."""
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    lines: dict[int, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == list_key and isinstance(value, yaml.SequenceNode):
                lines = {i: item.start_mark.line + 1 for i, item in enumerate(value.value)}
    return data, lines


def _pydantic_problems(where: str, exc: ValidationError, line: int | None) -> list[Problem]:
    return [
        Problem(where, ".".join(str(p) for p in err["loc"]) or "-", err["msg"], line) for err in exc.errors()
    ]


def load(
    targets_path: Path | None = None,
    exclusions_path: Path | None = None,
    plans_path: Path | None = None,
) -> Catalogue:
    """Load the catalogue into models; raise CatalogueError listing every entry that does not fit the schema.

    ``plans_path`` lets a partial file (only ``targets:``) borrow plans and sectors from another file.
    """
    if targets_path is None:
        targets_path = config.targets_path()
        exclusions_path = exclusions_path or config.not_targets_path()
    targets_path = Path(targets_path)
    root = config.PROJECT_ROOT
    problems: list[Problem] = []
    try:
        data, target_lines = _yaml_with_lines(targets_path, "targets")
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogueError([Problem(str(targets_path), "-", f"cannot read YAML: {exc}")]) from exc
    if not isinstance(data, dict):
        raise CatalogueError([Problem(str(targets_path), "-", "top level must be a mapping with plans: and targets:")])
    meta = data
    if plans_path is not None:
        meta = yaml.safe_load(Path(plans_path).read_text(encoding="utf-8")) or {}

    plans: dict[str, Plan] = {}
    for raw in meta.get("plans") or []:
        try:
            plan = Plan.model_validate(raw)
            plans[plan.id] = plan
        except ValidationError as exc:
            problems += _pydantic_problems(f"plan {raw.get('id', '?') if isinstance(raw, dict) else '?'}", exc, None)
    sectors: dict[str, Sector] = {}
    for key, raw in (meta.get("sectors") or {}).items():
        try:
            sectors[str(key)] = Sector.model_validate(raw)
        except ValidationError as exc:
            problems += _pydantic_problems(f"sector {key}", exc, None)

    try:
        department_list = departments.parse(meta.get("departments"))
    except ValidationError as exc:
        problems += _pydantic_problems("departments", exc, None)
        department_list = []

    targets: list[Target] = []
    lines: dict[str, int] = {}
    for index, raw in enumerate(data.get("targets") or []):
        line = target_lines.get(index)
        ident = raw.get("id", f"targets[{index}]") if isinstance(raw, dict) else f"targets[{index}]"
        try:
            target = Target.model_validate(raw)
        except ValidationError as exc:
            problems += _pydantic_problems(str(ident), exc, line)
            continue
        targets.append(target)
        if line:
            lines.setdefault(target.id, line)

    exclusions: list[Exclusion] = []
    if exclusions_path is not None and Path(exclusions_path).exists():
        try:
            excl_data, excl_lines = _yaml_with_lines(Path(exclusions_path), "exclusions")
        except yaml.YAMLError as exc:
            raise CatalogueError([Problem(str(exclusions_path), "-", f"cannot read YAML: {exc}")]) from exc
        for index, raw in enumerate((excl_data or {}).get("exclusions") or []):
            try:
                exclusions.append(Exclusion.model_validate(raw))
            except ValidationError as exc:
                problems += _pydantic_problems(f"exclusion #{index + 1}", exc, excl_lines.get(index))
    if problems:
        raise CatalogueError(problems)
    return Catalogue(plans, sectors, targets, exclusions, root, lines, departments.Departments.of(department_list))
