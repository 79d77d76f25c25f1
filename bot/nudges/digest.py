"""The monthly digest: "your month in wins", sent on the 1st to people who opted in.

:func:`build_digest` gathers one person's month (four queries, whatever the number of wins);
:func:`render_digest_text` writes it as plain text for the terminal and for a notification.
Slack's blocks come from :func:`bot.slack.blocks.digest.build_digest_message`.

Choices:

- A win belongs to the month it happened in (``occurred_on``), not the day it was logged.
- Highlights are the month's three most convincing wins: figures first, then a result, then
  Big-L, then the most recent (the impact summary's order).
- Goals coming due are active goals whose target date falls from the digest day to 60 days
  after it; an overdue goal is left out (the digest encourages, it does not scold).
- ``period_key`` is the month (``2026-10``), a form :func:`bot.impact.periods.parse_period`
  accepts, so "Build my impact summary" covers exactly the month's wins and compares them with
  the month before.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Final

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.impact.periods import month_period
from bot.impact.summary import format_figure
from bot.store import nudges as store
from bot.store.database import transaction
from bot.store.models import Person, Win
from bot.wins.categories import categories
from bot.wins.categories import label as category_label
from bot.wins.errors import NotFound

MAX_HIGHLIGHTS: Final = 3
GOALS_DUE_DAYS: Final = 60
"""A goal is "coming due" when its target date is at most this many days after the digest day."""
TEXT_TRIM: Final = 200
"""Characters of a highlight's "what" and "result" shown in the plain-text digest."""


@dataclass(frozen=True)
class CategoryCount:
    """How many of the month's wins fall in one category."""

    category: str
    label: str
    count: int


@dataclass(frozen=True)
class Highlight:
    """One of the month's best wins (text as stored: already redacted).

    Attributes:
        win_id: The win, so a reader can find it again.
        occurred_on: When it happened.
        what: What the person did.
        result: What changed because of it, if they said.
        figures: The win's figures in words ("2 people trained").
        leadership: ``little`` or ``big``.
    """

    win_id: int
    occurred_on: dt.date
    what: str
    result: str | None
    figures: tuple[str, ...]
    leadership: str


@dataclass(frozen=True)
class GoalDue:
    """An active goal whose target date is coming up."""

    goal_id: int
    kind: str
    title: str
    target_date: dt.date
    progress: int
    days_left: int


@dataclass(frozen=True)
class GoalAchieved:
    """A goal reached during the month."""

    goal_id: int
    kind: str
    title: str
    achieved_on: dt.date


@dataclass(frozen=True)
class Digest:
    """What a "your month in wins" message shows.

    Attributes:
        month: The first day of the month it covers.
        today: The day it is built (goals coming due count from here).
        display_name: The person's name, when known.
        wins: Wins dated in the month.
        previous_wins: Wins dated in the month before, for comparison.
        by_category: Counts per category, in the categories' display order (only non-zero).
        highlights: Up to three wins worth a second look.
        little_l: Wins marked little-l leadership.
        big_l: Wins marked Big-L leadership.
        goals_due: Active goals with a target date in the next 60 days, soonest first.
        goals_achieved: Goals reached during the month.
        period_key: The month as a period the impact summary accepts.
    """

    month: dt.date
    today: dt.date
    display_name: str | None
    wins: int
    previous_wins: int
    by_category: tuple[CategoryCount, ...]
    highlights: tuple[Highlight, ...]
    little_l: int
    big_l: int
    goals_due: tuple[GoalDue, ...]
    goals_achieved: tuple[GoalAchieved, ...]
    period_key: str

    @property
    def month_end(self) -> dt.date:
        """Return the last day of the month."""
        return month_end(self.month)

    @property
    def month_name(self) -> str:
        """Return the month as "October 2026"."""
        return f"{calendar.month_name[self.month.month]} {self.month.year}"

    @property
    def previous_month_name(self) -> str:
        """Return the previous month as "September" (with the year when it differs)."""
        previous = previous_month(self.month)
        name = calendar.month_name[previous.month]
        return name if previous.year == self.month.year else f"{name} {previous.year}"

    @property
    def empty(self) -> bool:
        """Return whether no win was logged for the month."""
        return self.wins == 0


def month_start(day: dt.date) -> dt.date:
    """Return the first day of ``day``'s month."""
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    """Return the last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def previous_month(day: dt.date) -> dt.date:
    """Return the first day of the month before ``day``'s."""
    return month_start(month_start(day) - dt.timedelta(days=1))


def month_period_key(month: dt.date) -> str:
    """Return the impact-summary period covering ``month`` (``2026-10``)."""
    return month_period(month).key


def _weight(win: Win) -> tuple[int, int, int, dt.date, int]:
    # The most convincing first: figures, a result, Big-L, then the most recent.
    return (
        len(win.numbers or {}),
        1 if (win.result or "").strip() else 0,
        1 if win.leadership == "big" else 0,
        win.occurred_on,
        win.id,
    )


def _highlight(win: Win) -> Highlight:
    return Highlight(
        win_id=win.id,
        occurred_on=win.occurred_on,
        what=win.what,
        result=win.result if (win.result or "").strip() else None,
        figures=tuple(format_figure(kind, value) for kind, value in (win.numbers or {}).items()),
        leadership=win.leadership,
    )


