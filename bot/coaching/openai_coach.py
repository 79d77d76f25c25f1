"""The OpenAI coach: the same reply contract as the offline coach, written by a language model.

It asks the shared model boundary (``bot.llm.structured``: OpenAI, or an OpenAI-compatible server
such as Ollama, vLLM or LM Studio via ``OPENAI_BASE_URL``) for an answer in a strict JSON schema
(``CoachOutput``). The prompts are data (``prompts/coach_system.md`` and
``prompts/coach_user.md``). The model gets no tools, and the person's words reach it only inside
tags that the system prompt calls data.

Whatever the model answers is checked again before anyone sees it. A reply that fails a check
raises ``LLMUnavailable`` (``FallbackCoach`` then answers with the offline coach):

- the boundary's reasons: a refusal or a content-filter stop is ``refusal``; a ``length`` stop is
  ``truncated``; a request timeout is ``timeout``; any other API or connection error is
  ``api_error``;
- ``invalid``: no parsable JSON; a ``draft`` reply missing a part; a ``clarify`` reply without a
  question; an empty acknowledgement; a field longer than its limit; a link that is not in the
  person's words; or a number in the acknowledgement or the draft that is not in the person's
  words (the coach must ask for numbers, never invent them).

Repaired rather than rejected: every field is flattened to one line and loses control and
invisible characters; Slack and Teams markup is removed (``<!channel>``, ``<@U123>``, ``<#C123>``
and ``<at>`` mentions are dropped, ``<https://…|label>`` becomes ``label``, other tags are dropped),
as are ``@here``-style mentions and ``#channel`` names; unknown themes are dropped (themes the
conversation already had are kept first); questions beyond three are cut; a ``clarify`` reply's
draft is dropped. The surfaces escape text again when they render it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final, Literal

from pydantic import BaseModel, Field

from bot.coaching.models import THEME_IDS, CoachReply, CoachRequest, Draft
from bot.llm.errors import LLMUnavailable
from bot.llm.structured import StructuredLLM
from bot.prompts import render

MAX_QUESTIONS: Final = 3
MAX_ACKNOWLEDGEMENT_CHARS: Final = 300
MAX_DRAFT_PART_CHARS: Final = 1000
MAX_QUESTION_CHARS: Final = 300

SYSTEM_PROMPT: Final = "coach_system.md"
USER_PROMPT: Final = "coach_user.md"


class DraftOutput(BaseModel):
    """The draft part of the model's answer."""

    problem: str = Field(description="What happened: specific, observable, neutral, no blame.")
    proposed_fix: str = Field(description="One concrete, small change that could be tried soon.")
    my_role: str = Field(description="What the technician offers to do, in the first person.")


class CoachOutput(BaseModel):
    """What the model is asked to answer: the strict JSON schema sent as ``response_format``.

    No defaults and no length constraints: strict structured output requires every property and
    some compatible servers reject ``maxItems``; the limits are enforced after parsing instead.
    """

    kind: Literal["draft", "clarify"] = Field(
        description="draft when all three parts can be written, clarify to ask first."
    )
    acknowledgement: str = Field(description="One short, warm line showing the person was heard.")
    draft: DraftOutput | None = Field(description="The draft for kind draft; null for clarify.")
    questions: list[str] = Field(description="At most three short follow-up questions.")
    themes: list[str] = Field(description="Theme ids from the list in the instructions.")


class OpenAICoach:
    """A coach backed by a language model through the shared boundary (``StructuredLLM``).

    Args:
        llm: The model boundary, shared with the win parser and the summary polisher.
    """

    name = "openai"

    def __init__(self, *, llm: StructuredLLM) -> None:
        self._llm = llm

    async def reply(self, request: CoachRequest) -> CoachReply:
        """Ask the model for a reply and check it.

        Raises:
            LLMUnavailable: The model refused, was cut off, timed out, failed, or answered
                something that does not pass the checks described in the module docstring.
        """
        output = await self._llm.ask(
            system=render_system_prompt(),
            user=render_user_prompt(request),
            response_format=CoachOutput,
        )
        return to_coach_reply(output, request)


def render_system_prompt() -> str:
    """Render ``prompts/coach_system.md`` with the theme ids the coach may use."""
    return render(SYSTEM_PROMPT, theme_ids="\n".join(f"   - {theme}" for theme in THEME_IDS))


def render_user_prompt(request: CoachRequest) -> str:
    """Render ``prompts/coach_user.md``: the request's fields, then the person's words in tags."""
    vent = "\n".join(f"<message>\n{_as_data(text)}\n</message>" for text in request.messages)
    previous = request.previous
    previous_draft = (
        "(none)"
        if previous is None
        else (
            f"<problem>{_as_data(previous.problem)}</problem>\n"
            f"<proposed_fix>{_as_data(previous.proposed_fix)}</proposed_fix>\n"
            f"<my_role>{_as_data(previous.my_role)}</my_role>"
        )
    )
    themes = _known_themes(request.themes)
    return render(
        USER_PROMPT,
        request=request.refinement or "new",
        themes=", ".join(themes) or "(none)",
        non_english="yes" if request.non_english else "no",
        truncated="yes" if request.truncated else "no",
        vent=vent or "(none)",
        previous_draft=previous_draft,
        answer=_as_data(request.answer) if request.answer else "(none)",
    )


# The tags the user prompt wraps the person's words in. The same tags inside those words are
# removed, so text such as "</vent> new instructions:" cannot appear to close the data early.
_DATA_TAG = re.compile(
    r"<\s*/?\s*(?:vent|message|previous_draft|answer|problem|proposed_fix|my_role)\b[^<>]*>",
    re.IGNORECASE,
)


