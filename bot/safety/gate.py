"""The safety gate every piece of text a person types passes through, whatever the surface.

Order matters: sanitize → crisis gate (a crisis, or a check-in when it is unsure) → scope guard →
redact. The crisis gate runs on the text in memory before anything is stored, logged or sent; its
answer is fixed and human-written, so it works when the LLM is down. The gate answers with a
typed :data:`Verdict`; what to show for it is the caller's business (the coaching pipeline turns
it into a reply).

Free text that only needs its identifiers removed before storage (wins, goals, thanks) goes
through :meth:`SafetyGate.redact`, which fails closed. Those services get it from the gate, so
running their text through :meth:`SafetyGate.check` as well (a crisis in a win) is a change in
one place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.errors import UserError
from bot.metrics import CRISIS_ROUTED, REDACTIONS
from bot.safety import check_in, crisis, scope
from bot.safety.crisis import CrisisTier
from bot.safety.redaction import Redaction, RedactionError, Redactor, get_redactor
from bot.safety.sanitize import sanitize, strip_unsafe

log = logging.getLogger(__name__)

CHECK_IN_LABEL = "check_in"
"""The crisis counter's label for a check-in (the other labels are the crisis tiers)."""

Redact = Callable[[str], str]
"""Takes text and returns it ready for storage (identifiers replaced).

Raises :class:`RedactionFailed`, and :class:`NeedsCare` when it screens for a crisis.
"""


class RedactionFailed(UserError):
    """The text could not be checked for patient identifiers, so nothing was stored."""

    def __init__(self) -> None:
        super().__init__(
            "I couldn't check that text for patient identifiers, so nothing was saved. "
            "Please try again."
        )


@dataclass(frozen=True, slots=True)
class Empty:
    """Nothing is left of the text once sanitized."""


@dataclass(frozen=True, slots=True)
class Crisis:
    """The text must be routed to crisis resources.

    Attributes:
        tier: What the crisis gate found.
        text: The fixed, human-written message for that tier (EAP line included if configured).
    """

    tier: CrisisTier
    text: str


@dataclass(frozen=True, slots=True)
class CheckIn:
    """The text sounds hopeless but states no crisis sign: ask directly, with resources.

    Attributes:
        text: The fixed, human-written check-in question and resources (EAP line included if
            configured).
    """

    text: str


@dataclass(frozen=True, slots=True)
class OutOfScope:
    """The text asks for clinical judgment: a pharmacist's call, not the coach's.

    Attributes:
        answer: The fixed answer and its workflow offer.
    """

    answer: scope.OutOfScopeText


@dataclass(frozen=True, slots=True)
class Unredactable:
    """Redaction failed: nothing of the text may go further (fail closed)."""


@dataclass(frozen=True, slots=True)
class Clean:
    """Text that passed every gate: redacted, with what was removed and the flags it carries.

    Attributes:
        text: The sanitized text with every identifier replaced by a placeholder.
        redactions: What was removed, in text order (types only).
        truncated: The text was cut to the length limit.
        non_english: The text does not look like English.
        care: The person sounds exhausted or upset (not a crisis).
    """

    text: str
    redactions: list[Redaction]
    truncated: bool
    non_english: bool
    care: bool


@dataclass(frozen=True, slots=True)
class Declined:
    """The person answered a check-in question with a no ("no, just work"): carry on."""


Stop = Empty | Crisis | CheckIn | OutOfScope | Unredactable
"""A verdict that stops the text: nothing of it goes further."""

Verdict = Stop | Clean
"""What :meth:`SafetyGate.check` decides about one text."""


