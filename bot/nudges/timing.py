"""Pure trigger maths for nudges: when is this period's nudge due, and which period is it.

A weekly schedule fires once per ISO week of its LOCAL calendar, on ``weekday`` (0 = Monday) at
``local_time`` in the IANA ``timezone``. A monthly one (the digest) fires on the first day of each
local month at ``local_time`` and is keyed by the month it looks back on. Everything here is a
pure function of the schedule and an aware instant, so it is tested with frozen clocks and never
reads the system time.

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
        key: ISO week of the local date, e.g. ``2026-W48``; for a monthly period the month it
            looks back on, e.g. ``2026-10`` for the digest due on 1 November.
        due_at: Aware UTC instant the nudge is due.
        week_start: Aware UTC instant the period began: local Monday 00:00 (monthly: the 1st,
            00:00), or the first instant after it.
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
    return _due(period_at(trigger, now), period_at(trigger, now, weeks_back=1), now, grace)


def _due(current: Period, previous: Period, now: dt.datetime, grace: dt.timedelta) -> Due | None:
    if current.due_at <= now:
        return Due(current, late=now - current.due_at > grace)
    if now - previous.due_at <= grace:
        return Due(previous, late=False)
    return None


def next_due(trigger: Trigger, now: dt.datetime) -> dt.datetime:
    """Return the first due instant strictly after ``now`` (for listings and previews)."""
    current = period_at(trigger, now)
    if current.due_at > now:
        return current.due_at
    return period_at(trigger, now + WEEK).due_at


def month_key(day: dt.date) -> str:
    """Return the key of the month containing ``day`` (``2026-10``)."""
    return f"{day.year}-{day.month:02d}"


def _add_months(first: dt.date, months: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def monthly_period_at(trigger: Trigger, now: dt.datetime, *, months_back: int = 0) -> Period:
    """Return the monthly period of the local month containing ``now`` (or one before).

    It is due on the 1st at ``local_time`` and its key is the PREVIOUS month (the one a digest
    sent that day looks back on). ``trigger.weekday`` is not used.

    Raises:
        ValueError: ``now`` is naive.
    """
    _require_aware(now)
    zone = ZoneInfo(trigger.timezone)
    first = _add_months(now.astimezone(zone).date().replace(day=1), -months_back)
    return Period(
        key=month_key(_add_months(first, -1)),
        due_at=resolve_local(first, trigger.local_time, zone),
        week_start=resolve_local(first, dt.time(0, 0), zone),
    )


def month_of(key: str) -> dt.date:
    """Return the first day of the month of a monthly key (``2026-10`` → 2026-10-01).

    Raises:
        ValueError: Not a ``YYYY-MM`` key.
    """
    year, _, month = key.partition("-")
    return dt.date(int(year), int(month), 1)


def is_due_monthly(trigger: Trigger, now: dt.datetime, *, grace: dt.timedelta) -> Due | None:
    """Return the monthly period due at ``now`` (same rules as :func:`is_due`, per month)."""
    current = monthly_period_at(trigger, now)
    return _due(current, monthly_period_at(trigger, now, months_back=1), now, grace)


def next_due_monthly(trigger: Trigger, now: dt.datetime) -> dt.datetime:
    """Return the first monthly due instant strictly after ``now``."""
    current = monthly_period_at(trigger, now)
    if current.due_at > now:
        return current.due_at
    return monthly_period_at(trigger, now, months_back=-1).due_at
