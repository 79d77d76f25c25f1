"""Who a service acts for, and what "today" is for them.

Every surface names a person the same way: ``(platform, workspace external id, platform user
id)``. Services resolve that to a ``Person`` row (creating it on first sight) and use the
person's own timezone for "today", so a win logged at 11 pm in Denver is not dated tomorrow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.store.models import Person, utcnow
from bot.store.people import PersonRef, resolve_person

__all__ = ["Clock", "PersonRef", "resolve_person", "today_for", "zone_for"]

Clock = Callable[[], dt.datetime]
"""Returns the current aware datetime; tests pass a fixed one."""


def zone_for(person: Person, default_timezone: str) -> ZoneInfo:
    """Return the person's timezone, or ``default_timezone`` when theirs is unset or unknown."""
    for name in (person.timezone, default_timezone):
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def today_for(person: Person, *, clock: Clock = utcnow, default_timezone: str = "UTC") -> dt.date:
    """Return today's date where ``person`` is."""
    return clock().astimezone(zone_for(person, default_timezone)).date()