async def build_digest(
    sessions: async_sessionmaker[AsyncSession], *, person_id: int, month: dt.date, today: dt.date
) -> Digest:
    """Gather the digest of ``person_id``'s wins and goals for ``month``.

    Args:
        sessions: The session factory.
        person_id: Whose digest (``people.id``); only their own wins and goals are read.
        month: Any day of the month covered (usually the first of last month).
        today: The day the digest is built, in the person's timezone.

    Raises:
        NotFound: No such person.
    """
    first, last = month_start(month), month_end(month)
    before = previous_month(first)
    due_by = today + dt.timedelta(days=GOALS_DUE_DAYS)
    async with transaction(sessions) as session:
        person = await session.get(Person, person_id)
        if person is None:
            raise NotFound(f"There is no person #{person_id}.")
        wins = await store.digest_wins(session, person, first=first, last=last)
        previous_wins = await store.count_wins(session, person, first=before, before=first)
        goals = await store.digest_goals(
            session, person, today=today, due_by=due_by, first=first, last=last
        )
        display_name = person.display_name
    counts = Counter(win.category for win in wins)
    order = [category.id for category in categories()]
    ranked = sorted(counts, key=lambda c: (order.index(c) if c in order else len(order), c))
    best = sorted(wins, key=_weight, reverse=True)[:MAX_HIGHLIGHTS]
    return Digest(
        month=first,
        today=today,
        display_name=display_name,
        wins=len(wins),
        previous_wins=previous_wins,
        by_category=tuple(CategoryCount(c, category_label(c), counts[c]) for c in ranked),
        highlights=tuple(_highlight(win) for win in best),
        little_l=sum(1 for win in wins if win.leadership != "big"),
        big_l=sum(1 for win in wins if win.leadership == "big"),
        goals_due=tuple(
            GoalDue(
                goal_id=goal.id,
                kind=goal.kind,
                title=goal.title,
                target_date=goal.target_date,
                progress=goal.progress,
                days_left=(goal.target_date - today).days,
            )
            for goal in goals
            if goal.status == "active" and goal.target_date is not None
        ),
        goals_achieved=tuple(
            GoalAchieved(
                goal_id=goal.id, kind=goal.kind, title=goal.title, achieved_on=goal.achieved_on
            )
            for goal in sorted(goals, key=lambda g: (g.achieved_on or first, g.id))
            if goal.status == "achieved" and goal.achieved_on is not None
        ),
        period_key=month_period_key(first),
    )


# --- plain text -------------------------------------------------------------------------------


def plural(count: int, one: str, many: str) -> str:
    """Return "1 win" / "3 wins"."""
    return f"{count} {one if count == 1 else many}"


def short_date(day: dt.date) -> str:
    """Return a date as "Oct 3"."""
    return f"{day:%b} {day.day}"


def _trim(text: str, limit: int = TEXT_TRIM) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def comparison(digest: Digest) -> str:
    """Return how the month compares with the one before, in words."""
    before, name = digest.previous_wins, digest.previous_month_name
    if before == digest.wins:
        return f"the same as {name}"
    if before == 0:
        return f"none in {name}"
    direction = "up from" if digest.wins > before else "down from"
    return f"{direction} {before} in {name}"


def headline(digest: Digest) -> str:
    """Return the digest's main sentence ("You logged 5 wins in October (up from 3 in …)")."""
    month = calendar.month_name[digest.month.month]
    if digest.empty:
        return f"No wins logged in {month}, and that's okay: a new month is a fresh start."
    return f"You logged {plural(digest.wins, 'win', 'wins')} in {month} ({comparison(digest)})."


def goal_due_text(goal: GoalDue) -> str:
    """Return one goal coming due as "CPhT exam: 40% done, due Dec 15 (in 14 days)"."""
    when = "today" if goal.days_left == 0 else f"in {plural(goal.days_left, 'day', 'days')}"
    return f"{goal.title}: {goal.progress}% done, due {short_date(goal.target_date)} ({when})"


def highlight_text(item: Highlight) -> str:
    """Return one highlight on one line: date, what, result and figures."""
    text = f"{short_date(item.occurred_on)} — {_trim(item.what)}"
    if item.result:
        text += f" → {_trim(item.result)}"
    if item.figures:
        text += f" ({', '.join(item.figures)})"
    return text


def render_digest_text(digest: Digest) -> str:
    """Return the digest as plain text (terminal output and the notification fallback)."""
    name = " ".join((digest.display_name or "").split())
    month = calendar.month_name[digest.month.month]
    lines = [f"Your month in wins — {digest.month_name}", ""]
    lines.append(f"Hi {name}! {headline(digest)}" if name else headline(digest))
    if digest.empty:
        lines.append(
            "Busy months happen. One line about something that went well is enough: a "
            "catch, a hand you lent, something you taught. It all counts."
        )
    else:
        lines.append(
            "By category: " + ", ".join(f"{item.label} {item.count}" for item in digest.by_category)
        )
        lines.append(f"Leadership: {digest.little_l} little-l, {digest.big_l} Big-L")
        if digest.highlights:
            lines += ["", "Highlights:"]
            lines += [f"- #{item.win_id} {highlight_text(item)}" for item in digest.highlights]
    if digest.goals_achieved:
        lines += ["", f"Goals reached in {month}:"]
        lines += [
            f"- {goal.title} ({short_date(goal.achieved_on)})" for goal in digest.goals_achieved
        ]
    if digest.goals_due:
        lines += ["", "Goals coming due:"]
        lines += [f"- {goal_due_text(goal)}" for goal in digest.goals_due]
    if not digest.empty:
        lines += ["", f"Impact summary for {month}: period {digest.period_key}"]
    return "\n".join(lines)
