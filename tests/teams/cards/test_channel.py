"""A team channel's weekly nudge card, and the notice when a channel nudge was turned off."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot.nudges.view import ScheduleView
from bot.teams import cards, verbs
from tests.helpers.cards import (
    HOSTILE,
    actions,
    assert_hostile_escaped,
    assert_valid_card,
    body_text,
    by_verb,
    inputs,
    texts,
)


def view(**changes: Any) -> ScheduleView:
    fields: dict[str, Any] = {
        "schedule_id": 7,
        "channel_id": "19:floor@thread.tacv2",
        "weekday": 4,
        "local_time": dt.time(15, 30),
        "timezone": "America/Chicago",
        "enabled": True,
        "paused_until": None,
        "disabled_reason": None,
        "next_post": dt.datetime(2026, 11, 27, 21, 30, tzinfo=dt.UTC),
        "today": dt.date(2026, 11, 25),
    }
    fields.update(changes)
    return ScheduleView(**fields)


def test_without_a_schedule_the_card_is_a_form_to_turn_it_on() -> None:
    card = cards.channel_nudge_card(None, default_timezone="America/Denver")

    assert_valid_card(card)
    fields = inputs(card)
    assert list(fields) == [verbs.IN_WEEKDAY, verbs.IN_TIME, verbs.IN_TIMEZONE]
    assert (fields["weekday"]["value"], fields["time"]["value"]) == ("4", "14:00")
    assert fields["timezone"]["value"] == "America/Denver"
    [save] = actions(card)
    assert (save["title"], save["verb"], save["data"]) == (
        "Turn on the weekly nudge",
        verbs.CHANNEL_SAVE,
        {},
    )


def test_an_active_schedule_shows_when_it_posts_and_offers_pause() -> None:
    card = cards.channel_nudge_card(view(), default_timezone="UTC", notice="Saved.")

    assert_valid_card(card)
    shown = body_text(card)
    assert "Nudge #7: **Fridays at 3:30 PM (Central)**" in shown
    assert "Next post: Fri, Nov 27 at 3:30 PM CST." in shown
    assert "✅ Saved." in shown
    fields = inputs(card)
    assert (fields["weekday"]["value"], fields["time"]["value"]) == ("4", "15:30")
    assert fields["timezone"]["value"] == "America/Chicago"
    assert [a["verb"] for a in actions(card)] == [
        verbs.CHANNEL_SAVE,
        verbs.CHANNEL_PAUSE,
        verbs.CHANNEL_REMOVE,
    ]
    assert all(a["data"] == {verbs.SCHEDULE_ID: "7"} for a in actions(card))
    assert by_verb(card, verbs.CHANNEL_REMOVE)[0]["style"] == "destructive"


def test_a_paused_schedule_offers_resume() -> None:
    card = cards.channel_nudge_card(
        view(enabled=False, disabled_reason="paused", next_post=None), default_timezone="UTC"
    )

    assert_valid_card(card)
    assert "**Paused.**" in body_text(card)
    assert not by_verb(card, verbs.CHANNEL_PAUSE)
    assert by_verb(card, verbs.CHANNEL_RESUME)[0]["data"] == {verbs.SCHEDULE_ID: "7"}


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("gone", "the channel was deleted, or Step Up was removed from the team"),
        ("forbidden", "Step Up may no longer post there"),
        ("BotNotInConversationRoster", "Teams refused the post (BotNotInConversationRoster)"),
        # As the scheduler stores them: the sender's code and the day it happened.
        (
            "teams_gone (at 2026-11-27)",
            "the channel was deleted, or Step Up was removed from the team",
        ),
        ("teams_forbidden (at 2026-11-27)", "Step Up may no longer post there"),
        ("teams_http_410 (at 2026-11-27)", "Teams refused the post (HTTP 410)"),
    ],
)
def test_a_schedule_turned_off_by_teams_says_why_and_how_to_fix_it(code: str, reason: str) -> None:
    card = cards.channel_nudge_card(
        view(enabled=False, disabled_reason=code, next_post=None), default_timezone="UTC"
    )

    shown = body_text(card)
    assert f"**Off:** {reason}." in shown
    assert "add Step Up to the team again" in shown
    assert by_verb(card, verbs.CHANNEL_RESUME)


def test_channel_card_escapes_errors_and_reasons() -> None:
    card = cards.channel_nudge_card(
        view(enabled=False, disabled_reason=HOSTILE, next_post=None),
        default_timezone="UTC",
        error=HOSTILE,
    )

    assert_valid_card(card)
    assert_hostile_escaped(card, expected=2)


def test_paused_until_a_date_is_shown() -> None:
    card = cards.channel_nudge_card(view(paused_until=dt.date(2026, 12, 7)), default_timezone="UTC")

    assert "Paused until Mon, Dec 7." in body_text(card)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("gone", "the channel was deleted, or Step Up was removed from the team"),
        ("forbidden", "Step Up may no longer post there"),
        ("Throttled", "Teams refused the post (Throttled)"),
    ],
)
def test_nudge_disabled_card_says_why_and_the_fix(code: str, reason: str) -> None:
    card = cards.nudge_disabled_card("Pharmacy — Evening", code, 7)

    assert_valid_card(card)
    first, fix = texts(card)
    assert first == f"I turned off the weekly win nudge #7 for **Pharmacy — Evening**: {reason}."
    assert "add Step Up to the team again" in fix
    assert "**@Step Up nudges**" in fix and "**Resume**" in fix
    assert actions(card) == []


def test_nudge_disabled_card_escapes_the_channel_name_and_code() -> None:
    card = cards.nudge_disabled_card(HOSTILE, HOSTILE, 1)

    assert_valid_card(card)
    assert_hostile_escaped(card)
