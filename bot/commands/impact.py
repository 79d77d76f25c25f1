"""``stepup impact``: the impact summary of the local person, as Markdown, PDF, CSV or JSON.

Text formats print to standard output unless ``-o FILE`` is given; a PDF is always written to
a file (``-o`` or a dated default name in the current folder) and its path is printed.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.commands.context import CommandContext
from bot.errors import UserError
from bot.impact.export import FORMATS, default_filename, parse_format, render
from bot.impact.periods import DEFAULT_PERIOD, accepted_forms
from bot.impact.summary import ImpactService
from bot.wins.identity import PersonRef


def register(subparsers: Any) -> None:
    """Add ``impact``."""
    parser = subparsers.add_parser(
        "impact",
        help="build your impact summary (what you did, why, the result)",
        description="Build the summary to bring to a raise or promotion conversation.",
    )
    parser.add_argument(
        "--period", default=DEFAULT_PERIOD, help=f"{accepted_forms()} (default: {DEFAULT_PERIOD})"
    )
    parser.add_argument(
        "--format", default="md", help=f"{', '.join(FORMATS)} (default: md)", dest="fmt"
    )
    parser.add_argument("-o", "--output", help="write to FILE instead of standard output")
    parser.set_defaults(handler=_impact)


async def _impact(args: argparse.Namespace, context: CommandContext) -> int:
    fmt = parse_format(args.fmt)  # before opening the database: a typo fails fast
    runtime = await context.runtime()
    service = ImpactService(runtime.sessions, default_timezone=context.settings.default_timezone)
    summary = await service.build(
        PersonRef(context.platform, context.workspace, context.user), args.period
    )
    data = render(summary, fmt)
    if args.output is None and fmt != "pdf":
        context.stdout.write(data.decode("utf-8"))
        context.stdout.flush()
        return 0
    path = Path(args.output or default_filename(summary, fmt)).expanduser()
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    context.out(f"Wrote the impact summary to {path.resolve()}")
    return 0
