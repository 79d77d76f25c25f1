"""The Slack sender against the local fake Slack Web API, driven by real ticks."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.nudges.tick import run_tick
from bot.settings import load_settings
from bot.slack import ids
from bot.slack.app import build_client
from bot.slack.nudge_sender import SlackNudgeSender
from bot.store.database import transaction
from bot.store.models import NudgeDelivery, NudgeSchedule, Person, Win
from tests.fakes.slack_api import DEFAULT_TEAM_ID, TEST_BOT_TOKEN, FakeSlack, fake_slack
from tests.helpers.nudges import QUESTIONS, add_channel_schedule, add_person

DUE = dt.datetime(2026, 11, 27, 21, 0, 5, tzinfo=dt.UTC)


def sender_for(fake: FakeSlack) -> SlackNudgeSender:
    client = build_client(load_settings(slack_api_url=fake.url), token=TEST_BOT_TOKEN)
    client.proxy = None  # keep test traffic on localhost whatever HTTP(S)_PROXY says
    return SlackNudgeSender(client)


async def tick(sessions, sender, now=DUE):
    return await run_tick(sessions, sender, now=now, worker_id="w1", questions=QUESTIONS)


async def test_a_channel_nudge_is_posted_with_a_log_a_win_button(sessions):
    await add_channel_schedule(sessions, "C100", workspace=DEFAULT_TEAM_ID)
    await add_person(sessions, "U42", workspace=DEFAULT_TEAM_ID)
    async with fake_slack() as fake:
        report = await tick(sessions, sender_for(fake))
    assert report.sent == 2
    posts = fake.calls_to("chat.postMessage")
    channels = sorted(call.params["channel"] for call in posts)
    assert channels == ["C100", "U42"]
    channel_post = next(call for call in posts if call.params["channel"] == "C100")
    assert channel_post.params["text"].split(" Log a win")[0] in QUESTIONS
    actions = [b for b in channel_post.params["blocks"] if b["type"] == "actions"]
    assert actions[0]["elements"][0]["action_id"] == ids.WIN_LOG
    async with transaction(sessions) as session:
        refs = set(await session.scalars(select(NudgeDelivery.message_ref)))
    assert refs == {call.response["ts"] for call in posts}


async def test_archived_and_not_in_channel_disable_their_schedules(sessions):
    archived = await add_channel_schedule(sessions, "C_ARCH", workspace=DEFAULT_TEAM_ID)
    outside = await add_channel_schedule(sessions, "C_OUT", workspace=DEFAULT_TEAM_ID)
    async with fake_slack() as fake:
        fake.add_channel("C_ARCH", is_archived=True)
        fake.add_channel("C_OUT", is_member=False)
        report = await tick(sessions, sender_for(fake))
        later = await tick(sessions, sender_for(fake), DUE + dt.timedelta(weeks=1))
    assert (report.failed, report.disabled, report.sent) == (2, 2, 0)
    assert later.due == 0 and len(fake.calls_to("chat.postMessage")) == 2
    async with transaction(sessions) as session:
        rows = {s.id: s for s in await session.scalars(select(NudgeSchedule))}
    assert not rows[archived].enabled and rows[archived].disabled_reason.startswith("is_archived")
    assert not rows[outside].enabled and rows[outside].disabled_reason.startswith("not_in_channel")


async def test_a_429_is_waited_out_and_then_delivered_once(sessions):
    await add_channel_schedule(sessions, "C100", workspace=DEFAULT_TEAM_ID)
    async with fake_slack() as fake:
        fake.fail_next("chat.postMessage", "ratelimited", status=429, retry_after=1)
        report = await tick(sessions, sender_for(fake))
    limited, delivered = fake.calls_to("chat.postMessage")
    assert (limited.status, delivered.status, report.sent) == (429, 200, 1)
    assert delivered.at - limited.at >= 1.0


async def test_a_lasting_slack_error_is_recorded_for_a_later_retry(sessions):
    await add_channel_schedule(sessions, "C100", workspace=DEFAULT_TEAM_ID)
    async with fake_slack() as fake:
        fake.fail_next("chat.postMessage", "internal_error")
        report = await tick(sessions, sender_for(fake))
        retry = await tick(sessions, sender_for(fake), DUE + dt.timedelta(minutes=6))
    assert (report.failed, report.disabled, retry.retried, retry.sent) == (1, 0, 1, 1)
    assert [call.ok for call in fake.calls_to("chat.postMessage")] == [False, True]


async def test_the_sender_waits_out_429s_beyond_the_clients_own_retries(sessions):
    await add_channel_schedule(sessions, "C100", workspace=DEFAULT_TEAM_ID)
    async with fake_slack() as fake:
        fake.fail_next("chat.postMessage", "ratelimited", status=429, retry_after=1, times=2)
        report = await tick(sessions, SlackNudgeSender(fake.client()))  # no retry handlers
    calls = fake.calls_to("chat.postMessage")
    assert [call.status for call in calls] == [429, 429, 200] and report.sent == 1
    assert calls[2].at - calls[0].at >= 2.0


async def test_a_nudge_still_rate_limited_is_left_for_a_later_tick(sessions):
    await add_channel_schedule(sessions, "C100", workspace=DEFAULT_TEAM_ID)
    async with fake_slack() as fake:
        fake.fail_next("chat.postMessage", "ratelimited", status=429, retry_after=30)
        sender = SlackNudgeSender(fake.client(), max_rate_limit_waits=0)
        report = await tick(sessions, sender)
    assert (report.failed, report.disabled) == (1, 0)
    assert report.errors == ["schedule 1 2026-W48: ratelimited"]


async def test_the_creator_of_a_channel_nudge_is_dmed_when_it_is_turned_off(sessions):
    sid = await add_channel_schedule(
        sessions, "C0ARCHIVED", workspace=DEFAULT_TEAM_ID, created_by="U_ADMIN"
    )
    async with fake_slack() as fake:
        fake.add_channel("C0ARCHIVED", is_archived=True)
        await tick(sessions, sender_for(fake))
    [_, notice] = fake.calls_to("chat.postMessage")
    assert notice.params["channel"] == "U_ADMIN"
    assert "archived" in notice.params["text"]
    body = str(notice.params["blocks"])
    assert "<#C0ARCHIVED>" in body and f"/stepup nudges resume {sid}" in body


async def test_the_roundup_and_the_monthly_digest_reach_slack(sessions):
    await add_channel_schedule(sessions, "C100", workspace=DEFAULT_TEAM_ID)
    for n in range(5):
        await add_person(sessions, f"U{n}", enabled=False, workspace=DEFAULT_TEAM_ID)
    person = await add_person(
        sessions, "U_DIGEST", enabled=False, digest=True, workspace=DEFAULT_TEAM_ID
    )
    async with transaction(sessions) as session:
        row = await session.get(Person, person)
        assert row is not None
        session.add(
            Win(
                workspace_id=row.workspace_id,
                person_id=person,
                what="trained two new techs",
                category="trained_mentored",
                occurred_on=dt.date(2026, 11, 20),
                created_at=dt.datetime(2026, 11, 25, 18, tzinfo=dt.UTC),  # in the roundup week
            )
        )
    async with fake_slack() as fake:
        await tick(sessions, sender_for(fake))  # Friday 27 November: the channel nudge
        await tick(sessions, sender_for(fake), dt.datetime(2026, 12, 1, 21, 1, tzinfo=dt.UTC))
    channel_post, digest_post = fake.calls_to("chat.postMessage")
    assert "Last 7 days: 1 win logged by 1 person" in channel_post.params["text"]
    assert digest_post.params["channel"] == "U_DIGEST"
    buttons = [
        element["action_id"]
        for block in digest_post.params["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert ids.IMPACT_BUILD in buttons
    assert "trained two new techs" in str(digest_post.params["blocks"])
