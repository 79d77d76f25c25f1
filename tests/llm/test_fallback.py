"""The fallback wrapper: a primary under a time budget, else the offline step, counted and quiet."""

from __future__ import annotations

import asyncio
import logging

import pytest
from pydantic import BaseModel, ValidationError

from bot.llm.errors import FALLBACK_REASONS, LLMUnavailable
from bot.llm.fallback import Fallback
from bot.metrics import REGISTRY

SECRET_PHRASE = "the Pyxis on 4 West had no heparin flushes"


class Reply(BaseModel):
    text: str


def fallbacks(reason: str) -> float:
    return REGISTRY.get_sample_value("stepup_coach_fallbacks_total", {"reason": reason}) or 0.0


class Steps:
    """A primary that fails with ``error`` (or answers) and an offline step that always answers."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error
        self.offline_calls = 0

    async def primary(self) -> str:
        if self.error is not None:
            raise self.error
        return "from the model"

    async def offline(self) -> str:
        self.offline_calls += 1
        return "offline"


def validation_error() -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        Reply.model_validate({"text": [SECRET_PHRASE]})
    return caught.value


async def test_a_good_primary_answers_and_nothing_is_counted() -> None:
    counts = {reason: fallbacks(reason) for reason in FALLBACK_REASONS}
    steps = Steps()

    result = await Fallback(use="coach openai", timeout_s=1.0).run(steps.primary, steps.offline)

    assert result == "from the model"
    assert steps.offline_calls == 0
    assert {reason: fallbacks(reason) for reason in FALLBACK_REASONS} == counts


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (LLMUnavailable("truncated"), "truncated"),
        (LLMUnavailable("refusal", "the model refused"), "refusal"),
        (LLMUnavailable("invalid", "empty what"), "invalid"),
        (LLMUnavailable("api_error", "InternalServerError"), "api_error"),
        (LLMUnavailable("timeout", "request timed out"), "timeout"),
        (TimeoutError(), "timeout"),
        (validation_error(), "invalid"),
        (RuntimeError(f"unexpected, quoting {SECRET_PHRASE}"), "api_error"),
    ],
)
async def test_any_primary_failure_is_a_silent_counted_fallback(
    error: BaseException, reason: str
) -> None:
    before = fallbacks(reason)
    steps = Steps(error)

    result = await Fallback(use="coach openai", timeout_s=1.0).run(steps.primary, steps.offline)

    assert result == "offline"
    assert steps.offline_calls == 1
    assert fallbacks(reason) == before + 1


async def test_a_late_primary_is_abandoned_at_the_budget() -> None:
    started = asyncio.Event()
    steps = Steps()

    async def hang() -> str:
        started.set()
        await asyncio.Event().wait()  # never set: only the budget ends this call
        raise AssertionError("unreachable")

    before = fallbacks("timeout")
    loop = asyncio.get_running_loop()
    began = loop.time()

    result = await Fallback(use="win parser openai", timeout_s=0.05).run(hang, steps.offline)

    assert started.is_set()
    assert result == "offline"
    assert fallbacks("timeout") == before + 1
    # The budget is 0.05 s; the margin only absorbs a slow test machine.
    assert loop.time() - began < 1.0


async def test_no_budget_leaves_the_primary_unhurried() -> None:
    steps = Steps()

    result = await Fallback(use="summary polisher", timeout_s=None).run(
        steps.primary, steps.offline
    )

    assert result == "from the model"


async def test_fallback_logs_the_reason_and_place_but_never_the_text(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    steps = Steps(RuntimeError(f"unexpected, quoting {SECRET_PHRASE}"))

    await Fallback(use="coach openai", timeout_s=1.0).run(steps.primary, steps.offline)

    assert "coach openai" in caplog.text
    assert "api_error" in caplog.text
    assert "RuntimeError" in caplog.text
    assert "in primary" in caplog.text  # where it was raised
    assert SECRET_PHRASE not in caplog.text
    assert "heparin" not in caplog.text


async def test_a_validation_error_is_logged_without_its_input(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    steps = Steps(validation_error())

    await Fallback(use="win parser openai", timeout_s=1.0).run(steps.primary, steps.offline)

    assert "invalid" in caplog.text
    assert "heparin" not in caplog.text


async def test_cancellation_is_not_swallowed() -> None:
    started = asyncio.Event()
    steps = Steps()

    async def blocking() -> str:
        started.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    task = asyncio.create_task(
        Fallback(use="coach openai", timeout_s=60.0).run(blocking, steps.offline)
    )
    await started.wait()
    task.cancel()

    with pytest.raises(asyncio.CancelledError):
        await task
    assert steps.offline_calls == 0


async def test_the_fallbacks_own_failure_is_not_hidden() -> None:
    async def broken_offline() -> str:
        raise KeyError("offline bug")

    with pytest.raises(KeyError):
        await Fallback(use="coach openai", timeout_s=1.0).run(
            Steps(TimeoutError()).primary, broken_offline
        )


@pytest.mark.parametrize("timeout_s", [0, -1.0])
def test_a_non_positive_budget_is_refused(timeout_s: float) -> None:
    with pytest.raises(ValueError, match="timeout_s"):
        Fallback(use="coach openai", timeout_s=timeout_s)
