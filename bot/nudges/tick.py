"""One scheduler tick: find due nudges, claim each (schedule, week) with a unique row, send, record.

Exactly-once comes from the claim: a ``NudgeDelivery`` row for ``(schedule_id, period_key)`` is
inserted (``INSERT … ON CONFLICT DO NOTHING``) BEFORE anything is sent, so a second scheduler
process, or this one after a restart, finds the row and sends nothing.

Outcomes of a claim:

- ``sent`` with the message reference (Slack ``ts``).
- ``failed`` with the error: retried by a later tick after a backoff (``retry_after`` doubled per
  attempt) while the nudge is within the grace and fewer than ``max_attempts`` were made. The
  retry re-claims the row with a conditional update, so only one process retries it.
- ``failed`` for good when the channel is gone (``channel_not_found``, ``is_archived``,
  ``not_in_channel``): the schedule is disabled with ``disabled_reason``.
- ``skipped``: too late (past the grace), paused, or (DM) the person already logged a win that
  week.

Kinds: ``channel`` (weekly; the week's question plus the team roundup, see
:mod:`bot.nudges.roundup`), ``dm`` (weekly; the question) and ``digest`` (monthly, on the 1st: the
person's month in wins, see :mod:`bot.nudges.digest`; its period key is the month it covers).
- A claim still ``claimed`` after ``claim_timeout`` belongs to a process that died mid-send. The
  message may or may not have reached Slack, and exactly-once matters more than at-least-once,
  so it is NOT re-sent: it is marked ``failed`` with ``interrupted`` and left for a person to see.
  (A live process still sending, e.g. held up by rate limits, keeps going: its final ``sent``
  overwrites the mark, and nothing is sent twice either way.)
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.nudges.digest import build_digest
from bot.nudges.ports import NudgeSender, SendError
from bot.nudges.roundup import ChannelNudge, Roundup, team_roundups
from bot.nudges.service import load_questions, question_for, sync_dm_schedules
from bot.nudges.timing import Due, is_due, is_due_monthly, month_of
from bot.store import nudges as store
from bot.store.database import transaction

log = logging.getLogger(__name__)

DEFAULT_GRACE = dt.timedelta(hours=6)
DEFAULT_MAX_ATTEMPTS = 3
DEFAULT_RETRY_AFTER = dt.timedelta(minutes=5)
DEFAULT_CLAIM_TIMEOUT = dt.timedelta(minutes=15)
CLAIM_BATCH = 500
KINDS = ("channel", "dm", "digest")
SENT_BATCH = 200
SENT_MAX_WAIT_S = 1.0


@dataclass
class TickReport:
    """What one tick did (counts are of (schedule, week) pairs)."""

    due: int = 0
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    retried: int = 0
    skipped: int = 0
    lost_race: int = 0
    disabled: int = 0
    interrupted: int = 0
    planning_s: float = 0.0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Planned:
    """A due (schedule, week) with everything needed to send it, read in one query."""

    schedule_id: int
    kind: str
    workspace_id: int
    workspace_external_id: str
    target: str
    """Channel id, or the person's platform user id for a DM."""
    person_id: int | None
    due: Due
    paused: bool
    local_date: dt.date
    """The local calendar date the nudge is due on."""


@dataclass(frozen=True)
class _Row:
    schedule_id: int
    kind: str
    weekday: int
    local_time: dt.time
    timezone: str
    paused_until: dt.date | None
    workspace_id: int
    workspace_external_id: str
    channel_id: str | None
    person_id: int | None
    user_id: str | None


