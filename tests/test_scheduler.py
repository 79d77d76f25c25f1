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


async def test_schedules_that_can_never_fire_are_disabled_and_logged_at_start_up(
    sessions: async_sessionmaker[AsyncSession], caplog
) -> None:
    from bot.scheduler import audit
    from bot.settings import load_settings
    from bot.store.models import NudgeSchedule

    async with sessions() as session, session.begin():
        ws = Workspace(platform="slack", external_id="T1")
        session.add(ws)
        await session.flush()
        for weekday, zone in ((4, "America/Chicago"), (4, "Mars/Olympus_Mons"), (9, "UTC")):
            session.add(
                NudgeSchedule(
                    workspace_id=ws.id,
                    kind="channel",
                    channel_id="C1",
                    weekday=weekday,
                    local_time=dt.time(15, 0),
                    timezone=zone,
                )
            )
    jobs = {job.id for job in create_scheduler(sessions, settings=load_settings()).get_jobs()}
    assert {"housekeeping", "nudges", "audit"} <= jobs
    with caplog.at_level("ERROR", logger="bot.scheduler"):
        await audit(sessions)
    async with sessions() as session:
        rows = list(await session.scalars(select(NudgeSchedule).order_by(NudgeSchedule.id)))
    assert [row.enabled for row in rows] == [True, False, False]
    assert "Mars/Olympus_Mons" in (rows[1].disabled_reason or "")
    assert "weekday 9" in (rows[2].disabled_reason or "")
    assert len([r for r in caplog.records if "disabled" in r.getMessage()]) == 2
