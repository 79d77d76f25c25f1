"""Win capture by a language model, through the same ``WinParser`` port as the offline rules.

``OpenAIWinParser`` asks the shared model boundary (``bot.llm.structured``: a strict JSON schema,
no tools) to read a redacted free-text win into what / why / result,
figures, a category, little-l or Big-L leadership and a date. The prompts are data
(``prompts/win_parse_system.md`` and ``prompts/win_parse_user.md``); the person's words reach
the model only inside ``<win>`` tags that the system prompt calls data.

The answer is checked before it becomes a ``WinDraft``. Failures raise ``LLMUnavailable``
with the boundary's reasons (``refusal``, ``truncated``, ``timeout``, ``api_error``, ``invalid``);
``FallbackWinParser`` then answers with the offline parser and counts the reason in
``stepup_coach_fallbacks_total``. ``invalid`` covers: no parsable JSON, an empty "what", wording
much longer than the text, or a number in the wording that the text does not state (the model
must not put words, or figures, in the person's mouth).

Repaired rather than rejected: each field is flattened to one line without chat markup; figures
the text does not state are dropped (``supported_figures``), as are figures of unknown kinds; an
unknown category becomes the offline guess (``category_matched`` False); a date that is not an
ISO date, or lies after today, becomes None.

The call itself, the fallback and the text flattening are the shared model boundary's
(``bot.llm``); this module holds the prompts, the schema and the checks.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Final, Literal

from pydantic import BaseModel, Field

from bot.llm.errors import LLMUnavailable
from bot.llm.fallback import Fallback
from bot.llm.structured import StructuredLLM
from bot.llm.text import flatten
from bot.prompts import render
from bot.wins.categories import LEADERSHIP_LEVELS, categories, category_ids
from bot.wins.parsing import (
    Figure,
    WinDraft,
    WinParser,
    guess_category,
    kind_labels,
    number_words,
    supported_figures,
)

SYSTEM_PROMPT: Final = "win_parse_system.md"
USER_PROMPT: Final = "win_parse_user.md"

# The wording may restate the text, not grow it: longer than this is not a reading of the text.
_MAX_GROWTH_FACTOR: Final = 2
_MAX_GROWTH_CHARS: Final = 200


# --- the structured answer -------------------------------------------------------------------


def _figure_kinds(schema: dict[str, Any]) -> None:
    # Called when the schema is built (per request), so loading the module reads no YAML.
    schema["enum"] = list(kind_labels())


def _category_ids(schema: dict[str, Any]) -> None:
    schema["enum"] = list(category_ids())


class FigureOutput(BaseModel):
    """One figure the text states."""

    kind: str = Field(
        description="A figure kind id from the instructions.", json_schema_extra=_figure_kinds
    )
    value: float = Field(description="The number exactly as the text states it.")


class WinOutput(BaseModel):
    """What the model is asked to answer: the strict JSON schema sent as ``response_format``.

    No defaults: strict structured output requires every property. The ``enum`` lists of
    ``kind`` and ``category`` come from ``prompts/wins.yaml`` when the schema is built.
    """

    what: str = Field(description="What the person did, in their words, first person.")
    why: str | None = Field(description="Why they did it; null when the text does not say.")
    result: str | None = Field(description="What changed; null when the text does not say.")
    numbers: list[FigureOutput] = Field(description="Figures the text states, by kind.")
    category: str = Field(
        description="One category id from the instructions.", json_schema_extra=_category_ids
    )
    leadership: Literal["little", "big"] = Field(
        description="big when they led an initiative or hold a role; else little."
    )
    occurred_on: str | None = Field(
        description="The date the text names as YYYY-MM-DD; null when it names none."
    )


# --- the parsers -------------------------------------------------------------------------------


class OpenAIWinParser:
    """A ``WinParser`` backed by a language model through the shared boundary (``StructuredLLM``).

    Args:
        llm: The model boundary, shared with the coach and the summary polisher.
    """

    name = "openai"

    def __init__(self, *, llm: StructuredLLM) -> None:
        self._llm = llm

    async def parse(self, text: str, *, today: dt.date) -> WinDraft:
        """Ask the model to read ``text`` (already redacted) and check its answer.

        Raises:
            LLMUnavailable: The model refused, was cut off, timed out, failed, or answered
                something that does not pass the checks described in the module docstring.
        """
        output = await self._llm.ask(
            system=render_system_prompt(),
            user=render_user_prompt(text, today=today),
            response_format=WinOutput,
        )
        return to_win_draft(output, text, today=today)


class FallbackWinParser:
    """A ``WinParser`` that reads with ``primary`` when it can and with ``fallback`` otherwise.

    Any failure of the primary (an ``LLMUnavailable``, running past ``timeout_s``, an invalid
    answer, any other exception) gives the fallback's reading instead (``bot.llm.fallback``).

    Args:
        primary: The preferred parser (``OpenAIWinParser``).
        fallback: The parser that always answers (``OfflineWinParser``).
        timeout_s: The whole budget for the primary's reading, retries included.

    Raises:
        ValueError: ``timeout_s`` is not positive.
    """

    def __init__(self, *, primary: WinParser, fallback: WinParser, timeout_s: float) -> None:
        self._guard = Fallback(use=f"win parser {primary.name}", timeout_s=timeout_s)
        self.primary = primary
        self.fallback = fallback
        self.timeout_s = timeout_s
        # Not "offline": the service then redacts and checks what comes back, which is right
        # whenever a model may have written it.
        self.name = primary.name

    async def parse(self, text: str, *, today: dt.date) -> WinDraft:
        """Return the primary's reading, or the fallback's when the primary fails or is late."""
        return await self._guard.run(
            lambda: self.primary.parse(text, today=today),
            lambda: self.fallback.parse(text, today=today),
        )


# --- prompts -----------------------------------------------------------------------------------


def render_system_prompt() -> str:
    """Render ``prompts/win_parse_system.md`` with the category ids and figure kinds."""
    category_lines = "\n".join(f"   - {c.id}: {c.label}" for c in categories())
    kind_lines = "\n".join(f"   - {kind}: {label}" for kind, label in kind_labels().items())
    return render(SYSTEM_PROMPT, category_ids=category_lines, figure_kinds=kind_lines)


# The user prompt's tags; the same tags inside the text are removed so it cannot close them.
_DATA_TAG = re.compile(r"<\s*/?\s*win\b[^<>]*>", re.IGNORECASE)


def render_user_prompt(text: str, *, today: dt.date) -> str:
    """Render ``prompts/win_parse_user.md``: today's date, then the text inside ``<win>``."""
    return render(
        USER_PROMPT,
        today=today.isoformat(),
        weekday=today.strftime("%A"),
        text=_DATA_TAG.sub("", text).strip(),
    )