def _aware(value: dt.datetime) -> dt.datetime:
    # SQLite hands timestamps back naive; they were written in UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def plan(rows: Iterable[Any], now: dt.datetime, *, grace: dt.timedelta) -> list[Planned]:
    """Return the due (schedule, week) pairs among schedule rows (pure; no database).

    Args:
        rows: Objects with the ``_Row`` attributes (the tick's query result).
        now: The tick's instant (aware).
        grace: How late a nudge may still be sent.
    """
    planned: list[Planned] = []
    # Many schedules share a trigger (Friday 15:00 Chicago): work each one out once.
    seen: dict[tuple[bool, int, dt.time, str], tuple[Due, dt.date] | None] = {}
    for row in rows:
        monthly = row.kind == "digest"
        trigger = (monthly, row.weekday, row.local_time, row.timezone)
        if trigger not in seen:
            try:
                found = (is_due_monthly if monthly else is_due)(row, now, grace=grace)
            except (ValueError, KeyError) as exc:  # a bad row must not stop the others
                log.warning("nudges: schedule %s cannot be planned: %s", row.schedule_id, exc)
                found = None
            seen[trigger] = (
                None
                if found is None
                else (found, found.period.due_at.astimezone(ZoneInfo(row.timezone)).date())
            )
        entry = seen[trigger]
        if entry is None:
            continue
        due, local_due = entry
        target = row.channel_id if row.kind == "channel" else row.user_id
        if not target:
            continue
        paused = row.paused_until is not None and row.paused_until >= local_due
        planned.append(
            Planned(
                schedule_id=row.schedule_id,
                kind=row.kind,
                workspace_id=row.workspace_id,
                workspace_external_id=row.workspace_external_id,
                target=target,
                person_id=row.person_id,
                due=due,
                paused=paused,
                local_date=local_due,
            )
        )
    return planned


async def load_rows(
    session: AsyncSession, *, platforms: Collection[str] | None = None
) -> list[_Row]:
    """Read every enabled schedule of an installed workspace, with what sending needs."""
    rows = await store.due_candidates(session, kinds=KINDS, platforms=platforms)
    return [
        _Row(
            schedule_id=r[0],
            kind=r[1],
            weekday=r[2],
            local_time=r[3],
            timezone=r[4],
            paused_until=r[5],
            workspace_id=r[6],
            workspace_external_id=r[7],
            channel_id=r[8],
            person_id=r[9],
            user_id=r[10],
        )
        for r in rows
    ]


async def _claim(
    sessions: async_sessionmaker[AsyncSession],
    items: Sequence[tuple[int, str, str, str | None]],
    *,
    now: dt.datetime,
    worker_id: str,
) -> dict[tuple[int, str], int]:
    """Insert claim rows; return {(schedule_id, period_key): delivery id} for the ones WE won."""
    won: dict[tuple[int, str], int] = {}
    for start in range(0, len(items), CLAIM_BATCH):
        batch = items[start : start + CLAIM_BATCH]
        async with transaction(sessions) as session:
            won.update(await store.claim_deliveries(session, batch, now=now, worker_id=worker_id))
    return won


