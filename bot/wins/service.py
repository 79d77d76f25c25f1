"""The wins log: capture, edit, delete and list a person's wins; the "how many?" follow-up.

Text is redacted before anything is stored. A win is dated by what the text says ("last
Friday"), else by ``occurred_on``, else today where the person is; a future date is refused.
The follow-up is asked once: ``add`` returns the question when the win has neither a figure
nor a result, and ``complete_followup`` takes the answer (or "skip") without asking again.
A win is private unless the person chooses ``shared``: then its "what" and their name may show
in team channel roundups (nothing else of it ever does).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.errors import UserError
from bot.prompts import load_yaml
from bot.safety.gate import Redact, resolve_redact
from bot.store import wins as store
from bot.store.conversations import saved_draft
from bot.store.database import transaction
from bot.store.models import Person, Win, utcnow
from bot.wins.categories import (
    CERTIFICATION,
    LEADERSHIP_LEVELS,
    RECOGNITION,
    category_ids,
    resolve_category,
    resolve_leadership,
)
from bot.wins.errors import EmptyWin, FutureDate, NotFound, WinTooLong
from bot.wins.identity import Clock, PersonRef, resolve_person, today_for
from bot.wins.parsing import (
    OfflineWinParser,
    WinDraft,
    WinParser,
    extract_numbers,
    guess_category,
    guess_leadership,
    number_answer,
    parse_date,
    supported_figures,
)

MAX_WIN_CHARS = 20_000
"""Longest text accepted for one part of a win (a 10,000-character win is fine)."""

SOURCES = ("chat", "nudge", "command", "form", "thanks", "goal")
"""Where a win was captured: a surface, or made from accepted thanks or an achieved goal."""

SKIP_ANSWERS = frozenset({"", "skip", "pass", "no", "n/a", "na", "none", "-"})

# Categories whose wins speak for themselves: a thank-you or a certificate needs no "how many?".
_NO_FOLLOWUP = frozenset({RECOGNITION, CERTIFICATION})


@dataclass(frozen=True)
class Captured:
    """A stored win and, when it has no figure and no result, the one question to ask."""

    win: Win
    followup: str | None


def followup_question() -> str:
    """Return the follow-up question asked when a win has no figure and no result."""
    return str(load_yaml("wins.yaml")["followup_question"])


def needs_followup(win: Win) -> str | None:
    """Return the question to ask about ``win``, or None when it already has what it needs.

    Pure: the caller asks at most once, right after capture (``WinsService.add`` does this).
    """
    if win.category in _NO_FOLLOWUP or win.numbers or (win.result or "").strip():
        return None
    return followup_question()


def read_date(text: str, *, today: dt.date) -> dt.date:
    """Return the date named by an option such as ``--date`` (ISO, M/D, yesterday, last Friday).

    Raises:
        UserError: The text names no date.
    """
    found = parse_date(text, today=today)
    if found is None:
        raise UserError(
            f"cannot read the date {text!r}: use YYYY-MM-DD, M/D, today, yesterday "
            "or a weekday such as 'last Friday'"
        )
    return found


def _combined(win: Win) -> str:
    return " ".join(part for part in (win.what, win.why, win.result) if part)


class WinsService:
    """Capture and manage one person's wins.

    Args:
        sessions: The session factory.
        parser: Reads free text (default: the offline rules). Figures from any other parser are
            kept only when the text states them.
        redact: Applied to every piece of text before it is stored (default: the project's
            redactor).
        clock: Current time (tests fix it).
        default_timezone: For people whose timezone is unknown.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        parser: WinParser | None = None,
        redact: Redact | None = None,
        clock: Clock = utcnow,
        default_timezone: str = "UTC",
    ) -> None:
        self._sessions = sessions
        self._parser: WinParser = parser or OfflineWinParser()
        self._redact = resolve_redact(redact)
        self._clock = clock
        self._default_timezone = default_timezone

    def today(self, person: Person) -> dt.date:
        """Return today's date where ``person`` is."""
        return today_for(person, clock=self._clock, default_timezone=self._default_timezone)

    async def today_of(self, who: PersonRef) -> dt.date:
        """Return today's date where ``who`` is (creating the person on first sight)."""
        async with transaction(self._sessions) as session:
            return self.today(await resolve_person(session, who))

    def _clean_text(self, text: str | None, *, required: bool = False) -> str | None:
        stripped = (text or "").strip()
        if not stripped:
            if required:
                raise EmptyWin()
            return None
        if len(stripped) > MAX_WIN_CHARS:
            raise WinTooLong(MAX_WIN_CHARS)
        return self._redact(stripped).strip() or None

    def _check_date(self, when: dt.date, person: Person) -> dt.date:
        today = self.today(person)
        if when > today:
            raise FutureDate(when, today)
        return when

    async def add(
        self,
        who: PersonRef,
        text: str,
        *,
        source: str = "command",
        occurred_on: dt.date | None = None,
        category: str | None = None,
        why: str | None = None,
        result: str | None = None,
        leadership: str | None = None,
        draft_id: int | None = None,
        shared: bool = False,
    ) -> Captured:
        """Parse and store a win from free text.

        When ``why`` or ``result`` is given, ``text`` is taken whole as "what I did"; otherwise
        it is split on cues ("because", "which", "result:"). Explicit ``category``,
        ``leadership`` and ``occurred_on`` win over what the text suggests. ``shared`` is the
        person's choice to show the win (their name and what they did) in team roundups.

        Raises:
            EmptyWin: ``text`` is blank.
            FutureDate: The win's date is after today.
            UserError: Unknown category, leadership or source.
        """
        if source not in SOURCES:
            raise UserError(f"unknown source {source!r}: use one of {', '.join(SOURCES)}")
        raw = (text or "").strip()
        redacted = self._clean_text(raw, required=True) or raw
        why_text, result_text = self._clean_text(why), self._clean_text(result)
        async with transaction(self._sessions) as session:
            person = await resolve_person(session, who)
            today = self.today(person)
            # The date comes from the raw text: redaction may mask dates, and the date itself
            # is stored as a date, never as text.
            when = occurred_on or parse_date(raw, today=today)
            draft = await self._parser.parse(redacted, today=today)
            if when is None:
                when = draft.occurred_on or today
            if why_text is None and result_text is None:
                what, why_text, result_text = draft.what, draft.why, draft.result
                if self._parser.name != "offline":
                    # A model's wording may echo an identifier: redact what it returns too.
                    what = self._redact(what)
                    why_text = self._redact(why_text) if why_text else None
                    result_text = self._redact(result_text) if result_text else None
            else:
                what = redacted
            full_text = " ".join(p for p in (what, why_text, result_text) if p)
            numbers = extract_numbers(full_text)
            if self._parser.name != "offline":
                numbers = supported_figures(draft.numbers, full_text) or numbers
            win = Win(
                workspace_id=person.workspace_id,
                person_id=person.id,
                what=what or redacted,
                why=why_text,
                result=result_text,
                numbers=numbers,
                category=resolve_category(category) if category else self._category(draft),
                leadership=self._leadership(leadership, draft, full_text),
                occurred_on=self._check_date(when, person),
                source=source,
                draft_id=draft_id,
                shared=shared,
            )
            await store.add_win(session, win)
        return Captured(win=win, followup=needs_followup(win))

    @staticmethod
    def _category(draft: WinDraft) -> str:
        # A model may answer with a category that does not exist: fall back to the cues.
        if draft.category in category_ids():
            return draft.category
        return guess_category(" ".join(p for p in (draft.what, draft.why, draft.result) if p))[0]

    @staticmethod
    def _leadership(chosen: str | None, draft: WinDraft, full_text: str) -> str:
        if chosen:
            return resolve_leadership(chosen)
        if draft.leadership in LEADERSHIP_LEVELS:
            return draft.leadership
        return guess_leadership(full_text)

    async def _owned(self, session: AsyncSession, who: PersonRef, win_id: int) -> Win:
        person = await resolve_person(session, who)
        win = await store.owned_win(session, person, win_id)
        if win is None:
            raise NotFound(f"There is no win #{win_id} in your log.")
        return win

    async def get(self, who: PersonRef, win_id: int) -> Win:
        """Return one of the person's wins.

        Raises:
            NotFound: No such win for this person.
        """
        async with transaction(self._sessions) as session:
            return await self._owned(session, who, win_id)

    async def update(
        self,
        who: PersonRef,
        win_id: int,
        *,
        what: str | None = None,
        why: str | None = None,
        result: str | None = None,
        category: str | None = None,
        occurred_on: dt.date | None = None,
        leadership: str | None = None,
        shared: bool | None = None,
    ) -> Win:
        """Change fields of a win; None leaves a field as it is, ``""`` clears why or result.

        ``shared`` True or False changes whether the win shows in team roundups; None keeps it.

        Figures are read again from the new text, so they always match what the win says.

        Raises:
            NotFound: No such win for this person.
            EmptyWin: ``what`` is blank.
            FutureDate: ``occurred_on`` is after today.
        """
        async with transaction(self._sessions) as session:
            win = await self._owned(session, who, win_id)
            if what is not None:
                win.what = self._clean_text(what, required=True) or win.what
            if why is not None:
                win.why = self._clean_text(why)
            if result is not None:
                win.result = self._clean_text(result)
            if category is not None:
                win.category = resolve_category(category)
            if leadership is not None:
                win.leadership = resolve_leadership(leadership)
            if shared is not None:
                win.shared = shared
            if occurred_on is not None:
                person = await resolve_person(session, who)
                win.occurred_on = self._check_date(occurred_on, person)
            if any(value is not None for value in (what, why, result)):
                win.numbers = self._numbers_after_edit(win)
            await session.flush()
        return win

    @staticmethod
    def _numbers_after_edit(win: Win) -> dict[str, Any]:
        numbers = extract_numbers(_combined(win))
        # A certificate from an achieved goal keeps its count even if the wording changes.
        if win.source == "goal" and "certifications" in win.numbers:
            numbers.setdefault("certifications", win.numbers["certifications"])
        return dict(numbers)

    async def delete(self, who: PersonRef, win_id: int) -> None:
        """Delete one of the person's wins.

        Raises:
            NotFound: No such win for this person.
        """
        async with transaction(self._sessions) as session:
            win = await self._owned(session, who, win_id)
            await store.delete_win(session, win)

    async def list_wins(
        self,
        who: PersonRef,
        *,
        start: dt.date | None = None,
        end: dt.date | None = None,
        category: str | None = None,
    ) -> list[Win]:
        """Return the person's wins dated ``start``..``end`` (inclusive), newest first."""
        category_id = resolve_category(category) if category else None
        async with transaction(self._sessions) as session:
            person = await resolve_person(session, who)
            return await store.list_wins(
                session, person, start=start, end=end, category=category_id
            )

    async def from_draft(
        self,
        who: PersonRef,
        draft_id: int,
        *,
        result: str,
        occurred_on: dt.date | None = None,
        source: str = "command",
    ) -> Captured:
        """Turn a saved coaching draft into a win once its result is known.

        The draft's proposed fix and my role become "what I did", its problem "why".

        Raises:
            NotFound: No such draft for this person.
            UserError: ``result`` is blank (the point is to log what came of it).
        """
        if not (result or "").strip():
            raise UserError("What came of it? A win from a draft needs its result.")
        async with transaction(self._sessions) as session:
            person = await resolve_person(session, who)
            draft = await saved_draft(session, person, draft_id)
            if draft is None:
                raise NotFound(f"There is no saved draft #{draft_id}.")
            what = f"{draft.proposed_fix.strip()} — {draft.my_role.strip()}"
            why = draft.problem.strip()
        return await self.add(
            who,
            what,
            why=why,
            result=result,
            occurred_on=occurred_on,
            source=source,
            draft_id=draft_id,
        )

    async def complete_followup(self, who: PersonRef, win_id: int, answer: str) -> Win:
        """Record the answer to the follow-up question; "skip" leaves the win as it is.

        The answer becomes (or extends) the result, and figures are read again. Nothing asks
        a second time, whatever the answer.

        Raises:
            NotFound: No such win for this person.
        """
        if answer.strip().lower().rstrip(".!") in SKIP_ANSWERS:
            return await self.get(who, win_id)
        cleaned = self._clean_text(answer)
        async with transaction(self._sessions) as session:
            win = await self._owned(session, who, win_id)
            if cleaned:
                # A bare "3" answers "how many?" about the unit the win names ("new techs").
                cleaned = number_answer(_combined(win), cleaned) or cleaned
                win.result = f"{win.result.rstrip('. ')}. {cleaned}" if win.result else cleaned
                win.numbers = self._numbers_after_edit(win)
            await session.flush()
        return win
