"""Messages to Step Up in Teams: the 1:1 chat (coaching, wins, impact, settings) and team channels.

In the 1:1 chat, a few typed words are commands (Teams shows them in the bot's command menu, see
``deploy/teams/manifest.json``); anything else is coaching, exactly as in Slack's DM. In a team
channel Teams only delivers messages that @mention Step Up: ``@Step Up nudges`` opens the channel's
weekly-nudge card and anything else explains what Step Up does there. Vents are never answered in
a channel, so nothing private is posted where colleagues read it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable

from microsoft_teams.api.activities.message.message import MessageActivity
from microsoft_teams.api.activities.typing import TypingActivityInput
from microsoft_teams.apps import ActivityContext, App

from bot.app import Services
from bot.coaching.models import Refinement
from bot.impact.periods import parse_period
from bot.teams import cards
from bot.teams.handlers import thanks
from bot.teams.handlers.common import (
    arrive,
    channel_card,
    impact_message,
    reply_message,
    settings_message,
)
from bot.teams.handlers.guard import message_handler
from bot.teams.handlers.replies import card_message
from bot.teams.turn import Turn
from bot.wins.home import load_home
from bot.wins.text import win_line
from bot.wording import wording

GENTLE_PROMPT = (
    "I can only read text for now. Tell me in a few words what happened on your shift, "
    "or what you did that went well, and I'll take it from there."
)
WIN_HOWTO = (
    "What did you do, why, and what was the result? Type it after `win`, e.g. "
    "`win trained 2 new techs on the IV hood this week`, or use Log a win on the help card."
)
FRESH_START = "Fresh start. What happened on your shift?"
CHANNEL_WORDS = frozenset({"nudge", "nudges", "settings", "setup", "set up", "schedule"})
REFINEMENTS: dict[str, Refinement] = {
    "shorter": "shorter",
    "formal": "formal",
    "numbers": "add_numbers",
}
HELP_WORDS = frozenset({"help", "?", "menu", "commands"})
HOME_WORDS = frozenset({"home", "drafts", "me", "dashboard"})
_SPACES = re.compile(r"\s+")

Command = Callable[["ActivityContext[MessageActivity]", Turn, str], Awaitable[None]]


def register(app: App, services: Services) -> None:
    """Answer messages in the 1:1 chat and @mentions in channels."""

    @app.on_message
    @message_handler
    async def on_message(ctx: ActivityContext[MessageActivity]) -> None:
        turn = await arrive(ctx, services)
        if turn is None:
            return
        text = _clean(ctx.activity)
        if turn.personal:
            await personal(ctx, services, turn, text)
        elif thanks.is_thanks(text):
            await thanks.thank(ctx, app, services, turn, text)
        else:
            await in_channel(ctx, services, turn, text)


def _clean(activity: MessageActivity) -> str:
    """Return the message text without @mentions of Step Up, on one line of single spaces."""
    if activity.entities:
        activity = activity.model_copy(deep=True).strip_mentions_text()
    return _SPACES.sub(" ", activity.text or "").strip()


async def personal(
    ctx: ActivityContext[MessageActivity], services: Services, turn: Turn, text: str
) -> None:
    """Answer one message in the 1:1 chat: a command, or coaching."""
    who = turn.who
    if not text:
        await ctx.send(GENTLE_PROMPT)
        return
    word, _, rest = text.partition(" ")
    word, rest = word.lower().rstrip(":"), rest.strip()
    if word.startswith("/"):  # people used to Slack type /win
        word = word[1:]
    if word in HELP_WORDS and not rest:
        await ctx.send(card_message(cards.help_card(), summary="What I can do"))
    elif word == "settings" and not rest:
        await ctx.send(await settings_message(services, who))
    elif word in HOME_WORDS and not rest:
        home = await load_home(
            services.runtime.sessions, who, default_timezone=services.settings.default_timezone
        )
        await ctx.send(card_message(cards.home_card(home), summary=wording("home_title")))
    elif word == "win":
        await _win(ctx, services, turn, rest)
    elif word == "wins" and len(rest) <= 20:
        await _wins(ctx, services, turn, rest)
    elif word == "impact" and len(rest) <= 20:
        await ctx.send(await impact_message(services, who, rest or "90d"))
    # Typed commands carry no draft version: they act on whatever draft is current (ref=None).
    elif text.lower() in ("new", "start over", "/new"):
        await services.conversations.start_over(who, ref=None)
        await ctx.send(FRESH_START)
    elif word in REFINEMENTS and not rest:
        refined = await services.conversations.refine(who, REFINEMENTS[word], ref=None)
        await ctx.send(reply_message(refined))
    elif word == "save" and not rest:
        saved = await services.conversations.save(who, ref=None)
        await ctx.send(
            f"Saved as draft #{saved.draft_id}. Type `manager` to turn it into a message."
        )
    elif word == "manager" and not rest:
        for_manager = await services.conversations.manager_text(who, ref=None)
        card = cards.manager_card(for_manager.text, draft_ref=for_manager.ref or "none")
        await ctx.send(card_message(card, summary="A message for your manager"))
    else:
        await ctx.send(TypingActivityInput())
        await ctx.send(reply_message(await services.conversations.message(who, text)))


async def _win(
    ctx: ActivityContext[MessageActivity], services: Services, turn: Turn, rest: str
) -> None:
    if not rest:
        await ctx.send(WIN_HOWTO)
        return
    captured = await services.wins.add(turn.who, rest, source="chat")
    card = cards.win_logged_card(captured.win, followup=captured.followup)
    await ctx.send(card_message(card, summary=wording("logged", line=win_line(captured.win))))


async def _wins(
    ctx: ActivityContext[MessageActivity], services: Services, turn: Turn, rest: str
) -> None:
    today = dt.datetime.now(services.settings.timezone).date()
    period = parse_period(rest or "90d", today=today)
    wins = await services.wins.list_wins(turn.who, start=period.start, end=period.end)
    card = cards.wins_card(wins, period_label=period.label)
    await ctx.send(card_message(card, summary=f"Your wins: {period.label}"))


async def in_channel(
    ctx: ActivityContext[MessageActivity], services: Services, turn: Turn, text: str
) -> None:
    """Answer an @mention in a team channel or group chat (never with anything private)."""
    if turn.kind != "channel":
        await ctx.send(
            "I coach one person at a time: message me in a 1:1 chat. Here you can thank a "
            "colleague (`@Step Up thanks @Jordan for covering my shift`); team nudges are set up "
            "in a team channel with `@Step Up nudges`."
        )
        return
    if text.lower() in CHANNEL_WORDS:
        await ctx.send(await channel_card(services, turn))
        return
    await ctx.send(card_message(cards.channel_help_card(), summary="Step Up in this channel"))
