"""App Home: the dashboard tab, the one-time greeting, and the nudge settings modal."""

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.app import Services, create_services
from bot.errors import UserError
from bot.slack import ids
from bot.store.models import DraftRecord, NudgeSchedule, Person
from bot.store.people import PersonRef, resolve_person
from bot.wins.preferences import update_nudge_preferences
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
from tests.helpers.slack_signing import event_body, interactivity_body, load_payload
from tests.helpers.slack_stack import SlackStack

CHICAGO = ZoneInfo("America/Chicago")


def _today() -> dt.date:
    return dt.datetime.now(CHICAGO).date()


def _texts(view: dict[str, Any]) -> str:
    return json.dumps(view["blocks"])


async def _seed(slack: SlackStack) -> tuple[Services, dt.date]:
    services = create_services(slack.runtime)
    today = _today()
    await services.wins.add(
        WHO, "trained 2 new techs on the IV hood", occurred_on=today, category="trained_mentored"
    )
    await services.wins.add(
        WHO,
        "caught a tenfold heparin dose error",
        occurred_on=today - dt.timedelta(days=7),
        category="caught_error",
    )
    await services.wins.add(
        WHO, "covered the night shift", occurred_on=today - dt.timedelta(days=200)
    )
    await services.goals.add(WHO, "CPhT", title="Pass the CPhT exam", progress=40)
    async with slack.runtime.sessions() as session, session.begin():
        person = await resolve_person(session, WHO)
        session.add(
            DraftRecord(
                workspace_id=person.workspace_id,
                person_id=person.id,
                problem="ADC par levels on 4 West run out every weekend",
                proposed_fix="raise the pars",
                my_role="pull the usage report",
            )
        )
    return services, today


async def test_home_tab_shows_counts_streak_wins_drafts_and_goals(slack: SlackStack) -> None:
    _, today = await _seed(slack)
    published = await open_home(slack)

    assert published.params["user_id"] == USER
    view = slack.fake.home_views[USER]
    assert view["type"] == "home"
    text = _texts(view)
    dates = [today, today - dt.timedelta(days=7), today - dt.timedelta(days=200)]
    quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    month = sum(day >= today.replace(day=1) for day in dates)
    quarter = sum(day >= quarter_start for day in dates)
    assert f"*{month}*\\nwins this month" in text
    assert f"*{quarter}*\\nwins this quarter" in text
    assert "*2*\\nweeks streak" in text
    assert "trained 2 new techs on the IV hood" in text
    assert "caught a tenfold heparin dose error" in text
    assert "ADC par levels on 4 West" in text
    assert ids.DRAFT_OPEN in text
    assert "Pass the CPhT exam" in text and "40%" in text
    assert ids.NUDGE_SETTINGS_OPEN in text


async def test_a_new_person_sees_the_welcome_and_three_ways_to_start(slack: SlackStack) -> None:
    await open_home(slack)
    text = _texts(slack.fake.home_views[USER])
    assert "Welcome to Step Up" in text
    assert ids.START_VENT in text and ids.WIN_LOG in text and ids.IMPACT_BUILD in text


async def test_only_workspace_admins_see_team_nudges(slack: SlackStack) -> None:
    admin, member = "U0ADMIN", "U0MEMBER"
    slack.fake.add_user(admin, is_admin=True)
    slack.fake.add_user(member)
    await open_home(slack, "Ev0MEMBER", user=member)
    async with slack.runtime.sessions() as session, session.begin():
        person = await resolve_person(session, PersonRef("slack", TEAM, member))
        session.add(
            NudgeSchedule(
                workspace_id=person.workspace_id,
                kind="channel",
                channel_id="C0PHARMACY",
                weekday=4,
                local_time=dt.time(14),
                timezone="America/Chicago",
            )
        )
    await open_home(slack, "Ev0ADMIN", user=admin)
    await open_home(slack, "Ev0MEMBER2", user=member)

    admin_view = _texts(slack.fake.home_views[admin])
    member_view = _texts(slack.fake.home_views[member])
    assert "Team nudges" in admin_view
    assert "<#C0PHARMACY>" in admin_view and "Fridays at 2:00 PM" in admin_view
    assert ids.TEAM_NUDGE_TOGGLE in admin_view
    assert "Team nudges" not in member_view
    assert "C0PHARMACY" not in member_view


async def test_timezone_comes_from_the_slack_profile_unless_already_set(
    slack: SlackStack,
) -> None:
    slack.fake.add_user(USER, tz="America/Denver", display_name="Dana")
    await open_home(slack)
    person = await person_row(slack)
    assert person.timezone == "America/Denver"
    assert person.display_name == "Dana"
    assert "Welcome to Step Up, Dana" in _texts(slack.fake.home_views[USER])

    slack.fake.add_user(USER, tz="Asia/Manila")
    await open_home(slack, "Ev0HOME2")
    assert (await person_row(slack)).timezone == "America/Denver"


