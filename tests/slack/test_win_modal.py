"""Log-a-win modal: opened by the shortcut and buttons, validated inline, stored on submit."""

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import select

from bot.slack import ids
from bot.store.models import Win
from tests.helpers.slack_signing import interactivity_body, load_payload
from tests.helpers.slack_stack import SlackStack

TEAM, USER = "T123ABC456", "U2147483697"


def form(
    *,
    what: str | None,
    date: str | None = None,
    numbers: str | None = None,
    shared: bool | None = None,
) -> dict[str, Any]:
    values: dict[str, Any] = {
        ids.WIN_WHAT_BLOCK: {ids.WIN_WHAT_INPUT: {"type": "plain_text_input", "value": what}},
        ids.WIN_WHY_BLOCK: {
            ids.WIN_WHY_INPUT: {"type": "plain_text_input", "value": "nights were short"}
        },
        ids.WIN_RESULT_BLOCK: {ids.WIN_RESULT_INPUT: {"type": "plain_text_input", "value": None}},
        ids.WIN_NUMBERS_BLOCK: {
            ids.WIN_NUMBERS_INPUT: {"type": "plain_text_input", "value": numbers}
        },
        ids.WIN_CATEGORY_BLOCK: {
            ids.WIN_CATEGORY_INPUT: {
                "type": "static_select",
                "selected_option": {"value": "trained_mentored"},
            }
        },
        ids.WIN_LEADERSHIP_BLOCK: {
            ids.WIN_LEADERSHIP_INPUT: {
                "type": "radio_buttons",
                "selected_option": {"value": "little"},
            }
        },
    }
    if shared is not None:
        # Slack sends the ticked options; an unticked checkbox sends an empty list.
        ticked = [{"text": {"type": "plain_text", "text": "Share"}, "value": "shared"}]
        values[ids.WIN_SHARE_BLOCK] = {
            ids.WIN_SHARE_INPUT: {
                "type": "checkboxes",
                "selected_options": ticked if shared else [],
            }
        }
    if date is not None:
        values[ids.WIN_DATE_BLOCK] = {
            ids.WIN_DATE_INPUT: {"type": "datepicker", "selected_date": date}
        }
    return values


def submission(
    values: dict[str, Any], *, win_id: int | None = None, metadata: str = "source:form"
) -> bytes:
    payload = load_payload(
        "view_submission.json",
        team=TEAM,
        user=USER,
        callback_id=ids.VIEW_WIN,
        values=values,
        private_metadata=str(win_id) if win_id is not None else metadata,
    )
    return interactivity_body(payload)


async def open_by_shortcut(slack: SlackStack) -> dict[str, Any]:
    """Use the global "Log a win" shortcut; return the view it opened."""
    payload = {
        "type": "shortcut",
        "token": "verification_token",
        "action_ts": "1700000000.1",
        "team": {"id": TEAM, "domain": "example"},
        "user": {"id": USER, "username": "tech", "team_id": TEAM},
        "callback_id": ids.SHORTCUT_LOG_WIN,
        "trigger_id": "111.222.valid",
    }
    assert (await slack.send(interactivity_body(payload))).status_code == 200
    [opened] = await slack.fake.wait_for("views.open")
    assert opened.params["trigger_id"] == "111.222.valid"
    view = opened.params["view"]
    assert isinstance(view, dict)
    return view


async def test_global_shortcut_opens_the_win_modal(slack: SlackStack) -> None:
    view = await open_by_shortcut(slack)
    assert view["callback_id"] == ids.VIEW_WIN


async def test_a_missing_what_is_an_inline_error_and_nothing_is_stored(slack: SlackStack) -> None:
    response = await slack.send(submission(form(what=None)))
    assert response.status_code == 200
    body = response.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {ids.WIN_WHAT_BLOCK}
    async with slack.runtime.sessions() as session:
        assert list(await session.scalars(select(Win))) == []


async def test_a_future_date_is_an_inline_error(slack: SlackStack) -> None:
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = await slack.send(submission(form(what="covered a double", date=future)))
    body = response.json()
    assert body["response_action"] == "errors"
    assert "hasn't happened yet" in body["errors"][ids.WIN_DATE_BLOCK]


async def test_a_valid_form_logs_the_win_and_confirms_in_the_dm(slack: SlackStack) -> None:
    response = await slack.send(
        submission(form(what="trained the new tech on the IV hood", numbers="2 techs"))
    )
    assert response.status_code == 200
    assert response.text == ""
    [posted] = await slack.fake.wait_for("chat.postMessage")
    assert ids.WIN_EDIT in json.dumps(posted.params["blocks"])
    async with slack.runtime.sessions() as session:
        [win] = list(await session.scalars(select(Win)))
    assert win.source == "form"
    assert win.category == "trained_mentored"
    assert win.why == "nights were short"
    assert win.numbers.get("people_trained") == 2


async def test_a_form_in_crisis_closes_and_the_dm_gets_crisis_resources(slack: SlackStack) -> None:
    response = await slack.send(submission(form(what="i want to kill myself after this shift")))
    assert response.status_code == 200
    assert response.text == ""  # the modal closes: crisis resources are not a form error
    [posted] = await slack.fake.wait_for("chat.postMessage")
    assert "988" in json.dumps(posted.params["blocks"])
    async with slack.runtime.sessions() as session:
        assert list(await session.scalars(select(Win))) == []


