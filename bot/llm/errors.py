"""Why a language model gave no usable answer: one exception with a reason from a fixed set."""

from __future__ import annotations

from typing import Final, Literal, get_args

FallbackReason = Literal["timeout", "refusal", "invalid", "truncated", "api_error"]
FALLBACK_REASONS: Final[tuple[str, ...]] = get_args(FallbackReason)


class LLMUnavailable(Exception):
    """A model-backed step could not produce a usable answer.

    ``reason`` is one of ``FALLBACK_REASONS`` (the label of ``stepup_coach_fallbacks_total``).
    The message names the reason and, at most, which check failed. It never carries the person's
    text, the prompt or the model's output, so it is safe to log.

    Args:
        reason: Why the answer cannot be used.
        detail: Which check failed, in fixed words (never quoted text).
    """

    def __init__(self, reason: FallbackReason, detail: str = "") -> None:
        self.reason: FallbackReason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)
