"""Workspaces leaving Step Up: tokens are forgotten at once, data after the grace period.

The grace period itself (``bot/store/retention.py``) runs in the scheduler's housekeeping; this
service is what a surface calls when a platform says the app was uninstalled or its tokens
revoked.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store.database import transaction
from bot.store.installations import forget_slack_workspace


class WorkspacesService:
    """Uninstalls and token revocations, for every platform that stores tokens."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        """Create the service over the session factory."""
        self._sessions = sessions

    async def slack_uninstalled(self, team_id: str) -> None:
        """Delete every stored token of Slack workspace ``team_id`` and mark it uninstalled.

        The workspace's data stays until the grace period ends (a reinstall keeps it).
        """
        async with transaction(self._sessions) as session:
            await forget_slack_workspace(session, team_id)
