"""Thanking a colleague in Teams: ``@Step Up thanks @Jordan for covering my Saturday``.

Written in a team channel or a group chat (where colleagues can be @mentioned). Each colleague
mentioned gets a private offer in their 1:1 chat with Step Up to add the thanks to their wins;
nothing is stored as theirs until they accept. The thanks itself was said in public, so Step Up
answers where it was said, naming who it reached.
"""

from __future__ import annotations

import re
from typing import Any

from microsoft_teams.apps import App

from bot.app import Services
from bot.errors import UserError
from bot.nudges.ports import SendError
from bot.teams import cards
from bot.teams.sender import TeamsNudgeSender
from bot.teams.turn import Turn
from bot.wording import wording

THANKS_START = re.compile(r"^\s*(?:thanks|thank\s+you|thank)\b[\s,:!-]*(?:for\b[\s:,-]*)?", re.I)
USAGE = "Mention who to thank: `@Step Up thanks @Jordan for covering my Saturday shift`."
MAX_THANKED = 5


def is_thanks(text: str) -> bool:
    """True when a message to Step Up starts by thanking someone."""
    return THANKS_START.match(text) is not None


def colleagues(activity: Any) -> list[tuple[str, str | None]]:
    """Return the people @mentioned in ``activity`` other than Step Up: (user id, name)."""
    found: dict[str, str | None] = {}
    bot = activity.recipient.id
    for entity in activity.entities or ():
        mentioned = getattr(entity, "mentioned", None)
        if getattr(entity, "type", None) != "mention" or mentioned is None:
            continue
        if mentioned.id != bot and mentioned.id not in found:
            found[mentioned.id] = mentioned.name
    return list(found.items())


async def thank(ctx: Any, app: App, services: Services, turn: Turn, text: str) -> None:
    """Offer the thanks in ``text`` privately to each colleague mentioned; say who it reached.

    Raises:
        UserError: Nobody (else) mentioned, no reason given, or thanking oneself.
    """
    people = colleagues(ctx.activity)
    if not people and not THANKS_START.sub("", text, count=1).strip(" .!"):
        raise UserError(f"You're welcome! To thank a colleague: {USAGE[0].lower()}{USAGE[1:]}")
    if not people:
        raise UserError(USAGE)
    if len(people) > MAX_THANKED:
        raise UserError(f"Thank up to {MAX_THANKED} colleagues at a time.")
    reason = THANKS_START.sub("", text, count=1).strip()
    if not reason:
        raise UserError(f"{wording('thanks_question')} {USAGE}")
    if any(user == turn.who.user for user, _ in people):
        raise UserError("Thanking yourself doesn't count: log it as a win in our 1:1 chat.")
    sender = TeamsNudgeSender(app, services.runtime.sessions)
    reached: list[str] = []
    missed: list[str] = []
    for user, name in people:
        label = name or "your colleague"
        offer = await services.thanks.offer(turn.who, user, reason, to_name=name)
        card = cards.thanks_offer_card(
            turn.who.display_name or "A colleague", offer.text, thanks_id=offer.id
        )
        try:
            await sender.send_card(turn.tenant_id, user, card)
        except SendError:
            missed.append(label)
        else:
            reached.append(label)
    lines = []
    if reached:
        lines.append(f"Sent privately to {_names(reached)}: they can add it to their wins. 🙌")
    if missed:
        lines.append(
            f"I couldn't reach {_names(missed)} (Step Up may not be installed for them yet)."
        )
    await ctx.send(" ".join(lines))


def _names(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]
