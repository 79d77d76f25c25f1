"""The coaching pipeline: the safety gate, then the coach, then redaction of what it says.

Order matters: the safety gate (sanitize → crisis gate → scope guard → redact, see
``bot.safety.gate``) → coach → redact the output again. A gate's verdict that stops the text
becomes a fixed reply here; a crisis reply (and a check-in, its caring question for when the gate
is unsure) is human-written, so it works when the LLM is down.
"""

from __future__ import annotations

import logging

from bot.coaching.models import CoachReply, CoachRequest, Draft, Refinement
from bot.coaching.port import Coach
from bot.metrics import COACH_REPLIES
from bot.safety.crisis import CrisisTier, crisis_text
from bot.safety.gate import (
    CheckIn,
    Clean,
    Crisis,
    Declined,
    Empty,
    OutOfScope,
    SafetyGate,
    Stop,
    Unredactable,
)
from bot.safety.redaction import Redaction, RedactionError
from bot.safety.scope import out_of_scope_text

log = logging.getLogger(__name__)

TRUNCATION_NOTE = "Your message was long, so I worked from the first part of it."
REDACTION_FAILED = (
    "I couldn't safely check that message for patient details, so I didn't keep or send it. "
    "Could you try again in a few words, leaving out names and ID numbers?"
)


def crisis_reply(tier: CrisisTier, *, eap_contact: str | None) -> CoachReply:
    """Build the crisis reply for ``tier``: the fixed text, no draft, no questions.

    Args:
        tier: The tier the crisis gate found.
        eap_contact: The employer's assistance programme contact (``EAP_CONTACT``), if any.
    """
    return _crisis(crisis_text(tier, eap_contact=eap_contact))


def out_of_scope_reply() -> CoachReply:
    """Build the reply to a clinical question: a pharmacist's call, plus a workflow offer."""
    answer = out_of_scope_text()
    return CoachReply(
        kind="out_of_scope",
        acknowledgement=answer.acknowledgement,
        draft=None,
        questions=[answer.question],
        themes=[],
    )


def stop_reply(verdict: Stop) -> CoachReply:
    """Return the fixed reply for a verdict that stops the text."""
    match verdict:
        case Empty():
            return CoachReply(
                kind="clarify",
                acknowledgement="I'm here whenever you're ready.",
                questions=["What happened on your shift? A sentence or two is plenty."],
            )
        case Crisis(text=text):
            return _crisis(text)
        case CheckIn(text=text):
            return CoachReply(kind="check_in", acknowledgement=text)
        case OutOfScope():
            return out_of_scope_reply()
        case Unredactable():
            return CoachReply(kind="clarify", acknowledgement=REDACTION_FAILED)


def _crisis(text: str) -> CoachReply:
    return CoachReply(kind="crisis", acknowledgement=text, draft=None, questions=[], themes=[])


class SafetyPipeline:
    """Runs the safety gate and the coach, and re-redacts what the coach says."""

    def __init__(self, *, coach: Coach, gate: SafetyGate) -> None:
        """Create the pipeline.

        Args:
            coach: The coach behind the port (offline, or OpenAI with offline fallback).
            gate: The safety gate; its redactor also cleans the coach's output.
        """
        self.coach = coach
        self.safety = gate

    def gate(self, raw: str) -> CoachReply | Clean:
        """Sanitize, crisis-check, scope-check and redact one message.

        Returns:
            A final reply (crisis, out of scope, clarify for empty input or a redaction
            failure), or the clean text to hand to a coach.
        """
        verdict = self.safety.check(raw)
        if isinstance(verdict, Clean):
            return verdict
        return self._count(stop_reply(verdict))

    def gate_answer(self, raw: str) -> CoachReply | Clean | Declined:
        """Like :meth:`gate`, for the message right after a check-in question.

        Returns:
            The crisis reply for a "yes", "maybe" or anything the gate rates as serious,
            :class:`Declined` for a "no", or what :meth:`gate` would return.
        """
        verdict = self.safety.check_answer(raw)
        if isinstance(verdict, Clean | Declined):
            return verdict
        return self._count(stop_reply(verdict))

    async def ask(
        self,
        messages: list[str],
        *,
        prepared: Clean | None = None,
        previous: Draft | None = None,
        refinement: Refinement | None = None,
        answer: str | None = None,
        themes: list[str] | None = None,
        redactions: list[Redaction] | None = None,
    ) -> CoachReply:
        """Ask the coach about already-redacted ``messages`` and clean its reply.

        Args:
            messages: The vent so far, redacted, oldest first.
            prepared: Flags of the newest message (truncation, language, care).
            previous: The draft being refined.
            refinement: What to change about ``previous``.
            answer: The person's (redacted) answer to follow-up questions.
            themes: Themes found so far in this conversation.
            redactions: Redactions made to the input, reported back in the reply.
        """
        request = CoachRequest(
            messages=messages,
            previous=previous,
            refinement=refinement,
            answer=answer,
            themes=themes or [],
            non_english=prepared.non_english if prepared else False,
            truncated=prepared.truncated if prepared else False,
            care=prepared.care if prepared else False,
        )
        reply = await self.coach.reply(request)
        try:
            reply = self.redact_reply(reply)
        except RedactionError:
            log.warning("redaction of a coach reply failed; reply withheld")
            return self._count(CoachReply(kind="clarify", acknowledgement=REDACTION_FAILED))
        merged = list(redactions or []) + reply.redactions
        ack = reply.acknowledgement
        if prepared is not None and prepared.truncated and TRUNCATION_NOTE not in ack:
            ack = f"{ack} {TRUNCATION_NOTE}".strip()
        return self._count(reply.model_copy(update={"redactions": merged, "acknowledgement": ack}))

    async def reply_once(self, raw: str) -> CoachReply:
        """One stateless coaching reply for ``raw`` (``stepup coach``, evaluation)."""
        gated = self.gate(raw)
        if isinstance(gated, CoachReply):
            return gated
        return await self.ask([gated.text], prepared=gated, redactions=gated.redactions)

    def redact_reply(self, reply: CoachReply) -> CoachReply:
        """Redact every text field of a coach's reply (the LLM may echo or invent identifiers).

        Raises:
            RedactionError: The output could not be checked; callers must not show it.
        """
        found: list[Redaction] = []

        def clean(text: str) -> str:
            result = self.safety.redactor.redact(text)
            found.extend(result.redactions)
            return result.text

        draft = None
        if reply.draft is not None:
            draft = Draft(
                problem=clean(reply.draft.problem),
                proposed_fix=clean(reply.draft.proposed_fix),
                my_role=clean(reply.draft.my_role),
            )
        return reply.model_copy(
            update={
                "acknowledgement": clean(reply.acknowledgement),
                "draft": draft,
                "questions": [clean(q) for q in reply.questions],
                "redactions": found,
            }
        )

    @staticmethod
    def _count(reply: CoachReply) -> CoachReply:
        COACH_REPLIES.labels(kind=reply.kind, coach=reply.coach).inc()
        return reply
