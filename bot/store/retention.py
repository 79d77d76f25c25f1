"""Data retention: delete an uninstalled workspace's data after a grace period.

Uninstalling (``app_uninstalled``, a revoked bot token) forgets the tokens at once and marks the
workspace ``uninstalled_at``. A workspace that comes back within the grace period keeps
everything (:func:`mark_reinstalled`); one that does not is deleted by :func:`purge_uninstalled`,
and ``ON DELETE CASCADE`` takes its people, drafts, wins, goals, thanks, schedules and
conversation state with it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store.database import transaction
from bot.store.models import Workspace, utcnow

UNINSTALL_GRACE = dt.timedelta(days=30)
"""How long an uninstalled workspace's data is kept in case it is reinstalled."""


async def purge_uninstalled(
    sessions: async_sessionmaker[AsyncSession],
    *,
    grace: dt.timedelta = UNINSTALL_GRACE,
    now: dt.datetime | None = None,
) -> int:
    """Delete every workspace uninstalled more than ``grace`` ago, with all its rows.

    Args:
        sessions: The session factory.
        grace: How long after uninstalling the data is kept.
        now: The current time (aware; tests fix it).

    Returns:
        How many workspaces were deleted.
    """
    cutoff = (now or utcnow()) - grace
    async with transaction(sessions) as session:
        result = await session.execute(
            delete(Workspace)
            .where(Workspace.uninstalled_at.is_not(None), Workspace.uninstalled_at < cutoff)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)


async def mark_reinstalled(
    sessions: async_sessionmaker[AsyncSession], platform: str, external_id: str
) -> bool:
    """Clear ``uninstalled_at`` of a workspace that is back, so its data is kept.

    Cheap to call on every install or event: it writes only when the mark is set.

    Returns:
        True when the workspace had been marked uninstalled.
    """
    async with transaction(sessions) as session:
        result = await session.execute(
            update(Workspace)
            .where(
                Workspace.platform == platform,
                Workspace.external_id == external_id,
                Workspace.uninstalled_at.is_not(None),
            )
            .values(uninstalled_at=None)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))
