"""A running Step Up server with the real Teams SDK app, replying through a fake connector."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx2
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import create_services
from bot.runtime import open_runtime
from bot.server import create_server
from bot.settings import load_settings
from tests.fakes.teams_connector import fake_connector
from tests.helpers.teams_activities import Sender
from tests.helpers.teams_stack import TeamsStack
from tests.http import serve


@pytest.fixture
async def teams(database_url: str, engine: AsyncEngine) -> AsyncIterator[TeamsStack]:
    # ``engine`` migrates and empties the database first (PostgreSQL is shared between tests).
    async with fake_connector() as connector:
        settings = load_settings(
            database_url=database_url, teams_dev_unauthenticated=True, coach="offline"
        )
        runtime = await open_runtime(settings)
        try:
            services = create_services(runtime)
            app = create_server(services)
            async with serve(app) as base, httpx2.AsyncClient(base_url=base) as http:
                yield TeamsStack(
                    connector=connector,
                    http=http,
                    runtime=runtime,
                    services=services,
                    pat=Sender(service_url=connector.url),
                )
        finally:
            await runtime.close()
