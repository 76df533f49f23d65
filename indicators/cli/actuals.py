"""`template`, `import` and `rollback`: the monthly actuals."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from indicators import accounts, service
from indicators.cli.common import _engine, month_arg


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
    """Validate an actuals file and, unless --dry-run, commit it as one batch."""
    from indicators import upload

    path = Path(args.file)
    engine = _engine()
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 1
    if args.user:
        scope = accounts.cli_import_scope(engine, args.user)  # unknown, disabled or read-only users may not import
        if isinstance(scope, int):
            return scope
        report = service.validate_upload_as(engine, args.user, data, path.name)  # plan-level scope as on the page
    else:
        report = upload.validate_upload(engine, data, path.name)
    batch_id, message = None, None
    if report.ok and not args.dry_run:
        result = upload.commit_upload(engine, report, data, uploader=args.user or "cli")
        service.record_commit(engine, args.user or "cli", report, result)
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
    service.record_rollback(engine, args.user or "cli", args.batch_id, row)
    print(f"rolled back batch {args.batch_id} ({row['file_name']}, {row['rows_written']} values)")
    return 0
