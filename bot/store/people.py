"""Workspaces and people: find or create the rows every other table hangs from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import Person, Workspace

LOCAL_PLATFORM = "local"
LOCAL_WORKSPACE = "local"
LOCAL_USER = "me"


async def get_or_create_workspace(
    session: AsyncSession, platform: str, external_id: str, *, name: str | None = None
) -> Workspace:
    """Return the workspace for ``(platform, external_id)``, creating it on first sight."""
    found = await session.scalar(
        select(Workspace).where(
            Workspace.platform == platform, Workspace.external_id == external_id
        )
    )
    if found is not None:
        return found
    workspace = Workspace(platform=platform, external_id=external_id, name=name)
    try:
        # A savepoint: two first messages at once may both try to create the row.
        async with session.begin_nested():
            session.add(workspace)
    except IntegrityError:
        found = await session.scalar(
            select(Workspace).where(
                Workspace.platform == platform, Workspace.external_id == external_id
            )
        )
        assert found is not None
        return found
    return workspace


async def get_or_create_person(
    session: AsyncSession,
    workspace: Workspace,
    platform_user_id: str,
    *,
    display_name: str | None = None,
    timezone: str | None = None,
) -> Person:
    """Return the person ``platform_user_id`` of ``workspace``, creating them on first sight."""
    found = await session.scalar(
        select(Person).where(
            Person.workspace_id == workspace.id, Person.platform_user_id == platform_user_id
        )
    )
    if found is not None:
        return found
    person = Person(
        workspace_id=workspace.id,
        platform_user_id=platform_user_id,
        display_name=display_name,
        timezone=timezone,
    )
    try:
        async with session.begin_nested():
            session.add(person)
    except IntegrityError:
        found = await session.scalar(
            select(Person).where(
                Person.workspace_id == workspace.id, Person.platform_user_id == platform_user_id
            )
        )
        assert found is not None
        return found
    return person


@dataclass(frozen=True)
class PersonRef:
    """Who is talking, as every surface knows them: platform, workspace id, user id."""

    platform: str
    workspace: str
    user: str
    display_name: str | None = None

    @classmethod
    def local(cls, user: str = LOCAL_USER) -> PersonRef:
        """The person using the terminal chat or the CLI."""
        return cls(LOCAL_PLATFORM, LOCAL_WORKSPACE, user)


async def resolve_person(session: AsyncSession, ref: PersonRef) -> Person:
    """Return (creating on first sight) the person ``ref`` names."""
    workspace = await get_or_create_workspace(session, ref.platform, ref.workspace)
    return await get_or_create_person(session, workspace, ref.user, display_name=ref.display_name)


async def workspace_sizes(session: AsyncSession, workspace_ids: Sequence[int]) -> dict[int, int]:
    """Return ``{workspace id: how many people Step Up knows there}`` (absent: none)."""
    rows = await session.execute(
        select(Person.workspace_id, func.count())
        .where(Person.workspace_id.in_(workspace_ids))
        .group_by(Person.workspace_id)
    )
    return {workspace_id: int(size) for workspace_id, size in rows.all()}


async def people_among(
    session: AsyncSession, *, platform: str, workspace: str, user_ids: Sequence[str]
) -> list[int]:
    """Return the ids of the workspace's people whose platform user id is in ``user_ids``."""
    found = await session.scalars(
        select(Person.id)
        .join(Workspace, Workspace.id == Person.workspace_id)
        .where(
            Workspace.platform == platform,
            Workspace.external_id == workspace,
            Person.platform_user_id.in_(user_ids),
        )
    )
    return list(found)
