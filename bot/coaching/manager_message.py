"""Turn a draft into a ready-to-send "message to my manager".

The wording lives in ``prompts/manager_message.md`` (here's what's not working / here's what we
could try / here's how I can help), so it can be edited without touching code.
"""

from __future__ import annotations

from bot.coaching.models import Draft
from bot.prompts import render

TEMPLATE = "manager_message.md"


def manager_message(draft: Draft, *, name: str | None = None) -> str:
    """Return a message a technician can send their manager as is.

    Args:
        draft: The problem / proposed fix / my role draft.
        name: The manager's name for the greeting ("Hi Dana,"); a plain "Hi," without one.

    Raises:
        PromptError: The template is missing or names a variable this function does not give.
    """
    cleaned = " ".join((name or "").split())
    greeting = f"Hi {cleaned}," if cleaned else "Hi,"
    text = render(
        TEMPLATE,
        greeting=greeting,
        problem=draft.problem.strip(),
        proposed_fix=draft.proposed_fix.strip(),
        my_role=draft.my_role.strip(),
    )
    return text.strip()
