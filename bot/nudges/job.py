"""The scheduler's nudge job and the choice of sender from settings (thin: the tick does the work).

Slack workspaces are only ticked when Slack credentials are configured, so a process without
them never claims (and so never "uses up") a Slack workspace's nudge. The terminal workspace
(``local``) is only ticked by ``stepup nudges run-due``, which prints its nudges.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from collections.abc import Callable

from slack_sdk.errors import SlackTokenRotationError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.nudges.slack_sender import SlackNudgeSender
from bot.nudges.tick import TickReport, run_tick
from bot.settings import Settings
from bot.store.models import utcnow

log = logging.getLogger(__name__)

NUDGE_TICK_EVERY = dt.timedelta(minutes=1)
ROTATE_BEFORE_MINUTES = 120


def worker_id() -> str:
    """Return ``host:pid``, naming this process in claim rows."""
    return f"{socket.gethostname()[:48]}:{os.getpid()}"


def grace(settings: Settings) -> dt.timedelta:
    """Return ``NUDGE_GRACE_HOURS`` as a duration."""
    return dt.timedelta(hours=settings.nudge_grace_hours)


def slack_sender(settings: Settings, *, engine: AsyncEngine | None) -> SlackNudgeSender | None:
    """Return a Slack sender for the configured workspace(s), or None without credentials.

    Args:
        settings: The settings (``SLACK_BOT_TOKEN``, or OAuth's ``SLACK_CLIENT_ID``/``SECRET``).
        engine: The database holding OAuth installations (needed for OAuth only).
    """
    from bot.slack.app import build_client

    client_id, client_secret = settings.slack_client_id, settings.slack_client_secret
    if client_id is not None and client_secret is not None and engine is not None:
        from slack_sdk.oauth.installation_store.sqlalchemy import (
            AsyncSQLAlchemyInstallationStore,
        )
        from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator

        store = AsyncSQLAlchemyInstallationStore(client_id=client_id, engine=engine, logger=log)
        client = build_client(settings)
        rotator = AsyncTokenRotator(
            client_id=client_id,
            client_secret=client_secret.get_secret_value(),
            client=client,
        )

        async def token_for(team_id: str) -> str | None:
            bot = await store.async_find_bot(enterprise_id=None, team_id=team_id)
            if bot is None:
                return None
            # Apps with token rotation get 12-hour bot tokens; renew one that expires within
            # the next two hours (as Bolt does for requests) and keep the new pair.
            if bot.bot_refresh_token:
                try:
                    refreshed = await rotator.perform_bot_token_rotation(
                        bot=bot, minutes_before_expiration=ROTATE_BEFORE_MINUTES
                    )
                except SlackTokenRotationError as exc:
                    log.warning("nudges: token rotation for %s failed: %s", team_id, exc)
                    refreshed = None
                if refreshed is not None:
                    await store.async_save_bot(refreshed)
                    bot = refreshed
            return bot.bot_token

        return SlackNudgeSender(client, token_for=token_for)
    if settings.slack_bot_token is not None:
        token = settings.slack_bot_token.get_secret_value()
        return SlackNudgeSender(build_client(settings, token=token))
    return None


async def nudge_tick(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    *,
    clock: Callable[[], dt.datetime] = utcnow,
) -> TickReport | None:
    """Deliver the Slack nudges due now (the scheduler's job; nothing without Slack)."""
    bind = sessions.kw.get("bind")
    sender = slack_sender(settings, engine=bind if isinstance(bind, AsyncEngine) else None)
    if sender is None:
        return None
    report = await run_tick(
        sessions,
        sender,
        now=clock(),
        grace=grace(settings),
        worker_id=worker_id(),
        default_timezone=settings.default_timezone,
        platforms=("slack",),
    )
    if report.sent or report.failed or report.interrupted:
        log.info(
            "nudges: %d sent, %d failed, %d skipped, %d disabled",
            report.sent,
            report.failed,
            report.skipped,
            report.disabled,
        )
    return report
