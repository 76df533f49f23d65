"""`reporting`, `approve`, `reject` and the default month of `status`: the monthly reporting cycle (DESIGN §9)."""

from __future__ import annotations

import argparse
import json
import sys

from indicators.cli.common import _engine, month_arg


def default_as_of(engine, plan_ids=None) -> tuple[str | None, str]:
    """The default as-of month and a sentence saying why it was chosen (for `status` and `reporting`)."""
    from indicators.reporting import read

    cycle = read.load_cycle(engine, plan_ids)
    month = cycle.default_month()
    if month is None:
        return None, "no data yet: give --as-of YYYY-MM"
    cell = cycle.per_month().get(month)
    share = "" if cell is None or cell.completeness is None else f", {cell.reported}/{cell.expected} reported " \
                                                                  f"({cell.completeness:.0%})"
    return month, (f"as of {month} (default: the latest month with at least {cycle.threshold:.0%} of its reports "
                   f"in, else the latest with data{share})")


def resolve_as_of(engine, text: str | None, plan_ids=None, quiet: bool = False) -> str | None:
    """--as-of as YYYY-MM, or the default month (said on stderr); None after saying why not."""
    if text:
        return month_arg(text)
    month, why = default_as_of(engine, plan_ids)
    print(why, file=sys.stderr)
    return month


def cmd_reporting(args: argparse.Namespace) -> int:
    """Expected, reported, on time, late and missing reports per department or jurisdiction for a month."""
    from indicators.reporting import read

    engine = _engine()
    plan_ids = [args.plan] if args.plan else None
    as_of = resolve_as_of(engine, args.as_of, plan_ids)
    if as_of is None:
        return 1
    cycle = read.load_cycle(engine, plan_ids)
    if args.plan and not cycle.duties:
        print(f"no targets for plan {args.plan!r} (run init-db first?)", file=sys.stderr)
        return 1
    cells = cycle.tally([as_of], args.by)
    missing = cycle.missing([as_of]) if args.missing else []
    if args.json:
        rows = [{k: v for k, v in c.as_json().items() if k != "month"} | {"month": as_of} for c in cells]
        print(json.dumps({"as_of": as_of, "groups": rows, "missing": [m.as_json() for m in missing]}
                         if args.missing else rows, ensure_ascii=False, indent=2))
        return 0
    print(f"{'group':<30}{'expected':>9}{'reported':>9}{'on time':>9}{'late':>6}{'missing':>9}")
    for c in cells:
        print(f"{c.group:<30}{c.expected:>9}{c.reported:>9}{c.on_time:>9}{c.late:>6}{c.missing:>9}")
    if args.missing:
        print("\nmissing reports (催报):")
        for m in missing:
            print(f"  {m.reporter}  {m.target_id}  {m.month}  due {m.due}  {m.days_overdue} days overdue")
    return 0


def _decide(args: argparse.Namespace, approve: bool) -> int:
    from indicators import service
    from indicators.cli.common import cli_actor

    engine = _engine()
    actor = cli_actor(engine, args.user, args.lang)  # --user signs in; without it the operator, os:<login>
    if actor is None:
        return 1
    try:
        if approve:
            row = service.approve(engine, actor, args.batch_id, comment=args.comment or "")
        else:
            row = service.reject(engine, actor, args.batch_id, reason=args.reason)
    except (service.ApprovalError, service.Denied) as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return 1
    print(f"{'approved' if approve else 'rejected'} batch {args.batch_id} ({row.file_name}, by {row.uploader})")
    return 0


def cmd_approve(args: argparse.Namespace) -> int:
    """Approve a submitted batch (approval_required): its values count from now on."""
    return _decide(args, True)


def cmd_reject(args: argparse.Namespace) -> int:
    """Reject a submitted batch with a reason: its values never count."""
    return _decide(args, False)


def add_parser(sub) -> None:
    """Register `reporting` (and, with approval, `approve` and `reject`)."""
    p = sub.add_parser("reporting", help="expected, reported, on time, late and missing reports for a month")
    p.add_argument("--as-of", help="YYYY-MM (default: the latest month with enough reports in)")
    p.add_argument("--plan")
    p.add_argument("--by", choices=["unit", "jurisdiction"], help="group by reporting department or jurisdiction")
    p.add_argument("--json", action="store_true")
    p.add_argument("--missing", action="store_true", help="also list the missing reports (催报)")
    p.set_defaults(func=cmd_reporting)

    p = sub.add_parser("approve", help="approve a submitted batch (when approval_required is on)")
    p.add_argument("batch_id", type=int)
    p.add_argument("--comment", help="optional comment, kept in the audit log")
    p.add_argument("--user", help="an approver of the batch's jurisdiction, or an admin")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.set_defaults(func=cmd_approve)

    p = sub.add_parser("reject", help="reject a submitted batch with a reason")
    p.add_argument("batch_id", type=int)
    p.add_argument("--reason", required=True)
    p.add_argument("--user", help="an approver of the batch's jurisdiction, or an admin")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.set_defaults(func=cmd_reject)
