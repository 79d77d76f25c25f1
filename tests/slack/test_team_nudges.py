"""App Home (admins): the Pause / Resume button of a team channel's nudge schedule."""

import json
from typing import Any

import pytest

from bot.nudges.service import NudgesService
from bot.slack import ids
from bot.slack.listeners.team_nudges import GONE, NOT_ADMIN, ROLE_UNKNOWN
from bot.store.models import NudgeSchedule
from tests.fakes.slack_api import Call
from tests.helpers.slack_signing import interactivity_body, load_payload
from tests.helpers.slack_stack import SlackStack

TEAM, ADMIN, MEMBER = "T123ABC456", "U0ADMIN", "U0MEMBER"


def _nudges(slack: SlackStack) -> NudgesService:
    return NudgesService(slack.runtime.sessions, questions=["What went well this week?"])


async def _schedule(slack: SlackStack, *, team: str = TEAM, enabled: bool = True) -> int:
    nudges = _nudges(slack)
    schedule = await nudges.add(
        platform="slack",
        workspace=team,
        channel_id="C0PHARMACY",
        weekday="fri",
        local_time="14:00",
        timezone="America/Chicago",
    )
    if not enabled:
        await nudges.set_enabled(
            platform="slack", workspace=team, schedule_id=schedule.id, enabled=False
        )
    return schedule.id


async def _get(slack: SlackStack, schedule_id: int, team: str = TEAM) -> NudgeSchedule:
    return await _nudges(slack).get(platform="slack", workspace=team, schedule_id=schedule_id)


async def _press(slack: SlackStack, user: str, value: str, label: str = "Pause") -> None:
    """Press the toggle on the Home tab, as Slack sends it (no channel: a view container)."""
    payload = load_payload(
        "block_actions.json",
        team=TEAM,
        user=user,
        action_id=ids.TEAM_NUDGE_TOGGLE,
        value=value,
        container={"type": "view", "view_id": "V0HOME"},
    )
    payload.pop("channel")
    payload.pop("response_url")
    payload["actions"][0]["text"]["text"] = label
    payload["view"] = {"id": "V0HOME", "type": "home", "team_id": TEAM}
    response = await slack.send(interactivity_body(payload))
    assert response.status_code == 200
    assert response.text == ""  # acked at once, before any work


async def _published(slack: SlackStack, count: int = 1) -> str:
    calls = await slack.fake.wait_for("views.publish", count)
    return json.dumps(calls[-1].params["view"]["blocks"])


def _toggle_labels(home: str) -> list[str]:
    blocks: list[dict[str, Any]] = json.loads(home)
    return [
        block["accessory"]["text"]["text"]
        for block in blocks
        if (block.get("accessory") or {}).get("action_id") == ids.TEAM_NUDGE_TOGGLE
    ]


def _notes(slack: SlackStack) -> list[Call]:
    return slack.fake.calls_to("chat.postMessage")


async def test_an_admin_pauses_a_schedule_and_the_button_becomes_resume(
    slack: SlackStack,
) -> None:
    slack.fake.add_user(ADMIN, is_admin=True)
    schedule_id = await _schedule(slack)

    await _press(slack, ADMIN, str(schedule_id), "Pause")
    home = await _published(slack)

    paused = await _get(slack, schedule_id)
    assert paused.enabled is False
    assert paused.disabled_reason == "paused"
    assert slack.fake.calls_to("views.publish")[-1].params["user_id"] == ADMIN
    assert _toggle_labels(home) == ["Resume"]
    assert "*paused*" in home
    assert _notes(slack) == []


async def test_an_admin_resumes_a_paused_schedule(slack: SlackStack) -> None:
    slack.fake.add_user(ADMIN, is_owner=True)  # owners count as admins too
    schedule_id = await _schedule(slack, enabled=False)

    await _press(slack, ADMIN, str(schedule_id), "Resume")
    home = await _published(slack)

    resumed = await _get(slack, schedule_id)
    assert resumed.enabled is True
    assert resumed.disabled_reason is None
    assert _toggle_labels(home) == ["Pause"]
    [back_on] = _notes(slack)
    assert back_on.params["channel"] == "C0PHARMACY"
    assert "back on" in back_on.params["text"] and "<@" not in back_on.params["text"]


