"""A person's dashboard: counts, streak, recent wins, saved drafts and goals (any surface)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store.conversations import recent_saved_drafts
from bot.store.database import transaction
from bot.store.models import DraftRecord, Goal, Person, Win
from bot.store.people import PersonRef, resolve_person
from bot.wins.identity import today_for

RECENT = 5
STREAK_LOOKBACK_WEEKS = 104


@dataclass(frozen=True)
class Dashboard:
    """What a home screen shows about one person."""

    person: Person
    today: dt.date
    wins_this_month: int
    wins_this_quarter: int
    streak_weeks: int
    recent_wins: list[Win]
    drafts: list[DraftRecord]
    goals: list[Goal]


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


async def load_dashboard(
    sessions: async_sessionmaker[AsyncSession], who: PersonRef, *, default_timezone: str
) -> Dashboard:
    """Gather the dashboard of ``who`` in one transaction."""
    async with transaction(sessions) as session:
        person = await resolve_person(session, who)
        today = today_for(person, default_timezone=default_timezone)
        month_start = today.replace(day=1)
        quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        mine = (Win.workspace_id == person.workspace_id, Win.person_id == person.id)

        async def count_since(start: dt.date) -> int:
            query = select(func.count()).select_from(Win).where(*mine, Win.occurred_on >= start)
            return int(await session.scalar(query) or 0)

        lookback = week_start(today) - dt.timedelta(weeks=STREAK_LOOKBACK_WEEKS)
        days = set(
            await session.scalars(
                select(Win.occurred_on).distinct().where(*mine, Win.occurred_on >= lookback)
            )
        )
        recent = list(
            await session.scalars(
                select(Win)
                .where(*mine)
                .order_by(Win.occurred_on.desc(), Win.id.desc())
                .limit(RECENT)
            )
        )
        drafts = await recent_saved_drafts(session, person.id, limit=RECENT)
        goals = list(
            await session.scalars(
                select(Goal)
                .where(Goal.person_id == person.id, Goal.status == "active")
                .order_by(Goal.target_date.is_(None), Goal.target_date, Goal.id)
            )
        )
        return Dashboard(
            person=person,
            today=today,
            wins_this_month=await count_since(month_start),
            wins_this_quarter=await count_since(quarter_start),
            streak_weeks=streak(days, today),
            recent_wins=recent,
            drafts=drafts,
            goals=goals,
        )
