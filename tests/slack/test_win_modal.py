"""Log-a-win modal: opened by the shortcut and buttons, validated inline, stored on submit."""

import datetime as dt
import json
from typing import Any

from sqlalchemy import select

from bot.slack import ids
from bot.store.models import Win
from tests.slack.conftest import SlackStack
from tests.slack.signing import interactivity_body, load_payload

TEAM, USER = "T123ABC456", "U2147483697"


def form(
    *, what: str | None, date: str | None = None, numbers: str | None = None
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
    if date is not None:
        values[ids.WIN_DATE_BLOCK] = {
            ids.WIN_DATE_INPUT: {"type": "datepicker", "selected_date": date}
        }
    return values


def submission(values: dict[str, Any]) -> bytes:
    payload = load_payload(
        "view_submission.json",
        team=TEAM,
        user=USER,
        callback_id=ids.VIEW_WIN,
        values=values,
        private_metadata="",
    )
    return interactivity_body(payload)


async def test_global_shortcut_opens_the_win_modal(slack: SlackStack) -> None:
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
    assert opened.params["view"]["callback_id"] == ids.VIEW_WIN


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
