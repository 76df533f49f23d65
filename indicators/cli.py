"""Command line: `python -m indicators COMMAND` (DESIGN §7)."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from indicators import catalogue as cat


def _print_problems(problems: list) -> None:
    for problem in problems:
        print(f"  ✗ {problem}")


def cmd_validate(args: argparse.Namespace) -> int:
    """Check the catalogue (and, with --part, one helper's partial file) against DESIGN §3."""
    if args.part:
        part = Path(args.part)
        targets_path = part.with_suffix(".yaml") if part.suffix != ".yaml" else part
        exclusions_path = targets_path.with_name(targets_path.stem + ".exclusions.yaml")
        plans_path = Path(args.plans or cat.PROJECT_ROOT / "data" / "parts" / "plans.yaml")
    else:
        targets_path, exclusions_path = Path(args.targets), Path(args.exclusions)
        plans_path = Path(args.plans) if args.plans else None
    try:
        catalogue = cat.load(targets_path, exclusions_path, plans_path=plans_path)
    except cat.CatalogueError as exc:
        print(f"catalogue {targets_path}: {len(exc.problems)} problem(s)")
        _print_problems(exc.problems)
        return 1
    problems = cat.validate(catalogue) + cat.exclusion_problems(catalogue)
    sources = None
    if args.part:
        sources = sorted({Path(catalogue.quote_source(t)).name for t in catalogue.targets}
                         | {Path(e.source).name for e in catalogue.exclusions})
    uncovered = cat.coverage(catalogue, sources) if (args.coverage or args.part or not args.no_coverage) else []

    print(f"catalogue {targets_path}: {len(catalogue.targets)} targets, {len(catalogue.exclusions)} judged non-targets")
    by_plan = Counter(t.plan for t in catalogue.targets)
    for plan_id in catalogue.plans:
        kinds = Counter(t.kind for t in catalogue.targets if t.plan == plan_id)
        detail = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
        print(f"  {plan_id:<26} {by_plan.get(plan_id, 0):>4}  ({detail})")
    kinds = Counter(t.kind for t in catalogue.targets)
    print("  by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    if problems:
        print(f"{len(problems)} problem(s):")
        _print_problems(problems)
    if uncovered:
        print(f"{len(uncovered)} number(s) in the sources are neither a target nor a listed exclusion:")
        for name, line, printed, context in uncovered:
            print(f"  ? {name}:{line}  {printed}  …{context}…")
    if problems or uncovered:
        return 1
    print("OK")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m indicators", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check the catalogue against DESIGN §3; exit 1 listing every problem")
    p.add_argument("--targets", default=str(cat.DEFAULT_TARGETS))
    p.add_argument("--exclusions", default=str(cat.DEFAULT_EXCLUSIONS))
    p.add_argument("--coverage", action="store_true", help="also list source numbers neither catalogued nor excluded")
    p.add_argument("--no-coverage", action="store_true", help="skip the coverage check")
    p.add_argument("--part", help=argparse.SUPPRESS)
    p.add_argument("--plans", help="take plans and sectors from this file instead of the targets file")
    p.set_defaults(func=cmd_validate)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)
