import datetime as dt

import pytest
from sqlalchemy import select

from bot.errors import UserError
from bot.store.database import transaction
from bot.store.models import DraftRecord, Win
from bot.store.people import get_or_create_person, get_or_create_workspace
from bot.wins.errors import EmptyWin, FutureDate, NotFound
from bot.wins.identity import PersonRef
from bot.wins.parsing import WinDraft
from bot.wins.service import WinsService, needs_followup, read_date
from tests.helpers.clock import TODAY, fixed_clock, no_redaction


async def test_add_stores_a_structured_win(wins, me, sessions):
    captured = await wins.add(me, "trained 2 new techs on the IV hood this week")
    win = captured.win
    assert win.id is not None
    assert (win.category, win.numbers, win.occurred_on) == (
        "trained_mentored",
        {"people_trained": 2},
        TODAY,
    )
    assert win.source == "command"
    assert captured.followup is None  # it has a figure
    async with sessions() as session:
        stored = await session.get(Win, win.id)
    assert stored is not None and stored.what == "trained 2 new techs on the IV hood this week"


async def test_a_win_without_figure_or_result_asks_once_and_accepts_skip(wins, me):
    captured = await wins.add(me, "helped the night shift with the carousel")
    assert captured.followup is not None
    assert "How many?" in captured.followup and "What changed" in captured.followup
    same = await wins.complete_followup(me, captured.win.id, "skip")
    assert same.result is None and same.numbers == {}
    # asking is a pure decision the caller makes once; skipping does not store anything
    assert needs_followup(same) is not None


async def test_followup_answer_becomes_the_result_with_figures(wins, me):
    captured = await wins.add(me, "trained new techs on the IV hood")
    assert captured.followup is not None
    win = await wins.complete_followup(me, captured.win.id, "3")
    assert win.result == "3 people trained"
    assert win.numbers == {"people_trained": 3}
    assert needs_followup(win) is None
    other = await wins.add(me, "fixed the label printer queue")
    answered = await wins.complete_followup(me, other.win.id, "no more reprints, saving 5 hours")
    assert answered.result == "no more reprints, saving 5 hours"
    assert answered.numbers == {"hours_saved": 5}


async def test_recognition_and_certification_need_no_followup(wins, me):
    thanked = await wins.add(me, "the ICU nurse manager thanked me for the restock")
    assert thanked.win.category == "recognition"
    assert thanked.followup is None


async def test_a_win_with_no_text_asks_for_one(wins, me):
    for text in ("", "   \n"):
        with pytest.raises(EmptyWin, match="what you did"):
            await wins.add(me, text)


async def test_a_future_date_is_refused_with_the_reason(wins, me):
    with pytest.raises(FutureDate, match=r"2026-12-01 is in the future \(today is 2026-11-25\)"):
        await wins.add(me, "covered a shift", occurred_on=dt.date(2026, 12, 1))
    with pytest.raises(FutureDate):
        await wins.add(me, "covered a shift on 2027-01-05")
    assert await wins.list_wins(me) == []


async def test_today_is_where_the_person_is(sessions, me):
    # 02:00 UTC on the 26th is still the evening of the 25th in Chicago.
    late = dt.datetime(2026, 11, 26, 2, 0, tzinfo=dt.UTC)
    service = WinsService(
        sessions, redact=no_redaction, clock=lambda: late, default_timezone="America/Chicago"
    )
    captured = await service.add(me, "covered a double")
    assert captured.win.occurred_on == dt.date(2026, 11, 25)
    with pytest.raises(FutureDate):
        await service.add(me, "covered a double", occurred_on=dt.date(2026, 11, 26))


async def test_the_text_date_and_explicit_options(wins, me):
    win = (await wins.add(me, "caught 2 wrong doses last Friday")).win
    assert win.occurred_on == dt.date(2026, 11, 20)
    explicit = (
        await wins.add(
            me,
            "updated the crash cart checklist because of the audit",
            why="the surveyors flagged it",
            result="passed the re-check",
            category="process",
            leadership="big",
            occurred_on=dt.date(2026, 11, 2),
        )
    ).win
    # with an explicit why/result the text is kept whole as "what I did"
    assert explicit.what == "updated the crash cart checklist because of the audit"
    assert (explicit.why, explicit.result) == ("the surveyors flagged it", "passed the re-check")
    assert (explicit.category, explicit.leadership) == ("process_improvement", "big")
    assert explicit.occurred_on == dt.date(2026, 11, 2)


