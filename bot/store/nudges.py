"""Nudge schedules, deliveries and claims: the queries of :mod:`bot.nudges`.

Callers own the transaction. Exactly-once delivery rests on :func:`claim_deliveries`: a unique
``(schedule_id, period_key)`` row is inserted with ``ON CONFLICT DO NOTHING`` before anything
is sent, and only the rows this call inserted are returned; retries re-claim with conditional
updates (:func:`reclaim_failed`, :func:`mark_interrupted`) that only one process can win.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import Goal, NudgeDelivery, NudgeSchedule, Person, Win, Workspace

# --- channel schedules ---


def _channel_schedules(platform: str, workspace: str) -> Select[NudgeSchedule]:
    """Select a workspace's channel schedules, oldest first."""
    return (
        select(NudgeSchedule)
        .join(Workspace, Workspace.id == NudgeSchedule.workspace_id)
        .where(
            Workspace.platform == platform,
            Workspace.external_id == workspace,
            NudgeSchedule.kind == "channel",
        )
        .order_by(NudgeSchedule.id)
    )


async def channel_schedules(
    session: AsyncSession, *, platform: str, workspace: str
) -> list[NudgeSchedule]:
    """Return a workspace's channel schedules, oldest first."""
    return list(await session.scalars(_channel_schedules(platform, workspace)))


async def find_channel_schedule(
    session: AsyncSession, *, platform: str, workspace: str, schedule_id: int
) -> NudgeSchedule | None:
    """Return channel schedule ``schedule_id`` if it belongs to the workspace, else None."""
    found: NudgeSchedule | None = await session.scalar(
        _channel_schedules(platform, workspace).where(NudgeSchedule.id == schedule_id)
    )
    return found


async def schedule_for_channel(
    session: AsyncSession, *, platform: str, workspace: str, channel_id: str
) -> NudgeSchedule | None:
    """Return the (oldest) channel schedule posting to ``channel_id``, or None."""
    found: NudgeSchedule | None = await session.scalar(
        _channel_schedules(platform, workspace)
        .where(NudgeSchedule.channel_id == channel_id)
        .limit(1)
    )
    return found


async def add_channel_schedule(
    session: AsyncSession,
    *,
    workspace_id: int,
    channel_id: str,
    weekday: int,
    local_time: dt.time,
    timezone: str,
    created_by: str | None,
) -> NudgeSchedule:
    """Store a new, enabled weekly channel schedule and return it (with its id)."""
    schedule = NudgeSchedule(
        workspace_id=workspace_id,
        kind="channel",
        channel_id=channel_id,
        weekday=weekday,
        local_time=local_time,
        timezone=timezone,
        enabled=True,
        created_by=created_by,
    )
    session.add(schedule)
    await session.flush()
    return schedule


async def delete_schedule(session: AsyncSession, schedule: NudgeSchedule) -> None:
    """Delete a schedule; its deliveries go with it (``ON DELETE CASCADE``)."""
    await session.delete(schedule)


# --- personal schedules (mirrored from people's preferences) ---


async def people_with_schedules(
    session: AsyncSession, *, kind: str, switch: ColumnElement[bool]
) -> list[tuple[Person, NudgeSchedule | None]]:
    """Return people whose ``switch`` is on or who have a ``kind`` schedule, with that row."""
    rows = await session.execute(
        select(Person, NudgeSchedule)
        .outerjoin(
            NudgeSchedule,
            (NudgeSchedule.person_id == Person.id) & (NudgeSchedule.kind == kind),
        )
        .where(switch.is_(True) | NudgeSchedule.id.is_not(None))
    )
    return [(person, schedule) for person, schedule in rows.all()]


async def set_schedule_fields(
    session: AsyncSession, schedule_id: int, values: Mapping[str, object]
) -> None:
    """Overwrite columns of one schedule row."""
    await session.execute(
        update(NudgeSchedule).where(NudgeSchedule.id == schedule_id).values(**values)
    )


