"""The Teams sender: real ticks, the real Teams SDK, real HTTP to the fake connector."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
from typing import Any

import pytest
from sqlalchemy import event, select

from bot.commands import nudges as nudges_command
from bot.commands.context import CommandContext
from bot.nudges.job import nudge_tick
from bot.nudges.ports import GONE_ERRORS
from bot.nudges.service import load_questions
from bot.nudges.tick import run_tick
from bot.scheduler import nudge_senders
from bot.settings import load_settings
from bot.store.database import transaction
from bot.store.models import NudgeDelivery, NudgeSchedule, Person, Win
from bot.store.people import get_or_create_workspace
from bot.teams import verbs
from bot.teams.app import create_teams_app, ready
from bot.teams.references import find_personal, remember_conversation
from bot.teams.sender import FORBIDDEN, GONE, TeamsNudgeSender
from tests.fakes.slack_api import DEFAULT_TEAM_ID, TEST_BOT_TOKEN, fake_slack
from tests.fakes.teams_connector import FakeConnector, fake_connector
from tests.helpers.nudges import QUESTIONS, add_channel_schedule

DUE = dt.datetime(2026, 11, 27, 21, 0, 5, tzinfo=dt.UTC)  # Friday 15:00 America/Chicago
TENANT = "tenant-1"
CHANNEL = "19:floor@thread.tacv2"
ADMIN = "29:admin"


class FakeClock:
    """Monotonic seconds that only move when the sender "sleeps"."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
async def app():
    return await ready(create_teams_app(load_settings(teams_dev_unauthenticated=True)))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sender(app, sessions, clock) -> TeamsNudgeSender:
    return TeamsNudgeSender(app, sessions, clock=clock, sleep=clock.sleep)


async def tick(sessions, sender, now=DUE):
    return await run_tick(
        sessions, sender, now=now, worker_id="w1", questions=QUESTIONS, platforms=("teams",)
    )


async def remember_channel(sessions, connector, channel=CHANNEL, tenant=TENANT, name="Floor"):
    await remember_conversation(
        sessions,
        tenant_id=tenant,
        conversation_id=channel,
        service_url=connector.url,
        kind="channel",
        conversation_name=name,
        team_id="19:team@thread.tacv2",
        team_name="Pharmacy",
    )


async def remember_chat(sessions, connector, user, conversation, tenant=TENANT):
    await remember_conversation(
        sessions,
        tenant_id=tenant,
        conversation_id=conversation,
        service_url=connector.url,
        kind="personal",
        user_id=user,
    )


async def channel_schedule(sessions, channel=CHANNEL, tenant=TENANT) -> int:
    return await add_channel_schedule(
        sessions, channel, workspace=tenant, platform="teams", created_by=ADMIN
    )


async def add_teams_person(sessions, user, *, dm=True, digest=False, tenant=TENANT) -> int:
    async with transaction(sessions) as session:
        workspace = await get_or_create_workspace(session, "teams", tenant)
        person = Person(
            workspace_id=workspace.id,
            platform_user_id=user,
            display_name="Ana",
            timezone="America/Chicago",
            nudge_dm_enabled=dm,
            nudge_digest_enabled=digest,
            nudge_weekday=4,
            nudge_time=dt.time(15, 0),
        )
        session.add(person)
        await session.flush()
        return person.id


async def add_win(
    sessions,
    person_id: int,
    what: str,
    *,
    day: dt.date = dt.date(2026, 11, 25),
    shared: bool = False,
    created: dt.datetime,
) -> None:
    async with transaction(sessions) as session:
        row = await session.get(Person, person_id)
        assert row is not None
        session.add(
            Win(
                workspace_id=row.workspace_id,
                person_id=person_id,
                what=what,
                category="caught_error",
                occurred_on=day,
                shared=shared,
                created_at=created,
            )
        )


