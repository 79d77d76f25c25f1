"""The impact summary's wording polished by a language model, never its claims.

``OpenAISummaryPolisher`` implements ``SummaryPolisher``: it sends the summary's lines (one per
cited win, ``win:ID``, and the closing paragraph, ``closing``) to the shared model boundary
(``bot.llm.structured``: a strict JSON schema, no tools) and returns them reworded. The prompts
are data (``prompts/impact_polish_system.md`` and ``prompts/impact_polish_user.md``); the lines
reach the model only inside ``<line>`` tags that the system prompt calls data.

Every line keeps its key, so every polished line still cites the win it comes from. A reworded
line is kept only when it states no number the original did not (``keeps_claims``), carries no
link the original did not, and is not empty; otherwise the original stands. Keys the model
invents or repeats are ignored and keys it leaves out keep their original text. On any failure
(refusal, truncation, timeout, API error, invalid answer) the lines come back unchanged, counted
in ``stepup_coach_fallbacks_total`` (``bot.llm.fallback``). ``ImpactService`` checks the result
again.
"""

from __future__ import annotations

import re
from typing import Final

from pydantic import BaseModel, Field

from bot.impact.summary import PolishLine, keeps_claims
from bot.llm.fallback import Fallback
from bot.llm.structured import StructuredLLM
from bot.llm.text import flatten
from bot.prompts import render

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
    """A ``SummaryPolisher`` backed by a language model through the shared boundary.

    Args:
        llm: The model boundary, shared with the coach and the win parser.
        timeout_s: The whole budget for one polish, retries included; None leaves only the
            SDK's per-request timeout.

    Raises:
        ValueError: ``timeout_s`` is not positive.
    """

    name = "openai"

    def __init__(self, *, llm: StructuredLLM, timeout_s: float | None = None) -> None:
        self._guard = Fallback(use="summary polisher", timeout_s=timeout_s)
        self._llm = llm

    async def polish(self, lines: list[PolishLine]) -> list[PolishLine]:
        """Return ``lines`` reworded where the rewording keeps every claim; never raises.

        The result has the same keys in the same order; a line whose rewording was refused
        keeps its original text, and on any failure every line does.
        """
        if not lines:
            return []

        async def reworded() -> list[PolishLine]:
            output = await self._llm.ask(
                system=render(SYSTEM_PROMPT),
                user=render_user_prompt(lines),
                response_format=PolishOutput,
            )
            return merge_polished(lines, output)

        async def unchanged() -> list[PolishLine]:
            return [line.model_copy() for line in lines]

        return await self._guard.run(reworded, unchanged)


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