async def test_unknown_category_or_source_lists_accepted(wins, me):
    with pytest.raises(UserError, match="use one of trained_mentored"):
        await wins.add(me, "did a thing", category="heroics")
    with pytest.raises(UserError, match="chat, nudge, command, form"):
        await wins.add(me, "did a thing", source="fax")


async def test_a_10000_character_win_is_stored_whole(wins, me, sessions):
    text = "restocked the ICU towers " + "and checked every pocket " * 420
    assert len(text) >= 10_000
    win = (await wins.add(me, text)).win
    async with sessions() as session:
        stored = await session.get(Win, win.id)
    assert stored is not None and len(stored.what) == len(text.strip())


async def test_text_is_redacted_before_storage(sessions, me):
    service = WinsService(
        sessions, redact=lambda s: s.replace("MRN 4412345", "[MRN]"), clock=fixed_clock
    )
    win = (
        await service.add(
            me, "caught a wrong dose for MRN 4412345", why="label for MRN 4412345 was wrong"
        )
    ).win
    assert "4412345" not in win.what and "4412345" not in (win.why or "")
    assert "[MRN]" in win.what
    # the identifier never became a figure either
    assert win.numbers == {}
    edited = await service.update(me, win.id, result="pharmacist fixed MRN 4412345 order")
    assert edited.result == "pharmacist fixed [MRN] order"


async def test_edit_reads_figures_again_and_clears(wins, me):
    win = (await wins.add(me, "trained 2 new techs")).win
    edited = await wins.update(me, win.id, result="they covered 4 shifts on their own")
    assert edited.numbers == {"people_trained": 2, "shifts_covered": 4}
    edited = await wins.update(me, win.id, what="trained 3 new techs", result="")
    assert edited.result is None
    assert edited.numbers == {"people_trained": 3}
    moved = await wins.update(me, win.id, occurred_on=dt.date(2026, 1, 5), category="go-to")
    assert (moved.occurred_on, moved.category) == (dt.date(2026, 1, 5), "go_to_person")
    with pytest.raises(EmptyWin):
        await wins.update(me, win.id, what=" ")
    with pytest.raises(FutureDate):
        await wins.update(me, win.id, occurred_on=dt.date(2027, 1, 1))


async def test_delete_and_not_found(wins, me):
    win = (await wins.add(me, "caught 1 error")).win
    await wins.delete(me, win.id)
    with pytest.raises(NotFound, match=f"no win #{win.id}"):
        await wins.get(me, win.id)
    with pytest.raises(NotFound):
        await wins.delete(me, win.id)


async def test_nobody_else_can_see_or_change_my_wins(wins, me):
    win = (await wins.add(me, "caught 1 error")).win
    other = PersonRef("local", "local", "someone-else")
    with pytest.raises(NotFound):
        await wins.get(other, win.id)
    with pytest.raises(NotFound):
        await wins.update(other, win.id, what="mine now")
    with pytest.raises(NotFound):
        await wins.delete(other, win.id)
    assert await wins.list_wins(other) == []
    assert [w.id for w in await wins.list_wins(me)] == [win.id]


async def test_list_by_period_and_category(wins, me):
    old = (await wins.add(me, "trained 1 new tech", occurred_on=dt.date(2025, 1, 10))).win
    recent = (await wins.add(me, "trained 2 new techs", occurred_on=dt.date(2026, 11, 1))).win
    error = (await wins.add(me, "caught 3 errors", occurred_on=dt.date(2026, 11, 20))).win
    everything = await wins.list_wins(me)
    assert [w.id for w in everything] == [error.id, recent.id, old.id]  # newest first
    in_period = await wins.list_wins(me, start=dt.date(2026, 10, 27), end=TODAY)
    assert [w.id for w in in_period] == [error.id, recent.id]
    trained = await wins.list_wins(me, category="trained")
    assert [w.id for w in trained] == [recent.id, old.id]


async def _draft_for(sessions, me: PersonRef) -> int:
    async with transaction(sessions) as session:
        workspace = await get_or_create_workspace(session, me.platform, me.workspace)
        person = await get_or_create_person(session, workspace, me.user)
        draft = DraftRecord(
            workspace_id=workspace.id,
            person_id=person.id,
            problem="the ICU tower runs out of heparin flushes every weekend",
            proposed_fix="raise the par level to 40",
            my_role="I proposed it and led the pilot",
            themes=["adc_stockouts"],
        )
        session.add(draft)
        await session.flush()
        return draft.id


