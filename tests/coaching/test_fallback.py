"""FallbackCoach: the OpenAI coach (real SDK, mock HTTP) replaced by an offline coach on failure.

The wrapper's generic rules (every reason, cancellation, logs, budget) are tested once in
``tests/llm/test_fallback.py``; these tests run the coaching stack through it end to end.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any

import httpx2
import pytest

from bot.coaching.fallback import FallbackCoach
from bot.coaching.models import CoachReply, CoachRequest, Draft
from bot.coaching.openai_coach import OpenAICoach
from bot.llm.errors import FALLBACK_REASONS, LLMUnavailable
from bot.metrics import REGISTRY
from tests.fakes.openai_api import AnyHandler, completion, mock_llm

SECRET_PHRASE = "the Pyxis on 4 West had no heparin flushes"
REQUEST = CoachRequest(messages=[f"Tonight {SECRET_PHRASE} and nursing blamed us."])

OFFLINE_REPLY = CoachReply(
    kind="draft",
    acknowledgement="That sounds like a hard shift.",
    draft=Draft(problem="A problem.", proposed_fix="A fix.", my_role="A role."),
    coach="offline",
)


class FakeOfflineCoach:
    """Stands in for the offline coach: always answers the same reply and counts its calls."""

    name = "offline"

    def __init__(self) -> None:
        self.requests: list[CoachRequest] = []

    async def reply(self, request: CoachRequest) -> CoachReply:
        self.requests.append(request)
        return OFFLINE_REPLY


class RaisingCoach:
    """A primary coach that fails with a given exception."""

    name = "openai"

    def __init__(self, error: Exception) -> None:
        self.error = error

    async def reply(self, request: CoachRequest) -> CoachReply:
        raise self.error


VALID_CONTENT = json.dumps(
    {
        "kind": "draft",
        "acknowledgement": "That sounds exhausting.",
        "draft": {
            "problem": "The Pyxis on 4 West had no heparin flushes tonight.",
            "proposed_fix": "Review the heparin flush par level for 4 West.",
            "my_role": "I can keep a tally of the stockouts.",
        },
        "questions": [],
        "themes": ["adc_stockouts"],
    }
)


def answer(
    body: dict[str, Any], *, status: int = 200, headers: dict[str, str] | None = None
) -> AnyHandler:
    """A MockTransport handler answering every request with ``body``."""

    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(status, json=body, headers=headers or {})

    return handler


def fallbacks(reason: str) -> float:
    return REGISTRY.get_sample_value("stepup_coach_fallbacks_total", {"reason": reason}) or 0.0


def latency_count() -> float:
    return REGISTRY.get_sample_value("stepup_llm_seconds_count") or 0.0


@pytest.fixture
def offline() -> FakeOfflineCoach:
    return FakeOfflineCoach()


@pytest.fixture
def make_coach(
    http_clients: list[httpx2.AsyncClient], offline: FakeOfflineCoach
) -> Callable[..., FallbackCoach]:
    """A FallbackCoach over the real OpenAI coach whose HTTP goes to ``handler``."""

    def make(handler: AnyHandler, *, timeout_s: float = 5.0, max_retries: int = 0) -> FallbackCoach:
        llm = mock_llm(handler, http_clients, timeout_s=timeout_s, max_retries=max_retries)
        return FallbackCoach(primary=OpenAICoach(llm=llm), fallback=offline, timeout_s=timeout_s)

    return make


async def test_a_good_reply_comes_from_openai_and_is_timed(
    make_coach: Callable[..., FallbackCoach], offline: FakeOfflineCoach
) -> None:
    counts = {reason: fallbacks(reason) for reason in FALLBACK_REASONS}
    timed = latency_count()
    coach = make_coach(answer(completion(VALID_CONTENT)))

    reply = await coach.reply(REQUEST)

    assert reply.coach == "openai"
    assert reply.draft is not None
    assert reply.draft.problem == "The Pyxis on 4 West had no heparin flushes tonight."
    assert offline.requests == []
    assert {reason: fallbacks(reason) for reason in FALLBACK_REASONS} == counts
    assert latency_count() == timed + 1
    assert coach.name == "openai"


@pytest.mark.parametrize(
    ("reason", "body", "status", "headers"),
    [
        ("refusal", completion(None, refusal="I can't help with that."), 200, None),
        ("refusal", completion(None, finish_reason="content_filter"), 200, None),
        ("truncated", completion('{"kind": "dra', finish_reason="length"), 200, None),
        ("invalid", completion("Sure! Here is your draft: problem..."), 200, None),
        ("invalid", completion(json.dumps({"kind": "draft", "draft": None})), 200, None),
        ("api_error", {"error": {"message": "boom"}}, 500, {"retry-after-ms": "1"}),
        ("api_error", {"error": {"message": "slow down"}}, 429, {"x-should-retry": "false"}),
    ],
)
async def test_a_failed_reply_falls_back_to_offline_and_is_counted(
    make_coach: Callable[..., FallbackCoach],
    offline: FakeOfflineCoach,
    reason: str,
    body: dict[str, Any],
    status: int,
    headers: dict[str, str] | None,
) -> None:
    before = fallbacks(reason)
    timed = latency_count()
    coach = make_coach(answer(body, status=status, headers=headers), max_retries=1)

    reply = await coach.reply(REQUEST)

    assert reply == OFFLINE_REPLY
    assert offline.requests == [REQUEST]
    assert fallbacks(reason) == before + 1
    assert latency_count() == timed + 1


async def test_a_late_reply_falls_back_within_the_budget(
    make_coach: Callable[..., FallbackCoach], offline: FakeOfflineCoach
) -> None:
    never = asyncio.Event()
    received = asyncio.Event()

    async def hang(request: httpx2.Request) -> httpx2.Response:
        received.set()
        await never.wait()  # never set: only the coach's time budget ends this request
        raise AssertionError("unreachable")

    before = fallbacks("timeout")
    coach = make_coach(hang, timeout_s=0.05)
    loop = asyncio.get_running_loop()
    started = loop.time()

    reply = await coach.reply(REQUEST)

    elapsed = loop.time() - started
    assert received.is_set()
    assert reply == OFFLINE_REPLY
    assert fallbacks("timeout") == before + 1
    # The budget is 0.05 s; the margin only absorbs a slow test machine.
    assert elapsed < 1.0


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (LLMUnavailable("truncated"), "truncated"),
        (LLMUnavailable("refusal", "the model refused"), "refusal"),
        (TimeoutError(), "timeout"),
        (RuntimeError(f"unexpected, quoting {SECRET_PHRASE}"), "api_error"),
    ],
)
async def test_any_primary_failure_is_a_silent_fallback_with_the_same_request(
    offline: FakeOfflineCoach, error: Exception, reason: str
) -> None:
    before = fallbacks(reason)
    coach = FallbackCoach(primary=RaisingCoach(error), fallback=offline, timeout_s=1.0)

    reply = await coach.reply(REQUEST)

    assert reply.coach == "offline"
    assert offline.requests == [REQUEST]
    assert fallbacks(reason) == before + 1


async def test_the_log_names_the_coach_but_never_the_text(
    offline: FakeOfflineCoach, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    error = RuntimeError(f"unexpected, quoting {SECRET_PHRASE}")
    coach = FallbackCoach(primary=RaisingCoach(error), fallback=offline, timeout_s=1.0)

    await coach.reply(REQUEST)

    assert "coach openai" in caplog.text
    assert "api_error" in caplog.text
    assert SECRET_PHRASE not in caplog.text
    assert "heparin" not in caplog.text


def test_a_non_positive_budget_is_refused(offline: FakeOfflineCoach) -> None:
    with pytest.raises(ValueError, match="timeout_s"):
        FallbackCoach(primary=offline, fallback=offline, timeout_s=0)
