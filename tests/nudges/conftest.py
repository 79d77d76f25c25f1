"""Fixtures for nudge tests: a recording sender (helpers live in tests/helpers/nudges.py)."""

from __future__ import annotations

import pytest

from tests.helpers.nudges import RecordingSender


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender()
