"""Build the impact summary: a person's wins over a period, grouped, counted and cited.

Offline, the wording comes from templates in ``prompts/impact.yaml`` and the wins themselves.
A ``SummaryPolisher`` (the OpenAI coach) may reword entries and the closing paragraph, but it
cannot add or drop a line, change a citation, or introduce a number the original did not
have: such rewordings are ignored.

Every entry carries the id and date of the win it comes from; headline figures are sums of the
figures stored on the wins, compared with the previous period of the same length.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.impact.periods import Period, parse_period
from bot.prompts import load_yaml, render_text
from bot.store import goals as goals_store
from bot.store import wins as wins_store
from bot.store.database import transaction
from bot.store.models import Goal, Person, utcnow
from bot.wins.categories import (
    CERTIFICATION,
    INVOLVEMENT,
    RECOGNITION,
    categories,
)
from bot.wins.categories import label as category_label
from bot.wins.errors import EXAMPLE_WIN
from bot.wins.identity import Clock, PersonRef, resolve_person, today_for
from bot.wins.parsing import Figure, kind_label, kind_labels

logger = logging.getLogger(__name__)

IMPACT_FILE = "impact.yaml"
MAX_ENTRIES = 5
"""Entries shown per section; the rest are counted ("…and 12 more") and kept in the exports."""
MAX_HIGHLIGHTS = 5
TRIM = {"what": 240, "why": 160, "result": 200}
"""Characters kept of each part of a win in the summary (storage keeps everything)."""

# Sections by category leave these out: they have sections of their own (growth, involvement).
_OWN_SECTIONS = frozenset({CERTIFICATION, INVOLVEMENT})
# Little-l highlights come from doing the work, not from being thanked or certified.
_NOT_LEADERSHIP = frozenset({CERTIFICATION, RECOGNITION, INVOLVEMENT})


class WinRecord(BaseModel):
    """One win as the exports carry it (full text, untrimmed)."""

    id: int
    occurred_on: dt.date
    category: str
    category_label: str
    leadership: str
    what: str
    why: str | None
    result: str | None
    numbers: dict[str, Figure]
    source: str


class Entry(BaseModel):
    """One line of the summary, citing the win it comes from.

    Attributes:
        win_id: The win cited.
        occurred_on: Its date.
        text: What I did / why / result as one readable line (trimmed).
        figures: The win's figures in words ("2 people trained").
    """

    win_id: int
    occurred_on: dt.date
    category: str
    leadership: str
    what: str
    why: str | None
    result: str | None
    figures: list[str]
    text: str


class HeadlineFigure(BaseModel):
    """A headline number and its change against the previous period (None for all time)."""

    key: str
    label: str
    value: Figure
    previous: Figure | None
    change: Figure | None


class Section(BaseModel):
    """The entries of one category; ``more`` counts the wins not shown."""

    category: str
    label: str
    total: int
    entries: list[Entry]
    more: int


class GoalLine(BaseModel):
    """A goal still in progress."""

    goal_id: int
    kind: str
    title: str
    progress: int
    target_date: dt.date | None
    text: str


class MonthCount(BaseModel):
    """Wins of one category in one month (``YYYY-MM``), for the chart."""

    month: str
    category: str
    count: int


class ImpactSummary(BaseModel):
    """Everything every export needs; ``wins`` holds every win of the period, untrimmed."""

    person: str | None
    period_key: str
    period_label: str
    start: dt.date | None
    end: dt.date
    previous_label: str | None
    generated_on: dt.date
    coach: str
    empty: bool
    empty_hint: str | None
    headline: list[HeadlineFigure]
    sections: list[Section]
    leadership: list[Entry]
    big_leadership: list[Entry]
    growth: list[Entry]
    goals_in_progress: list[GoalLine]
    involvement: Section | None
    closing: str | None
    months: list[str]
    monthly: list[MonthCount]
    wins: list[WinRecord]


class PolishLine(BaseModel):
    """A line offered to a polisher: ``key`` is ``win:ID`` or ``closing``."""

    key: str
    text: str


class SummaryPolisher(Protocol):
    """Rewords summary lines (an LLM); it must return the same keys with new text."""

    name: str

    async def polish(self, lines: list[PolishLine]) -> list[PolishLine]:
        """Return reworded lines; unknown keys and lines that add claims are ignored."""
        ...


# --- helpers ---------------------------------------------------------------------------------


def impact_text() -> dict[str, Any]:
    """Return the parsed prompts/impact.yaml."""
    data = load_yaml(IMPACT_FILE)
    if not isinstance(data, dict):
        raise ValueError(f"{IMPACT_FILE} must be a mapping")
    return data


def trim(text: str, limit: int) -> str:
    """Return ``text`` on one line, cut at a word boundary to at most ``limit`` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    # Cut inside a word: drop the partial word, unless that would lose half the text.
    if flat[limit - 1] != " " and " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-–—") + "…"


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?…" else text + "."


