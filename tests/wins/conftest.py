"""Fixtures for the wins tests: a fixed clock, the local person, services without redaction."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.wins.goals import GoalsService
from bot.wins.identity import PersonRef
from bot.wins.service import WinsService
from bot.wins.thanks import ThanksService
from tests.helpers.clock import fixed_clock, no_redaction


@pytest.fixture
def me() -> PersonRef:
    return PersonRef("local", "local", "me")


@pytest.fixture
def wins(sessions: async_sessionmaker[AsyncSession]) -> WinsService:
    return WinsService(sessions, redact=no_redaction, clock=fixed_clock)


@pytest.fixture
def goals(sessions: async_sessionmaker[AsyncSession]) -> GoalsService:
    return GoalsService(sessions, redact=no_redaction, clock=fixed_clock)


@pytest.fixture
def thanks(sessions: async_sessionmaker[AsyncSession]) -> ThanksService:
    return ThanksService(sessions, redact=no_redaction, clock=fixed_clock)
