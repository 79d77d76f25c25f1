from typing import Any

import httpx2
import pytest

from bot.app import build_coach, create_services
from bot.coaching.fallback import FallbackCoach
from bot.coaching.models import CoachRequest
from bot.coaching.offline import OfflineCoach
from bot.errors import UserError
from bot.llm.structured import StructuredLLM
from bot.runtime import open_runtime
from bot.settings import load_settings
from tests.fakes.openai_api import Recorder, mock_llm


def test_auto_is_offline_without_a_key_or_base_url() -> None:
    assert isinstance(build_coach(load_settings()), OfflineCoach)


def test_auto_uses_a_local_openai_compatible_server_with_offline_fallback() -> None:
    coach = build_coach(
        load_settings(openai_base_url="http://127.0.0.1:11434/v1/", llm_timeout_s=3)
    )
    assert isinstance(coach, FallbackCoach)
    assert coach.name == "openai"
    assert coach.fallback.name == "offline"


def test_offline_setting_wins_over_a_key() -> None:
    coach = build_coach(load_settings(coach="offline", openai_api_key="sk-test-not-a-real-key"))
    assert isinstance(coach, OfflineCoach)


def test_openai_without_key_or_base_url_is_a_clear_error() -> None:
    with pytest.raises(UserError, match="OPENAI_API_KEY"):
        build_coach(load_settings(coach="openai"))


def test_wins_use_the_openai_parser_and_polisher_only_when_openai_is_chosen() -> None:
    from bot.app import build_wins_llm

    assert build_wins_llm(load_settings()) == (None, None)
    parser, polisher = build_wins_llm(load_settings(openai_api_key="sk-test-not-a-real-key"))
    assert parser is not None and parser.name == "openai"
    assert polisher is not None and polisher.name == "openai"


async def test_services_share_one_model_boundary(
    database_url: str, monkeypatch: pytest.MonkeyPatch, http_clients: list[httpx2.AsyncClient]
) -> None:
    recorder = Recorder({"error": {"message": "down"}}, status=503)
    built: list[dict[str, Any]] = []

    def build(**options: Any) -> StructuredLLM:
        built.append(options)
        return mock_llm(recorder, http_clients)

    monkeypatch.setattr("bot.llm.structured.build_structured_llm", build)
    settings = load_settings(
        database_url=database_url, openai_base_url="http://127.0.0.1:11434/v1/", llm_timeout_s=3
    )
    runtime = await open_runtime(settings)
    try:
        services = create_services(runtime)
        reply = await services.pipeline.coach.reply(CoachRequest(messages=["rough shift"]))
    finally:
        await runtime.close()

    assert len(built) == 1  # one SDK client for the coach, the win parser and the polisher
    assert built[0]["timeout_s"] == 3
    assert reply.coach == "offline"  # the model was down: the offline coach answered
    assert len(recorder.requests) == 1
