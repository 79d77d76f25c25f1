"""One schedule view for every surface: the words, the state and the next post."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot.nudges.view import moment_text, schedule_text, schedule_view
from bot.store.models import NudgeSchedule

NOW = dt.datetime(2026, 11, 25, 18, tzinfo=dt.UTC)  # a Wednesday, noon in Chicago


def row(**fields: Any) -> NudgeSchedule:
    values: dict[str, Any] = {
        "id": 3,
        "kind": "channel",
        "channel_id": "C0PHARMACY",
        "weekday": 4,
        "local_time": dt.time(15, 0),
        "timezone": "America/Chicago",
        "enabled": True,
        "paused_until": None,
        "disabled_reason": None,
    }
    values.update(fields)
    return NudgeSchedule(**values)


@pytest.mark.parametrize(
    ("weekday", "at", "zone", "expected"),
    [
        (4, dt.time(15, 0), "America/Chicago", "Fridays at 3:00 PM (Central)"),
        (0, dt.time(7, 30), "Europe/London", "Mondays at 7:30 AM (Europe/London)"),
        (6, dt.time(0, 5), "Pacific/Honolulu", "Sundays at 12:05 AM (Hawaii)"),
        (9, dt.time(12, 0), "UTC", "?s at 12:00 PM (UTC)"),
    ],
)
def test_a_schedule_reads_the_same_everywhere(weekday, at, zone, expected) -> None:
    assert schedule_text(weekday, at, zone) == expected


def test_an_active_schedule_is_on_and_posts_next_in_its_own_zone() -> None:
    view = schedule_view(row(), NOW)
    assert (view.when, view.state, view.status) == ("Fridays at 3:00 PM (Central)", "on", "on")
    assert view.next_post_text == "Fri, Nov 27 at 3:00 PM CST"


def test_a_pause_ahead_shows_its_date_and_a_past_one_is_hidden() -> None:
    ahead = schedule_view(row(paused_until=dt.date(2026, 12, 4)), NOW)
    assert ahead.status == "paused until Fri, Dec 4"
    assert ahead.next_post_text == "Fri, Dec 11 at 3:00 PM CST"
    past = schedule_view(row(paused_until=dt.date(2026, 11, 1)), NOW)
    assert (past.paused_until, past.status) == (None, "on")


def test_paused_and_disabled_schedules_have_no_next_post() -> None:
    paused = schedule_view(row(enabled=False, disabled_reason="paused"), NOW)
    assert (paused.state, paused.status, paused.next_post_text) == ("paused", "paused", None)
    gone = schedule_view(row(enabled=False, disabled_reason="is_archived (at 2026-11-20)"), NOW)
    assert (gone.state, gone.reason) == ("disabled", "is_archived (at 2026-11-20)")
    assert gone.status == "disabled: is_archived (at 2026-11-20)"


def test_a_date_of_another_year_keeps_its_year() -> None:
    moment = dt.datetime(2027, 1, 8, 21, tzinfo=dt.UTC)
    assert moment_text(moment, "America/Chicago", today=dt.date(2026, 12, 30)) == (
        "Fri, Jan 8, 2027 at 3:00 PM CST"
    )