async def run_tick(
    sessions: async_sessionmaker[AsyncSession],
    sender: NudgeSender,
    *,
    now: dt.datetime,
    grace: dt.timedelta = DEFAULT_GRACE,
    worker_id: str,
    questions: Sequence[str] | None = None,
    default_timezone: str = "UTC",
    platforms: Collection[str] | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    retry_after: dt.timedelta = DEFAULT_RETRY_AFTER,
    claim_timeout: dt.timedelta = DEFAULT_CLAIM_TIMEOUT,
    concurrency: int = 50,
) -> TickReport:
    """Deliver every nudge due at ``now`` exactly once, however many processes tick.

    Args:
        sessions: The session factory.
        sender: Where nudges go.
        now: The tick's instant (aware; tests freeze it).
        grace: A nudge more than this late is recorded skipped instead of sent.
        worker_id: Names this process in claim rows (host:pid).
        questions: The rotating questions (default: ``prompts/nudges.yaml``).
        default_timezone: Zone of people with none, for DM schedules.
        platforms: Only workspaces of these platforms (None: all).
        max_attempts: Sends tried per (schedule, week) before giving up.
        retry_after: Wait before the first retry; doubled for each later one.
        claim_timeout: A claim older than this still ``claimed`` is an interrupted send.
        concurrency: Sends in flight at once.

    Returns:
        Counts of what happened.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(dt.UTC)
    texts = tuple(questions) if questions is not None else load_questions()
    report = TickReport()
    sender.new_tick()
    await sync_dm_schedules(sessions, default_timezone=default_timezone)

    started = time.perf_counter()
    async with transaction(sessions) as session:
        rows = await load_rows(session, platforms=platforms)
    planned = plan(rows, now, grace=grace)
    report.due = len(planned)
    existing = await _existing(sessions, planned)
    already_won = await _dm_wins(sessions, planned)
    fresh: list[tuple[int, str, str, str | None]] = []
    retry: list[tuple[Planned, Any]] = []
    by_key = {(p.schedule_id, p.due.period.key): p for p in planned}
    for item in planned:
        key = (item.schedule_id, item.due.period.key)
        found = existing.get(key)
        if found is None:
            status, error = "claimed", None
            if item.due.late:
                status, error = "skipped", "late: past the grace period"
            elif item.paused:
                status, error = "skipped", "paused"
            elif item.kind == "dm" and _won_in(already_won, item):
                status, error = "skipped", "already logged a win this week"
            fresh.append((item.schedule_id, item.due.period.key, status, error))
        else:
            retry.append((item, found))
    report.planning_s = time.perf_counter() - started

    won = await _claim(sessions, fresh, now=now, worker_id=worker_id)
    report.lost_race += len(fresh) - len(won)
    to_send: list[tuple[Planned, int, int]] = []
    for schedule_id, period, status, _ in fresh:
        delivery_id = won.get((schedule_id, period))
        if delivery_id is None:
            continue
        if status == "skipped":
            report.skipped += 1
        else:
            report.claimed += 1
            to_send.append((by_key[(schedule_id, period)], delivery_id, 0))
    for item, found in retry:
        outcome = await _reclaim(
            sessions,
            item,
            found,
            now=now,
            worker_id=worker_id,
            max_attempts=max_attempts,
            retry_after=retry_after,
            claim_timeout=claim_timeout,
        )
        if outcome == "interrupted":
            report.interrupted += 1
        elif outcome == "retry":
            report.retried += 1
            to_send.append((item, found.id, found.attempts))

    roundups = await team_roundups(
        sessions, {item.workspace_id for item, _, _ in to_send if item.kind == "channel"}, now=now
    )
    gate = asyncio.Semaphore(max(1, concurrency))
    book = _SentBook(sessions, now=now)

    async def deliver(item: Planned, delivery_id: int, attempts: int) -> None:
        async with gate:
            await _deliver(
                sessions, sender, item, delivery_id, attempts, texts, now, report, roundups, book
            )

    try:
        await asyncio.gather(*(deliver(*entry) for entry in to_send))
    finally:
        await book.flush()
    return report


class _SentBook:
    """Records successful sends in batches: one UPDATE for many rows instead of one each.

    A burst of thousands of nudges would otherwise spend more time committing one row per send
    than sending. Exactly-once does not depend on this record (the claim row, written before
    the send, does): a process that dies with marks still pending leaves those rows
    ``claimed``, and a later tick marks them ``interrupted`` instead of sending them again.
    Pending marks are written once :data:`SENT_BATCH` have gathered, when the oldest is
    :data:`SENT_MAX_WAIT` old, and when the tick ends.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        now: dt.datetime,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions = sessions
        self._now = now
        self._clock = clock
        self._pending: list[dict[str, Any]] = []
        self._oldest = 0.0

    async def sent(self, delivery_id: int, ref: str, attempts: int) -> None:
        """Note a delivered nudge; writes the batch when it is full or old enough."""
        if not self._pending:
            self._oldest = self._clock()
        self._pending.append(
            {
                "id": delivery_id,
                "status": "sent",
                "message_ref": ref[:128],
                "sent_at": self._now,
                "attempts": attempts,
                "error": None,
            }
        )
        full = len(self._pending) >= SENT_BATCH
        if full or self._clock() - self._oldest >= SENT_MAX_WAIT_S:
            await self.flush()

    async def flush(self) -> None:
        """Write every pending mark (one UPDATE … WHERE id = … executed for the batch)."""
        pending, self._pending = self._pending, []
        if pending:
            async with transaction(self._sessions) as session:
                await store.record_sent(session, pending)


def _won_in(already_won: dict[int, bool], item: Planned) -> bool:
    return item.person_id is not None and already_won.get(item.person_id, False)


async def _existing(
    sessions: async_sessionmaker[AsyncSession], planned: Sequence[Planned]
) -> dict[tuple[int, str], Any]:
    keys = {p.due.period.key for p in planned}
    if not keys:
        return {}
    wanted = {(p.schedule_id, p.due.period.key) for p in planned}
    async with transaction(sessions) as session:
        rows = await store.deliveries_of_periods(session, keys)
    return {
        (row.schedule_id, row.period_key): row
        for row in rows
        if (row.schedule_id, row.period_key) in wanted
    }