def format_figure(kind: str, value: Figure) -> str:
    """Return a figure as a person reads it ("$1,200", "40%", "2 people trained")."""
    number = f"{value:,}" if isinstance(value, int) else f"{value:,.1f}".removesuffix(".0")
    if kind == "dollars":
        return f"${number}"
    if kind == "percent":
        return f"{number}%"
    return f"{number} {kind_label(kind, value)}"


def _add(total: dict[str, Figure], numbers: dict[str, Any]) -> None:
    for kind, value in numbers.items():
        if isinstance(value, int | float) and not isinstance(value, bool):
            total[kind] = total.get(kind, 0) + value


def _rounded(value: Figure) -> Figure:
    return round(value, 1) if isinstance(value, float) else value


def _months(first: dt.date, last: dt.date) -> list[str]:
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


_NUMBER_TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?")


def keeps_claims(original: str, polished: str) -> bool:
    """Return True when ``polished`` states no number that ``original`` does not."""
    if not polished.strip() or len(polished) > 2 * len(original) + 80:
        return False

    def numbers(text: str) -> set[str]:
        return {token.replace(",", "").rstrip(".") for token in _NUMBER_TOKEN.findall(text)}

    return numbers(polished) <= numbers(original)


# --- the service -------------------------------------------------------------------------------


