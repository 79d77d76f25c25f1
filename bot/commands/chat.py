"""``stepup chat``: the terminal conversation (SQLite and the offline coach by default)."""

from __future__ import annotations

import argparse
from typing import Any

from bot.commands.context import CommandContext


def register(subparsers: Any) -> None:
    """Add ``chat``."""
    parser = subparsers.add_parser(
        "chat", help="talk to the coach in this terminal (no accounts or network needed)"
    )
    parser.set_defaults(handler=_chat)


async def _chat(args: argparse.Namespace, context: CommandContext) -> int:
    # Imported here so `stepup --help` and `stepup db …` don't load the coaching stack.
    from bot.app import create_services
    from bot.console.chat import LineReader, TerminalChat
    from bot.store.people import PersonRef

    runtime = await context.runtime()
    services = create_services(runtime)
    who = PersonRef(context.platform, context.workspace, context.user)
    interactive = context.stdin.isatty() and context.stdout.isatty()
    if interactive:
        import readline  # noqa: F401  (line editing and history for input())
    reader = LineReader(context.stdin, prompt="you> " if interactive else None)
    return await TerminalChat(services, who, out=context.stdout).run(reader)
