"""Impact summaries built by hand, for the Slack and Teams impact tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.impact.summary import (
    Entry,
    GoalLine,
    HeadlineFigure,
    ImpactSummary,
    Section,
)

GENERATED_ON = dt.date(2026, 11, 25)
"""The day the hand-built summaries were generated (the Slack block tests' TODAY)."""


def entry(win_id: int, text: str, day: int = 3) -> Entry:
    return Entry(
        win_id=win_id,
        occurred_on=dt.date(2026, 10, day),
        category="trained_mentored",
        leadership="little",
        what=text,
        why=None,
        result=None,
        figures=["2 people trained"],
        text=text,
    )


def impact_summary(**changes: Any) -> ImpactSummary:
    sections = [
        Section(
            category=f"cat{index}",
            label=f"Category {index}",
            total=5 + index,
            entries=[entry(index * 10 + n, f"Win {index}.{n} <!channel>") for n in range(5)],
            more=index,
        )
        for index in range(9)
    ]
    fields: dict[str, Any] = {
        "person": "Sam",
        "period_key": "2026-Q4",
        "period_label": "Q4 2026",
        "start": dt.date(2026, 10, 1),
        "end": dt.date(2026, 12, 31),
        "previous_label": "Q3 2026",
        "generated_on": GENERATED_ON,
        "coach": "offline",
        "empty": False,
        "empty_hint": None,
        "headline": [
            HeadlineFigure(key="wins", label="wins logged", value=12, previous=9, change=3),
            HeadlineFigure(
                key="people_trained", label="people trained", value=4, previous=4, change=0
            ),
            HeadlineFigure(
                key="dollars", label="dollars saved", value=1200, previous=None, change=None
            ),
        ],
        "sections": sections,
        "leadership": [entry(1, "Organized the fridge audit")],
        "big_leadership": [entry(2, "Led the ADC par project")],
        "growth": [entry(3, "Passed the CSPT exam")],
        "goals_in_progress": [
            GoalLine(
                goal_id=1,
                kind="CPhT-Adv",
                title="CPhT-Adv",
                progress=40,
                target_date=None,
                text="CPhT-Adv: 40% done",
            )
        ],
        "involvement": None,
        "closing": "Over Q4 2026 I logged 12 wins.",
        "months": [],
        "monthly": [],
        "wins": [],
    }
    fields.update(changes)
    return ImpactSummary(**fields)


# The impact tests' person: (days ago, text), the last 90 days and a few older wins.
WINS = [
    (2, "trained 2 new techs on the IV hood because we were short, which means weekend backup"),
    (5, "caught 3 dosing errors in the ICU order queue"),
    (9, "covered 3 extra shifts during the flu shortage and stayed 4 hours late"),
    (12, "the ICU nurse manager thanked me for restocking the Pyxis before the code"),
    (20, "I proposed a new ADC par level and led the pilot, which cut stockouts by 40%"),
    (33, "presented a poster on IV workflow at the state pharmacy society"),
    (45, "reorganized the fridge so that we can find insulin faster, saving 2 hours a week"),
    (60, "everyone asks me about the carousel when it jams"),
    (95, "trained 1 new tech on the compounding software"),
    (100, "caught 2 wrong-patient labels"),
]
