"""A running Step Up server with the real Bolt app, talking to the fake Slack Web API."""

from __future__ import annotations

from dataclasses import dataclass

import httpx2

from bot.runtime import Runtime
from tests.fakes.slack_api import FakeSlack
from tests.helpers.slack_signing import SIGNING_SECRET, signed_headers


@dataclass
class SlackStack:
    fake: FakeSlack
    http: httpx2.AsyncClient
    runtime: Runtime

    async def send(
        self, body: bytes, *, secret: str = SIGNING_SECRET, **headers: object
    ) -> httpx2.Response:
        sent = signed_headers(secret, body, **headers)  # type: ignore[arg-type]
        return await self.http.post("/slack/events", content=body, headers=sent)
