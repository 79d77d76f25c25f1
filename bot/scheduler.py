"""The scheduler: APScheduler 3 in the server's event loop (or alone via ``stepup scheduler``).

Jobs are thin functions that call services and keep no state of their own: schedules live in the
database, so any number of scheduler processes can run (deliveries are claimed by unique rows).
"""

from __future__ import annotations

import datetime as dt
import logging

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.nudges.job import NUDGE_TICK_EVERY, nudge_tick
from bot.nudges.service import audit_schedules, load_questions
from bot.settings import Settings
from bot.store.events import prune_events
from bot.store.retention import purge_uninstalled

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


def create_scheduler(
    sessions: async_sessionmaker[AsyncSession], *, settings: Settings | None = None
) -> AsyncIOScheduler:
    """Return a scheduler with every periodic job added (not yet started)."""
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
        scheduler.add_job(audit, args=[sessions], id="audit", next_run_time=dt.datetime.now(dt.UTC))
        scheduler.add_job(
            nudge_tick,
            IntervalTrigger(seconds=NUDGE_TICK_EVERY.total_seconds(), timezone=dt.UTC),
            args=[sessions, settings],
            id="nudges",
            next_run_time=dt.datetime.now(dt.UTC),
            coalesce=True,
            max_instances=1,
            misfire_grace_time=int(NUDGE_TICK_EVERY.total_seconds()),
        )
    return scheduler
