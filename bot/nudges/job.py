"""The scheduler's nudge job and the choice of senders from settings (thin: the tick does the work).

Each platform is ticked only when its credentials are configured (Slack workspaces with Slack
settings, Teams tenants with Teams settings), so a process without them never claims (and so
never "uses up") that platform's nudges. The terminal workspace (``local``) is only ticked by
``stepup nudges run-due``, which prints its nudges.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
import os
import socket
import weakref
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackTokenRotationError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.nudges.tick import NudgeSender, TickReport, run_tick
from bot.settings import Settings
from bot.slack.nudge_sender import SlackNudgeSender
from bot.store.models import utcnow

if TYPE_CHECKING:
    from microsoft_teams.apps import App

    from bot.teams.sender import TeamsNudgeSender

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


# One send-only Teams app per event loop and credentials: it keeps its access token between
# ticks (a new app would fetch one from Entra ID every minute) and its HTTP connections belong
# to the loop that opened them.
_teams_apps: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple[object, ...], App]] = (
    weakref.WeakKeyDictionary()
)


def _teams_app(settings: Settings) -> App:
    from bot.teams.app import create_teams_app

    secret = settings.teams_client_secret
    key = (
        settings.teams_client_id,
        None if secret is None else secret.get_secret_value(),
        settings.teams_tenant_id,
        settings.teams_dev_unauthenticated,
    )
    apps = _teams_apps.setdefault(asyncio.get_running_loop(), {})
    if key not in apps:
        apps[key] = create_teams_app(settings)
    return apps[key]


def teams_sender(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    *,
    app: App | None = None,
) -> TeamsNudgeSender | None:
    """Return a Teams sender, or None when Teams is not configured.

    Args:
        settings: The settings (``TEAMS_CLIENT_ID``/``SECRET``, or ``TEAMS_DEV_UNAUTHENTICATED``).
        sessions: The session factory (the sender finds conversation references there).
        app: The Teams app to send through (e.g. the server's); default: one kept for this
            event loop, built from ``settings``. Must be called inside a running loop then.

    Raises:
        bot.errors.UserError: The Teams settings are incomplete (see ``create_teams_app``).
    """
    if not settings.teams_configured:
        return None
    from bot.teams.sender import TeamsNudgeSender

    return TeamsNudgeSender(app if app is not None else _teams_app(settings), sessions)


async def nudge_tick(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    *,
    clock: Callable[[], dt.datetime] = utcnow,
    teams_app: App | None = None,
) -> TickReport | None:
    """Deliver the Slack and Teams nudges due now (the scheduler's job).

    Each configured platform gets its own tick (run side by side, so one platform's rate limits
    do not hold up the other); a platform without settings is not ticked at all.

    Args:
        sessions: The session factory.
        settings: Which platforms are configured, grace and default timezone.
        clock: Returns the tick's instant (tests freeze it).
        teams_app: The Teams app to send through (default: see :func:`teams_sender`).

    Returns:
        The platforms' reports added up, or None when no platform is configured.
    """
    bind = sessions.kw.get("bind")
    senders: list[tuple[str, NudgeSender]] = []
    slack = slack_sender(settings, engine=bind if isinstance(bind, AsyncEngine) else None)
    if slack is not None:
        senders.append(("slack", slack))
    teams = teams_sender(settings, sessions, app=teams_app)
    if teams is not None:
        senders.append(("teams", teams))
    if not senders:
        return None
    now = clock()

    async def tick(platform: str, sender: NudgeSender) -> TickReport:
        report = await run_tick(
            sessions,
            sender,
            now=now,
            grace=grace(settings),
            worker_id=worker_id(),
            default_timezone=settings.default_timezone,
            platforms=(platform,),
        )
        if report.sent or report.failed or report.interrupted:
            log.info(
                "nudges (%s): %d sent, %d failed, %d skipped, %d disabled",
                platform,
                report.sent,
                report.failed,
                report.skipped,
                report.disabled,
            )
        return report

    reports = await asyncio.gather(*(tick(platform, sender) for platform, sender in senders))
    return combine_reports(reports)


def combine_reports(reports: Sequence[TickReport]) -> TickReport:
    """Return one report adding up several ticks' counts (errors in order, planning time summed)."""
    total = TickReport()
    for report in reports:
        for item in dataclasses.fields(TickReport):
            mine, theirs = getattr(total, item.name), getattr(report, item.name)
            setattr(total, item.name, mine + theirs)
    return total
