"""Check that Step Up can post in a Slack channel by announcing a new nudge schedule there.

The bot has ``chat:write`` and nothing that reads channels (``channels:read`` would reveal every
channel's name and membership, which Step Up does not need), so the only honest check is a real
post. :class:`SlackChannelAnnouncer` is Slack's announcer for
:class:`~bot.nudges.service.NudgesService`, which announces a channel schedule before storing it
(a refusal stores nothing; the announcement is taken back if storing fails) and posts a "back on"
note when one is resumed. Slack's refusals become :class:`~bot.nudges.ports.ChannelRefused` with
the reason and the fix in words.
"""

from __future__ import annotations

import logging
from typing import Final

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.nudges.ports import ChannelRefused

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


def refusal(channel: str, error: str) -> ChannelRefused:
    """Return the :class:`ChannelRefused` for Slack error code ``error``."""
    reason, fix = REFUSALS.get(error, ("Slack refused the post", "check the channel and try again"))
    return ChannelRefused(channel, error, reason, fix)


async def announce_schedule(client: AsyncWebClient, channel: str, text: str) -> str:
    """Post ``text`` to ``channel``: the proof that Step Up can post there; return its ``ts``.

    Args:
        client: A Web API client carrying the workspace's bot token.
        channel: The channel id.
        text: The announcement (our own text, from :mod:`bot.nudges.service`; sent as is,
            with no link names and no unfurling, so it cannot ping anyone).

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


class SlackChannelAnnouncer:
    """The Slack :class:`~bot.nudges.ports.ChannelAnnouncer`: posts with a workspace's bot token."""

    manage_hint: Final = "Set up with /stepup; admins can pause them from Step Up's Home tab."

    def __init__(self, client: AsyncWebClient) -> None:
        """Keep a Web API client carrying the workspace's bot token."""
        self._client = client

    async def announce(self, channel: str, text: str) -> str:
        """Post ``text`` in ``channel``; return its ``ts`` (see :func:`announce_schedule`).

        Raises:
            ChannelRefused: Slack refused the post or could not be reached.
        """
        return await announce_schedule(self._client, channel, text)

    async def retract(self, channel: str, ref: str) -> None:
        """Delete the announcement ``ref`` (best effort: a failure is logged by type)."""
        try:
            await self._client.chat_delete(channel=channel, ts=ref)
        except (SlackApiError, ClientError, OSError, TimeoutError) as exc:
            log.warning("nudges: could not take back an announcement: %s", type(exc).__name__)
