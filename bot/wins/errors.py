"""Mistakes a person can fix while logging wins and goals; each message says how."""

from __future__ import annotations

import datetime as dt

from bot.errors import UserError

EXAMPLE_WIN = "trained 2 new techs on the IV hood this week"


class EmptyWin(UserError):
    """A win with no text."""

    def __init__(self) -> None:
        super().__init__(
            f'Tell me what you did (and, if you can, why and what changed), e.g. "{EXAMPLE_WIN}".'
        )


class WinTooLong(UserError):
    """A win past the storage limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"That win is longer than {limit:,} characters; please shorten it.")


class FutureDate(UserError):
    """A date that has not happened yet."""

    def __init__(self, when: dt.date, today: dt.date) -> None:
        super().__init__(
            f"{when.isoformat()} is in the future (today is {today.isoformat()}): "
            "log a win once it has happened."
        )


class NotFound(UserError):
    """No such row for this person (another person's rows look the same: not found)."""


class NotAllowed(UserError):
    """The person may not do this (e.g. accept thanks meant for someone else)."""
