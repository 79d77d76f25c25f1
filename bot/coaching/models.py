"""The coaching reply contract shared by every coach and every surface.

The JSON shape is the external contract of ``stepup coach --json`` (see DESIGN.md).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from bot.safety.redaction import Redaction

ReplyKind = Literal["draft", "clarify", "crisis", "check_in", "out_of_scope"]
CoachName = Literal["offline", "openai"]

THEME_IDS: tuple[str, ...] = (
    "staffing_shortage",
    "workload_queue",
    "adc_stockouts",
    "nursing_communication",
    "training_onboarding",
    "automation_downtime",
    "insurance_prior_auth",
    "inventory_controlled",
    "scheduling_overtime",
    "recognition_pay",
    "compounding_sterile",
    "customer_conflict",
    "process_errors",
    "communication_leadership",
)


class Draft(BaseModel):
    """A proposal a technician could take to a manager."""

    problem: str
    proposed_fix: str
    my_role: str


class CoachReply(BaseModel):
    """What a coach answers to a vent or a refinement request."""

    kind: ReplyKind
    acknowledgement: str
    draft: Draft | None = None
    questions: list[str] = Field(default_factory=list, max_length=3)
    themes: list[str] = Field(default_factory=list)
    redactions: list[Redaction] = Field(default_factory=list)
    coach: CoachName = "offline"


Refinement = Literal["shorter", "formal", "add_numbers", "answer"]


class CoachRequest(BaseModel):
    """What a coach is asked: always already sanitized, crisis-checked and redacted.

    Attributes:
        messages: The person's vent, one entry per message, oldest first (redacted).
        previous: The draft being refined, if any.
        refinement: What the person asked to change about ``previous``.
        answer: The person's answer to follow-up questions (redacted), for ``answer``.
        themes: Themes of the conversation so far (kept across refinements).
        non_english: True when the text does not look like English (best effort reply).
        truncated: True when the input was cut to the length limit.
        care: True when the person sounds exhausted, burnt out or in tears (not a crisis):
            the acknowledgement should be warmer and name that first.
    """

    messages: list[str]
    previous: Draft | None = None
    refinement: Refinement | None = None
    answer: str | None = None
    themes: list[str] = Field(default_factory=list)
    non_english: bool = False
    truncated: bool = False
    care: bool = False
