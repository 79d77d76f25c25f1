"""Teams conversation rows: the upsert that settles a race of first messages, and forgetting."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store import teams_conversations as store
from bot.store.database import transaction
from bot.store.models import TeamsConversationRef, utcnow
from bot.store.people import get_or_create_person, get_or_create_workspace

TENANT = "tenant-1"
CHAT = "a:1ana"
URL = "https://smba.trafficmanager.net/amer"


async def _ids(sessions: async_sessionmaker[AsyncSession]) -> tuple[int, int]:
    async with transaction(sessions) as session:
        workspace = await get_or_create_workspace(session, store.PLATFORM, TENANT)
        person = await get_or_create_person(session, workspace, "29:ana")
        return workspace.id, person.id


async def _upsert(
    sessions: async_sessionmaker[AsyncSession],
    workspace_id: int,
    *,
    reference: dict[str, str],
    person_id: int | None = None,
    service_url: str = URL,
    now: dt.datetime | None = None,
) -> None:
    async with transaction(sessions) as session:
        await store.upsert(
            session,
            workspace_id=workspace_id,
            conversation_id=CHAT,
            service_url=service_url,
            reference=reference,
            person_id=person_id,
            now=now or utcnow(),
        )


async def test_an_upsert_onto_an_existing_row_updates_it_and_keeps_its_person(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    workspace_id, person_id = await _ids(sessions)
    first = utcnow()
    await _upsert(
        sessions, workspace_id, reference={"kind": "personal"}, person_id=person_id, now=first
    )
    async with transaction(sessions) as session:
        before = await store.find(session, tenant_id=TENANT, conversation_id=CHAT)
    assert before is not None
    # A writer that saw no row (it lost the race) inserts anyway: its values win, no new row.
    await _upsert(
        sessions,
        workspace_id,
        reference={"kind": "personal", "display_name": "Ana"},
        service_url=f"{URL}/moved",
        now=first + dt.timedelta(seconds=5),
    )
    async with transaction(sessions) as session:
        rows = list(await session.scalars(select(TeamsConversationRef)))
    [row] = rows
    assert row.id == before.id and row.created_at == before.created_at
    assert row.updated_at > before.updated_at
    assert row.reference == {"kind": "personal", "display_name": "Ana"}
    assert (row.service_url, row.person_id) == (f"{URL}/moved", person_id)


async def test_concurrent_first_upserts_make_one_row(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    workspace_id, person_id = await _ids(sessions)
    await asyncio.gather(
        *(
            _upsert(sessions, workspace_id, reference={"name": f"n{n}"}, person_id=person_id)
            for n in range(5)
        )
    )
    async with transaction(sessions) as session:
        count = await session.scalar(select(func.count()).select_from(TeamsConversationRef))
        row = await store.find(session, tenant_id=TENANT, conversation_id=CHAT)
        [(listed, user_id)] = await store.of_tenant(session, tenant_id=TENANT)
    assert count == 1 and row is not None and row.person_id == person_id
    assert row.reference["name"] in {f"n{n}" for n in range(5)}
    assert (listed.id, user_id) == (row.id, "29:ana")


async def test_forget_deletes_the_conversation_and_reports_how_many(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    workspace_id, _ = await _ids(sessions)
    await _upsert(sessions, workspace_id, reference={"kind": "personal"})
    async with transaction(sessions) as session:
        assert await store.forget(session, tenant_id="nobody", conversation_id=CHAT) == 0
        assert await store.forget(session, tenant_id=TENANT, conversation_id=CHAT) == 1
        assert await store.find(session, tenant_id=TENANT, conversation_id=CHAT) is None
        assert await store.forget(session, tenant_id=TENANT, conversation_id=CHAT) == 0
