"""The words of a weekly schedule: days, times and zones as people write them, and when it posts.

Every surface parses what people type with these functions and shows the accepted forms from
the ``*_FORMS`` constants, so ``fri``, ``Fridays``, ``3pm`` and ``Central`` mean the same thing in
``/stepup``, on a Teams card and on the command line.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import UserError
from bot.nudges.timing import next_due, resolve_local
from bot.store.models import NudgeSchedule

WEEKDAYS: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
"""The days of the week as shown everywhere, 0 = Monday (Python's ``date.weekday()``)."""
DAY_NAMES: Final = tuple(day.lower() for day in WEEKDAYS)
DAY_FORMS: Final = "mon..sun or monday..sunday (or 0..6, 0 = Monday)"
TIME_FORMS: Final = "HH:MM 24-hour (e.g. 15:00), or 3pm / 3:30pm"
DAY_ALIASES: Final = {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}
ZONE_FORMS: Final = (
    "an IANA name such as America/Chicago, Europe/London or Pacific/Auckland "
    "(or Eastern, Central, Mountain, Pacific, Alaska, Hawaii)"
)
DEFAULT_DM_WEEKDAY: Final = 4  # Friday: the end of most technicians' week
DEFAULT_DM_TIME: Final = dt.time(14, 0)


def parse_weekday(text: str) -> int:
    """Return 0..6 for ``mon``/``monday``/``0`` (case-insensitive).

    Raises:
        UserError: Anything else; the message lists the accepted forms.
    """
    cleaned = text.strip().lower().rstrip(".")
    if cleaned.isdigit() and 0 <= int(cleaned) <= 6:
        return int(cleaned)
    for word in (cleaned, cleaned.removesuffix("s")):  # "fridays", as people write it
        if word in DAY_ALIASES:
            return DAY_ALIASES[word]
        for index, name in enumerate(DAY_NAMES):
            if word in (name, name[:3]):
                return index
    raise UserError(f"cannot read the day {text!r}: use {DAY_FORMS}")


def parse_time(text: str) -> dt.time:
    """Return the time of ``HH:MM`` (24-hour), ``3pm``, ``3:30 pm``, ``noon`` or ``midnight``.

    Raises:
        UserError: Anything else; the message gives the accepted forms.
    """
    cleaned = "".join(text.lower().split()).replace(".", "")
    named = {"noon": dt.time(12, 0), "midnight": dt.time(0, 0)}
    if cleaned in named:
        return named[cleaned]
    half = cleaned[-2:] if cleaned[-2:] in ("am", "pm") else ""
    clock = cleaned.removesuffix(half) if half else cleaned
    hours, sep, minutes = clock.partition(":")
    if half and not sep:
        minutes = "00"
    digits = hours.isdigit() and minutes.isdigit() and (sep or half)
    if digits and len(minutes) == 2 and 1 <= len(hours) <= 2 and int(minutes) < 60:
        hour = int(hours)
        if half and 1 <= hour <= 12:
            return dt.time(hour % 12 + (12 if half == "pm" else 0), int(minutes))
        if not half and hour < 24:
            return dt.time(hour, int(minutes))
    raise UserError(f"cannot read the time {text!r}: use {TIME_FORMS}")


ZONE_WORDS: Final = {
    **dict.fromkeys(("eastern", "et", "est", "edt"), "America/New_York"),
    **dict.fromkeys(("central", "ct", "cst", "cdt"), "America/Chicago"),
    **dict.fromkeys(("mountain", "mt", "mst", "mdt"), "America/Denver"),
    **dict.fromkeys(("arizona",), "America/Phoenix"),
    **dict.fromkeys(("pacific", "pt", "pst", "pdt"), "America/Los_Angeles"),
    **dict.fromkeys(("alaska", "akst", "akdt"), "America/Anchorage"),
    **dict.fromkeys(("hawaii", "hst"), "Pacific/Honolulu"),
}
"""US time-zone words people type, to the IANA zone that keeps daylight saving right."""


@functools.cache
def _zones_by_lower_name() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def parse_timezone(text: str) -> str:
    """Return the IANA zone ``text`` names: an IANA name (any case) or a US zone word.

    ``Central``, ``CST`` and ``CDT`` all mean America/Chicago, so a nudge set in winter keeps
    its local time through daylight saving.

    Raises:
        UserError: Unknown zone; the message gives the accepted forms.
    """
    cleaned = text.strip()
    alias = ZONE_WORDS.get(cleaned.lower().replace(" time", "").strip())
    if alias is not None:
        return alias
    cleaned = _zones_by_lower_name().get(cleaned.lower(), cleaned)
    try:
        if not cleaned or cleaned != cleaned.strip("/") or ".." in cleaned:
            raise ValueError(cleaned)
        ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError(f"unknown timezone {text!r}: use {ZONE_FORMS}") from None
    return cleaned


def parse_schedule(
    weekday: str | int, local_time: str | dt.time, timezone: str
) -> tuple[int, dt.time, str]:
    """Return a schedule's weekday (0 = Monday), time and IANA zone from what a person wrote.

    Raises:
        UserError: An unknown day, time or timezone; the message lists the accepted forms.
    """
    day = weekday if isinstance(weekday, int) else parse_weekday(weekday)
    if not 0 <= day <= 6:
        raise UserError(f"cannot read the day {weekday!r}: use {DAY_FORMS}")
    at = local_time if isinstance(local_time, dt.time) else parse_time(local_time)
    return day, at, parse_timezone(timezone)


def next_post(schedule: NudgeSchedule, now: dt.datetime) -> dt.datetime | None:
    """Return when a schedule next posts, or None while it is off.

    A ``paused_until`` date skips every nudge due on or before it (in the schedule's zone).
    """
    if not schedule.enabled:
        return None
    after = now
    if schedule.paused_until is not None:
        resume = resolve_local(
            schedule.paused_until + dt.timedelta(days=1), dt.time(0), ZoneInfo(schedule.timezone)
        )
        after = max(now, resume - dt.timedelta(microseconds=1))
    return next_due(schedule, after)