async def _stored_win(slack: SlackStack) -> Win:
    async with slack.runtime.sessions() as session:
        [win] = list(await session.scalars(select(Win)))
    return win


def _share_box(view: dict[str, Any]) -> dict[str, Any]:
    block = next(b for b in view["blocks"] if b.get("block_id") == ids.WIN_SHARE_BLOCK)
    element = block["element"]
    assert element["type"] == "checkboxes" and block["optional"] is True
    assert "Share in the team's weekly roundup" in json.dumps(element)
    assert "Your name and what you did; nothing else." in json.dumps(element)
    return dict(element)


async def test_the_share_checkbox_round_trips_through_log_and_edit(slack: SlackStack) -> None:
    # A new win's modal starts with the box unticked.
    assert "initial_options" not in _share_box(await open_by_shortcut(slack))

    # Ticked on submit: stored as shared, and the confirmation says so.
    response = await slack.send(submission(form(what="trained the new tech", shared=True)))
    assert response.status_code == 200 and response.text == ""
    [posted] = await slack.fake.wait_for("chat.postMessage")
    assert "shared with your team" in json.dumps(posted.params["blocks"])
    assert "Shared with your team." in posted.params["text"]
    win = await _stored_win(slack)
    assert win.shared is True

    # Edit: the modal opens with the box still ticked.
    payload = load_payload(
        "block_actions.json",
        team=TEAM,
        user=USER,
        action_id=ids.WIN_EDIT,
        value=str(win.id),
        container={"type": "message", "message_ts": "1700000000.000100"},
    )
    assert (await slack.send(interactivity_body(payload))).status_code == 200
    opened_edit = (await slack.fake.wait_for("views.open", 2))[-1]
    edit_view = opened_edit.params["view"]
    assert edit_view["private_metadata"] == str(win.id)
    assert [o["value"] for o in _share_box(edit_view)["initial_options"]] == ["shared"]

    # Submitted unticked: the win is private again, and the confirmation no longer says shared.
    response = await slack.send(
        submission(form(what="trained the new tech", shared=False), win_id=win.id)
    )
    assert response.status_code == 200 and response.text == ""
    [_, edited] = await slack.fake.wait_for("chat.postMessage", 2)
    assert "shared with your team" not in json.dumps(edited.params["blocks"])
    assert (await _stored_win(slack)).shared is False


async def test_a_form_without_the_share_box_logs_a_private_win(slack: SlackStack) -> None:
    response = await slack.send(submission(form(what="covered a double")))
    assert response.status_code == 200
    await slack.fake.wait_for("chat.postMessage")
    assert (await _stored_win(slack)).shared is False


@pytest.mark.parametrize(("where", "source"), [("nudge", "nudge"), ("home", "form")])
async def test_the_log_a_win_button_remembers_where_it_was(
    slack: SlackStack, where: str, source: str
) -> None:
    payload = load_payload(
        "block_actions.json", team=TEAM, user=USER, action_id=ids.WIN_LOG, value=where
    )
    assert (await slack.send(interactivity_body(payload))).status_code == 200
    [opened] = await slack.fake.wait_for("views.open")
    metadata = opened.params["view"]["private_metadata"]
    assert metadata == f"source:{source}"
    response = await slack.send(submission(form(what="covered a double"), metadata=metadata))
    assert response.status_code == 200
    await slack.fake.wait_for("chat.postMessage")
    assert (await _stored_win(slack)).source == source


@pytest.mark.parametrize("value", ["", "12abc", "-1", "1" * 40])
async def test_a_mangled_edit_button_gets_a_brief_note_and_opens_nothing(
    slack: SlackStack, value: str
) -> None:
    from bot.slack.listeners.common import STALE_BUTTON

    payload = load_payload(
        "block_actions.json",
        team=TEAM,
        user=USER,
        action_id=ids.WIN_EDIT,
        value=value,
        container={"type": "message", "message_ts": "1700000000.000100"},
    )
    response = await slack.send(interactivity_body(payload))
    assert response.status_code == 200, response.text
    [note] = await slack.fake.wait_for("chat.postEphemeral")
    assert note.params["text"] == STALE_BUTTON
    assert slack.fake.calls_to("views.open") == []


async def test_a_mangled_edit_button_on_the_home_tab_gets_a_dm_note(slack: SlackStack) -> None:
    payload = load_payload(
        "block_actions.json",
        team=TEAM,
        user=USER,
        action_id=ids.WIN_EDIT,
        value="not-an-id",
        container={"type": "view", "view_id": "V0HOME"},
    )
    payload.pop("channel")
    payload["view"] = {"id": "V0HOME", "type": "home", "team_id": TEAM}
    response = await slack.send(interactivity_body(payload))
    assert response.status_code == 200 and response.text == ""
    [note] = await slack.fake.wait_for("chat.postMessage")
    assert note.params["channel"] == USER
    assert note.params["text"].startswith("That button is out of date")
