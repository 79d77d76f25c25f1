"""The safety pipeline every coaching request passes through, whatever the surface or coach.

Order matters: sanitize → crisis gate → scope guard → redact → coach → redact the output again.
The crisis gate runs on the text in memory before anything is stored, logged or sent; a crisis
reply is fixed and human-written, so it works when the LLM is down.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.coaching.models import CoachReply, CoachRequest, Draft, Redaction, Refinement
from bot.coaching.port import Coach
from bot.metrics import COACH_REPLIES, REDACTIONS
from bot.safety import crisis, scope
from bot.safety.redaction import RedactionError, Redactor
from bot.safety.sanitize import sanitize

log = logging.getLogger(__name__)

TRUNCATION_NOTE = "Your message was long, so I worked from the first part of it."
REDACTION_FAILED = (
    "I couldn't safely check that message for patient details, so I didn't keep or send it. "
    "Could you try again in a few words, leaving out names and ID numbers?"
)


@dataclass(frozen=True)
class Prepared:
    """Text that passed the gates: redacted, with what was removed and the flags the coach needs."""

    text: str
    redactions: list[Redaction]
    truncated: bool
    non_english: bool
    care: bool


class SafetyPipeline:
    """Runs the gates and the coach, and re-redacts what the coach says."""

    def __init__(self, *, coach: Coach, redactor: Redactor, eap_contact: str | None) -> None:
        """Create the pipeline.

        Args:
            coach: The coach behind the port (offline, or OpenAI with offline fallback).
            redactor: The PHI redactor applied before the coach and on its output.
            eap_contact: The employer's assistance programme line shown in crisis replies.
        """
        self.coach = coach
        self.redactor = redactor
        self.eap_contact = eap_contact

    def gate(self, raw: str) -> CoachReply | Prepared:
        """Sanitize, crisis-check, scope-check and redact one message.

        Returns:
            A final reply (crisis, out of scope, clarify for empty input or a redaction
            failure), or the prepared text to hand to a coach.
        """
        cleaned = sanitize(raw)
        if cleaned.empty:
            return self._count(self._clarify_empty())
        # The whole message, not the truncated one: a crisis sentence past the cut still counts.
        assessment = crisis.assess(raw)
        if assessment.tier is not None:
            return self._count(crisis.crisis_reply(assessment.tier, eap_contact=self.eap_contact))
        if scope.is_clinical_question(cleaned.text):
            return self._count(scope.out_of_scope_reply())
        try:
            result = self.redactor.redact(cleaned.text)
        except RedactionError:
            # Fail closed: nothing of this message goes further.
            log.warning("redaction failed; message dropped")
            return self._count(CoachReply(kind="clarify", acknowledgement=REDACTION_FAILED))
        for item in result.redactions:
            REDACTIONS.labels(type=item.type).inc()
        return Prepared(
            text=result.text,
            redactions=list(result.redactions),
            truncated=cleaned.truncated,
            non_english=cleaned.non_english,
            care=assessment.care,
        )

    async def ask(
        self,
        messages: list[str],
        *,
        prepared: Prepared | None = None,
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
            result = self.redactor.redact(text)
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

    def _clarify_empty(self) -> CoachReply:
        return CoachReply(
            kind="clarify",
            acknowledgement="I'm here whenever you're ready.",
            questions=["What happened on your shift? A sentence or two is plenty."],
        )

    @staticmethod
    def _count(reply: CoachReply) -> CoachReply:
        COACH_REPLIES.labels(kind=reply.kind, coach=reply.coach).inc()
        return reply
