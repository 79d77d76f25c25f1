"""The Teams :class:`~bot.nudges.ports.ChannelAnnouncer`: notes in the channel a card was used in.

A channel's nudge card is always pressed in that channel, so the announcement goes back through
the turn's context (its conversation and connector) and is deleted the same way.
"""

from __future__ import annotations

import logging
from typing import Any, Final

import httpx

from bot.nudges.ports import ChannelRefused

log = logging.getLogger(__name__)

FIX: Final = "check that Step Up is still added to this team, then try again"


class TeamsChannelAnnouncer:
    """Posts in (and deletes from) the conversation of one turn."""

    manage_hint: Final = "Anyone in the team can change or pause them with @Step Up nudges."

    def __init__(self, ctx: Any) -> None:
        """Keep the turn's context (``ActivityContext``: ``send``, ``api``, the conversation)."""
        self._ctx = ctx

    async def announce(self, channel: str, text: str) -> str:
        """Post ``text`` where the button was pressed; return the post's id.

        Raises:
            ChannelRefused: Teams refused the post (``reason`` names its status) or could not be
                reached.
        """
        try:
            sent = await self._ctx.send(text)
        except httpx.HTTPStatusError as exc:
            status = exc.response.status_code
            raise ChannelRefused(
                channel, f"http_{status}", f"Teams answered {status}", FIX
            ) from None
        except (httpx.TransportError, OSError):
            raise ChannelRefused(
                channel, "unreachable", "Teams could not be reached", FIX
            ) from None
        return str(sent.id)

    async def retract(self, channel: str, ref: str) -> None:
        """Delete an announcement that no longer holds (best effort: failures logged by type)."""
        conversation_id = self._ctx.conversation_ref.conversation.id
        try:
            await self._ctx.api.conversations.delete_activity(conversation_id, ref)
        except (httpx.HTTPError, OSError) as exc:
            log.warning("teams: could not withdraw an announcement: %s", type(exc).__name__)