class ImpactService:
    """Build impact summaries.

    Args:
        sessions: The session factory.
        polisher: Optional rewording of lines (an LLM); offline templates otherwise.
        clock: Current time (tests fix it).
        default_timezone: For people whose timezone is unknown.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        polisher: SummaryPolisher | None = None,
        clock: Clock = utcnow,
        default_timezone: str = "UTC",
    ) -> None:
        self._sessions = sessions
        self._polisher = polisher
        self._clock = clock
        self._default_timezone = default_timezone

    async def build(self, who: PersonRef, period: str | Period | None = None) -> ImpactSummary:
        """Return the summary of ``who``'s wins over ``period`` (default: the last 12 months).

        Raises:
            UserError: ``period`` is not an accepted form; the message lists them.
        """
        async with transaction(self._sessions) as session:
            person = await resolve_person(session, who)
            today = today_for(person, clock=self._clock, default_timezone=self._default_timezone)
            chosen = period if isinstance(period, Period) else parse_period(period, today=today)
            rows = await wins_store.period_rows(session, person, start=chosen.start, end=chosen.end)
            previous = chosen.previous()
            previous_totals: dict[str, Figure] | None = None
            if previous is not None:
                previous_totals = await self._totals(session, person, previous)
            goals = await goals_store.active_goals(session, person, undated_last=False)
        # Rows straight from the database: construct without validating (2,000 rows a year).
        wins = [
            WinRecord.model_construct(
                id=row.id,
                occurred_on=row.occurred_on,
                category=row.category,
                category_label=category_label(row.category),
                leadership=row.leadership,
                what=row.what,
                why=row.why,
                result=row.result,
                numbers=row.numbers or {},
                source=row.source,
            )
            for row in rows
        ]
        summary = _assemble(
            person=person,
            period=chosen,
            previous=previous,
            previous_totals=previous_totals,
            wins=wins,
            goals=goals,
            today=today,
        )
        if self._polisher is not None and not summary.empty:
            summary = await self._polish(summary, self._polisher)
        return summary

    @staticmethod
    async def _totals(session: AsyncSession, person: Person, period: Period) -> dict[str, Figure]:
        totals: dict[str, Figure] = {"wins": 0}
        for numbers in await wins_store.period_figures(
            session, person, start=period.start, end=period.end
        ):
            totals["wins"] += 1
            _add(totals, numbers)
        return totals

    @staticmethod
    async def _polish(summary: ImpactSummary, polisher: SummaryPolisher) -> ImpactSummary:
        entries: dict[str, Entry] = {}
        for entry in _all_entries(summary):
            entries.setdefault(f"win:{entry.win_id}", entry)
        lines = [PolishLine(key=key, text=entry.text) for key, entry in entries.items()]
        if summary.closing:
            lines.append(PolishLine(key="closing", text=summary.closing))
        originals = {line.key: line.text for line in lines}
        try:
            polished = await polisher.polish(lines)
        except Exception:
            # The polisher is an optional nicety (an LLM call); the offline wording stands.
            logger.warning("summary polisher failed; keeping the offline wording", exc_info=True)
            return summary
        accepted = {
            line.key: line.text.strip()
            for line in polished
            if line.key in originals
            and keeps_claims(originals[line.key], line.text)
            and line.text.strip() != originals[line.key].strip()
        }
        if not accepted:  # nothing reworded: the summary is the offline one
            return summary
        for entry in _all_entries(summary):
            entry.text = accepted.get(f"win:{entry.win_id}", entry.text)
        closing = accepted.get("closing", summary.closing)
        return summary.model_copy(update={"closing": closing, "coach": polisher.name})


def _all_entries(summary: ImpactSummary) -> Iterable[Entry]:
    for section in summary.sections:
        yield from section.entries
    yield from summary.leadership
    yield from summary.big_leadership
    yield from summary.growth
    if summary.involvement is not None:
        yield from summary.involvement.entries


def _entry(win: WinRecord, text: dict[str, Any]) -> Entry:
    what = trim(win.what, TRIM["what"])
    why = trim(win.why, TRIM["why"]) if win.why else None
    result = trim(win.result, TRIM["result"]) if win.result else None
    parts = [_sentence(what)]
    if why:
        parts.append(render_text(text["entry_why"], why=_sentence(why)))
    if result:
        parts.append(render_text(text["entry_result"], result=_sentence(result)))
    return Entry(
        win_id=win.id,
        occurred_on=win.occurred_on,
        category=win.category,
        leadership=win.leadership,
        what=what,
        why=why,
        result=result,
        figures=[format_figure(kind, value) for kind, value in win.numbers.items()],
        text=" ".join(parts),
    )


def _weight(win: WinRecord) -> tuple[int, int, int, dt.date, int]:
    # The most convincing first: figures, a result, Big-L, then the most recent.
    return (
        len(win.numbers),
        1 if win.result else 0,
        1 if win.leadership == "big" else 0,
        win.occurred_on,
        win.id,
    )


def _pick(wins: Sequence[WinRecord], limit: int) -> list[WinRecord]:
    best = sorted(wins, key=_weight, reverse=True)[:limit]
    return sorted(best, key=lambda win: (win.occurred_on, win.id), reverse=True)


def _section(category: str, wins: Sequence[WinRecord], text: dict[str, Any]) -> Section:
    shown = _pick(wins, MAX_ENTRIES)
    return Section(
        category=category,
        label=category_label(category),
        total=len(wins),
        entries=[_entry(win, text) for win in shown],
        more=len(wins) - len(shown),
    )


def _headline(
    totals: dict[str, Figure], previous: dict[str, Figure] | None, text: dict[str, Any]
) -> list[HeadlineFigure]:
    keys = list(text["headline_always"])
    extra = set(totals) | set(previous or {})
    keys += [kind for kind in kind_labels() if kind in extra and kind not in keys]
    figures = []
    for key in keys:
        if key == "percent":
            continue  # percentages of different things do not add up
        value = _rounded(totals.get(key, 0))
        before = None if previous is None else _rounded(previous.get(key, 0))
        if key == "wins":
            label = str(text["wins_label_one" if value == 1 else "wins_label"])
        else:
            label = kind_label(key, value)
        figures.append(
            HeadlineFigure(
                key=key,
                label=label,
                value=value,
                previous=before,
                change=None if before is None else _rounded(value - before),
            )
        )
    return figures


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _closing(
    period: Period,
    headline: list[HeadlineFigure],
    sections: list[Section],
    big: int,
    little: int,
    text: dict[str, Any],
) -> str:
    by_key = {figure.key: figure for figure in headline}
    wins = int(by_key["wins"].value)
    figures = [
        format_figure(figure.key, figure.value)
        for figure in headline
        if figure.key != "wins" and figure.value
    ][:4]
    figures_text = ""
    if figures:
        joined = (
            figures[0] if len(figures) == 1 else ", ".join(figures[:-1]) + f" and {figures[-1]}"
        )
        figures_text = render_text(text["closing_figures"], figures=joined)
    phrases = {category.id: category.phrase for category in categories()}
    top = sorted(sections, key=lambda section: section.total, reverse=True)[:2]
    areas = ", and in ".join(phrases.get(s.category, s.label.lower()) for s in top)
    leadership = ""
    if big:
        leadership += render_text(
            text["closing_big"], count=_plural(big, "initiative", "initiatives")
        )
    if little:
        leadership += render_text(text["closing_little"], count=f"{little} of them")
    return " ".join(
        render_text(
            text["closing"],
            period=period.label,
            wins=_plural(wins, "win", "wins"),
            figures=figures_text,
            areas=areas or "my day-to-day work",
            leadership=leadership,
        ).split()
    )


def _goal_line(goal: Goal, text: dict[str, Any]) -> GoalLine:
    target = (
        render_text(text["goal_target"], date=goal.target_date.isoformat())
        if goal.target_date
        else ""
    )
    return GoalLine(
        goal_id=goal.id,
        kind=goal.kind,
        title=goal.title,
        progress=goal.progress,
        target_date=goal.target_date,
        text=render_text(
            text["goal_line"], title=goal.title, progress=goal.progress, target=target
        ),
    )


def _assemble(
    *,
    person: Person,
    period: Period,
    previous: Period | None,
    previous_totals: dict[str, Figure] | None,
    wins: list[WinRecord],
    goals: list[Goal],
    today: dt.date,
) -> ImpactSummary:
    text = impact_text()
    totals: dict[str, Figure] = {"wins": len(wins)}
    by_category: dict[str, list[WinRecord]] = {}
    monthly: Counter[tuple[str, str]] = Counter()
    for win in wins:
        _add(totals, win.numbers)
        by_category.setdefault(win.category, []).append(win)
        monthly[(win.occurred_on.strftime("%Y-%m"), win.category)] += 1

    headline = _headline(totals, previous_totals, text)
    sections = [
        _section(category.id, by_category[category.id], text)
        for category in categories()
        if category.id in by_category and category.id not in _OWN_SECTIONS
    ]
    known = {category.id for category in categories()}
    sections += [  # categories no longer in wins.yaml still show, after the known ones
        _section(category, found, text)
        for category, found in by_category.items()
        if category not in known
    ]
    doers = [win for win in wins if win.category not in _NOT_LEADERSHIP]
    little = [win for win in doers if win.leadership != "big"]
    big = [win for win in wins if win.leadership == "big"]
    involvement = by_category.get(INVOLVEMENT)
    first = period.start or (wins[0].occurred_on if wins else period.end)
    empty = not wins
    return ImpactSummary(
        person=person.display_name,
        period_key=period.key,
        period_label=period.label,
        start=period.start,
        end=period.end,
        previous_label=previous.label if previous else None,
        generated_on=today,
        coach="offline",
        empty=empty,
        empty_hint=(
            render_text(text["empty"], period=period.label, example=EXAMPLE_WIN) if empty else None
        ),
        headline=headline,
        sections=sections,
        leadership=[_entry(win, text) for win in _pick(little, MAX_HIGHLIGHTS)],
        big_leadership=[_entry(win, text) for win in _pick(big, MAX_HIGHLIGHTS)],
        growth=[_entry(win, text) for win in _pick(by_category.get(CERTIFICATION, []), 10)],
        goals_in_progress=[_goal_line(goal, text) for goal in goals],
        involvement=_section(INVOLVEMENT, involvement, text) if involvement else None,
        closing=(
            None if empty else _closing(period, headline, sections, len(big), len(little), text)
        ),
        months=_months(first, period.end) if wins else [],
        monthly=[
            MonthCount(month=month, category=category, count=count)
            for (month, category), count in sorted(monthly.items())
        ],
        wins=wins,
    )
