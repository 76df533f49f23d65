"""`validate` and `init-db`: check the catalogue; create or migrate the schema and sync the catalogue."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from indicators import authoring, config
from indicators import catalogue as cat
from indicators.cli.common import _engine, _print_problems
from indicators.i18n import t


def cmd_validate(args: argparse.Namespace) -> int:
    """Check the catalogue against DESIGN §3."""
    targets_path = Path(args.targets) if args.targets else config.targets_path()
    exclusions_path = Path(args.exclusions) if args.exclusions else config.not_targets_path()
    plans_path = Path(args.plans) if args.plans else None
    if args.json and args.coverage:
        print(t("cli.validate_json_no_coverage", args.lang), file=sys.stderr)
        return 2
    try:
        catalogue = cat.load(targets_path, exclusions_path, plans_path=plans_path)
    except cat.CatalogueError as exc:
        if args.json:
            _print_json(targets_path, None, exc.problems, [], args.lang)
            return 1
        print(t("cli.catalogue_problems", args.lang, path=targets_path, count=len(exc.problems)))
        _print_problems(exc.problems, args.lang)
        return 1
    problems = cat.validate(catalogue) + cat.exclusion_problems(catalogue)
    uncovered = cat.coverage(catalogue) if (args.coverage or not args.no_coverage) else []
    if args.json:
        _print_json(targets_path, catalogue, problems, uncovered, args.lang)
        return 1 if problems or uncovered else 0

    lang = args.lang
    print(t("cli.catalogue_summary", lang, path=targets_path, targets=len(catalogue.targets),
            exclusions=len(catalogue.exclusions)))
    by_plan = Counter(target.plan for target in catalogue.targets)
    for plan_id in catalogue.plans:
        kinds = Counter(target.kind for target in catalogue.targets if target.plan == plan_id)
        print(f"  {plan_id:<26} " + t("cli.plan_kinds", lang, count=f"{by_plan.get(plan_id, 0):>4}",
                                        kinds=_kinds(kinds, lang)))
    print("  " + t("cli.by_kind", lang) + _kinds(Counter(target.kind for target in catalogue.targets), lang))
    if problems:
        print(t("cli.problems", lang, count=len(problems)))
        _print_problems(problems, lang)
    if uncovered:
        print(t("cli.uncovered", lang, count=len(uncovered)))
        for name, line, printed, context in uncovered:
            print(f"  ? {name}:{line}  {printed}  …{context}…")
    unexplained = []
    if args.coverage:
        # the extractor's candidates that are neither a catalogued target nor a judged non-target
        evaluation = authoring.evaluate(catalogue)
        unexplained = [(plan.source, c) for plan in evaluation.plans for c, why in plan.false_positives
                       if why == "not in the catalogue"]
        for source, candidate in unexplained:
            print("  ? " + t("cli.unexplained_candidate", lang, source=Path(source).name,
                             value=f"{candidate.value:g}{candidate.unit}", quote=candidate.quote))
    if problems or uncovered or unexplained:
        return 1
    print(t("cli.ok", lang))
    return 0


def _kinds(kinds: Counter, lang: str) -> str:
    """'累计增量 3，上限 1' / 'increment 3, cap 1': the targets of each kind, kinds in a fixed order."""
    return t("cli.kind_separator", lang).join(t("cli.kind_count", lang, kind=t(f"cli.kind.{kind}", lang), count=n)
                                              for kind, n in sorted(kinds.items()))


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
        print(t("cli.catalogue_invalid", args.lang))
        _print_problems(exc.problems, args.lang)
        return 1
    try:
        report = store.init_db(_engine(), catalogue)
    except store.UnitChangeError as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return 1
    print(t("cli.database_ready", args.lang, url=store.database_url().split("@")[-1], plans=report.plans,
            added=report.targets_added, updated=report.targets_updated, retired=report.targets_retired))
    for target_id, old, new, factor, count in report.units_converted:
        print("  " + t("cli.converted", args.lang, count=count, target=target_id, old=old, new=new, factor=f"{factor:g}"))
    return 0
