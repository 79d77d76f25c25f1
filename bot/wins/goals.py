"""Certification and education goals: target dates, progress, and the win when one is reached.

Kinds (CPhT, CSPT, TPV, 340B ACE, CPhT-Adv, degree, course, CE, other) live in
``prompts/wins.yaml``. Achieving a goal stores a win in *certification and education*, dated the
day it was reached; a certification kind also counts as one certification earned.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.errors import UserError
from bot.safety.gate import Redact, resolve_redact
from bot.store import goals as store
from bot.store.database import transaction
from bot.store.models import Goal, Person, Win, utcnow
from bot.store.wins import add_win
from bot.wins.categories import CERTIFICATION, wins_data
from bot.wins.errors import FutureDate, NotFound
from bot.wins.identity import Clock, PersonRef, resolve_person, today_for

GOAL_STATUSES = ("active", "achieved", "dropped")


@dataclass(frozen=True)
class GoalKind:
    """One kind of goal.

    Attributes:
        id: As stored in ``goals.kind`` (``CPhT``, ``340B ACE``, ``degree``…).
        title: Default title for a goal of this kind.
        certification: True when reaching it earns a certification.
    """

    id: str
    title: str
    certification: bool


@cache
def goal_kinds() -> tuple[GoalKind, ...]:
    """Return the goal kinds in the order a person sees them."""
    return tuple(
        GoalKind(id=str(kind), title=str(spec["title"]), certification=bool(spec["certification"]))
        for kind, spec in wins_data()["goal_kinds"].items()
    )


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def resolve_goal_kind(text: str) -> GoalKind:
    """Return the goal kind a person typed ("cpht", "340b-ace", "Degree").

    Raises:
        UserError: Unknown kind; the message lists the kinds.
    """
    for kind in goal_kinds():
        if _key(kind.id) == _key(text):
            return kind
    accepted = ", ".join(kind.id for kind in goal_kinds())
    raise UserError(f"unknown goal kind {text!r}: use one of {accepted}")


def _kind_of(goal: Goal) -> GoalKind:
    for kind in goal_kinds():
        if kind.id == goal.kind:
            return kind
    return GoalKind(id=goal.kind, title=goal.kind, certification=False)


def _check_progress(percent: int) -> int:
    if not 0 <= percent <= 100:
        raise UserError(f"progress is a percentage from 0 to 100, not {percent}")
    return percent


class GoalsService:
    """Keep a person's certification and education goals.

    Args:
        sessions: The session factory.
        redact: Applied to goal titles before they are stored (default: the project's redactor).
        clock: Current time (tests fix it).
        default_timezone: For people whose timezone is unknown.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        redact: Redact | None = None,
        clock: Clock = utcnow,
        default_timezone: str = "UTC",
    ) -> None:
        self._sessions = sessions
        self._redact = resolve_redact(redact)
        self._clock = clock
        self._default_timezone = default_timezone

    def _today(self, person: Person) -> dt.date:
        return today_for(person, clock=self._clock, default_timezone=self._default_timezone)

    async def _owned(self, session: AsyncSession, who: PersonRef, goal_id: int) -> Goal:
        person = await resolve_person(session, who)
        goal = await store.owned_goal(session, person, goal_id)
        if goal is None:
            raise NotFound(f"There is no goal #{goal_id} in your list.")
        return goal

    async def add(
        self,
        who: PersonRef,
        kind: str,
        *,
        title: str | None = None,
        target_date: dt.date | None = None,
        progress: int = 0,
    ) -> Goal:
        """Add a goal ("CPhT by June", "CPhT-Adv: 2 of 4 certificates", a degree course).

        Raises:
            UserError: Unknown kind or a progress outside 0–100.
        """
        goal_kind = resolve_goal_kind(kind)
        cleaned = self._redact(title.strip()).strip() if title and title.strip() else ""
        async with transaction(self._sessions) as session:
            person = await resolve_person(session, who)
            goal = Goal(
                workspace_id=person.workspace_id,
                person_id=person.id,
                kind=goal_kind.id,
                title=(cleaned or goal_kind.title)[:200],
                target_date=target_date,
                progress=_check_progress(progress),
                status="active",
            )
            await store.add_goal(session, goal)
        return goal

    async def list_goals(self, who: PersonRef, *, status: str | None = None) -> list[Goal]:
        """Return the person's goals (active first, then by target date)."""
        if status is not None and status not in GOAL_STATUSES:
            raise UserError(f"unknown status {status!r}: use one of {', '.join(GOAL_STATUSES)}")
        async with transaction(self._sessions) as session:
            person = await resolve_person(session, who)
            goals = await store.list_goals(session, person, status=status)
        order = {name: index for index, name in enumerate(GOAL_STATUSES)}
        return sorted(
            goals, key=lambda g: (order.get(g.status, 9), g.target_date or dt.date.max, g.id)
        )

    async def progress(self, who: PersonRef, goal_id: int, percent: int) -> Goal:
        """Set a goal's progress (percent).

        Raises:
            NotFound: No such goal for this person.
            UserError: The goal is no longer active, or the percentage is out of range.
        """
        async with transaction(self._sessions) as session:
            goal = await self._owned(session, who, goal_id)
            if goal.status != "active":
                raise UserError(f"goal #{goal_id} is {goal.status}; its progress is settled")
            goal.progress = _check_progress(percent)
            await session.flush()
        return goal

    async def achieve(
        self, who: PersonRef, goal_id: int, *, on: dt.date | None = None
    ) -> tuple[Goal, Win]:
        """Mark a goal reached and log the win that records it.

        Raises:
            NotFound: No such goal for this person.
            FutureDate: ``on`` is after today.
            UserError: The goal was already achieved or dropped.
        """
        async with transaction(self._sessions) as session:
            person = await resolve_person(session, who)
            goal = await self._owned(session, who, goal_id)
            if goal.status != "active":
                raise UserError(f"goal #{goal_id} is already {goal.status}")
            today = self._today(person)
            when = on or today
            if when > today:
                raise FutureDate(when, today)
            kind = _kind_of(goal)
            verb = "Earned" if kind.certification else "Completed"
            win = Win(
                workspace_id=person.workspace_id,
                person_id=person.id,
                what=f"{verb} {goal.title}",
                why=None,
                result=None,
                numbers={"certifications": 1} if kind.certification else {},
                category=CERTIFICATION,
                leadership="little",
                occurred_on=when,
                source="goal",
            )
            await add_win(session, win)
            goal.status, goal.progress, goal.achieved_on, goal.win_id = (
                "achieved",
                100,
                when,
                win.id,
            )
            await session.flush()
        return goal, win

    async def drop(self, who: PersonRef, goal_id: int) -> Goal:
        """Stop tracking a goal without deleting it.

        Raises:
            NotFound: No such goal for this person.
        """
        async with transaction(self._sessions) as session:
            goal = await self._owned(session, who, goal_id)
            if goal.status == "active":
                goal.status = "dropped"
            await session.flush()
        return goal
