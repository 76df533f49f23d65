"""Command line: `python -m indicators COMMAND` (DESIGN §7)."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from indicators import auth, extract
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
        plans_path = Path(args.plans or cat.DEFAULT_TARGETS)
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
    unexplained = []
    if args.coverage:
        # the extractor's candidates that are neither a catalogued target nor a judged non-target
        evaluation = extract.evaluate(catalogue)
        unexplained = [(plan.source, c) for plan in evaluation.plans for c, why in plan.false_positives
                       if why == "not in the catalogue"]
        for source, candidate in unexplained:
            print(f"  ? {Path(source).name}: candidate {candidate.value:g}{candidate.unit} in “{candidate.quote}” "
                  "is neither catalogued nor excluded")
    if problems or uncovered or unexplained:
        return 1
    print("OK")
    return 0


def _month(text: str) -> str | None:
    """A --period / --as-of argument as YYYY-MM, or None (after saying why on stderr)."""
    from indicators import ingest

    month = ingest.parse_period(text)
    if month is None:
        print(f"bad month {text!r}; use YYYY-MM", file=sys.stderr)
    return month


def _engine():
    from indicators import store

    return store.make_engine()


def cmd_init_db(args: argparse.Namespace) -> int:
    """Create or migrate the schema and sync plans and targets from the catalogue."""
    from indicators import store

    try:
        catalogue = cat.load()
    except cat.CatalogueError as exc:
        print("the catalogue is invalid; run `python -m indicators validate`")
        _print_problems(exc.problems)
        return 1
    report = store.init_db(_engine(), catalogue)
    print(f"database ready ({store.database_url().split('@')[-1]}): {report.plans} plans, "
          f"{report.targets_added} targets added, {report.targets_updated} updated, {report.targets_retired} retired")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    """Write the month's actuals template (CSV, UTF-8 with BOM, Chinese headers)."""
    from indicators import ingest

    period = _month(args.period)
    if period is None:
        return 1
    engine = _engine()
    data = ingest.template_csv(engine, args.plan, period)
    if data.count(b"\n") <= 1:
        print(f"no targets for plan {args.plan!r} (run init-db first?)", file=sys.stderr)
        return 1
    out = Path(args.out or f"{args.plan}_{period}_actuals.csv")
    out.write_bytes(data)
    lines = data.count(b"\n")
    print(f"wrote {out} ({lines - 1} targets)")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Validate an actuals file and, unless --dry-run, commit it as one batch."""
    from indicators import ingest

    path = Path(args.file)
    engine = _engine()
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 1
    if args.user:
        scope = auth.cli_import_scope(engine, args.user)  # unknown, disabled or read-only users may not import
        if isinstance(scope, int):
            return scope
        report = auth.validate_upload_as(engine, args.user, data, path.name)  # plan-level scope as on the page
    else:
        report = ingest.validate_upload(engine, data, path.name)
    batch_id, message = None, None
    if report.ok and not args.dry_run:
        result = ingest.commit_upload(engine, report, data, uploader=args.user or "cli")
        auth.record_commit(engine, args.user or "cli", report, result)
        batch_id = result.batch_id
        message = result.message_zh if args.lang == "zh" else result.message_en
    if args.json:
        print(json.dumps(report.as_json(batch_id, args.lang), ensure_ascii=False, indent=2))
    else:
        for issue in report.errors + report.warnings:
            mark = "✗" if issue.severity == "error" else "!"
            print(f"  {mark} row {issue.row}, {issue.column}: {issue.message(args.lang)}")
        state = "valid" if report.ok else "rejected"
        print(f"{path.name}: {report.rows_total} rows, {len(report.parsed)} accepted, {report.rows_skipped} blank, "
              f"{len(report.errors)} errors, {len(report.warnings)} warnings — {state}")
        if message:
            print(message)
        elif report.ok and args.dry_run:
            print("dry run: nothing written")
    return 0 if report.ok else 1


def cmd_rollback(args: argparse.Namespace) -> int:
    """Mark a batch rolled back; the previous revisions count again."""
    from indicators import store

    engine = _engine()
    try:
        row = store.rollback_batch(engine, args.batch_id, user=args.user or "cli")
    except store.RollbackError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    auth.record_rollback(engine, args.user or "cli", args.batch_id, row)
    print(f"rolled back batch {args.batch_id} ({row['file_name']}, {row['rows_written']} values)")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    """The progress table of DESIGN §6 (or a roll-up with --by)."""
    from indicators import progress, status

    as_of = _month(args.as_of)
    if as_of is None:
        return 1
    infos, results = status.compute(_engine(), as_of, [args.plan] if args.plan else None)
    if args.plan and not infos:
        print(f"no targets for plan {args.plan!r} (run init-db first?)", file=sys.stderr)
        return 1
    if args.by:
        groups = progress.rollup(results, status.group_keys(infos, args.by))
        if args.json:
            print(json.dumps([{"key": g.key, "total": g.total, "counts": g.counts,
                               "mean_completion": g.mean_completion,
                               "laggards": [p.target_id for p in g.laggards]} for g in groups],
                             ensure_ascii=False, indent=2))
            return 0
        header = f"{args.by:<28}{'total':>6}" + "".join(f"{s:>10}" for s in progress.STATUSES) + f"{'mean %':>9}"
        print(header)
        for g in groups:
            mean = "" if g.mean_completion is None else f"{g.mean_completion:.1%}"
            print(f"{g.key:<28}{g.total:>6}" + "".join(f"{g.counts[s]:>10}" for s in progress.STATUSES) + f"{mean:>9}")
        return 0
    if args.json:
        print(json.dumps([r.as_json() for r in results], ensure_ascii=False, indent=2))
        return 0
    names = {i.spec.id: i.name for i in infos}
    for r in results:
        completion = "" if r.completion is None else f"{r.completion:.1%}"
        print(f"{r.status:<9} {completion:>8}  {r.target_id:<58} {names[r.target_id]}  {r.explanation_zh}")
    counts = progress.status_counts(results)
    print(f"as of {as_of}: {len(results)} targets — " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write the briefing pack (PNG charts, index.csv, ZIP, optional Word briefing)."""
    from indicators import export

    as_of = _month(args.as_of)
    if as_of is None:
        return 1
    try:
        zip_path = export.build_pack(_engine(), as_of, Path(args.out), [args.plan] if args.plan else None,
                                     args.lang, args.size, args.docx)
    except export.ExportError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except KeyError as exc:
        print(f"unknown plan {exc}", file=sys.stderr)
        return 1
    files = sum(1 for p in Path(args.out).rglob("*.png"))
    print(f"wrote {files} charts to {args.out} and {zip_path.name}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Load the clearly-labelled synthetic demo actuals."""
    from indicators import demo, store

    engine = _engine()
    if args.if_empty and store.has_observations(engine):
        print("the database already holds actuals; demo data not loaded")
        return 0
    results = demo.load_demo(engine)
    written = sum(r.written for r in results)
    print(f"loaded demo data (示例数据): {len(results)} batches, {written} values — shown with a demo banner; "
          f"roll back batches {', '.join(str(r.batch_id) for r in results)} to remove it")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """Run a benchmark and print its figures."""
    from indicators import bench

    if args.what == "import":
        result = bench.bench_import(args.rows or 100_000, args.url, args.runs)
        print(f"bench import ({'sqlite' if not args.url else args.url.split(':')[0]}):")
        print("\n".join("  " + line for line in result.lines()))
    elif args.what == "export":
        print("bench export:")
        print("\n".join("  " + line for line in bench.bench_export()))
    elif args.what == "status":
        result = bench.bench_status(args.url)
        print(f"bench status ({'sqlite' if not args.url else args.url.split(':')[0]}):")
        print("\n".join("  " + line for line in result.lines()))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m indicators", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check the catalogue against DESIGN §3; exit 1 listing every problem")
    p.add_argument("--targets", default=str(cat.DEFAULT_TARGETS))
    p.add_argument("--exclusions", default=str(cat.DEFAULT_EXCLUSIONS))
    p.add_argument("--coverage", action="store_true",
                   help="also run the extractor over the sources and list candidates neither catalogued nor excluded")
    p.add_argument("--no-coverage", action="store_true", help="skip the coverage check")
    p.add_argument("--part", help=argparse.SUPPRESS)
    p.add_argument("--plans", help="take plans and sectors from this file instead of the targets file")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("init-db", help="create or migrate the schema and sync the catalogue")
    p.set_defaults(func=cmd_init_db)

    p = sub.add_parser("template", help="write the actuals template for a plan and month")
    p.add_argument("--plan", required=True)
    p.add_argument("--period", required=True, help="YYYY-MM")
    p.add_argument("--out", help="output file (default PLAN_PERIOD_actuals.csv)")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("import", help="validate and commit an actuals CSV/XLSX")
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true")
    p.add_argument("--json", action="store_true")
    p.add_argument("--user", help="account name; its jurisdiction scope is enforced")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("rollback", help="roll a batch back")
    p.add_argument("batch_id", type=int)
    p.add_argument("--user")
    p.set_defaults(func=cmd_rollback)

    p = sub.add_parser("status", help="progress of every target as of a month")
    p.add_argument("--as-of", required=True, help="YYYY-MM")
    p.add_argument("--plan")
    p.add_argument("--by", choices=["sector", "unit", "jurisdiction", "plan"], help="roll up instead of listing")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("export", help="write the briefing pack of PNG charts")
    p.add_argument("--as-of", required=True, help="YYYY-MM")
    p.add_argument("--out", required=True, help="output directory")
    p.add_argument("--plan")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("--size", choices=["slide", "a4"], default="slide")
    p.add_argument("--docx", action="store_true", help="also write a Word briefing per plan")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("demo", help="load the clearly-labelled synthetic demo actuals")
    p.add_argument("--if-empty", action="store_true", help="only when the database holds no actuals yet")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("bench", help="benchmarks: import | status | export")
    p.add_argument("what", choices=["import", "status", "export"])
    p.add_argument("--rows", type=int, help="rows for `bench import` (default 100000)")
    p.add_argument("--runs", type=int, default=7, help="rounds of `bench import`; medians are shown (default 7)")
    p.add_argument("--url", help="a scratch database URL: its catalogue is replaced (default: fresh SQLite files in a temp dir)")
    p.set_defaults(func=cmd_bench)

    extract.add_parser(sub)
    auth.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)
