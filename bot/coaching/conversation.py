"""A person's coaching conversation: vent → draft → refinements → saved draft / manager message.

State is kept per person in the database (redacted text only) so it survives a restart. A crisis
message clears the conversation and stores nothing of what was said.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.coaching.manager_message import manager_message
from bot.coaching.models import CoachReply, Draft, Refinement
from bot.coaching.pipeline import SafetyPipeline
from bot.errors import UserError
from bot.store.models import CoachingSession, DraftRecord, Person, utcnow
from bot.store.people import PersonRef, resolve_person

DraftField = Literal["problem", "proposed_fix", "my_role"]
FIELD_NAMES: dict[str, DraftField] = {
    "problem": "problem",
    "fix": "proposed_fix",
    "proposed_fix": "proposed_fix",
    "role": "my_role",
    "my_role": "my_role",
}
MAX_KEPT_MESSAGES = 6
# A message this long after a draft reads as a new vent rather than an answer to a question.
NEW_VENT_CHARS = 280
# A message this long after the draft was last shown is a new shift's vent, however short.
NEW_VENT_AFTER = dt.timedelta(hours=6)


class ConversationState(BaseModel):
    """What is remembered between messages (all text redacted)."""

    messages: list[str] = Field(default_factory=list)
    draft: Draft | None = None
    themes: list[str] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)
    last_kind: str | None = None
    saved_draft_id: int | None = None
    ref: str | None = None
    """Names the draft version last shown; buttons carry it so a stale one can be told apart."""
    at: dt.datetime | None = None
    """When the conversation last changed (aware UTC)."""


class NoDraftError(UserError):
    """The person asked to change or use a draft, but there is none in progress."""

    def __init__(self) -> None:
        super().__init__(
            "There's no draft in progress. Tell me what happened on your shift and I'll draft one."
        )


class SavedDraftNotFoundError(UserError):
    """The person has no saved draft with that id (never, not theirs, or no longer)."""

    def __init__(self) -> None:
        super().__init__("I couldn't find that saved draft. Your Home tab lists the ones you have.")


@dataclass(frozen=True)
class Reopened:
    """A saved draft made the current draft again.

    Attributes:
        reply: The draft as a coaching reply, to show with the draft buttons.
        ref: The draft ref those buttons carry.
        draft_id: The saved draft's id.
        set_aside_id: The id an unsaved draft in progress was saved under first, if there was one.
    """

    reply: CoachReply
    ref: str
    draft_id: int
    set_aside_id: int | None = None


class ConversationService:
    """Runs coaching conversations for any surface."""

    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        pipeline: SafetyPipeline,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        """Create the service over a session factory and the safety pipeline."""
        self.sessions = sessions
        self.pipeline = pipeline
        self.clock = clock

    async def message(self, who: PersonRef, text: str) -> CoachReply:
        """Handle one free-text message: a vent, more of a vent, or an answer to questions."""
        gated = self.pipeline.gate(text)
        if isinstance(gated, CoachReply):
            if gated.kind == "crisis":
                await self.start_over(who)
            return gated
        state = await self.state(who)
        if self._is_answer(state, gated.text):
            reply = await self.pipeline.ask(
                state.messages,
                prepared=gated,
                previous=state.draft,
                refinement="answer",
                answer=gated.text,
                themes=state.themes,
                redactions=gated.redactions,
            )
            state.messages = [*state.messages, gated.text]
        else:
            stale = state.at is not None and self.clock() - state.at > NEW_VENT_AFTER
            if stale or state.draft is not None or state.last_kind not in ("clarify", None):
                state = ConversationState()
            state.messages = [*state.messages, gated.text][-MAX_KEPT_MESSAGES:]
            reply = await self.pipeline.ask(
                state.messages, prepared=gated, themes=state.themes, redactions=gated.redactions
            )
        await self._remember(who, state, reply)
        return reply

    def _is_answer(self, state: ConversationState, text: str) -> bool:
        """Return whether a message continues the draft in progress (vs. starts a new vent).

        It does when a draft is in progress, the message is short, and the draft was shown
        within the last few hours: a message the next day is about a new shift.
        """
        if state.draft is None or len(text) > NEW_VENT_CHARS:
            return False
        return state.at is None or self.clock() - state.at <= NEW_VENT_AFTER

    async def refine(self, who: PersonRef, refinement: Refinement) -> CoachReply:
        """Make the current draft shorter, more formal, or ask for its missing numbers."""
        state = await self.state(who)
        if state.draft is None:
            raise NoDraftError
        reply = await self.pipeline.ask(
            state.messages, previous=state.draft, refinement=refinement, themes=state.themes
        )
        await self._remember(who, state, reply)
        return reply

    async def edit(self, who: PersonRef, field: str, text: str) -> CoachReply:
        """Replace one field of the current draft with the person's own (redacted) words."""
        key = FIELD_NAMES.get(field.strip().lower())
        if key is None:
            raise UserError("Choose a field to edit: problem, fix or role.")
        state = await self.state(who)
        if state.draft is None:
            raise NoDraftError
        gated = self.pipeline.gate(text)
        if isinstance(gated, CoachReply):
            if gated.kind == "crisis":
                await self.start_over(who)
                return gated
            raise UserError("That field can't be empty: type the new wording after the name.")
        draft = state.draft.model_copy(update={key: gated.text})
        reply = CoachReply(
            kind="draft",
            acknowledgement="Updated in your words.",
            draft=draft,
            questions=state.questions,
            themes=state.themes,
            redactions=gated.redactions,
        )
        await self._remember(who, state, reply)
        return reply

    async def start_over(self, who: PersonRef) -> None:
        """Forget the conversation in progress (saved drafts stay)."""
        async with self.sessions() as session, session.begin():
            person = await resolve_person(session, who)
            row = await self._row(session, person.id)
            if row is not None:
                await session.delete(row)

    async def save(self, who: PersonRef) -> int:
        """Save the current draft to the person's drafts and return its id.

        Saving the same draft again (after a refinement, an edit, or reopening it) updates the
        saved copy instead of adding another one; a draft from a new vent gets its own.
        """
        state = await self.state(who)
        if state.draft is None:
            raise NoDraftError
        async with self.sessions() as session, session.begin():
            person = await resolve_person(session, who)
            if state.saved_draft_id is not None:
                saved = await self._saved(session, person, state.saved_draft_id)
                if saved is not None:
                    saved.problem = state.draft.problem
                    saved.proposed_fix = state.draft.proposed_fix
                    saved.my_role = state.draft.my_role
                    saved.themes = list(state.themes)
                    return saved.id
            record = DraftRecord(
                workspace_id=person.workspace_id,
                person_id=person.id,
                problem=state.draft.problem,
                proposed_fix=state.draft.proposed_fix,
                my_role=state.draft.my_role,
                themes=state.themes,
            )
            session.add(record)
            await session.flush()
            state.saved_draft_id = record.id
            await self._store(session, person.workspace_id, person.id, state)
            return record.id

    async def reopen(self, who: PersonRef, draft_id: int) -> Reopened:
        """Make one of the person's saved drafts their current draft again.

        The draft buttons then work on it, and saving it again updates that saved draft. A draft
        in progress that is not among the saved ones is saved first, so reopening never loses
        work.

        Raises:
            SavedDraftNotFoundError: No saved draft ``draft_id`` belongs to this person.
        """
        async with self.sessions() as session, session.begin():
            person = await resolve_person(session, who)
            record = await self._saved(session, person, draft_id)
            if record is None:
                raise SavedDraftNotFoundError
            row = await self._row(session, person.id)
            current = ConversationState.model_validate(row.state) if row else ConversationState()
            set_aside = None
            if current.draft is not None and not await self._is_saved(
                session, person, current.draft
            ):
                kept = DraftRecord(
                    workspace_id=person.workspace_id,
                    person_id=person.id,
                    **current.draft.model_dump(),
                    themes=current.themes,
                )
                session.add(kept)
                await session.flush()
                set_aside = kept.id
            draft = Draft(
                problem=record.problem, proposed_fix=record.proposed_fix, my_role=record.my_role
            )
            themes = [str(theme) for theme in record.themes]
            state = ConversationState(
                messages=[record.problem],
                draft=draft,
                themes=themes,
                last_kind="draft",
                saved_draft_id=record.id,
                ref=secrets.token_hex(6),
                at=self.clock(),
            )
            await self._store(session, person.workspace_id, person.id, state)
        note = f"Here's your saved draft #{record.id} again; it's your current draft now."
        if set_aside is not None:
            note += f" The draft you were working on is saved as draft #{set_aside}."
        reply = CoachReply(kind="draft", acknowledgement=note, draft=draft, themes=themes)
        return Reopened(reply=reply, ref=str(state.ref), draft_id=record.id, set_aside_id=set_aside)

    @staticmethod
    async def _saved(session: AsyncSession, person: Person, draft_id: int) -> DraftRecord | None:
        """Return the person's own saved draft ``draft_id`` (None: not theirs, or gone)."""
        found: DraftRecord | None = await session.scalar(
            select(DraftRecord).where(
                DraftRecord.id == draft_id,
                DraftRecord.person_id == person.id,
                DraftRecord.workspace_id == person.workspace_id,
            )
        )
        return found

    @staticmethod
    async def _is_saved(session: AsyncSession, person: Person, draft: Draft) -> bool:
        found = await session.scalar(
            select(
                exists().where(
                    DraftRecord.person_id == person.id,
                    DraftRecord.problem == draft.problem,
                    DraftRecord.proposed_fix == draft.proposed_fix,
                    DraftRecord.my_role == draft.my_role,
                )
            )
        )
        return bool(found)

    async def manager_text(self, who: PersonRef) -> str:
        """Return the current draft as a ready-to-send message to a manager."""
        state = await self.state(who)
        if state.draft is None:
            raise NoDraftError
        return manager_message(state.draft)

    async def state(self, who: PersonRef) -> ConversationState:
        """Return the person's conversation state (empty when there is none)."""
        async with self.sessions() as session, session.begin():
            person = await resolve_person(session, who)
            row = await self._row(session, person.id)
            if row is None:
                return ConversationState()
            return ConversationState.model_validate(row.state)

    async def _remember(self, who: PersonRef, state: ConversationState, reply: CoachReply) -> None:
        state.last_kind = reply.kind
        state.ref = secrets.token_hex(6)
        state.at = self.clock()
        if reply.kind == "draft" and reply.draft is not None:
            state.draft = reply.draft
            state.questions = reply.questions
            state.themes = reply.themes or state.themes
        elif reply.kind == "clarify" and state.draft is None:
            state.questions = reply.questions
        async with self.sessions() as session, session.begin():
            person = await resolve_person(session, who)
            await self._store(session, person.workspace_id, person.id, state)

    async def _store(
        self, session: AsyncSession, workspace_id: int, person_id: int, state: ConversationState
    ) -> None:
        data: dict[str, Any] = state.model_dump(mode="json")
        row = await self._row(session, person_id)
        if row is None:
            try:
                # A savepoint: two first messages at once may both try to create the row; the
                # one that loses re-reads the winner's row and writes its state there.
                async with session.begin_nested():
                    session.add(
                        CoachingSession(workspace_id=workspace_id, person_id=person_id, state=data)
                    )
                return
            except IntegrityError:
                row = await self._row(session, person_id)
                if row is None:
                    raise
        row.state = data

    @staticmethod
    async def _row(session: AsyncSession, person_id: int) -> CoachingSession | None:
        return await session.scalar(
            select(CoachingSession).where(CoachingSession.person_id == person_id)
        )
