"""Socket Mode end to end: apps.connections.open, hello, an envelope, the ack, the reply."""

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx2
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import Services, create_services
from bot.commands.run import connection_report, start_slack_socket_mode
from bot.errors import UserError
from bot.runtime import open_runtime
from bot.server import create_server
from bot.settings import load_settings
from bot.slack.socket_mode import stop_socket_mode
from tests.fakes.slack_api import TEST_APP_TOKEN, TEST_BOT_TOKEN, FakeSlack, fake_slack
from tests.fakes.slack_socket import FakeSocketMode, fake_socket_mode
from tests.helpers.slack_signing import event_body
from tests.http import serve

VENT = (
    "The Pyxis on 4 West was out of heparin flushes AGAIN and nursing blamed us. "
    "We restocked it yesterday. The par levels are just wrong."
)


@dataclass
class SocketStack:
    fake: FakeSlack
    socket: FakeSocketMode
    services: Services


@pytest.fixture
async def stack(database_url: str, engine: AsyncEngine) -> AsyncIterator[SocketStack]:
    async with fake_slack() as fake, fake_socket_mode(fake) as socket:
        settings = load_settings(
            database_url=database_url,
            slack_bot_token=TEST_BOT_TOKEN,
            slack_app_token=TEST_APP_TOKEN,
            slack_api_url=fake.url,
            coach="offline",
        )
        runtime = await open_runtime(settings)
        try:
            yield SocketStack(fake=fake, socket=socket, services=create_services(runtime))
        finally:
            await runtime.close()


async def test_a_dm_over_socket_mode_is_acked_and_answered(stack: SocketStack) -> None:
    settings = stack.services.settings
    handler = await start_slack_socket_mode(settings, stack.services, client=stack.fake.client())
    assert handler is not None
    try:
        await stack.socket.wait_connected()
        [opened] = stack.fake.calls_to("apps.connections.open")
        assert opened.ok and opened.token == TEST_APP_TOKEN
        envelope_id = await stack.socket.send_event(json.loads(event_body(text=VENT)))
        ack = await stack.socket.wait_for_ack(envelope_id)
        assert ack["envelope_id"] == envelope_id
        [posted] = await stack.fake.wait_for("chat.postMessage")
        assert posted.params["channel"] == "D024BE91L"
        assert "heparin" in posted.params["text"]
        assert posted.token == TEST_BOT_TOKEN
    finally:
        await stop_socket_mode(handler)
    await stack.socket.wait_closed()
    assert stack.socket.connections == 1


async def test_socket_mode_serves_no_events_endpoint(stack: SocketStack) -> None:
    app = create_server(stack.services)
    async with serve(app) as base, httpx2.AsyncClient(base_url=base) as http:
        response = await http.post("/slack/events", content=b"{}")
        health = await http.get("/healthz")
    assert response.status_code in (404, 405)
    assert health.status_code == 200
    assert "Socket Mode" in connection_report(stack.services.settings)


async def test_a_refused_app_token_is_one_clear_error(stack: SocketStack) -> None:
    stack.fake.app_tokens.clear()
    with pytest.raises(UserError, match="SLACK_APP_TOKEN"):
        await start_slack_socket_mode(
            stack.services.settings, stack.services, client=stack.fake.client()
        )
    assert stack.socket.connections == 0


async def test_without_an_app_token_nothing_connects(
    database_url: str, engine: AsyncEngine
) -> None:
    settings = load_settings(database_url=database_url, slack_bot_token=TEST_BOT_TOKEN)
    runtime = await open_runtime(settings)
    try:
        assert await start_slack_socket_mode(settings, create_services(runtime)) is None
    finally:
        await runtime.close()


async def test_an_app_token_without_a_bot_token_is_one_clear_error(
    database_url: str, engine: AsyncEngine
) -> None:
    settings = load_settings(database_url=database_url, slack_app_token=TEST_APP_TOKEN)
    runtime = await open_runtime(settings)
    try:
        with pytest.raises(UserError, match="SLACK_BOT_TOKEN"):
            await start_slack_socket_mode(settings, create_services(runtime))
    finally:
        await runtime.close()
