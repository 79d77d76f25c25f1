"""One scheduler tick with frozen clocks: claims, sends, retries, skips and disabled channels."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.nudges.tick import run_tick
from bot.store.database import transaction
from bot.store.models import NudgeDelivery, NudgeSchedule, Win
from tests.helpers.nudges import QUESTIONS, add_channel_schedule, add_person

UTC = dt.UTC
FRIDAY_DUE = dt.datetime(2026, 11, 27, 21, 0, tzinfo=UTC)  # Fri 15:00 America/Chicago
GRACE = dt.timedelta(hours=6)


async def tick(sessions, sender, now, **options):
    options.setdefault("worker_id", "w1")
    return await run_tick(sessions, sender, now=now, grace=GRACE, questions=QUESTIONS, **options)


async def deliveries(sessions):
    async with transaction(sessions) as session:
        rows = await session.scalars(select(NudgeDelivery).order_by(NudgeDelivery.id))
        return [(d.schedule_id, d.period_key, d.status, d.attempts, d.error) for d in rows]


async def schedule(sessions, schedule_id):
    async with transaction(sessions) as session:
        return await session.get(NudgeSchedule, schedule_id)


async def test_a_due_channel_nudge_is_sent_once_and_recorded(sessions, sender):
    sid = await add_channel_schedule(sessions)
    early = await tick(sessions, sender, FRIDAY_DUE - dt.timedelta(minutes=1))
    assert (early.due, sender.sent) == (0, [])

    report = await tick(sessions, sender, FRIDAY_DUE + dt.timedelta(seconds=30))
    assert (report.due, report.claimed, report.sent) == (1, 1, 1)
    [(kind, workspace, channel, text)] = sender.sent
    assert (kind, workspace, channel) == ("channel", "T1", "C100") and text in QUESTIONS
    assert await deliveries(sessions) == [(sid, "2026-W48", "sent", 1, None)]
    async with transaction(sessions) as session:
        delivery = await session.scalar(select(NudgeDelivery))
        assert delivery is not None and delivery.message_ref == "ts-1"

    again = await tick(sessions, sender, FRIDAY_DUE + dt.timedelta(minutes=1))
    assert (again.due, again.claimed, again.sent, len(sender.sent)) == (1, 0, 0, 1)


async def test_consecutive_weeks_ask_different_questions(sessions, sender):
    await add_channel_schedule(sessions)
    for week in range(3):
        await tick(sessions, sender, FRIDAY_DUE + dt.timedelta(weeks=week, minutes=1))
    texts = [text for *_, text in sender.sent]
    assert len(texts) == 3 and texts[0] != texts[1] and texts[1] != texts[2]


async def test_a_nudge_past_the_grace_is_skipped_not_sent(sessions, sender):
    sid = await add_channel_schedule(sessions)
    report = await tick(sessions, sender, FRIDAY_DUE + GRACE + dt.timedelta(minutes=1))
    assert (report.skipped, report.sent, sender.sent) == (1, 0, [])
    [(schedule_id, key, status, _, error)] = await deliveries(sessions)
    assert (schedule_id, key, status) == (sid, "2026-W48", "skipped") and "late" in error


async def test_a_paused_schedule_is_skipped_until_its_date(sessions, sender):
    await add_channel_schedule(sessions, paused_until=dt.date(2026, 11, 27))
    report = await tick(sessions, sender, FRIDAY_DUE + dt.timedelta(minutes=1))
    assert (report.skipped, sender.sent) == (1, [])
    report = await tick(sessions, sender, FRIDAY_DUE + dt.timedelta(weeks=1, minutes=1))
    assert report.sent == 1


async def test_a_failed_send_is_retried_with_backoff_up_to_the_limit(sessions, sender):
    await add_channel_schedule(sessions)
    sender.fail["C100"] = ["ratelimited", "internal_error", "fatal_error"]
    start = FRIDAY_DUE + dt.timedelta(minutes=1)
    first = await tick(sessions, sender, start, retry_after=dt.timedelta(minutes=5))
    assert first.failed == 1
    too_soon = await tick(sessions, sender, start + dt.timedelta(minutes=4))
    assert (too_soon.retried, too_soon.failed) == (0, 0)
    second = await tick(sessions, sender, start + dt.timedelta(minutes=5))
    assert (second.retried, second.failed) == (1, 1)
    # The second retry waits twice as long (10 minutes after the last attempt).
    assert (await tick(sessions, sender, start + dt.timedelta(minutes=14))).retried == 0
    third = await tick(sessions, sender, start + dt.timedelta(minutes=15))
    assert (third.retried, third.failed) == (1, 1)
    done = await tick(sessions, sender, start + dt.timedelta(hours=2))
    assert (done.retried, sender.sent) == (0, [])
    [(_, _, status, attempts, error)] = await deliveries(sessions)
    assert (status, attempts) == ("failed", 3) and "fatal_error" in error


async def test_a_retry_that_succeeds_records_sent(sessions, sender):
    await add_channel_schedule(sessions)
    sender.fail["C100"] = ["ratelimited"]
    await tick(sessions, sender, FRIDAY_DUE)
    report = await tick(sessions, sender, FRIDAY_DUE + dt.timedelta(minutes=6))
    assert (report.retried, report.sent, len(sender.sent)) == (1, 1, 1)
    [(_, _, status, attempts, error)] = await deliveries(sessions)
    assert (status, attempts, error) == ("sent", 2, None)


async def test_an_archived_channel_disables_its_schedule(sessions, sender):
    gone = await add_channel_schedule(sessions, "C_GONE")
    fine = await add_channel_schedule(sessions, "C_FINE")
    sender.fail["C_GONE"] = ["is_archived"]
    report = await tick(sessions, sender, FRIDAY_DUE)
    assert (report.sent, report.failed, report.disabled) == (1, 1, 1)
    row = await schedule(sessions, gone)
    assert row is not None and not row.enabled and "is_archived" in (row.disabled_reason or "")
    assert (await schedule(sessions, fine)).enabled
    later = await tick(sessions, sender, FRIDAY_DUE + dt.timedelta(weeks=1))
    assert (later.due, later.sent) == (1, 1)


async def test_whoever_configured_a_removed_channel_is_told_once(sessions, sender):
    gone = await add_channel_schedule(sessions, "C_GONE", created_by="U_ADMIN")
    sender.fail["C_GONE"] = ["not_in_channel"]
    await tick(sessions, sender, FRIDAY_DUE)
    assert sender.sent == [("notice", "T1", "U_ADMIN", f"C_GONE not_in_channel #{gone}")]
    await tick(sessions, sender, FRIDAY_DUE + dt.timedelta(weeks=1))
    assert len(sender.sent) == 1  # disabled: no more posts and no more notices


async def test_a_failed_notice_does_not_stop_the_tick(sessions, sender):
    await add_channel_schedule(sessions, "C_GONE", created_by="U_LEFT")
    await add_channel_schedule(sessions, "C_FINE")
    sender.fail.update({"C_GONE": ["channel_not_found"], "U_LEFT": ["user_not_found"]})
    report = await tick(sessions, sender, FRIDAY_DUE)
    assert (report.sent, report.disabled) == (1, 1)
    assert [target for _, _, target, _ in sender.sent] == ["C_FINE"]


async def test_a_claim_left_by_a_crashed_send_is_not_sent_again(sessions, sender):
    sid = await add_channel_schedule(sessions)
    async with transaction(sessions) as session:  # a process claimed, then died mid-send
        session.add(
            NudgeDelivery(
                schedule_id=sid,
                period_key="2026-W48",
                status="claimed",
                claimed_by="dead",
                claimed_at=FRIDAY_DUE,
            )
        )
    soon = await tick(sessions, sender, FRIDAY_DUE + dt.timedelta(minutes=5))
    assert (soon.sent, soon.interrupted, sender.sent) == (0, 0, [])
    later = await tick(sessions, sender, FRIDAY_DUE + dt.timedelta(minutes=20))
    assert (later.sent, later.interrupted, sender.sent) == (0, 1, [])
    [(_, _, status, _, error)] = await deliveries(sessions)
    assert status == "failed" and "interrupted" in error
    final = await tick(sessions, sender, FRIDAY_DUE + dt.timedelta(hours=1))
    assert (final.sent, final.retried, sender.sent) == (0, 0, [])


async def test_dm_nudges_follow_the_persons_settings(sessions, sender):
    await add_person(sessions, "U1")
    await add_person(sessions, "U_OFF", enabled=False)
    await add_person(sessions, "U_PAUSED", paused_until=dt.date(2026, 12, 1))
    await add_person(sessions, "U_TOKYO", tz="Asia/Tokyo", weekday=None, at=None)
    report = await tick(sessions, sender, FRIDAY_DUE, default_timezone="UTC")
    assert [(kind, who) for kind, _, who, _ in sender.sent] == [("dm", "U1")]
    assert report.skipped == 2  # paused; Tokyo's default Fri 14:00 JST is 16 hours stale: late


async def test_no_dm_nudge_in_a_week_the_person_already_logged_a_win(sessions, sender):
    winner = await add_person(sessions, "U_WIN")
    await add_person(sessions, "U_QUIET")
    async with transaction(sessions) as session:
        person = winner
        ws_id = (await session.scalar(select(NudgeSchedule.workspace_id).limit(1))) or 1
        session.add(
            Win(
                workspace_id=ws_id,
                person_id=person,
                what="trained a new tech",
                category="trained_mentored",
                occurred_on=dt.date(2026, 11, 24),
                created_at=dt.datetime(2026, 11, 24, 18, tzinfo=UTC),
            )
        )
    report = await tick(sessions, sender, FRIDAY_DUE)
    assert [who for _, _, who, _ in sender.sent] == ["U_QUIET"]
    assert report.skipped == 1
    statuses = {(status, error) for _, _, status, _, error in await deliveries(sessions)}
    assert ("skipped", "already logged a win this week") in statuses


async def test_turning_dm_nudges_off_stops_them(sessions, sender):
    person = await add_person(sessions, "U1")
    await tick(sessions, sender, FRIDAY_DUE)
    async with transaction(sessions) as session:
        from bot.store.models import Person

        row = await session.get(Person, person)
        assert row is not None
        row.nudge_dm_enabled = False
    await tick(sessions, sender, FRIDAY_DUE + dt.timedelta(weeks=1))
    assert len(sender.sent) == 1


async def test_sent_marks_are_written_in_batches_when_full_old_or_at_the_end(sessions):
    from bot.nudges import tick as tick_module

    ids_ = []
    sid = await add_channel_schedule(sessions)
    async with transaction(sessions) as session:
        for week in range(1, 6):
            row = NudgeDelivery(schedule_id=sid, period_key=f"2026-W{week:02d}", status="claimed")
            session.add(row)
            await session.flush()
            ids_.append(row.id)
    seconds = [0.0]
    book = tick_module._SentBook(sessions, now=FRIDAY_DUE, clock=lambda: seconds[0])

    async def statuses():
        async with transaction(sessions) as session:
            rows = await session.scalars(select(NudgeDelivery).order_by(NudgeDelivery.id))
            return [row.status for row in rows]

    await book.sent(ids_[0], "ts-1", 1)
    await book.sent(ids_[1], "ts-2", 1)
    assert await statuses() == ["claimed"] * 5  # gathered, not written yet
    seconds[0] = tick_module.SENT_MAX_WAIT_S  # the oldest mark is now old enough
    await book.sent(ids_[2], "ts-3", 2)
    assert await statuses() == ["sent"] * 3 + ["claimed"] * 2
    await book.sent(ids_[3], "ts-4", 1)
    await book.flush()
    assert await statuses() == ["sent"] * 4 + ["claimed"]
    async with transaction(sessions) as session:
        third = await session.get(NudgeDelivery, ids_[2])
    assert third is not None and (third.message_ref, third.attempts) == ("ts-3", 2)