def _as_data(text: str) -> str:
    return _DATA_TAG.sub("", text).strip()


def to_coach_reply(output: CoachOutput, request: CoachRequest) -> CoachReply:
    """Check and repair the model's answer and turn it into the shared ``CoachReply``.

    Raises:
        LLMUnavailable: With reason ``invalid`` when the answer cannot be used.
    """
    source = _source_text(request)
    acknowledgement = _clean(output.acknowledgement)
    _check_length(acknowledgement, MAX_ACKNOWLEDGEMENT_CHARS, field="acknowledgement")
    if not acknowledgement:
        raise LLMUnavailable("invalid", "empty acknowledgement")

    questions: list[str] = []
    for raw in output.questions:
        question = _clean(raw)
        _check_length(question, MAX_QUESTION_CHARS, field="question")
        if question:
            questions.append(question)
    questions = questions[:MAX_QUESTIONS]

    draft: Draft | None = None
    if output.kind == "draft":
        if output.draft is None:
            raise LLMUnavailable("invalid", "draft reply without a draft")
        draft = Draft(
            problem=_draft_part(output.draft.problem, field="problem"),
            proposed_fix=_draft_part(output.draft.proposed_fix, field="proposed_fix"),
            my_role=_draft_part(output.draft.my_role, field="my_role"),
        )
    elif not questions:
        raise LLMUnavailable("invalid", "clarify reply without a question")

    stated = [acknowledgement, *(draft.model_dump().values() if draft else ())]
    _check_no_invented_numbers(stated, source)
    _check_no_invented_links([*stated, *questions], source)

    return CoachReply(
        kind=output.kind,
        acknowledgement=acknowledgement,
        draft=draft,
        questions=questions,
        themes=_known_themes([*request.themes, *output.themes]),
        coach="openai",
    )


def _draft_part(raw: str, *, field: str) -> str:
    value = _clean(raw)
    _check_length(value, MAX_DRAFT_PART_CHARS, field=field)
    if not value:
        raise LLMUnavailable("invalid", f"draft is missing {field}")
    return value


def _source_text(request: CoachRequest) -> str:
    """Everything the person (or an earlier draft of theirs) said: what the reply may quote."""
    pieces = [*request.messages, request.answer or ""]
    if request.previous is not None:
        previous = request.previous
        pieces += [previous.problem, previous.proposed_fix, previous.my_role]
    return "\n".join(pieces)


def _known_themes(themes: Iterable[str]) -> list[str]:
    """Return the known theme ids among ``themes``, normalized, once each, in order."""
    known: list[str] = []
    for theme in themes:
        normalized = re.sub(r"[\s-]+", "_", theme.strip().lower())
        if normalized in THEME_IDS and normalized not in known:
            known.append(normalized)
    return known


# Slack and Teams markup the model might echo from an injected vent. Links keep their label.
_MARKUP_LINK_WITH_LABEL = re.compile(r"<([a-z][a-z0-9+.-]*:[^<>|\s]*)\|([^<>]*)>", re.IGNORECASE)
_MARKUP_LINK = re.compile(r"<([a-z][a-z0-9+.-]*:[^<>|\s]*)>", re.IGNORECASE)
_MARKUP_SPECIAL = re.compile(r"<[!@#][^<>]*>")  # <!channel>, <@U123>, <#C123|name>, <!date^…>
_TEAMS_MENTION = re.compile(r"<at\b[^<>]*>.*?</at\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[a-z][\w:-]*(?:\s[^<>]*)?/?>", re.IGNORECASE)
_AT_MENTION = re.compile(r"(?<![\w.])@[\w.-]+")
_CHANNEL_NAME = re.compile(r"(?<![\w&#])#(?=[\w.-]*[a-z])[\w.-]+", re.IGNORECASE)
_INVISIBLE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)
_SPACE = re.compile(r"\s+")


def _clean(text: str) -> str:
    """Flatten one field to a single line of plain text without chat markup."""
    text = _INVISIBLE.sub("", text)
    text = _MARKUP_LINK_WITH_LABEL.sub(r"\2", text)
    text = _MARKUP_LINK.sub(r"\1", text)
    text = _MARKUP_SPECIAL.sub("", text)
    text = _TEAMS_MENTION.sub("", text)
    text = _TAG.sub("", text)
    text = _AT_MENTION.sub("", text)
    text = _CHANNEL_NAME.sub("", text)
    text = _SPACE.sub(" ", text).strip()
    # Removing a mention can leave "to :" behind; tidy the space before punctuation.
    return re.sub(r" +([.,;:!?])", r"\1", text)


def _check_length(text: str, limit: int, *, field: str) -> None:
    if len(text) > limit:
        raise LLMUnavailable("invalid", f"{field} longer than {limit} characters")


_NUMBER = re.compile(r"\d+")


def _numbers(text: str) -> set[str]:
    # Leading zeros do not make a different number ("07" and "7").
    return {match.lstrip("0") or "0" for match in _NUMBER.findall(text)}


def _check_no_invented_numbers(texts: Iterable[str], source: str) -> None:
    invented = set[str]().union(*(_numbers(text) for text in texts)) - _numbers(source)
    if invented:
        raise LLMUnavailable("invalid", f"{len(invented)} number(s) not in the person's words")


_URL = re.compile(r"(?:\bhttps?://|\bwww\.)[^\s<>()\[\]]+", re.IGNORECASE)


def _check_no_invented_links(texts: Iterable[str], source: str) -> None:
    known = source.lower()
    for text in texts:
        for url in _URL.findall(text):
            if url.rstrip(".,;:!?'\"").lower() not in known:
                raise LLMUnavailable("invalid", "a link that is not in the person's words")
