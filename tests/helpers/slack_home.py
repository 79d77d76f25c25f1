"""The Slack Home tab driven through the server: open it, read it, submit the nudge settings."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.slack import ids
from bot.store.models import Person
from bot.store.people import PersonRef
from tests.helpers.slack_signing import event_body, interactivity_body, load_payload
from tests.helpers.slack_stack import SlackStack

TEAM, USER = "T123ABC456", "U123ABC456"  # the app_home_opened fixture's workspace and user


WHO = PersonRef("slack", TEAM, USER)


async def open_home(slack: SlackStack, event_id: str = "Ev0HOME1", **event: Any) -> Any:
    before = len(slack.fake.calls_to("views.publish"))
    body = event_body("event_app_home_opened.json", event_id=event_id, **event)
    response = await slack.send(body)
    assert response.status_code == 200
    calls = await slack.fake.wait_for("views.publish", before + 1)
    return calls[-1]


async def person_row(slack: SlackStack, user: str = USER) -> Person:
    async with slack.runtime.sessions() as session:
        person = await session.scalar(select(Person).where(Person.platform_user_id == user))
    assert person is not None
    return person


def element_of(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    block = next(b for b in view["blocks"] if b.get("block_id") == block_id)
    element = block["element"]
    assert isinstance(element, dict)
    return element


def settings_form(
    *, enabled: str = "on", weekday: str = "0", time: str = "09:30", zone: str, pause: str | None
) -> dict[str, Any]:
    values: dict[str, Any] = {
        ids.NUDGE_DM_BLOCK: {
            ids.NUDGE_DM_INPUT: {"type": "radio_buttons", "selected_option": {"value": enabled}}
        },
        ids.NUDGE_WEEKDAY_BLOCK: {
            ids.NUDGE_WEEKDAY_INPUT: {
                "type": "static_select",
                "selected_option": {"value": weekday},
            }
        },
        ids.NUDGE_TIME_BLOCK: {ids.NUDGE_TIME_INPUT: {"type": "timepicker", "selected_time": time}},
        ids.NUDGE_TIMEZONE_BLOCK: {
            ids.NUDGE_TIMEZONE_INPUT: {"type": "static_select", "selected_option": {"value": zone}}
        },
        ids.NUDGE_PAUSE_BLOCK: {
            ids.NUDGE_PAUSE_INPUT: {"type": "datepicker", "selected_date": pause}
        },
    }
    return values


async def submit_settings(slack: SlackStack, values: dict[str, Any]) -> Any:
    payload = load_payload(
        "view_submission.json",
        team=TEAM,
        user=USER,
        callback_id=ids.VIEW_NUDGE_SETTINGS,
        values=values,
        private_metadata="",
    )
    response = await slack.send(interactivity_body(payload))
    assert response.status_code == 200
    return response
