"""The one port between services and any language model: ``Coach``."""

from __future__ import annotations

from typing import Protocol

from bot.coaching.models import CoachReply, CoachRequest


class Coach(Protocol):
    """Turns a redacted, crisis-checked request into a reply.

    Implementations never see raw text: the coaching service redacts identifiers and runs the
    crisis gate before calling them, and redacts their output again.
    """

    name: str

    async def reply(self, request: CoachRequest) -> CoachReply:
        """Answer one request."""
        ...
