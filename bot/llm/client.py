"""Which language model backend ``COACH`` selects, and the SDK client that talks to it.

Choosing a backend does not load the OpenAI SDK, so an offline Step Up never pays for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Literal

if TYPE_CHECKING:
    import httpx2
    from openai import AsyncOpenAI

OPENAI_DEFAULT_BASE_URL: Final = "https://api.openai.com/v1"
# Local OpenAI-compatible servers ignore the key, but the SDK refuses to start without one.
NO_KEY_PLACEHOLDER: Final = "not-needed"


def choose_coach_name(
    *, coach_setting: str, api_key_set: bool, base_url_set: bool
) -> Literal["offline", "openai"]:
    """Decide which backend the ``COACH`` setting selects.

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


def build_openai_client(
    *,
    api_key: str | None,
    base_url: str | None,
    timeout_s: float,
    max_retries: int = 1,
    http_client: httpx2.AsyncClient | None = None,
) -> AsyncOpenAI:
    """Build the one SDK client the coach, the win parser and the summary polisher share.

    Args:
        api_key: ``OPENAI_API_KEY``; may be None when ``base_url`` points at a local server.
        base_url: ``OPENAI_BASE_URL``; None means OpenAI itself.
        timeout_s: The SDK's per-request timeout (``LLM_TIMEOUT_S``).
        max_retries: How many times the SDK retries a failed request.
        http_client: An ``httpx2.AsyncClient`` to send requests with (tests inject a mock
            transport here).

    Raises:
        ValueError: Neither a key nor a base URL is set, or an option is out of range.
    """
    if not api_key and not base_url:
        raise ValueError("the language model needs OPENAI_API_KEY or OPENAI_BASE_URL")
    if timeout_s <= 0:
        raise ValueError("timeout_s must be positive")
    if max_retries < 0:
        raise ValueError("max_retries must not be negative")
    # Imported here: only an OpenAI-backed Step Up loads the SDK.
    from openai import AsyncOpenAI

    return AsyncOpenAI(
        api_key=api_key or NO_KEY_PLACEHOLDER,
        # Explicit, so the SDK never reads OPENAI_BASE_URL itself: settings are the one source.
        base_url=base_url or OPENAI_DEFAULT_BASE_URL,
        timeout=timeout_s,
        max_retries=max_retries,
        http_client=http_client,
    )
