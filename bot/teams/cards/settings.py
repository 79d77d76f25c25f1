"""The personal settings card: the weekly DM reminder, the monthly digest, and when they come.

The two switches are independent (the digest can be on while the weekly reminder is off); the
time and zone apply to both, the day only to the weekly reminder. Validation lives in
:func:`bot.wins.preferences.update_nudge_preferences`; the handler shows its message here with
``error``/``error_field``, next to the field it names.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from bot.nudges.schedule import DEFAULT_DM_TIME, DEFAULT_DM_WEEKDAY
from bot.nudges.view import schedule_text, zone_name
from bot.teams import verbs
from bot.teams.cards.kit import (
    Card,
    Element,
    card,
    date_input,
    execute,
    heading,
    note,
    text_block,
    toggle,
)
from bot.teams.cards.kit import error as error_text
from bot.teams.cards.schedule import clock_input, timezone_input, weekday_input
from bot.teams.cards.text import format_date, format_time
from bot.wins.preferences import FIELDS, NudgePreferences
from bot.wording import wording

DM_TITLE: Final = "Weekly reminder to log wins: a short chat message once a week"
DIGEST_TITLE: Final = "Monthly digest: your month in wins, on the 1st at the time below"
PAUSE_HINT: Final = (
    "On leave or on a stretch of nights? No reminders or digests until after this date. "
    "Leave it empty to keep them coming."
)


def _first_after(day: dt.date, weekday: int) -> dt.date:
    # The first ``weekday`` strictly after ``day``.
    return day + dt.timedelta(days=(weekday - day.weekday() - 1) % 7 + 1)


def saved_text(prefs: NudgePreferences, *, default_timezone: str, today: dt.date) -> str:
    """Return the confirmation after saving: what is on, and when the next nudge comes.

    E.g. "Saved. Weekly reminder: Fridays at 2:00 PM (Central)." (plain text).
    """
    zone = prefs.timezone or default_timezone
    weekday = prefs.weekday if prefs.weekday is not None else DEFAULT_DM_WEEKDAY
    at = prefs.time or DEFAULT_DM_TIME
    pause = prefs.paused_until if prefs.paused_until and prefs.paused_until >= today else None
    parts = ["Saved."]
    if prefs.enabled:
        parts.append(f"Weekly reminder: {schedule_text(weekday, at, zone)}.")
        if pause is not None:
            first = _first_after(pause, weekday)
            parts.append(
                f"Paused until {format_date(pause, today=today)}: the next one comes "
                f"{format_date(first, today=today)}."
            )
    else:
        parts.append("The weekly reminder is off.")
    if prefs.digest_enabled:
        parts.append(f"Monthly digest: on the 1st at {format_time(at)} ({zone_name(zone)}).")
        if pause is not None and not prefs.enabled:
            parts.append(f"Paused until {format_date(pause, today=today)}.")
    elif not prefs.enabled:
        parts.append("You won't get any reminders; turn one on here whenever you like.")
    return " ".join(parts)


def settings_card(
    prefs: NudgePreferences,
    *,
    default_timezone: str,
    error: str | None = None,
    error_field: str | None = None,
    saved: bool = False,
    today: dt.date,
) -> Card:
    """Return the settings card, prefilled with ``prefs``.

    Args:
        prefs: The person's current preferences.
        default_timezone: The zone shown when theirs is unknown.
        error: A problem with what they submitted (shown in the attention colour).
        error_field: Which field ``error`` is about (one of
            :data:`bot.wins.preferences.FIELDS`); anything else shows it at the top.
        saved: Show the confirmation, with when the next nudge comes.
        today: Today where the person is: the earliest date they may pause until.
    """
    problem = error
    weekday = prefs.weekday if prefs.weekday is not None and 0 <= prefs.weekday < 7 else None
    at = prefs.time or DEFAULT_DM_TIME
    zone = prefs.timezone or default_timezone
    pause = prefs.paused_until if prefs.paused_until and prefs.paused_until >= today else None
    fields: list[tuple[str, list[Element]]] = [
        ("dm_enabled", [toggle(verbs.IN_DM_ENABLED, DM_TITLE, on=prefs.enabled)]),
        (
            "digest_enabled",
            [
                toggle(verbs.IN_DIGEST_ENABLED, DIGEST_TITLE, on=prefs.digest_enabled),
                note(wording("digest_separate")),
            ],
        ),
        ("weekday", [weekday_input(DEFAULT_DM_WEEKDAY if weekday is None else weekday)]),
        ("time", [clock_input(at, title=wording("settings_time"))]),
        ("timezone", [timezone_input(zone)]),
        (
            "paused_until",
            [
                date_input(
                    verbs.IN_PAUSED_UNTIL,
                    "Pause until",
                    value=pause.isoformat() if pause else None,
                    minimum=today.isoformat(),
                ),
                note(PAUSE_HINT),
            ],
        ),
    ]
    body: list[Element] = [heading("Your reminders")]
    if saved:
        status = saved_text(prefs, default_timezone=default_timezone, today=today)
        body.append(text_block(f"✅ {status}", color="Good"))
    if problem and error_field not in FIELDS:
        body.append(error_text(problem))
    for name, elements in fields:
        body += elements
        if problem and name == error_field:
            body.append(error_text(problem))
    return card(body, [execute("Save", verbs.SETTINGS_SAVE, style="positive")])
