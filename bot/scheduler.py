"""The scheduler: APScheduler 3 in the server's event loop (or alone via ``stepup scheduler``).

Jobs are thin functions that call services and keep no state of their own: schedules live in the
database, so any number of scheduler processes can run (deliveries are claimed by unique rows).
The nudge senders (and their API clients) are built once here, with the scheduler, and every
tick reuses them, so what they learnt about rate limits survives from one tick to the next.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.nudges.job import NUDGE_TICK_EVERY, PlatformSender, nudge_tick
from bot.nudges.service import audit_schedules, load_questions
from bot.settings import Settings
from bot.store.events import prune_events
from bot.store.retention import purge_uninstalled

if TYPE_CHECKING:
    from microsoft_teams.apps import App

log = logging.getLogger(__name__)

HOUSEKEEPING_EVERY = dt.timedelta(hours=1)


async def housekeeping(sessions: async_sessionmaker[AsyncSession]) -> None:
    """Prune processed event ids past their retention; delete workspaces uninstalled long ago."""
    removed = await prune_events(sessions)
    if removed:
        log.info("housekeeping: pruned %d processed event ids", removed)
    purged = await purge_uninstalled(sessions)
    if purged:
        log.info("housekeeping: deleted %d workspaces uninstalled past the grace period", purged)


async def audit(sessions: async_sessionmaker[AsyncSession]) -> None:
    """Log (as errors) and disable the schedules that can never fire; runs once at start-up."""
    for problem in await audit_schedules(sessions):
        log.error("nudges: %s", problem)


def nudge_senders(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    *,
    teams_app: App | None = None,
) -> list[PlatformSender]:
    """Return ``(platform, sender)`` for every configured platform: build once, reuse each tick.

    Args:
        settings: Which platforms are configured (Slack, Teams).
        sessions: The session factory (OAuth installations, Teams conversation references).
        teams_app: The Teams app to send through (default: a send-only one from settings).

    Raises:
        bot.errors.UserError: The Teams settings are incomplete.
    """
    # Imported here: `stepup db …` and friends never load the chat SDKs.
    from bot.slack.nudge_sender import build_slack_sender
    from bot.teams.sender import build_teams_sender

    bind = sessions.kw.get("bind")
    engine = bind if isinstance(bind, AsyncEngine) else None
    senders: list[PlatformSender] = []
    slack = build_slack_sender(settings, engine=engine)
    if slack is not None:
        senders.append(("slack", slack))
    teams = build_teams_sender(settings, sessions, app=teams_app)
    if teams is not None:
        senders.append(("teams", teams))
    return senders


def create_scheduler(
    sessions: async_sessionmaker[AsyncSession],
    *,
    settings: Settings | None = None,
    senders: list[PlatformSender] | None = None,
) -> AsyncIOScheduler:
    """Return a scheduler with every periodic job added (not yet started).

    Args:
        sessions: The session factory.
        settings: Without settings only housekeeping runs (no nudges).
        senders: The nudge senders every tick reuses (default: :func:`nudge_senders`, built
            now, once).
    """
    scheduler = AsyncIOScheduler(timezone=dt.UTC)
    scheduler.add_job(
        housekeeping,
        IntervalTrigger(seconds=HOUSEKEEPING_EVERY.total_seconds(), timezone=dt.UTC),
        args=[sessions],
        id="housekeeping",
        next_run_time=dt.datetime.now(dt.UTC),
        coalesce=True,
        max_instances=1,
        misfire_grace_time=int(HOUSEKEEPING_EVERY.total_seconds()),
    )
    if settings is not None:
        load_questions()  # a missing or empty prompts/nudges.yaml stops start-up (PromptError)
        if senders is None:
            senders = nudge_senders(settings, sessions)
        scheduler.add_job(audit, args=[sessions], id="audit", next_run_time=dt.datetime.now(dt.UTC))
        scheduler.add_job(
            nudge_tick,
            IntervalTrigger(seconds=NUDGE_TICK_EVERY.total_seconds(), timezone=dt.UTC),
            args=[sessions, settings, senders],
            id="nudges",
            next_run_time=dt.datetime.now(dt.UTC),
            coalesce=True,
            max_instances=1,
            misfire_grace_time=int(NUDGE_TICK_EVERY.total_seconds()),
        )
    return scheduler
