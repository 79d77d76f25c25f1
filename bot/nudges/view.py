"""How a schedule reads, the same on every surface: "Fridays at 3:00 PM (Central)".

:func:`schedule_view` turns a stored channel schedule into a :class:`ScheduleView`: its words,
its state (on, paused until a date, paused, disabled and why) and when it posts next, in the
schedule's own zone. A pause date already past is hidden, so nobody reads "paused until" a day
that is gone. Slack blocks, Teams cards and the command line render from it, each with its own
markup.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.nudges.schedule import WEEKDAYS, next_post
from bot.nudges.zones import US_ZONES
from bot.store.models import NudgeSchedule

State = Literal["on", "paused", "disabled"]

ZONE_NAMES: Final[dict[str, str]] = {zone: label.split(" (")[0] for zone, label in US_ZONES}
"""US zones by the name people know them by (``America/Chicago`` → ``Central``)."""


def zone_name(timezone: str) -> str:
    """Return a zone as people say it: ``Central`` for the US zones, else its IANA name."""
    return ZONE_NAMES.get(timezone, timezone)


def day_name(weekday: int) -> str:
    """Return ``Friday`` for 4 (0 = Monday), ``?`` for a day that does not exist."""
    return WEEKDAYS[weekday] if 0 <= weekday < len(WEEKDAYS) else "?"


def time_text(at: dt.time) -> str:
    """Return a time of day as ``3:00 PM``."""
    hour = at.hour % 12 or 12
    return f"{hour}:{at.minute:02d} {'AM' if at.hour < 12 else 'PM'}"


def schedule_text(weekday: int, at: dt.time, timezone: str) -> str:
    """Return a weekly schedule in words: ``Fridays at 3:00 PM (Central)``."""
    return f"{day_name(weekday)}s at {time_text(at)} ({zone_name(timezone)})"


def date_text(day: dt.date, *, today: dt.date | None = None) -> str:
    """Return a date as ``Mon, Dec 7``, with the year unless it is ``today``'s year."""
    text = f"{day:%a}, {day:%b} {day.day}"
    if today is None or day.year != today.year:
        text += f", {day.year}"
    return text


def moment_text(moment: dt.datetime, timezone: str, *, today: dt.date | None = None) -> str:
    """Return an instant in a schedule's zone: ``Fri, Nov 27 at 3:00 PM CST``."""
    try:
        local = moment.astimezone(ZoneInfo(timezone))
    except (ZoneInfoNotFoundError, ValueError):
        local = moment.astimezone(dt.UTC)
    return f"{date_text(local.date(), today=today)} at {time_text(local.time())} {local:%Z}".strip()


@dataclass(frozen=True)
class ScheduleView:
    """A channel's weekly nudge as every surface shows it.

    Attributes:
        schedule_id: The schedule's number.
        channel_id: The channel it posts to.
        weekday: 0 = Monday … 6 = Sunday.
        local_time: When it posts, in ``timezone``.
        timezone: IANA zone.
        enabled: False when paused or turned off.
        disabled_reason: ``paused``, or why the scheduler turned it off (``not_in_channel …``).
        paused_until: No nudge until after this date; None when not paused or the date is past.
        next_post: When it posts next (aware), or None while it is off.
        today: Today in the schedule's zone (dates of this year drop the year).
    """

    schedule_id: int
    channel_id: str
    weekday: int
    local_time: dt.time
    timezone: str
    enabled: bool = True
    disabled_reason: str | None = None
    paused_until: dt.date | None = None
    next_post: dt.datetime | None = None
    today: dt.date | None = None

    @property
    def when(self) -> str:
        """The schedule in words: ``Fridays at 3:00 PM (Central)``."""
        return schedule_text(self.weekday, self.local_time, self.timezone)

    @property
    def state(self) -> State:
        """``on``, ``paused`` (by someone) or ``disabled`` (by the scheduler, see the reason)."""
        if self.enabled:
            return "on"
        return "paused" if self.disabled_reason in (None, "", "paused") else "disabled"

    @property
    def reason(self) -> str:
        """Why a disabled schedule is off, one line (empty unless ``state`` is ``disabled``)."""
        if self.state != "disabled":
            return ""
        return " ".join((self.disabled_reason or "").split())

    @property
    def paused_until_text(self) -> str | None:
        """``Mon, Dec 7``: the pause date in words, or None without a pause still ahead."""
        if self.paused_until is None:
            return None
        return date_text(self.paused_until, today=self.today)

    @property
    def next_post_text(self) -> str | None:
        """``Fri, Nov 27 at 3:00 PM CST``: the next post in the schedule's zone, or None (off)."""
        if self.next_post is None or not self.enabled:
            return None
        return moment_text(self.next_post, self.timezone, today=self.today)

    @property
    def status(self) -> str:
        """``on``, ``paused until Mon, Dec 7``, ``paused`` or ``disabled: <reason>``, plain."""
        if self.state == "disabled":
            return f"disabled: {self.reason}"
        if self.state == "paused":
            return "paused"
        if self.paused_until_text is not None:
            return f"paused until {self.paused_until_text}"
        return "on"


def schedule_view(schedule: NudgeSchedule, now: dt.datetime) -> ScheduleView:
    """Return what the surfaces show of a stored channel schedule at ``now``."""
    try:
        today: dt.date | None = now.astimezone(ZoneInfo(schedule.timezone)).date()
    except (ZoneInfoNotFoundError, ValueError):
        today = None
    pause = schedule.paused_until
    return ScheduleView(
        schedule_id=schedule.id,
        channel_id=str(schedule.channel_id or "?"),
        weekday=schedule.weekday,
        local_time=schedule.local_time,
        timezone=schedule.timezone,
        enabled=schedule.enabled,
        disabled_reason=schedule.disabled_reason,
        paused_until=pause if pause is not None and today is not None and pause >= today else None,
        next_post=_next_post(schedule, now),
        today=today,
    )


def _next_post(schedule: NudgeSchedule, now: dt.datetime) -> dt.datetime | None:
    # A row with a weekday or zone that cannot fire (the start-up audit turns it off) has none.
    try:
        return next_post(schedule, now)
    except (ValueError, KeyError, ZoneInfoNotFoundError):
        return None
