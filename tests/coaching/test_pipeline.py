"""The safety pipeline around any coach: what reaches the coach, and what comes back."""

import io
import json

import pytest

from bot.cli import main
from bot.coaching.models import CoachReply, CoachRequest, Draft
from bot.coaching.pipeline import (
    REDACTION_FAILED,
    TRUNCATION_NOTE,
    SafetyPipeline,
    crisis_reply,
    out_of_scope_reply,
)
from bot.safety.crisis import CrisisTier
from bot.safety.gate import SafetyGate
from bot.safety.redaction import RedactionError, Redactor, get_redactor
from tests.paths import DATASETS


class RecordingCoach:
    name = "offline"

    def __init__(self, reply: CoachReply | None = None) -> None:
        self.requests: list[CoachRequest] = []
        self._reply = reply

    async def reply(self, request: CoachRequest) -> CoachReply:
        self.requests.append(request)
        return self._reply or CoachReply(
            kind="draft",
            acknowledgement="That sounds hard.",
            draft=Draft(
                problem=request.messages[-1],
                proposed_fix="Try a checklist.",
                my_role="I can pilot it.",
            ),
        )


class BrokenRedactor(Redactor):
    def redact(self, text: str):  # type: ignore[no-untyped-def]
        raise RedactionError("boom")


def pipeline(coach: RecordingCoach, redactor: Redactor | None = None) -> SafetyPipeline:
    gate = SafetyGate(redactor=redactor or get_redactor(), eap_contact="Acme EAP 1-800-555-0100")
    return SafetyPipeline(coach=coach, gate=gate)


async def test_the_coach_never_sees_identifiers() -> None:
    coach = RecordingCoach()
    reply = await pipeline(coach).reply_once(
        "Pt John Smith MRN 00482913 got the wrong strength of Eliquis 5 mg again"
    )
    seen = coach.requests[0].messages[0]
    assert "John Smith" not in seen and "00482913" not in seen
    assert "Eliquis 5 mg" in seen
    assert {r.type for r in reply.redactions} >= {"NAME", "MRN"}


async def test_what_the_coach_says_is_redacted_again() -> None:
    leaky = CoachReply(
        kind="draft",
        acknowledgement="Call 555-867-5309 about it",
        draft=Draft(problem="Mrs. Alvarez had MRN 00482913", proposed_fix="x", my_role="y"),
        questions=["Was it Dr. Patel?"],
    )
    reply = await pipeline(RecordingCoach(leaky)).reply_once("The Pyxis ran out of heparin again")
    text = reply.model_dump_json()
    for secret in ("555-867-5309", "Alvarez", "00482913", "Patel"):
        assert secret not in text


async def test_redaction_failure_fails_closed() -> None:
    coach = RecordingCoach()
    reply = await pipeline(coach, BrokenRedactor()).reply_once("Pt John Smith was upset")
    assert coach.requests == []
    assert reply.kind == "clarify"
    assert reply.acknowledgement == REDACTION_FAILED


async def test_crisis_and_clinical_questions_never_reach_the_coach() -> None:
    coach = RecordingCoach()
    crisis = await pipeline(coach).reply_once("I want to end my life, I have the pills")
    clinical = await pipeline(coach).reply_once("What's the max dose of acetaminophen per day?")
    assert crisis.kind == "crisis" and "988" in crisis.acknowledgement
    assert "Acme EAP" in crisis.acknowledgement
    assert clinical.kind == "out_of_scope"
    assert coach.requests == []


async def test_long_input_is_truncated_with_a_note_and_empty_input_clarifies() -> None:
    coach = RecordingCoach()
    long = await pipeline(coach).reply_once("The carousel jammed again. " * 400)
    empty = await pipeline(coach).reply_once(" \u200b\n\t ")
    assert len(coach.requests[0].messages[0]) <= 4000
    assert coach.requests[0].truncated
    assert long.acknowledgement.endswith(TRUNCATION_NOTE)
    assert empty.kind == "clarify"
    assert len(coach.requests) == 1


