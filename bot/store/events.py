"""Processed event ids: record each once so platform retries never do the work twice."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store.models import ProcessedEvent, utcnow

EVENT_RETENTION = dt.timedelta(days=7)


async def record_event(
    sessions: async_sessionmaker[AsyncSession], platform: str, event_id: str
) -> bool:
    """Record ``event_id``; return False when it was already recorded (a retry or duplicate)."""
    async with sessions() as session:
        exists = await session.scalar(
            select(ProcessedEvent.id).where(
                ProcessedEvent.platform == platform, ProcessedEvent.event_id == event_id
            )
        )
        if exists is not None:
            return False
        session.add(ProcessedEvent(platform=platform, event_id=event_id))
        try:
            await session.commit()
        except IntegrityError:
            # Another worker recorded it between our check and our insert.
            await session.rollback()
            return False
        return True


async def prune_events(
    sessions: async_sessionmaker[AsyncSession], *, now: dt.datetime | None = None
) -> int:
    """Delete event ids older than the retention window; return how many went."""
    cutoff = (now or utcnow()) - EVENT_RETENTION
    async with sessions() as session, session.begin():
        result = await session.execute(
            delete(ProcessedEvent).where(ProcessedEvent.received_at < cutoff)
        )
        return int(getattr(result, "rowcount", 0) or 0)
