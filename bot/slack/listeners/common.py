"""Small helpers every Slack listener shares: who is asking, and posting a SlackMessage."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import UserError
from bot.slack.blocks import SlackMessage
from bot.store.people import PersonRef

CLAIM_KEY = "stepup_event_claim"


async def first_time(context: Mapping[str, Any]) -> bool:
    """Return False when another worker (or an earlier delivery) already handled this event."""
    claim = context.get(CLAIM_KEY)
    if claim is None:
        return True
    return bool(await claim)


STALE_BUTTON = "That button is out of date. Open Step Up's Home tab for the current one."


def id_value(action: Mapping[str, Any]) -> int | None:
    """Return the id a button carries as its value, or None for a malformed value."""
    value = str(action.get("value") or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        return None
    return int(value)


def require_id(action: Mapping[str, Any]) -> int:
    """Return the id a button carries.

    Raises:
        UserError: The value is not an id (a forged or mangled payload): a brief note.
    """
    found = id_value(action)
    if found is None:
        raise UserError(STALE_BUTTON)
    return found


def person_from(body: dict[str, Any]) -> PersonRef:
    """Return who sent an event, command or interaction payload."""
    event = body.get("event") or {}
    team = body.get("team_id") or (body.get("team") or {}).get("id")
    if not team:
        team = (body.get("user") or {}).get("team_id") or event.get("team") or "unknown"
    user = event.get("user") or body.get("user_id") or (body.get("user") or {}).get("id")
    return PersonRef("slack", str(team), str(user))


async def post(client: AsyncWebClient, channel: str, message: SlackMessage, **extra: Any) -> Any:
    """Post ``message`` (fallback text + blocks) without unfurling anything a person wrote."""
    return await client.chat_postMessage(
        channel=channel, unfurl_links=False, unfurl_media=False, **message.as_kwargs(), **extra
    )


async def post_ephemeral(
    client: AsyncWebClient, channel: str, user: str, message: SlackMessage
) -> Any:
    """Show ``message`` to ``user`` only."""
    return await client.chat_postEphemeral(channel=channel, user=user, **message.as_kwargs())
