"""The "Log a win" dialog, and what happens when Step Up is installed or removed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.store.models import Person, TeamsConversationRef, Win
from bot.teams import verbs
from tests.helpers.teams_activities import CHANNEL_ID
from tests.helpers.teams_stack import TeamsStack, card_text, last_card, verbs_of


async def _open(teams: TeamsStack, *, channel: bool = False) -> dict[str, Any]:
    data = {"msteams": {"type": "task/fetch"}, "verb": verbs.WIN_OPEN, verbs.SOURCE: "nudge"}
    response = await teams.post(teams.pat.task("task/fetch", data, channel=channel))
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


async def _submit(
    teams: TeamsStack, inputs: dict[str, str], *, channel: bool = False
) -> dict[str, Any]:
    data = {"verb": verbs.WIN_SAVE, verbs.SOURCE: "nudge"} | inputs
    response = await teams.post(teams.pat.task("task/submit", data, channel=channel))
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


async def _wins(teams: TeamsStack) -> list[Win]:
    async with teams.runtime.sessions() as session:
        return list(await session.scalars(select(Win)))


WIN = {
    verbs.IN_WHAT: "Built a par-level recount sheet for 4 West",
    verbs.IN_WHY: "Heparin flushes kept running out",
    verbs.IN_RESULT: "Zero stock-outs in 3 weeks",
    verbs.IN_CATEGORY: "",
    verbs.IN_OCCURRED_ON: "",
    verbs.IN_SHARE: "true",
}


async def test_log_a_win_from_a_channel_nudge_stays_private(teams: TeamsStack) -> None:
    opened = await _open(teams, channel=True)
    assert opened["task"]["type"] == "continue"
    form = opened["task"]["value"]["card"]["content"]
    assert verbs.WIN_SAVE in verbs_of(form)
    done = await _submit(teams, WIN, channel=True)
    assert done["task"]["type"] == "message"
    assert "par-level recount" in done["task"]["value"]
    [win] = await _wins(teams)
    assert (win.source, win.shared) == ("nudge", True)
    assert win.result and "3 weeks" in win.result
    # Nothing about the win was posted in the channel.
    assert teams.connector.calls == []


async def test_a_win_logged_in_the_1to1_chat_is_also_shown_there(teams: TeamsStack) -> None:
    await _submit(teams, WIN | {verbs.IN_SHARE: "false"})
    [win] = await _wins(teams)
    assert win.shared is False
    assert "par-level recount" in card_text(last_card(teams.connector.activities()))


async def test_a_bad_win_reopens_the_form_with_what_was_typed(teams: TeamsStack) -> None:
    for inputs, reason in (
        (WIN | {verbs.IN_WHAT: "  "}, "what"),
        (WIN | {verbs.IN_OCCURRED_ON: "2999-01-01"}, "future"),
        (WIN | {verbs.IN_OCCURRED_ON: "someday"}, "calendar"),
        (WIN | {verbs.IN_CATEGORY: "astronaut"}, "category"),
    ):
        body = await _submit(teams, inputs)
        assert body["task"]["type"] == "continue", inputs
        form = body["task"]["value"]["card"]
        text = card_text(form["content"]).lower()
        assert reason in text, (reason, text)
        assert "heparin flushes kept running out" in text  # what was typed is kept
    assert await _wins(teams) == []


async def test_a_dialog_for_something_else_is_closed_with_a_note(teams: TeamsStack) -> None:
    response = await teams.post(teams.pat.task("task/fetch", {"verb": "nope"}))
    assert response.json()["task"]["type"] == "message"


async def test_the_welcome_is_sent_once_per_person(teams: TeamsStack) -> None:
    await teams.post(teams.pat.bot_added())
    await teams.post(teams.pat.installed())
    await teams.post(teams.pat.bot_added())
    cards = teams.connector.cards()
    assert len(cards) == 1
    assert verbs.SETTINGS_OPEN in verbs_of(cards[0])
    async with teams.runtime.sessions() as session:
        person = await session.scalar(select(Person))
        assert person is not None and person.greeted_at is not None


async def test_a_channel_install_welcomes_and_a_removal_forgets_the_channel(
    teams: TeamsStack,
) -> None:
    await teams.post(teams.pat.installed(channel=True))
    assert verbs.CHANNEL_OPEN in verbs_of(last_card(teams.connector.activities()))
    async with teams.runtime.sessions() as session:
        [ref] = list(await session.scalars(select(TeamsConversationRef)))
        assert ref.conversation_id == CHANNEL_ID and ref.person_id is None
    await teams.post(teams.pat.installed("remove", channel=True))
    async with teams.runtime.sessions() as session:
        assert list(await session.scalars(select(TeamsConversationRef))) == []


async def test_a_logged_win_is_edited_in_its_dialog_and_deleted_from_its_card(
    teams: TeamsStack,
) -> None:
    await _submit(teams, WIN | {verbs.IN_SHARE: "false"})
    [win] = await _wins(teams)
    logged = last_card(teams.connector.activities())
    edit = {"msteams": {"type": "task/fetch"}, "verb": verbs.WIN_EDIT, verbs.WIN_ID: str(win.id)}
    assert edit["verb"] in verbs_of(logged) and verbs.WIN_DELETE in verbs_of(logged)

    response = await teams.post(teams.pat.task("task/fetch", edit))
    form = response.json()["task"]["value"]["card"]["content"]
    assert "par-level recount" in card_text(form)  # refilled with the win
    assert verbs.WIN_UPDATE in verbs_of(form)

    changed = WIN | {verbs.IN_RESULT: "Zero stock-outs in 6 weeks", verbs.IN_WHY: ""}
    data = {"verb": verbs.WIN_UPDATE, verbs.WIN_ID: str(win.id), verbs.SOURCE: "form"} | changed
    done = (await teams.post(teams.pat.task("task/submit", data))).json()
    assert done["task"]["type"] == "message" and done["task"]["value"].startswith("Updated")
    [win] = await _wins(teams)
    assert win.result == "Zero stock-outs in 6 weeks" and win.why is None and win.shared

    # A bad edit keeps the dialog open on the edit form, the win unchanged.
    bad = data | {verbs.IN_WHAT: " "}
    body = (await teams.post(teams.pat.task("task/submit", bad))).json()
    assert body["task"]["type"] == "continue"
    assert verbs.WIN_UPDATE in verbs_of(body["task"]["value"]["card"]["content"])
    assert (await _wins(teams))[0].what == win.what

    deleted = await teams.press(verbs.WIN_DELETE, {verbs.WIN_ID: str(win.id)})
    assert f"Deleted win #{win.id}" in card_text(deleted["value"])
    assert await _wins(teams) == []
    again = await teams.press(verbs.WIN_DELETE, {verbs.WIN_ID: str(win.id)})
    assert again["type"] == "application/vnd.microsoft.activity.message"


async def test_someone_elses_win_cannot_be_edited_or_deleted(teams: TeamsStack) -> None:
    await _submit(teams, WIN)
    [win] = await _wins(teams)
    teams.pat.user_id = "29:someone-else"
    edit = {"msteams": {"type": "task/fetch"}, "verb": verbs.WIN_EDIT, verbs.WIN_ID: str(win.id)}
    opened = (await teams.post(teams.pat.task("task/fetch", edit))).json()
    assert opened["task"]["type"] == "message"
    body = await teams.press(verbs.WIN_DELETE, {verbs.WIN_ID: str(win.id)})
    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert len(await _wins(teams)) == 1


async def test_the_numbers_field_of_the_dialog_becomes_figures_of_the_win(
    teams: TeamsStack,
) -> None:
    await _submit(
        teams,
        WIN | {verbs.IN_NUMBERS: "2 techs trained, 4 hours saved", verbs.IN_LEADERSHIP: "big"},
    )
    [win] = await _wins(teams)
    assert win.result == "Zero stock-outs in 3 weeks (2 techs trained, 4 hours saved)"
    assert win.numbers == {"people_trained": 2, "hours_saved": 4}
    assert win.leadership == "big"
