"""`status`, `export`, `demo` and `bench`: what the data says, the briefing pack, demo data and benchmarks."""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from indicators.cli.common import _engine, month_arg, pad
from indicators.i18n import pick, status_label, t


def standard_json(value: object) -> str:
    """JSON that every parser reads: a non-finite number (never stored, but a ratio may overflow) becomes null
    instead of Python's Infinity/NaN."""
    def finite(item: object) -> object:
        if isinstance(item, float) and not math.isfinite(item):
            return None
        if isinstance(item, dict):
            return {key: finite(v) for key, v in item.items()}
        if isinstance(item, (list, tuple)):
            return [finite(v) for v in item]
        return item
    return json.dumps(finite(value), ensure_ascii=False, indent=2, allow_nan=False)


def cmd_status(args: argparse.Namespace) -> int:
    """The progress table of DESIGN §6 (or a roll-up with --by)."""
    from indicators import progress
    from indicators.cli.reporting import resolve_as_of
    from indicators.progress import read_model

    lang = args.lang
    as_of = resolve_as_of(_engine(), args.as_of, [args.plan] if args.plan else None, lang=lang)
    if as_of is None:
        return 1
    infos, results = read_model.compute(_engine(), as_of, [args.plan] if args.plan else None)
    if args.plan and not infos:
        print(t("cli.no_targets_for_plan", lang, plan=args.plan), file=sys.stderr)
        return 1
    if args.by:
        groups = progress.rollup(results, read_model.group_keys(infos, args.by))
        if args.by in ("unit", "division"):
            groups = progress.behind_schedule(groups)  # departments furthest behind schedule first (issue 15)
        if args.json:
            print(standard_json([{"key": g.key, "total": g.total, "counts": g.counts,
                                  "mean_completion": g.mean_completion,
                                  "laggards": [p.target_id for p in g.laggards]} for g in groups]))
            return 0
        print(pad(t(f"cli.column.{args.by}", lang), 28) + pad(t("cli.column.total", lang), 6, True)
              + "".join(pad(status_label(s, lang), 12, True) for s in progress.STATUSES)
              + pad(t("cli.column.mean", lang), 12, True))
        for g in groups:
            mean = "" if g.mean_completion is None else f"{g.mean_completion:.1%}"
            print(pad(g.key, 28) + pad(g.total, 6, True) + "".join(pad(g.counts[s], 12, True) for s in progress.STATUSES)
                  + pad(mean, 12, True))
        return 0
    if args.json:
        print(standard_json([r.as_json() for r in results]))
        return 0
    names = {i.spec.id: pick(i.name, i.name_en, lang) for i in infos}
    for r in results:
        completion = "" if r.completion is None else f"{r.completion:.1%}"
        explanation = pick(r.explanation_zh, r.explanation_en, lang)
        print(f"{pad(status_label(r.status, lang), 12)} {completion:>8}  {r.target_id:<58} {names[r.target_id]}  "
              f"{explanation}")
    counts = progress.status_counts(results)
    unreported = sum(1 for r in results if not r.reported)
    counted = t("cli.status_separator", lang).join(t("cli.status_count", lang, status=status_label(k, lang), count=v)
                                                   for k, v in counts.items())
    print(t("cli.status_summary", lang, month=as_of, count=len(results), counts=counted, unreported=unreported))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write the briefing pack (PNG charts, index.csv, ZIP, optional Word briefing) and/or the PowerPoint deck."""
    from indicators.outputs import pack, png, slides

    as_of = month_arg(args.as_of, args.lang)
    if as_of is None:
        return 1
    if not args.out and not args.pptx:
        print(t("cli.export_needs_out", args.lang), file=sys.stderr)
        return 2
    plans = [args.plan] if args.plan else None
    try:
        with png.drawing_with(None) as renderer:  # one browser for the pack, its Word briefings and the deck
            if args.out:
                zip_path = pack.build_pack(_engine(), as_of, Path(args.out), plans, args.lang, args.size, args.docx,
                                           renderer=renderer)
                files = sum(1 for p in Path(args.out).rglob("*.png"))
                print(t("cli.charts_written", args.lang, count=files, dir=args.out, zip=zip_path.name))
            if args.pptx:
                deck = slides.build_deck(_engine(), as_of, Path(args.pptx), plans, args.lang, renderer=renderer)
                print(t("cli.deck_written", args.lang, path=deck))
    except png.ExportError as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return 1
    except KeyError as exc:
        print(t("cli.unknown_plan", args.lang, plan=exc), file=sys.stderr)
        return 1
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Load the clearly-labelled synthetic demo actuals."""
    from indicators import demo, store

    engine = _engine()
    if args.if_empty and store.has_observations(engine):
        print(t("cli.demo_not_loaded", args.lang))
        return 0
    results = demo.load_demo(engine)
    written = sum(r.written for r in results)
    print(t("cli.demo_loaded", args.lang, batches=len(results), values=written,
            ids=t("cli.list_separator", args.lang).join(str(r.batch_id) for r in results)))
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """Run a benchmark and print its figures (``--json``: one JSON object). In English only, on purpose: `bench` is
    the team's developer tool (figures for issues and reviews), not a command for the statisticians, so it has no
    --lang and its lines are not in the i18n catalogues."""
    import os

    from indicators import bench

    database = "sqlite" if not args.url else args.url.split(":")[0].split("+")[0]
    if args.what == "import":
        result = bench.bench_import(args.rows or 100_000, args.url, args.runs or 3, args.big_targets or 155_000)
        if args.json:
            print(json.dumps(result.as_json(), ensure_ascii=False))
            return 0
        print(f"bench import ({database}):")
        print("\n".join("  " + line for line in result.lines()))
    elif args.what == "upload-worst":
        from indicators.bench import upload_worst

        print("bench upload-worst (each file in a fresh process; goal: <= 10 s and <= 500 MB peak):")
        print("\n".join("  " + line for line in upload_worst.bench_upload_worst(args.url)))
    elif args.what == "export":
        from indicators.bench import export

        figures = bench.bench_export()
        if args.json:
            print(json.dumps(figures))
            return 0
        print("bench export:")
        print("\n".join("  " + line for line in export.lines(figures)))
    elif args.what == "pages":
        from indicators.bench import pages

        figures = pages.bench_pages(float(args.sizes.split(",")[0]) if args.sizes != "0.25,1,4" else 1.0,
                                    args.runs or 5)
        print(json.dumps(figures, ensure_ascii=False) if args.json else
              "bench pages:\n" + "\n".join("  " + line for line in pages.lines(figures)))
        return 1 if figures["errors"] else 0
    elif args.what == "status":
        try:
            scales = tuple(float(size) for size in args.sizes.split(","))
        except ValueError:
            print(f"bad --sizes {args.sizes!r}; use numbers such as 0.25,1,4", file=sys.stderr)
            return 1
        results = bench.bench_status(args.url, scales=scales, rounds=args.runs or 5)
        if args.json:
            # the default (1×) size at the top level, every size under "sizes"
            main = next((r for r in results if r.scale == 1.0), results[0])
            print(json.dumps({**main.as_json(), "plan": main.plan, "sizes": [r.as_json() for r in results],
                              "load_average_now": os.getloadavg()}, ensure_ascii=False))
            return 0
        print(f"bench status ({database}; load average {os.getloadavg()[0]:.2f}):")
        for result in results:
            print("\n".join("  " + line for line in result.lines()))
        print("  lookup plan at the last size:")
        print("\n".join("    " + line for line in results[-1].plan.splitlines()))
    return 0
