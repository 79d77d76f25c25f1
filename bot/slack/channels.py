"""Check that Step Up can post in a Slack channel by announcing a new nudge schedule there.

The bot has ``chat:write`` and nothing that reads channels (``channels:read`` would reveal every
channel's name and membership, which Step Up does not need), so the only honest check is a real
post. Before a channel schedule is stored, its announcement goes to the channel; if Slack refuses,
nothing is stored and the person gets the reason and the fix; if storing then fails, the
announcement is taken back (:func:`announced`). ``/stepup nudges add`` and ``stepup nudges add``
both use it, and resuming a schedule (``/stepup nudges resume``, the Home tab's Resume) posts a
"back on" note first for the same reason: a channel that removed the bot is refused then, not at
the next nudge.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Final

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import UserError
from bot.nudges.service import DAY_NAMES

log = logging.getLogger(__name__)

INVITE: Final = "invite me first (in that channel: /invite @Step Up), then try again"
REINSTALL: Final = "ask a workspace admin to reinstall Step Up, then try again"
RESTRICTED: Final = (
    "the workspace doesn't let me post there",
    "ask a workspace admin to allow it, or pick another channel",
)

REFUSALS: Final[dict[str, tuple[str, str]]] = {
    "not_in_channel": ("I'm not a member of it", INVITE),
    "channel_not_found": (
        "Slack can't find it for me (private channels hide until I'm in)",
        INVITE,
    ),
    "is_archived": ("it is archived", "unarchive it or pick another channel"),
    "restricted_action": RESTRICTED,
    "restricted_action_read_only_channel": ("it is read-only", RESTRICTED[1]),
    "restricted_action_thread_only_channel": ("it only takes replies in threads", RESTRICTED[1]),
    "restricted_action_non_threadable_channel": RESTRICTED,
    "team_access_not_granted": (
        "it belongs to a workspace that hasn't installed Step Up",
        "install Step Up there, or pick a channel of this workspace",
    ),
    "ekm_access_denied": ("workspace admins have suspended posting", RESTRICTED[1]),
    "missing_scope": ("my Slack token may not post messages", REINSTALL),
    "not_allowed_token_type": ("my Slack token may not post messages", REINSTALL),
    "not_authed": ("Slack doesn't accept my token", REINSTALL),
    "invalid_auth": ("Slack doesn't accept my token", REINSTALL),
    "token_revoked": ("Step Up's token was revoked", REINSTALL),
    "account_inactive": ("Step Up's token was revoked", REINSTALL),
    "ratelimited": ("Slack is holding back my messages for a moment", "try again in a minute"),
}
"""Slack's ``chat.postMessage`` error → (reason, fix), both plain text."""


class ChannelRefused(UserError):
    """Slack refused the announcement, so the channel cannot get nudges (nothing was stored).

    ``str(error)`` is one plain line for the CLI; Slack replies build their own from the fields.

    Attributes:
        channel: The channel id.
        error: Slack's error code (``not_in_channel``…), or ``unreachable``.
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


def schedule_words(weekday: int, at: dt.time, timezone: str) -> str:
    """Return a schedule in words: ``Fridays at 15:00 (America/Chicago)``."""
    day = DAY_NAMES[weekday].capitalize() if 0 <= weekday <= 6 else "?"
    return f"{day}s at {at:%H:%M} ({timezone})"


def announcement_text(weekday: int, at: dt.time, timezone: str) -> str:
    """Return the announcement posted when a channel gets weekly nudges (mentions nobody)."""
    return (
        f"Weekly win nudges are on for this channel: {schedule_words(weekday, at, timezone)}. "
        "Set up with /stepup; admins can pause them from Step Up's Home tab."
    )


def resumed_text(weekday: int, at: dt.time, timezone: str) -> str:
    """Return the note posted when a paused channel schedule is resumed (mentions nobody)."""
    return (
        f"Weekly win nudges are back on for this channel: {schedule_words(weekday, at, timezone)}."
    )


def refusal(channel: str, error: str) -> ChannelRefused:
    """Return the :class:`ChannelRefused` for Slack error code ``error``."""
    reason, fix = REFUSALS.get(error, ("Slack refused the post", "check the channel and try again"))
    return ChannelRefused(channel, error, reason, fix)


async def announce_schedule(client: AsyncWebClient, channel: str, text: str) -> str:
    """Post ``text`` to ``channel``: the proof that Step Up can post there; return its ``ts``.

    Args:
        client: A Web API client carrying the workspace's bot token.
        channel: The channel id.
        text: The announcement (our own text, e.g. :func:`announcement_text`; sent as is, with
            no link names and no unfurling, so it cannot ping anyone).

    Raises:
        ChannelRefused: Slack refused the post (not a member, archived, restricted…) or could
            not be reached; the error carries the reason and the fix.
    """
    try:
        response = await client.chat_postMessage(
            channel=channel, text=text, unfurl_links=False, unfurl_media=False
        )
    except SlackApiError as exc:
        raise refusal(channel, str(exc.response.get("error") or "unknown_error")) from None
    except (ClientError, OSError, TimeoutError):
        raise ChannelRefused(
            channel, "unreachable", "I couldn't reach Slack", "try again in a minute"
        ) from None
    return str(response.get("ts") or "")


@asynccontextmanager
async def announced(client: AsyncWebClient, channel: str, text: str) -> AsyncIterator[str]:
    """Announce in ``channel``, then run the block (storing the schedule); yield the ``ts``.

    If the block fails, the announcement is deleted again, so a channel never shows "nudges are
    on" for a schedule that was not stored.

    Raises:
        ChannelRefused: Slack refused the announcement (the block does not run).
    """
    ts = await announce_schedule(client, channel, text)
    try:
        yield ts
    except BaseException:
        try:
            await client.chat_delete(channel=channel, ts=ts)
        except (SlackApiError, ClientError, OSError, TimeoutError) as exc:
            log.warning("nudges: could not take back the announcement in %s: %s", channel, exc)
        raise
