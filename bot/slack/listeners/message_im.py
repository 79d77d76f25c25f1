"""``message.im``: a person DMs Step Up — coaching, or one of the suggested prompts.

In an AI agent thread (the DM event carries ``thread_ts``) a coaching reply is streamed with
``chat.startStream``/``appendStream``/``stopStream``: the acknowledgement and the draft as
markdown, then the buttons as blocks when the stream stops. Where streaming is not available
(free plans, AI features off) Slack's error only arrives when the SDK first flushes, so any
Slack error while streaming falls back to the ordinary message with every block. A crisis reply
is never streamed: it is posted whole, resources first.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.app import Services
from bot.coaching.models import CoachReply
from bot.slack import blocks
from bot.slack.blocks.drafts import MAX_QUESTIONS
from bot.slack.listeners.common import first_time, person_from, post
from bot.slack.mrkdwn import WORD_JOINER, escape, one_line
from bot.store.people import PersonRef

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
        event: dict[str, Any],
        body: dict[str, Any],
        client: AsyncWebClient,
        context: dict[str, Any],
    ) -> None:
        if event.get("channel_type") != "im" or event.get("bot_id"):
            return
        if event.get("subtype") not in PERSON_SUBTYPES:
            return
        if not await first_time(context):
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
    turn = await services.conversations.message(who, text)
    reply = turn.reply
    message = blocks.build_reply_message(reply, draft_ref=turn.ref or "none")
    streamable = thread is not None and reply.kind not in ("crisis", "check_in")
    if streamable and await stream_reply(client, channel, str(thread), who, reply, message):
        return
    await post(client, channel, message, thread_ts=thread)


def _markdown(text: str) -> str:
    # Escaped like mrkdwn (no mention, no <url|label> link can form), and a word joiner between
    # "]" and "(" so "[label](url)" cannot become a masked markdown link either.
    return escape(text.strip()).replace("](", "]" + WORD_JOINER + "(")


def reply_markdown(reply: CoachReply) -> list[str]:
    """Return a coaching reply as markdown pieces to stream, in reading order.

    The acknowledgement, then Problem / Proposed fix / My role, then the follow-up questions;
    user and model text is escaped. The redaction note and the buttons are blocks, added when
    the stream stops.
    """
    pieces = [_markdown(reply.acknowledgement)]
    if reply.draft is not None and reply.kind == "draft":
        for label, body in (
            ("Problem", reply.draft.problem),
            ("Proposed fix", reply.draft.proposed_fix),
            ("My role", reply.draft.my_role),
        ):
            pieces.append(f"\n\n**{label}**\n{_markdown(body) or '—'}")
    questions = [q for q in (one_line(q) for q in reply.questions[:MAX_QUESTIONS]) if q]
    if questions:
        listed = "\n".join(f"- {_markdown(question)}" for question in questions)
        pieces.append(f"\n\n**To make it stronger:**\n{listed}")
    return pieces


async def stream_reply(
    client: AsyncWebClient,
    channel: str,
    thread_ts: str,
    who: PersonRef,
    reply: CoachReply,
    message: blocks.SlackMessage,
) -> bool:
    """Stream ``reply`` into the thread; return False when the caller must post ``message``.

    Args:
        client: The Web API client of the request's workspace.
        channel: The DM channel.
        thread_ts: The thread the person wrote in.
        who: The person, as recipient of the stream.
        reply: The coaching reply (never a crisis reply).
        message: The same reply as an ordinary message, the fallback.
    """
    closing = [block for block in message.blocks if block.get("type") in ("actions", "context")]
    streamer = await client.chat_stream(
        channel=channel,
        thread_ts=thread_ts,
        recipient_team_id=who.workspace,
        recipient_user_id=who.user,
    )
    try:
        for piece in reply_markdown(reply):
            await streamer.append(markdown_text=piece)
        await streamer.stop(blocks=closing or None)
    except SlackClientError as exc:
        error = exc.response.get("error") if isinstance(exc, SlackApiError) else str(exc)
        log.info("slack: streaming unavailable (%s); posting the reply instead", error)
        if streamer.ts is None:
            return False
        # Part of the reply is already in the thread: make that message the whole reply.
        try:
            await client.chat_update(channel=channel, ts=streamer.ts, **message.as_kwargs())
        except SlackApiError:
            return False
        return True
    return True


async def _status(client: AsyncWebClient, channel: str, thread_ts: str, status: str) -> None:
    # The "thinking" status exists only in AI-enabled threads; plain DMs work without it.
    try:
        await client.assistant_threads_setStatus(
            channel_id=channel, thread_ts=thread_ts, status=status
        )
    except SlackApiError as exc:
        log.debug("slack: status not shown (%s)", exc.response.get("error"))
