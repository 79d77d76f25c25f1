"""``app_uninstalled`` and ``tokens_revoked``: forget the workspace's tokens at once.

The workspace is marked uninstalled so its data can be deleted after the grace period.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from sqlalchemy import delete, update

from bot.app import Services
from bot.store.models import SLACK_BOTS, SLACK_INSTALLATIONS, Workspace, utcnow


async def forget_tokens(services: Services, team_id: str) -> None:
    """Delete every stored token of ``team_id`` and mark the workspace uninstalled."""
    async with services.runtime.sessions() as session, session.begin():
        await session.execute(
            delete(SLACK_INSTALLATIONS).where(SLACK_INSTALLATIONS.c.team_id == team_id)
        )
        await session.execute(delete(SLACK_BOTS).where(SLACK_BOTS.c.team_id == team_id))
        await session.execute(
            update(Workspace)
            .where(Workspace.platform == "slack", Workspace.external_id == team_id)
            .values(uninstalled_at=utcnow())
        )


def register(app: AsyncApp, services: Services) -> None:
    """Register the uninstall and token-revocation events."""

    @app.event("app_uninstalled")
    async def uninstalled(body: dict[str, Any]) -> None:
        await forget_tokens(services, str(body.get("team_id")))

    @app.event("tokens_revoked")
    async def revoked(body: dict[str, Any], event: dict[str, Any]) -> None:
        if (event.get("tokens") or {}).get("bot"):
            await forget_tokens(services, str(body.get("team_id")))
