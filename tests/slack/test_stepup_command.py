"""``/stepup``: usage, weekly team-channel nudges from Slack, and the personal settings modal.

Signed slash-command bodies go to the real server over HTTP; the command's ``response_url``
points at the fake Slack, which records the ephemeral replies as ``response_url`` calls.
"""

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import httpx2
import pytest

from bot.app import create_services
from bot.errors import UserError
from bot.nudges.schedule import next_post
from bot.nudges.view import schedule_view
from bot.slack import ids
from bot.slack.listeners.stepup_command import (
    StepupRequest,
    parse_stepup,
)
from bot.slack.mrkdwn import escape, one_line
from bot.store.models import NudgeSchedule
from bot.store.people import PersonRef, resolve_person
from tests.fakes.slack_api import RESPONSE_URL, Call
from tests.helpers.slack_signing import command_body
from tests.helpers.slack_stack import SlackStack

TEAM, USER = "T123ABC456", "U2CERLKJA"
CHANNEL = "C0PHARMACY"
OTHER = "C0NIGHTS"
ADMIN, MEMBER = "U0ADMIN", "U0MEMBER"
SUBCOMMANDS = (
    "/stepup nudges",
    "/stepup nudges add [#channel|here] &lt;day&gt; &lt;time&gt; [timezone]",
    "/stepup nudges preview N",
    "pause N",
    "resume N",
    "remove N",
    "/stepup settings",
    "/stepup help",
)


async def _stepup(
    slack: SlackStack,
    text: str,
    *,
    user: str = USER,
    channel_id: str = CHANNEL,
    channel_name: str = "pharmacy",
) -> httpx2.Response:
    body = command_body(
        "/stepup",
        text,
        user_id=user,
        team_id=TEAM,
        channel_id=channel_id,
        channel_name=channel_name,
        response_url=slack.fake.response_url(),
    )
    response = await slack.send(body)
    assert response.status_code == 200
    return response


async def _reply(slack: SlackStack, count: int = 1) -> Call:
    calls = await slack.fake.wait_for(RESPONSE_URL, count)
    reply = calls[count - 1]
    assert reply.params["response_type"] == "ephemeral"
    assert reply.params["text"]  # the plain-text fallback
    return reply


def _work(slack: SlackStack) -> list[str]:
    """The Web API calls made for the command (Bolt's own auth.test aside)."""
    return [call.method for call in slack.fake.calls if call.method != "auth.test"]


def _shown(params: dict[str, Any]) -> str:
    return json.dumps(params.get("blocks", []), ensure_ascii=False)


async def _schedules(slack: SlackStack) -> list[NudgeSchedule]:
    services = create_services(slack.runtime)
    return await services.nudges.list_schedules(platform="slack", workspace=TEAM)


async def _add(slack: SlackStack, channel: str = CHANNEL, *, created_by: str | None = None) -> int:
    services = create_services(slack.runtime)
    schedule = await services.nudges.add(
        platform="slack",
        workspace=TEAM,
        channel_id=channel,
        weekday="fri",
        local_time="15:00",
        timezone="America/Chicago",
        created_by=created_by,
    )
    return schedule.id


@pytest.mark.parametrize("text", ["", "help", "  HELP "])
async def test_help_lists_every_subcommand_in_the_ack(slack: SlackStack, text: str) -> None:
    response = await _stepup(slack, text)

    body = response.json()
    assert body["response_type"] == "ephemeral"
    shown = _shown(body)
    for subcommand in SUBCOMMANDS:
        assert subcommand in shown
    assert "didn't understand" not in shown
    assert body["text"].startswith("Usage: /stepup nudges")
    assert _work(slack) == []


async def test_unknown_text_gets_the_usage_with_what_was_not_understood_escaped(
    slack: SlackStack,
) -> None:
    response = await _stepup(slack, "frobnicate <@U0BOSS> <!channel>")

    body = response.json()
    shown = _shown(body)
    assert "I didn't understand “frobnicate &lt;@U0BOSS&gt; &lt;!channel&gt;”." in shown
    assert "<@U0BOSS>" not in shown and "<!channel>" not in shown
    assert "/stepup nudges preview N" in shown
    assert body["text"].startswith("I didn't understand")
    assert _work(slack) == []


