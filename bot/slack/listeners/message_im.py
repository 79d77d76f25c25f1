"""``message.im``: a person DMs Step Up — coaching, or one of the suggested prompts."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.app import Services
from bot.slack import blocks
from bot.slack.listeners.common import person_from, post

log = logging.getLogger(__name__)

EMOJI_ONLY = re.compile(r"^\s*(?::[a-z0-9_+'\-]+:\s*)+$")
GENTLE_PROMPT = (
    "I can only read text for now. Tell me in a few words what happened on your shift, "
    "or what you did that went well, and I'll take it from there."
)
WIN_HOWTO = (
    "Great — what did you do, why, and what was the result? Use the button, or type "
    "`/win trained 2 new techs on the IV hood this week`."
)
# Message subtypes that are a person writing to us; everything else (edits, joins, bots) is not.
PERSON_SUBTYPES = {None, "file_share", "thread_broadcast"}


def register(app: AsyncApp, services: Services) -> None:
    """Listen to direct messages."""

    @app.event("message")
    async def on_message(
        event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        if event.get("channel_type") != "im" or event.get("bot_id"):
            return
        if event.get("subtype") not in PERSON_SUBTYPES:
            return
        await handle_dm(services, client, body, event)


async def handle_dm(
    services: Services, client: AsyncWebClient, body: dict[str, Any], event: dict[str, Any]
) -> None:
    """Answer one DM: a gentle prompt, a suggested prompt's flow, or coaching."""
    who = person_from(body)
    channel = str(event["channel"])
    thread = event.get("thread_ts")
    text = str(event.get("text") or "")
    if not text.strip() or EMOJI_ONLY.match(text):
        await post(client, channel, blocks.build_note(GENTLE_PROMPT), thread_ts=thread)
        return
    if text.strip() == blocks.PROMPT_WIN_MESSAGE:
        await post(client, channel, blocks.build_note(WIN_HOWTO), thread_ts=thread)
        return
    if text.strip() == blocks.PROMPT_IMPACT_MESSAGE:
        summary = await services.impact.build(who, "90d")
        await post(client, channel, blocks.build_impact_message(summary), thread_ts=thread)
        return
    if thread:
        await _status(client, channel, str(thread), "Drafting…")
    reply = await services.conversations.message(who, text)
    state = await services.conversations.state(who)
    message = blocks.build_reply_message(reply, draft_ref=state.ref or "none")
    await post(client, channel, message, thread_ts=thread)


async def _status(client: AsyncWebClient, channel: str, thread_ts: str, status: str) -> None:
    # The "thinking" status exists only in AI-enabled threads; plain DMs work without it.
    try:
        await client.assistant_threads_setStatus(
            channel_id=channel, thread_ts=thread_ts, status=status
        )
    except SlackApiError as exc:
        log.debug("slack: status not shown (%s)", exc.response.get("error"))
