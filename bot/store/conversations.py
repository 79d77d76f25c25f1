"""Coaching conversations and saved drafts: the queries behind the conversation service.

Every function takes the caller's session and leaves the transaction to the caller. The
conversation state is stored as the JSON the service gives; its meaning (which draft is current,
which saved draft it is a copy of) belongs to :mod:`bot.coaching.conversation`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import CoachingSession, DraftRecord, Person


async def coaching_session(session: AsyncSession, person_id: int) -> CoachingSession | None:
    """Return the person's conversation row (None: no conversation in progress)."""
    return await session.scalar(
        select(CoachingSession).where(CoachingSession.person_id == person_id)
    )


async def conversation_state(session: AsyncSession, person_id: int) -> dict[str, Any] | None:
    """Return the person's stored conversation state (None: no conversation in progress)."""
    row = await coaching_session(session, person_id)
    return None if row is None else row.state


async def write_conversation_state(
    session: AsyncSession, *, workspace_id: int, person_id: int, state: dict[str, Any]
) -> None:
    """Store ``state`` as the person's conversation, creating its row on first use.

    Two first messages at once may both find no row and both insert one: the insert runs in a
    savepoint, and the one that loses re-reads the winner's row and writes its state there, so a
    person always has one row.
    """
    row = await coaching_session(session, person_id)
    if row is None:
        try:
            async with session.begin_nested():
                session.add(
                    CoachingSession(workspace_id=workspace_id, person_id=person_id, state=state)
                )
            return
        except IntegrityError:
            row = await coaching_session(session, person_id)
            if row is None:
                raise
    row.state = state


async def delete_conversation(session: AsyncSession, person_id: int) -> None:
    """Forget the person's conversation in progress (their saved drafts stay)."""
    row = await coaching_session(session, person_id)
    if row is not None:
        await session.delete(row)


async def saved_draft(session: AsyncSession, person: Person, draft_id: int) -> DraftRecord | None:
    """Return the person's own saved draft ``draft_id`` (None: not theirs, or gone)."""
    found: DraftRecord | None = await session.scalar(
        select(DraftRecord).where(
            DraftRecord.id == draft_id,
            DraftRecord.person_id == person.id,
            DraftRecord.workspace_id == person.workspace_id,
        )
    )
    return found


async def has_saved_draft(
    session: AsyncSession, person: Person, *, problem: str, proposed_fix: str, my_role: str
) -> bool:
    """Return whether the person has a saved draft with exactly these three parts."""
    found = await session.scalar(
        select(
            exists().where(
                DraftRecord.person_id == person.id,
                DraftRecord.problem == problem,
                DraftRecord.proposed_fix == proposed_fix,
                DraftRecord.my_role == my_role,
            )
        )
    )
    return bool(found)


async def add_saved_draft(
    session: AsyncSession,
    person: Person,
    *,
    problem: str,
    proposed_fix: str,
    my_role: str,
    themes: list[str],
) -> DraftRecord:
    """Save a draft for the person and return it (its id assigned)."""
    record = DraftRecord(
        workspace_id=person.workspace_id,
        person_id=person.id,
        problem=problem,
        proposed_fix=proposed_fix,
        my_role=my_role,
        themes=list(themes),
    )
    session.add(record)
    await session.flush()
    return record


async def recent_saved_drafts(
    session: AsyncSession, person_id: int, *, limit: int
) -> list[DraftRecord]:
    """Return the person's ``limit`` most recently saved drafts, newest first."""
    return list(
        await session.scalars(
            select(DraftRecord)
            .where(DraftRecord.person_id == person_id)
            .order_by(DraftRecord.created_at.desc(), DraftRecord.id.desc())
            .limit(limit)
        )
    )
