"""Thanks offers: the queries of thanks between colleagues (the caller owns the transaction)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import Person, ThanksOffer


async def add_offer(session: AsyncSession, offer: ThanksOffer) -> ThanksOffer:
    """Store a new thanks offer and return it with its id."""
    session.add(offer)
    await session.flush()
    return offer


async def pending_for(session: AsyncSession, person: Person) -> list[ThanksOffer]:
    """Return the thanks waiting for ``person`` to accept or decline, oldest first."""
    rows = await session.scalars(
        select(ThanksOffer)
        .where(
            ThanksOffer.workspace_id == person.workspace_id,
            ThanksOffer.to_person_id == person.id,
            ThanksOffer.status == "pending",
        )
        .order_by(ThanksOffer.id)
    )
    return list(rows)


async def get_offer(session: AsyncSession, thanks_id: int) -> ThanksOffer | None:
    """Return thanks offer ``thanks_id`` (any workspace: the caller checks whose it is)."""
    return await session.get(ThanksOffer, thanks_id)


async def giver_of(session: AsyncSession, offer: ThanksOffer) -> Person | None:
    """Return the person who offered the thanks (None if they were deleted)."""
    return await session.get(Person, offer.from_person_id)
