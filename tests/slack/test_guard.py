"""Listener failures are reported by Step Up, acked, and never raised into Bolt."""

from __future__ import annotations

import inspect
from typing import Any

from bot.errors import UserError
from bot.slack.listeners.errors import SORRY, guard


class FakeAck:
    def __init__(self) -> None:
        self.response: object | None = None
        self.calls = 0

    async def __call__(self, **_: Any) -> None:
        self.calls += 1
        self.response = object()


class FakeClient:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    async def chat_postEphemeral(self, **params: Any) -> None:
        self.calls.append(("chat.postEphemeral", params))

    async def chat_postMessage(self, **params: Any) -> None:
        self.calls.append(("chat.postMessage", params))


def test_bolt_sees_the_listeners_arguments_plus_what_reporting_needs() -> None:
    async def listener(ack: Any, action: dict[str, Any]) -> None: ...

    wrapped = guard(listener)
    # Bolt's own way of reading what to pass (slack_bolt.util.utils.get_arg_names_of_callable).
    names = inspect.getfullargspec(inspect.unwrap(wrapped)).args
    assert names == ["ack", "action", "body", "client"]
    assert wrapped.__name__ == "listener"


async def test_a_failure_before_ack_is_acked_and_reported_in_place() -> None:
    seen: list[dict[str, Any]] = []

    async def listener(action: dict[str, Any]) -> None:
        seen.append(action)
        raise RuntimeError("quoted vent text that must not be logged")

    ack, client = FakeAck(), FakeClient()
    body = {"user": {"id": "U1"}, "channel": {"id": "D1"}}
    await guard(listener)(action={"value": "1"}, ack=ack, body=body, client=client)
    assert seen == [{"value": "1"}]  # the listener got only its own arguments
    assert ack.calls == 1
    [(method, params)] = client.calls
    assert method == "chat.postEphemeral" and params["channel"] == "D1"
    assert params["text"].startswith(SORRY[:20])


async def test_a_user_error_after_ack_on_the_home_tab_is_a_dm_and_no_second_ack() -> None:
    async def listener(ack: Any) -> None:
        await ack()
        raise UserError("That button is out of date.")

    ack, client = FakeAck(), FakeClient()
    await guard(listener)(ack=ack, body={"user": {"id": "U1"}}, client=client)
    assert ack.calls == 1
    [(method, params)] = client.calls
    assert (method, params["channel"]) == ("chat.postMessage", "U1")
    assert "out of date" in params["text"]


async def test_a_listener_that_works_is_untouched() -> None:
    async def listener(ack: Any, body: dict[str, Any]) -> str:
        await ack()
        return str(body["x"])

    ack, client = FakeAck(), FakeClient()
    assert await guard(listener)(ack=ack, body={"x": 7}, client=client) == "7"
    assert client.calls == []
