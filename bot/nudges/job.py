"""The scheduler's nudge job (thin: the tick does the work) over senders built once per process.

Each platform is ticked only when its sender was built, i.e. its credentials are configured
(Slack workspaces with Slack settings, Teams tenants with Teams settings), so a process without
them never claims (and so never "uses up") that platform's nudges. The senders are built by the
wiring (:func:`bot.scheduler.nudge_senders`) once and reused by every tick, so what a sender
learnt about rate limits (a 429's ``Retry-After``) still holds a minute later. The terminal
workspace (``local``) is only ticked by ``stepup nudges run-due``, which prints its nudges.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
import os
import socket
from collections.abc import Callable, Sequence

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.nudges.ports import NudgeSender
from bot.nudges.tick import TickReport, run_tick
from bot.settings import Settings
from bot.store.models import utcnow

log = logging.getLogger(__name__)

NUDGE_TICK_EVERY = dt.timedelta(minutes=1)

PlatformSender = tuple[str, NudgeSender]
"""``(platform, sender)``: the sender ticks that platform's workspaces only."""


def worker_id() -> str:
    """Return ``host:pid``, naming this process in claim rows."""
    return f"{socket.gethostname()[:48]}:{os.getpid()}"


def grace(settings: Settings) -> dt.timedelta:
    """Return ``NUDGE_GRACE_HOURS`` as a duration."""
    return dt.timedelta(hours=settings.nudge_grace_hours)


async def nudge_tick(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    senders: Sequence[PlatformSender],
    *,
    clock: Callable[[], dt.datetime] = utcnow,
) -> TickReport | None:
    """Deliver the nudges due now on every platform that has a sender (the scheduler's job).

    Each platform gets its own tick (run side by side, so one platform's rate limits do not
    hold up the other).

    Args:
        sessions: The session factory.
        settings: Grace and default timezone.
        senders: ``(platform, sender)`` pairs, built once per process and reused every tick.
        clock: Returns the tick's instant (tests freeze it).

    Returns:
        The platforms' reports added up, or None when there is no sender (nothing configured).
    """
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
