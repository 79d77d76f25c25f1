"""Periods a summary covers: ``30d``, ``90d``, ``quarter``, ``year``, ``all``, a month or a range.

Choices made for someone preparing a review or a raise conversation:

- ``Nd`` (``30d``, ``90d``, any 1–3660) is the last N days, today included.
- ``quarter`` is the current calendar quarter so far (Q4 = October 1 to today): "this
  quarter" is what quarterly check-ins talk about.
- ``year`` is the last twelve months, today included: the span an annual review or a raise
  ask covers, whatever the calendar says.
- ``all`` is everything logged; it has no previous period.
- ``YYYY-MM`` is that calendar month (the monthly digest's "Build my impact summary" asks for
  it); it compares with the calendar month before.
- ``YYYY-MM-DD..YYYY-MM-DD`` is that range, both ends included.

Every other period compares with the previous period of the same length, ending the day before
it starts, so a partial quarter is compared like for like.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.errors import UserError

PERIOD_FORMS = ("30d", "90d", "quarter", "year", "all", "YYYY-MM", "YYYY-MM-DD..YYYY-MM-DD")
DEFAULT_PERIOD = "year"
MAX_DAYS = 3660

_DAYS = re.compile(r"(\d{1,5})\s*d(?:ays?)?")
_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class Period:
    """An inclusive range of dates.

    Attributes:
        key: What the person asked for (``30d``, ``quarter``…), or the range itself.
        start: First day, or None for "all time".
        end: Last day.
        label: How a summary names it ("the last 30 days").
    """

    key: str
    start: dt.date | None
    end: dt.date
    label: str
    monthly: bool = False
    """A calendar month: the previous period is the calendar month before."""

    @property
    def days(self) -> int | None:
        """Number of days covered (None for all time)."""
        return None if self.start is None else (self.end - self.start).days + 1

    def previous(self) -> Period | None:
        """Return the period of the same length just before this one (None for all time)."""
        if self.start is None or self.days is None:
            return None
        if self.monthly:
            return month_period(self.start - dt.timedelta(days=1))
        end = self.start - dt.timedelta(days=1)
        start = end - dt.timedelta(days=self.days - 1)
        return Period(
            key=f"{start.isoformat()}..{end.isoformat()}",
            start=start,
            end=end,
            label=f"the previous {self.days} days",
        )

    def span(self) -> str:
        """Return the dates covered as text ("2026-01-01 to 2026-03-31", or "all time")."""
        if self.start is None:
            return f"all time to {self.end.isoformat()}"
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


def accepted_forms() -> str:
    """Return the accepted period forms, for help and error messages."""
    return ", ".join(PERIOD_FORMS)


def _year_ago(today: dt.date) -> dt.date:
    try:
        before = today.replace(year=today.year - 1)
    except ValueError:  # February 29
        before = today.replace(year=today.year - 1, day=28)
    return before + dt.timedelta(days=1)


def month_period(day: dt.date) -> Period:
    """Return the calendar month containing ``day`` as a period (``2026-10``, "October 2026")."""
    start = day.replace(day=1)
    following = (start + dt.timedelta(days=32)).replace(day=1)
    return Period(
        key=f"{start.year}-{start.month:02d}",
        start=start,
        end=following - dt.timedelta(days=1),
        label=f"{MONTHS[start.month - 1]} {start.year}",
        monthly=True,
    )


def _iso(text: str, original: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{text!r} in {original!r} is not a real date") from None


def parse_period(text: str | None, *, today: dt.date) -> Period:
    """Return the period ``text`` names, relative to ``today``.

    Raises:
        UserError: ``text`` is not one of the accepted forms; the message lists them.
    """
    original = (text or DEFAULT_PERIOD).strip()
    wanted = original.lower()
    if match := _DAYS.fullmatch(wanted):
        days = int(match[1])
        if not 1 <= days <= MAX_DAYS:
            raise UserError(
                f"a period in days runs from 1d to {MAX_DAYS}d, not {original!r}: "
                f"use one of {accepted_forms()}"
            )
        start = today - dt.timedelta(days=days - 1)
        return Period(f"{days}d", start, today, f"the last {days} days")
    if wanted == "quarter":
        quarter = (today.month - 1) // 3
        start = dt.date(today.year, quarter * 3 + 1, 1)
        return Period("quarter", start, today, f"Q{quarter + 1} {today.year} so far")
    if wanted == "year":
        return Period("year", _year_ago(today), today, "the last 12 months")
    if wanted == "all":
        return Period("all", None, today, "all time")
    if match := _MONTH.fullmatch(wanted):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12 or year < 1:
            raise UserError(f"{original!r} is not a real month: use YYYY-MM, e.g. 2026-10")
        return month_period(dt.date(year, month, 1))
    if match := _RANGE.fullmatch(wanted):
        start, end = _iso(match[1], original), _iso(match[2], original)
        if start > end:
            raise UserError(f"the period {original!r} ends before it starts")
        return Period(f"{start}..{end}", start, end, f"{start.isoformat()} to {end.isoformat()}")
    raise UserError(f"unknown period {original!r}: use one of {accepted_forms()}")
