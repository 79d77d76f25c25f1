"""``POST /api/messages``: what the connector (or anyone else) gets for good and bad requests."""

from __future__ import annotations

import httpx2
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import create_services
from bot.commands.run import connection_report
from bot.runtime import open_runtime
from bot.server import create_server
from bot.settings import load_settings
from bot.store.models import Person, TeamsConversationRef
from tests.helpers.teams_stack import TeamsStack
from tests.http import serve


async def _count(stack: TeamsStack, model: type) -> int:
    async with stack.runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_malformed_requests_get_400_with_the_reason_and_write_nothing(
    teams: TeamsStack,
) -> None:
    cases = [
        (b"{not json", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b"[1, 2]", "JSON object"),
        (b'{"text": "hi"}', "no type"),
        (b'{"type": "", "text": "hi"}', "no type"),
        (b'{"type": "message", "text": "hi"}', "not a valid message activity"),
    ]
    for body, reason in cases:
        response = await teams.http.post(
            "/api/messages", content=body, headers={"content-type": "application/json"}
        )
        assert response.status_code == 400, body
        assert reason in response.json()["error"]
    huge = b'{"type": "message", "text": "' + b"x" * 300_000 + b'"}'
    response = await teams.http.post("/api/messages", content=huge)
    assert response.status_code == 413
    assert teams.connector.calls == []
    assert await _count(teams, Person) == 0
    assert await _count(teams, TeamsConversationRef) == 0


async def test_a_wrong_method_is_405(teams: TeamsStack) -> None:
    assert (await teams.http.get("/api/messages")).status_code == 405


async def test_with_an_app_id_unauthenticated_requests_are_401(
    database_url: str, engine: AsyncEngine
) -> None:
    settings = load_settings(
        database_url=database_url,
        teams_client_id="00000000-0000-0000-0000-00000000abcd",
        teams_client_secret="not-a-real-secret",
        coach="offline",
    )
    runtime = await open_runtime(settings)
    try:
        app = create_server(create_services(runtime))
        async with serve(app) as base, httpx2.AsyncClient(base_url=base) as http:
            activity = {
                "type": "message",
                "id": "1",
                "text": "hi",
                "serviceUrl": "http://127.0.0.1:9/",
                "channelId": "msteams",
                "from": {"id": "29:x"},
                "recipient": {"id": "28:bot"},
                "conversation": {"id": "a:1", "conversationType": "personal"},
            }
            response = await http.post("/api/messages", json=activity)
            assert response.status_code == 401
            response = await http.post(
                "/api/messages", json=activity, headers={"Authorization": "Basic abc"}
            )
            assert response.status_code == 401
        async with runtime.sessions() as session:
            assert await session.scalar(select(func.count()).select_from(Person)) == 0
    finally:
        await runtime.close()


async def test_teams_is_not_mounted_without_settings(
    database_url: str, engine: AsyncEngine
) -> None:
    runtime = await open_runtime(load_settings(database_url=database_url, coach="offline"))
    try:
        app = create_server(create_services(runtime))
        async with serve(app) as base, httpx2.AsyncClient(base_url=base) as http:
            assert (await http.post("/api/messages", json={"type": "message"})).status_code == 404
    finally:
        await runtime.close()


def test_stepup_run_says_how_teams_is_connected() -> None:
    local = connection_report(load_settings(teams_dev_unauthenticated=True))
    assert "Connected surfaces: Teams." in local and "Agents Playground" in local
    real = connection_report(load_settings(teams_client_id="abc", teams_client_secret="s"))
    assert real == "Connected surfaces: Teams."
    both = load_settings(
        teams_client_id="abc", teams_client_secret="s", teams_dev_unauthenticated=True
    )
    assert "development only" in connection_report(both)


async def test_odd_but_well_formed_activities_never_get_a_500(teams: TeamsStack) -> None:
    pat = teams.pat
    base = pat.message("hi")
    odd: list[dict[str, object]] = [
        base | {"type": "messageReaction", "reactionsAdded": [{"type": "like"}]},
        base | {"type": "typing"},
        base | {"type": "event", "name": "application/vnd.microsoft.meetingStart", "value": {}},
        base | {"type": "invoke", "name": "composeExtension/query", "value": {"commandId": "x"}},
        base | {"type": "invoke", "name": "adaptiveCard/action", "value": {"action": {}}},
        base | {"type": "invoke", "name": "task/submit", "value": {"data": "not a dict"}},
        base | {"type": "invoke", "name": "task/fetch", "value": {}},
        base | {"type": "message", "text": None, "value": {"verb": "draft.save"}},
        base | {"type": "message", "text": "x" * 50_000},
        base | {"type": "conversationUpdate"},
        base | {"type": "installationUpdate", "action": "add-upgrade"},
        base | {"type": "messageUpdate", "text": "edited"},
        base | {"type": "messageDelete"},
        base | {"type": "endOfConversation"},
    ]
    for activity in odd:
        response = await teams.post(activity)
        handled = activity["type"] in ("message", "invoke", "conversationUpdate")
        wanted = (200, 400) if handled else (200,)
        assert response.status_code in wanted, (activity["type"], response.text)
