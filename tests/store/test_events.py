import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store.events import prune_events, record_event
from bot.store.models import ProcessedEvent


async def test_an_event_is_recorded_once(sessions: async_sessionmaker[AsyncSession]) -> None:
    assert await record_event(sessions, "slack", "Ev0PV52K21") is True
    assert await record_event(sessions, "slack", "Ev0PV52K21") is False
    assert await record_event(sessions, "teams", "Ev0PV52K21") is True
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(ProcessedEvent)) == 2


async def test_old_events_are_pruned(sessions: async_sessionmaker[AsyncSession]) -> None:
    now = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
    async with sessions() as session, session.begin():
        session.add(
            ProcessedEvent(platform="slack", event_id="old", received_at=now - dt.timedelta(days=8))
        )
        session.add(
            ProcessedEvent(platform="slack", event_id="new", received_at=now - dt.timedelta(days=1))
        )
    assert await prune_events(sessions, now=now) == 1
    async with sessions() as session:
        left = await session.scalars(select(ProcessedEvent.event_id))
        assert list(left) == ["new"]
