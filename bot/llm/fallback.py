"""Keep a model-backed step up when the model is not: a primary under a budget, else offline.

``Fallback.run`` awaits the primary (the model-backed step) under one time budget
(``LLM_TIMEOUT_S``). When it is late, raises ``LLMUnavailable``, raises a pydantic
``ValidationError`` or fails in any other way, the offline step answers instead, with no error
shown; the reason is counted in ``stepup_coach_fallbacks_total`` and logged without any text.
Cancellation is never swallowed.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Awaitable, Callable
from typing import TypeVar

from pydantic import ValidationError

from bot.llm.errors import FallbackReason, LLMUnavailable
from bot.metrics import COACH_FALLBACKS

log = logging.getLogger(__name__)

ResultT = TypeVar("ResultT")


class Fallback:
    """Run a primary step under a time budget and the fallback step when the primary fails.

    Args:
        use: What the step is, for the log (``coach openai``, ``win parser openai``); never
            message text.
        timeout_s: The whole budget for the primary, retries included; None sets none (the
            SDK's per-request timeout still applies).

    Raises:
        ValueError: ``timeout_s`` is not positive.
    """

    def __init__(self, *, use: str, timeout_s: float | None) -> None:
        if timeout_s is not None and timeout_s <= 0:
            raise ValueError("timeout_s must be positive")
        self.use = use
        self.timeout_s = timeout_s

    async def run(
        self,
        primary: Callable[[], Awaitable[ResultT]],
        fallback: Callable[[], Awaitable[ResultT]],
    ) -> ResultT:
        """Return the primary's result, or the fallback's when the primary fails or is late.

        Args:
            primary: Starts the model-backed step.
            fallback: Starts the offline step; its own errors are not caught.
        """
        try:
            async with asyncio.timeout(self.timeout_s):
                return await primary()
        except TimeoutError:
            reason: FallbackReason = "timeout"
        except LLMUnavailable as exc:
            reason = exc.reason
        except ValidationError:
            reason = "invalid"
        except Exception as exc:
            # Any other failure of the primary (an SDK error it did not translate, a bug) must not
            # reach the person either: they still get the offline answer. Only the exception type
            # and where it was raised are logged, because exception messages can quote the text.
            reason = "api_error"
            log.warning("%s failed unexpectedly: %s", self.use, _where(exc))
        COACH_FALLBACKS.labels(reason=reason).inc()
        log.info("%s fell back to offline: %s", self.use, reason)
        return await fallback()


def _where(exc: BaseException) -> str:
    """Name an exception's type and the last frame it passed through, without its message."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return type(exc).__qualname__
    last = frames[-1]
    return f"{type(exc).__qualname__} at {last.filename}:{last.lineno} in {last.name}"
