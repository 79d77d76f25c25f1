"""The team roundup a channel nudge carries: last week's activity as counts, never as names.

Privacy rules (what a channel full of colleagues may see):

- Counts only: wins logged in the last seven days, how many people logged them, and the three
  most common categories. No names, no content.
- Except a win its owner chose to share (``Win.shared``, ticked in the win form): it appears with
  the person's display name and what they did, nothing else.
- A team of fewer than :data:`MIN_TEAM` people gets no roundup at all, since counts in a tiny
  team point at individuals. In Slack the team is the workspace's people known to Step Up (the
  bot has no ``channels:read`` scope to list a channel's members); in Teams it is the channel's
  team as Teams lists its members, counted among the people Step Up knows
  (:func:`members_roundup`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store import nudges as store
from bot.store.database import transaction
from bot.store.people import people_among, workspace_sizes
from bot.wins.categories import label as category_label

MIN_TEAM = 5
ROUNDUP_DAYS = 7
TOP_CATEGORIES = 3
MAX_SHARED = 3
MEMBER_CHUNK = 500


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
    window_end: dt.datetime | None = None
    """When the roundup's window ends (the tick's instant), for a sender that narrows it."""


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
        sizes = await workspace_sizes(session, wanted)
        teams = sorted(ws for ws, size in sizes.items() if size >= MIN_TEAM)
        if not teams:
            return {}
        by_category, people, shared = await store.roundup_counts(
            session, teams, since=since, until=now
        )
        categories: dict[int, list[tuple[str, int]]] = defaultdict(list)
        for ws, category, count in by_category:
            categories[ws].append((category_label(category), int(count)))
        loggers = {ws: int(count) for ws, count in people}
        picks: dict[int, list[SharedWin]] = defaultdict(list)
        for ws, name, what in shared:
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


async def members_roundup(
    sessions: async_sessionmaker[AsyncSession],
    *,
    platform: str,
    workspace: str,
    members: Collection[str],
    now: dt.datetime,
    days: int = ROUNDUP_DAYS,
) -> Roundup | None:
    """Return the roundup of one team: the workspace's people whose user id is in ``members``.

    None when fewer than :data:`MIN_TEAM` of the members are people Step Up knows.

    Args:
        sessions: The session factory.
        platform: The workspace's platform (``teams``).
        workspace: Its external id (a Teams tenant).
        members: The team's user ids, as the platform lists them.
        now: The end of the window (aware); it starts ``days`` before.
        days: The window's length.
    """
    wanted = sorted(set(members))
    if len(wanted) < MIN_TEAM:
        return None
    since = now - dt.timedelta(days=days)
    async with transaction(sessions) as session:
        people: list[int] = []
        for start in range(0, len(wanted), MEMBER_CHUNK):
            chunk = wanted[start : start + MEMBER_CHUNK]
            people += await people_among(
                session, platform=platform, workspace=workspace, user_ids=chunk
            )
        if len(people) < MIN_TEAM:
            return None
        wins = await store.wins_of_people(session, people, since=since, until=now)
    by_category: dict[str, int] = defaultdict(int)
    shared: list[SharedWin] = []
    for _, category, is_shared, name, what in wins:
        by_category[category_label(category)] += 1
        if is_shared and len(shared) < MAX_SHARED:
            shared.append(SharedWin(name=name, what=what))
    counts = sorted(by_category.items(), key=lambda item: (-item[1], item[0]))
    return Roundup(
        days=days,
        wins=len(wins),
        people=len({row[0] for row in wins}),
        categories=tuple(counts[:TOP_CATEGORIES]),
        shared=tuple(shared),
    )


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