async def lock_people_switched_on(
    session: AsyncSession, person_ids: Sequence[int], *, switch: ColumnElement[bool]
) -> list[Person]:
    """Lock the people whose switch is on (``FOR UPDATE``, in id order: never a deadlock)."""
    return list(
        await session.scalars(
            select(Person)
            .where(Person.id.in_(person_ids), switch.is_(True))
            .order_by(Person.id)
            .with_for_update()
        )
    )


async def people_having_schedule(
    session: AsyncSession, person_ids: Sequence[int], *, kind: str
) -> set[int]:
    """Return which of ``person_ids`` already have a ``kind`` schedule."""
    found = await session.scalars(
        select(NudgeSchedule.person_id).where(
            NudgeSchedule.person_id.in_(person_ids), NudgeSchedule.kind == kind
        )
    )
    return {person_id for person_id in found if person_id is not None}


def add_personal_schedule(
    session: AsyncSession, person: Person, *, kind: str, fields: Mapping[str, Any]
) -> None:
    """Add a person's ``kind`` schedule row (written with the transaction)."""
    session.add(
        NudgeSchedule(workspace_id=person.workspace_id, kind=kind, person_id=person.id, **fields)
    )


# --- start-up audit ---


async def enabled_triggers(session: AsyncSession) -> list[tuple[int, int, str]]:
    """Return ``(id, weekday, timezone)`` of every enabled schedule."""
    rows = await session.execute(
        select(NudgeSchedule.id, NudgeSchedule.weekday, NudgeSchedule.timezone).where(
            NudgeSchedule.enabled.is_(True)
        )
    )
    return [(schedule_id, weekday, zone) for schedule_id, weekday, zone in rows.all()]


async def disable_schedule(session: AsyncSession, schedule_id: int, *, reason: str) -> None:
    """Turn a schedule off with the reason people will see."""
    await set_schedule_fields(session, schedule_id, {"enabled": False, "disabled_reason": reason})


async def schedule_creator(session: AsyncSession, schedule_id: int) -> str | None:
    """Return the platform user id of whoever set a schedule up, or None."""
    return await session.scalar(
        select(NudgeSchedule.created_by).where(NudgeSchedule.id == schedule_id)
    )


# --- the tick: due schedules, claims and deliveries ---


async def due_candidates(
    session: AsyncSession, *, kinds: Collection[str], platforms: Collection[str] | None
) -> list[Any]:
    """Return every enabled schedule of an installed workspace, with what sending needs.

    Each row has, in order: schedule id, kind, weekday, local time, timezone, paused until,
    workspace id, workspace external id, channel id, person id and the person's platform user id.
    """
    query = (
        select(
            NudgeSchedule.id,
            NudgeSchedule.kind,
            NudgeSchedule.weekday,
            NudgeSchedule.local_time,
            NudgeSchedule.timezone,
            NudgeSchedule.paused_until,
            Workspace.id,
            Workspace.external_id,
            NudgeSchedule.channel_id,
            NudgeSchedule.person_id,
            Person.platform_user_id,
        )
        .join(Workspace, Workspace.id == NudgeSchedule.workspace_id)
        .outerjoin(Person, Person.id == NudgeSchedule.person_id)
        .where(
            NudgeSchedule.enabled.is_(True),
            NudgeSchedule.kind.in_(tuple(kinds)),
            Workspace.uninstalled_at.is_(None),
        )
    )
    if platforms is not None:
        query = query.where(Workspace.platform.in_(tuple(platforms)))
    return list((await session.execute(query)).all())


def _insert(session: AsyncSession) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return pg_insert(NudgeDelivery)
    return sqlite_insert(NudgeDelivery)


