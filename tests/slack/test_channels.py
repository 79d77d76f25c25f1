"""The Slack announcer: the announcement that proves Step Up can post in a channel, taken back
when the schedule cannot be stored (the rule is NudgesService's, the posts are Slack's)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.nudges.ports import ChannelRefused
from bot.nudges.service import NudgesService
from bot.settings import load_settings
from bot.slack.app import build_client
from bot.slack.channels import SlackChannelAnnouncer
from bot.store import nudges as nudges_store
from tests.fakes.slack_api import TEST_BOT_TOKEN, FakeSlack, fake_slack
from tests.helpers.nudges import QUESTIONS

WS = {"platform": "slack", "workspace": "T1"}
FRIDAY_3PM = {"weekday": "fri", "local_time": "15:00", "timezone": "America/Chicago"}


def announcer_for(fake: FakeSlack) -> SlackChannelAnnouncer:
    client = build_client(load_settings(slack_api_url=fake.url), token=TEST_BOT_TOKEN)
    client.proxy = None
    return SlackChannelAnnouncer(client)


@pytest.fixture
def service(sessions) -> NudgesService:
    return NudgesService(sessions, questions=QUESTIONS)


async def test_a_failure_after_the_announcement_takes_it_back(service, monkeypatch) -> None:
    async def broken(*_: object, **__: object) -> None:
        raise RuntimeError("database down")

    monkeypatch.setattr(nudges_store, "add_channel_schedule", broken)
    async with fake_slack() as fake:
        with pytest.raises(RuntimeError, match="database down"):
            await service.add(
                **WS, channel_id="C0PHARM", **FRIDAY_3PM, announcer=announcer_for(fake)
            )
        [posted] = fake.calls_to("chat.postMessage")
        [deleted] = fake.calls_to("chat.delete")
    assert posted.params["text"].startswith("Weekly win nudges are on for this channel")
    assert deleted.params["channel"] == "C0PHARM"
    assert deleted.params["ts"] == posted.response["ts"]


async def test_a_stored_schedule_keeps_its_announcement(service) -> None:
    async with fake_slack() as fake:
        schedule = await service.add(
            **WS, channel_id="C0PHARM", **FRIDAY_3PM, announcer=announcer_for(fake)
        )
        [posted] = fake.calls_to("chat.postMessage")
        assert fake.calls_to("chat.delete") == []
    assert (schedule.weekday, schedule.local_time) == (4, dt.time(15, 0))
    assert "Fridays at 3:00 PM (Central)" in posted.params["text"]
    assert "/stepup" in posted.params["text"]


async def test_a_refused_announcement_stores_nothing(service) -> None:
    async with fake_slack() as fake:
        fake.add_channel("C0GONE", is_archived=True)
        with pytest.raises(ChannelRefused) as refused:
            await service.add(
                **WS, channel_id="C0GONE", **FRIDAY_3PM, announcer=announcer_for(fake)
            )
    assert refused.value.error == "is_archived"
    assert await service.list_schedules(**WS) == []


async def test_resuming_a_schedule_that_is_off_posts_a_back_on_note_first(service) -> None:
    async with fake_slack() as fake:
        announcer = announcer_for(fake)
        schedule = await service.add(**WS, channel_id="C0PHARM", **FRIDAY_3PM)
        await service.set_enabled(**WS, schedule_id=schedule.id, enabled=False)
        await service.set_enabled(**WS, schedule_id=schedule.id, enabled=True, announcer=announcer)
        # Already on: nothing to announce.
        await service.set_enabled(**WS, schedule_id=schedule.id, enabled=True, announcer=announcer)
        [note] = fake.calls_to("chat.postMessage")
    assert note.params["text"] == (
        "Weekly win nudges are back on for this channel: Fridays at 3:00 PM (Central)."
    )


async def test_a_refused_back_on_note_leaves_the_schedule_off(service) -> None:
    async with fake_slack() as fake:
        schedule = await service.add(**WS, channel_id="C0GONE", **FRIDAY_3PM)
        await service.set_enabled(**WS, schedule_id=schedule.id, enabled=False)
        fake.add_channel("C0GONE", is_member=False)
        with pytest.raises(ChannelRefused):
            await service.set_enabled(
                **WS, schedule_id=schedule.id, enabled=True, announcer=announcer_for(fake)
            )
    [stored] = await service.list_schedules(**WS)
    assert not stored.enabled
