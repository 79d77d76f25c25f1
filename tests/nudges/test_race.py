"""Scheduler processes racing on one database: exactly one delivery per schedule and week.

Against PostgreSQL (``STEPUP_TEST_DATABASE_URL``) two workers, each with its own engine and
connection pool, tick at the same instant. SQLite serializes writers, so its pass runs the same
scenario with one worker (and then a restarted one) rather than being skipped.
"""

from __future__ import annotations

import asyncio
import collections
import datetime as dt

from sqlalchemy import func, select

from bot.nudges.tick import run_tick
from bot.store.database import create_engine, session_factory, transaction
from bot.store.models import NudgeDelivery, NudgeSchedule
from tests.helpers.nudges import QUESTIONS, RecordingSender, add_channel_schedule, add_person

DUE = dt.datetime(2026, 11, 27, 21, 0, 30, tzinfo=dt.UTC)
CHANNELS = 40
PEOPLE = 20


async def test_racing_workers_deliver_each_nudge_exactly_once(sessions, database_url):
    for n in range(CHANNELS):
        await add_channel_schedule(sessions, f"C{n:03d}")
    for n in range(PEOPLE):
        await add_person(sessions, f"U{n:03d}")
    workers = 2 if database_url.startswith("postgres") else 1
    engines = [create_engine(database_url) for _ in range(workers)]
    senders = [RecordingSender(pause=0.001) for _ in range(workers)]
    try:
        reports = await asyncio.gather(
            *(
                run_tick(
                    session_factory(engine),
                    sender,
                    now=DUE,
                    grace=dt.timedelta(hours=6),
                    worker_id=f"w{i}",
                    questions=QUESTIONS,
                )
                for i, (engine, sender) in enumerate(zip(engines, senders, strict=True))
            )
        )
        # A restarted worker ticking again a minute later sends nothing.
        restarted = RecordingSender()
        again = await run_tick(
            session_factory(engines[0]),
            restarted,
            now=DUE + dt.timedelta(minutes=1),
            worker_id="w-restarted",
            questions=QUESTIONS,
        )
    finally:
        for engine in engines:
            await engine.dispose()

    sent = [entry for sender in senders for entry in sender.sent]
    targets = collections.Counter(target for _, _, target, _ in sent)
    assert len(targets) == CHANNELS + PEOPLE
    assert set(targets.values()) == {1}
    assert sum(r.sent for r in reports) == CHANNELS + PEOPLE
    assert sum(r.claimed for r in reports) == CHANNELS + PEOPLE
    assert (again.sent, restarted.sent) == (0, [])
    async with transaction(sessions) as session:
        count = await session.scalar(
            select(func.count()).select_from(NudgeDelivery).where(NudgeDelivery.status == "sent")
        )
        schedules = await session.scalar(
            select(func.count(func.distinct(NudgeDelivery.schedule_id)))
        )
        dm_rows = await session.scalar(
            select(func.count()).select_from(NudgeSchedule).where(NudgeSchedule.kind == "dm")
        )
    assert count == schedules == CHANNELS + PEOPLE
    assert dm_rows == PEOPLE  # racing workers never create a second DM schedule for a person
