"""The async engine and session factory, and the mapping of ``DATABASE_URL`` to async drivers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
}
SYNC_DRIVERS = {"sqlite": "sqlite", "postgresql": "postgresql+psycopg"}


class DatabaseUrlError(ValueError):
    """``DATABASE_URL`` cannot be used."""


def async_url(raw: str) -> URL:
    """Return ``raw`` as a URL with an async driver (aiosqlite or psycopg 3).

    Accepts ``sqlite:///path``, ``sqlite+aiosqlite:///path``, ``postgresql://…``,
    ``postgres://…`` and ``postgresql+psycopg://…``.

    Raises:
        DatabaseUrlError: The URL cannot be parsed or names an unsupported database.
    """
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise DatabaseUrlError(f"cannot parse {raw!r}") from exc
    backend = url.get_backend_name()
    if backend == "postgres":
        backend = "postgresql"
    if backend not in ("sqlite", "postgresql"):
        raise DatabaseUrlError(f"unsupported database {backend!r}: use sqlite:/// or postgresql://")
    driver = url.get_driver_name()
    allowed = {"sqlite": {"pysqlite", "aiosqlite"}, "postgresql": {"psycopg", "psycopg2", ""}}
    if driver and driver not in allowed[backend] and "+" in url.drivername:
        raise DatabaseUrlError(f"unsupported driver {driver!r}: use sqlite:/// or postgresql://")
    return url.set(drivername=ASYNC_DRIVERS[backend])


def sync_url(url: URL) -> URL:
    """Return the synchronous twin of an async URL (for Alembic's offline checks)."""
    return url.set(drivername=SYNC_DRIVERS[url.get_backend_name()])


def ensure_sqlite_dir(url: URL) -> None:
    """Create the folder holding a SQLite file, so the default works with zero setup."""
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Foreign keys are off by default in SQLite; WAL lets readers run beside one writer.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def create_engine(raw_url: str, **kwargs: Any) -> AsyncEngine:
    """Create the async engine for ``raw_url`` (creating a SQLite file's folder)."""
    url = async_url(raw_url)
    ensure_sqlite_dir(url)
    if url.get_backend_name() == "postgresql":
        kwargs.setdefault("pool_pre_ping", True)
    engine = create_async_engine(url, **kwargs)
    if url.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Return the session factory used by every service (no expiry on commit)."""
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def transaction(
    sessions: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """Yield a session inside one transaction: committed on success, rolled back on error."""
    async with sessions() as session, session.begin():
        yield session


async def ping(engine: AsyncEngine) -> None:
    """Run ``SELECT 1`` on a fresh connection of ``engine`` (the readiness probe).

    Raises:
        OperationalError: The database cannot be reached (``DBAPIError`` or ``OSError`` from
            some drivers).
    """
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
