"""The scheduler's nudge job: Slack workspaces only, and only with Slack credentials."""

from __future__ import annotations

import datetime as dt

from bot.nudges.job import nudge_tick, slack_sender
from bot.settings import load_settings
from tests.fakes.slack_api import DEFAULT_TEAM_ID, TEST_BOT_TOKEN, fake_slack
from tests.nudges.conftest import add_channel_schedule

DUE = dt.datetime(2026, 11, 27, 21, 0, 5, tzinfo=dt.UTC)


async def test_without_slack_credentials_the_job_claims_nothing(sessions, database_url):
    await add_channel_schedule(sessions, "C1", workspace=DEFAULT_TEAM_ID)
    settings = load_settings(database_url=database_url)
    assert slack_sender(settings, engine=None) is None
    assert await nudge_tick(sessions, settings, clock=lambda: DUE) is None


async def test_the_job_posts_slack_nudges_and_leaves_local_ones(sessions, database_url):
    await add_channel_schedule(sessions, "C1", workspace=DEFAULT_TEAM_ID)
    await add_channel_schedule(sessions, "C_LOCAL", workspace="local", platform="local")
    async with fake_slack() as fake:
        settings = load_settings(
            database_url=database_url, slack_bot_token=TEST_BOT_TOKEN, slack_api_url=fake.url
        )
        report = await nudge_tick(sessions, settings, clock=lambda: DUE)
    assert report is not None and (report.due, report.sent) == (1, 1)
    assert [call.params["channel"] for call in fake.calls_to("chat.postMessage")] == ["C1"]
