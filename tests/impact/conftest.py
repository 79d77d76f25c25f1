"""Fixtures for the impact tests: a fixed clock and a person with a year of varied wins."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.impact.summary import ImpactService
from bot.wins.goals import GoalsService
from bot.wins.identity import PersonRef
from bot.wins.service import WinsService
from tests.helpers.clock import TODAY, fixed_clock
from tests.helpers.impact import WINS


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