async def test_messages_tab_greets_a_new_person_once(slack: SlackStack) -> None:
    slack.fake.add_user(USER, display_name="Dana")
    first = event_body("event_app_home_opened.json", event_id="Ev0MSG1", tab="messages")
    assert (await slack.send(first)).status_code == 200
    [greeting] = await slack.fake.wait_for("chat.postMessage")
    assert greeting.params["channel"] == "D123ABC456"
    assert "Hi Dana, I'm Step Up." in greeting.params["text"]
    assert ids.WIN_LOG in json.dumps(greeting.params["blocks"])
    assert (await person_row(slack)).greeted_at is not None

    second = event_body("event_app_home_opened.json", event_id="Ev0MSG2", tab="messages")
    assert (await slack.send(second)).status_code == 200
    await slack.fake.wait_for("users.info", 2)
    # A Home tab opened afterwards is published, and still only one greeting was posted.
    await open_home(slack, "Ev0HOME3")
    assert len(slack.fake.calls_to("chat.postMessage")) == 1
    assert slack.fake.calls_to("views.publish")[0].params["user_id"] == USER


# --- nudge settings ---------------------------------------------------------------------------


async def test_settings_button_opens_the_modal_prefilled_from_the_person(
    slack: SlackStack,
) -> None:
    pause = _today() + dt.timedelta(days=10)
    async with slack.runtime.sessions() as session, session.begin():
        person = await resolve_person(session, WHO)
        person.nudge_dm_enabled = True
        person.nudge_weekday = 0
        person.nudge_time = dt.time(9, 30)
        person.timezone = "Europe/London"
        person.nudge_paused_until = pause
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
    assert opened.params["trigger_id"] == "111.222.valid"
    assert view["callback_id"] == ids.VIEW_NUDGE_SETTINGS
    assert element_of(view, ids.NUDGE_DM_BLOCK)["initial_option"]["value"] == "on"
    assert element_of(view, ids.NUDGE_WEEKDAY_BLOCK)["initial_option"]["value"] == "0"
    assert element_of(view, ids.NUDGE_TIME_BLOCK)["initial_time"] == "09:30"
    assert element_of(view, ids.NUDGE_TIMEZONE_BLOCK)["initial_option"]["value"] == "Europe/London"
    assert element_of(view, ids.NUDGE_PAUSE_BLOCK)["initial_date"] == pause.isoformat()


async def test_saved_settings_are_stored_and_the_home_tab_is_republished(
    slack: SlackStack,
) -> None:
    pause = _today() + dt.timedelta(days=14)
    form = settings_form(weekday="0", time="09:30", zone="Europe/London", pause=pause.isoformat())
    response = await submit_settings(slack, form)
    assert response.text == ""

    [published] = await slack.fake.wait_for("views.publish")
    assert published.params["user_id"] == USER
    assert "Mondays at 9:30 AM (Europe/London)" in _texts(published.params["view"])
    person = await person_row(slack)
    assert person.nudge_dm_enabled is True
    assert person.nudge_weekday == 0
    assert person.nudge_time == dt.time(9, 30)
    assert person.timezone == "Europe/London"
    assert person.nudge_paused_until == pause


async def test_an_unknown_timezone_is_an_inline_error_and_nothing_changes(
    slack: SlackStack,
) -> None:
    response = await submit_settings(slack, settings_form(zone="Mars/Olympus_Mons", pause=None))
    body = response.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {ids.NUDGE_TIMEZONE_BLOCK}
    assert "America/Chicago" in body["errors"][ids.NUDGE_TIMEZONE_BLOCK]
    async with slack.runtime.sessions() as session:
        assert list(await session.scalars(select(Person))) == []
    assert slack.fake.calls_to("views.publish") == []


async def test_a_pause_date_in_the_past_is_an_inline_error(slack: SlackStack) -> None:
    past = (_today() - dt.timedelta(days=2)).isoformat()
    async with slack.runtime.sessions() as session, session.begin():
        (await resolve_person(session, WHO)).timezone = "America/Chicago"
    response = await submit_settings(slack, settings_form(zone="Europe/Berlin", pause=past))
    body = response.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {ids.NUDGE_PAUSE_BLOCK}
    assert "already passed" in body["errors"][ids.NUDGE_PAUSE_BLOCK]
    person = await person_row(slack)
    assert person.nudge_dm_enabled is False
    assert person.timezone == "America/Chicago"  # the whole form is refused, the zone too


async def test_preferences_service_refuses_a_weekday_outside_the_week(slack: SlackStack) -> None:
    with pytest.raises(UserError, match="Monday to Sunday"):
        await update_nudge_preferences(
            slack.runtime.sessions,
            WHO,
            enabled=True,
            weekday=7,
            time=dt.time(9),
            timezone="UTC",
            paused_until=None,
        )
    stored = await update_nudge_preferences(
        slack.runtime.sessions,
        WHO,
        enabled=False,
        weekday=6,
        time=None,
        timezone=None,
        paused_until=None,
    )
    assert (stored.enabled, stored.weekday, stored.timezone) == (False, 6, None)
