"""`reporting`, `approve`, `reject` and the default month of `status`: the monthly reporting cycle (DESIGN §9)."""

from __future__ import annotations

import argparse
import json
import sys

from indicators.cli.common import _engine, add_lang, month_arg, pad
from indicators.i18n import t


def default_as_of(engine, plan_ids=None, lang: str = "zh") -> tuple[str | None, str]:
    """The default as-of month and a sentence saying why it was chosen (for `status` and `reporting`)."""
    from indicators.reporting import read

    cycle = read.load_cycle(engine, plan_ids)
    month = cycle.default_month()
    if month is None:
        return None, t("cli.no_data_yet", lang)
    cell = cycle.per_month().get(month)
    share = "" if cell is None or cell.completeness is None else t(
        "cli.default_share", lang, reported=cell.reported, expected=cell.expected, share=f"{cell.completeness:.0%}")
    return month, t("cli.default_as_of", lang, month=month, threshold=f"{cycle.threshold:.0%}", share=share)


def resolve_as_of(engine, text: str | None, plan_ids=None, quiet: bool = False, lang: str = "zh") -> str | None:
    """--as-of as YYYY-MM, or the default month (said on stderr); None after saying why not."""
    if text:
        return month_arg(text, lang)
    month, why = default_as_of(engine, plan_ids, lang)
    print(why, file=sys.stderr)
    return month


def cmd_reporting(args: argparse.Namespace) -> int:
    """Expected, reported, on time, late and missing reports per department or jurisdiction for a month."""
    from indicators import text
    from indicators.reporting import read

    engine = _engine()
    plan_ids = [args.plan] if args.plan else None
    as_of = resolve_as_of(engine, args.as_of, plan_ids, lang=args.lang)
    if as_of is None:
        return 1
    cycle = read.load_cycle(engine, plan_ids)
    if args.plan and not cycle.duties:
        print(t("cli.no_targets_for_plan", args.lang, plan=args.plan), file=sys.stderr)
        return 1
    cells = cycle.tally([as_of], args.by)
    missing = cycle.missing([as_of]) if args.missing else []
    if args.json:
        rows = [{k: v for k, v in c.as_json().items() if k != "month"} | {"month": as_of} for c in cells]
        print(json.dumps({"as_of": as_of, "groups": rows, "missing": [m.as_json() for m in missing]}
                         if args.missing else rows, ensure_ascii=False, indent=2))
        return 0
    widths = (("group", 30), ("expected", 9), ("reported", 9), ("on_time", 9), ("late", 6), ("missing", 9))
    print("".join(pad(t(f"cli.column.{name}", args.lang), columns, right=name != "group") for name, columns in widths))
    for c in cells:
        # the one group of no --by is "all" (its JSON key); a jurisdiction has its English name in the catalogue; a
        # department keeps its own name (data)
        group = (t("cli.group_all", args.lang) if args.by is None else
                 c.group if args.by == "unit" else text.jurisdiction_label(c.group, args.lang))
        values = (group, c.expected, c.reported, c.on_time, c.late, c.missing)
        print("".join(pad(value, columns, right=name != "group")
                      for value, (name, columns) in zip(values, widths, strict=True)))
    if args.missing:
        print("\n" + t("cli.missing_title", args.lang))
        for m in missing:
            print("  " + t("cli.missing_line", args.lang, reporter=m.reporter, target=m.target_id, month=m.month,
                           due=m.due, days=m.days_overdue))
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
    print(t("cli.approved" if approve else "cli.rejected", args.lang, batch=args.batch_id, file=row.file_name,
            uploader=row.uploader))
    return 0


def cmd_approve(args: argparse.Namespace) -> int:
    """Approve a submitted batch (approval_required): its values count from now on."""
    return _decide(args, True)


def cmd_reject(args: argparse.Namespace) -> int:
    """Reject a submitted batch with a reason: its values never count."""
    return _decide(args, False)


def add_parser(sub, lang: str = "zh") -> None:
    """Register `reporting` (and, with approval, `approve` and `reject`), their --help in ``lang``."""
    def h(key: str) -> str:
        return t(f"cli.help.reporting.{key}", lang)

    p = sub.add_parser("reporting", help=h("help"), description=h("help"))
    p.add_argument("--as-of", help=h("as_of"))
    p.add_argument("--plan", help=h("plan"))
    p.add_argument("--by", choices=["unit", "jurisdiction"], help=h("by"))
    p.add_argument("--json", action="store_true", help=h("json"))
    p.add_argument("--missing", action="store_true", help=h("missing"))
    add_lang(p, lang)
    p.set_defaults(func=cmd_reporting)

    p = sub.add_parser("approve", help=h("approve"), description=h("approve"))
    p.add_argument("batch_id", type=int, help=h("batch_id"))
    p.add_argument("--comment", help=h("comment"))
    p.add_argument("--user", help=h("approver"))
    add_lang(p, lang)
    p.set_defaults(func=cmd_approve)

    p = sub.add_parser("reject", help=h("reject"), description=h("reject"))
    p.add_argument("batch_id", type=int, help=h("batch_id"))
    p.add_argument("--reason", required=True, help=h("reason"))
    p.add_argument("--user", help=h("approver"))
    add_lang(p, lang)
    p.set_defaults(func=cmd_reject)
