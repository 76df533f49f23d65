"""`template`, `import` and `rollback`: the monthly actuals."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from indicators import service
from indicators.cli.common import _engine, cli_actor, month_arg


def cmd_template(args: argparse.Namespace) -> int:
    """Write the month's actuals template (CSV, UTF-8 with BOM, Chinese headers)."""
    from indicators import upload

    period = month_arg(args.period)
    if period is None:
        return 1
    engine = _engine()
    data = upload.template_csv(engine, args.plan, period)
    if data.count(b"\n") <= 1:
        print(f"no targets for plan {args.plan!r} (run init-db first?)", file=sys.stderr)
        return 1
    out = Path(args.out or f"{args.plan}_{period}_actuals.csv")
    out.write_bytes(data)
    lines = data.count(b"\n")
    print(f"wrote {out} ({lines - 1} targets)")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Validate an actuals file and, unless --dry-run, commit it as one batch, through the service."""
    path = Path(args.file)
    engine = _engine()
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 1
    actor = cli_actor(engine, args.user, args.lang)
    if actor is None:
        return 1
    report = service.validate(engine, actor, data, path.name)
    batch_id, message = None, None
    if report.ok and not args.dry_run:
        try:
            result = service.commit(engine, actor, report, data)
        except service.Denied as exc:
            print(exc.message(args.lang), file=sys.stderr)
            return 1
        batch_id, message = result.batch_id, result.message(args.lang)
    if args.json:
        print(json.dumps(report.as_json(batch_id, args.lang), ensure_ascii=False, indent=2))
    else:
        for issue in report.errors + report.warnings:
            mark = "✗" if issue.severity == "error" else "!"
            print(f"  {mark} {issue.where(args.lang)} [{issue.code}]: {issue.message(args.lang)}")
        state = "valid" if report.ok else "rejected"
        print(f"{path.name}: {report.rows_total} rows, {len(report.parsed)} accepted, {report.rows_skipped} blank, "
              f"{len(report.errors)} errors, {len(report.warnings)} warnings — {state}")
        if message:
            print(message)
        elif report.ok and args.dry_run:
            print("dry run: nothing written")
    return 0 if report.ok else 1


def cmd_rollback(args: argparse.Namespace) -> int:
    """Roll a batch back through the service (scope checked, audited); the previous revisions count again."""
    from indicators import store

    engine = _engine()
    actor = cli_actor(engine, args.user, args.lang)
    if actor is None:
        return 1
    try:
        row = service.rollback(engine, actor, args.batch_id)
    except service.Denied as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return 1
    except store.RollbackError as exc:
        print(service.rollback_message(exc, args.lang), file=sys.stderr)
        return 1
    print(f"rolled back batch {args.batch_id} ({row.file_name}, {row.rows_written} values)")
    return 0