async def test_add_in_a_channel_announces_then_stores_it_for_its_creator(
    slack: SlackStack,
) -> None:
    slack.fake.add_user(USER, tz="America/Denver")
    response = await _stepup(slack, "nudges add fri 15:00")
    assert response.text == ""  # a bare ack: Slack calls come after it

    reply = await _reply(slack)
    [announced] = slack.fake.calls_to("chat.postMessage")
    assert announced.ok
    assert announced.params["channel"] == CHANNEL
    text = announced.params["text"]
    assert "Fridays at 3:00 PM (Mountain)" in text and "/stepup" in text
    assert "<@" not in text and "<!" not in text and "@here" not in text
    [users_info] = slack.fake.calls_to("users.info")
    assert users_info.params["user"] == USER

    [schedule] = await _schedules(slack)
    assert (schedule.channel_id, schedule.weekday, schedule.local_time) == (
        CHANNEL,
        4,
        dt.time(15, 0),
    )
    assert (schedule.timezone, schedule.created_by, schedule.enabled) == (
        "America/Denver",
        USER,
        True,
    )
    shown = _shown(reply.params)
    assert f"<#{CHANNEL}>" in shown
    assert f"Nudge #{schedule.id}" in shown
    assert "Fridays at 3:00 PM (Mountain)" in shown
    assert " MST" in shown or " MDT" in shown  # the first nudge, in the schedule's zone
    assert slack.fake.calls_to("chat.postEphemeral") == []


@pytest.mark.parametrize("named", [f"<#{OTHER}|nights>", f"<#{OTHER}>", OTHER])
async def test_add_names_another_channel(slack: SlackStack, named: str) -> None:
    await _stepup(slack, f"nudges add {named} mon 07:30 Europe/London")

    reply = await _reply(slack)
    [announced] = slack.fake.calls_to("chat.postMessage")
    assert announced.params["channel"] == OTHER
    assert "Mondays at 7:30 AM (Europe/London)" in announced.params["text"]
    assert slack.fake.calls_to("users.info") == []  # the zone was given
    [schedule] = await _schedules(slack)
    assert (schedule.channel_id, schedule.weekday, schedule.timezone) == (OTHER, 0, "Europe/London")
    assert f"<#{OTHER}>" in _shown(reply.params)


async def test_add_here_without_a_slack_timezone_uses_the_default(slack: SlackStack) -> None:
    slack.fake.fail_next("users.info", "user_not_found")
    await _stepup(slack, "nudges add here wednesday 9:05")

    await _reply(slack)
    [schedule] = await _schedules(slack)
    assert schedule.channel_id == CHANNEL
    assert (schedule.weekday, schedule.local_time) == (2, dt.time(9, 5))
    assert schedule.timezone == slack.runtime.settings.default_timezone


@pytest.mark.parametrize(
    ("channel_id", "channel_name"),
    [("D0DM12345", "directmessage"), ("G0MPDM123", "mpdm-dana--lee--sam-1")],
)
async def test_add_in_a_dm_or_group_dm_is_refused(
    slack: SlackStack, channel_id: str, channel_name: str
) -> None:
    response = await _stepup(
        slack, "nudges add fri 15:00", channel_id=channel_id, channel_name=channel_name
    )

    body = response.json()
    assert body["response_type"] == "ephemeral"
    assert "run it in the team channel or name one" in body["text"]
    assert _work(slack) == []
    assert await _schedules(slack) == []


async def test_add_from_a_dm_naming_a_channel_works(slack: SlackStack) -> None:
    await _stepup(
        slack,
        f"nudges add <#{OTHER}|nights> fri 15:00 America/Chicago",
        channel_id="D0DM12345",
        channel_name="directmessage",
    )

    await _reply(slack)
    [schedule] = await _schedules(slack)
    assert schedule.channel_id == OTHER


@pytest.mark.parametrize(
    ("setup", "reason", "fix"),
    [
        ({"is_member": False}, "I'm not a member of it", "/invite @Step Up"),
        ({"is_archived": True}, "it is archived", "unarchive it"),
    ],
)
async def test_a_channel_the_bot_cannot_post_in_is_refused_and_nothing_is_stored(
    slack: SlackStack, setup: dict[str, bool], reason: str, fix: str
) -> None:
    slack.fake.add_channel(CHANNEL, **setup)
    await _stepup(slack, "nudges add fri 15:00 America/Chicago")

    reply = await _reply(slack)
    [refused] = slack.fake.calls_to("chat.postMessage")
    assert not refused.ok
    shown = _shown(reply.params)
    assert f"<#{CHANNEL}>" in shown
    assert reason in shown
    assert fix in shown and "Nothing was set up" in shown
    assert reason in reply.params["text"]
    assert await _schedules(slack) == []


