"""Checks every Teams card test shares: the SDK's own card model, strictly, and the size limit.

The SDK's ``AdaptiveCard`` accepts any dict as a body element (its base classes allow extra
keys), so :func:`assert_valid_card` also validates every element against the SDK class its
``type`` names and refuses keys that class does not know: a misspelt ``isMultline`` or a colour
Teams does not have fails here rather than silently in a client.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from microsoft_teams.cards import AdaptiveCard
from microsoft_teams.cards import core as sdk

TEAMS_LIMIT = 28 * 1024
HOSTILE = "[x](http://evil) **bold** _it_ <at>Boss</at> <https://evil.example> `code`"
EXTRA_KEYS = {"$schema"}


def _classes(base: type[sdk.SerializableObject]) -> dict[str, type[sdk.SerializableObject]]:
    found: dict[str, type[sdk.SerializableObject]] = {}
    for cls in base.__subclasses__():
        kind = cls.model_fields.get("type")
        if kind is not None and isinstance(kind.default, str):
            found[kind.default] = cls
        found.update(_classes(cls))
    return found


SDK_TYPES = {**_classes(sdk.CardElement), **_classes(sdk.Action)}


def _aliases(cls: type[sdk.SerializableObject]) -> set[str]:
    names = set()
    for name, info in cls.model_fields.items():
        names.add(info.alias or sdk.SerializableObject.serialization_alias_generator(name))
    return names


def walk(node: Any) -> Iterator[dict[str, Any]]:
    """Yield every dict inside ``node`` (the node itself first), but not inside action data."""
    if isinstance(node, dict):
        yield node
        for key, value in node.items():
            if key != "data":
                yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


def elements(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Return every element, input and action of ``card`` (nested ones too)."""
    return [node for node in walk(card) if isinstance(node.get("type"), str)]


def of_type(card: dict[str, Any], *kinds: str) -> list[dict[str, Any]]:
    return [node for node in elements(card) if node["type"] in kinds]


def actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [node for node in elements(card) if node["type"].startswith("Action.")]


def by_verb(card: dict[str, Any], verb: str) -> list[dict[str, Any]]:
    return [
        action
        for action in actions(card)
        if action.get("verb") == verb or (action.get("data") or {}).get("verb") == verb
    ]


def inputs(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {node["id"]: node for node in elements(card) if node["type"].startswith("Input.")}


def texts(card: dict[str, Any]) -> list[str]:
    """Return the text of every TextBlock and every fact value, in order."""
    found = [node["text"] for node in of_type(card, "TextBlock")]
    for fact_set in of_type(card, "FactSet"):
        found += [f"{fact['title']} {fact['value']}" for fact in fact_set["facts"]]
    return found


def body_text(card: dict[str, Any]) -> str:
    return "\n".join(texts(card))


def size(card: dict[str, Any]) -> int:
    return len(json.dumps(card, ensure_ascii=False, separators=(",", ":")).encode())


def verbs_of(node: Any) -> list[str]:
    return sorted(
        str(item.get("verb") or (item.get("data") or {}).get("verb"))
        for item in walk(node)
        if str(item.get("type", "")).startswith("Action.")
    )


def assert_valid_card(card: dict[str, Any]) -> None:
    """Assert that ``card`` is a card the Teams SDK takes, strictly, and small enough to send."""
    assert card["type"] == "AdaptiveCard"
    assert card["version"] == "1.5"
    model = AdaptiveCard.model_validate(card)
    dumped = model.model_dump(by_alias=True, exclude_none=True)
    assert verbs_of(dumped) == verbs_of(card)
    assert dumped == card
    ids: list[str] = []
    for node in elements(card):
        cls = SDK_TYPES.get(node["type"])
        assert cls is not None, f"unknown element type {node['type']!r}"
        cls.model_validate(node)  # literal fields: colours, styles, sizes …
        unknown = set(node) - _aliases(cls) - EXTRA_KEYS
        assert not unknown, f"{node['type']} has unknown keys {unknown}"
        if node["type"] == "TextBlock":
            assert node["wrap"] is True
            assert node["text"].strip()
        if node["type"].startswith("Input."):
            ids.append(node["id"])
        if node["type"] == "Input.ChoiceSet" and "value" in node:
            assert node["value"] in {choice["value"] for choice in node["choices"]}
        if node["type"] == "Action.Execute":
            assert node["verb"]
            assert isinstance(node["data"], dict)
    assert len(ids) == len(set(ids)), f"duplicate input ids {ids}"
    assert size(card) < TEAMS_LIMIT


def assert_hostile_escaped(card: dict[str, Any], *, expected: int = 1) -> None:
    """Assert that :data:`HOSTILE` shows at least ``expected`` times, every time inert.

    Inert: no link (``](`` kept apart), no bold or italic, no code, no mention, no autolink.
    """
    shown = [value for value in texts(card) if "evil" in value]
    assert len(shown) >= expected, shown
    for value in shown:
        assert not re.search(r"\]\s*\(", value), value
        assert "<at>" not in value and "<https" not in value, value
        assert not re.search(r"(?<!\\)`", value), value
        if "bold" in value:
            assert "\\*\\*bold\\*\\*" in value, value
        if "_it" in value:
            assert "\\_it\\_" in value, value
