"""A local fake of Slack's Socket Mode WebSocket, served by aiohttp on 127.0.0.1.

Pair it with :class:`~tests.fakes.slack_api.FakeSlack`: while served, the Web API fake's
``apps.connections.open`` hands out this server's ``ws://`` URL. The protocol, as Slack documents
it and slack_sdk's client expects:

- on connect the server sends ``{"type": "hello", "num_connections": 1, ...}``;
- each request is an envelope ``{"envelope_id", "type": "events_api" | "slash_commands" |
  "interactive", "payload": <the HTTP body as JSON>, "accepts_response_payload", ...}``;
- the app acknowledges with ``{"envelope_id": ..., "payload"?: ...}`` on the same socket;
- ``{"type": "disconnect", "reason": ...}`` asks the client to reconnect.

    async with fake_slack() as fake, fake_socket_mode(fake) as socket:
        ...  # start the app with an xapp- token
        await socket.wait_connected()
        envelope_id = await socket.send_event(json.loads(event_body(text="hi")))
        ack = await socket.wait_for_ack(envelope_id)
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.slack_api import FakeSlack


class FakeSocketMode:
    """State of the fake Socket Mode server; serve it with :func:`fake_socket_mode`."""

    def __init__(self, app_id: str = "A123ABC456") -> None:
        self.app_id = app_id
        self.connections = 0
        """WebSocket connections accepted so far."""
        self.acks: list[dict[str, Any]] = []
        """Every message the app sent back, parsed, oldest first."""
        self.hellos_sent = 0
        self._socket: web.WebSocketResponse | None = None
        self._changed = asyncio.Condition()
        self._counter = 0

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _wait(self, ready: Any, what: str, timeout: float) -> None:
        try:
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait_for(ready)
        except TimeoutError:
            raise TimeoutError(f"waited {timeout}s for {what}; acks so far: {self.acks}") from None

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """Accept a connection, say hello, and record what the app sends."""
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        await socket.send_str(
            json.dumps(
                {
                    "type": "hello",
                    "num_connections": 1,
                    "debug_info": {"host": "fake-socket-mode"},
                    "connection_info": {"app_id": self.app_id},
                }
            )
        )
        self._socket = socket
        self.connections += 1
        self.hellos_sent += 1
        await self._notify()
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                with contextlib.suppress(ValueError):
                    self.acks.append(json.loads(message.data))
                await self._notify()
        if self._socket is socket:
            self._socket = None
        await self._notify()
        return socket

    async def wait_connected(self, count: int = 1, timeout: float = 5.0) -> None:
        """Wait until ``count`` connections were accepted (and greeted)."""
        await self._wait(lambda: self.connections >= count, f"{count} connection(s)", timeout)

    async def wait_closed(self, timeout: float = 5.0) -> None:
        """Wait until no connection is open."""
        await self._wait(lambda: self._socket is None, "the connection to close", timeout)

    async def send_envelope(
        self, kind: str, payload: dict[str, Any], *, accepts_response_payload: bool = False
    ) -> str:
        """Send one envelope of ``kind`` carrying ``payload``; return its ``envelope_id``."""
        if self._socket is None:
            raise RuntimeError("no Socket Mode connection is open")
        self._counter += 1
        envelope_id = f"fake-envelope-{self._counter:04d}"
        await self._socket.send_str(
            json.dumps(
                {
                    "envelope_id": envelope_id,
                    "type": kind,
                    "payload": payload,
                    "accepts_response_payload": accepts_response_payload,
                    "retry_attempt": 0,
                    "retry_reason": "",
                }
            )
        )
        return envelope_id

    async def send_event(self, body: dict[str, Any]) -> str:
        """Send an Events API body (what ``/slack/events`` gets) in an ``events_api`` envelope."""
        return await self.send_envelope("events_api", body)

    async def wait_for_ack(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any]:
        """Wait for the app's acknowledgement of ``envelope_id`` and return it."""

        def acked() -> bool:
            return any(ack.get("envelope_id") == envelope_id for ack in self.acks)

        await self._wait(acked, f"the ack of {envelope_id}", timeout)
        return next(ack for ack in self.acks if ack.get("envelope_id") == envelope_id)


@contextlib.asynccontextmanager
async def fake_socket_mode(
    slack: FakeSlack, socket_mode: FakeSocketMode | None = None
) -> AsyncIterator[FakeSocketMode]:
    """Serve a Socket Mode WebSocket on 127.0.0.1 and point ``slack``'s
    ``apps.connections.open`` at it for the block's duration.
    """
    fake = socket_mode if socket_mode is not None else FakeSocketMode(app_id=slack.app_id)
    app = web.Application()
    app.router.add_get("/link/", fake.handle)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    slack.socket_mode_url = f"ws://{host}:{port}/link/?ticket=fake-ticket&app_id={fake.app_id}"
    try:
        yield fake
    finally:
        slack.socket_mode_url = None
        await runner.cleanup()
