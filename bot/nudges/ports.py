"""The ports nudges go out through: a sender for scheduled nudges, an announcer for channels.

Each chat platform implements them in its own package (``bot.slack``, ``bot.teams``); the
terminal has :class:`~bot.nudges.print_sender.PrintSender`. Nothing here knows a platform.
"""

from __future__ import annotations

from typing import Protocol

from bot.errors import UserError
from bot.nudges.digest import Digest
from bot.nudges.roundup import ChannelNudge

GONE_ERRORS = frozenset(
    {
        # Slack
        "channel_not_found",
        "is_archived",
        "not_in_channel",
        # Teams (bot.teams.sender): 403 not in the conversation, 404 conversation gone
        "teams_forbidden",
        "teams_gone",
    }
)
"""Error codes of a destination that will never take a nudge: the schedule is disabled."""


class SendError(Exception):
    """A nudge could not be delivered; ``code`` is the platform's error (``is_archived``…)."""

    def __init__(self, code: str, message: str | None = None) -> None:
        """Keep the platform's error code (and an optional longer message)."""
        super().__init__(message or code)
        self.code = code

    @property
    def gone(self) -> bool:
        """True when the destination will never accept the nudge (disable the schedule)."""
        return self.code in GONE_ERRORS


class NudgeSender(Protocol):
    """The port a tick sends through (Slack, Teams, the terminal, a test double).

    A sender is built once per process and serves every tick, so what it learns about a
    platform's rate limits (a 429's ``Retry-After``) holds for the next tick too.
    """

    def new_tick(self) -> None:
        """Forget what the previous tick read (conversation lists…); keep rate-limit memory."""
        ...

    async def send_channel(
        self, workspace_external_id: str, channel_id: str, nudge: ChannelNudge
    ) -> str:
        """Post ``nudge`` (the week's question and roundup) to a channel; return its reference.

        Raises:
            SendError: Delivery failed.
        """
        ...

    async def send_dm(self, workspace_external_id: str, user_id: str, message: str) -> str:
        """Send ``message`` to a person's DM; return the message reference.

        Raises:
            SendError: Delivery failed.
        """
        ...

    async def send_digest(self, workspace_external_id: str, user_id: str, digest: Digest) -> str:
        """Send the monthly digest to a person's DM; return the message reference.

        Raises:
            SendError: Delivery failed.
        """
        ...

    async def notify_disabled(
        self,
        workspace_external_id: str,
        user_id: str,
        *,
        channel_id: str,
        code: str,
        schedule_id: int,
    ) -> None:
        """Tell whoever configured a channel nudge that it was turned off, why, and the fix.

        Raises:
            SendError: Delivery failed (the tick logs it and carries on).
        """
        ...


class ChannelRefused(UserError):
    """The platform refused a post in a channel, so it cannot get nudges (nothing was stored).

    ``str(error)`` is one plain line for the CLI; chat replies build their own from the fields.

    Attributes:
        channel: The channel id.
        error: The platform's error code (``not_in_channel``, ``http_403``…) or ``unreachable``.
        reason: Why, in words.
        fix: What to do about it.
    """

    def __init__(self, channel: str, error: str, reason: str, fix: str) -> None:
        """Keep the fields; the message reads "cannot post in channel C…: reason (error); fix"."""
        super().__init__(f"cannot post in channel {channel}: {reason} ({error}); {fix}")
        self.channel = channel
        self.error = error
        self.reason = reason
        self.fix = fix


class ChannelAnnouncer(Protocol):
    """Posts our own short notes in a team channel (and takes one back) for one platform.

    Announcing is also the check that Step Up may post there: a refusal raises
    :class:`ChannelRefused` before anything is stored.
    """

    @property
    def manage_hint(self) -> str:
        """One sentence telling the channel how to change or pause its nudges on this platform."""
        ...

    async def announce(self, channel: str, text: str) -> str:
        """Post ``text`` (mentions nobody) in ``channel``; return the message reference.

        Raises:
            ChannelRefused: The platform refused the post or could not be reached.
        """
        ...

    async def retract(self, channel: str, ref: str) -> None:
        """Delete the announcement ``ref`` again (best effort: failures are logged, not raised)."""
        ...
