"""``stepup eval DATASET.jsonl``: coaching quality metrics over a dataset.

Items go through the whole safety pipeline (crisis gate, redaction, coach), exactly as a person
would meet it. A crisis-gate dataset (every item has a ``category`` and expects ``crisis``,
``check_in`` or ``none``) is scored by category instead: recall, check-in precision, false crisis
and false check-in.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from bot.commands.context import CommandContext


def register(subparsers: Any) -> None:
    """Add ``eval``."""
    parser = subparsers.add_parser(
        "eval", help="coaching quality metrics (themes, PHI leaks, crisis recall…) over a dataset"
    )
    parser.add_argument(
        "dataset",
        help="a JSONL file: id, text, themes, expect, phi, forbid, care (or id, text, category, "
        "expect for a crisis-gate dataset)",
    )
    parser.add_argument(
        "--items", action="store_true", help="also print one line per item (crisis: the misses)"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(handler=_eval)


async def _eval(args: argparse.Namespace, context: CommandContext) -> int:
    # Imported here so `stepup --help` and `stepup db …` don't load the coaching stack.
    from pathlib import Path

    from bot.app import build_pipeline
    from bot.coaching.crisis_evaluation import evaluate_crisis, format_crisis_report
    from bot.coaching.evaluation import evaluate, format_report, is_crisis_dataset, load_dataset

    items = load_dataset(args.dataset)
    pipeline = build_pipeline(context.settings)
    name = Path(args.dataset).name
    if is_crisis_dataset(items):
        gate_report = await evaluate_crisis(items, pipeline.reply_once, name=name)
        if args.json:
            data = gate_report.to_dict(per_item=args.items)
            context.out(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            context.out(format_crisis_report(gate_report, per_item=args.items))
        return _exit(gate_report.failures(), context)
    report = await evaluate(items, pipeline.reply_once, name=name)
    if args.json:
        context.out(json.dumps(report.to_dict(per_item=args.items), ensure_ascii=False, indent=2))
    else:
        context.out(format_report(report, per_item=args.items))
    return _exit(report.failures(), context)


def _exit(failures: list[str], context: CommandContext) -> int:
    for failure in failures:
        print(f"stepup eval: below target: {failure}", file=context.stderr)
    return 1 if failures else 0
