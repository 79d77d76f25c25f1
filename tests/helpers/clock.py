"""A fixed clock for the wins and impact tests, and a stand-in for redaction."""

from __future__ import annotations

import datetime as dt

# A Wednesday, mid-afternoon UTC.
NOW = dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


def fixed_clock() -> dt.datetime:
    """Return :data:`NOW`."""
    return NOW


def no_redaction(text: str) -> str:
    """Return ``text`` unchanged (services under test that need no redactor)."""
    return text
