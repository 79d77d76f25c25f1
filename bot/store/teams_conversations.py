"""Teams conversation references: the queries of how to reach a Teams conversation later.

One :class:`~bot.store.models.TeamsConversationRef` row per (tenant, conversation), found by the
tenant's id (its workspace's ``external_id`` on the ``teams`` platform). What to remember and how
to merge a reference is the Teams surface's business (:mod:`bot.teams.references`); these
functions only read and write the rows. The caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import Person, TeamsConversationRef, Workspace

PLATFORM = "teams"
"""The workspace platform of every Teams tenant."""


async def find(
    session: AsyncSession, *, tenant_id: str, conversation_id: str
) -> TeamsConversationRef | None:
    """Return the row of a conversation of the tenant, or None when it is not remembered."""
    return await session.scalar(
        select(TeamsConversationRef)
        .join(Workspace, Workspace.id == TeamsConversationRef.workspace_id)
        .where(
            Workspace.platform == PLATFORM,
            Workspace.external_id == tenant_id,
            TeamsConversationRef.conversation_id == conversation_id,
        )
    )


async def upsert(
    session: AsyncSession,
    *,
    workspace_id: int,
    conversation_id: str,
    service_url: str,
    reference: dict[str, Any],
    person_id: int | None,
    now: dt.datetime,
) -> None:
    """Insert a conversation's row, or update it when the row exists.

    ``INSERT … ON CONFLICT DO UPDATE`` on (workspace, conversation), so two writers that both
    saw no row end with one. A ``person_id`` of None leaves a stored person in place.

    Args:
        session: The caller's session.
        workspace_id: The tenant's workspace.
        conversation_id: The conversation (without a thread suffix).
        service_url: The connector that serves it.
        reference: The whole reference JSON to store.
        person_id: The person of a personal chat, or None.
        now: The time of the write (``created_at`` of a new row, ``updated_at`` always).
    """
    statement = _insert(session).values(
        workspace_id=workspace_id,
        person_id=person_id,
        conversation_id=conversation_id,
        service_url=service_url,
        reference=reference,
        created_at=now,
        updated_at=now,
    )
    changes: dict[str, Any] = {
        "service_url": service_url,
        "reference": reference,
        "updated_at": now,
    }
    if person_id is not None:
        changes["person_id"] = person_id
    # Two first messages at once both get here: the loser's insert becomes an update.
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["workspace_id", "conversation_id"], set_=changes
        )
    )


async def move_service_url(
    session: AsyncSession, *, workspace_id: int, service_url: str, now: dt.datetime
) -> None:
    """Point every conversation of the workspace at ``service_url`` (the tenant moved)."""
    await session.execute(
        update(TeamsConversationRef)
        .where(
            TeamsConversationRef.workspace_id == workspace_id,
            TeamsConversationRef.service_url != service_url,
        )
        .values(service_url=service_url, updated_at=now)
    )


async def find_personal(
    session: AsyncSession, *, tenant_id: str, user_id: str
) -> TeamsConversationRef | None:
    """Return the newest personal chat row of a Teams user of the tenant, or None."""
    return await session.scalar(
        select(TeamsConversationRef)
        .join(Workspace, Workspace.id == TeamsConversationRef.workspace_id)
        .join(Person, Person.id == TeamsConversationRef.person_id)
        .where(
            Workspace.platform == PLATFORM,
            Workspace.external_id == tenant_id,
            Person.platform_user_id == user_id,
        )
        .order_by(TeamsConversationRef.updated_at.desc(), TeamsConversationRef.id.desc())
        .limit(1)
    )


async def latest_service_url(session: AsyncSession, *, tenant_id: str) -> str | None:
    """Return the service URL of the tenant's most recently written row, or None."""
    return await session.scalar(
        select(TeamsConversationRef.service_url)
        .join(Workspace, Workspace.id == TeamsConversationRef.workspace_id)
        .where(Workspace.platform == PLATFORM, Workspace.external_id == tenant_id)
        .order_by(TeamsConversationRef.updated_at.desc(), TeamsConversationRef.id.desc())
        .limit(1)
    )


async def of_tenant(
    session: AsyncSession, *, tenant_id: str
) -> list[tuple[TeamsConversationRef, str | None]]:
    """Return every row of the tenant with its person's Teams user id (None if no person).

    Oldest write first, so a caller building a map lets the newest row win.
    """
    rows = await session.execute(
        select(TeamsConversationRef, Person.platform_user_id)
        .join(Workspace, Workspace.id == TeamsConversationRef.workspace_id)
        .outerjoin(Person, Person.id == TeamsConversationRef.person_id)
        .where(Workspace.platform == PLATFORM, Workspace.external_id == tenant_id)
        .order_by(TeamsConversationRef.updated_at, TeamsConversationRef.id)
    )
    return [(row, user_id) for row, user_id in rows.all()]


async def forget(
    session: AsyncSession, *, tenant_id: str, conversation_id: str, team_id: str | None = None
) -> int:
    """Delete a conversation's row and, given ``team_id``, the rows of that team's channels.

    Args:
        session: The caller's session.
        tenant_id: The Teams tenant.
        conversation_id: The conversation (without a thread suffix).
        team_id: A team whose every channel goes too (its id is in the reference JSON).

    Returns:
        How many rows were deleted.
    """
    workspace_id = await session.scalar(
        select(Workspace.id).where(
            Workspace.platform == PLATFORM, Workspace.external_id == tenant_id
        )
    )
    if workspace_id is None:
        return 0
    ids = set(
        await session.scalars(
            select(TeamsConversationRef.id).where(
                TeamsConversationRef.workspace_id == workspace_id,
                TeamsConversationRef.conversation_id == conversation_id,
            )
        )
    )
    if team_id is not None:
        # JSON queries differ between SQLite and PostgreSQL; a tenant's rows are few.
        rows = await session.execute(
            select(TeamsConversationRef.id, TeamsConversationRef.reference).where(
                TeamsConversationRef.workspace_id == workspace_id
            )
        )
        ids |= {
            row_id
            for row_id, reference in rows.all()
            if (reference or {}).get("team_id") == team_id
        }
    if not ids:
        return 0
    await session.execute(
        delete(TeamsConversationRef).where(TeamsConversationRef.id.in_(sorted(ids)))
    )
    return len(ids)


def _insert(session: AsyncSession) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return pg_insert(TeamsConversationRef)
    return sqlite_insert(TeamsConversationRef)
