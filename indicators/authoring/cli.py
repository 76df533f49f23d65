"""The ``extract`` command: candidates for a file, or the evaluation."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from indicators import catalogue as cat
from indicators.authoring.evaluate import evaluate, load_catalogue
from indicators.authoring.reader import extract_candidates
from indicators.authoring.review import candidates_to_yaml

RECALL_THRESHOLD = 0.95
PRECISION_THRESHOLD = 0.85


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``extract`` command to the CLI's subparsers (call from ``indicators.cli.build_parser``)."""
    p = subparsers.add_parser(
        "extract", help="print candidate catalogue entries found in a policy text, as YAML; --evaluate scores it",
        description="Find candidate quantitative targets in a policy text (DESIGN §7).")
    p.add_argument("file", nargs="?", help="policy text (UTF-8 .txt)")
    p.add_argument("--plan-id", default="new-plan", help="plan id used in the suggested target ids")
    p.add_argument("--evaluate", action="store_true",
                   help="score the extractor on the seed plans against the catalogue; exit 1 below "
                        f"recall {RECALL_THRESHOLD:.0%} or precision {PRECISION_THRESHOLD:.0%}")
    p.add_argument("--targets", help="catalogue file (default data/targets.yaml, else the part files)")
    p.add_argument("--exclusions", help="exclusions file (default data/not_targets.yaml)")
    p.add_argument("--parts", help="evaluate against the part files in this folder")
    p.add_argument("--details", action="store_true", help="with --evaluate: list misses and false positives")
    p.set_defaults(func=run_cli)
    return p


def run_cli(args: argparse.Namespace) -> int:
    """Run ``extract``: print YAML for a file, or the evaluation table with ``--evaluate``; return the exit code."""
    if args.evaluate:
        try:
            catalogue = load_catalogue(args.targets and Path(args.targets), args.exclusions and Path(args.exclusions),
                                       args.parts and Path(args.parts))
        except cat.CatalogueError as exc:
            print(f"cannot load the catalogue: {exc}", file=sys.stderr)
            return 1
        result = evaluate(catalogue)
        print(result.table())
        if getattr(args, "details", False):
            print(result.details())
        ok = result.recall >= RECALL_THRESHOLD and result.precision >= PRECISION_THRESHOLD
        print(f"{'OK' if ok else 'FAIL'}: recall {result.recall:.1%} (≥ {RECALL_THRESHOLD:.0%}), "
              f"precision {result.precision:.1%} (≥ {PRECISION_THRESHOLD:.0%})")
        return 0 if ok else 1
    if not args.file:
        print("extract: give a FILE.txt or --evaluate", file=sys.stderr)
        return 2
    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"extract: cannot read {path}: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(candidates_to_yaml(extract_candidates(text, args.plan_id)))
    return 0
