"""Win categories: ids, labels and the cue words that suggest them (data in prompts/wins.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from bot.errors import UserError
from bot.prompts import PromptError, load_yaml

WINS_FILE = "wins.yaml"

TRAINED = "trained_mentored"
PROCESS = "process_improvement"
COVERED = "covered_shortage"
RELATIONSHIPS = "relationships"
GO_TO = "go_to_person"
CAUGHT_ERROR = "caught_error"
CERTIFICATION = "certification_education"
INVOLVEMENT = "involvement"
RECOGNITION = "recognition"

LEADERSHIP_LEVELS = ("little", "big")


@dataclass(frozen=True)
class Category:
    """One win category.

    Attributes:
        id: Stable id stored in ``wins.category``.
        label: What a person reads.
        cues: Lower-case words and phrases that suggest the category.
        weight: What one cue found in a win scores for this category.
        phrase: How a sentence names the category ("training and mentoring").
    """

    id: str
    label: str
    cues: tuple[str, ...]
    weight: int = 1
    phrase: str = ""


def wins_data() -> dict[str, Any]:
    """Return the parsed prompts/wins.yaml (cached by the loader)."""
    data = load_yaml(WINS_FILE)
    if not isinstance(data, dict):
        raise PromptError(f"{WINS_FILE} must be a mapping")
    return data


@cache
def categories() -> tuple[Category, ...]:
    """Return every category in display order."""
    return tuple(
        Category(
            id=str(item["id"]),
            label=str(item["label"]),
            cues=tuple(str(cue).lower() for cue in item.get("cues", ())),
            weight=int(item.get("weight", 1)),
            phrase=str(item.get("phrase") or item["label"]).lower(),
        )
        for item in wins_data()["categories"]
    )


def category_ids() -> tuple[str, ...]:
    """Return the category ids in display order."""
    return tuple(category.id for category in categories())


def fallback_category() -> str:
    """Return the category used when no cue matches."""
    return str(wins_data()["fallback"])


def label(category_id: str) -> str:
    """Return the label of ``category_id`` (the id itself for an unknown one)."""
    for category in categories():
        if category.id == category_id:
            return category.label
    return category_id


def _normalise(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def resolve_category(text: str) -> str:
    """Return the category id a person meant by ``text``: an id, a label, or a clear prefix.

    Raises:
        UserError: ``text`` names no category, or more than one; the message lists the ids.
    """
    wanted = _normalise(text)
    if wanted:
        for category in categories():
            if wanted in (_normalise(category.id), _normalise(category.label)):
                return category.id
        matches = [
            category.id
            for category in categories()
            if _normalise(category.id).startswith(wanted)
            or _normalise(category.label).startswith(wanted)
        ]
        if len(matches) == 1:
            return matches[0]
    raise UserError(f"unknown category {text!r}: use one of {', '.join(category_ids())}")


def resolve_leadership(text: str) -> str:
    """Return ``little`` or ``big`` for what a person typed (``l``/``b`` and case allowed).

    Raises:
        UserError: ``text`` is neither.
    """
    wanted = text.strip().lower().removesuffix("-l")
    for level in LEADERSHIP_LEVELS:
        if wanted and level.startswith(wanted):
            return level
    raise UserError(f"unknown leadership {text!r}: use little or big")
