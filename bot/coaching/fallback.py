"""Keep coaching up when the language model is not: a primary coach with an offline fallback.

``FallbackCoach`` runs the primary coach (the OpenAI coach) under one time budget
(``LLM_TIMEOUT_S``). When the primary is late, refuses, answers something invalid or truncated, or
the API fails, the person gets the fallback coach's reply instead, with no error shown; the reason
is counted in ``stepup_coach_fallbacks_total`` and logged without any message text.

This module also decides which coach ``COACH=auto|offline|openai`` means. It does not import the
OpenAI SDK, so choosing the offline coach never pays for loading it.
"""

from __future__ import annotations

import asyncio
import logging
import time
import traceback
from typing import Final, Literal, get_args

from pydantic import ValidationError

from bot.coaching.models import CoachReply, CoachRequest
from bot.coaching.port import Coach
from bot.metrics import COACH_FALLBACKS, LLM_LATENCY

log = logging.getLogger(__name__)

FallbackReason = Literal["timeout", "refusal", "invalid", "truncated", "api_error"]
FALLBACK_REASONS: Final[tuple[str, ...]] = get_args(FallbackReason)


class CoachUnavailable(Exception):
    """A coach could not produce a usable reply; ``reason`` is one of ``FALLBACK_REASONS``.

    The message names the reason and, at most, which check failed. It never carries the person's
    text or the model's output, so it is safe to log.
    """

    def __init__(self, reason: FallbackReason, detail: str = "") -> None:
        self.reason: FallbackReason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


class FallbackCoach:
    """A coach that answers with ``primary`` when it can and with ``fallback`` otherwise.

    Args:
        primary: The preferred coach (usually the OpenAI coach).
        fallback: The coach that always answers (the offline coach).
        timeout_s: The whole budget for the primary's reply, retries included.
    """

    def __init__(self, *, primary: Coach, fallback: Coach, timeout_s: float) -> None:
        if timeout_s <= 0:
            raise ValueError("timeout_s must be positive")
        self.primary = primary
        self.fallback = fallback
        self.timeout_s = timeout_s
        self.name = primary.name

    async def reply(self, request: CoachRequest) -> CoachReply:
        """Return the primary's reply, or the fallback's when the primary fails or is late."""
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self.timeout_s):
                return await self.primary.reply(request)
        except TimeoutError:
            reason: FallbackReason = "timeout"
        except CoachUnavailable as exc:
            reason = exc.reason
        except ValidationError:
            reason = "invalid"
        except Exception as exc:
            # Any other failure of the primary (an SDK error it did not translate, a bug) must not
            # reach the person either: they still get the offline reply. Only the exception type
            # and where it was raised are logged, because exception messages can quote the text.
            reason = "api_error"
            log.warning("coach %s failed unexpectedly: %s", self.primary.name, _where(exc))
        finally:
            LLM_LATENCY.observe(time.perf_counter() - started)
        COACH_FALLBACKS.labels(reason=reason).inc()
        log.info("coach %s fell back to %s: %s", self.primary.name, self.fallback.name, reason)
        return await self.fallback.reply(request)


def _where(exc: BaseException) -> str:
    """Name an exception's type and the last frame it passed through, without its message."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return type(exc).__qualname__
    last = frames[-1]
    return f"{type(exc).__qualname__} at {last.filename}:{last.lineno} in {last.name}"


def choose_coach_name(
    *, coach_setting: str, api_key_set: bool, base_url_set: bool
) -> Literal["offline", "openai"]:
    """Decide which coach the ``COACH`` setting selects.

    Args:
        coach_setting: ``auto``, ``offline`` or ``openai`` (case-insensitive).
        api_key_set: Whether ``OPENAI_API_KEY`` is set.
        base_url_set: Whether ``OPENAI_BASE_URL`` is set (Ollama, vLLM, LM Studio need no key).

    Returns:
        ``openai`` for ``openai``, and for ``auto`` when a key or a base URL is set; otherwise
        ``offline``.

    Raises:
        ValueError: ``COACH`` is not one of the three values, or is ``openai`` with neither
            ``OPENAI_API_KEY`` nor ``OPENAI_BASE_URL`` set.
    """
    setting = coach_setting.strip().lower()
    configured = api_key_set or base_url_set
    if setting == "offline":
        return "offline"
    if setting == "auto":
        return "openai" if configured else "offline"
    if setting == "openai":
        if not configured:
            raise ValueError(
                "COACH=openai needs OPENAI_API_KEY, or OPENAI_BASE_URL for an OpenAI-compatible "
                "server (Ollama, vLLM, LM Studio); set one or use COACH=offline"
            )
        return "openai"
    raise ValueError(f"COACH must be auto, offline or openai, not {coach_setting!r}")