async def test_a_win_from_a_saved_draft_once_the_result_is_known(wins, me, sessions):
    draft_id = await _draft_for(sessions, me)
    with pytest.raises(UserError, match="needs its result"):
        await wins.from_draft(me, draft_id, result=" ")
    captured = await wins.from_draft(
        me, draft_id, result="weekend stockouts dropped from 6 to 1; saved 3 hours a week"
    )
    win = captured.win
    assert win.draft_id == draft_id
    assert win.what == "raise the par level to 40 — I proposed it and led the pilot"
    assert win.why == "the ICU tower runs out of heparin flushes every weekend"
    assert win.leadership == "big"
    assert win.numbers["hours_saved"] == 3
    assert captured.followup is None
    other = PersonRef("local", "local", "someone-else")
    with pytest.raises(NotFound):
        await wins.from_draft(other, draft_id, result="took credit")


class ModelParser:
    """A stand-in for the OpenAI parser: better wording, one invented figure, a bad category."""

    name = "openai"

    async def parse(self, text: str, *, today: dt.date) -> WinDraft:
        return WinDraft(
            what="Trained two new technicians on the IV hood",
            why=None,
            result="Weekend coverage for sterile compounding",
            numbers={"people_trained": 2, "errors_caught": 7},
            category="not-a-category",
            leadership="little",
            occurred_on=None,
        )


async def test_a_model_parser_is_used_but_cannot_invent_figures(sessions, me):
    service = WinsService(sessions, parser=ModelParser(), redact=no_redaction, clock=fixed_clock)
    win = (await service.add(me, "trained 2 new techs on the IV hood")).win
    assert win.what == "Trained two new technicians on the IV hood"
    assert win.numbers == {"people_trained": 2}  # 7 errors appear nowhere in the text
    assert win.category == "trained_mentored"  # its unknown category fell back to the cues
    async with sessions() as session:
        count = len((await session.scalars(select(Win))).all())
    assert count == 1


def test_read_date_refuses_what_it_cannot_read():
    assert read_date("yesterday", today=TODAY) == dt.date(2026, 11, 24)
    with pytest.raises(UserError, match="YYYY-MM-DD"):
        read_date("someday", today=TODAY)


async def test_the_real_redactor_runs_before_storage_and_the_date_survives_it(sessions, me):
    service = WinsService(sessions, clock=fixed_clock)  # the project's redactor
    text = "caught 3 dosing errors for MRN 00482913 on 2026-11-20, Mr. Lopez's order"
    win = (await service.add(me, text)).win
    async with sessions() as session:
        stored = await session.get(Win, win.id)
    assert stored is not None
    assert "00482913" not in stored.what and "Lopez" not in stored.what
    assert "[MRN]" in stored.what and "[NAME]" in stored.what
    # the redactor masks full dates, so the date is read from the text before redaction
    assert stored.occurred_on == dt.date(2026, 11, 20)
    assert stored.numbers == {"errors_caught": 3}


async def _stored_shared(sessions, win_id: int) -> bool:
    async with sessions() as session:
        stored = await session.get(Win, win_id)
    assert stored is not None
    return stored.shared


async def test_a_win_is_private_unless_the_person_shares_it(wins, me, sessions):
    private = (await wins.add(me, "fixed the label printer queue")).win
    shared = (await wins.add(me, "trained 2 new techs on the IV hood", shared=True)).win
    assert await _stored_shared(sessions, private.id) is False
    assert await _stored_shared(sessions, shared.id) is True


async def test_editing_keeps_the_sharing_choice_unless_it_is_changed(wins, me, sessions):
    win = (await wins.add(me, "trained 2 new techs on the IV hood", shared=True)).win
    await wins.update(me, win.id, result="both can cover nights", leadership="big")
    assert await _stored_shared(sessions, win.id) is True
    await wins.update(me, win.id, shared=False)
    assert await _stored_shared(sessions, win.id) is False
    edited = await wins.update(me, win.id, shared=True)
    assert edited.shared is True and await _stored_shared(sessions, win.id) is True


async def test_nobody_else_can_share_my_win(wins, me, sessions):
    win = (await wins.add(me, "caught 3 dosing errors")).win
    with pytest.raises(NotFound):
        await wins.update(PersonRef("local", "local", "someone-else"), win.id, shared=True)
    assert await _stored_shared(sessions, win.id) is False