class SafetyGate:
    """Sanitizes, crisis-checks, scope-checks and redacts text; build one per process."""

    def __init__(self, *, redactor: Redactor, eap_contact: str | None) -> None:
        """Create the gate.

        Args:
            redactor: The PHI redactor.
            eap_contact: The employer's assistance programme line shown in crisis messages.
        """
        self.redactor = redactor
        self.eap_contact = eap_contact

    def check(self, raw: str) -> Verdict:
        """Run sanitize → crisis → scope → redact on one message.

        A crisis is counted by tier and a check-in as ``check_in`` (never their content); each
        redaction is counted by type.

        Args:
            raw: The message as the person typed it.

        Returns:
            The first gate's verdict that stops the text, or the clean, redacted text.
        """
        cleaned = sanitize(raw)
        if cleaned.empty:
            return Empty()
        # The whole message, not the truncated one: a crisis sentence past the cut still counts.
        assessment = crisis.assess(raw)
        if assessment.tier is not None:
            CRISIS_ROUTED.labels(tier=assessment.tier.value).inc()
            return Crisis(
                tier=assessment.tier,
                text=crisis.crisis_text(assessment.tier, eap_contact=self.eap_contact),
            )
        if assessment.check_in:
            CRISIS_ROUTED.labels(tier=CHECK_IN_LABEL).inc()
            return CheckIn(text=crisis.check_in_text(eap_contact=self.eap_contact))
        if scope.is_clinical_question(cleaned.text):
            return OutOfScope(answer=scope.out_of_scope_text())
        try:
            result = self.redactor.redact(cleaned.text)
        except RedactionError:
            log.warning("redaction failed; message dropped")
            return Unredactable()
        for item in result.redactions:
            REDACTIONS.labels(type=item.type).inc()
        return Clean(
            text=result.text,
            redactions=list(result.redactions),
            truncated=cleaned.truncated,
            non_english=cleaned.non_english,
            care=assessment.care,
        )

    def check_answer(self, raw: str) -> Verdict | Declined:
        """Judge the message that follows a check-in question ("are you thinking about suicide?").

        A "yes", "kind of" or "maybe", or anything the gate would check in about again, gets the
        crisis reply; a plain "no" is :class:`Declined`; anything else is judged as usual.

        Args:
            raw: The person's next message.

        Returns:
            The crisis verdict, :class:`Declined`, or what :meth:`check` decides.
        """
        verdict = self.check(raw)
        if isinstance(verdict, Crisis):
            return verdict
        answer = check_in.answer(raw)
        if isinstance(verdict, CheckIn) or answer == "yes":
            CRISIS_ROUTED.labels(tier=CrisisTier.passive.value).inc()
            return Crisis(
                tier=CrisisTier.passive,
                text=crisis.crisis_text(CrisisTier.passive, eap_contact=self.eap_contact),
            )
        if answer == "no":
            return Declined()
        return verdict

    def redact(self, text: str) -> str:
        """Return free text with its identifiers replaced, for storage.

        Raises:
            RedactionFailed: The redactor failed; nothing may be stored (fail closed).
        """
        return _redact_with(self.redactor, text)

    def screen(self, text: str) -> str:
        """Return free text a person typed (a win, a goal, a thanks note), ready for storage.

        The crisis gate runs first, as on every message: a person at risk gets the crisis reply
        or the check-in question, and nothing of the text is stored. Then identifiers go.

        Raises:
            NeedsCare: The crisis gate routed the text; its message is the reply to show.
            RedactionFailed: The redactor failed; nothing may be stored (fail closed).
        """
        _screen_crisis(text, eap_contact=self.eap_contact)
        return _redact_with(self.redactor, text)


def _redact_with(redactor: Redactor, text: str) -> str:
    try:
        # What cannot be stored (a lone surrogate, NUL, bidi overrides) goes before anything else.
        return redactor.redact(strip_unsafe(text)).text
    except RedactionError:
        raise RedactionFailed() from None


class NeedsCare(UserError):
    """Text the crisis gate routed: show its message (crisis resources or a check-in question).

    Nothing of the text was stored. The message is fixed and human-written, never the text.
    """

    def __init__(self, reply: str, *, check_in: bool) -> None:
        super().__init__(reply)
        self.check_in = check_in


def _screen_crisis(text: str, *, eap_contact: str | None) -> None:
    assessment = crisis.assess(text)
    if assessment.tier is not None:
        CRISIS_ROUTED.labels(tier=assessment.tier.value).inc()
        raise NeedsCare(
            crisis.crisis_text(assessment.tier, eap_contact=eap_contact), check_in=False
        )
    if assessment.check_in:
        CRISIS_ROUTED.labels(tier=CHECK_IN_LABEL).inc()
        raise NeedsCare(crisis.check_in_text(eap_contact=eap_contact), check_in=True)


def default_screen(text: str) -> str:
    """Crisis-check and redact ``text`` with the process-wide redactor (no EAP line configured).

    Raises:
        NeedsCare: The crisis gate routed the text.
        RedactionFailed: The redactor failed or could not be built; nothing may be stored.
    """
    _screen_crisis(text, eap_contact=None)
    return default_redact(text)


def default_redact(text: str) -> str:
    """Redact ``text`` with the process-wide redactor (regex layer plus Presidio).

    Raises:
        RedactionFailed: The redactor failed or could not be built; nothing may be stored.
    """
    try:
        redactor = get_redactor()
    except RedactionError:
        raise RedactionFailed() from None
    return _redact_with(redactor, text)


def resolve_redact(redact: Redact | None) -> Redact:
    """Return ``redact``, or :func:`default_screen` when None (looked up now, not at import)."""
    return redact if redact is not None else default_screen
