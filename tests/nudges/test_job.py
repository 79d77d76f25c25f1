"""The scheduler's nudge job: Slack workspaces only, only with Slack credentials, and one sender
per process whose rate-limit memory outlasts a tick."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore

from bot.nudges.job import nudge_tick
from bot.scheduler import nudge_senders
from bot.settings import load_settings
from bot.slack.nudge_sender import SlackNudgeSender, build_slack_sender
from tests.fakes.slack_api import (
    DEFAULT_TEAM_ID,
    TEST_BOT_TOKEN,
    TEST_CLIENT_ID,
    TEST_CLIENT_SECRET,
    fake_slack,
)
from tests.helpers.nudges import add_channel_schedule

DUE = dt.datetime(2026, 11, 27, 21, 0, 5, tzinfo=dt.UTC)


async def test_without_slack_credentials_the_job_claims_nothing(sessions, database_url):
    await add_channel_schedule(sessions, "C1", workspace=DEFAULT_TEAM_ID)
    settings = load_settings(database_url=database_url)
    assert build_slack_sender(settings, engine=None) is None
    assert nudge_senders(settings, sessions) == []
    assert await nudge_tick(sessions, settings, [], clock=lambda: DUE) is None


async def test_the_job_posts_slack_nudges_and_leaves_local_ones(sessions, database_url):
    await add_channel_schedule(sessions, "C1", workspace=DEFAULT_TEAM_ID)
    await add_channel_schedule(sessions, "C_LOCAL", workspace="local", platform="local")
    async with fake_slack() as fake:
        settings = load_settings(
            database_url=database_url, slack_bot_token=TEST_BOT_TOKEN, slack_api_url=fake.url
        )
        report = await nudge_tick(
            sessions, settings, nudge_senders(settings, sessions), clock=lambda: DUE
        )
    assert report is not None and (report.due, report.sent) == (1, 1)
    assert [call.params["channel"] for call in fake.calls_to("chat.postMessage")] == ["C1"]


TEAM = "T0ROTATE"


async def oauth_install(engine, *, bot_token: str, refresh_token: str):
    """Store an installation whose bot token expires in ten minutes (token rotation on)."""
    store = AsyncSQLAlchemyInstallationStore(client_id=TEST_CLIENT_ID, engine=engine)
    await store.async_save(
        Installation(
            app_id="A1",
            team_id=TEAM,
            user_id="U0INSTALLER",
            bot_token=bot_token,
            bot_id="B1",
            bot_user_id="U0BOT",
            bot_refresh_token=refresh_token,
            bot_token_expires_at=int(time.time()) + 600,
        )
    )
    return store


def oauth_settings(database_url: str, fake):
    return load_settings(
        database_url=database_url,
        slack_client_id=TEST_CLIENT_ID,
        slack_client_secret=TEST_CLIENT_SECRET,
        slack_signing_secret="s",
        slack_api_url=fake.url,
    )


# slack_sdk sends oauth.v2.access credentials through aiohttp's deprecated BasicAuth (see
# tests/slack/test_oauth.py); the warning is about slack_sdk's internals, not ours.
@pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")
async def test_oauth_workspaces_rotate_an_expiring_bot_token_before_nudging(
    sessions, database_url, engine
):
    await add_channel_schedule(sessions, "C1", workspace=TEAM)
    store = await oauth_install(engine, bot_token="xoxe.xoxb-old", refresh_token="xoxe-1-first")
    async with fake_slack() as fake:
        fake.add_refresh_token("xoxe-1-first", bot_token="xoxe.xoxb-new", team_id=TEAM)
        settings = oauth_settings(database_url, fake)
        senders = nudge_senders(settings, sessions)
        report = await nudge_tick(sessions, settings, senders, clock=lambda: DUE)
    assert report is not None and report.sent == 1
    [post] = fake.calls_to("chat.postMessage")
    assert post.token == "xoxe.xoxb-new"
    bot = await store.async_find_bot(enterprise_id=None, team_id=TEAM)
    assert bot is not None
    assert (bot.bot_token, bot.bot_refresh_token) == ("xoxe.xoxb-new", "xoxe-1-first-next")
    assert bot.bot_token_expires_at is not None and bot.bot_token_expires_at > time.time() + 3600


@pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")
async def test_a_failed_rotation_still_tries_the_current_token(sessions, database_url, engine):
    await add_channel_schedule(sessions, "C1", workspace=TEAM)
    await oauth_install(engine, bot_token="xoxb-still-valid", refresh_token="xoxe-1-unknown")
    async with fake_slack() as fake:
        fake.register_token("xoxb-still-valid", team_id=TEAM)
        settings = oauth_settings(database_url, fake)
        senders = nudge_senders(settings, sessions)
        report = await nudge_tick(sessions, settings, senders, clock=lambda: DUE)
    assert report is not None and report.sent == 1
    [post] = fake.calls_to("chat.postMessage")
    assert post.token == "xoxb-still-valid"


class SteppedClock:
    """Monotonic seconds that move only when told to, or when the sender "sleeps"."""

    def __init__(self, fake) -> None:
        self.now = 100.0
        self.fake = fake
        self.waits: list[tuple[float, int]] = []
        """(seconds waited, posts Slack had received when the wait began)."""

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.waits.append((seconds, len(self.fake.calls_to("chat.postMessage"))))
        self.now += seconds


async def test_a_retry_after_seen_by_one_tick_holds_for_the_next_tick(sessions, database_url):
    await add_channel_schedule(sessions, "C1", workspace=DEFAULT_TEAM_ID)
    settings = load_settings(database_url=database_url)
    async with fake_slack() as fake:
        clock = SteppedClock(fake)
        sender = SlackNudgeSender(
            fake.client(), max_rate_limit_waits=0, clock=clock, sleep=clock.sleep
        )
        senders = [("slack", sender)]  # built once, as the scheduler does
        fake.fail_next("chat.postMessage", "ratelimited", status=429, retry_after=900)
        first = await nudge_tick(sessions, settings, senders, clock=lambda: DUE)
        clock.now += 360  # six minutes later, the next tick retries the nudge
        later = DUE + dt.timedelta(minutes=6)
        second = await nudge_tick(sessions, settings, senders, clock=lambda: later)
    assert first is not None and first.errors == ["schedule 1 2026-W48: ratelimited"]
    assert second is not None and (second.retried, second.sent) == (1, 1)
    # The second tick held off for the 540 s left of Slack's Retry-After before posting again.
    assert clock.waits == [(540.0, 1)]
    limited, delivered = fake.calls_to("chat.postMessage")
    assert (limited.status, delivered.status) == (429, 200)
