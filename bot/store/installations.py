"""Slack installations: forget a workspace's tokens when the app is uninstalled or revoked."""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import SLACK_BOTS, SLACK_INSTALLATIONS, Workspace, utcnow


async def forget_slack_workspace(session: AsyncSession, team_id: str) -> None:
    """Delete every stored token of ``team_id`` and mark the workspace uninstalled.

    The workspace row stays so its data can be deleted after the grace period.
    """
    await session.execute(
        delete(SLACK_INSTALLATIONS).where(SLACK_INSTALLATIONS.c.team_id == team_id)
    )
    await session.execute(delete(SLACK_BOTS).where(SLACK_BOTS.c.team_id == team_id))
    await session.execute(
        update(Workspace)
        .where(Workspace.platform == "slack", Workspace.external_id == team_id)
        .values(uninstalled_at=utcnow())
    )
