import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.scheduler import create_scheduler, housekeeping
from bot.store.models import ProcessedEvent, Workspace, utcnow


async def test_housekeeping_prunes_events_and_purges_long_uninstalled_workspaces(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    old = utcnow() - dt.timedelta(days=60)
    async with sessions() as session, session.begin():
        session.add(ProcessedEvent(platform="slack", event_id="Ev-old", received_at=old))
        session.add(Workspace(platform="slack", external_id="T-gone", uninstalled_at=old))
        session.add(Workspace(platform="slack", external_id="T-here"))
    await housekeeping(sessions)
    async with sessions() as session:
        assert list(await session.scalars(select(ProcessedEvent.event_id))) == []
        assert list(await session.scalars(select(Workspace.external_id))) == ["T-here"]


def test_the_scheduler_has_its_jobs_with_explicit_utc_triggers(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    scheduler = create_scheduler(sessions)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert "housekeeping" in jobs
    assert str(jobs["housekeeping"].trigger.timezone) == "UTC"
