"""The ``stepup`` command line (also ``python -m bot``).

Errors a person can fix are one line on stderr and a non-zero exit, never a traceback; an
unknown command or option prints usage and exits 2 (argparse's convention).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from bot import __version__
from bot.commands.context import CommandContext, Handler
from bot.errors import UserError
from bot.settings import SettingsError, load_settings

# Each module exposes ``register(subparsers)``; order is the order of ``stepup --help``.
SIGPIPE_EXIT = 141
"""The exit code of a command whose reader closed the pipe (128 + SIGPIPE), as shells report it."""

COMMAND_MODULES = (
    "bot.commands.run",
    "bot.commands.chat",
    "bot.commands.coach",
    "bot.commands.wins",
    "bot.commands.impact",
    "bot.commands.nudges",
    "bot.commands.eval",
    "bot.commands.db",
)


def build_parser() -> argparse.ArgumentParser:
    """Return the parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="stepup",
        description=(
            "Step Up: turn rough shifts into proposals and wins into raises. "
            "Run `stepup chat` to start talking to the coach right away."
        ),
    )
    parser.add_argument("--version", action="version", version=f"stepup {__version__}")
    parser.add_argument(
        "--workspace",
        default="local",
        help=(
            "workspace to act in: 'local' (default), a Slack team id such as T0123, or "
            "teams:TENANT-ID for a Microsoft Teams tenant"
        ),
    )
    parser.add_argument("--user", default="me", help="person to act as (default: me)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


async def _run(handler: Handler, args: argparse.Namespace, context: CommandContext) -> int:
    try:
        return await handler(args, context)
    finally:
        await context.close()


def workspace_of(text: str) -> tuple[str, str]:
    """Return ``(platform, external id)`` for ``--workspace``: local, a Slack team, teams:TENANT."""
    if text == "local":
        return "local", "local"
    if text.startswith("teams:"):
        return "teams", text.removeprefix("teams:").strip()
    return "slack", text


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    stdin: TextIO | None = None,
) -> int:
    """Run the command line and return its exit code."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    try:
        code = _main(argv, out=out, err=err, stdin=stdin)
        out.flush()  # here, not at exit, so a closed pipe is caught below
        return code
    except BrokenPipeError:
        # The reader went away (``stepup wins list | head -1``): stop quietly, as ``cat`` does.
        return _closed_pipe(out)


def _main(argv: Sequence[str] | None, *, out: TextIO, err: TextIO, stdin: TextIO | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"stepup: {exc}", file=err)
        return 2
    platform, workspace = workspace_of(args.workspace)
    context = CommandContext(
        settings=settings,
        workspace=workspace,
        user=args.user,
        platform=platform,
        stdout=out,
        stderr=err,
        stdin=stdin or sys.stdin,
    )
    handler: Handler = args.handler
    try:
        return asyncio.run(_run(handler, args, context))
    except UserError as exc:
        print(f"stepup: {exc}", file=err)
        return 1
    except KeyboardInterrupt:
        print("", file=err)
        return 130


def _closed_pipe(out: TextIO) -> int:
    """Point ``out`` at /dev/null so the interpreter's last flush cannot fail; return 141."""
    try:
        fileno = out.fileno()
    except (OSError, ValueError):
        return SIGPIPE_EXIT
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fileno)
    os.close(devnull)
    return SIGPIPE_EXIT
