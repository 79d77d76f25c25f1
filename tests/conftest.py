"""Shared fixtures: a migrated database (SQLite by default, PostgreSQL when asked) per test.

Set ``STEPUP_TEST_DATABASE_URL`` to a PostgreSQL URL to run the whole suite against it; CI runs
the suite once on SQLite and once on PostgreSQL.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import httpx2
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.store import migrate
from bot.store.database import create_engine, session_factory
from bot.store.models import Base

_migrated_urls: set[str] = set()


@pytest.fixture(autouse=True)
def isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Run every test in an empty folder with no Step Up settings in the environment."""
    from bot.settings import Settings

    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)


def test_database_url(tmp_path: Path) -> str:
    """Return the database URL a test should use: PostgreSQL if configured, else a temp SQLite."""
    return os.environ.get("STEPUP_TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'stepup.db'}"


async def _empty_all_tables(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(table.name for table in Base.metadata.sorted_tables)
            await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(Base.metadata.sorted_tables):
                await connection.execute(table.delete())


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """The URL of this test's database (not yet migrated)."""
    return test_database_url(tmp_path)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """A migrated, empty database."""
    engine = create_engine(database_url)
    if database_url not in _migrated_urls:
        await migrate.upgrade(engine)
        if database_url.startswith("postgres"):
            _migrated_urls.add(database_url)
    await _empty_all_tables(engine)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """The session factory services take."""
    return session_factory(engine)


@pytest.fixture
async def session(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """One session inside a transaction that the test may commit."""
    async with sessions() as session:
        yield session


@pytest.fixture
async def http_clients() -> AsyncIterator[list[httpx2.AsyncClient]]:
    """HTTP clients a test makes (e.g. for the OpenAI SDK's MockTransport), closed after it."""
    clients: list[httpx2.AsyncClient] = []
    yield clients
    for client in clients:
        await client.aclose()
