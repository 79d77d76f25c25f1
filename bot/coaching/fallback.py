"""Keep coaching up when the language model is not: a primary coach with an offline fallback.

``FallbackCoach`` is the ``Coach`` port over ``bot.llm.fallback.Fallback``: the primary coach (the
OpenAI coach) answers under one time budget (``LLM_TIMEOUT_S``), and on any failure the person
gets the fallback coach's reply instead, with no error shown.
"""

from __future__ import annotations

from bot.coaching.models import CoachReply, CoachRequest
from bot.coaching.port import Coach
from bot.llm.fallback import Fallback


class FallbackCoach:
    """A coach that answers with ``primary`` when it can and with ``fallback`` otherwise.

    Args:
        primary: The preferred coach (usually the OpenAI coach).
        fallback: The coach that always answers (the offline coach).
        timeout_s: The whole budget for the primary's reply, retries included.

    Raises:
        ValueError: ``timeout_s`` is not positive.
    """

    def __init__(self, *, primary: Coach, fallback: Coach, timeout_s: float) -> None:
        self._guard = Fallback(use=f"coach {primary.name}", timeout_s=timeout_s)
        self.primary = primary
        self.fallback = fallback
        self.timeout_s = timeout_s
        self.name = primary.name

    async def reply(self, request: CoachRequest) -> CoachReply:
        """Return the primary's reply, or the fallback's when the primary fails or is late."""
        return await self._guard.run(
            lambda: self.primary.reply(request), lambda: self.fallback.reply(request)
        )
