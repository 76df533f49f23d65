"""`validate` and `init-db`: check the catalogue; create or migrate the schema and sync the catalogue."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from indicators import authoring, config
from indicators import catalogue as cat
from indicators.cli.common import _engine, _print_problems


def cmd_validate(args: argparse.Namespace) -> int:
    """Check the catalogue against DESIGN §3."""
    targets_path = Path(args.targets) if args.targets else config.targets_path()
    exclusions_path = Path(args.exclusions) if args.exclusions else config.not_targets_path()
    plans_path = Path(args.plans) if args.plans else None
    if args.json and args.coverage:
        print("validate: --json does not take --coverage (the extractor's candidates are listed as text)", file=sys.stderr)
        return 2
    try:
        catalogue = cat.load(targets_path, exclusions_path, plans_path=plans_path)
    except cat.CatalogueError as exc:
        if args.json:
            _print_json(targets_path, None, exc.problems, [], args.lang)
            return 1
        print(f"catalogue {targets_path}: {len(exc.problems)} problem(s)")
        _print_problems(exc.problems, args.lang)
        return 1
    problems = cat.validate(catalogue) + cat.exclusion_problems(catalogue)
    uncovered = cat.coverage(catalogue) if (args.coverage or not args.no_coverage) else []
    if args.json:
        _print_json(targets_path, catalogue, problems, uncovered, args.lang)
        return 1 if problems or uncovered else 0

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
        _print_problems(problems, args.lang)
    if uncovered:
        print(f"{len(uncovered)} number(s) in the sources are neither a target nor a listed exclusion:")
        for name, line, printed, context in uncovered:
            print(f"  ? {name}:{line}  {printed}  …{context}…")
    unexplained = []
    if args.coverage:
        # the extractor's candidates that are neither a catalogued target nor a judged non-target
        evaluation = authoring.evaluate(catalogue)
        unexplained = [(plan.source, c) for plan in evaluation.plans for c, why in plan.false_positives
                       if why == "not in the catalogue"]
        for source, candidate in unexplained:
            print(f"  ? {Path(source).name}: candidate {candidate.value:g}{candidate.unit} in “{candidate.quote}” "
                  "is neither catalogued nor excluded")
    if problems or uncovered or unexplained:
        return 1
    print("OK")
    return 0


def _print_json(path: Path, catalogue: cat.Catalogue | None, problems: list, uncovered: list, lang: str) -> None:
    """``validate --json``: the counts, each problem with its code, params and message, the uncovered numbers."""
    import json

    print(json.dumps({
        "catalogue": str(path),
        "targets": None if catalogue is None else len(catalogue.targets),
        "exclusions": None if catalogue is None else len(catalogue.exclusions),
        "problems": [p.as_dict(lang) for p in problems],
        "uncovered": [{"source": name, "line": line, "number": printed, "context": context}
                      for name, line, printed, context in uncovered],
        "ok": not problems and not uncovered,
    }, ensure_ascii=False, indent=2))


def cmd_init_db(args: argparse.Namespace) -> int:
    """Create or migrate the schema and sync plans and targets from the catalogue."""
    from indicators import store

    try:
        catalogue = cat.load()
    except cat.CatalogueError as exc:
        print("the catalogue is invalid; run `python -m indicators validate`")
        _print_problems(exc.problems)
        return 1
    try:
        report = store.init_db(_engine(), catalogue)
    except store.UnitChangeError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"database ready ({store.database_url().split('@')[-1]}): {report.plans} plans, "
          f"{report.targets_added} targets added, {report.targets_updated} updated, {report.targets_retired} retired")
    for target_id, old, new, factor, count in report.units_converted:
        print(f"  converted {count} stored value(s) of {target_id} from {old} to {new} (x{factor:g}); the values as "
              "uploaded are kept")
    return 0