def actions(node: Any) -> list[dict[str, Any]]:
    """Every Adaptive Card action anywhere in a card."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if str(node.get("type", "")).startswith("Action."):
            found.append(node)
        for value in node.values():
            found.extend(actions(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(actions(value))
    return found


def assert_nudge_card(card: dict[str, Any], question: str | None = None) -> None:
    text = json.dumps(card)
    assert card["type"] == "AdaptiveCard"
    if question is None:
        assert any(q in text for q in QUESTIONS)
    else:
        assert question in text
    log_win = [a for a in actions(card) if "Log a win" in str(a.get("title", ""))]
    assert log_win and log_win[0]["data"]["verb"] == verbs.WIN_OPEN


async def deliveries(sessions) -> list[NudgeDelivery]:
    async with transaction(sessions) as session:
        return list(await session.scalars(select(NudgeDelivery).order_by(NudgeDelivery.id)))


async def schedule(sessions, schedule_id: int) -> NudgeSchedule:
    async with transaction(sessions) as session:
        found = await session.get(NudgeSchedule, schedule_id)
        assert found is not None
        return found


# --- channel nudges ---


async def test_a_channel_nudge_reaches_its_conversation_at_its_tenants_connector_once(
    sessions, app, sender
):
    await channel_schedule(sessions)
    await channel_schedule(sessions, "19:other@thread.tacv2", tenant="tenant-2")
    async with fake_connector() as first, fake_connector() as second:
        await remember_channel(sessions, first)
        await remember_channel(sessions, second, "19:other@thread.tacv2", tenant="tenant-2")
        report = await tick(sessions, sender)
        again = await tick(sessions, sender, DUE + dt.timedelta(minutes=1))
        # A second process (its own sender) ticking at the same moment sends nothing either.
        other = await tick(sessions, TeamsNudgeSender(app, sessions))
    assert (report.sent, report.failed) == (2, 0)
    assert (again.sent, again.claimed, other.sent, other.claimed) == (0, 0, 0, 0)
    assert len(first.activities()) == 1 and len(second.activities("19:other@thread.tacv2")) == 1
    [card] = first.cards(CHANNEL)
    assert_nudge_card(card)
    [call] = first.calls_to("send", CHANNEL)
    [other_call] = second.calls
    assert call.token is not None and other_call.conversation_id == "19:other@thread.tacv2"
    refs = {row.message_ref for row in await deliveries(sessions)}
    assert refs == {call.activity_id, other_call.activity_id}


async def test_a_channel_never_remembered_is_tried_at_the_tenants_connector(sessions, sender):
    await channel_schedule(sessions, "19:unseen@thread.tacv2")
    async with fake_connector() as connector:
        await remember_chat(sessions, connector, "29:someone", "a:1someone")
        report = await tick(sessions, sender)
    assert report.sent == 1 and len(connector.activities("19:unseen@thread.tacv2")) == 1


async def test_a_tenant_step_up_never_saw_is_not_installed_and_kept_for_a_retry(sessions, sender):
    sid = await channel_schedule(sessions)
    report = await tick(sessions, sender)
    assert (report.failed, report.disabled) == (1, 0)
    assert report.errors == ["schedule 1 2026-W48: not_installed"]
    assert (await schedule(sessions, sid)).enabled


# --- personal chats ---


async def test_a_dm_nudge_goes_to_the_remembered_personal_chat(sessions, sender):
    await add_teams_person(sessions, "29:ana")
    async with fake_connector() as connector:
        await remember_chat(sessions, connector, "29:ana", "a:1ana")
        report = await tick(sessions, sender)
    assert report.sent == 1
    assert connector.calls_to("create_conversation") == []
    [card] = connector.cards("a:1ana")
    assert_nudge_card(card)


async def test_a_dm_to_someone_without_a_chat_creates_it_sends_and_remembers_it(sessions, sender):
    await add_teams_person(sessions, "29:bo")
    async with fake_connector() as connector:
        await remember_channel(sessions, connector)  # Step Up is in the tenant: its URL is known
        report = await tick(sessions, sender)
    assert report.sent == 1
    [create] = connector.calls_to("create_conversation")
    assert create.body is not None
    assert create.body["members"] == [{"id": "29:bo"}]
    assert (create.body["tenantId"], create.body["isGroup"]) == (TENANT, False)
    created = create.conversation_id
    assert created is not None and len(connector.cards(created)) == 1
    remembered = await find_personal(sessions, tenant_id=TENANT, user_id="29:bo")
    assert remembered is not None and remembered.conversation_id == created
    assert remembered.service_url == connector.url


async def test_the_monthly_digest_reaches_the_personal_chat(sessions, sender):
    person = await add_teams_person(sessions, "29:ana", dm=False, digest=True)
    await add_win(sessions, person, "trained two new techs", day=dt.date(2026, 11, 20), created=DUE)
    async with fake_connector() as connector:
        await remember_chat(sessions, connector, "29:ana", "a:1ana")
        report = await tick(sessions, sender, dt.datetime(2026, 12, 1, 21, 1, tzinfo=dt.UTC))
    assert report.sent == 1
    [card] = connector.cards("a:1ana")
    assert card["type"] == "AdaptiveCard" and "trained two new techs" in json.dumps(card)


# --- failures ---


@pytest.mark.parametrize(
    ("status", "error", "code", "words"),
    [
        (403, "BotNotInConversationRoster", FORBIDDEN, "may no longer post there"),
        (404, "ConversationNotFound", GONE, "removed from the team"),
    ],
)
async def test_a_channel_step_up_cannot_reach_is_disabled_and_its_creator_told(
    sessions, sender, status, error, code, words
):
    assert code in GONE_ERRORS
    sid = await channel_schedule(sessions)
    async with fake_connector() as connector:
        await remember_channel(sessions, connector, name="Night shift floor")
        await remember_chat(sessions, connector, ADMIN, "a:1admin")
        connector.fail(CHANNEL, status, error)
        report = await tick(sessions, sender)
        later = await tick(sessions, sender, DUE + dt.timedelta(weeks=1))
    assert (report.failed, report.disabled, report.sent) == (1, 1, 0)
    assert later.due == 0 and len(connector.calls_to("send", CHANNEL)) == 1
    row = await schedule(sessions, sid)
    assert not row.enabled and row.disabled_reason.startswith(code)
    [delivery] = await deliveries(sessions)
    assert delivery.status == "failed" and error in delivery.error
    [notice] = connector.cards("a:1admin")
    text = json.dumps(notice)
    assert "Night shift floor" in text and f"#{sid}" in text and words in text


async def test_a_429_is_waited_out_for_the_tenant_then_delivered_once(sessions, sender, clock):
    await channel_schedule(sessions)
    async with fake_connector() as connector:
        await remember_channel(sessions, connector)
        connector.rate_limit(CHANNEL, retry_after=1)
        report = await tick(sessions, sender)
    assert report.sent == 1 and clock.sleeps == [1.0]
    assert [call.status for call in connector.calls] == [429, 201]
    assert len(connector.activities(CHANNEL)) == 1


async def test_a_nudge_still_rate_limited_is_left_for_a_later_tick(sessions, app, clock):
    await channel_schedule(sessions)
    sender = TeamsNudgeSender(app, sessions, max_rate_limit_waits=2, clock=clock, sleep=clock.sleep)
    async with fake_connector() as connector:
        await remember_channel(sessions, connector)
        connector.rate_limit(CHANNEL, retry_after=30, times=3)
        report = await tick(sessions, sender)
        retry = await tick(sessions, sender, DUE + dt.timedelta(minutes=6))
    assert (report.failed, report.disabled) == (1, 0)
    assert report.errors == ["schedule 1 2026-W48: ratelimited"]
    # Two waits, then the third 429 gives up; the later tick first waits out that third one.
    assert clock.sleeps == [30.0, 30.0, 30.0]
    assert [call.status for call in connector.calls] == [429, 429, 429, 201]
    assert (retry.retried, retry.sent) == (1, 1)


async def test_a_server_error_fails_the_nudge_and_a_later_tick_retries_it(sessions, sender):
    sid = await channel_schedule(sessions)
    async with fake_connector() as connector:
        await remember_channel(sessions, connector)
        connector.fail(CHANNEL, 503, "ServiceError")
        report = await tick(sessions, sender)
        too_soon = await tick(sessions, sender, DUE + dt.timedelta(minutes=1))
        retry = await tick(sessions, sender, DUE + dt.timedelta(minutes=6))
    assert (report.failed, report.disabled) == (1, 0)
    assert report.errors == ["schedule 1 2026-W48: connection"]
    assert (too_soon.retried, retry.retried, retry.sent) == (0, 1, 1)
    assert [call.status for call in connector.calls] == [503, 201]
    assert (await schedule(sessions, sid)).enabled
    [delivery] = await deliveries(sessions)
    assert (delivery.status, delivery.attempts) == ("sent", 2)


async def test_an_unreachable_connector_is_a_connection_failure(sessions, sender):
    await channel_schedule(sessions)
    async with fake_connector() as connector:
        await remember_channel(sessions, connector)
    # The connector has stopped: its port refuses connections now.
    report = await tick(sessions, sender)
    assert report.errors == ["schedule 1 2026-W48: connection"] and report.disabled == 0


async def test_a_failed_chat_creation_fails_the_dm(sessions, sender):
    await add_teams_person(sessions, "29:bo")
    async with fake_connector() as connector:
        await remember_channel(sessions, connector)
        connector.fail_create(500, "ServiceError")
        report = await tick(sessions, sender)
    assert report.errors == ["schedule 1 2026-W48: connection"]
    assert await find_personal(sessions, tenant_id=TENANT, user_id="29:bo") is None


# --- the scheduler's job ---


async def test_the_job_with_only_teams_configured_leaves_slack_schedules_alone(
    sessions, database_url
):
    teams = await channel_schedule(sessions)
    slack = await add_channel_schedule(sessions, "C1", workspace=DEFAULT_TEAM_ID)
    settings = load_settings(database_url=database_url, teams_dev_unauthenticated=True)
    async with fake_connector() as connector:
        await remember_channel(sessions, connector)
        senders = nudge_senders(settings, sessions)
        report = await nudge_tick(sessions, settings, senders, clock=lambda: DUE)
    assert report is not None and (report.due, report.sent) == (1, 1)
    assert {row.schedule_id for row in await deliveries(sessions)} == {teams}
    assert slack != teams and len(connector.activities(CHANNEL)) == 1


async def test_the_job_with_only_slack_configured_leaves_teams_schedules_alone(
    sessions, database_url
):
    await channel_schedule(sessions)
    slack = await add_channel_schedule(sessions, "C1", workspace=DEFAULT_TEAM_ID)
    connector = FakeConnector()
    async with fake_slack() as fake, fake_connector(connector):
        await remember_channel(sessions, connector)
        settings = load_settings(
            database_url=database_url, slack_bot_token=TEST_BOT_TOKEN, slack_api_url=fake.url
        )
        senders = nudge_senders(settings, sessions)
        report = await nudge_tick(sessions, settings, senders, clock=lambda: DUE)
    assert report is not None and (report.due, report.sent) == (1, 1)
    assert {row.schedule_id for row in await deliveries(sessions)} == {slack}
    assert connector.calls == []


async def test_the_job_ticks_both_platforms_and_adds_up_their_reports(sessions, database_url, app):
    await channel_schedule(sessions)
    await add_channel_schedule(sessions, "C1", workspace=DEFAULT_TEAM_ID)
    async with fake_slack() as fake, fake_connector() as connector:
        await remember_channel(sessions, connector)
        connector.fail(CHANNEL, 503, "ServiceError")
        settings = load_settings(
            database_url=database_url,
            slack_bot_token=TEST_BOT_TOKEN,
            slack_api_url=fake.url,
            teams_dev_unauthenticated=True,
        )
        senders = nudge_senders(settings, sessions, teams_app=app)
        report = await nudge_tick(sessions, settings, senders, clock=lambda: DUE)
    assert report is not None
    assert (report.due, report.sent, report.failed) == (2, 1, 1)
    assert report.errors == ["schedule 1 2026-W48: connection"]
    assert [c.params["channel"] for c in fake.calls_to("chat.postMessage")] == ["C1"]


async def test_a_connector_that_never_answers_times_out_as_a_connection_failure(sessions, app):
    await channel_schedule(sessions)
    sender = TeamsNudgeSender(app, sessions, request_timeout=0.05)
    async with fake_connector() as connector:
        await remember_channel(sessions, connector)
        connector.stall(CHANNEL)
        report = await tick(sessions, sender)
    assert report.errors == ["schedule 1 2026-W48: connection"] and report.disabled == 0


async def test_stepup_nudges_run_due_sends_teams_nudges_when_teams_is_configured(
    sessions, database_url
):
    await channel_schedule(sessions)
    parser = argparse.ArgumentParser(prog="stepup")
    nudges_command.register(parser.add_subparsers(dest="command", required=True))
    async with fake_connector() as connector:
        await remember_channel(sessions, connector)
        for attempt in range(2):
            out = io.StringIO()
            context = CommandContext(
                settings=load_settings(database_url=database_url, teams_dev_unauthenticated=True),
                workspace="local",
                platform="local",
                stdout=out,
            )
            args = parser.parse_args(["nudges", "run-due", "--now", DUE.isoformat()])
            try:
                assert await args.handler(args, context) == 0
            finally:
                await context.close()
            sent = 1 if attempt == 0 else 0
            assert f"teams: {sent} sent, 0 failed" in out.getvalue()
    [card] = connector.cards(CHANNEL)
    assert any(question in json.dumps(card) for question in load_questions())


async def test_a_tick_reads_a_tenants_conversations_once_not_once_per_nudge(
    sessions, engine, sender
):
    channels = [f"19:ward-{n}@thread.tacv2" for n in range(20)]
    for channel in channels:
        await channel_schedule(sessions, channel)
    reads: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if (
            statement.lstrip().upper().startswith("SELECT")
            and "teams_conversation_refs" in statement
        ):
            reads.append(statement)

    async with fake_connector() as connector:
        for channel in channels:
            await remember_channel(sessions, connector, channel)
        event.listen(engine.sync_engine, "before_cursor_execute", count)
        try:
            report = await tick(sessions, sender)
            assert len(reads) == 1
            # The same sender serves the next tick (one per process): it reads them afresh.
            later = await tick(sessions, sender, DUE + dt.timedelta(weeks=1))
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert report.sent == 20 and later.sent == 20
    assert {call.conversation_id for call in connector.calls_to("send")} == set(channels)
    assert len(reads) == 2


# --- the team roundup: the channel's members, not the whole tenant ---


async def add_recent_win(sessions, person_id: int, what: str, *, shared: bool = False) -> None:
    await add_win(sessions, person_id, what, shared=shared, created=DUE - dt.timedelta(days=1))


async def tenant_of_eight(sessions) -> list[str]:
    """Eight people in the tenant; the first six are in the channel's team."""
    users = [f"29:tech-{n}" for n in range(8)]
    ids = [await add_teams_person(sessions, user, dm=False) for user in users]
    await add_recent_win(sessions, ids[0], "caught a tenfold heparin dose", shared=True)
    await add_recent_win(sessions, ids[0], "fixed the 4 West par levels")
    # Someone outside the team: never counted or named in this channel.
    await add_recent_win(sessions, ids[7], "ran the oncology hood audit", shared=True)
    return users


