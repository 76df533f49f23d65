"""`template`, `import` and `rollback`: the monthly actuals."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from indicators import service
from indicators.cli.common import _engine, cli_actor, month_arg
from indicators.i18n import t


def cmd_template(args: argparse.Namespace) -> int:
    """Write the month's actuals template (CSV, UTF-8 with BOM, Chinese headers)."""
    from indicators import upload

    period = month_arg(args.period, args.lang)
    if period is None:
        return 1
    engine = _engine()
    data = upload.template_csv(engine, args.plan, period)
    if data.count(b"\n") <= 1:
        print(t("cli.no_targets_for_plan", args.lang, plan=args.plan), file=sys.stderr)
        return 1
    out = Path(args.out or f"{args.plan}_{period}_actuals.csv")
    out.write_bytes(data)
    lines = data.count(b"\n")
    print(t("cli.template_written", args.lang, path=out, count=lines - 1))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Validate an actuals file and, unless --dry-run, commit it as one batch, through the service."""
    path = Path(args.file)
    engine = _engine()
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(t("cli.cannot_read", args.lang, path=path, reason=exc.strerror), file=sys.stderr)
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
        state = t("cli.import_valid" if report.ok else "cli.import_rejected", args.lang)
        print(t("cli.import_summary", args.lang, file=path.name, rows=report.rows_total, accepted=len(report.parsed),
                blank=report.rows_skipped, errors=len(report.errors), warnings=len(report.warnings), state=state))
        if message:
            print(message)
        elif report.ok and args.dry_run:
            print(t("cli.dry_run", args.lang))
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
    print(t("cli.rolled_back", args.lang, batch=args.batch_id, file=row.file_name, values=row.rows_written))
    return 0
