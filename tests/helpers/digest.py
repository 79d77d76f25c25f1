"""A monthly digest built by hand, for the Slack and Teams digest tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.nudges.digest import (
    CategoryCount,
    Digest,
    GoalAchieved,
    GoalDue,
    Highlight,
    month_period_key,
)

OCTOBER = dt.date(2026, 10, 1)


SENT_ON = dt.date(2026, 11, 1)


def digest(**changes: Any) -> Digest:
    fields: dict[str, Any] = {
        "month": OCTOBER,
        "today": SENT_ON,
        "display_name": "Maria",
        "wins": 5,
        "previous_wins": 3,
        "by_category": (
            CategoryCount("trained_mentored", "Trained or mentored", 3),
            CategoryCount("caught_error", "Caught an error (patient safety)", 2),
        ),
        "highlights": (
            Highlight(
                win_id=12,
                occurred_on=dt.date(2026, 10, 3),
                what="trained 2 new techs on the IV hood",
                result="both cover the hood alone now",
                figures=("2 people trained",),
                leadership="little",
            ),
            Highlight(
                win_id=15,
                occurred_on=dt.date(2026, 10, 20),
                what="led the ADC par pilot",
                result=None,
                figures=(),
                leadership="big",
            ),
        ),
        "little_l": 4,
        "big_l": 1,
        "goals_due": (
            GoalDue(
                goal_id=3,
                kind="CPhT",
                title="Pass the CPhT exam",
                target_date=dt.date(2026, 11, 20),
                progress=40,
                days_left=19,
            ),
        ),
        "goals_achieved": (
            GoalAchieved(goal_id=2, kind="TPV", title="TPV", achieved_on=dt.date(2026, 10, 8)),
        ),
        "period_key": month_period_key(OCTOBER),
    }
    fields.update(changes)
    return Digest(**fields)
