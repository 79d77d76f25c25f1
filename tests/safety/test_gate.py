"""The safety gate: what it decides about one text, what it counts, and how redaction fails."""

from __future__ import annotations

import pytest

from bot.metrics import REGISTRY
from bot.safety.crisis import CrisisTier, crisis_text
from bot.safety.gate import (
    Clean,
    Crisis,
    Empty,
    NeedsCare,
    OutOfScope,
    RedactionFailed,
    SafetyGate,
    Unredactable,
    default_redact,
    resolve_redact,
)
from bot.safety.redaction import RedactionError, RedactionResult, Redactor, get_redactor
from bot.safety.scope import out_of_scope_text

EAP = "Acme EAP 1-800-555-0100"


class BrokenRedactor(Redactor):
    def __init__(self) -> None:
        super().__init__(use_presidio=False)

    def redact(self, text: str) -> RedactionResult:
        raise RedactionError("boom")


@pytest.fixture
def gate() -> SafetyGate:
    return SafetyGate(redactor=get_redactor(), eap_contact=EAP)


def routed_count(tier: CrisisTier) -> float:
    value = REGISTRY.get_sample_value("stepup_crisis_routed_total", {"tier": tier.value})
    return value or 0.0


def test_clean_text_is_redacted_with_what_was_removed(gate: SafetyGate) -> None:
    verdict = gate.check("Pt John Smith MRN 00482913 got the wrong strength of Eliquis 5 mg")
    assert isinstance(verdict, Clean)
    assert "John Smith" not in verdict.text and "00482913" not in verdict.text
    assert "Eliquis 5 mg" in verdict.text
    assert {r.type for r in verdict.redactions} == {"NAME", "MRN"}
    assert not (verdict.truncated or verdict.non_english or verdict.care)


def test_blank_text_is_empty(gate: SafetyGate) -> None:
    assert isinstance(gate.check(" \u200b\n\t "), Empty)


def test_a_crisis_carries_the_fixed_text_with_the_eap_line(gate: SafetyGate) -> None:
    verdict = gate.check("I want to end my life, I have the pills")
    assert isinstance(verdict, Crisis)
    assert verdict.tier is CrisisTier.explicit
    assert verdict.text == crisis_text(CrisisTier.explicit, eap_contact=EAP)


def test_a_crisis_past_the_length_limit_still_counts(gate: SafetyGate) -> None:
    verdict = gate.check("The carousel jammed again. " * 400 + "I want to kill myself.")
    assert isinstance(verdict, Crisis)


def test_a_crisis_comes_before_redaction_so_a_broken_redactor_cannot_hide_it() -> None:
    broken = SafetyGate(redactor=BrokenRedactor(), eap_contact=None)
    assert isinstance(broken.check("I want to end my life"), Crisis)


def test_a_clinical_question_is_out_of_scope(gate: SafetyGate) -> None:
    verdict = gate.check("What's the max dose of acetaminophen per day?")
    assert verdict == OutOfScope(answer=out_of_scope_text())


def test_redaction_failure_stops_the_text() -> None:
    broken = SafetyGate(redactor=BrokenRedactor(), eap_contact=None)
    assert isinstance(broken.check("Pt John Smith was upset"), Unredactable)


def test_the_gate_counts_crises_by_tier_without_content(gate: SafetyGate) -> None:
    before = {tier: routed_count(tier) for tier in CrisisTier}
    gate.check("I want to hurt my manager")
    gate.check("I don't want to be here anymore")
    assert routed_count(CrisisTier.harm_to_others) == before[CrisisTier.harm_to_others] + 1
    assert routed_count(CrisisTier.passive) == before[CrisisTier.passive] + 1
    assert routed_count(CrisisTier.explicit) == before[CrisisTier.explicit]


def test_redact_replaces_identifiers(gate: SafetyGate) -> None:
    assert gate.redact("Trained Mrs. Alvarez's tech, MRN 00482913") == (
        "Trained Mrs. [NAME]'s tech, MRN [MRN]"
    )


def test_redact_fails_closed_with_the_user_facing_error() -> None:
    broken = SafetyGate(redactor=BrokenRedactor(), eap_contact=None)
    with pytest.raises(RedactionFailed) as caught:
        broken.redact("Pt John Smith")
    assert str(caught.value) == (
        "I couldn't check that text for patient identifiers, so nothing was saved. "
        "Please try again."
    )
    assert "John" not in str(caught.value)


def test_the_default_screens_for_a_crisis_then_uses_the_process_wide_redactor() -> None:
    default = resolve_redact(None)
    assert default("call 312-555-0187") == "call [PHONE]"
    assert default_redact("call 312-555-0187") == "call [PHONE]"
    with pytest.raises(NeedsCare):
        default("i want to kill myself")


def test_a_given_redact_is_kept() -> None:
    def mine(text: str) -> str:
        return text.upper()

    assert resolve_redact(mine) is mine


def test_screen_stops_a_crisis_in_free_text_with_the_crisis_reply(gate: SafetyGate) -> None:
    with pytest.raises(NeedsCare) as stopped:
        gate.screen("logged my last win, ive written letters to my kids and i wont be around")
    assert "988" in str(stopped.value) and EAP in str(stopped.value)
    assert stopped.value.check_in is False


def test_screen_asks_about_ambiguous_despair_in_free_text(gate: SafetyGate) -> None:
    with pytest.raises(NeedsCare) as stopped:
        gate.screen("covered the weekend again. i cant do this anymore")
    assert stopped.value.check_in is True
    assert "988" in str(stopped.value)


def test_screen_passes_clinical_wins_through_redacted(gate: SafetyGate) -> None:
    stored = gate.screen("caught a 10x overdose for patient john smith before it went up")
    assert "10x overdose" in stored and "john" not in stored.lower()
