"""Who a person is on their platform: profile details, the one-time greeting, their "today".

Every surface calls these instead of opening a session itself.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store import preferences as store
from bot.store.database import transaction
from bot.store.people import PersonRef, resolve_person
from bot.wins.identity import today_for


async def remember_profile(
    sessions: async_sessionmaker[AsyncSession],
    who: PersonRef,
    *,
    timezone: str | None,
    display_name: str | None,
) -> None:
    """Keep the platform profile's zone (unless one was chosen) and name (for greetings)."""
    async with transaction(sessions) as session:
        person = await resolve_person(session, who)
        store.remember_profile(person, timezone=timezone, display_name=display_name)


async def first_greeting(sessions: async_sessionmaker[AsyncSession], who: PersonRef) -> bool:
    """Mark ``who`` greeted; return False when they already were (by any process)."""
    async with transaction(sessions) as session:
        return await store.mark_greeted(session, await resolve_person(session, who))


async def person_today(
    sessions: async_sessionmaker[AsyncSession], who: PersonRef, *, default_timezone: str
) -> dt.date:
    """Return today's date where ``who`` lives (their zone, else ``default_timezone``)."""
    async with transaction(sessions) as session:
        person = await resolve_person(session, who)
        return today_for(person, default_timezone=default_timezone)
