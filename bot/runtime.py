"""The process-wide resources every surface shares: settings, database, services.

``open_runtime`` builds them (applying pending migrations, see README "Migrations") and
``Runtime.close`` releases them. Nothing here runs at import time.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.errors import UserError
from bot.settings import Settings
from bot.store import migrate
from bot.store.database import create_engine, session_factory


class DatabaseUnavailable(UserError):
    """The database named by ``DATABASE_URL`` cannot be reached or migrated."""


def describe_db_error(exc: BaseException) -> str:
    """Return a one-line, secret-free reason for a database error."""
    original = getattr(exc, "orig", None) or exc
    text = str(original).strip().splitlines()[0] if str(original).strip() else type(exc).__name__
    return text[:300]


@dataclass
class Runtime:
    """Settings, engine and session factory for one process."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]

    async def close(self) -> None:
        """Release database connections."""
        await self.engine.dispose()


async def open_runtime(settings: Settings, *, apply_migrations: bool = True) -> Runtime:
    """Connect to the database and bring its schema to the head revision.

    Raises:
        DatabaseUnavailable: The database cannot be reached or migrated; the message names
            ``DATABASE_URL`` and the reason.
    """
    engine = create_engine(settings.database_url)
    try:
        if apply_migrations:
            await migrate.upgrade(engine)
        else:
            await migrate.current_revisions(engine)
    except (OperationalError, DBAPIError, OSError) as exc:
        await engine.dispose()
        raise DatabaseUnavailable(
            f"DATABASE_URL: cannot use the database ({describe_db_error(exc)})"
        ) from None
    return Runtime(settings=settings, engine=engine, sessions=session_factory(engine))
