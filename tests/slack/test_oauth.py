"""OAuth multi-workspace: install over HTTP, store the installation, serve that workspace."""

import asyncio
import datetime as dt
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import httpx2
import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import create_services
from bot.runtime import Runtime, open_runtime
from bot.server import create_server
from bot.settings import load_settings
from bot.store.database import session_factory
from bot.store.models import SLACK_BOTS, SLACK_INSTALLATIONS, Workspace, utcnow
from bot.store.people import PersonRef
from bot.store.retention import UNINSTALL_GRACE, purge_uninstalled
from tests.fakes.slack_api import TEST_CLIENT_ID, TEST_CLIENT_SECRET, FakeSlack, fake_slack
from tests.helpers.slack_signing import SIGNING_SECRET, event_body, signed_headers
from tests.http import serve

TEAM = "T0OAUTH01"
INSTALLED_TOKEN = "xoxb-installed-by-oauth-not-real"
# slack_sdk 3.48 sends oauth.v2.access credentials through aiohttp's BasicAuth, which aiohttp
# 3.14 deprecates (removed in aiohttp 4); the request itself is right.
pytestmark = pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")

VENT = "The Pyxis on 4 West was out of heparin flushes again and nursing blamed us."


@dataclass
class OAuthStack:
    fake: FakeSlack
    http: httpx2.AsyncClient
    runtime: Runtime

    async def send(self, body: bytes) -> httpx2.Response:
        headers = signed_headers(SIGNING_SECRET, body)
        return await self.http.post("/slack/events", content=body, headers=headers)


