"""Fixtures for the impact tests: a fixed clock and a person with a year of varied wins."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.impact.summary import ImpactService
from bot.wins.goals import GoalsService
from bot.wins.identity import PersonRef
from bot.wins.service import WinsService

NOW = dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.UTC)
TODAY = NOW.date()

# (days ago, text) — last 90 days plus a few older wins for the previous period.
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


def fixed_clock() -> dt.datetime:
    return NOW


@pytest.fixture
def me() -> PersonRef:
    return PersonRef("local", "local", "me")


@pytest.fixture
def wins(sessions: async_sessionmaker[AsyncSession]) -> WinsService:
    return WinsService(sessions, redact=lambda s: s, clock=fixed_clock)


@pytest.fixture
def goals(sessions: async_sessionmaker[AsyncSession]) -> GoalsService:
    return GoalsService(sessions, redact=lambda s: s, clock=fixed_clock)


@pytest.fixture
def impact(sessions: async_sessionmaker[AsyncSession]) -> ImpactService:
    return ImpactService(sessions, clock=fixed_clock)


@pytest.fixture
async def logged(wins: WinsService, goals: GoalsService, me: PersonRef) -> dict[str, int]:
    """The WINS above plus a CPhT earned 50 days ago and a CSPT goal in progress."""
    ids = {}
    for days, text in WINS:
        win = (await wins.add(me, text, occurred_on=TODAY - dt.timedelta(days=days))).win
        ids[text] = win.id
    cpht = await goals.add(me, "CPhT")
    _, win = await goals.achieve(me, cpht.id, on=TODAY - dt.timedelta(days=50))
    ids["cpht"] = win.id
    cspt = await goals.add(me, "CSPT", target_date=dt.date(2027, 3, 1), progress=40)
    ids["cspt_goal"] = cspt.id
    return ids
