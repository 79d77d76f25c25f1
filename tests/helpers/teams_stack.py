"""A running Step Up server with the real Teams SDK app, and reading the cards it sends."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx2

from bot.app import Services
from bot.runtime import Runtime
from bot.store.people import PersonRef
from tests.fakes.teams_connector import FakeConnector
from tests.helpers.teams_activities import Sender


@dataclass
class TeamsStack:
    connector: FakeConnector
    http: httpx2.AsyncClient
    runtime: Runtime
    services: Services
    pat: Sender

    @property
    def who(self) -> PersonRef:
        """Pat, as Step Up's services name them."""
        return PersonRef("teams", self.pat.tenant, self.pat.user_id)

    async def post(self, activity: dict[str, Any], **headers: str) -> httpx2.Response:
        return await self.http.post("/api/messages", json=activity, headers=headers)

    async def say(self, text: str, *, channel: bool = False) -> list[dict[str, Any]]:
        """Send a message from Pat; return the activities Step Up sent in answer."""
        before = len(self.connector.activities())
        response = await self.post(self.pat.message(text, channel=channel))
        assert response.status_code == 200, response.text
        return self.connector.activities()[before:]

    async def press(
        self, verb: str, data: dict[str, Any] | None = None, *, channel: bool = False
    ) -> dict[str, Any]:
        """Press an Action.Execute button; return the invoke response body."""
        response = await self.post(self.pat.execute(verb, data, channel=channel))
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


def last_card(activities: list[dict[str, Any]]) -> dict[str, Any]:
    """The Adaptive Card of the last activity that carries one."""
    for activity in reversed(activities):
        for attachment in activity.get("attachments") or []:
            if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
                card: dict[str, Any] = attachment["content"]
                return card
    raise AssertionError(f"no card in {activities!r}")


def card_text(card: dict[str, Any]) -> str:
    """Every string in a card, joined (to assert on what a person reads)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str):
            found.append(node)

    walk(card)
    return "\n".join(found)


def verbs_of(card: dict[str, Any]) -> set[str]:
    """Every Action.Execute verb and Action.Submit data verb in a card."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Action.Execute" and node.get("verb"):
                found.add(node["verb"])
            if node.get("type") == "Action.Submit" and isinstance(node.get("data"), dict):
                verb = node["data"].get("verb")
                if verb:
                    found.add(verb)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    return found
