"""A coaching reply with a draft, as the Slack and Teams draft tests build it."""

from __future__ import annotations

from typing import Any

from bot.coaching.models import CoachReply, Draft, Redaction


def draft_reply(**changes: Any) -> CoachReply:
    fields: dict[str, Any] = {
        "kind": "draft",
        "acknowledgement": "That sounds like a brutal shift.",
        "draft": Draft(
            problem="The ADC on 4 West ran out of heparin flushes three times this week.",
            proposed_fix="Add a mid-shift par check for the 4 West ADC.",
            my_role="I can do the 2 pm check and log stockouts for a month.",
        ),
        "questions": ["How many times did it run out?", "Who restocks it now?"],
        "redactions": [Redaction(type="NAME"), Redaction(type="MRN")],
    }
    fields.update(changes)
    return CoachReply(**fields)
