"""The ``extract`` and ``add-plan`` commands: candidates for a file, the evaluations, and adding a reviewed plan."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from indicators import catalogue as cat
from indicators.authoring.add_plan import add_parser as add_plan_parser
from indicators.authoring.evaluate import evaluate, load_catalogue
from indicators.authoring.fragment import write_fragment
from indicators.authoring.gold import DEFAULT_GOLD_DIR, evaluate_gold
from indicators.authoring.normalise import read_plan_text
from indicators.authoring.reader import extract_candidates
from indicators.authoring.review import candidates_to_yaml
from indicators.i18n import CodedError, t

RECALL_THRESHOLD = 0.95
PRECISION_THRESHOLD = 0.85
# goals on real texts never tuned on (issue 19)
GOLD_RECALL, GOLD_PRECISION, GOLD_READING = 0.95, 0.90, 0.95


def add_parser(subparsers: argparse._SubParsersAction, lang: str = "zh") -> argparse.ArgumentParser:
    """Add ``extract`` and ``add-plan`` to the CLI's subparsers (call from the CLI's parser builder), --help in ``lang``."""
    def h(key: str, **values: object) -> str:
        return t(f"cli.help.extract.{key}", lang, **values)

    def percent(share: float) -> str:
        return f"{share:.0%}%"  # argparse %-formats help texts: the sign doubled to stay one

    p = subparsers.add_parser("extract", help=h("help"), description=h("description"))
    p.add_argument("file", nargs="?", help=h("file"))
    p.add_argument("--plan-id", default="new-plan", help=h("plan_id"))
    p.add_argument("--out", help=h("out"))
    p.add_argument("--evaluate", nargs="?", const="", metavar="TEXTS_DIR",
                   help=h("evaluate", recall=percent(RECALL_THRESHOLD), precision=percent(PRECISION_THRESHOLD),
                          gold_recall=percent(GOLD_RECALL), gold_precision=percent(GOLD_PRECISION),
                          gold_reading=percent(GOLD_READING)))
    p.add_argument("--gold", default=str(DEFAULT_GOLD_DIR), help=h("gold"))
    p.add_argument("--split", choices=("tuning", "heldout"), help=h("split"))
    p.add_argument("--targets", help=h("targets"))
    p.add_argument("--exclusions", help=h("exclusions"))
    p.add_argument("--details", action="store_true", help=h("details"))
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help=h("lang"))
    p.set_defaults(func=run_cli)
    add_plan_parser(subparsers, lang)
    return p


def _evaluate_catalogue(args: argparse.Namespace) -> int:
    try:
        catalogue = load_catalogue(args.targets and Path(args.targets), args.exclusions and Path(args.exclusions))
    except cat.CatalogueError as exc:
        print(f"cannot load the catalogue: {exc}", file=sys.stderr)
        return 1
    result = evaluate(catalogue)
    print(result.table())
    if args.details:
        print(result.details())
    ok = result.recall >= RECALL_THRESHOLD and result.precision >= PRECISION_THRESHOLD
    print(f"{'OK' if ok else 'FAIL'}: recall {result.recall:.1%} (≥ {RECALL_THRESHOLD:.0%}), "
          f"precision {result.precision:.1%} (≥ {PRECISION_THRESHOLD:.0%})")
    return 0 if ok else 1


def _evaluate_gold(args: argparse.Namespace) -> int:
    try:
        result = evaluate_gold(Path(args.evaluate), Path(args.gold), args.split)
    except FileNotFoundError as exc:
        print(f"extract --evaluate: missing text {exc}", file=sys.stderr)
        return 1
    if not result.scores:
        print(f"extract --evaluate: no gold files in {args.gold}", file=sys.stderr)
        return 1
    print(result.table())
    judged = [s for s in result.scores if s.gold.split == "heldout"] or result.scores
    print(result.doubts(judged))
    if args.details:
        print(result.details())
    f = result.figures(judged)
    ok = f["recall"] >= GOLD_RECALL and f["precision"] >= GOLD_PRECISION and f["reading"] >= GOLD_READING
    label = "held-out" if judged is not result.scores else "all"
    print(f"{'OK' if ok else 'FAIL'} ({label}): recall {f['recall']:.1%} (≥ {GOLD_RECALL:.0%}), precision "
          f"{f['precision']:.1%} (≥ {GOLD_PRECISION:.0%}), comparator+kind {f['reading']:.1%} (≥ {GOLD_READING:.0%})")
    return 0 if ok else 1


def run_cli(args: argparse.Namespace) -> int:
    """Run ``extract``: YAML for a file (or a fragment with --out), or an evaluation; return the exit code."""
    if args.evaluate is not None:
        return _evaluate_gold(args) if args.evaluate else _evaluate_catalogue(args)
    if not args.file:
        print(t("cli.extract_needs_file", args.lang), file=sys.stderr)
        return 2
    path = Path(args.file)
    try:
        text = read_plan_text(path)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        reason = exc.message(args.lang) if isinstance(exc, CodedError) else getattr(exc, "strerror", None) or exc
        print("extract: " + t("cli.cannot_read", args.lang, path=path, reason=reason), file=sys.stderr)
        return 1
    candidates = extract_candidates(text, args.plan_id)
    if args.out:
        source = path
        if path.suffix.lower() != ".txt":  # a Word file: its text becomes the plan's source file
            source = Path(args.out).with_name(f"{path.stem}.txt")
            source.write_text(text, encoding="utf-8")
        write_fragment(Path(args.out), source, text, args.plan_id, candidates)
        print(t("cli.fragment_written", args.lang, count=len(candidates), path=args.out))
        return 0
    sys.stdout.write(candidates_to_yaml(candidates))
    return 0
