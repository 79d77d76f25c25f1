"""A person's DM nudge preferences: read and change them (any surface).

Two independent switches share one time and zone: the weekly reminder (on its weekday) and the
monthly digest, "your month in wins", on the 1st. Either may be on without the other.

Slack's Home tab modal and Teams' settings card both call :func:`update_nudge_preferences`;
validation lives here so every surface refuses the same mistakes with the same words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.errors import UserError
from bot.store.database import transaction
from bot.store.models import Person, utcnow
from bot.store.people import PersonRef, resolve_person
from bot.wins.identity import Clock, today_for
from bot.wording import wording

FIELDS = ("dm_enabled", "digest_enabled", "weekday", "time", "timezone", "paused_until")


class PreferenceError(UserError):
    """A nudge setting that cannot be stored; ``field`` names which one (see ``FIELDS``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class NudgePreferences:
    """What a person chose for their DM nudges.

    Attributes:
        enabled: Whether Step Up DMs them once a week.
        digest_enabled: Whether Step Up DMs them their month in wins on the 1st (independent of
            ``enabled``).
        weekday: 0 = Monday … 6 = Sunday (None: not chosen).
        time: Local time of the nudge (None: not chosen).
        timezone: IANA zone name (None: unknown).
        paused_until: No nudges until this date, inclusive (None: not paused).
    """

    enabled: bool = False
    weekday: int | None = None
    time: dt.time | None = None
    timezone: str | None = None
    paused_until: dt.date | None = None
    digest_enabled: bool = False


def preferences_of(person: Person) -> NudgePreferences:
    """Return the nudge preferences stored on ``person``."""
    return NudgePreferences(
        enabled=person.nudge_dm_enabled,
        weekday=person.nudge_weekday,
        time=person.nudge_time,
        timezone=person.timezone,
        paused_until=person.nudge_paused_until,
        digest_enabled=person.nudge_digest_enabled,
    )


def check_timezone(name: str | None) -> str | None:
    """Return ``name`` stripped if it is a known IANA zone (None stays None).

    Raises:
        PreferenceError: Unknown zone; the message gives the expected form.
    """
    if name is None or not name.strip():
        return None
    cleaned = name.strip()
    try:
        ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError):
        raise PreferenceError(
            "timezone",
            f"I don't know the time zone {cleaned!r}: use a name like America/Chicago.",
        ) from None
    return cleaned


def weekday_error() -> PreferenceError:
    """Return the refusal of a weekday outside Monday–Sunday."""
    return PreferenceError("weekday", wording("pick_weekday"))


def read_weekday(text: str) -> int:
    """Return the weekday a form submitted as text ("0" = Monday … "6" = Sunday).

    Raises:
        PreferenceError: Not a number from 0 to 6.
    """
    cleaned = text.strip()
    if not cleaned.isascii() or not cleaned.isdigit() or not 0 <= int(cleaned) <= 6:
        raise weekday_error()
    return int(cleaned)


async def get_nudge_preferences(
    sessions: async_sessionmaker[AsyncSession], who: PersonRef
) -> NudgePreferences:
    """Return the nudge preferences of ``who`` (creating the person on first sight)."""
    async with transaction(sessions) as session:
        return preferences_of(await resolve_person(session, who))


async def update_nudge_preferences(
    sessions: async_sessionmaker[AsyncSession],
    who: PersonRef,
    *,
    enabled: bool,
    weekday: int | None,
    time: dt.time | None,
    timezone: str | None,
    paused_until: dt.date | None,
    digest_enabled: bool | None = None,
    default_timezone: str = "UTC",
    clock: Clock = utcnow,
) -> NudgePreferences:
    """Validate and store the DM nudge preferences of ``who``.

    Args:
        sessions: The session factory.
        who: Whose preferences.
        enabled: Turn the weekly DM on or off.
        weekday: 0 = Monday … 6 = Sunday.
        time: Local time of the nudge.
        timezone: IANA zone; None keeps the stored one.
        paused_until: No nudges until this date (inclusive); today or later, or None.
        digest_enabled: Turn the monthly digest on or off; None keeps the stored choice.
        default_timezone: "Today" for a person with no zone yet.
        clock: Current time (tests fix it).

    Returns:
        The preferences as stored.

    Raises:
        PreferenceError: Unknown timezone, a weekday outside 0–6, or a pause date in the past
            (in the person's own timezone).
    """
    zone = check_timezone(timezone)
    if weekday is not None and not 0 <= weekday <= 6:
        raise weekday_error()
    async with transaction(sessions) as session:
        person = await resolve_person(session, who)
        if zone is not None:
            person.timezone = zone
        if paused_until is not None:
            today = today_for(person, clock=clock, default_timezone=default_timezone)
            if paused_until < today:
                raise PreferenceError(
                    "paused_until",
                    f"That date has already passed (today is {today.isoformat()}): "
                    "pick today or a later date, or clear it.",
                )
        person.nudge_dm_enabled = enabled
        person.nudge_weekday = weekday
        person.nudge_time = time
        person.nudge_paused_until = paused_until
        if digest_enabled is not None:
            person.nudge_digest_enabled = digest_enabled
        return preferences_of(person)
