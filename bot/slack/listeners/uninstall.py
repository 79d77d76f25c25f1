"""``app_uninstalled`` and ``tokens_revoked``: forget the workspace's tokens at once.

The workspace is marked uninstalled so its data can be deleted after the grace period.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.app import Services


async def forget_tokens(services: Services, team_id: str) -> None:
    """Delete every stored token of ``team_id`` and mark the workspace uninstalled."""
    await services.workspaces.slack_uninstalled(team_id)


def register(app: AsyncApp, services: Services) -> None:
    """Register the uninstall and token-revocation events."""

    @app.event("app_uninstalled")
    async def uninstalled(body: dict[str, Any]) -> None:
        await forget_tokens(services, str(body.get("team_id")))

    @app.event("tokens_revoked")
    async def revoked(body: dict[str, Any], event: dict[str, Any]) -> None:
        if (event.get("tokens") or {}).get("bot"):
            await forget_tokens(services, str(body.get("team_id")))
