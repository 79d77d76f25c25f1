"""A check-in mid-draft pauses the draft; the answer decides what follows; nothing is stored."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.coaching.conversation import CHECK_IN_EXPIRES, RESUMED, ConversationService
from bot.coaching.offline import OfflineCoach
from bot.coaching.pipeline import SafetyPipeline
from bot.safety.gate import SafetyGate
from bot.safety.redaction import get_redactor
from bot.store.people import PersonRef

ME = PersonRef("slack", "T0CHECK", "U0CHECK")
VENT = (
    "The Pyxis on 4 West ran out of heparin flushes three times this week and nursing kept "
    "calling the pharmacy angry. Nobody owns the par levels. We should review them every month."
)
DESPAIR = "i cant do this anymore"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def service(sessions: async_sessionmaker[AsyncSession], clock: Clock) -> ConversationService:
    gate = SafetyGate(redactor=get_redactor(), eap_contact="EAP 1-800-555-0100")
    pipeline = SafetyPipeline(coach=OfflineCoach(), gate=gate)
    return ConversationService(sessions=sessions, pipeline=pipeline, clock=clock)


async def _stored(service: ConversationService) -> str:
    return (await service.state(ME)).model_dump_json()


async def test_a_check_in_mid_draft_asks_directly_and_pauses_the_draft(
    service: ConversationService,
) -> None:
    drafted = await service.message(ME, VENT)
    before = await service.state(ME)

    turn = await service.message(ME, DESPAIR)

    assert turn.reply.kind == "check_in"
    assert "suicide" in turn.reply.acknowledgement
    assert "988" in turn.reply.acknowledgement and "741741" in turn.reply.acknowledgement
    assert (
        "911" in turn.reply.acknowledgement and "EAP 1-800-555-0100" in turn.reply.acknowledgement
    )
    assert turn.reply.draft is None and turn.reply.questions == []
    assert turn.ref == drafted.ref
    after = await service.state(ME)
    assert after.draft == before.draft and after.messages == before.messages
    assert after.check_in_at is not None
    assert "anymore" not in await _stored(service)


@pytest.mark.parametrize("answer", ["no, just work", "no im ok just tired", "nah"])
async def test_a_no_resumes_the_same_draft_and_stores_nothing_of_it(
    service: ConversationService, answer: str
) -> None:
    drafted = await service.message(ME, VENT)
    await service.message(ME, DESPAIR)

    turn = await service.message(ME, answer)

    assert turn.reply.kind == "draft" and turn.reply.acknowledgement == RESUMED
    assert turn.reply.draft == drafted.reply.draft
    assert turn.ref == drafted.ref
    state = await service.state(ME)
    assert state.check_in_at is None
    assert state.messages == [VENT]
    # The same draft buttons still work.
    refined = await service.refine(ME, "shorter", ref=drafted.ref)
    assert refined.reply.kind == "draft"


@pytest.mark.parametrize(
    "answer", ["yes", "yeah kind of", "maybe", "i cant stop thinking about dying"]
)
async def test_a_yes_a_maybe_or_worse_gets_the_crisis_reply(
    service: ConversationService, answer: str
) -> None:
    await service.message(ME, VENT)
    await service.message(ME, DESPAIR)

    turn = await service.message(ME, answer)

    assert turn.reply.kind == "crisis" and "988" in turn.reply.acknowledgement
    assert turn.ref is None
    state = await service.state(ME)
    assert state.draft is None and state.check_in_at is None


async def test_another_despairing_answer_is_not_asked_twice(service: ConversationService) -> None:
    await service.message(ME, DESPAIR)

    turn = await service.message(ME, "whats the point")

    assert turn.reply.kind == "crisis"


async def test_any_other_text_after_a_check_in_is_coached_as_usual(
    service: ConversationService,
) -> None:
    await service.message(ME, DESPAIR)

    turn = await service.message(ME, VENT)

    assert turn.reply.kind == "draft"
    state = await service.state(ME)
    assert state.check_in_at is None and state.messages == [VENT]


async def test_a_check_in_left_unanswered_expires(
    service: ConversationService, clock: Clock
) -> None:
    await service.message(ME, VENT)
    await service.message(ME, DESPAIR)
    clock.now += CHECK_IN_EXPIRES + dt.timedelta(minutes=1)

    turn = await service.message(ME, "yes")

    assert turn.reply.kind != "crisis"


async def test_a_check_in_before_any_draft_resumes_with_an_invitation(
    service: ConversationService,
) -> None:
    asked = await service.message(ME, "i'm done")
    assert asked.reply.kind == "check_in" and asked.ref is None

    turn = await service.message(ME, "no, just work")

    assert turn.reply.kind == "clarify" and turn.reply.acknowledgement.startswith("Thanks")
    assert (await service.state(ME)).messages == []


async def test_a_check_in_in_an_edited_field_leaves_the_draft_as_it_was(
    service: ConversationService,
) -> None:
    drafted = await service.message(ME, VENT)

    turn = await service.edit(ME, {"problem": DESPAIR}, ref=drafted.ref)

    assert turn.reply.kind == "check_in" and turn.ref == drafted.ref
    assert (await service.state(ME)).draft == drafted.reply.draft


async def test_a_lone_surrogate_is_stored_cleaned_and_the_next_message_works(
    service: ConversationService,
) -> None:
    broken = "Short two techs on nights again \ud83d and the IV room queue backed up for hours."

    first = await service.message(ME, broken)
    second = await service.message(ME, VENT)

    assert first.reply.kind in ("draft", "clarify") and second.reply.kind == "draft"
    stored = await _stored(service)
    assert "\\ud83d" not in stored
    (await service.state(ME)).model_dump_json().encode("utf-8")


async def test_nul_bidi_and_zero_width_characters_never_reach_storage(
    service: ConversationService,
) -> None:
    await service.message(ME, "Short two\x00 techs\u202e on nights\u200b again, queue backed up.")

    state = await service.state(ME)
    text = " ".join(state.messages)
    assert "techs on nights again" in text
    assert not any(char in text for char in "\x00\u202e\u200b")