# --- checks ------------------------------------------------------------------------------------

_DIGITS = re.compile(r"\d+")


_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")


def _numbers_in(text: str) -> set[str]:
    # "1,200" and "1200" are one number; leading zeros do not make another ("07" and "7").
    plain = _THOUSANDS.sub("", text)
    return {match.lstrip("0") or "0" for match in _DIGITS.findall(plain)}


def _stated(text: str) -> set[str]:
    """The numbers ``text`` states, in digits or in words ("two" → "2")."""
    lower = text.lower()
    words = {
        str(value)
        for word, value in number_words().items()
        if re.search(rf"\b{re.escape(word)}\b", lower)
    }
    return _numbers_in(text) | words


def _optional(raw: str | None) -> str | None:
    return (flatten(raw) or None) if raw is not None else None


def _date(raw: str | None, *, today: dt.date) -> dt.date | None:
    if not raw:
        return None
    try:
        when = dt.date.fromisoformat(raw.strip())
    except ValueError:
        return None
    return when if when <= today else None


def _figures(output: WinOutput, text: str) -> dict[str, Figure]:
    numbers: dict[str, Figure] = {}
    for figure in output.numbers:
        kind = figure.kind.strip().lower()
        value: Figure = int(figure.value) if figure.value.is_integer() else figure.value
        # Several figures of one kind add up, as in the offline parser.
        numbers[kind] = numbers.get(kind, 0) + value
    return supported_figures(numbers, text)


def to_win_draft(output: WinOutput, text: str, *, today: dt.date) -> WinDraft:
    """Check and repair the model's answer and turn it into a ``WinDraft``.

    Raises:
        LLMUnavailable: With reason ``invalid`` when the answer cannot be used.
    """
    what = flatten(output.what)
    if not what:
        raise LLMUnavailable("invalid", "empty what")
    why, result = _optional(output.why), _optional(output.result)
    wording = " ".join(part for part in (what, why, result) if part)
    if len(wording) > _MAX_GROWTH_FACTOR * len(text) + _MAX_GROWTH_CHARS:
        raise LLMUnavailable("invalid", "wording much longer than the text")
    invented = _numbers_in(wording) - _stated(text)
    if invented:
        raise LLMUnavailable("invalid", f"{len(invented)} number(s) not in the text")

    category = re.sub(r"[\s-]+", "_", output.category.strip().lower())
    matched = category in category_ids()
    if not matched:
        category = guess_category(text)[0]
    leadership = output.leadership if output.leadership in LEADERSHIP_LEVELS else "little"
    return WinDraft(
        what=what,
        why=why,
        result=result,
        numbers=_figures(output, text),
        category=category,
        category_matched=matched,
        leadership=leadership,
        occurred_on=_date(output.occurred_on, today=today),
    )
