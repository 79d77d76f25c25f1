"""``stepup coach [--json] [TEXT]``: one coaching reply, for scripts and quick checks."""

from __future__ import annotations

import argparse
import json
from typing import Any

from bot.commands.context import CommandContext


def register(subparsers: Any) -> None:
    """Add ``coach``."""
    parser = subparsers.add_parser(
        "coach", help="one coaching reply for TEXT (or standard input); stores nothing"
    )
    parser.add_argument("text", nargs="*", help="the vent (read from standard input if absent)")
    parser.add_argument("--json", action="store_true", help="print the reply as JSON")
    parser.set_defaults(handler=_coach)


async def _coach(args: argparse.Namespace, context: CommandContext) -> int:
    # Imported here so `stepup --help` and `stepup db …` don't load the coaching stack.
    from bot.app import build_pipeline
    from bot.console.render import render_reply

    text = " ".join(args.text) if args.text else context.stdin.read()
    pipeline = build_pipeline(context.settings)
    reply = await pipeline.reply_once(text)
    if args.json:
        context.out(json.dumps(reply.model_dump(mode="json"), ensure_ascii=False))
    else:
        context.out(render_reply(reply))
    return 0
