"""Wins: the queries of a person's wins log (the caller owns the transaction).

Every query names the workspace and the person, so one person never reads another's wins;
the period queries filter on (workspace_id, person_id, occurred_on), the columns of the wins
index.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import Person, Win


def _mine(person: Person) -> tuple[Any, Any]:
    return Win.workspace_id == person.workspace_id, Win.person_id == person.id


async def add_win(session: AsyncSession, win: Win) -> Win:
    """Store a new win and return it with its id."""
    session.add(win)
    await session.flush()
    return win


async def owned_win(session: AsyncSession, person: Person, win_id: int) -> Win | None:
    """Return win ``win_id`` when it is ``person``'s (in their workspace), else None."""
    return await session.scalar(select(Win).where(Win.id == win_id, *_mine(person)))


async def delete_win(session: AsyncSession, win: Win) -> None:
    """Delete a win."""
    await session.delete(win)


async def list_wins(
    session: AsyncSession,
    person: Person,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    category: str | None = None,
) -> list[Win]:
    """Return ``person``'s wins dated ``start``..``end`` (inclusive), newest first."""
    query = select(Win).where(*_mine(person))
    if start is not None:
        query = query.where(Win.occurred_on >= start)
    if end is not None:
        query = query.where(Win.occurred_on <= end)
    if category is not None:
        query = query.where(Win.category == category)
    return list(await session.scalars(query.order_by(Win.occurred_on.desc(), Win.id.desc())))


async def recent_wins(session: AsyncSession, person: Person, *, limit: int) -> list[Win]:
    """Return ``person``'s latest ``limit`` wins, newest first."""
    query = (
        select(Win).where(*_mine(person)).order_by(Win.occurred_on.desc(), Win.id.desc())
    ).limit(limit)
    return list(await session.scalars(query))


async def count_wins_since(session: AsyncSession, person: Person, start: dt.date) -> int:
    """Return how many wins ``person`` has dated ``start`` or later."""
    query = select(func.count()).select_from(Win).where(*_mine(person), Win.occurred_on >= start)
    return int(await session.scalar(query) or 0)


async def win_days_since(session: AsyncSession, person: Person, start: dt.date) -> set[dt.date]:
    """Return the days, ``start`` or later, on which ``person`` has a win."""
    query = select(Win.occurred_on).distinct().where(*_mine(person), Win.occurred_on >= start)
    return set(await session.scalars(query))


def wins_query(
    workspace_id: int, person_id: int, start: dt.date | None, end: dt.date
) -> Select[Any]:
    """Return the query for a person's wins in a period, oldest first.

    It filters on (workspace_id, person_id, occurred_on), the columns of the wins index, so
    it is an index range scan; the benchmark prints its plan.
    """
    query = select(
        Win.id,
        Win.occurred_on,
        Win.category,
        Win.leadership,
        Win.what,
        Win.why,
        Win.result,
        Win.numbers,
        Win.source,
    ).where(Win.workspace_id == workspace_id, Win.person_id == person_id, Win.occurred_on <= end)
    if start is not None:
        query = query.where(Win.occurred_on >= start)
    return query.order_by(Win.occurred_on, Win.id)


async def period_rows(
    session: AsyncSession, person: Person, *, start: dt.date | None, end: dt.date
) -> Sequence[Row[Any]]:
    """Return ``person``'s wins of a period as plain rows (the :func:`wins_query` columns)."""
    result = await session.execute(wins_query(person.workspace_id, person.id, start, end))
    rows: Sequence[Row[Any]] = result.all()
    return rows


async def period_figures(
    session: AsyncSession, person: Person, *, start: dt.date | None, end: dt.date
) -> list[dict[str, Any]]:
    """Return the figures (``Win.numbers``) of each of ``person``'s wins in a period."""
    query = select(Win.numbers).where(*_mine(person), Win.occurred_on <= end)
    if start is not None:
        query = query.where(Win.occurred_on >= start)
    return [numbers or {} for numbers in await session.scalars(query)]
