"""Fixtures for the coaching tests: a conversation service over the test database."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.coaching.conversation import ConversationService
from bot.coaching.offline import OfflineCoach
from bot.coaching.pipeline import SafetyPipeline
from bot.safety.gate import SafetyGate
from bot.safety.redaction import get_redactor


@pytest.fixture
def conversations(sessions: async_sessionmaker[AsyncSession]) -> ConversationService:
    """The conversation service with the offline coach (no network), as the terminal uses."""
    gate = SafetyGate(redactor=get_redactor(), eap_contact=None)
    pipeline = SafetyPipeline(coach=OfflineCoach(), gate=gate)
    return ConversationService(sessions=sessions, pipeline=pipeline)