@pytest.fixture
async def oauth(
    database_url: str, engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[OAuthStack]:
    # The server builds its own Web API client from SLACK_API_URL here (no client injected), so
    # keep slack_sdk from picking a proxy out of the environment for localhost traffic.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    async with fake_slack(FakeSlack(tokens=())) as fake:
        settings = load_settings(
            database_url=database_url,
            slack_signing_secret=SIGNING_SECRET,
            slack_client_id=TEST_CLIENT_ID,
            slack_client_secret=TEST_CLIENT_SECRET,
            slack_api_url=fake.url,
            coach="offline",
        )
        runtime = await open_runtime(settings)
        try:
            app = create_server(create_services(runtime))
            async with serve(app) as base, httpx2.AsyncClient(base_url=base) as http:
                yield OAuthStack(fake=fake, http=http, runtime=runtime)
        finally:
            await runtime.close()


async def _until(engine: AsyncEngine, check: Callable[[], Awaitable[bool]]) -> None:
    """Wait until ``check()`` is true, re-checking after each transaction that commits.

    The engine's "commit" event fires just before the commit, so a re-check then can still read
    the old rows: the re-check waits until that connection is back in the pool (committed).
    """
    committed: set[int] = set()
    done = asyncio.Event()
    loop = asyncio.get_running_loop()

    def on_commit(connection: Connection) -> None:
        committed.add(id(connection.connection.dbapi_connection))

    def on_checkin(dbapi_connection: object, _record: object) -> None:
        if id(dbapi_connection) in committed:
            committed.discard(id(dbapi_connection))
            loop.call_soon_threadsafe(done.set)

    event.listen(engine.sync_engine, "commit", on_commit)
    event.listen(engine.sync_engine, "checkin", on_checkin)
    try:
        async with asyncio.timeout(30):  # a ceiling for a loaded machine, not a wait
            while not await check():
                await done.wait()
                done.clear()
    finally:
        event.remove(engine.sync_engine, "commit", on_commit)
        event.remove(engine.sync_engine, "checkin", on_checkin)


async def _rows(engine: AsyncEngine, team_id: str) -> tuple[int, int]:
    async with engine.connect() as connection:
        installations = await connection.scalar(
            select(func.count())
            .select_from(SLACK_INSTALLATIONS)
            .where(SLACK_INSTALLATIONS.c.team_id == team_id)
        )
        bots = await connection.scalar(
            select(func.count()).select_from(SLACK_BOTS).where(SLACK_BOTS.c.team_id == team_id)
        )
    return int(installations or 0), int(bots or 0)


async def _install(stack: OAuthStack, code: str = "code-from-slack-1") -> httpx2.Response:
    stack.fake.add_oauth_code(code, bot_token=INSTALLED_TOKEN, team_id=TEAM, team_name="4 West")
    page = await stack.http.get("/slack/install")
    assert page.status_code == 200
    link = re.search(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"', page.text)
    assert link is not None, page.text
    query = parse_qs(urlsplit(link.group(1).replace("&amp;", "&")).query)
    assert query["client_id"] == [TEST_CLIENT_ID]
    assert set(query["scope"][0].split(",")) >= {"chat:write", "im:history"}
    [state] = query["state"]
    cookie = page.headers["set-cookie"]
    assert f"slack-app-oauth-state={state}" in cookie
    return await stack.http.get(
        "/slack/oauth_redirect",
        params={"code": code, "state": state},
        headers={"Cookie": f"slack-app-oauth-state={state}"},
    )


async def test_install_saves_the_workspace_and_its_dms_are_answered_with_its_token(
    oauth: OAuthStack,
) -> None:
    finished = await _install(oauth)
    assert finished.status_code == 200
    [exchange] = oauth.fake.calls_to("oauth.v2.access")
    assert exchange.ok
    assert exchange.params["code"] == "code-from-slack-1"
    assert exchange.headers["authorization"].startswith("Basic ")
    async with oauth.runtime.engine.connect() as connection:
        installation = (
            await connection.execute(
                select(SLACK_INSTALLATIONS).where(SLACK_INSTALLATIONS.c.team_id == TEAM)
            )
        ).one()
        bot = (await connection.execute(select(SLACK_BOTS))).one()
    assert installation.bot_token == INSTALLED_TOKEN
    assert installation.client_id == TEST_CLIENT_ID
    assert installation.team_name == "4 West"
    assert (bot.team_id, bot.bot_token) == (TEAM, INSTALLED_TOKEN)
    auth_tests_at_install = len(oauth.fake.calls_to("auth.test"))

    first = await oauth.send(event_body(text=VENT, team_id=TEAM, event_id="Ev0OAUTH1"))
    second = await oauth.send(
        event_body(
            text="We were short two techs again",
            team_id=TEAM,
            event_id="Ev0OAUTH2",
            user="U0SECOND",
        )
    )
    assert (first.status_code, second.status_code) == (200, 200)
    posts = await oauth.fake.wait_for("chat.postMessage", count=2)
    assert [post.headers["authorization"] for post in posts] == [f"Bearer {INSTALLED_TOKEN}"] * 2
    assert all(post.ok for post in posts)
    assert any("heparin" in post.params["text"] for post in posts)
    # Authorization is cached per token: one auth.test for both events, not one per request.
    assert len(oauth.fake.calls_to("auth.test")) == auth_tests_at_install + 1


async def test_a_stale_state_or_a_bad_code_installs_nothing(oauth: OAuthStack) -> None:
    forged = await oauth.http.get(
        "/slack/oauth_redirect",
        params={"code": "anything", "state": "made-up"},
        headers={"Cookie": "slack-app-oauth-state=made-up"},
    )
    assert forged.status_code >= 400
    assert oauth.fake.calls_to("oauth.v2.access") == []

    page = await oauth.http.get("/slack/install")
    state = page.headers["set-cookie"].split("slack-app-oauth-state=")[1].split(";")[0]
    bad_code = await oauth.http.get(
        "/slack/oauth_redirect",
        params={"code": "never-issued", "state": state},
        headers={"Cookie": f"slack-app-oauth-state={state}"},
    )
    assert bad_code.status_code >= 400
    [exchange] = oauth.fake.calls_to("oauth.v2.access")
    assert exchange.response["error"] == "invalid_code"
    assert await _rows(oauth.runtime.engine, TEAM) == (0, 0)


async def test_a_workspace_that_never_installed_gets_no_reply(oauth: OAuthStack) -> None:
    response = await oauth.send(event_body(text=VENT, team_id="T0STRANGER", event_id="Ev0NOPE"))
    # Bolt's authorization refuses it inside the request (200, so Slack does not retry).
    assert response.status_code == 200
    assert oauth.fake.calls_to("chat.postMessage") == []
    assert oauth.fake.calls_to("auth.test") == []


async def test_app_uninstalled_deletes_the_installation(oauth: OAuthStack) -> None:
    assert (await _install(oauth)).status_code == 200
    assert await _rows(oauth.runtime.engine, TEAM) == (1, 1)
    # Slack revokes the tokens before it tells the app; the event must still be handled.
    oauth.fake.revoke_token(INSTALLED_TOKEN)
    body = json.dumps(
        {
            "token": "XXYYZZ",
            "team_id": TEAM,
            "api_app_id": oauth.fake.app_id,
            "event": {"type": "app_uninstalled"},
            "type": "event_callback",
            "event_id": "Ev0UNINSTALL",
            "event_time": 1_700_000_000,
        }
    ).encode()
    assert (await oauth.send(body)).status_code == 200

    async def gone() -> bool:
        return await _rows(oauth.runtime.engine, TEAM) == (0, 0)

    await _until(oauth.runtime.engine, gone)
    # A later DM from that workspace finds no token and nothing is posted with the old one.
    await oauth.send(event_body(text=VENT, team_id=TEAM, event_id="Ev0AFTER"))
    assert oauth.fake.calls_to("chat.postMessage") == []


async def _workspace(engine: AsyncEngine, team_id: str) -> Workspace | None:
    async with session_factory(engine)() as session:
        return await session.scalar(select(Workspace).where(Workspace.external_id == team_id))


async def test_reinstalling_within_the_grace_period_keeps_the_workspace_data(
    oauth: OAuthStack,
) -> None:
    assert (await _install(oauth)).status_code == 200
    who = PersonRef("slack", TEAM, "U0TECH")
    win = (await create_services(oauth.runtime).wins.add(who, "trained two new techs")).win
    oauth.fake.revoke_token(INSTALLED_TOKEN)
    uninstall = json.dumps(
        {
            "token": "XXYYZZ",
            "team_id": TEAM,
            "api_app_id": oauth.fake.app_id,
            "event": {"type": "app_uninstalled"},
            "type": "event_callback",
            "event_id": "Ev0UNINSTALL2",
            "event_time": 1_700_000_000,
        }
    ).encode()
    assert (await oauth.send(uninstall)).status_code == 200

    async def marked() -> bool:
        workspace = await _workspace(oauth.runtime.engine, TEAM)
        return workspace is not None and workspace.uninstalled_at is not None

    await _until(oauth.runtime.engine, marked)

    finished = await _install(oauth, "code-from-slack-2")
    assert finished.status_code == 200
    workspace = await _workspace(oauth.runtime.engine, TEAM)
    assert workspace is not None and workspace.uninstalled_at is None
    # Long after the grace period, the purge leaves a reinstalled workspace alone.
    later = utcnow() + UNINSTALL_GRACE + dt.timedelta(days=1)
    assert await purge_uninstalled(oauth.runtime.sessions, now=later) == 0
    assert (await create_services(oauth.runtime).wins.get(who, win.id)).what == win.what
    assert await _rows(oauth.runtime.engine, TEAM) == (1, 1)