async def test_a_restricted_channel_is_refused_with_slacks_reason(slack: SlackStack) -> None:
    slack.fake.fail_next("chat.postMessage", "restricted_action")
    await _stepup(slack, f"nudges add {OTHER} fri 15:00 UTC")

    reply = await _reply(slack)
    assert "doesn't let me post there" in reply.params["text"]
    assert "ask a workspace admin" in reply.params["text"]
    assert await _schedules(slack) == []


@pytest.mark.parametrize(
    ("text", "forms"),
    [
        ("nudges add funday 15:00", "mon..sun or monday..sunday"),
        ("nudges add fri 13pm", "HH:MM 24-hour"),
        ("nudges add fri 15:00 Mars/Olympus", "IANA name such as America/Chicago"),
        ("nudges add fri", "Usage: `/stepup nudges add"),
        ("nudges add #pharmacy fri 15:00", "pick the channel from Slack's suggestions"),
        ("nudges pause", "Give the nudge's number"),
        ("nudges remove three", "Give the nudge's number"),
    ],
)
async def test_bad_arguments_get_the_accepted_forms(
    slack: SlackStack, text: str, forms: str
) -> None:
    response = await _stepup(slack, text)

    body = response.json()
    assert body["response_type"] == "ephemeral"
    assert forms in body["text"].replace("&lt;", "<").replace("&gt;", ">")
    assert _work(slack) == []
    assert await _schedules(slack) == []


async def test_list_shows_channel_schedule_state_and_next_time(slack: SlackStack) -> None:
    on = await _add(slack, CHANNEL)
    paused = await _add(slack, OTHER)
    gone = await _add(slack, "C0ARCHIVED")
    services = create_services(slack.runtime)
    await services.nudges.set_enabled(
        platform="slack", workspace=TEAM, schedule_id=paused, enabled=False
    )
    async with slack.runtime.sessions() as session, session.begin():
        row = await session.get(NudgeSchedule, gone)
        assert row is not None
        row.enabled = False
        row.disabled_reason = "is_archived (at 2026-11-20)"

    await _stepup(slack, "nudges")
    reply = await _reply(slack)
    shown = _shown(reply.params)
    await _stepup(slack, "nudges list")
    assert _shown((await _reply(slack, 2)).params) == shown

    lines = [b["text"]["text"] for b in reply.params["blocks"] if b["type"] == "section"]
    on_line = next(line for line in lines if f"*#{on}* <#{CHANNEL}>" in line)
    assert "Fridays at 3:00 PM (Central)" in on_line
    assert "*on*" in on_line and "next Fri, " in on_line
    assert ("CST" in on_line) or ("CDT" in on_line)
    paused_line = next(line for line in lines if f"*#{paused}* <#{OTHER}>" in line)
    assert "*paused*" in paused_line and "next" not in paused_line
    gone_line = next(line for line in lines if f"*#{gone}* <#C0ARCHIVED>" in line)
    assert "*disabled: is_archived (at 2026-11-20)*" in gone_line
    assert f"/stepup nudges resume {gone}" in shown


async def test_list_with_no_nudges_says_how_to_add_one(slack: SlackStack) -> None:
    await _stepup(slack, "nudges")
    reply = await _reply(slack)
    assert "No team channel nudges yet" in reply.params["text"]
    assert "/stepup nudges add fri 15:00 America/Chicago" in _shown(reply.params)


async def test_an_admin_pauses_resumes_and_removes_someone_elses_nudge(slack: SlackStack) -> None:
    slack.fake.add_user(ADMIN, is_admin=True)
    schedule_id = await _add(slack, created_by=MEMBER)

    await _stepup(slack, f"nudges pause {schedule_id}", user=ADMIN)
    paused = await _reply(slack)
    assert f"Paused nudge #{schedule_id}" in paused.params["text"]
    assert [s.enabled for s in await _schedules(slack)] == [False]

    await _stepup(slack, f"nudges resume #{schedule_id}", user=ADMIN)
    resumed = await _reply(slack, 2)
    assert f"Resumed nudge #{schedule_id}" in resumed.params["text"]
    assert "Next: Fri, " in resumed.params["text"]
    [schedule] = await _schedules(slack)
    assert (schedule.enabled, schedule.disabled_reason) == (True, None)

    await _stepup(slack, f"nudges remove {schedule_id}", user=ADMIN)
    removed = await _reply(slack, 3)
    assert f"Removed nudge #{schedule_id}" in removed.params["text"]
    assert f"<#{CHANNEL}>" in _shown(removed.params)
    assert await _schedules(slack) == []


