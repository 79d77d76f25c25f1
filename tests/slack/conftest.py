"""A running Step Up server with the real Bolt app, talking to the fake Slack Web API."""

from collections.abc import AsyncIterator

import httpx2
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import create_services
from bot.runtime import open_runtime
from bot.server import create_server
from bot.settings import load_settings
from tests.fakes.slack_api import TEST_BOT_TOKEN, fake_slack
from tests.helpers.slack_signing import SIGNING_SECRET
from tests.helpers.slack_stack import SlackStack
from tests.http import serve


@pytest.fixture
async def slack(database_url: str, engine: AsyncEngine) -> AsyncIterator[SlackStack]:
    # ``engine`` migrates and empties the database first (PostgreSQL is shared between tests).
    async with fake_slack() as fake:
        settings = load_settings(
            database_url=database_url,
            slack_bot_token=TEST_BOT_TOKEN,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=fake.url,
            coach="offline",
        )
        runtime = await open_runtime(settings)
        try:
            app = create_server(create_services(runtime), slack_client=fake.client())
            async with serve(app) as base, httpx2.AsyncClient(base_url=base) as http:
                yield SlackStack(fake=fake, http=http, runtime=runtime)
        finally:
            await runtime.close()
