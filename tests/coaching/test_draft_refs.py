"""Which draft is current: every operation takes the ref it was shown with and returns the next."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.coaching.conversation import ConversationService, NoDraftError, StaleDraftError
from bot.errors import UserError
from bot.store.models import DraftRecord
from bot.store.people import PersonRef

ME = PersonRef("slack", "T0REFS", "U0REFS")
VENT = (
    "The Pyxis on 4 West ran out of heparin flushes three times this week and nursing kept "
    "calling the pharmacy angry. Nobody owns the par levels and I'm tired of being yelled at "
    "for something I can't fix. We should review the par levels every month."
)
OTHER_VENT = (
    "We were short two techs on nights again and the IV room queue backed up for four hours. "
    "I stayed late to cover and nobody even noticed, and it keeps happening every weekend."
)
ROLE = "I can run the monthly par review with the 4 West charge nurse."


async def _saved(sessions: async_sessionmaker[AsyncSession]) -> list[DraftRecord]:
    async with sessions() as session:
        return list(await session.scalars(select(DraftRecord).order_by(DraftRecord.id)))


async def _draft_ref(conversations: ConversationService) -> str:
    turn = await conversations.message(ME, VENT)
    assert turn.reply.kind == "draft" and turn.ref is not None
    return turn.ref


async def test_each_returned_ref_is_the_one_the_next_call_accepts(
    conversations: ConversationService,
) -> None:
    first = await _draft_ref(conversations)

    refined = await conversations.refine(ME, "shorter", ref=first)
    assert refined.ref is not None and refined.ref != first
    edited = await conversations.edit(ME, {"role": ROLE}, ref=refined.ref)
    assert edited.ref is not None and edited.ref not in (first, refined.ref)
    assert edited.reply.draft is not None and edited.reply.draft.my_role == ROLE

    # Showing, saving or copying the draft does not change it: the same ref keeps working.
    current = await conversations.current_draft(ME, ref=edited.ref)
    assert current.ref == edited.ref and current.draft.my_role == ROLE
    saved = await conversations.save(ME, ref=edited.ref)
    assert saved.ref == edited.ref and saved.draft.my_role == ROLE
    for_manager = await conversations.manager_text(ME, ref=saved.ref)
    assert for_manager.ref == edited.ref and ROLE in for_manager.text
    assert (await conversations.refine(ME, "formal", ref=for_manager.ref)).ref


@pytest.mark.parametrize("operation", ["refine", "edit", "save", "manager", "show", "discard"])
async def test_an_older_ref_is_refused_and_changes_nothing(
    conversations: ConversationService,
    sessions: async_sessionmaker[AsyncSession],
    operation: str,
) -> None:
    old = await _draft_ref(conversations)
    newer = await conversations.refine(ME, "shorter", ref=old)
    before = await conversations.state(ME)

    with pytest.raises(StaleDraftError) as raised:
        match operation:
            case "refine":
                await conversations.refine(ME, "formal", ref=old)
            case "edit":
                await conversations.edit(ME, {"role": ROLE}, ref=old)
            case "save":
                await conversations.save(ME, ref=old)
            case "manager":
                await conversations.manager_text(ME, ref=old)
            case "show":
                await conversations.current_draft(ME, ref=old)
            case "discard":
                await conversations.start_over(ME, ref=old)

    assert isinstance(raised.value, UserError)
    assert raised.value.draft_in_progress
    assert "isn't the current one" in str(raised.value)
    assert await conversations.state(ME) == before
    assert before.ref == newer.ref
    assert await _saved(sessions) == []


async def test_a_ref_after_the_draft_was_discarded_is_stale_without_a_draft_in_progress(
    conversations: ConversationService,
) -> None:
    ref = await _draft_ref(conversations)
    await conversations.start_over(ME, ref=ref)

    with pytest.raises(StaleDraftError) as raised:
        await conversations.save(ME, ref=ref)
    assert not raised.value.draft_in_progress
    # Without a ref there is simply no draft to act on.
    with pytest.raises(NoDraftError):
        await conversations.save(ME, ref=None)


async def test_no_ref_means_the_current_draft(conversations: ConversationService) -> None:
    first = await _draft_ref(conversations)
    refined = await conversations.refine(ME, "shorter", ref=None)
    assert refined.ref != first
    saved = await conversations.save(ME, ref=None)
    assert saved.ref == refined.ref


async def test_a_crisis_message_leaves_no_current_draft(conversations: ConversationService) -> None:
    ref = await _draft_ref(conversations)

    crisis = await conversations.message(ME, "I want to kill myself tonight")

    assert crisis.reply.kind == "crisis" and crisis.ref is None
    with pytest.raises(StaleDraftError):
        await conversations.refine(ME, "shorter", ref=ref)


async def test_editing_several_fields_is_one_new_version(
    conversations: ConversationService,
) -> None:
    ref = await _draft_ref(conversations)
    fix = "Review the 4 West par levels with nursing every month."

    edited = await conversations.edit(ME, {"proposed_fix": fix, "my_role": ROLE}, ref=ref)

    assert edited.reply.draft is not None
    assert (edited.reply.draft.proposed_fix, edited.reply.draft.my_role) == (fix, ROLE)
    state = await conversations.state(ME)
    assert state.ref == edited.ref and state.draft == edited.reply.draft
    with pytest.raises(UserError, match="Choose a field"):
        await conversations.edit(ME, {"title": "x"}, ref=edited.ref)


async def test_reopen_returns_the_ref_its_buttons_use(conversations: ConversationService) -> None:
    ref = await _draft_ref(conversations)
    draft_id = (await conversations.save(ME, ref=ref)).draft_id
    await conversations.start_over(ME, ref=ref)
    other = await conversations.message(ME, OTHER_VENT)

    reopened = await conversations.reopen(ME, draft_id)

    assert reopened.ref not in (ref, other.ref)
    assert reopened.draft_id == draft_id
    with pytest.raises(StaleDraftError):
        await conversations.save(ME, ref=other.ref)  # the draft set aside is not current
    refined = await conversations.refine(ME, "formal", ref=reopened.ref)
    assert (await conversations.save(ME, ref=refined.ref)).draft_id == draft_id


async def test_saving_the_same_draft_twice_updates_one_row(
    conversations: ConversationService, sessions: async_sessionmaker[AsyncSession]
) -> None:
    ref = await _draft_ref(conversations)
    first = await conversations.save(ME, ref=ref)
    edited = await conversations.edit(ME, {"role": ROLE}, ref=first.ref)

    again = await conversations.save(ME, ref=edited.ref)
    twice = await conversations.save(ME, ref=edited.ref)

    assert first.draft_id == again.draft_id == twice.draft_id
    [record] = await _saved(sessions)
    assert record.my_role == ROLE
