import asyncio

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store.models import Person, Workspace
from bot.store.people import PersonRef, resolve_person


async def test_two_first_messages_at_once_create_one_person(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    who = PersonRef("slack", "T0NEW", "U0NEW")

    async def first_contact() -> int:
        async with sessions() as session, session.begin():
            return (await resolve_person(session, who)).id

    ids = await asyncio.gather(*(first_contact() for _ in range(5)))
    assert len(set(ids)) == 1
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Person)) == 1
        assert await session.scalar(select(func.count()).select_from(Workspace)) == 1
