"""What every subcommand handler receives: settings, output streams, the local identity."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TextIO

from bot.runtime import Runtime, open_runtime
from bot.settings import Settings


@dataclass
class CommandContext:
    """Lazily opened runtime plus the person a CLI command acts as.

    Attributes:
        settings: The loaded settings.
        workspace: External id of the workspace the command acts in (``--workspace``).
        user: Platform user id of the person the command acts as (``--user``).
        platform: ``local`` unless a workspace of a chat platform was named.
    """

    settings: Settings
    workspace: str = "local"
    user: str = "me"
    platform: str = "local"
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    _runtime: Runtime | None = None

    async def runtime(self) -> Runtime:
        """Open (once) the database and services."""
        if self._runtime is None:
            self._runtime = await open_runtime(self.settings)
        return self._runtime

    async def close(self) -> None:
        """Release what ``runtime`` opened."""
        if self._runtime is not None:
            await self._runtime.close()
            self._runtime = None

    def out(self, text: str = "") -> None:
        """Print a line to standard output."""
        print(text, file=self.stdout)


Handler = Callable[[argparse.Namespace, CommandContext], Awaitable[int]]
