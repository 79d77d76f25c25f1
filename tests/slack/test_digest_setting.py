"""The monthly digest switch: in the nudge settings modal, stored, and summarized on Home."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from bot.slack import ids
from bot.store.people import resolve_person
from bot.wins.preferences import get_nudge_preferences, update_nudge_preferences
from tests.helpers.slack_home import (
    TEAM,
    USER,
    WHO,
    element_of,
    open_home,
    person_row,
    settings_form,
    submit_settings,
)
from tests.helpers.slack_signing import interactivity_body, load_payload
from tests.helpers.slack_stack import SlackStack

TICKED = [{"text": {"type": "plain_text", "text": "Monthly digest"}, "value": "on"}]


def _texts(view: dict[str, Any]) -> str:
    return json.dumps(view["blocks"], ensure_ascii=False)


def with_digest(values: dict[str, Any], *, ticked: bool) -> dict[str, Any]:
    values[ids.NUDGE_DIGEST_BLOCK] = {
        ids.NUDGE_DIGEST_INPUT: {"type": "checkboxes", "selected_options": TICKED if ticked else []}
    }
    return values


async def test_the_digest_can_be_on_while_the_weekly_reminder_is_off(slack: SlackStack) -> None:
    form = with_digest(
        settings_form(enabled="off", time="09:30", zone="Europe/London", pause=None), ticked=True
    )
    response = await submit_settings(slack, form)
    assert response.text == ""

    [published] = await slack.fake.wait_for("views.publish")
    shown = _texts(published.params["view"])
    assert "Weekly DM reminder: *off*" in shown
    assert (
        "Monthly digest: *on* — your month in wins on the 1st at 9:30 AM (Europe/London), "
        "even with the weekly reminder off"
    ) in shown
    person = await person_row(slack)
    assert (person.nudge_dm_enabled, person.nudge_digest_enabled) == (False, True)
    assert person.nudge_time == dt.time(9, 30)


async def test_unticking_the_box_turns_only_the_digest_off(slack: SlackStack) -> None:
    async with slack.runtime.sessions() as session, session.begin():
        person = await resolve_person(session, WHO)
        person.nudge_digest_enabled = True
    form = with_digest(
        settings_form(enabled="on", zone="America/Chicago", pause=None), ticked=False
    )
    await submit_settings(slack, form)

    [published] = await slack.fake.wait_for("views.publish")
    shown = _texts(published.params["view"])
    assert "Weekly DM reminder: *on* — Mondays at 9:30 AM (America/Chicago)" in shown
    assert "Monthly digest: *off*" in shown
    person = await person_row(slack)
    assert (person.nudge_dm_enabled, person.nudge_digest_enabled) == (True, False)


async def test_the_settings_modal_opens_with_the_digest_box_as_stored(slack: SlackStack) -> None:
    async with slack.runtime.sessions() as session, session.begin():
        (await resolve_person(session, WHO)).nudge_digest_enabled = True
    payload = load_payload(
        "block_actions.json",
        team=TEAM,
        user=USER,
        action_id=ids.NUDGE_SETTINGS_OPEN,
        value="",
        container={"type": "view", "view_id": "V123ABC456"},
    )
    assert (await slack.send(interactivity_body(payload))).status_code == 200
    [opened] = await slack.fake.wait_for("views.open")
    view = opened.params["view"]
    box = element_of(view, ids.NUDGE_DIGEST_BLOCK)
    assert box["type"] == "checkboxes"
    assert [item["value"] for item in box["initial_options"]] == ["on"]
    assert "Monthly digest — your month in wins, on the 1st at your nudge time" in _texts(view)
    assert "the monthly digest has its own switch" in _texts(view)


async def test_the_home_tab_shows_the_digest_setting(slack: SlackStack) -> None:
    async with slack.runtime.sessions() as session, session.begin():
        person = await resolve_person(session, WHO)
        person.nudge_digest_enabled = True
        person.nudge_dm_enabled = True
        person.nudge_weekday = 4
        person.nudge_time = dt.time(14, 0)
        person.timezone = "America/Chicago"

    published = await open_home(slack)

    shown = _texts(published.params["view"])
    assert "Weekly DM reminder: *on* — Fridays at 2:00 PM (America/Chicago)" in shown
    assert "Monthly digest: *on* — your month in wins on the 1st at 2:00 PM" in shown


async def test_other_surfaces_that_leave_the_digest_out_keep_it(slack: SlackStack) -> None:
    sessions = slack.runtime.sessions
    common: dict[str, Any] = {
        "enabled": False,
        "weekday": 4,
        "time": dt.time(14),
        "timezone": None,
        "paused_until": None,
    }
    stored = await update_nudge_preferences(sessions, WHO, digest_enabled=True, **common)
    assert stored.digest_enabled is True
    kept = await update_nudge_preferences(sessions, WHO, **common)  # digest_enabled not given
    assert kept.digest_enabled is True
    assert (await get_nudge_preferences(sessions, WHO)).digest_enabled is True
    off = await update_nudge_preferences(sessions, WHO, digest_enabled=False, **common)
    assert off.digest_enabled is False