async def test_resuming_a_channel_that_removed_the_bot_is_refused_with_the_fix(
    slack: SlackStack,
) -> None:
    slack.fake.add_user(ADMIN, is_admin=True)
    slack.fake.add_channel("C0PHARMACY", is_member=False)
    schedule_id = await _schedule(slack, enabled=False)

    await _press(slack, ADMIN, str(schedule_id), "Resume")
    home = await _published(slack)

    assert (await _get(slack, schedule_id)).enabled is False
    assert _toggle_labels(home) == ["Resume"]
    [note] = [call for call in _notes(slack) if call.ok]
    assert note.params["channel"] == ADMIN
    assert "not a member" in note.params["text"] and "/invite @Step Up" in note.params["text"]


async def test_pressing_pause_twice_leaves_it_paused(slack: SlackStack) -> None:
    # A double click, or a Home tab still showing "Pause" after another admin paused it.
    slack.fake.add_user(ADMIN, is_admin=True)
    schedule_id = await _schedule(slack)

    await _press(slack, ADMIN, str(schedule_id), "Pause")
    await _published(slack)
    await _press(slack, ADMIN, str(schedule_id), "Pause")
    home = await _published(slack, 2)

    assert (await _get(slack, schedule_id)).enabled is False
    assert _toggle_labels(home) == ["Resume"]


async def test_a_member_who_is_not_an_admin_changes_nothing_and_is_told_why(
    slack: SlackStack,
) -> None:
    slack.fake.add_user(MEMBER, is_admin=False)
    schedule_id = await _schedule(slack)

    await _press(slack, MEMBER, str(schedule_id), "Pause")
    home = await _published(slack)

    assert (await _get(slack, schedule_id)).enabled is True
    [note] = _notes(slack)
    assert note.params["channel"] == MEMBER  # the app's DM with them
    assert note.params["text"] == NOT_ADMIN
    # Their Home tab is re-published as a member's: no team section to press again.
    assert "Team nudges" not in home
    assert ids.TEAM_NUDGE_TOGGLE not in home


@pytest.mark.parametrize("value", ["", "abc", "-1", "1.5", "١", "99999999999999999999999"])
async def test_a_malformed_value_changes_nothing(slack: SlackStack, value: str) -> None:
    slack.fake.add_user(ADMIN, is_admin=True)
    schedule_id = await _schedule(slack)

    await _press(slack, ADMIN, value)
    await _published(slack)

    assert (await _get(slack, schedule_id)).enabled is True
    [note] = _notes(slack)
    assert note.params["text"] == GONE


async def test_another_workspaces_schedule_is_left_alone(slack: SlackStack) -> None:
    slack.fake.add_user(ADMIN, is_admin=True)
    theirs = await _schedule(slack, team="T0OTHER")

    await _press(slack, ADMIN, str(theirs))
    home = await _published(slack)

    assert (await _get(slack, theirs, team="T0OTHER")).enabled is True
    [note] = _notes(slack)
    assert note.params["text"] == GONE
    assert "C0PHARMACY" not in home


async def test_a_removed_schedule_is_a_friendly_note(slack: SlackStack) -> None:
    slack.fake.add_user(ADMIN, is_admin=True)
    schedule_id = await _schedule(slack)
    kept = await _schedule(slack)
    await _nudges(slack).remove(platform="slack", workspace=TEAM, schedule_id=schedule_id)

    await _press(slack, ADMIN, str(schedule_id))
    home = await _published(slack)

    [note] = _notes(slack)
    assert note.params["text"] == GONE
    assert (await _get(slack, kept)).enabled is True
    assert _toggle_labels(home) == ["Pause"]  # only the schedule that is still there


async def test_when_slack_cannot_say_who_is_an_admin_nothing_changes(slack: SlackStack) -> None:
    schedule_id = await _schedule(slack)
    slack.fake.fail_next("users.info", "ratelimited")

    await _press(slack, ADMIN, str(schedule_id))
    [note] = await slack.fake.wait_for("chat.postMessage")

    assert note.params["text"] == ROLE_UNKNOWN
    assert (await _get(slack, schedule_id)).enabled is True
    assert slack.fake.calls_to("views.publish") == []
