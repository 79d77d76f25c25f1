"""Two first messages at once from one person write one coaching-session row, and both answer."""

import asyncio

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.coaching.conversation import ConversationService
from bot.coaching.offline import OfflineCoach
from bot.coaching.pipeline import SafetyPipeline
from bot.safety.gate import SafetyGate
from bot.safety.redaction import get_redactor
from bot.store import conversations as stored
from bot.store.models import CoachingSession, Person
from bot.store.people import PersonRef, resolve_person

VENTS = (
    "The Pyxis on 4 West was out of heparin flushes again and nursing blamed us.",
    "We were short two techs on the night shift and the IV queue backed up for hours.",
)


def _pipeline() -> SafetyPipeline:
    return SafetyPipeline(
        coach=OfflineCoach(), gate=SafetyGate(redactor=get_redactor(), eap_contact=None)
    )


class Lockstep:
    """Makes both conversations read "no row yet" before either writes one.

    Every lookup of the row that finds nothing waits at a barrier for the other conversation,
    so the two transactions interleave exactly as two racing first messages can: both read
    nothing, then both insert.
    """

    def __init__(self, parties: int) -> None:
        self.barrier = asyncio.Barrier(parties)
        self.met = 0
        self.lookup = stored.coaching_session

    async def __call__(self, session: AsyncSession, person_id: int) -> CoachingSession | None:
        row = await self.lookup(session, person_id)
        if row is None:
            async with asyncio.timeout(10):
                await self.barrier.wait()
            self.met += 1
        return row


async def _rows(sessions: async_sessionmaker[AsyncSession]) -> list[CoachingSession]:
    async with sessions() as session:
        return list(await session.scalars(select(CoachingSession)))


async def test_two_first_messages_racing_on_the_row_both_succeed_with_one_row(
    sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    who = PersonRef("slack", "T0RACE", "U0RACE")
    async with sessions() as session, session.begin():
        await resolve_person(session, who)  # known (e.g. opened the Home tab), never coached
    service = ConversationService(sessions=sessions, pipeline=_pipeline())
    lockstep = Lockstep(parties=len(VENTS))
    # Every read of the row (the state read and the write's look-up) goes through the store.
    monkeypatch.setattr(stored, "coaching_session", lockstep)

    turns = await asyncio.gather(*(service.message(who, vent) for vent in VENTS))

    # Both reads of the state and both writes found no row, so both writes tried to insert.
    assert lockstep.met == 2 * len(VENTS)
    assert all(turn.reply.kind in ("draft", "clarify") for turn in turns)
    [row] = await _rows(sessions)
    # The row holds one of the two conversations whole (the later write wins).
    assert row.state["messages"] in ([VENTS[0]], [VENTS[1]])
    assert row.state["ref"] in [turn.ref for turn in turns]
    state = await service.state(who)
    assert state.messages == row.state["messages"]


async def test_many_first_messages_from_a_brand_new_person_make_one_person_and_one_row(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    who = PersonRef("slack", "T0NEWRACE", "U0NEWRACE")
    service = ConversationService(sessions=sessions, pipeline=_pipeline())

    replies = await asyncio.gather(*(service.message(who, VENTS[i % 2]) for i in range(6)))

    assert len(replies) == 6
    assert len(await _rows(sessions)) == 1
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Person)) == 1