async def claim_deliveries(
    session: AsyncSession,
    items: Sequence[tuple[int, str, str, str | None]],
    *,
    now: dt.datetime,
    worker_id: str,
) -> dict[tuple[int, str], int]:
    """Insert claim rows ``(schedule_id, period_key, status, error)``; return the ones WE won.

    ``INSERT … ON CONFLICT DO NOTHING RETURNING``: a row another process (or an earlier tick)
    already holds is not returned, so whoever gets a delivery id back is the only sender.

    Returns:
        ``{(schedule_id, period_key): delivery id}`` of the rows this call inserted.
    """
    if not items:
        return {}
    statement = (
        _insert(session)
        .values(
            [
                {
                    "schedule_id": schedule_id,
                    "period_key": key,
                    "status": status,
                    "error": error,
                    "attempts": 0,
                    "claimed_by": worker_id,
                    "claimed_at": now,
                }
                for schedule_id, key, status, error in items
            ]
        )
        .on_conflict_do_nothing(index_elements=["schedule_id", "period_key"])
        .returning(NudgeDelivery.id, NudgeDelivery.schedule_id, NudgeDelivery.period_key)
    )
    won: dict[tuple[int, str], int] = {}
    for delivery_id, schedule_id, key in (await session.execute(statement)).all():
        won[(schedule_id, key)] = delivery_id
    return won


async def deliveries_of_periods(session: AsyncSession, period_keys: Iterable[str]) -> list[Any]:
    """Return the delivery rows of these periods (id, schedule, period, status, attempts, claim)."""
    result = await session.execute(
        select(
            NudgeDelivery.id,
            NudgeDelivery.schedule_id,
            NudgeDelivery.period_key,
            NudgeDelivery.status,
            NudgeDelivery.attempts,
            NudgeDelivery.claimed_at,
        ).where(NudgeDelivery.period_key.in_(sorted(period_keys)))
    )
    return list(result.all())


async def latest_wins(
    session: AsyncSession, person_ids: Iterable[int], *, since: dt.datetime
) -> dict[int, dt.datetime]:
    """Return ``{person_id: time of their latest win}`` for wins logged since ``since``."""
    result = await session.execute(
        select(Win.person_id, func.max(Win.created_at))
        .where(Win.person_id.in_(sorted(person_ids)), Win.created_at >= since)
        .group_by(Win.person_id)
    )
    return {person_id: at for person_id, at in result.all() if at is not None}


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


async def mark_interrupted(
    session: AsyncSession, delivery_id: int, *, error: str, attempts: int
) -> bool:
    """Mark a claim still ``claimed`` as failed for good; return whether this call did it."""
    result = await session.execute(
        update(NudgeDelivery)
        .where(NudgeDelivery.id == delivery_id, NudgeDelivery.status == "claimed")
        .values(status="failed", error=error, attempts=attempts)
    )
    return _rowcount(result) == 1


async def reclaim_failed(
    session: AsyncSession,
    delivery_id: int,
    *,
    attempts: int,
    worker_id: str,
    now: dt.datetime,
) -> bool:
    """Claim a failed delivery for a retry; return whether this call won it.

    The update only matches while the row is still ``failed`` after ``attempts`` tries, so of
    several processes retrying at once exactly one gets True.
    """
    result = await session.execute(
        update(NudgeDelivery)
        .where(
            NudgeDelivery.id == delivery_id,
            NudgeDelivery.status == "failed",
            NudgeDelivery.attempts == attempts,
        )
        .values(status="claimed", claimed_by=worker_id, claimed_at=now)
    )
    return _rowcount(result) == 1


async def record_failure(
    session: AsyncSession, delivery_id: int, *, error: str, attempts: int
) -> None:
    """Record a failed send of a claimed delivery."""
    await session.execute(
        update(NudgeDelivery)
        .where(NudgeDelivery.id == delivery_id)
        .values(status="failed", error=error, attempts=attempts)
    )


