from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store import migrate
from bot.store.database import create_engine
from bot.store.models import Base


async def test_upgrade_reaches_head_and_models_agree(engine: AsyncEngine) -> None:
    assert await migrate.current_revisions(engine) == migrate.head_revisions()
    assert not await migrate.pending(engine)
    await migrate.check(engine)  # raises if models and migrations disagree


async def test_every_model_table_exists_after_upgrade(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    assert {table.name for table in Base.metadata.sorted_tables} <= tables


async def test_wins_have_the_workspace_person_date_index(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        indexes = await connection.run_sync(lambda sync: inspect(sync).get_indexes("wins"))
    assert ["workspace_id", "person_id", "occurred_on"] in [i["column_names"] for i in indexes]


async def test_upgrade_is_idempotent_and_new_database_is_pending(tmp_path: object) -> None:
    engine = create_engine(f"sqlite:///{tmp_path}/fresh/new.db")
    try:
        assert await migrate.pending(engine)
        await migrate.upgrade(engine)
        await migrate.upgrade(engine)
        assert not await migrate.pending(engine)
    finally:
        await engine.dispose()


def test_migration_files_are_date_prefixed() -> None:
    names = [p.name for p in (migrate.MIGRATIONS_DIR / "versions").glob("*.py")]
    assert names
    assert all(name[:4].isdigit() and name[4] == "_" for name in names)
