"""Goals: the queries of a person's certification and education goals.

The caller owns the transaction; every query names the workspace and the person.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import Goal, Person


async def add_goal(session: AsyncSession, goal: Goal) -> Goal:
    """Store a new goal and return it with its id."""
    session.add(goal)
    await session.flush()
    return goal


async def owned_goal(session: AsyncSession, person: Person, goal_id: int) -> Goal | None:
    """Return goal ``goal_id`` when it is ``person``'s (in their workspace), else None."""
    return await session.scalar(
        select(Goal).where(
            Goal.id == goal_id,
            Goal.person_id == person.id,
            Goal.workspace_id == person.workspace_id,
        )
    )


async def list_goals(
    session: AsyncSession, person: Person, *, status: str | None = None
) -> list[Goal]:
    """Return ``person``'s goals (of ``status`` when given), by id."""
    query = select(Goal).where(
        Goal.workspace_id == person.workspace_id, Goal.person_id == person.id
    )
    if status is not None:
        query = query.where(Goal.status == status)
    return list(await session.scalars(query.order_by(Goal.id)))


async def active_goals(
    session: AsyncSession, person: Person, *, undated_last: bool = True
) -> list[Goal]:
    """Return ``person``'s active goals, soonest target first.

    Args:
        session: The caller's session.
        person: Whose goals.
        undated_last: Put goals without a target date last; False leaves them where the
            database sorts NULLs (the impact summary's order).
    """
    query = select(Goal).where(
        Goal.workspace_id == person.workspace_id,
        Goal.person_id == person.id,
        Goal.status == "active",
    )
    if undated_last:
        query = query.order_by(Goal.target_date.is_(None), Goal.target_date, Goal.id)
    else:
        query = query.order_by(Goal.target_date, Goal.id)
    return list(await session.scalars(query))
