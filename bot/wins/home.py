"""A person's home: what Slack's Home tab and Teams' ``home`` card both show.

:func:`load_home` gathers it in one transaction, as a platform-agnostic :class:`HomeData`: their
numbers (wins this month and quarter, the weekly streak), recent wins, saved drafts, goals in
progress, their DM nudge preferences and, for a workspace admin, the team channels' nudge
schedules. The surfaces only render it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.nudges.service import NudgesService
from bot.store import conversations as conversations_store
from bot.store import goals as goals_store
from bot.store import wins as wins_store
from bot.store.database import transaction
from bot.store.people import PersonRef, resolve_person
from bot.wins.categories import label as category_label
from bot.wins.identity import today_for
from bot.wins.preferences import NudgePreferences, preferences_of
from bot.wins.text import win_line

RECENT: Final = 5
"""Recent wins and saved drafts loaded (the surfaces show at most this many)."""
STREAK_LOOKBACK_WEEKS: Final = 104


@dataclass(frozen=True)
class HomeWin:
    """A recent win.

    Attributes:
        id: The win's id (for its Edit button).
        occurred_on: When it happened.
        what: What the person did.
        category_label: The category as people read it ("Go-to person").
        line: The win as one plain-text line (id, date, category, leadership, figures).
    """

    id: int
    occurred_on: dt.date
    what: str
    category_label: str
    line: str = ""


@dataclass(frozen=True)
class HomeDraft:
    """A saved coaching draft (``created_on``: the day it was saved, when known)."""

    id: int
    problem: str
    created_on: dt.date | None = None


@dataclass(frozen=True)
class HomeGoal:
    """A goal in progress (``progress`` in percent)."""

    title: str
    progress: int
    target_date: dt.date | None = None


@dataclass(frozen=True)
class TeamNudge:
    """A team channel's nudge schedule (shown to admins)."""

    schedule_id: int
    channel_id: str
    weekday: int
    time: dt.time
    timezone: str
    enabled: bool = True
    disabled_reason: str | None = None
    """Why it is off: ``paused`` by someone, or the platform's refusal (``is_archived …``)."""


@dataclass(frozen=True)
class HomeData:
    """Everything a person's home shows.

    Attributes:
        display_name: How to greet the person (None: no name).
        wins_this_month: Wins logged this calendar month.
        wins_this_quarter: Wins logged this quarter.
        streak_weeks: Consecutive weeks with at least one win.
        recent_wins: The latest wins, newest first.
        saved_drafts: The latest saved drafts, newest first.
        goals: Goals in progress, soonest target first.
        settings: Their DM nudge preferences (weekly reminder and monthly digest).
        is_admin: Whether they are a workspace admin (team schedules show only then).
        team_nudges: The workspace's channel nudge schedules (admins only).
        today: Today where the person is (dates in this year drop the year).
    """

    display_name: str | None = None
    wins_this_month: int = 0
    wins_this_quarter: int = 0
    streak_weeks: int = 0
    recent_wins: Sequence[HomeWin] = field(default_factory=tuple)
    saved_drafts: Sequence[HomeDraft] = field(default_factory=tuple)
    goals: Sequence[HomeGoal] = field(default_factory=tuple)
    settings: NudgePreferences = field(default_factory=NudgePreferences)
    is_admin: bool = False
    team_nudges: Sequence[TeamNudge] = field(default_factory=tuple)
    today: dt.date | None = None

    @property
    def is_new(self) -> bool:
        """True for a person with nothing logged, saved or planned yet."""
        return not (
            self.recent_wins
            or self.saved_drafts
            or self.goals
            or self.wins_this_month
            or self.wins_this_quarter
        )


def week_start(day: dt.date) -> dt.date:
    """Return the Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def streak(win_days: set[dt.date], today: dt.date) -> int:
    """Count consecutive weeks with a win, ending this week (or last week, if none yet)."""
    weeks = {week_start(day) for day in win_days}
    current = week_start(today)
    if current not in weeks:
        current -= dt.timedelta(weeks=1)
    count = 0
    while current in weeks:
        count += 1
        current -= dt.timedelta(weeks=1)
    return count


async def load_home(
    sessions: async_sessionmaker[AsyncSession],
    who: PersonRef,
    *,
    default_timezone: str,
    team_schedules_from: NudgesService | None = None,
) -> HomeData:
    """Gather ``who``'s home.

    Args:
        sessions: The session factory.
        who: Whose home.
        default_timezone: "Today" for a person with no zone yet.
        team_schedules_from: For a workspace admin, the nudges service to list the
            workspace's channel schedules from; None (not an admin) leaves them out.
    """
    async with transaction(sessions) as session:
        person = await resolve_person(session, who)
        today = today_for(person, default_timezone=default_timezone)
        month_start = today.replace(day=1)
        quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        lookback = week_start(today) - dt.timedelta(weeks=STREAK_LOOKBACK_WEEKS)
        days = await wins_store.win_days_since(session, person, lookback)
        recent = await wins_store.recent_wins(session, person, limit=RECENT)
        drafts = await conversations_store.recent_saved_drafts(session, person.id, limit=RECENT)
        goals = await goals_store.active_goals(session, person)
        home = HomeData(
            display_name=person.display_name,
            wins_this_month=await wins_store.count_wins_since(session, person, month_start),
            wins_this_quarter=await wins_store.count_wins_since(session, person, quarter_start),
            streak_weeks=streak(days, today),
            recent_wins=[
                HomeWin(
                    id=win.id,
                    occurred_on=win.occurred_on,
                    what=win.what,
                    category_label=category_label(win.category),
                    line=win_line(win),
                )
                for win in recent
            ],
            saved_drafts=[
                HomeDraft(id=d.id, problem=d.problem, created_on=d.created_at.date())
                for d in drafts
            ],
            goals=[
                HomeGoal(title=g.title, progress=g.progress, target_date=g.target_date)
                for g in goals
            ],
            settings=preferences_of(person),
            is_admin=team_schedules_from is not None,
            today=today,
        )
    if team_schedules_from is None:
        return home
    schedules = await team_schedules_from.list_schedules(
        platform=who.platform, workspace=who.workspace
    )
    team = [
        TeamNudge(
            schedule_id=row.id,
            channel_id=str(row.channel_id),
            weekday=row.weekday,
            time=row.local_time,
            timezone=row.timezone,
            enabled=row.enabled,
            disabled_reason=row.disabled_reason,
        )
        for row in schedules
        if row.channel_id is not None
    ]
    return dataclasses.replace(home, team_nudges=team)
