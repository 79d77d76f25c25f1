"""shared wins and the monthly digest setting

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 02:20:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("wins") as batch:
        batch.add_column(sa.Column("shared", sa.Boolean(), server_default="0", nullable=False))
    with op.batch_alter_table("people") as batch:
        batch.add_column(
            sa.Column("nudge_digest_enabled", sa.Boolean(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("people") as batch:
        batch.drop_column("nudge_digest_enabled")
    with op.batch_alter_table("wins") as batch:
        batch.drop_column("shared")