async def test_resuming_where_the_bot_was_removed_is_refused_and_stays_paused(
    slack: SlackStack,
) -> None:
    slack.fake.add_user(ADMIN, is_admin=True)
    schedule_id = await _add(slack)
    await create_services(slack.runtime).nudges.set_enabled(
        platform="slack", workspace=TEAM, schedule_id=schedule_id, enabled=False
    )
    slack.fake.add_channel(CHANNEL, is_member=False)
    await _stepup(slack, f"nudges resume {schedule_id}", user=ADMIN)
    reply = await _reply(slack)
    assert "not a member" in reply.params["text"]
    [schedule] = await _schedules(slack)
    assert schedule.enabled is False


@pytest.mark.parametrize("flag", ["is_owner", "is_primary_owner"])
async def test_owners_count_as_admins(slack: SlackStack, flag: str) -> None:
    slack.fake.add_user(ADMIN, **{flag: True})
    schedule_id = await _add(slack, created_by=MEMBER)

    await _stepup(slack, f"nudges pause {schedule_id}", user=ADMIN)
    assert "Paused" in (await _reply(slack)).params["text"]
    assert [s.enabled for s in await _schedules(slack)] == [False]


async def test_the_creator_may_change_their_nudge_without_being_admin(slack: SlackStack) -> None:
    slack.fake.add_user(MEMBER)
    schedule_id = await _add(slack, created_by=MEMBER)

    await _stepup(slack, f"nudges pause {schedule_id}", user=MEMBER)
    assert "Paused" in (await _reply(slack)).params["text"]
    await _stepup(slack, f"nudges remove {schedule_id}", user=MEMBER)
    assert "Removed" in (await _reply(slack, 2)).params["text"]
    assert await _schedules(slack) == []


@pytest.mark.parametrize("action", ["pause", "resume", "remove"])
async def test_another_member_is_refused(slack: SlackStack, action: str) -> None:
    slack.fake.add_user(MEMBER)
    schedule_id = await _add(slack, created_by=USER)

    await _stepup(slack, f"nudges {action} {schedule_id}", user=MEMBER)

    reply = await _reply(slack)
    assert (
        f"Only a workspace admin or the person who set up nudge #{schedule_id} can {action} it"
        in reply.params["text"]
    )
    [schedule] = await _schedules(slack)
    assert (schedule.id, schedule.enabled) == (schedule_id, True)


async def test_an_unknown_nudge_number_says_so(slack: SlackStack) -> None:
    slack.fake.add_user(ADMIN, is_admin=True)
    await _add(slack)

    for count, text in enumerate(("nudges pause 999", "nudges preview 999"), start=1):
        await _stepup(slack, text, user=ADMIN)
        reply = await _reply(slack, count)
        assert "no nudge schedule #999 in this workspace" in reply.params["text"]
    assert [s.enabled for s in await _schedules(slack)] == [True]


async def test_a_nudge_of_another_workspace_is_unknown_here(slack: SlackStack) -> None:
    services = create_services(slack.runtime)
    elsewhere = await services.nudges.add(
        platform="slack",
        workspace="T0ELSEWHERE",
        channel_id=CHANNEL,
        weekday=4,
        local_time="15:00",
        timezone="UTC",
        created_by=USER,
    )

    await _stepup(slack, f"nudges remove {elsewhere.id}")

    reply = await _reply(slack)
    assert f"no nudge schedule #{elsewhere.id}" in reply.params["text"]


async def test_preview_shows_the_next_time_in_the_schedules_zone_and_the_question(
    slack: SlackStack,
) -> None:
    schedule_id = await _add(slack)
    services = create_services(slack.runtime)

    await _stepup(slack, f"nudges preview {schedule_id}")

    reply = await _reply(slack)
    shown = _shown(reply.params)
    preview = await services.nudges.preview(
        platform="slack", workspace=TEAM, schedule_id=schedule_id, now=dt.datetime.now(dt.UTC)
    )
    [_, quoted] = [b["text"]["text"] for b in reply.params["blocks"] if b["type"] == "section"]
    assert quoted == ">" + escape(one_line(preview.text))
    local = preview.due_at.astimezone(ZoneInfo("America/Chicago"))
    assert f"Fri, {local:%b} {local.day} at 3:00 PM C" in shown
    assert f"<#{CHANNEL}>" in shown
    assert "No team roundup: it shows once the team has 5 or more people." in shown


