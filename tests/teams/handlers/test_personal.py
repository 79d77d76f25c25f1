"""The 1:1 chat: coaching, draft buttons and typed commands, over real HTTP with the real SDK."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.store.models import DraftRecord, Person, TeamsConversationRef, Win
from bot.teams import verbs
from tests.helpers.teams_stack import TeamsStack, card_text, last_card, verbs_of

VENT = (
    "The Pyxis on 4 West was out of heparin flushes again and nursing blamed us. We restocked it "
    "yesterday. The par levels are just wrong."
)


def _card_response(body: dict[str, Any]) -> dict[str, Any]:
    assert body["type"] == "application/vnd.microsoft.card.adaptive", body
    card: dict[str, Any] = body["value"]
    return card


async def _rows(teams: TeamsStack, model: type) -> list[Any]:
    async with teams.runtime.sessions() as session:
        return list(await session.scalars(select(model)))


async def _ref(teams: TeamsStack) -> str:
    state = await teams.services.conversations.state(teams.who)
    assert state.ref is not None
    return state.ref


async def test_a_vent_gets_typing_then_a_draft_card_with_buttons(teams: TeamsStack) -> None:
    sent = await teams.say(VENT)
    assert sent[0]["type"] == "typing"
    card = last_card(sent)
    text = card_text(card)
    for heading in ("Problem", "Proposed fix", "My role"):
        assert heading in text
    assert {verbs.DRAFT_SAVE, verbs.DRAFT_REFINE, verbs.DRAFT_MANAGER, verbs.DRAFT_NEW} <= verbs_of(
        card
    )
    # Replies go to the conversation the vent came from, through its service URL.
    assert {call.conversation_id for call in teams.connector.calls} == {teams.pat.personal_id}
    [ref] = await _rows(teams, TeamsConversationRef)
    assert ref.conversation_id == teams.pat.personal_id
    assert ref.service_url.rstrip("/") == teams.connector.url.rstrip("/")
    assert ref.person_id is not None


async def test_a_redelivered_message_is_answered_once(teams: TeamsStack) -> None:
    activity = teams.pat.message(VENT)
    for _ in range(2):
        assert (await teams.post(activity)).status_code == 200
    assert sum(1 for a in teams.connector.activities() if a.get("attachments")) == 1


async def test_save_replaces_the_card_and_stores_the_draft(teams: TeamsStack) -> None:
    await teams.say(VENT)
    ref = await _ref(teams)
    card = _card_response(await teams.press(verbs.DRAFT_SAVE, {verbs.REF: ref}))
    [draft] = await _rows(teams, DraftRecord)
    assert f"#{draft.id}" in card_text(card)
    assert "heparin" in draft.problem.lower() or "pyxis" in draft.problem.lower()


async def test_a_button_from_an_older_draft_changes_nothing(teams: TeamsStack) -> None:
    await teams.say(VENT)
    old = await _ref(teams)
    await teams.press(verbs.DRAFT_REFINE, {verbs.REF: old, verbs.REFINEMENT: "shorter"})
    body = await teams.press(verbs.DRAFT_SAVE, {verbs.REF: old})
    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert "older version" in body["value"]
    assert await _rows(teams, DraftRecord) == []


@pytest.mark.parametrize("verb", [verbs.DRAFT_MANAGER, verbs.DRAFT_NEW])
async def test_manager_and_start_over_from_an_older_card_leave_the_newer_draft(
    teams: TeamsStack, verb: str
) -> None:
    await teams.say(VENT)
    old = await _ref(teams)
    await teams.press(verbs.DRAFT_REFINE, {verbs.REF: old, verbs.REFINEMENT: "shorter"})
    newer = await teams.services.conversations.state(teams.who)
    before = len(teams.connector.activities())
    body = await teams.press(verb, {verbs.REF: old})
    assert "older version" in body["value"]
    assert teams.connector.activities()[before:] == []  # no manager message was posted
    after = await teams.services.conversations.state(teams.who)
    assert after.draft == newer.draft and after.ref == newer.ref


async def test_refine_shows_the_new_version_in_place(teams: TeamsStack) -> None:
    await teams.say(VENT)
    ref = await _ref(teams)
    card = _card_response(
        await teams.press(verbs.DRAFT_REFINE, {verbs.REF: ref, verbs.REFINEMENT: "formal"})
    )
    new_ref = await _ref(teams)
    assert new_ref != ref
    assert new_ref in str(card)  # the new card's buttons name the new version


async def test_edit_rewrites_a_field(teams: TeamsStack) -> None:
    await teams.say(VENT)
    ref = await _ref(teams)
    wanted = "I will recount the 4 West heparin par levels with nursing on Tuesday."
    card = _card_response(await teams.press(verbs.DRAFT_EDIT, {verbs.REF: ref, "my_role": wanted}))
    assert wanted in card_text(card)
    state = await teams.services.conversations.state(teams.who)
    assert state.draft is not None and state.draft.my_role == wanted


async def test_manager_posts_the_message_and_keeps_the_draft(teams: TeamsStack) -> None:
    await teams.say(VENT)
    before = len(teams.connector.activities())
    body = await teams.press(verbs.DRAFT_MANAGER, {verbs.REF: await _ref(teams)})
    assert "Problem" in card_text(_card_response(body))
    [posted] = teams.connector.activities()[before:]
    assert "manager" in card_text(last_card([posted])).lower()


async def test_start_over_drops_the_draft(teams: TeamsStack) -> None:
    await teams.say(VENT)
    await teams.press(verbs.DRAFT_NEW, {verbs.REF: await _ref(teams)})
    state = await teams.services.conversations.state(teams.who)
    assert state.draft is None


async def test_a_crisis_message_gets_resources_and_no_buttons(teams: TeamsStack) -> None:
    sent = await teams.say("I want to kill myself tonight")
    card = last_card(sent)
    assert "988" in card_text(card)
    assert verbs_of(card) == set()


async def test_a_check_in_mid_draft_asks_and_a_no_brings_the_draft_back(
    teams: TeamsStack,
) -> None:
    await teams.say(VENT)
    ref = await _ref(teams)

    asked = last_card(await teams.say("i cant do this anymore"))
    assert "suicide" in card_text(asked) and "988" in card_text(asked)
    assert verbs_of(asked) == set()

    resumed = last_card(await teams.say("no, just work"))
    assert "Back to the draft" in card_text(resumed) and "Problem" in card_text(resumed)
    assert verbs.DRAFT_SAVE in verbs_of(resumed)
    assert ref in str(resumed)  # the same draft version: its buttons still work


async def test_help_and_an_empty_message(teams: TeamsStack) -> None:
    card = last_card(await teams.say("help"))
    assert {verbs.WIN_OPEN, verbs.IMPACT_SHOW, verbs.SETTINGS_OPEN} <= verbs_of(card)
    [prompt] = await teams.say("   ")
    assert "what happened" in prompt["text"].lower()


async def test_win_command_logs_a_win(teams: TeamsStack) -> None:
    sent = await teams.say("win trained 2 new techs on the IV hood this week")
    assert "trained 2 new techs" in card_text(last_card(sent))
    [win] = await _rows(teams, Win)
    assert win.source == "chat" and "2 new techs" in win.what
    listed = last_card(await teams.say("wins"))
    assert "trained 2 new techs" in card_text(listed)
    [usage] = await teams.say("win")
    assert "win trained" in usage["text"]


async def test_a_win_in_crisis_gets_the_resources_and_nothing_is_stored(teams: TeamsStack) -> None:
    sent = await teams.say(
        "win finished my last shift, gave away my badge, i wont be a problem soon"
    )
    shown = " ".join(card_text(item) if item.get("attachments") else item["text"] for item in sent)
    assert "988" in shown
    assert await _rows(teams, Win) == []


async def test_impact_command_and_a_bad_period(teams: TeamsStack) -> None:
    await teams.say("win caught a tenfold heparin dose error before it left the pharmacy")
    card = last_card(await teams.say("impact 90d"))
    assert "tenfold" in card_text(card)
    [error] = await teams.say("impact fortnight")
    assert "fortnight" in error["text"] and "30d" in error["text"]


async def test_impact_button_posts_a_summary(teams: TeamsStack) -> None:
    await teams.say("win covered two extra night shifts during the flu surge")
    body = await teams.press(verbs.IMPACT_SHOW, {verbs.PERIOD: "30d"})
    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert "night shifts" in card_text(last_card(teams.connector.activities()))


async def test_unknown_and_mangled_buttons_get_a_note(teams: TeamsStack) -> None:
    body = await teams.press("no.such.verb", {})
    assert "out of date" in body["value"]
    body = await teams.press(verbs.DRAFT_SAVE, {verbs.REF: "x"})
    assert body["type"] == "application/vnd.microsoft.activity.message"


async def test_a_failing_service_gets_a_brief_apology_not_a_500(
    teams: TeamsStack, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(*_: object, **__: object) -> None:
        raise RuntimeError("secret vent text must not be logged")

    monkeypatch.setattr(teams.services.conversations, "message", broken)
    sent = await teams.say(VENT)
    assert "went wrong on my side" in sent[-1]["text"]
    assert "secret vent text" not in caplog.text
    assert "RuntimeError" in caplog.text


async def test_the_teams_client_zone_is_the_default_until_the_person_chooses_one(
    teams: TeamsStack,
) -> None:
    async def zone() -> str | None:
        [person] = await _rows(teams, Person)
        return person.timezone

    await teams.say("help")
    assert await zone() == "America/Phoenix"
    settings = await teams.press(verbs.SETTINGS_OPEN)
    assert settings["type"] == "application/vnd.microsoft.activity.message"
    assert "America/Phoenix" in str(last_card(teams.connector.activities()))
    await teams.press(
        verbs.SETTINGS_SAVE,
        {verbs.IN_WEEKDAY: "4", verbs.IN_TIME: "14:00", verbs.IN_TIMEZONE: "America/New_York"},
    )
    teams.pat.client_timezone = "Europe/Paris"  # travelling: the chosen zone stays
    await teams.say("help")
    assert await zone() == "America/New_York"
    teams.pat.client_timezone = "Not/AZone"
    await teams.say("wins")
    assert await zone() == "America/New_York"


async def test_home_lists_saved_drafts_and_open_makes_one_current_again(teams: TeamsStack) -> None:
    await teams.say(VENT)
    await teams.press(verbs.DRAFT_SAVE, {verbs.REF: await _ref(teams)})
    [saved] = await _rows(teams, DraftRecord)
    await teams.say("new")
    assert (await teams.services.conversations.state(teams.who)).draft is None

    home = last_card(await teams.say("home"))
    assert f"#{saved.id}" in card_text(home)
    assert verbs.DRAFT_OPEN in verbs_of(home)

    before = len(teams.connector.activities())
    body = await teams.press(verbs.DRAFT_OPEN, {verbs.DRAFT_ID: str(saved.id)})
    assert f"#{saved.id}" in body["value"]
    [posted] = teams.connector.activities()[before:]
    card = last_card([posted])
    state = await teams.services.conversations.state(teams.who)
    assert state.draft is not None and state.draft.problem == saved.problem
    assert state.ref is not None and state.ref in str(card)  # its buttons work on it
    # Saving it again updates the saved draft instead of adding one.
    await teams.press(verbs.DRAFT_SAVE, {verbs.REF: state.ref})
    assert len(await _rows(teams, DraftRecord)) == 1


async def test_opening_a_draft_that_is_not_yours_is_refused(teams: TeamsStack) -> None:
    body = await teams.press(verbs.DRAFT_OPEN, {verbs.DRAFT_ID: "999"})
    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert "couldn't find" in body["value"]
    body = await teams.press(verbs.DRAFT_OPEN, {verbs.DRAFT_ID: "x1"})
    assert "out of date" in body["value"]