async def test_a_channels_roundup_counts_its_team_not_the_whole_tenant(sessions, sender):
    users = await tenant_of_eight(sessions)
    await channel_schedule(sessions)
    async with fake_connector() as connector:
        # 1,200 members (six of them people Step Up knows), listed 500 at a time.
        connector.members[CHANNEL] = users[:6] + [f"29:guest-{n}" for n in range(1194)]
        await remember_channel(sessions, connector)
        report = await tick(sessions, sender)
    assert report.sent == 1
    [card] = connector.cards(CHANNEL)
    text = json.dumps(card)
    assert "2 wins" in text and "1 person" in text
    assert "tenfold heparin" in text
    assert "oncology" not in text and "3 wins" not in text
    pages = connector.calls_to("members", CHANNEL)
    assert [call.query.get("continuationToken") for call in pages] == [None, "500", "1000"]


async def test_a_team_with_fewer_than_five_known_people_gets_no_roundup(sessions, sender):
    users = await tenant_of_eight(sessions)
    await channel_schedule(sessions)
    async with fake_connector() as connector:
        connector.members[CHANNEL] = [*users[:4], "29:guest-1", "29:guest-2"]
        await remember_channel(sessions, connector)
        await tick(sessions, sender)
    [card] = connector.cards(CHANNEL)
    assert "tenfold heparin" not in json.dumps(card) and "wins logged" not in json.dumps(card)


async def test_members_that_cannot_be_listed_mean_no_roundup_not_the_tenants(sessions, sender):
    await tenant_of_eight(sessions)
    await channel_schedule(sessions)
    async with fake_connector() as connector:
        await remember_channel(sessions, connector)
        connector.fail(CHANNEL, 403, "BotNotInConversationRoster")  # the members call only
        report = await tick(sessions, sender)
    assert report.sent == 1
    [card] = connector.cards(CHANNEL)
    assert "tenfold heparin" not in json.dumps(card) and "oncology" not in json.dumps(card)
