"""The personal settings card and the day / time / zone inputs it shares with channel nudges."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest

from bot.nudges.schedule import DEFAULT_DM_TIME, DEFAULT_DM_WEEKDAY, parse_timezone
from bot.teams import cards, verbs
from bot.teams.cards.schedule import US_ZONES, WORLD_ZONES, timezone_choices
from bot.wins.preferences import FIELDS, NudgePreferences
from tests.helpers.cards import (
    HOSTILE,
    assert_hostile_escaped,
    assert_valid_card,
    by_verb,
    elements,
    inputs,
    size,
    texts,
)

TODAY = dt.date(2026, 11, 25)


def prefs(**changes: Any) -> NudgePreferences:
    fields: dict[str, Any] = {
        "enabled": True,
        "weekday": 4,
        "time": dt.time(14, 0),
        "timezone": "America/Chicago",
        "paused_until": None,
        "digest_enabled": True,
    }
    fields.update(changes)
    return NudgePreferences(**fields)


def settings(preferences: NudgePreferences | None = None, **options: Any) -> dict[str, Any]:
    return cards.settings_card(
        preferences or prefs(), default_timezone="America/New_York", today=TODAY, **options
    )


def test_settings_card_prefills_every_input_from_the_preferences() -> None:
    card = settings(prefs(paused_until=dt.date(2026, 12, 7)))

    assert_valid_card(card)
    fields = inputs(card)
    assert list(fields) == [
        verbs.IN_DM_ENABLED,
        verbs.IN_DIGEST_ENABLED,
        verbs.IN_WEEKDAY,
        verbs.IN_TIME,
        verbs.IN_TIMEZONE,
        verbs.IN_PAUSED_UNTIL,
    ]
    assert fields["dm_enabled"]["type"] == "Input.Toggle"
    assert (fields["dm_enabled"]["value"], fields["digest_enabled"]["value"]) == ("true", "true")
    assert fields["dm_enabled"]["valueOn"] == "true" and fields["dm_enabled"]["valueOff"] == "false"
    assert [c["title"] for c in fields["weekday"]["choices"]][::6] == ["Monday", "Sunday"]
    assert [c["value"] for c in fields["weekday"]["choices"]] == [str(d) for d in range(7)]
    assert fields["weekday"]["value"] == "4"
    assert (fields["time"]["type"], fields["time"]["value"]) == ("Input.Time", "14:00")
    assert fields["timezone"]["style"] == "filtered"
    assert fields["timezone"]["value"] == "America/Chicago"
    assert fields["paused_until"]["type"] == "Input.Date"
    assert fields["paused_until"]["value"] == "2026-12-07"
    assert fields["paused_until"]["min"] == "2026-11-25"
    [save] = by_verb(card, verbs.SETTINGS_SAVE)
    assert save["type"] == "Action.Execute"


def test_settings_card_defaults_for_someone_new() -> None:
    new = NudgePreferences(enabled=False, weekday=None, time=None, timezone=None, paused_until=None)

    fields = inputs(settings(new))

    assert (fields["dm_enabled"]["value"], fields["digest_enabled"]["value"]) == ("false", "false")
    assert fields["weekday"]["value"] == str(DEFAULT_DM_WEEKDAY) == "4"
    assert fields["time"]["value"] == DEFAULT_DM_TIME.strftime("%H:%M") == "14:00"
    assert fields["timezone"]["value"] == "America/New_York"
    assert "value" not in fields["paused_until"]


def test_a_pause_that_has_ended_is_not_prefilled_below_the_minimum() -> None:
    fields = inputs(settings(prefs(paused_until=dt.date(2026, 11, 1))))

    assert "value" not in fields["paused_until"]


@pytest.mark.parametrize("field", FIELDS)
def test_an_error_shows_right_after_the_field_it_names(field: str) -> None:
    card = settings(error="That date has already passed.", error_field=field)

    assert_valid_card(card)
    flat = elements(card)
    [warning] = [n for n in flat if n.get("color") == "Attention"]
    assert "That date has already passed." in warning["text"]
    before = flat[: flat.index(warning)]
    owner = next(n for n in reversed(before) if n["type"].startswith("Input."))
    assert owner["id"] == field


def test_an_error_without_a_known_field_shows_at_the_top_escaped() -> None:
    card = settings(error=f"I don't know the time zone {HOSTILE!r}", error_field="nonsense")

    assert_valid_card(card)
    flat = [n for n in elements(card) if n["type"] == "TextBlock" or n["type"].startswith("Input.")]
    warning = next(n for n in flat if n.get("color") == "Attention")
    assert flat.index(warning) < min(
        i for i, n in enumerate(flat) if n["type"].startswith("Input.")
    )
    assert_hostile_escaped(card)


def test_saved_settings_say_when_the_next_nudge_comes() -> None:
    card = settings(saved=True)

    assert_valid_card(card)
    [status] = [line for line in texts(card) if "Saved." in line]
    assert "Weekly reminder: Fridays at 2:00 PM (Central)." in status
    assert "Monthly digest: on the 1st at 2:00 PM (Central)." in status
    assert not [n for n in elements(card) if n.get("color") == "Attention"]


def test_saved_settings_while_paused_name_the_first_nudge_after_the_pause() -> None:
    card = settings(prefs(paused_until=dt.date(2026, 12, 7), digest_enabled=False), saved=True)

    status = next(line for line in texts(card) if "Saved." in line)
    assert "Paused until Mon, Dec 7: the next one comes Fri, Dec 11." in status  # a Monday pause
    assert "digest" not in status


def test_saved_settings_with_everything_off() -> None:
    card = settings(prefs(enabled=False, digest_enabled=False), saved=True)

    status = next(line for line in texts(card) if "Saved." in line)
    assert "The weekly reminder is off." in status
    assert "won't get any reminders" in status


def test_timezone_choices_put_us_zones_first_then_the_current_zone_then_the_world() -> None:
    choices = timezone_choices("Asia/Almaty")
    values = [value for _, value in choices]

    assert values[: len(US_ZONES)] == [zone for zone, _ in US_ZONES]
    assert values[len(US_ZONES)] == "Asia/Almaty"
    assert values[len(US_ZONES) + 1 :] == list(WORLD_ZONES)
    assert len(values) == len(set(values))
    assert choices[1][0] == "Central (Chicago) — America/Chicago"
    assert timezone_choices("Europe/London").count(("Europe/London", "Europe/London")) == 1


def test_every_offered_zone_is_one_the_services_accept() -> None:
    available = zoneinfo.available_timezones() | {"UTC"}

    for _, zone in timezone_choices(None):
        assert zone in available
        assert parse_timezone(zone) == zone


def test_the_world_list_covers_every_populated_utc_offset() -> None:
    # Anyone can pick a zone whose clock matches theirs today, even when theirs is not listed.
    moment = dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC)
    offered = {
        moment.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset() for _, zone in timezone_choices(None)
    }
    regions = ("Africa/", "America/", "Asia/", "Atlantic/", "Australia/", "Europe/", "Pacific/")
    wanted = {
        moment.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset()
        for zone in zoneinfo.available_timezones()
        if zone.startswith(regions)
    }
    assert wanted - offered == set()


def test_settings_card_stays_small_with_an_unlisted_zone_and_an_error() -> None:
    card = settings(
        prefs(timezone="America/Argentina/ComodRivadavia"),
        error="x" * 5000,
        error_field="timezone",
        saved=True,
    )

    assert_valid_card(card)
    assert size(card) < 12_000
    assert inputs(card)["timezone"]["value"] == "America/Argentina/ComodRivadavia"
