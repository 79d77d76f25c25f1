"""Channel schedules (add, list, remove, preview), question rotation and the prompt file."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from bot import prompts
from bot.errors import UserError
from bot.nudges import service as nudges_service
from bot.nudges.schedule import parse_time, parse_timezone, parse_weekday
from bot.nudges.service import NudgesService, load_questions, question_for
from bot.prompts import PromptError
from tests.helpers.nudges import QUESTIONS

WS = {"platform": "slack", "workspace": "T1"}


@pytest.fixture
def service(sessions):
    return NudgesService(sessions, questions=QUESTIONS)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("mon", 0),
        ("Friday", 4),
        ("SUN", 6),
        (" thu ", 3),
        ("6", 6),
        ("fridays", 4),
        ("Tues", 1),
        ("thurs", 3),
        ("wed.", 2),
    ],
)
def test_days_in_every_accepted_form(text, day):
    assert parse_weekday(text) == day


@pytest.mark.parametrize(
    ("parse", "text", "hint"),
    [
        (parse_weekday, "fri-day", "mon..sun or monday..sunday"),
        (parse_weekday, "7", "mon..sun or monday..sunday"),
        (parse_time, "24:00", "HH:MM 24-hour"),
        (parse_time, "9:5", "HH:MM 24-hour"),
        (parse_time, "13pm", "3pm / 3:30pm"),
        (parse_time, "0am", "3pm / 3:30pm"),
        (parse_time, "15", "3pm / 3:30pm"),
        (parse_time, "3:60pm", "3pm / 3:30pm"),
        (parse_time, "soon", "3pm / 3:30pm"),
        (parse_timezone, "Middle Earth", "IANA name"),
        (parse_timezone, "GMT+25", "IANA name"),
        (parse_timezone, "../etc/passwd", "IANA name"),
        (parse_timezone, "", "IANA name"),
    ],
)
def test_unreadable_values_name_the_accepted_forms(parse, text, hint):
    with pytest.raises(UserError, match=hint.replace(".", r"\.")):
        parse(text)


def test_times_and_zones_that_are_fine():
    assert parse_time("09:05") == dt.time(9, 5)
    assert parse_time("15:00") == dt.time(15, 0)
    assert parse_time("3pm") == dt.time(15, 0)
    assert parse_time("3:30 PM") == dt.time(15, 30)
    assert parse_time("12am") == dt.time(0, 0)
    assert parse_time("12:15pm") == dt.time(12, 15)
    assert parse_time("7 a.m.") == dt.time(7, 0)
    assert parse_time("noon") == dt.time(12, 0)
    assert parse_time("Midnight") == dt.time(0, 0)
    assert parse_timezone(" Pacific/Kiritimati ") == "Pacific/Kiritimati"
    assert parse_timezone("america/chicago") == "America/Chicago"


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("Central", "America/Chicago"),
        ("CST", "America/Chicago"),
        ("central time", "America/Chicago"),
        ("EST", "America/New_York"),  # not the fixed-offset EST: daylight saving stays right
        ("Pacific", "America/Los_Angeles"),
        ("Hawaii", "Pacific/Honolulu"),
        ("Arizona", "America/Phoenix"),
    ],
)
def test_us_zone_words_mean_the_zone_that_keeps_daylight_saving(text, zone):
    assert parse_timezone(text) == zone


async def test_add_list_preview_remove(service):
    added = await service.add(
        **WS, channel_id="C100", weekday="fri", local_time="15:00", timezone="America/Chicago"
    )
    other = await service.add(
        platform="slack",
        workspace="T2",
        channel_id="C200",
        weekday="mon",
        local_time="09:00",
        timezone="UTC",
    )
    listed = await service.list_schedules(**WS)
    assert [s.id for s in listed] == [added.id]
    assert (listed[0].weekday, listed[0].local_time, listed[0].enabled) == (
        4,
        dt.time(15, 0),
        True,
    )

    now = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
    first = await service.preview(**WS, schedule_id=added.id, now=now)
    assert first.due_at == dt.datetime(2026, 11, 27, 21, tzinfo=dt.UTC)
    assert first.period_key == "2026-W48" and first.text in QUESTIONS
    after = await service.preview(**WS, schedule_id=added.id, now=first.due_at)
    assert after.period_key == "2026-W49" and after.text != first.text

    with pytest.raises(UserError, match=f"no nudge schedule #{other.id}"):
        await service.preview(**WS, schedule_id=other.id, now=now)  # another workspace's
    await service.remove(**WS, schedule_id=added.id)
    assert await service.list_schedules(**WS) == []
    with pytest.raises(UserError, match="no nudge schedule"):
        await service.remove(**WS, schedule_id=added.id)


async def test_add_refuses_bad_input_before_storing(service):
    with pytest.raises(UserError, match="IANA"):
        await service.add(**WS, channel_id="C1", weekday="fri", local_time="15:00", timezone="CST6")
    with pytest.raises(UserError, match="channel"):
        await service.add(**WS, channel_id=" ", weekday="fri", local_time="15:00", timezone="UTC")
    assert await service.list_schedules(**WS) == []


def test_consecutive_weeks_differ_and_each_week_is_stable():
    keys = [f"2026-W{week:02d}" for week in range(1, 54)] + ["2027-W01"]  # 2026 has a W53
    picks = [question_for(QUESTIONS, key, salt="7") for key in keys]
    assert all(a != b for a, b in itertools.pairwise(picks))
    assert question_for(QUESTIONS, "2026-W48", salt="7") == picks[47]


def test_the_shipped_question_file_loads():
    questions = load_questions()
    assert len(questions) >= 4 and all(q.strip() for q in questions)
    assert len(set(questions)) == len(questions)


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "missing"), ("", "empty"), ("questions: []\n", "no questions"), ("- a\n", "list")],
)
def test_a_missing_or_empty_question_file_is_a_clear_error(monkeypatch, tmp_path, content, message):
    if content is not None:
        (tmp_path / nudges_service.PROMPT_FILE).write_text(content)
    monkeypatch.setattr(prompts, "PROMPTS_DIR", tmp_path)
    prompts.load_text.cache_clear()
    prompts.load_yaml.cache_clear()
    try:
        with pytest.raises(PromptError, match=message):
            load_questions()
    finally:
        prompts.load_text.cache_clear()
        prompts.load_yaml.cache_clear()


async def test_preview_of_a_paused_schedule_is_the_week_it_resumes(service, sessions):
    from sqlalchemy import update

    from bot.store.database import transaction
    from bot.store.models import NudgeSchedule

    added = await service.add(
        **WS, channel_id="C100", weekday="fri", local_time="15:00", timezone="America/Chicago"
    )
    async with transaction(sessions) as session:
        await session.execute(
            update(NudgeSchedule)
            .where(NudgeSchedule.id == added.id)
            .values(paused_until=dt.date(2026, 12, 4))
        )
    now = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
    preview = await service.preview(**WS, schedule_id=added.id, now=now)
    assert preview.due_at == dt.datetime(2026, 12, 11, 21, tzinfo=dt.UTC)  # Fri 11 Dec, 15:00 CST
    assert preview.period_key == "2026-W50"
    assert preview.text == service.question(added.id, "2026-W50")
