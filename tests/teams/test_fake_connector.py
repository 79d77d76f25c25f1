"""The fake Bot Framework connector, driven by the real Teams SDK over real HTTP."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from bot.settings import load_settings
from bot.teams.app import create_teams_app, ready
from tests.fakes.teams_connector import ADAPTIVE_CARD, FakeConnector, fake_connector

CHANNEL = "19:general@thread.tacv2"
CARD = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "hi"}]}


@pytest.fixture
async def app():
    return await ready(create_teams_app(load_settings(teams_dev_unauthenticated=True)))


def card_message():
    from microsoft_teams.api.activities.message.message import MessageActivityInput
    from microsoft_teams.api.models.attachment.attachment import Attachment

    return MessageActivityInput(text="hello").add_attachments(
        Attachment(content_type=ADAPTIVE_CARD, content=CARD)
    )


async def test_a_proactive_send_is_recorded_with_its_body_and_bearer_token(app):
    async with fake_connector() as connector:
        sent = await app.send(CHANNEL, card_message(), service_url=connector.url)
    [call] = connector.calls
    assert (call.operation, call.http_method) == ("send", "POST")
    assert call.path == f"/v3/conversations/{CHANNEL}/activities"
    assert call.conversation_id == CHANNEL and call.activity_id == sent.id
    assert call.authorization is not None and call.authorization.startswith("Bearer ")
    assert call.token and call.token.count(".") == 2  # JWT-shaped
    assert connector.activities(CHANNEL)[0]["text"] == "hello"
    assert connector.cards() == [CARD]
    assert connector.activities("19:other@thread.tacv2") == []


async def test_activity_ids_are_handed_out_in_order_and_update_and_delete_address_them(app):
    async with fake_connector() as connector:
        first = await app.send(CHANNEL, "one", service_url=connector.url)
        second = await app.send(CHANNEL, "two", service_url=connector.url)
        api = app.api.clone(service_url=connector.url)
        from microsoft_teams.api.activities.message.message import MessageActivityInput

        await api.conversations.update_activity(CHANNEL, first.id, MessageActivityInput(text="1!"))
        await api.conversations.reply_to_activity(CHANNEL, first.id, MessageActivityInput(text="r"))
        await api.conversations.delete_activity(CHANNEL, second.id)
    assert int(second.id) == int(first.id) + 1
    assert [c.operation for c in connector.calls] == ["send", "send", "update", "reply", "delete"]
    update, reply, delete = connector.calls[2:]
    assert (update.http_method, update.activity_id, update.body["text"]) == ("PUT", first.id, "1!")
    assert reply.body["replyToId"] == first.id
    assert (delete.http_method, delete.path) == (
        "DELETE",
        f"/v3/conversations/{CHANNEL}/activities/{second.id}",
    )
    # Replies are delivered activities, updates and deletes are not.
    assert [a["text"] for a in connector.activities()] == ["one", "two", "r"]


async def test_the_rest_reply_route_is_served_too():
    async with fake_connector() as connector, httpx.AsyncClient() as client:
        answer = await client.post(
            f"{connector.url}/v3/conversations/{CHANNEL}/activities/1700000000001",
            json={"type": "message", "text": "threaded"},
        )
    assert answer.status_code == 201 and answer.json()["id"]
    [call] = connector.calls_to("reply", CHANNEL)
    assert connector.activities() == [call.body]


async def test_creating_a_personal_chat_returns_a_stable_id_per_user(app):
    from microsoft_teams.api.clients.conversation.params import CreateConversationParams
    from microsoft_teams.api.models.account import Account

    def params(user: str) -> CreateConversationParams:
        return CreateConversationParams(members=[Account(id=user)], tenant_id="t1", isGroup=False)

    async with fake_connector() as connector:
        api = app.api.clone(service_url=connector.url)
        first = await api.conversations.create(params("29:ana"))
        again = await api.conversations.create(params("29:ana"))
        other = await api.conversations.create(params("29:bo"))
    assert first.id == again.id != other.id and first.id.startswith("a:")
    created = connector.conversations[first.id]
    assert (created.tenant_id, created.is_group) == ("t1", False)
    assert created.members == [{"id": "29:ana"}]
    assert connector.calls_to("create_conversation")[0].path == "/v3/conversations"


async def test_scripted_failures_answer_with_a_bot_framework_error_then_stop(app):
    async with fake_connector() as connector:
        connector.fail(CHANNEL, 403, "BotNotInConversationRoster")
        with pytest.raises(httpx.HTTPStatusError) as refused:
            await app.send(CHANNEL, "x", service_url=connector.url)
        await app.send(CHANNEL, "y", service_url=connector.url)
    assert refused.value.response.status_code == 403
    assert refused.value.response.json()["error"]["code"] == "BotNotInConversationRoster"
    assert [c.status for c in connector.calls] == [403, 201]
    assert [a["text"] for a in connector.activities()] == ["y"]


async def test_a_rate_limit_carries_retry_after_and_create_can_fail_too(app):
    from microsoft_teams.api.clients.conversation.params import CreateConversationParams
    from microsoft_teams.api.models.account import Account

    async with fake_connector() as connector:
        connector.rate_limit(CHANNEL, retry_after=2, times=2)
        connector.fail_create(404, "NotFound")
        for _ in range(2):
            with pytest.raises(httpx.HTTPStatusError) as limited:
                await app.send(CHANNEL, "x", service_url=connector.url)
            assert limited.value.response.status_code == 429
            assert limited.value.response.headers["Retry-After"] == "2"
        with pytest.raises(httpx.HTTPStatusError) as missing:
            await app.api.clone(service_url=connector.url).conversations.create(
                CreateConversationParams(members=[Account(id="29:x")], tenant_id="t1")
            )
        await app.send(CHANNEL, "through", service_url=connector.url)
    assert missing.value.response.status_code == 404
    assert [c.status for c in connector.calls] == [429, 429, 404, 201]


async def test_waiting_for_activities_wakes_when_they_arrive(app):
    async with fake_connector() as connector:
        waiter = asyncio.create_task(connector.wait_for_activities(2, CHANNEL))
        await app.send(CHANNEL, "one", service_url=connector.url)
        await app.send("a:elsewhere", "not counted", service_url=connector.url)
        assert not waiter.done()
        await app.send(CHANNEL, "two", service_url=connector.url)
        activities = await waiter
    assert [a["text"] for a in activities] == ["one", "two"]


async def test_waiting_gives_up_after_the_timeout():
    connector = FakeConnector()
    with pytest.raises(TimeoutError):
        await connector.wait_for_activities(1, timeout=0.01)


async def test_the_url_is_known_once_served_and_refuses_connections_after():
    fake = FakeConnector()
    with pytest.raises(RuntimeError):
        _ = fake.url
    async with fake_connector(fake) as served:
        url = served.url
    assert fake.url == url
    async with httpx.AsyncClient() as client:
        with pytest.raises(httpx.ConnectError):
            await client.post(f"{url}/v3/conversations", json={})


async def test_a_stalled_call_waits_until_released(app):
    async with fake_connector() as connector:
        connector.stall(CHANNEL)
        stalled = asyncio.create_task(app.send(CHANNEL, "late", service_url=connector.url))
        await app.send("a:elsewhere", "first", service_url=connector.url)
        assert not stalled.done() and connector.activities(CHANNEL) == []
        connector.release_stalled()
        await stalled
    assert [a["text"] for a in connector.activities()] == ["first", "late"]


async def test_other_routes_are_recorded_and_answered_404():
    async with fake_connector() as connector, httpx.AsyncClient() as client:
        answer = await client.get(f"{connector.url}/v3/conversations/{CHANNEL}/members/29:x")
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "NotFound"
    [call] = connector.calls_to("unknown")
    assert call.path == f"/v3/conversations/{CHANNEL}/members/29:x"


async def test_activities_can_be_filtered_by_type(app):
    from microsoft_teams.api.activities.typing import TypingActivityInput

    async with fake_connector() as connector:
        await app.send(CHANNEL, TypingActivityInput(), service_url=connector.url)
        await app.send(CHANNEL, "done", service_url=connector.url)
    assert [a["type"] for a in connector.activities()] == ["typing", "message"]
    assert [a["text"] for a in connector.activities(type="message")] == ["done"]
