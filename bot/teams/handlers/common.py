"""What several Teams handlers share: arriving, and the cards both a command and a button show.

Arriving remembers the conversation (for proactive sends) and drops re-delivered messages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from microsoft_teams.api.activities.message.message import MessageActivityInput

from bot.app import Services
from bot.coaching.conversation import CoachTurn
from bot.nudges.view import schedule_view
from bot.store.events import record_event
from bot.store.models import utcnow
from bot.store.people import PersonRef
from bot.teams import cards
from bot.teams.handlers.replies import Card, card_message
from bot.teams.references import remember_conversation
from bot.teams.turn import PLATFORM, Turn, turn_of
from bot.wins import profile
from bot.wins.preferences import get_nudge_preferences
from bot.wording import wording


async def arrive(ctx: Any, services: Services) -> Turn | None:
    """Return the turn of ``ctx``'s activity, remembering its conversation for proactive sends.

    Returns None for a message already handled (the connector re-delivers an activity it did not
    see acknowledged); it must not be answered twice.
    """
    turn = turn_of(ctx.activity)
    sessions = services.runtime.sessions
    activity_id = getattr(ctx.activity, "id", None)
    if ctx.activity.type == "message" and activity_id:
        key = f"{turn.conversation_id}/{activity_id}"[:128]
        if not await record_event(sessions, PLATFORM, key):
            return None
    if turn.service_url:
        await remember_conversation(
            sessions,
            tenant_id=turn.tenant_id,
            conversation_id=turn.channel_id or turn.conversation_id,
            service_url=turn.service_url,
            kind=turn.kind,
            user_id=turn.who.user if turn.personal else None,
            display_name=turn.who.display_name,
            conversation_name=turn.conversation_name,
            team_id=turn.team_id,
            team_name=turn.team_name,
            timezone=turn.client_timezone,
        )
    return turn


def reply_card(turn: CoachTurn) -> Card:
    """Return the card for a coaching reply, its buttons naming the draft version it shows."""
    return cards.reply_card(turn.reply, draft_ref=turn.ref or "none")


def reply_message(turn: CoachTurn) -> MessageActivityInput:
    """Return a coaching reply as a message with its card."""
    return card_message(reply_card(turn), summary=turn.reply.acknowledgement)


async def person_today(services: Services, who: PersonRef) -> dt.date:
    """Return today's date where ``who`` lives (their zone, else the default)."""
    return await profile.person_today(
        services.runtime.sessions, who, default_timezone=services.settings.default_timezone
    )


async def settings_card(
    services: Services,
    who: PersonRef,
    *,
    error: str | None = None,
    error_field: str | None = None,
    saved: bool = False,
) -> Card:
    """Return the personal settings card as ``who``'s preferences stand."""
    prefs = await get_nudge_preferences(services.runtime.sessions, who)
    return cards.settings_card(
        prefs,
        default_timezone=services.settings.default_timezone,
        error=error,
        error_field=error_field,
        saved=saved,
        today=await person_today(services, who),
    )


async def settings_message(services: Services, who: PersonRef) -> MessageActivityInput:
    """Return the personal settings card as a message."""
    return card_message(await settings_card(services, who), summary="Your nudge settings")


async def impact_message(services: Services, who: PersonRef, period: str) -> MessageActivityInput:
    """Return ``who``'s impact summary for ``period`` as a message.

    Raises:
        UserError: ``period`` is not a period Step Up reads.
    """
    summary = await services.impact.build(who, period)
    return card_message(
        cards.impact_card(summary), summary=wording("impact_title", period=summary.period_label)
    )


async def channel_nudge_card(
    services: Services, turn: Turn, *, error: str | None = None, notice: str | None = None
) -> Card:
    """Return the card of the channel's weekly nudge (a form when there is none yet)."""
    assert turn.channel_id is not None
    schedule = await services.nudges.for_channel(
        platform=PLATFORM, workspace=turn.tenant_id, channel_id=turn.channel_id
    )
    view = None if schedule is None else schedule_view(schedule, utcnow())
    return cards.channel_nudge_card(
        view, default_timezone=services.settings.default_timezone, error=error, notice=notice
    )


async def channel_card(services: Services, turn: Turn) -> MessageActivityInput:
    """Return the channel's weekly nudge card as a message."""
    card = await channel_nudge_card(services, turn)
    return card_message(card, summary="Weekly win nudge for this channel")
