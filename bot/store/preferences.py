"""A person's own settings kept on their row: profile details, the one-time greeting.

The caller owns the transaction; the person comes from :func:`bot.store.people.resolve_person`.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import Person, utcnow

TIMEZONE_CHARS = 64
NAME_CHARS = 200


def remember_profile(person: Person, *, timezone: str | None, display_name: str | None) -> None:
    """Keep what the platform's profile says: its zone unless one was chosen, and the name."""
    if timezone and not person.timezone:
        person.timezone = timezone[:TIMEZONE_CHARS]
    if display_name:
        person.display_name = display_name[:NAME_CHARS]


async def mark_greeted(session: AsyncSession, person: Person) -> bool:
    """Mark ``person`` greeted; return False when they already were (by any process)."""
    result = await session.execute(
        update(Person)
        .where(Person.id == person.id, Person.greeted_at.is_(None))
        .values(greeted_at=utcnow())
    )
    return bool(getattr(result, "rowcount", 0))
