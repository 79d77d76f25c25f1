"""slack_sdk's OAuth installation and state tables, declared on our metadata.

slack_sdk's async SQLAlchemy stores read and write these tables; declaring them here lets Alembic
create and migrate them with everything else instead of the stores' ``create_tables()``.
"""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, Table

INSTALLATIONS_TABLE = "slack_installations"
BOTS_TABLE = "slack_bots"
OAUTH_STATES_TABLE = "slack_oauth_states"


def declare(metadata: MetaData) -> tuple[Table, Table, Table]:
    """Add the three tables to ``metadata`` (once) and return them."""
    if INSTALLATIONS_TABLE in metadata.tables:
        return (
            metadata.tables[INSTALLATIONS_TABLE],
            metadata.tables[BOTS_TABLE],
            metadata.tables[OAUTH_STATES_TABLE],
        )
    return (
        SQLAlchemyInstallationStore.build_installations_table(metadata, INSTALLATIONS_TABLE),
        SQLAlchemyInstallationStore.build_bots_table(metadata, BOTS_TABLE),
        SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, OAUTH_STATES_TABLE),
    )
