"""Storage: SQLAlchemy 2 typed ORM models, async engine, repositories and Alembic migrations."""
