"""Pure trigger maths for weekly nudges: when is this week's nudge due, and which week is it.

A schedule fires once per ISO week of its LOCAL calendar, on ``weekday`` (0 = Monday) at
``local_time`` in the IANA ``timezone``. Everything here is a pure function of the schedule and
an aware instant, so it is tested with frozen clocks and never reads the system time.

Daylight-saving rules:

- Spring forward (a local time that does not exist, e.g. 02:30 in America/Chicago on the
  transition day): the nudge fires at the first instant after the gap (03:00 local).
- Fall back (a local time that happens twice): the nudge fires once, at the first occurrence.
- A whole skipped day (Pacific/Apia in December 2011): fires at the first instant after it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo

WEEK = dt.timedelta(days=7)


class Trigger(Protocol):
    """What the maths needs from a schedule row (``NudgeSchedule`` satisfies it)."""

    @property
    def weekday(self) -> int:
        """0 = Monday … 6 = Sunday."""
        ...

    @property
    def local_time(self) -> dt.time:
        """Wall-clock time in ``timezone``."""
        ...

    @property
    def timezone(self) -> str:
        """IANA zone name."""
        ...


@dataclass(frozen=True)
class Weekly:
    """A plain trigger (for tests, previews and DM nudges built from a person's fields)."""

    weekday: int
    local_time: dt.time
    timezone: str


@dataclass(frozen=True)
class Period:
    """One week of a schedule: its key and the instant its nudge is due.

    Attributes:
        key: ISO week of the local date, e.g. ``2026-W48``.
        due_at: Aware UTC instant the nudge is due.
        week_start: Aware UTC instant of local Monday 00:00 (or the first instant after it).
    """

    key: str
    due_at: dt.datetime
    week_start: dt.datetime


@dataclass(frozen=True)
class Due:
    """A period whose nudge is due at ``now``.

    Attributes:
        period: The period.
        late: True when ``now`` is more than the grace past ``due_at``: record it skipped.
    """

    period: Period
    late: bool


def period_key(day: dt.date) -> str:
    """Return the ISO week key of a local date (``2026-W48``)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _require_aware(now: dt.datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")


def resolve_local(day: dt.date, at: dt.time, zone: ZoneInfo) -> dt.datetime:
    """Return the UTC instant of wall time ``at`` on ``day`` in ``zone``.

    A wall time in a DST gap resolves to the first instant after the gap; an ambiguous one to
    its first occurrence.
    """
    wall = dt.datetime.combine(day, at.replace(tzinfo=None, fold=0))
    first = wall.replace(tzinfo=zone, fold=0)
    utc = first.astimezone(dt.UTC)
    if utc.astimezone(zone).replace(tzinfo=None) == wall:
        return utc
    # A gap: fold=0 uses the offset before the transition and lands after it; fold=1 uses the
    # offset after and lands before it. The transition lies between; find it to the second.
    low = wall.replace(tzinfo=zone, fold=1).astimezone(dt.UTC)
    high = utc
    if low > high:
        low, high = high, low
    lo_s, hi_s = 0, int((high - low).total_seconds())
    while lo_s < hi_s:
        mid = (lo_s + hi_s) // 2
        if (low + dt.timedelta(seconds=mid)).astimezone(zone).replace(tzinfo=None) >= wall:
            hi_s = mid
        else:
            lo_s = mid + 1
    return low + dt.timedelta(seconds=lo_s)


def period_at(trigger: Trigger, now: dt.datetime, *, weeks_back: int = 0) -> Period:
    """Return the period of the local ISO week containing ``now`` (or ``weeks_back`` before).

    Args:
        trigger: The schedule (weekday, local time, IANA timezone).
        now: An aware instant.
        weeks_back: 1 for the previous week's period, and so on.

    Raises:
        ValueError: ``now`` is naive or the weekday is outside 0..6.
    """
    _require_aware(now)
    if not 0 <= trigger.weekday <= 6:
        raise ValueError(f"weekday {trigger.weekday} is outside 0..6")
    zone = ZoneInfo(trigger.timezone)
    local_day = now.astimezone(zone).date()
    monday = local_day - dt.timedelta(days=local_day.weekday()) - weeks_back * WEEK
    target = monday + dt.timedelta(days=trigger.weekday)
    return Period(
        key=period_key(target),
        due_at=resolve_local(target, trigger.local_time, zone),
        week_start=resolve_local(monday, dt.time(0, 0), zone),
    )


def is_due(trigger: Trigger, now: dt.datetime, *, grace: dt.timedelta) -> Due | None:
    """Return the period due at ``now``, or None when nothing is due yet.

    This week's nudge is due once its instant has passed. Before that, last week's is still
    reported when it is within ``grace`` (a Sunday 23:30 nudge seen at Monday 00:10). A due
    period more than ``grace`` old is returned with ``late=True``: the caller records it skipped
    instead of sending a stale prompt. The row's current fields are used, so a schedule edited
    between ticks is judged by its new weekday, time and zone.
    """
    current = period_at(trigger, now)
    if current.due_at <= now:
        return Due(current, late=now - current.due_at > grace)
    previous = period_at(trigger, now, weeks_back=1)
    if now - previous.due_at <= grace:
        return Due(previous, late=False)
    return None


def next_due(trigger: Trigger, now: dt.datetime) -> dt.datetime:
    """Return the first due instant strictly after ``now`` (for listings and previews)."""
    current = period_at(trigger, now)
    if current.due_at > now:
        return current.due_at
    return period_at(trigger, now + WEEK).due_at
