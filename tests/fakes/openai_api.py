"""What the OpenAI tests share: the API's chat.completions bodies and a recording transport handler.

The real ``openai`` client is used with an ``httpx2.MockTransport`` whose handler is one of these,
so every request goes through the SDK as in production and nothing leaves the process;
``mock_llm`` builds the real model boundary over such a handler.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

import httpx2

from bot.llm.structured import StructuredLLM, build_structured_llm

FAKE_KEY = "sk-test-not-a-real-key"
BASE_URL = "http://llm.test/v1"
MODEL = "test-model"

Handler = Callable[[httpx2.Request], httpx2.Response]
AnyHandler = Handler | Callable[[httpx2.Request], Coroutine[None, None, httpx2.Response]]


def completion(
    content: str | None, *, finish_reason: str = "stop", refusal: str | None = None
) -> dict[str, Any]:
    """A chat.completions response body as the API sends it."""
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_767_000_000,
        "model": MODEL,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
                "logprobs": None,
                "finish_reason": finish_reason,
            }
        ],
        "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150},
    }


class Recorder:
    """A MockTransport handler that answers every request alike and keeps what it was sent."""

    def __init__(
        self, body: dict[str, Any], *, status: int = 200, headers: dict[str, str] | None = None
    ) -> None:
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.requests: list[httpx2.Request] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        return httpx2.Response(self.status, json=self.body, headers=self.headers)

    def sent(self, index: int = -1) -> dict[str, Any]:
        """The JSON body of request ``index`` (the last by default)."""
        return dict(json.loads(self.requests[index].content))


def ok(content: str | None, **kwargs: Any) -> Recorder:
    """A handler answering every request with a completion carrying ``content``."""
    return Recorder(completion(content, **kwargs))


def mock_llm(
    handler: AnyHandler,
    http_clients: list[httpx2.AsyncClient],
    *,
    api_key: str | None = FAKE_KEY,
    base_url: str | None = BASE_URL,
    timeout_s: float = 5.0,
    max_retries: int = 0,
    **options: Any,
) -> StructuredLLM:
    """The real model boundary (real SDK client) whose HTTP goes to ``handler``.

    The HTTP client is added to ``http_clients`` (the fixture closes them after the test).
    """
    client = httpx2.AsyncClient(transport=httpx2.MockTransport(handler))
    http_clients.append(client)
    return build_structured_llm(
        api_key=api_key,
        base_url=base_url,
        model=MODEL,
        timeout_s=timeout_s,
        max_retries=max_retries,
        http_client=client,
        **options,
    )
