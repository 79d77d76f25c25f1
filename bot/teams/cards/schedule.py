"""The day, time and time zone inputs shared by the settings card and the channel nudge card.

The time zone is an ``Input.ChoiceSet`` in the ``filtered`` style (type to search), so what
arrives is always a valid IANA name. It offers the common US zones first, then the person's or
channel's current zone when it is not among them, then the major world zones below.

Not every IANA zone: the ~600 names of ``zoneinfo.available_timezones()`` take about 34 KB of
JSON, more than a whole Teams message may carry (about 28 KB); even the ~490 regional names
take 27 KB. A filtered choice set also cannot submit a name that is not in its list, so a
free-text ``Input.Text`` was the alternative; it was not chosen because a typo would only show
up after saving, and the handler would have to accept every spelling. The world list gives every
populated UTC offset at least one zone, so anyone can pick a zone whose clock matches theirs.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from bot.nudges.schedule import WEEKDAYS
from bot.nudges.zones import US_ZONES
from bot.teams import verbs
from bot.teams.cards.kit import Element, choice_set, time_input

WORLD_ZONES: Final[tuple[str, ...]] = (
    "UTC",
    "America/St_Johns",
    "America/Halifax",
    "America/Toronto",
    "America/Winnipeg",
    "America/Regina",
    "America/Edmonton",
    "America/Vancouver",
    "America/Mexico_City",
    "America/Bogota",
    "America/Lima",
    "America/Caracas",
    "America/Santiago",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "America/Noronha",
    "Atlantic/Azores",
    "Atlantic/Cape_Verde",
    "Atlantic/Reykjavik",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Madrid",
    "Europe/Paris",
    "Europe/Amsterdam",
    "Europe/Berlin",
    "Europe/Rome",
    "Europe/Stockholm",
    "Europe/Warsaw",
    "Europe/Athens",
    "Europe/Helsinki",
    "Europe/Bucharest",
    "Europe/Kyiv",
    "Europe/Istanbul",
    "Europe/Moscow",
    "Africa/Casablanca",
    "Africa/Lagos",
    "Africa/Cairo",
    "Africa/Johannesburg",
    "Africa/Nairobi",
    "Asia/Jerusalem",
    "Asia/Riyadh",
    "Asia/Tehran",
    "Asia/Dubai",
    "Asia/Kabul",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Dhaka",
    "Asia/Yangon",
    "Asia/Bangkok",
    "Asia/Jakarta",
    "Asia/Manila",
    "Asia/Singapore",
    "Asia/Hong_Kong",
    "Asia/Shanghai",
    "Asia/Taipei",
    "Asia/Seoul",
    "Asia/Tokyo",
    "Australia/Perth",
    "Australia/Eucla",
    "Australia/Darwin",
    "Australia/Adelaide",
    "Australia/Brisbane",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Noumea",
    "Pacific/Norfolk",
    "Pacific/Auckland",
    "Pacific/Chatham",
    "Pacific/Fiji",
    "Pacific/Tongatapu",
    "Pacific/Kiritimati",
    "Pacific/Marquesas",
    "Pacific/Pitcairn",
    "Pacific/Gambier",
    "Pacific/Niue",
)
"""Major world zones, after the US ones: at least one for every populated UTC offset."""


def timezone_choices(current: str | None) -> list[tuple[str, str]]:
    """Return ``(title, zone)`` for the time zone input: US zones, ``current``, the world.

    A title names the zone's IANA name too, so typing "chicago", "central" or "Europe/" finds it.
    """
    choices = [(f"{name} — {zone}", zone) for zone, name in US_ZONES]
    listed = {zone for zone, _ in US_ZONES} | set(WORLD_ZONES)
    if current and current not in listed:
        choices.append((current.replace("_", " "), current))
    choices += [(zone.replace("_", " "), zone) for zone in WORLD_ZONES]
    return choices


def weekday_input(weekday: int) -> Element:
    """Return the day input (``"0"`` = Monday … ``"6"`` = Sunday)."""
    days = [(name, str(index)) for index, name in enumerate(WEEKDAYS)]
    return choice_set(verbs.IN_WEEKDAY, "Day", days, value=str(weekday), required=True)


def clock_input(at: dt.time, *, title: str = "Time") -> Element:
    """Return the time input (``HH:MM``, 24-hour, local to the zone below it)."""
    return time_input(verbs.IN_TIME, title, value=f"{at.hour:02d}:{at.minute:02d}", required=True)


def timezone_input(zone: str) -> Element:
    """Return the time zone input, type-to-search, with ``zone`` selected."""
    return choice_set(
        verbs.IN_TIMEZONE,
        "Time zone",
        timezone_choices(zone),
        value=zone,
        style="filtered",
        placeholder="Type a city or a zone, e.g. Chicago",
        required=True,
    )
