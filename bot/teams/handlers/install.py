"""Installs and removals: a welcome in the 1:1 chat or the channel, and forgetting a team.

Teams announces a personal install twice (``installationUpdate`` and a ``conversationUpdate``
that adds the bot), and the Agents Playground only sends the second: the welcome goes out on
whichever comes first, once per person (``people.greeted_at``, set with one conditional update so
two replicas cannot both greet).
"""

from __future__ import annotations

from typing import Any

from microsoft_teams.api.activities import (
    ConversationUpdateActivity,
    InstalledActivity,
    UninstalledActivity,
)
from microsoft_teams.apps import ActivityContext, App

from bot.app import Services
from bot.store.people import PersonRef
from bot.teams import cards
from bot.teams.handlers.common import arrive
from bot.teams.handlers.guard import message_handler
from bot.teams.handlers.replies import card_message
from bot.teams.references import forget_conversation
from bot.teams.turn import Turn
from bot.wins import profile

WELCOME_SUMMARY = "Hi, I'm Step Up"


def register(app: App, services: Services) -> None:
    """Welcome on install; forget a team's channels on removal."""

    @app.on_install_add
    @message_handler
    async def on_install(ctx: ActivityContext[InstalledActivity]) -> None:
        turn = await arrive(ctx, services)
        if turn is not None:
            await welcome(ctx, services, turn)

    @app.on_conversation_update
    @message_handler
    async def on_update(ctx: ActivityContext[ConversationUpdateActivity]) -> None:
        added = ctx.activity.members_added or []
        if not any(member.id == ctx.activity.recipient.id for member in added):
            return
        turn = await arrive(ctx, services)
        if turn is not None and turn.personal:
            await welcome(ctx, services, turn)

    @app.on_install_remove
    @message_handler
    async def on_uninstall(ctx: ActivityContext[UninstalledActivity]) -> None:
        turn = await arrive(ctx, services)
        if turn is not None and not turn.personal:
            await forget_conversation(
                services.runtime.sessions,
                tenant_id=turn.tenant_id,
                conversation_id=turn.channel_id or turn.conversation_id,
            )


async def welcome(ctx: Any, services: Services, turn: Turn) -> None:
    """Send the welcome card: to a person once ever, to a channel on each install."""
    if turn.personal:
        if not await first_greeting(services, turn.who):
            return
        await ctx.send(card_message(cards.help_card(), summary=WELCOME_SUMMARY))
    elif turn.kind == "channel":
        await ctx.send(card_message(cards.channel_help_card(), summary=WELCOME_SUMMARY))


async def first_greeting(services: Services, who: PersonRef) -> bool:
    """Mark ``who`` greeted; return False when they already were (by any process)."""
    return await profile.first_greeting(services.runtime.sessions, who)
