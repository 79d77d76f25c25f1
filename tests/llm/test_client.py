"""Which backend COACH selects, and the SDK client the model boundary builds from settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx2
import pytest
from pydantic import BaseModel

from bot.llm.client import NO_KEY_PLACEHOLDER, build_openai_client, choose_coach_name
from bot.llm.structured import StructuredLLM, build_structured_llm
from tests.fakes.openai_api import FAKE_KEY, MODEL, Handler, mock_llm, ok


class Answer(BaseModel):
    text: str


CONTENT = '{"text": "fine"}'


@pytest.fixture
def make_llm(http_clients: list[httpx2.AsyncClient]) -> Callable[..., StructuredLLM]:
    def make(handler: Handler, **options: Any) -> StructuredLLM:
        return mock_llm(handler, http_clients, **options)

    return make


@pytest.mark.parametrize(
    ("setting", "api_key_set", "base_url_set", "expected"),
    [
        ("auto", False, False, "offline"),
        ("auto", True, False, "openai"),
        ("auto", False, True, "openai"),
        ("auto", True, True, "openai"),
        ("offline", True, True, "offline"),
        ("offline", False, False, "offline"),
        ("openai", True, False, "openai"),
        ("openai", False, True, "openai"),
        (" OpenAI ", True, False, "openai"),
    ],
)
def test_choose_coach_name(
    setting: str, api_key_set: bool, base_url_set: bool, expected: str
) -> None:
    chosen = choose_coach_name(
        coach_setting=setting, api_key_set=api_key_set, base_url_set=base_url_set
    )

    assert chosen == expected


def test_coach_openai_without_key_or_base_url_names_both_settings() -> None:
    with pytest.raises(ValueError, match="OPENAI_API_KEY") as caught:
        choose_coach_name(coach_setting="openai", api_key_set=False, base_url_set=False)

    assert "OPENAI_BASE_URL" in str(caught.value)


def test_an_unknown_coach_setting_is_refused() -> None:
    with pytest.raises(ValueError, match="auto, offline or openai"):
        choose_coach_name(coach_setting="claude", api_key_set=True, base_url_set=False)


async def test_a_base_url_alone_uses_a_placeholder_key(
    make_llm: Callable[..., StructuredLLM],
) -> None:
    recorder = ok(CONTENT)
    llm = make_llm(recorder, api_key=None, base_url="http://localhost:11434/v1")

    await llm.ask(system="s", user="u", response_format=Answer)

    (request,) = recorder.requests
    assert str(request.url) == "http://localhost:11434/v1/chat/completions"
    assert request.headers["authorization"] == f"Bearer {NO_KEY_PLACEHOLDER}"


async def test_a_key_alone_talks_to_openai(make_llm: Callable[..., StructuredLLM]) -> None:
    recorder = ok(CONTENT)
    llm = make_llm(recorder, base_url=None)

    await llm.ask(system="s", user="u", response_format=Answer)

    assert str(recorder.requests[0].url) == "https://api.openai.com/v1/chat/completions"
    assert recorder.requests[0].headers["authorization"] == f"Bearer {FAKE_KEY}"


async def test_the_client_closes_with_the_boundary(make_llm: Callable[..., StructuredLLM]) -> None:
    llm = make_llm(ok(CONTENT))

    await llm.aclose()

    with pytest.raises(RuntimeError, match="closed"):
        await llm.ask(system="s", user="u", response_format=Answer)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"api_key": None, "base_url": None}, "OPENAI_API_KEY or OPENAI_BASE_URL"),
        ({"timeout_s": 0}, "timeout_s"),
        ({"max_retries": -1}, "max_retries"),
        ({"model": " "}, "OPENAI_MODEL"),
        ({"max_output_tokens": 0}, "max_output_tokens"),
        ({"temperature": 2.5}, "temperature"),
    ],
)
def test_building_with_bad_settings_is_refused(kwargs: dict[str, Any], message: str) -> None:
    options: dict[str, Any] = {
        "api_key": FAKE_KEY,
        "base_url": None,
        "model": MODEL,
        "timeout_s": 5.0,
    }
    options.update(kwargs)

    with pytest.raises(ValueError, match=message):
        build_structured_llm(**options)


def test_the_client_alone_refuses_the_same_settings() -> None:
    with pytest.raises(ValueError, match="OPENAI_API_KEY or OPENAI_BASE_URL"):
        build_openai_client(api_key=None, base_url=None, timeout_s=5.0)
