"""The impact summary's wording polished by a language model, never its claims.

``OpenAISummaryPolisher`` implements ``SummaryPolisher``: it sends the summary's lines (one per
cited win, ``win:ID``, and the closing paragraph, ``closing``) to an OpenAI-compatible chat
completions API with a strict JSON schema and no tools, and returns them reworded. The prompts
are data (``prompts/impact_polish_system.md`` and ``prompts/impact_polish_user.md``); the lines
reach the model only inside ``<line>`` tags that the system prompt calls data.

Every line keeps its key, so every polished line still cites the win it comes from. A reworded
line is kept only when it states no number the original did not (``keeps_claims``), carries no
link the original did not, and is not empty; otherwise the original stands. Keys the model
invents or repeats are ignored and keys it leaves out keep their original text. On any failure
(refusal, truncation, timeout, API error, invalid answer) the lines come back unchanged, counted
in ``stepup_coach_fallbacks_total``. ``ImpactService`` checks the result again.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from typing import Final

import httpx2
from openai import AsyncOpenAI
from pydantic import BaseModel, Field

from bot.coaching.fallback import CoachUnavailable, FallbackReason
from bot.coaching.openai_coach import ask_structured, build_openai_client
from bot.impact.summary import PolishLine, keeps_claims
from bot.metrics import COACH_FALLBACKS, LLM_LATENCY
from bot.prompts import render
from bot.wins.openai_parser import flatten

log = logging.getLogger(__name__)

SYSTEM_PROMPT: Final = "impact_polish_system.md"
USER_PROMPT: Final = "impact_polish_user.md"


class PolishedLineOutput(BaseModel):
    """One reworded line."""

    key: str = Field(description="The key of the line, exactly as given.")
    text: str = Field(description="The reworded line: same facts, same numbers.")


class PolishOutput(BaseModel):
    """What the model is asked to answer: the strict JSON schema sent as ``response_format``."""

    lines: list[PolishedLineOutput] = Field(description="Every line given, once, in order.")


class OpenAISummaryPolisher:
    """A ``SummaryPolisher`` backed by an OpenAI-compatible chat completions API.

    Args:
        client: The SDK client, with its timeout and retries already set (see
            ``build_openai_polisher``).
        model: The model name (``OPENAI_MODEL``).
        timeout_s: The whole budget for one polish, retries included; None leaves only the
            SDK's per-request timeout.
    """

    name = "openai"

    def __init__(self, *, client: AsyncOpenAI, model: str, timeout_s: float | None = None) -> None:
        if not model.strip():
            raise ValueError("OPENAI_MODEL must name a model")
        if timeout_s is not None and timeout_s <= 0:
            raise ValueError("timeout_s must be positive")
        self._client = client
        self._model = model
        self._timeout_s = timeout_s

    async def polish(self, lines: list[PolishLine]) -> list[PolishLine]:
        """Return ``lines`` reworded where the rewording keeps every claim; never raises.

        The result has the same keys in the same order; a line whose rewording was refused
        keeps its original text, and on any failure every line does.
        """
        if not lines:
            return []
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self._timeout_s):
                output = await ask_structured(
                    self._client,
                    model=self._model,
                    system=render(SYSTEM_PROMPT),
                    user=render_user_prompt(lines),
                    response_format=PolishOutput,
                )
        except TimeoutError:
            reason: FallbackReason = "timeout"
        except CoachUnavailable as exc:
            reason = exc.reason
        except Exception as exc:
            # Only the type: exception messages may quote the lines.
            reason = "api_error"
            log.warning("summary polisher failed unexpectedly: %s", type(exc).__qualname__)
        else:
            return merge_polished(lines, output)
        finally:
            LLM_LATENCY.observe(time.perf_counter() - started)
        COACH_FALLBACKS.labels(reason=reason).inc()
        log.info("summary polisher kept the offline wording: %s", reason)
        return [line.model_copy() for line in lines]

    async def aclose(self) -> None:
        """Close the SDK client and its HTTP connections."""
        await self._client.close()


def build_openai_polisher(
    *,
    api_key: str | None,
    base_url: str | None,
    model: str,
    timeout_s: float,
    max_retries: int = 1,
    http_client: httpx2.AsyncClient | None = None,
) -> OpenAISummaryPolisher:
    """Build the OpenAI summary polisher from settings (the arguments of ``build_openai_coach``).

    ``timeout_s`` is both the SDK's per-request timeout and the budget for a whole polish.

    Raises:
        ValueError: Neither a key nor a base URL is set, or an option is out of range.
    """
    client = build_openai_client(
        api_key=api_key,
        base_url=base_url,
        timeout_s=timeout_s,
        max_retries=max_retries,
        http_client=http_client,
    )
    return OpenAISummaryPolisher(client=client, model=model, timeout_s=timeout_s)


# The user prompt's tags; the same tags inside a line are removed so it cannot close them.
_DATA_TAG = re.compile(r"<\s*/?\s*(?:lines|line)\b[^<>]*>", re.IGNORECASE)
_KEY = re.compile(r"^(?:win:\d+|closing)$")


def render_user_prompt(lines: list[PolishLine]) -> str:
    """Render ``prompts/impact_polish_user.md`` with each line inside ``<line key="…">``."""
    body = "\n".join(
        f'<line key="{line.key}">{_DATA_TAG.sub("", line.text).strip()}</line>'
        for line in lines
        if _KEY.match(line.key)
    )
    return render(USER_PROMPT, lines=body)


_URL = re.compile(r"(?:\bhttps?://|\bwww\.)[^\s<>()\[\]]+", re.IGNORECASE)


def _keeps_links(original: str, polished: str) -> bool:
    known = original.lower()
    return all(url.rstrip(".,;:!?'\"").lower() in known for url in _URL.findall(polished))


def merge_polished(lines: list[PolishLine], output: PolishOutput) -> list[PolishLine]:
    """Return ``lines`` with the rewordings from ``output`` that keep every claim.

    Unknown and repeated keys are ignored (the first answer for a key counts); a rewording
    that is empty, adds a number or a link, or is much longer than the original is refused.
    """
    offered = {line.key: line.text for line in lines}
    reworded: dict[str, str] = {}
    for answer in output.lines:
        key = answer.key.strip()
        if key not in offered or key in reworded:
            continue
        text = flatten(answer.text)
        original = offered[key]
        if text and keeps_claims(original, text) and _keeps_links(original, text):
            reworded[key] = text
    return [PolishLine(key=line.key, text=reworded.get(line.key, line.text)) for line in lines]
