"""A nudge sender for the terminal: prints each nudge (``stepup nudges run-due`` without Slack)."""

from __future__ import annotations

import itertools
from typing import TextIO


class PrintSender:
    """Write each nudge to a text stream as one block; the reference is ``stdout:<n>``."""

    def __init__(self, stream: TextIO) -> None:
        """Keep the stream (usually standard output)."""
        self._stream = stream
        self._numbers = itertools.count(1)

    async def send_channel(self, workspace_external_id: str, channel_id: str, message: str) -> str:
        """Print a channel nudge."""
        return self._print(f"[{workspace_external_id}] #{channel_id}", message)

    async def send_dm(self, workspace_external_id: str, user_id: str, message: str) -> str:
        """Print a DM nudge."""
        return self._print(f"[{workspace_external_id}] DM @{user_id}", message)

    def _print(self, where: str, message: str) -> str:
        number = next(self._numbers)
        print(f"{where}: {message}", file=self._stream)
        return f"stdout:{number}"
