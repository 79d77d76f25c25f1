"""Saving a draft: the same draft again updates its saved copy; a new vent's draft is a new one."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.coaching.conversation import ConversationService
from bot.coaching.offline import OfflineCoach
from bot.coaching.pipeline import SafetyPipeline
from bot.safety.gate import SafetyGate
from bot.safety.redaction import get_redactor
from bot.store.models import DraftRecord
from bot.store.people import PersonRef

ME = PersonRef("local", "local", "me")
VENT = (
    "The Pyxis on 4 West ran out of heparin flushes three times this week and nursing kept "
    "calling the pharmacy angry. Nobody owns the par levels and I'm tired of being yelled at "
    "for something I can't fix. We should review the par levels every month."
)
OTHER_VENT = (
    "We were short two techs on nights again and the IV room queue backed up for four hours. "
    "I stayed late to cover and nobody even noticed, and it keeps happening every weekend."
)


async def saved(sessions: async_sessionmaker[AsyncSession]) -> list[DraftRecord]:
    async with sessions() as session:
        return list(await session.scalars(select(DraftRecord).order_by(DraftRecord.id)))


async def test_saving_again_after_a_change_updates_the_saved_copy(
    sessions: async_sessionmaker[AsyncSession], conversations: ConversationService
) -> None:
    await conversations.message(ME, VENT)
    first = await conversations.save(ME, ref=None)
    role = "I can run the monthly par review with the 4 West charge nurse."
    await conversations.edit(ME, {"role": role}, ref=None)
    again = await conversations.save(ME, ref=None)
    assert again.draft_id == first.draft_id
    [record] = await saved(sessions)
    assert record.my_role == "I can run the monthly par review with the 4 West charge nurse."


async def test_a_reopened_draft_saved_unchanged_is_not_duplicated(
    sessions: async_sessionmaker[AsyncSession], conversations: ConversationService
) -> None:
    await conversations.message(ME, VENT)
    draft_id = (await conversations.save(ME, ref=None)).draft_id
    await conversations.start_over(ME, ref=None)
    await conversations.message(ME, OTHER_VENT)  # a new vent: a new, unsaved draft in progress
    reopened = await conversations.reopen(ME, draft_id)
    assert reopened.set_aside_id is not None  # the unsaved new draft was kept
    assert (await conversations.save(ME, ref=None)).draft_id == draft_id
    assert len(await saved(sessions)) == 2


async def test_a_new_vents_draft_is_saved_as_a_new_draft(
    sessions: async_sessionmaker[AsyncSession], conversations: ConversationService
) -> None:
    await conversations.message(ME, VENT)
    first = await conversations.save(ME, ref=None)
    await conversations.start_over(ME, ref=None)  # /new, or Discard
    await conversations.message(ME, OTHER_VENT)
    second = await conversations.save(ME, ref=None)
    assert second.draft_id != first.draft_id
    problems = [record.problem for record in await saved(sessions)]
    assert len(problems) == 2 and problems[0] != problems[1]


async def test_a_short_message_the_next_day_starts_a_new_draft(sessions) -> None:
    import datetime as dt

    now = [dt.datetime(2026, 11, 26, 7, 0, tzinfo=dt.UTC)]
    pipeline = SafetyPipeline(
        coach=OfflineCoach(), gate=SafetyGate(redactor=get_redactor(), eap_contact=None)
    )
    service = ConversationService(sessions=sessions, pipeline=pipeline, clock=lambda: now[0])
    first = (await service.message(ME, VENT)).reply
    assert first.draft is not None
    now[0] += dt.timedelta(hours=1)  # an hour later, a short message answers the questions
    await service.message(ME, "About 5 times, mostly on weekends.")
    assert "heparin" in ((await service.state(ME)).draft or first.draft).problem.lower()
    now[0] += dt.timedelta(hours=20)  # the next shift: the same short length is a new vent
    second = (await service.message(ME, OTHER_VENT)).reply
    assert second.draft is not None
    state = await service.state(ME)
    assert state.messages == [state.messages[0]] and "heparin" not in state.messages[0].lower()
