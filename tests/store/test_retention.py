"""Retention: an uninstalled workspace's data goes after the grace period, and only then."""

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store.models import (
    DraftRecord,
    Goal,
    NudgeDelivery,
    NudgeSchedule,
    Person,
    ThanksOffer,
    Win,
    Workspace,
)
from bot.store.retention import UNINSTALL_GRACE, mark_reinstalled, purge_uninstalled

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 11, 1)


async def _workspace(
    sessions: async_sessionmaker[AsyncSession], team: str, uninstalled_at: dt.datetime | None
) -> int:
    """A workspace with two people and one of every kind of row that hangs from it."""
    async with sessions() as session, session.begin():
        workspace = Workspace(platform="slack", external_id=team, uninstalled_at=uninstalled_at)
        session.add(workspace)
        await session.flush()
        tech = Person(workspace_id=workspace.id, platform_user_id="U1")
        colleague = Person(workspace_id=workspace.id, platform_user_id="U2")
        session.add_all([tech, colleague])
        await session.flush()
        draft = DraftRecord(
            workspace_id=workspace.id,
            person_id=tech.id,
            problem="ADC par levels too low",
            proposed_fix="raise pars",
            my_role="count usage",
        )
        session.add(draft)
        await session.flush()
        win = Win(
            workspace_id=workspace.id,
            person_id=tech.id,
            what="trained 2 new techs",
            category="trained_mentored",
            occurred_on=DAY,
            draft_id=draft.id,
        )
        session.add(win)
        await session.flush()
        schedule = NudgeSchedule(
            workspace_id=workspace.id,
            kind="channel",
            channel_id="C1",
            weekday=4,
            local_time=dt.time(14),
            timezone="America/Chicago",
        )
        session.add_all(
            [
                Goal(
                    workspace_id=workspace.id,
                    person_id=tech.id,
                    kind="cpht",
                    title="CPhT",
                    win_id=win.id,
                ),
                ThanksOffer(
                    workspace_id=workspace.id,
                    from_person_id=colleague.id,
                    to_person_id=tech.id,
                    text="thanks for covering",
                    occurred_on=DAY,
                ),
                schedule,
            ]
        )
        await session.flush()
        session.add(NudgeDelivery(schedule_id=schedule.id, period_key="2026-W44"))
        return workspace.id


async def _counts(sessions: async_sessionmaker[AsyncSession], workspace_id: int) -> list[int]:
    async with sessions() as session:
        counts = []
        columns = (
            Workspace.id,
            Person.workspace_id,
            DraftRecord.workspace_id,
            Win.workspace_id,
            Goal.workspace_id,
            ThanksOffer.workspace_id,
            NudgeSchedule.workspace_id,
        )
        for column in columns:
            query = select(func.count()).where(column == workspace_id)
            counts.append(int(await session.scalar(query) or 0))
        deliveries = select(func.count()).select_from(NudgeDelivery)
        deliveries = deliveries.join(NudgeSchedule).where(
            NudgeSchedule.workspace_id == workspace_id
        )
        counts.append(int(await session.scalar(deliveries) or 0))
        return counts


FULL = [1, 2, 1, 1, 1, 1, 1, 1]
GONE = [0] * len(FULL)


async def test_purge_deletes_only_workspaces_past_the_grace_with_all_their_rows(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    old = await _workspace(sessions, "TOLD", NOW - UNINSTALL_GRACE - dt.timedelta(hours=1))
    recent = await _workspace(sessions, "TRECENT", NOW - UNINSTALL_GRACE + dt.timedelta(hours=1))
    active = await _workspace(sessions, "TACTIVE", None)

    assert await purge_uninstalled(sessions, now=NOW) == 1

    assert await _counts(sessions, old) == GONE
    assert await _counts(sessions, recent) == FULL
    assert await _counts(sessions, active) == FULL
    # Nothing left to purge: a second run deletes nothing.
    assert await purge_uninstalled(sessions, now=NOW) == 0


async def test_the_grace_period_is_configurable(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    workspace = await _workspace(sessions, "T1", NOW - dt.timedelta(days=3))
    assert await purge_uninstalled(sessions, grace=dt.timedelta(days=7), now=NOW) == 0
    assert await purge_uninstalled(sessions, grace=dt.timedelta(days=2), now=NOW) == 1
    assert await _counts(sessions, workspace) == GONE


async def test_a_reinstalled_workspace_keeps_its_data(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    workspace = await _workspace(sessions, "TBACK", NOW - dt.timedelta(days=10))
    active = await _workspace(sessions, "TACTIVE", None)

    assert await mark_reinstalled(sessions, "slack", "TBACK") is True
    assert await mark_reinstalled(sessions, "slack", "TBACK") is False
    assert await mark_reinstalled(sessions, "slack", "TACTIVE") is False
    assert await mark_reinstalled(sessions, "teams", "TBACK") is False
    assert await mark_reinstalled(sessions, "slack", "TNEVERSEEN") is False

    later = NOW + dt.timedelta(days=365)
    assert await purge_uninstalled(sessions, now=later) == 0
    assert await _counts(sessions, workspace) == FULL
    assert await _counts(sessions, active) == FULL
    async with sessions() as session:
        back = await session.get(Workspace, workspace)
    assert back is not None
    assert back.uninstalled_at is None