async def record_sent(session: AsyncSession, marks: Sequence[Mapping[str, Any]]) -> None:
    """Record many sent deliveries at once (one ``UPDATE … WHERE id = …`` for the batch).

    Each mark has ``id``, ``status``, ``message_ref``, ``sent_at``, ``attempts`` and ``error``.
    """
    if marks:
        await session.execute(update(NudgeDelivery), list(marks))


# --- what a nudge shows: the team roundup and the monthly digest ---


async def roundup_counts(
    session: AsyncSession, workspace_ids: Sequence[int], *, since: dt.datetime, until: dt.datetime
) -> tuple[list[Any], list[Any], list[Any]]:
    """Return the wins of several workspaces in a window, grouped three ways.

    Returns:
        ``(workspace id, category, count)`` rows; ``(workspace id, people who logged)`` rows;
        and ``(workspace id, display name, what)`` of the shared wins, newest first.
    """
    window = (Win.workspace_id.in_(workspace_ids), Win.created_at >= since, Win.created_at < until)
    by_category = await session.execute(
        select(Win.workspace_id, Win.category, func.count())
        .where(*window)
        .group_by(Win.workspace_id, Win.category)
    )
    people = await session.execute(
        select(Win.workspace_id, func.count(func.distinct(Win.person_id)))
        .where(*window)
        .group_by(Win.workspace_id)
    )
    shared = await session.execute(
        select(Win.workspace_id, Person.display_name, Win.what)
        .join(Person, Person.id == Win.person_id)
        .where(*window, Win.shared.is_(True))
        .order_by(Win.created_at.desc(), Win.id.desc())
    )
    return list(by_category.all()), list(people.all()), list(shared.all())


async def wins_of_people(
    session: AsyncSession, person_ids: Sequence[int], *, since: dt.datetime, until: dt.datetime
) -> list[Any]:
    """Return ``(person id, category, shared, display name, what)`` of wins in a window.

    Newest first.
    """
    rows = await session.execute(
        select(Win.person_id, Win.category, Win.shared, Person.display_name, Win.what)
        .join(Person, Person.id == Win.person_id)
        .where(Win.person_id.in_(person_ids), Win.created_at >= since, Win.created_at < until)
        .order_by(Win.created_at.desc(), Win.id.desc())
    )
    return list(rows.all())


async def digest_wins(
    session: AsyncSession, person: Person, *, first: dt.date, last: dt.date
) -> list[Win]:
    """Return a person's own wins that happened between ``first`` and ``last`` (inclusive)."""
    return list(
        await session.scalars(
            select(Win).where(
                Win.workspace_id == person.workspace_id,
                Win.person_id == person.id,
                Win.occurred_on >= first,
                Win.occurred_on <= last,
            )
        )
    )


async def count_wins(
    session: AsyncSession, person: Person, *, first: dt.date, before: dt.date
) -> int:
    """Return how many wins of a person happened from ``first`` up to (not including) ``before``."""
    count = await session.scalar(
        select(func.count(Win.id)).where(
            Win.workspace_id == person.workspace_id,
            Win.person_id == person.id,
            Win.occurred_on >= first,
            Win.occurred_on < before,
        )
    )
    return int(count or 0)


async def digest_goals(
    session: AsyncSession,
    person: Person,
    *,
    today: dt.date,
    due_by: dt.date,
    first: dt.date,
    last: dt.date,
) -> list[Goal]:
    """Return a person's active goals due by ``due_by``, and those achieved in the month."""
    return list(
        await session.scalars(
            select(Goal)
            .where(
                Goal.workspace_id == person.workspace_id,
                Goal.person_id == person.id,
                or_(
                    and_(
                        Goal.status == "active",
                        Goal.target_date >= today,
                        Goal.target_date <= due_by,
                    ),
                    and_(
                        Goal.status == "achieved",
                        Goal.achieved_on >= first,
                        Goal.achieved_on <= last,
                    ),
                ),
            )
            .order_by(Goal.target_date, Goal.achieved_on, Goal.id)
        )
    )
