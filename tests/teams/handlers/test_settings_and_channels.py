"""The settings card (personal nudges) and a channel's weekly-nudge card."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from bot.store import nudges as nudges_store
from bot.store.models import NudgeSchedule, Person
from bot.teams import verbs
from tests.helpers.teams_activities import CHANNEL_ID, USER_ID
from tests.helpers.teams_stack import TeamsStack, card_text, last_card, verbs_of


def _card(body: dict[str, Any]) -> dict[str, Any]:
    assert body["type"] == "application/vnd.microsoft.card.adaptive", body
    card: dict[str, Any] = body["value"]
    return card


async def _person(teams: TeamsStack) -> Person:
    async with teams.runtime.sessions() as session:
        person = await session.scalar(select(Person).where(Person.platform_user_id == USER_ID))
        assert person is not None
        return person


async def _schedules(teams: TeamsStack) -> list[NudgeSchedule]:
    async with teams.runtime.sessions() as session:
        return list(await session.scalars(select(NudgeSchedule).order_by(NudgeSchedule.id)))


SETTINGS = {
    verbs.IN_DM_ENABLED: "true",
    verbs.IN_DIGEST_ENABLED: "true",
    verbs.IN_WEEKDAY: "6",
    verbs.IN_TIME: "22:30",
    verbs.IN_TIMEZONE: "America/Denver",
    verbs.IN_PAUSED_UNTIL: "",
}


async def test_settings_command_shows_the_card_and_save_stores_it(teams: TeamsStack) -> None:
    card = last_card(await teams.say("settings"))
    assert verbs.SETTINGS_SAVE in verbs_of(card)
    saved = _card(await teams.press(verbs.SETTINGS_SAVE, SETTINGS))
    person = await _person(teams)
    assert person.nudge_dm_enabled and person.nudge_digest_enabled
    assert (person.nudge_weekday, person.nudge_time) == (6, dt.time(22, 30))
    assert person.timezone == "America/Denver"
    assert "Sunday" in card_text(saved) or "Sundays" in card_text(saved)


async def test_bad_settings_are_refused_next_to_the_field_and_nothing_changes(
    teams: TeamsStack,
) -> None:
    await teams.press(verbs.SETTINGS_SAVE, SETTINGS)
    bad_zone = _card(
        await teams.press(verbs.SETTINGS_SAVE, SETTINGS | {verbs.IN_TIMEZONE: "Mars/Base"})
    )
    assert "Mars/Base" in card_text(bad_zone)
    past = _card(
        await teams.press(verbs.SETTINGS_SAVE, SETTINGS | {verbs.IN_PAUSED_UNTIL: "2020-01-01"})
    )
    assert "already passed" in card_text(past)
    bad_day = _card(await teams.press(verbs.SETTINGS_SAVE, SETTINGS | {verbs.IN_WEEKDAY: "9"}))
    assert "Monday to Sunday" in card_text(bad_day)
    bad_time = _card(await teams.press(verbs.SETTINGS_SAVE, SETTINGS | {verbs.IN_TIME: "25:99"}))
    assert "25:99" in card_text(bad_time)
    person = await _person(teams)
    assert person.timezone == "America/Denver" and person.nudge_paused_until is None
    assert person.nudge_weekday == 6


async def test_settings_button_posts_the_card(teams: TeamsStack) -> None:
    body = await teams.press(verbs.SETTINGS_OPEN)
    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert verbs.SETTINGS_SAVE in verbs_of(last_card(teams.connector.activities()))


async def test_a_channel_nudge_is_set_up_changed_paused_and_removed_from_its_card(
    teams: TeamsStack,
) -> None:
    form = last_card(await teams.say("nudges", channel=True))
    assert verbs.CHANNEL_SAVE in verbs_of(form)
    inputs = {verbs.IN_WEEKDAY: "4", verbs.IN_TIME: "15:00", verbs.IN_TIMEZONE: "America/Chicago"}
    on = _card(await teams.press(verbs.CHANNEL_SAVE, inputs, channel=True))
    [schedule] = await _schedules(teams)
    assert (schedule.channel_id, schedule.weekday, schedule.local_time) == (
        CHANNEL_ID,
        4,
        dt.time(15, 0),
    )
    assert schedule.created_by == USER_ID and schedule.enabled
    assert {verbs.CHANNEL_PAUSE, verbs.CHANNEL_REMOVE} <= verbs_of(on)
    # The team is told, in the channel (the post is also the check that Step Up may post there).
    announced = teams.connector.activities()[-1]
    assert "Fridays at 3:00 PM (Central)" in announced["text"]
    assert teams.connector.calls_to("send")[-1].conversation_id.startswith(CHANNEL_ID)

    again = _card(await teams.press(verbs.CHANNEL_SAVE, inputs, channel=True))
    assert "already has" in card_text(again)
    assert len(await _schedules(teams)) == 1

    ids = {verbs.SCHEDULE_ID: str(schedule.id)}
    moved = inputs | ids | {verbs.IN_WEEKDAY: "0", verbs.IN_TIME: "7am"}
    await teams.press(verbs.CHANNEL_SAVE, moved, channel=True)
    [schedule] = await _schedules(teams)
    assert (schedule.weekday, schedule.local_time) == (0, dt.time(7, 0))

    paused = _card(await teams.press(verbs.CHANNEL_PAUSE, ids, channel=True))
    assert verbs.CHANNEL_RESUME in verbs_of(paused)
    assert not (await _schedules(teams))[0].enabled
    await teams.press(verbs.CHANNEL_RESUME, ids, channel=True)
    assert (await _schedules(teams))[0].enabled
    assert "back on" in teams.connector.activities()[-1]["text"]

    gone = _card(await teams.press(verbs.CHANNEL_REMOVE, ids, channel=True))
    assert verbs.CHANNEL_SAVE in verbs_of(gone)
    assert await _schedules(teams) == []


async def test_a_bad_channel_schedule_shows_the_accepted_forms(teams: TeamsStack) -> None:
    inputs = {verbs.IN_WEEKDAY: "4", verbs.IN_TIME: "teatime", verbs.IN_TIMEZONE: "Chicago"}
    card = _card(await teams.press(verbs.CHANNEL_SAVE, inputs, channel=True))
    assert "teatime" in card_text(card) and "HH:MM" in card_text(card)
    assert await _schedules(teams) == []


async def test_channel_buttons_outside_a_channel_and_private_things_in_a_channel(
    teams: TeamsStack,
) -> None:
    body = await teams.press(verbs.CHANNEL_SAVE, {verbs.IN_WEEKDAY: "4"})
    assert "team channel" in body["value"]
    body = await teams.press(verbs.IMPACT_SHOW, {verbs.PERIOD: "30d"}, channel=True)
    assert "private" in body["value"]
    # A vent in a channel is not coached there: Step Up explains what it does in channels.
    sent = await teams.say("Three people called out tonight and I'm so done", channel=True)
    card = last_card(sent)
    assert verbs.CHANNEL_OPEN in verbs_of(card)
    assert "Problem" not in card_text(card)
    assert all(call.conversation_id.startswith(CHANNEL_ID) for call in teams.connector.calls)


async def test_a_channel_step_up_cannot_post_to_is_refused_and_nothing_is_saved(
    teams: TeamsStack,
) -> None:
    thread = teams.pat.where(True)[1]
    teams.connector.fail(thread, 403, "BotNotInConversationRoster")
    inputs = {verbs.IN_WEEKDAY: "4", verbs.IN_TIME: "15:00", verbs.IN_TIMEZONE: "America/Chicago"}
    card = _card(await teams.press(verbs.CHANNEL_SAVE, inputs, channel=True))
    assert "couldn't post in this channel" in card_text(card)
    assert "403" in card_text(card)
    assert await _schedules(teams) == []


async def test_an_announcement_is_taken_back_when_the_schedule_cannot_be_stored(
    teams: TeamsStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_: object, **__: object) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(nudges_store, "add_channel_schedule", broken)
    inputs = {verbs.IN_WEEKDAY: "4", verbs.IN_TIME: "15:00", verbs.IN_TIMEZONE: "America/Chicago"}
    body = await teams.press(verbs.CHANNEL_SAVE, inputs, channel=True)
    assert "went wrong" in body["value"]
    [posted] = teams.connector.calls_to("send")
    [deleted] = teams.connector.calls_to("delete")
    assert posted.activity_id is not None and deleted.activity_id == posted.activity_id
