"""A person's coaching conversation: vent → draft → refinements → saved draft / manager message.

State is kept per person in the database (redacted text only) so it survives a restart. A crisis
message clears the conversation and stores nothing of what was said. A check-in (the gate hears
despair but no crisis sign, and asks directly) pauses the conversation instead: the draft stays as
it was, only a content-free marker with the time is kept, and the answer decides what follows (a
"no" resumes the draft, a "yes" or "maybe" gets the crisis reply). Neither the message that led to
the check-in nor the answer is stored.

Every version of a draft shown to the person gets a new *ref*; the buttons (or card, or modal)
shown with it carry that ref back. The service alone decides which draft is current: each
operation on a draft takes the ref the person acted on (None: whatever draft is current, as in
the terminal) and raises :class:`StaleDraftError` for an older one, and each returns the ref of
what it shows next.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.coaching.manager_message import manager_message
from bot.coaching.models import CoachReply, Draft, Refinement
from bot.coaching.pipeline import SafetyPipeline
from bot.errors import UserError
from bot.safety.gate import Clean, Declined
from bot.safety.redaction import Redaction
from bot.store import conversations as stored
from bot.store.database import transaction
from bot.store.models import Person, utcnow
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
# A check-in question left unanswered this long no longer frames the next message.
CHECK_IN_EXPIRES = dt.timedelta(hours=1)
RESUMED = "Thanks for telling me. Back to the draft:"
RESUMED_NO_DRAFT = (
    "Thanks for telling me. Whenever you're ready, tell me what happened on your shift and I'll "
    "help you turn it into a proposal for your manager."
)


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
    check_in_at: dt.datetime | None = None
    """When a check-in question was asked and not yet answered (aware UTC); no content."""


STALE_DRAFT = (
    "That draft isn't the current one any more, so I left it alone. Use the buttons on your "
    "latest draft, or DM me what happened to start a new one."
)


class NoDraftError(UserError):
    """The person asked to change or use a draft, but there is none in progress."""

    def __init__(self) -> None:
        super().__init__(
            "There's no draft in progress. Tell me what happened on your shift and I'll draft one."
        )


class StaleDraftError(UserError):
    """The person acted on a draft version that is no longer their current draft.

    Attributes:
        draft_in_progress: Whether another draft is current (False: none is, e.g. discarded).
    """

    def __init__(self, *, draft_in_progress: bool) -> None:
        super().__init__(STALE_DRAFT)
        self.draft_in_progress = draft_in_progress


class SavedDraftNotFoundError(UserError):
    """The person has no saved draft with that id (never, not theirs, or no longer)."""

    def __init__(self) -> None:
        super().__init__("I couldn't find that saved draft. Your Home tab lists the ones you have.")


@dataclass(frozen=True)
class CoachTurn:
    """What one message or draft change produced.

    Attributes:
        reply: The coaching reply to show.
        ref: The ref the buttons shown with ``reply`` carry (None: no draft is current now, as
            after a crisis message).
    """

    reply: CoachReply
    ref: str | None


@dataclass(frozen=True)
class CurrentDraft:
    """The current draft, for a surface that shows it (an edit form, an unchanged card).

    Attributes:
        draft: The draft's three parts.
        ref: Its ref, for the buttons shown with it.
    """

    draft: Draft
    ref: str | None


@dataclass(frozen=True)
class ManagerText:
    """The current draft as a message for a manager.

    Attributes:
        text: The ready-to-send message.
        draft: The draft it was written from (still the current draft).
        ref: The draft's ref, for buttons shown with the message.
    """

    text: str
    draft: Draft
    ref: str | None


@dataclass(frozen=True)
class Saved:
    """The current draft, saved.

    Attributes:
        draft_id: The saved draft's id (the same one when this draft was saved before).
        draft: The draft that was saved (still the current draft).
        ref: The draft's ref: saving does not change the draft, so the same buttons still work.
    """

    draft_id: int
    draft: Draft
    ref: str | None


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


def _current(state: ConversationState, ref: str | None) -> Draft:
    """Return the draft ``ref`` names, if it is the current one (None: whichever is current).

    Raises:
        StaleDraftError: ``ref`` names a draft version that is not the current draft.
        NoDraftError: No ref was given and there is no draft in progress.
    """
    if ref is not None and (state.draft is None or state.ref != ref):
        raise StaleDraftError(draft_in_progress=state.draft is not None)
    if state.draft is None:
        raise NoDraftError
    return state.draft


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

    async def message(self, who: PersonRef, text: str) -> CoachTurn:
        """Handle one free-text message: a vent, more of a vent, or an answer to questions.

        Right after a check-in question the message is first read as its answer: a "no" resumes
        where the conversation stopped (the same draft and ref), a "yes" or "maybe" gets the
        crisis reply, and anything else is handled as usual.
        """
        state = await self.state(who)
        gated: CoachReply | Clean | Declined
        if self._check_in_pending(state):
            gated = self.pipeline.gate_answer(text)
            if isinstance(gated, Declined):
                return await self._resume(who, state)
            await self._set_check_in(who, None)
        else:
            gated = self.pipeline.gate(text)
        if isinstance(gated, CoachReply):
            return await self._stopped(who, gated, state) or CoachTurn(reply=gated, ref=state.ref)
        state.check_in_at = None
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
        return CoachTurn(reply=reply, ref=await self._remember(who, state, reply))

    def _check_in_pending(self, state: ConversationState) -> bool:
        asked = state.check_in_at
        return asked is not None and self.clock() - asked <= CHECK_IN_EXPIRES

    async def _stopped(
        self, who: PersonRef, reply: CoachReply, state: ConversationState
    ) -> CoachTurn | None:
        """Apply a crisis (forget the conversation) or a check-in (pause the draft), else None."""
        if reply.kind == "crisis":
            await self._forget(who)
            return CoachTurn(reply=reply, ref=None)
        if reply.kind == "check_in":
            await self._set_check_in(who, self.clock())
            return CoachTurn(reply=reply, ref=state.ref)
        return None

    async def _set_check_in(self, who: PersonRef, asked: dt.datetime | None) -> None:
        """Record (or clear) the pending check-in marker, leaving the rest of the state as is."""
        async with transaction(self.sessions) as session:
            person = await resolve_person(session, who)
            state = await self._load(session, person)
            if state.check_in_at == asked:
                return
            state.check_in_at = asked
            await self._store(session, person, state)

    async def _resume(self, who: PersonRef, state: ConversationState) -> CoachTurn:
        """Carry on after a "no" to a check-in: the draft and its ref exactly as before."""
        await self._set_check_in(who, None)
        if state.draft is not None:
            reply = CoachReply(
                kind="draft",
                acknowledgement=RESUMED,
                draft=state.draft,
                questions=state.questions,
                themes=state.themes,
            )
        else:
            reply = CoachReply(kind="clarify", acknowledgement=RESUMED_NO_DRAFT)
        return CoachTurn(reply=reply, ref=state.ref)

    def _is_answer(self, state: ConversationState, text: str) -> bool:
        """Return whether a message continues the draft in progress (vs. starts a new vent).

        It does when a draft is in progress, the message is short, and the draft was shown
        within the last few hours: a message the next day is about a new shift.
        """
        if state.draft is None or len(text) > NEW_VENT_CHARS:
            return False
        return state.at is None or self.clock() - state.at <= NEW_VENT_AFTER

    async def current_draft(self, who: PersonRef, *, ref: str | None) -> CurrentDraft:
        """Return the draft ``ref`` names (None: the current one), e.g. to fill an edit form.

        Raises:
            StaleDraftError: ``ref`` is not the current draft.
            NoDraftError: No ref was given and there is no draft in progress.
        """
        state = await self.state(who)
        return CurrentDraft(draft=_current(state, ref), ref=state.ref)

    async def refine(self, who: PersonRef, refinement: Refinement, *, ref: str | None) -> CoachTurn:
        """Make the draft ``ref`` shorter, more formal, or ask for its missing numbers.

        Args:
            who: The person.
            refinement: What to do to the draft.
            ref: The draft version the person acted on (None: the current draft).

        Raises:
            StaleDraftError: ``ref`` is not the current draft.
            NoDraftError: No ref was given and there is no draft in progress.
        """
        state = await self.state(who)
        draft = _current(state, ref)
        reply = await self.pipeline.ask(
            state.messages, previous=draft, refinement=refinement, themes=state.themes
        )
        return CoachTurn(reply=reply, ref=await self._remember(who, state, reply))

    async def edit(
        self, who: PersonRef, changes: Mapping[str, str], *, ref: str | None
    ) -> CoachTurn:
        """Replace fields of the draft ``ref`` with the person's own (redacted) words.

        Args:
            who: The person.
            changes: New wording by field name (problem, fix or role, or the draft's own names).
            ref: The draft version the person edited (None: the current draft).

        Raises:
            UserError: An unknown field name, or a field left empty.
            StaleDraftError: ``ref`` is not the current draft.
            NoDraftError: No ref was given and there is no draft in progress.
        """
        wanted: dict[DraftField, str] = {}
        for field, text in changes.items():
            key = FIELD_NAMES.get(field.strip().lower())
            if key is None:
                raise UserError("Choose a field to edit: problem, fix or role.")
            wanted[key] = text
        if not wanted:
            raise UserError("Choose a field to edit: problem, fix or role.")
        state = await self.state(who)
        draft = _current(state, ref)
        update: dict[str, str] = {}
        redactions: list[Redaction] = []
        for key, text in wanted.items():
            gated = self.pipeline.gate(text)
            if isinstance(gated, CoachReply):
                # A crisis or a check-in: the edit waits and the draft stays as it was.
                stopped = await self._stopped(who, gated, state)
                if stopped is not None:
                    return stopped
                raise UserError("That field can't be empty: type the new wording after the name.")
            update[key] = gated.text
            redactions.extend(gated.redactions)
        reply = CoachReply(
            kind="draft",
            acknowledgement="Updated in your words.",
            draft=draft.model_copy(update=update),
            questions=state.questions,
            themes=state.themes,
            redactions=redactions,
        )
        return CoachTurn(reply=reply, ref=await self._remember(who, state, reply))

    async def start_over(self, who: PersonRef, *, ref: str | None) -> None:
        """Forget the conversation in progress (saved drafts stay).

        Args:
            who: The person.
            ref: The draft version the person discarded (None: whatever is in progress).

        Raises:
            StaleDraftError: ``ref`` is not the current draft, so nothing was forgotten.
        """
        async with transaction(self.sessions) as session:
            person = await resolve_person(session, who)
            if ref is not None:
                _current(await self._load(session, person), ref)
            await stored.delete_conversation(session, person.id)

    async def _forget(self, who: PersonRef) -> None:
        await self.start_over(who, ref=None)

    async def save(self, who: PersonRef, *, ref: str | None) -> Saved:
        """Save the draft ``ref`` to the person's drafts.

        Saving the same draft again (after a refinement, an edit, or reopening it) updates the
        saved copy instead of adding another one; a draft from a new vent gets its own.

        Args:
            who: The person.
            ref: The draft version the person saved (None: the current draft).

        Raises:
            StaleDraftError: ``ref`` is not the current draft.
            NoDraftError: No ref was given and there is no draft in progress.
        """
        async with transaction(self.sessions) as session:
            person = await resolve_person(session, who)
            state = await self._load(session, person)
            draft = _current(state, ref)
            if state.saved_draft_id is not None:
                record = await stored.saved_draft(session, person, state.saved_draft_id)
                if record is not None:
                    record.problem = draft.problem
                    record.proposed_fix = draft.proposed_fix
                    record.my_role = draft.my_role
                    record.themes = list(state.themes)
                    return Saved(draft_id=record.id, draft=draft, ref=state.ref)
            record = await stored.add_saved_draft(
                session,
                person,
                problem=draft.problem,
                proposed_fix=draft.proposed_fix,
                my_role=draft.my_role,
                themes=state.themes,
            )
            state.saved_draft_id = record.id
            await self._store(session, person, state)
            return Saved(draft_id=record.id, draft=draft, ref=state.ref)

    async def reopen(self, who: PersonRef, draft_id: int) -> Reopened:
        """Make one of the person's saved drafts their current draft again.

        The draft buttons then work on it, and saving it again updates that saved draft. A draft
        in progress that is not among the saved ones is saved first, so reopening never loses
        work.

        Raises:
            SavedDraftNotFoundError: No saved draft ``draft_id`` belongs to this person.
        """
        async with transaction(self.sessions) as session:
            person = await resolve_person(session, who)
            record = await stored.saved_draft(session, person, draft_id)
            if record is None:
                raise SavedDraftNotFoundError
            current = await self._load(session, person)
            set_aside = None
            if current.draft is not None and not await stored.has_saved_draft(
                session, person, **current.draft.model_dump()
            ):
                kept = await stored.add_saved_draft(
                    session, person, **current.draft.model_dump(), themes=current.themes
                )
                set_aside = kept.id
            draft = Draft(
                problem=record.problem, proposed_fix=record.proposed_fix, my_role=record.my_role
            )
            themes = [str(theme) for theme in record.themes]
            ref = secrets.token_hex(6)
            state = ConversationState(
                messages=[record.problem],
                draft=draft,
                themes=themes,
                last_kind="draft",
                saved_draft_id=record.id,
                ref=ref,
                at=self.clock(),
            )
            await self._store(session, person, state)
        note = f"Here's your saved draft #{record.id} again; it's your current draft now."
        if set_aside is not None:
            note += f" The draft you were working on is saved as draft #{set_aside}."
        reply = CoachReply(kind="draft", acknowledgement=note, draft=draft, themes=themes)
        return Reopened(reply=reply, ref=ref, draft_id=record.id, set_aside_id=set_aside)

    async def manager_text(self, who: PersonRef, *, ref: str | None) -> ManagerText:
        """Return the draft ``ref`` as a ready-to-send message to a manager.

        Args:
            who: The person.
            ref: The draft version the person asked about (None: the current draft).

        Raises:
            StaleDraftError: ``ref`` is not the current draft.
            NoDraftError: No ref was given and there is no draft in progress.
        """
        state = await self.state(who)
        draft = _current(state, ref)
        return ManagerText(text=manager_message(draft), draft=draft, ref=state.ref)

    async def state(self, who: PersonRef) -> ConversationState:
        """Return the person's conversation state (empty when there is none)."""
        async with transaction(self.sessions) as session:
            return await self._load(session, await resolve_person(session, who))

    @staticmethod
    async def _load(session: AsyncSession, person: Person) -> ConversationState:
        data = await stored.conversation_state(session, person.id)
        return ConversationState() if data is None else ConversationState.model_validate(data)

    async def _remember(self, who: PersonRef, state: ConversationState, reply: CoachReply) -> str:
        """Store the conversation after ``reply``; return the new ref of what it shows."""
        state.last_kind = reply.kind
        state.ref = secrets.token_hex(6)
        state.at = self.clock()
        if reply.kind == "draft" and reply.draft is not None:
            state.draft = reply.draft
            state.questions = reply.questions
            state.themes = reply.themes or state.themes
        elif reply.kind == "clarify" and state.draft is None:
            state.questions = reply.questions
        async with transaction(self.sessions) as session:
            person = await resolve_person(session, who)
            await self._store(session, person, state)
        return state.ref

    @staticmethod
    async def _store(session: AsyncSession, person: Person, state: ConversationState) -> None:
        data: dict[str, Any] = state.model_dump(mode="json")
        await stored.write_conversation_state(
            session, workspace_id=person.workspace_id, person_id=person.id, state=data
        )
