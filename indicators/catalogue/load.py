"""Load data/targets.yaml and data/not_targets.yaml into a Catalogue, with YAML line numbers for every problem."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import ValidationError

from indicators import config
from indicators.catalogue import departments
from indicators.catalogue.models import Catalogue, CatalogueError, Exclusion, Plan, Problem, Sector, Target
from indicators.catalogue.safe_yaml import SAFE_LOADER, safe_load


def _yaml_with_lines(path: Path, list_key: str) -> tuple[dict, dict[int, int]]:
    """Safe-load a YAML file; also return the 1-based line of each item of its ``list_key`` list (one parse)."""
    text = path.read_text(encoding="utf-8")
    loader = SAFE_LOADER(text)
    try:
        node = loader.get_single_node()
        data = (loader.construct_document(node) if node is not None else None) or {}
    finally:
        loader.dispose()
    lines: dict[int, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == list_key and isinstance(value, yaml.SequenceNode):
                lines = {i: item.start_mark.line + 1 for i, item in enumerate(value.value)}
    return data, lines


# pydantic's error types as problem codes (catalogue.<code> in i18n catalogue.toml); each takes {field} and, but for
# a missing field, the {value} found. An unmapped type becomes schema_other with pydantic's own text as {detail}.
SCHEMA_CODES = {
    "missing": "schema_missing",
    "extra_forbidden": "schema_extra",
    **dict.fromkeys(("string_type", "string_sub_type", "string_unicode"), "schema_not_text"),
    **dict.fromkeys(("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float", "finite_number"),
                    "schema_not_number"),
    **dict.fromkeys(("bool_parsing", "bool_type"), "schema_not_bool"),
    "literal_error": "schema_choice",
    **dict.fromkeys(("list_type", "tuple_type", "iterable_type"), "schema_not_list"),
    **dict.fromkeys(("dict_type", "model_type", "model_attributes_type"), "schema_not_mapping"),
    **dict.fromkeys(("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact",
                     "datetime_type", "datetime_parsing"), "schema_not_date"),
    "month": "schema_not_month",
}


def _shown(value: object) -> str:
    """A value as a problem quotes it: its repr, cut short (a whole mapping can be the input)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def schema_problem(where: str, err: dict, line: int | None, entry: str) -> Problem:
    """One pydantic error as a Problem: its type mapped to a code, the field's location as a parameter."""
    location = ".".join(str(p) for p in err["loc"]) or "-"
    code = SCHEMA_CODES.get(err["type"], "schema_other")
    params: dict = {"field": location}
    if code == "schema_other":
        params["detail"] = err["msg"]
    elif code != "schema_missing":
        params["value"] = _shown(err["input"])
    if code == "schema_choice":  # pydantic writes "'a', 'b' or 'c'": a list, joined the reader's way when shown
        params["expected"] = re.split(r", | or ", str((err.get("ctx") or {}).get("expected", "")))
    return Problem(where, location, code, params, line, entry)


def _pydantic_problems(where: str, exc: ValidationError, line: int | None, entry: str = "target") -> list[Problem]:
    return [schema_problem(where, err, line, entry) for err in exc.errors()]


def _unreadable(path: Path, exc: Exception) -> Problem:
    """A YAML file that cannot be read or parsed (the parser's own text as the detail)."""
    return Problem(str(path), "-", "yaml_unreadable", {"detail": str(exc).replace("\n", " ")}, entry="file")


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
        raise CatalogueError([_unreadable(targets_path, exc)]) from exc
    if not isinstance(data, dict):
        raise CatalogueError([Problem(str(targets_path), "-", "top_level_not_mapping", entry="file")])
    meta = data
    if plans_path is not None:
        meta = safe_load(Path(plans_path).read_text(encoding="utf-8")) or {}

    plans: dict[str, Plan] = {}
    for raw in meta.get("plans") or []:
        try:
            plan = Plan.model_validate(raw)
            plans[plan.id] = plan
        except ValidationError as exc:
            problems += _pydantic_problems(str(raw.get("id", "?") if isinstance(raw, dict) else "?"), exc, None, "plan")
    sectors: dict[str, Sector] = {}
    for key, raw in (meta.get("sectors") or {}).items():
        try:
            sectors[str(key)] = Sector.model_validate(raw)
        except ValidationError as exc:
            problems += _pydantic_problems(str(key), exc, None, "sector")

    try:
        department_list = departments.parse(meta.get("departments"))
    except ValidationError as exc:
        problems += _pydantic_problems("", exc, None, "departments")
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
            raise CatalogueError([_unreadable(Path(exclusions_path), exc)]) from exc
        for index, raw in enumerate((excl_data or {}).get("exclusions") or []):
            try:
                exclusions.append(Exclusion.model_validate(raw))
            except ValidationError as exc:
                problems += _pydantic_problems(str(index + 1), exc, excl_lines.get(index), "exclusion")
    if problems:
        raise CatalogueError(problems)
    return Catalogue(plans, sectors, targets, exclusions, root, lines, departments.Departments.of(department_list))
