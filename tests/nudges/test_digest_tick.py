"""The monthly digest through the tick: opt-in, on the 1st at the person's time, exactly once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from bot.nudges.tick import run_tick
from bot.store.database import transaction
from bot.store.models import NudgeDelivery, NudgeSchedule, Person, Win
from tests.helpers.nudges import QUESTIONS, add_person

UTC = dt.UTC
DEC_1_DUE = dt.datetime(2026, 12, 1, 21, 0, tzinfo=UTC)  # Tue 1 Dec, 15:00 America/Chicago
GRACE = dt.timedelta(hours=6)


async def tick(sessions, sender, now, **options):
    return await run_tick(
        sessions, sender, now=now, grace=GRACE, worker_id="w1", questions=QUESTIONS, **options
    )


async def add_win(sessions, person_id: int, day: dt.date, what: str = "restocked") -> None:
    async with transaction(sessions) as session:
        person = await session.get(Person, person_id)
        assert person is not None
        session.add(
            Win(
                workspace_id=person.workspace_id,
                person_id=person_id,
                what=what,
                category="process_improvement",
                occurred_on=day,
            )
        )


async def test_an_opted_in_person_gets_last_months_digest_on_the_first_once(sessions, sender):
    person = await add_person(sessions, "U1", enabled=False, digest=True)
    await add_win(sessions, person, dt.date(2026, 11, 3), "cut ADC stockouts")
    await add_win(sessions, person, dt.date(2026, 11, 30))
    await add_win(sessions, person, dt.date(2026, 10, 31))  # October: not in November's digest
    before = await tick(sessions, sender, DEC_1_DUE - dt.timedelta(minutes=1))
    assert (before.due, sender.digests) == (0, [])

    report = await tick(sessions, sender, DEC_1_DUE + dt.timedelta(minutes=1))
    assert report.sent == 1
    [(kind, workspace, user, _)] = sender.sent
    assert (kind, workspace, user) == ("digest", "T1", "U1")
    [digest] = sender.digests
    assert digest.month == dt.date(2026, 11, 1) and digest.today == dt.date(2026, 12, 1)
    assert (digest.wins, digest.previous_wins) == (2, 1)

    again = await tick(sessions, sender, DEC_1_DUE + dt.timedelta(minutes=2))
    assert (again.sent, len(sender.digests)) == (0, 1)
    async with transaction(sessions) as session:
        keys = list(await session.scalars(select(NudgeDelivery.period_key)))
    assert keys == ["2026-11"]


async def test_no_digest_without_opting_in_and_weekly_dms_do_not_imply_it(sessions, sender):
    await add_person(sessions, "U1", enabled=True, digest=False, weekday=1)  # Tuesdays
    await tick(sessions, sender, DEC_1_DUE + dt.timedelta(minutes=1))
    assert sender.digests == []
    assert [kind for kind, *_ in sender.sent] == ["dm"]  # the weekly DM still goes


async def test_weekly_dm_and_digest_on_the_same_day_are_both_sent(sessions, sender):
    await add_person(sessions, "U1", enabled=True, digest=True, weekday=1)
    await tick(sessions, sender, DEC_1_DUE + dt.timedelta(minutes=1))
    assert sorted(kind for kind, *_ in sender.sent) == ["digest", "dm"]


async def test_a_paused_person_gets_no_digest_that_month(sessions, sender):
    await add_person(sessions, "U1", enabled=False, digest=True, paused_until=dt.date(2026, 12, 3))
    report = await tick(sessions, sender, DEC_1_DUE + dt.timedelta(minutes=1))
    assert (report.skipped, sender.digests) == (1, [])


async def test_turning_the_digest_off_stops_it(sessions, sender):
    person = await add_person(sessions, "U1", enabled=False, digest=True)
    await tick(sessions, sender, DEC_1_DUE - dt.timedelta(days=2))  # creates the schedule row
    async with transaction(sessions) as session:
        await session.execute(
            update(Person).where(Person.id == person).values(nudge_digest_enabled=False)
        )
    await tick(sessions, sender, DEC_1_DUE + dt.timedelta(minutes=1))
    assert sender.digests == []
    async with transaction(sessions) as session:
        row = await session.scalar(select(NudgeSchedule).where(NudgeSchedule.kind == "digest"))
    assert row is not None and row.enabled is False


async def test_the_digest_follows_the_persons_zone_across_the_date_line(sessions, sender):
    # 09:00 on 1 December in Auckland is 20:00 UTC on 30 November.
    await add_person(
        sessions, "U1", enabled=False, digest=True, tz="Pacific/Auckland", at=dt.time(9, 0)
    )
    due = dt.datetime(2026, 11, 30, 20, 0, tzinfo=UTC)
    assert (await tick(sessions, sender, due - dt.timedelta(minutes=1))).due == 0
    await tick(sessions, sender, due + dt.timedelta(minutes=1))
    [digest] = sender.digests
    assert digest.month == dt.date(2026, 11, 1) and digest.today == dt.date(2026, 12, 1)


async def test_a_digest_missed_past_the_grace_is_skipped(sessions, sender):
    await add_person(sessions, "U1", enabled=False, digest=True)
    report = await tick(sessions, sender, DEC_1_DUE + GRACE + dt.timedelta(minutes=1))
    assert (report.skipped, sender.digests) == (1, [])