async def _dm_wins(
    sessions: async_sessionmaker[AsyncSession], planned: Sequence[Planned]
) -> dict[int, bool]:
    """Return {person_id: True} for DM recipients who logged a win since their week began."""
    starts = {
        p.person_id: p.due.period.week_start
        for p in planned
        if p.kind == "dm" and p.person_id is not None
    }
    if not starts:
        return {}
    earliest = min(starts.values())
    async with transaction(sessions) as session:
        found = await store.latest_wins(session, starts, since=earliest)
    latest = {person_id: _aware(at) for person_id, at in found.items()}
    return {person_id: at >= starts[person_id] for person_id, at in latest.items()}


async def _reclaim(
    sessions: async_sessionmaker[AsyncSession],
    item: Planned,
    found: Any,
    *,
    now: dt.datetime,
    worker_id: str,
    max_attempts: int,
    retry_after: dt.timedelta,
    claim_timeout: dt.timedelta,
) -> str:
    """Decide about an existing claim: ``retry`` (now ours), ``interrupted`` or ``none``."""
    claimed_at = _aware(found.claimed_at)
    if found.status == "claimed" and now - claimed_at > claim_timeout:
        async with transaction(sessions) as session:
            marked = await store.mark_interrupted(
                session,
                found.id,
                error="interrupted mid-send; not re-sent (it may have been delivered)",
                attempts=max(found.attempts, max_attempts),
            )
        return "interrupted" if marked else "none"
    if found.status != "failed" or found.attempts >= max_attempts or item.due.late:
        return "none"
    wait = retry_after * (2 ** max(0, found.attempts - 1))
    if now - claimed_at < wait:
        return "none"
    async with transaction(sessions) as session:
        won = await store.reclaim_failed(
            session, found.id, attempts=found.attempts, worker_id=worker_id, now=now
        )
    return "retry" if won else "none"


async def _deliver(
    sessions: async_sessionmaker[AsyncSession],
    sender: NudgeSender,
    item: Planned,
    delivery_id: int,
    attempts: int,
    questions: Sequence[str],
    now: dt.datetime,
    report: TickReport,
    roundups: dict[int, Roundup],
    book: _SentBook,
) -> None:
    key = item.due.period.key
    try:
        if item.kind == "channel":
            text = question_for(questions, key, salt=str(item.schedule_id))
            nudge = ChannelNudge(text, roundups.get(item.workspace_id), window_end=now)
            ref = await sender.send_channel(item.workspace_external_id, item.target, nudge)
        elif item.kind == "digest" and item.person_id is not None:
            digest = await build_digest(
                sessions,
                person_id=item.person_id,
                month=month_of(key),
                today=item.local_date,
            )
            ref = await sender.send_digest(item.workspace_external_id, item.target, digest)
        else:
            text = question_for(questions, key, salt=str(item.schedule_id))
            ref = await sender.send_dm(item.workspace_external_id, item.target, text)
    except SendError as exc:
        report.failed += 1
        report.errors.append(f"schedule {item.schedule_id} {key}: {exc.code}")
        async with transaction(sessions) as session:
            await store.record_failure(
                session, delivery_id, error=str(exc)[:200], attempts=attempts + 1
            )
            creator = None
            if exc.gone:
                report.disabled += 1
                await store.disable_schedule(
                    session, item.schedule_id, reason=f"{exc.code} (at {now:%Y-%m-%d})"
                )
                creator = await store.schedule_creator(session, item.schedule_id)
        log.warning("nudges: schedule %s %s failed: %s", item.schedule_id, key, exc.code)
        if creator and item.kind == "channel":
            try:
                await sender.notify_disabled(
                    item.workspace_external_id,
                    creator,
                    channel_id=item.target,
                    code=exc.code,
                    schedule_id=item.schedule_id,
                )
            except SendError as notice_error:
                log.warning(
                    "nudges: could not tell the creator of schedule %s: %s",
                    item.schedule_id,
                    notice_error.code,
                )
        return
    report.sent += 1
    await book.sent(delivery_id, ref, attempts + 1)