async def test_settings_opens_the_personal_nudge_settings_modal(slack: SlackStack) -> None:
    async with slack.runtime.sessions() as session, session.begin():
        person = await resolve_person(session, PersonRef("slack", TEAM, USER))
        person.nudge_dm_enabled = True
        person.nudge_weekday = 1
        person.nudge_time = dt.time(9, 30)
    response = await _stepup(slack, "settings")
    assert response.text == ""

    [opened] = await slack.fake.wait_for("views.open")
    view = opened.params["view"]
    assert view["callback_id"] == ids.VIEW_NUDGE_SETTINGS
    fields = {block.get("block_id"): block.get("element", {}) for block in view["blocks"]}
    assert fields[ids.NUDGE_DM_BLOCK]["initial_option"]["value"] == "on"
    assert fields[ids.NUDGE_WEEKDAY_BLOCK]["initial_option"]["value"] == "1"
    assert fields[ids.NUDGE_TIME_BLOCK]["initial_time"] == "09:30"
    assert opened.params["trigger_id"].startswith("398738663015.")
    assert slack.fake.calls_to(RESPONSE_URL) == []


# --- the parser and the next-fire maths, as plain functions -------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nudges", StepupRequest("list")),
        ("Nudges LIST", StepupRequest("list")),
        ("settings", StepupRequest("settings")),
        (
            "nudges add &lt;#C0TEAM|team&gt; sat 08:15",
            StepupRequest("add", channel="C0TEAM", weekday=5, time=dt.time(8, 15)),
        ),
        (
            "nudges add here 0 23:59 Pacific/Auckland",
            StepupRequest("add", weekday=0, time=dt.time(23, 59), timezone="Pacific/Auckland"),
        ),
        (
            "nudges add Fridays 3:30 pm America/Chicago",
            StepupRequest("add", weekday=4, time=dt.time(15, 30), timezone="America/Chicago"),
        ),
        ("nudges add tues 7am", StepupRequest("add", weekday=1, time=dt.time(7, 0))),
        ("nudges preview #12", StepupRequest("preview", schedule_id=12)),
        ("nudges add", None),
        ("nudges frob 3", StepupRequest("help", not_understood="nudges frob 3")),
        ("win &amp; more", StepupRequest("help", not_understood="win & more")),
    ],
)
def test_parse_stepup(text: str, expected: StepupRequest | None) -> None:
    if expected is None:
        with pytest.raises(UserError, match="Usage"):
            parse_stepup(text)
    else:
        assert parse_stepup(text) == expected


def test_a_dm_id_is_not_a_channel_to_nudge() -> None:
    with pytest.raises(UserError, match="run it in the team channel or name one"):
        parse_stepup("nudges add D0DM12345 fri 15:00")


def _row(**fields: Any) -> NudgeSchedule:
    values: dict[str, Any] = {
        "id": 1,
        "kind": "channel",
        "channel_id": CHANNEL,
        "weekday": 4,
        "local_time": dt.time(15, 0),
        "timezone": "America/Chicago",
        "enabled": True,
        "paused_until": None,
    }
    values.update(fields)
    return NudgeSchedule(**values)


def test_next_post_skips_the_weeks_paused_and_is_none_when_off() -> None:
    now = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)  # a Wednesday
    chicago = ZoneInfo("America/Chicago")

    assert next_post(_row(), now) == dt.datetime(2026, 11, 27, 15, tzinfo=chicago)
    paused = _row(paused_until=dt.date(2026, 12, 4))  # through the next Friday too
    assert next_post(paused, now) == dt.datetime(2026, 12, 11, 15, tzinfo=chicago)
    nudge = schedule_view(paused, now)
    assert nudge.paused_until == dt.date(2026, 12, 4)
    assert schedule_view(_row(paused_until=dt.date(2026, 11, 1)), now).paused_until is None
    assert next_post(_row(enabled=False, disabled_reason="paused"), now) is None
