"""The team roundup a channel nudge carries: last week's activity as counts, never as names.

Privacy rules (what a channel full of colleagues may see):

- Counts only: wins logged in the last seven days, how many people logged them, and the three
  most common categories. No names, no content.
- Except a win its owner chose to share (``Win.shared``, ticked in the win form): it appears with
  the person's display name and what they did, nothing else.
- A team of fewer than :data:`MIN_TEAM` people gets no roundup at all, since counts in a tiny
  team point at individuals. The team is the workspace's people known to Step Up (Slack's
  "team" is the workspace; the bot has no ``channels:read`` scope to list a channel's members).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store.database import transaction
from bot.store.models import Person, Win
from bot.wins.categories import label as category_label

MIN_TEAM = 5
ROUNDUP_DAYS = 7
TOP_CATEGORIES = 3
MAX_SHARED = 3


@dataclass(frozen=True)
class SharedWin:
    """A win its owner chose to show the team.

    Attributes:
        name: The owner's display name (None: "A teammate").
        what: What they did (redacted when it was stored).
    """

    name: str | None
    what: str


@dataclass(frozen=True)
class Roundup:
    """Last week's team activity, as a channel may see it.

    Attributes:
        days: The window's length in days.
        wins: Wins logged in the window.
        people: How many people logged them.
        categories: The most common categories as (label, count), most first.
        shared: Wins their owners chose to share, newest first.
    """

    days: int
    wins: int
    people: int
    categories: tuple[tuple[str, int], ...] = ()
    shared: tuple[SharedWin, ...] = ()


@dataclass(frozen=True)
class ChannelNudge:
    """What a team-channel nudge says: the week's question and, for a big enough team, a roundup.

    Attributes:
        question: The week's question.
        roundup: Last week's activity (None: the team is too small, or not computed).
    """

    question: str
    roundup: Roundup | None = None


async def team_roundups(
    sessions: async_sessionmaker[AsyncSession],
    workspace_ids: Collection[int],
    *,
    now: dt.datetime,
    days: int = ROUNDUP_DAYS,
) -> dict[int, Roundup]:
    """Return the roundup of each workspace with at least :data:`MIN_TEAM` people.

    Four grouped queries whatever the number of workspaces (a tick may nudge a thousand
    channels at once).

    Args:
        sessions: The session factory.
        workspace_ids: Workspaces whose channels are being nudged.
        now: The end of the window (aware); it starts ``days`` before.
        days: The window's length.
    """
    if not workspace_ids:
        return {}
    since = now - dt.timedelta(days=days)
    wanted = sorted(set(workspace_ids))
    async with transaction(sessions) as session:
        sizes = await session.execute(
            select(Person.workspace_id, func.count())
            .where(Person.workspace_id.in_(wanted))
            .group_by(Person.workspace_id)
        )
        teams = sorted(ws for ws, size in sizes.all() if size >= MIN_TEAM)
        if not teams:
            return {}
        window = (Win.workspace_id.in_(teams), Win.created_at >= since, Win.created_at < now)
        by_category = await session.execute(
            select(Win.workspace_id, Win.category, func.count())
            .where(*window)
            .group_by(Win.workspace_id, Win.category)
        )
        people = await session.execute(
            select(Win.workspace_id, func.count(func.distinct(Win.person_id)))
            .where(*window)
            .group_by(Win.workspace_id)
        )
        shared = await session.execute(
            select(Win.workspace_id, Person.display_name, Win.what)
            .join(Person, Person.id == Win.person_id)
            .where(*window, Win.shared.is_(True))
            .order_by(Win.created_at.desc(), Win.id.desc())
        )
        categories: dict[int, list[tuple[str, int]]] = defaultdict(list)
        for ws, category, count in by_category.all():
            categories[ws].append((category_label(category), int(count)))
        loggers = {ws: int(count) for ws, count in people.all()}
        picks: dict[int, list[SharedWin]] = defaultdict(list)
        for ws, name, what in shared.all():
            if len(picks[ws]) < MAX_SHARED:
                picks[ws].append(SharedWin(name=name, what=what))
    roundups: dict[int, Roundup] = {}
    for ws in teams:
        counts = sorted(categories.get(ws, []), key=lambda item: (-item[1], item[0]))
        roundups[ws] = Roundup(
            days=days,
            wins=sum(count for _, count in counts),
            people=loggers.get(ws, 0),
            categories=tuple(counts[:TOP_CATEGORIES]),
            shared=tuple(picks.get(ws, [])),
        )
    return roundups


def render_roundup_text(roundup: Roundup) -> str:
    """Return the roundup as plain text (the terminal, and Slack's notification fallback)."""
    if roundup.wins == 0:
        return f"No wins logged by the team in the last {roundup.days} days yet. Be the first!"
    wins = "1 win" if roundup.wins == 1 else f"{roundup.wins} wins"
    people = "1 person" if roundup.people == 1 else f"{roundup.people} people"
    line = f"Last {roundup.days} days: {wins} logged by {people}"
    if roundup.categories:
        line += " (" + ", ".join(f"{label} {count}" for label, count in roundup.categories) + ")"
    lines = [line + "."]
    for win in roundup.shared:
        lines.append(f"- {win.name or 'A teammate'}: {win.what}")
    return "\n".join(lines)