async def test_a_crisis_past_the_length_limit_is_still_caught() -> None:
    coach = RecordingCoach()
    reply = await pipeline(coach).reply_once("Busy night. " * 400 + "I want to kill myself.")
    assert reply.kind == "crisis"


def test_stepup_coach_json_follows_the_contract(monkeypatch: pytest.MonkeyPatch) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(
        [
            "coach",
            "--json",
            "The Pyxis on 4 West was out of heparin flushes again. Par levels are wrong.",
        ],
        stdout=out,
        stderr=err,
    )
    assert code == 0
    data = json.loads(out.getvalue())
    assert set(data) == {
        "kind",
        "acknowledgement",
        "draft",
        "questions",
        "themes",
        "redactions",
        "coach",
    }
    assert data["kind"] == "draft"
    assert set(data["draft"]) == {"problem", "proposed_fix", "my_role"}
    assert "adc_stockouts" in data["themes"]
    assert data["coach"] == "offline"


def test_stepup_coach_reads_stdin() -> None:
    out = io.StringIO()
    code = main(
        ["coach", "--json"], stdout=out, stderr=io.StringIO(), stdin=io.StringIO("rough shift")
    )
    assert code == 0
    assert json.loads(out.getvalue())["kind"] == "clarify"


def test_stepup_coach_json_shows_a_check_in() -> None:
    out = io.StringIO()
    code = main(
        ["coach", "--json"],
        stdout=out,
        stderr=io.StringIO(),
        stdin=io.StringIO("i cant do this anymore"),
    )
    reply = json.loads(out.getvalue())
    assert code == 0
    assert reply["kind"] == "check_in" and reply["draft"] is None
    assert "suicide" in reply["acknowledgement"] and "988" in reply["acknowledgement"]


def test_stepup_eval_meets_the_dev_set_targets() -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["eval", str(DATASETS / "coaching-dev.jsonl"), "--json"], stdout=out, stderr=err)
    report = json.loads(out.getvalue())
    assert code == 0, err.getvalue()
    assert err.getvalue() == ""
    metrics = report["metrics"]
    assert metrics["structure_complete"]["value"] == 1.0
    assert metrics["theme_accuracy"]["value"] >= 0.85
    assert metrics["phi_leaks"]["count"] == 0
    assert metrics["crisis_recall"]["value"] == 1.0
    assert metrics["false_crisis"]["count"] == 0
    assert report["identical_drafts"] == []


def test_stepup_eval_fails_on_a_dataset_below_target(tmp_path: object) -> None:
    from pathlib import Path

    bad = Path(str(tmp_path)) / "bad.jsonl"
    bad.write_text(
        json.dumps(
            {
                "id": "x1",
                "text": "Our Pyxis keeps running out of heparin flushes.",
                "themes": ["compounding_sterile"],
                "expect": "draft",
            }
        )
        + "\n"
    )
    err = io.StringIO()
    code = main(["eval", str(bad)], stdout=io.StringIO(), stderr=err)
    assert code == 1
    assert "below target" in err.getvalue()
    assert "theme" in err.getvalue()


@pytest.mark.parametrize("tier", list(CrisisTier))
def test_crisis_reply_is_fixed_text_with_resources_and_no_draft(tier: CrisisTier) -> None:
    reply = crisis_reply(tier, eap_contact=None)
    assert reply.kind == "crisis"
    assert reply.draft is None
    assert reply.questions == []
    assert reply.themes == []
    text = reply.acknowledgement
    assert "988" in text
    assert "Text HOME to 741741" in text
    assert "911" in text
    assert "EAP" not in text
    assert "{" not in text
    assert "##" not in text
    assert "notes for editors" not in text
    assert reply.model_dump(mode="json")["draft"] is None


def test_out_of_scope_reply_says_pharmacist_and_offers_a_workflow_problem() -> None:
    reply = out_of_scope_reply()
    assert reply.kind == "out_of_scope"
    assert reply.draft is None
    assert reply.themes == []
    assert "pharmacist" in reply.acknowledgement
    assert len(reply.questions) == 1
    assert "workflow" in reply.questions[0]
    assert "{" not in reply.acknowledgement + reply.questions[0]
    assert "##" not in reply.acknowledgement + reply.questions[0]
