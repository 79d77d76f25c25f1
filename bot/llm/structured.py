"""One structured call to a language model, with every failure turned into ``LLMUnavailable``.

``StructuredLLM.ask`` sends a system and a user message with ``chat.completions.parse`` and a
strict JSON schema built from a pydantic model (``response_format``), offers no tools, checks the
answer again and records the time spent in ``stepup_llm_seconds``. Every way a call can fail
becomes ``LLMUnavailable`` with one reason:

- ``timeout``: the SDK's request timed out;
- ``refusal``: the model refused (``parsed`` stays None and ``refusal`` is set) or the content
  filter stopped it;
- ``truncated``: the answer stopped at the length limit (``finish_reason == "length"``, which
  ``parse`` raises as ``LengthFinishReasonError``);
- ``invalid``: no choice, no content, or content that is not the requested JSON;
- ``api_error``: any other API or connection error (after the SDK's retries).

Exception messages name the reason and which check failed, never the prompt or the answer.

The request is built in one place (``StructuredLLM._send``), so per-call options live there: the
output cap (``max_output_tokens``, sent as ``max_completion_tokens``) and ``temperature`` are
omitted unless set. A server that refuses the ``json_schema`` format can later be answered there
with ``json_object`` mode (``create`` then, which must check ``finish_reason`` itself): the
answer is validated again from its raw content either way.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, TypeVar

from openai import (
    APIResponseValidationError,
    APITimeoutError,
    AsyncOpenAI,
    ContentFilterFinishReasonError,
    LengthFinishReasonError,
    OpenAIError,
    omit,
)
from openai.types.chat import (
    ChatCompletionMessageParam,
    ChatCompletionSystemMessageParam,
    ChatCompletionUserMessageParam,
    ParsedChatCompletion,
)
from pydantic import BaseModel, ValidationError

from bot.llm.client import build_openai_client
from bot.llm.errors import LLMUnavailable
from bot.metrics import LLM_LATENCY

if TYPE_CHECKING:
    import httpx2

ModelT = TypeVar("ModelT", bound=BaseModel)


class StructuredLLM:
    """A model behind an OpenAI-compatible chat completions API, asked for structured answers.

    One instance (one SDK client) is shared by the coach, the win parser and the polisher.

    Args:
        client: The SDK client, with its timeout and retries already set (see
            ``build_openai_client``).
        model: The model name (``OPENAI_MODEL``).
        max_output_tokens: The most tokens an answer may have; None sends no cap.
        temperature: The sampling temperature; None leaves the server's default.

    Raises:
        ValueError: The model name is blank or an option is out of range.
    """

    def __init__(
        self,
        *,
        client: AsyncOpenAI,
        model: str,
        max_output_tokens: int | None = None,
        temperature: float | None = None,
    ) -> None:
        _check_options(model=model, max_output_tokens=max_output_tokens, temperature=temperature)
        self._client = client
        self.model = model
        self.max_output_tokens = max_output_tokens
        self.temperature = temperature

    async def ask(self, *, system: str, user: str, response_format: type[ModelT]) -> ModelT:
        """Send one system and one user message and return the checked structured answer.

        Args:
            system: The system prompt.
            user: The user prompt (the person's words inside the tags it calls data).
            response_format: The pydantic model the answer must be; its strict JSON schema is
                sent.

        Raises:
            LLMUnavailable: ``timeout``, ``refusal``, ``truncated``, ``invalid`` or
                ``api_error`` (see the module docstring).
        """
        started = time.perf_counter()
        try:
            completion = await self._send(system=system, user=user, response_format=response_format)
            return _checked_output(completion, response_format)
        finally:
            # Also when a caller's time budget cancels the call: the wait still counts.
            LLM_LATENCY.observe(time.perf_counter() - started)

    async def _send(
        self, *, system: str, user: str, response_format: type[ModelT]
    ) -> ParsedChatCompletion[ModelT]:
        messages: list[ChatCompletionMessageParam] = [
            ChatCompletionSystemMessageParam(role="system", content=system),
            ChatCompletionUserMessageParam(role="user", content=user),
        ]
        try:
            return await self._client.chat.completions.parse(
                model=self.model,
                messages=messages,
                response_format=response_format,
                max_completion_tokens=(
                    omit if self.max_output_tokens is None else self.max_output_tokens
                ),
                temperature=omit if self.temperature is None else self.temperature,
            )
        except LengthFinishReasonError as exc:
            raise LLMUnavailable("truncated", "finish_reason length") from exc
        except ContentFilterFinishReasonError as exc:
            raise LLMUnavailable("refusal", "finish_reason content_filter") from exc
        except APITimeoutError as exc:
            raise LLMUnavailable("timeout", "request timed out") from exc
        except (ValidationError, APIResponseValidationError) as exc:
            # The SDK parses the content with pydantic inside `parse` and lets its error through.
            raise LLMUnavailable("invalid", "content is not the requested JSON") from exc
        except OpenAIError as exc:
            raise LLMUnavailable("api_error", type(exc).__name__) from exc

    async def aclose(self) -> None:
        """Close the SDK client and its HTTP connections."""
        await self._client.close()


def _checked_output(
    completion: ParsedChatCompletion[ModelT], response_format: type[ModelT]
) -> ModelT:
    if not completion.choices:
        raise LLMUnavailable("invalid", "no choices")
    message = completion.choices[0].message
    # A refusal does not raise: `parsed` stays None and the text is in `refusal`.
    if message.refusal:
        raise LLMUnavailable("refusal", "the model refused")
    if not message.content:
        raise LLMUnavailable("invalid", "no content")
    # Validated again from the raw content, not trusted from whatever the SDK built.
    try:
        return response_format.model_validate_json(message.content)
    except ValidationError as exc:
        raise LLMUnavailable("invalid", "content is not the requested JSON") from exc


def _check_options(*, model: str, max_output_tokens: int | None, temperature: float | None) -> None:
    if not model.strip():
        raise ValueError("OPENAI_MODEL must name a model")
    if max_output_tokens is not None and max_output_tokens <= 0:
        raise ValueError("max_output_tokens must be positive")
    if temperature is not None and not 0 <= temperature <= 2:
        raise ValueError("temperature must be between 0 and 2")


def build_structured_llm(
    *,
    api_key: str | None,
    base_url: str | None,
    model: str,
    timeout_s: float,
    max_retries: int = 1,
    http_client: httpx2.AsyncClient | None = None,
    max_output_tokens: int | None = None,
    temperature: float | None = None,
) -> StructuredLLM:
    """Build the model boundary from settings: one SDK client and the call options.

    Args:
        api_key: ``OPENAI_API_KEY``; may be None when ``base_url`` points at a local server.
        base_url: ``OPENAI_BASE_URL``; None means OpenAI itself.
        model: ``OPENAI_MODEL``.
        timeout_s: The SDK's per-request timeout (``LLM_TIMEOUT_S``). The fallback wrappers
            enforce the same value as the budget for a whole answer, retries included.
        max_retries: How many times the SDK retries a failed request.
        http_client: An ``httpx2.AsyncClient`` to send requests with (tests inject a mock
            transport here).
        max_output_tokens: The most tokens an answer may have; None sends no cap.
        temperature: The sampling temperature; None leaves the server's default.

    Raises:
        ValueError: Neither a key nor a base URL is set, or an option is out of range.
    """
    # Checked before the client exists, so a refused option leaves nothing to close.
    _check_options(model=model, max_output_tokens=max_output_tokens, temperature=temperature)
    client = build_openai_client(
        api_key=api_key,
        base_url=base_url,
        timeout_s=timeout_s,
        max_retries=max_retries,
        http_client=http_client,
    )
    return StructuredLLM(
        client=client, model=model, max_output_tokens=max_output_tokens, temperature=temperature
    )
