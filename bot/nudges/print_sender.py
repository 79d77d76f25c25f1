"""A nudge sender for the terminal: prints each nudge (``stepup nudges run-due`` without Slack)."""

from __future__ import annotations

import itertools
from typing import TextIO

from bot.nudges.digest import Digest, render_digest_text
from bot.nudges.roundup import ChannelNudge, render_roundup_text


class PrintSender:
    """Write each nudge to a text stream as one block; the reference is ``stdout:<n>``."""

    def __init__(self, stream: TextIO) -> None:
        """Keep the stream (usually standard output)."""
        self._stream = stream
        self._numbers = itertools.count(1)

    def new_tick(self) -> None:
        """Nothing to forget between ticks."""

    async def send_channel(
        self, workspace_external_id: str, channel_id: str, nudge: ChannelNudge
    ) -> str:
        """Print a channel nudge (and its roundup)."""
        text = nudge.question
        if nudge.roundup is not None:
            text += "\n" + render_roundup_text(nudge.roundup)
        return self._print(f"[{workspace_external_id}] #{channel_id}", text)

    async def send_dm(self, workspace_external_id: str, user_id: str, message: str) -> str:
        """Print a DM nudge."""
        return self._print(f"[{workspace_external_id}] DM @{user_id}", message)

    async def send_digest(self, workspace_external_id: str, user_id: str, digest: Digest) -> str:
        """Print a monthly digest."""
        return self._print(f"[{workspace_external_id}] DM @{user_id}", render_digest_text(digest))

    async def notify_disabled(
        self,
        workspace_external_id: str,
        user_id: str,
        *,
        channel_id: str,
        code: str,
        schedule_id: int,
    ) -> None:
        """Print that a channel nudge was turned off."""
        self._print(
            f"[{workspace_external_id}] DM @{user_id}",
            f"The weekly nudge #{schedule_id} for #{channel_id} was turned off ({code}).",
        )

    def _print(self, where: str, message: str) -> str:
        number = next(self._numbers)
        print(f"{where}: {message}", file=self._stream)
        return f"stdout:{number}"
