"""Adaptive Card primitives: the card itself, text, facts, inputs and actions.

Every helper returns a plain JSON-ready dict (schema 1.5, the version Teams renders). Text a
person or a model wrote goes in through :func:`text_block` with ``user=True`` (escaped and cut
here); our own Markdown, which must already have escaped any user text it embeds, with
``user=False``. Every ``TextBlock`` wraps.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from bot.teams import verbs
from bot.teams.cards.text import cut, fit, one_line

Card = dict[str, Any]
"""An Adaptive Card as JSON."""
Element = dict[str, Any]
"""One card element, input, action or choice as JSON."""

SCHEMA: Final = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION: Final = "1.5"
CONTENT_TYPE: Final = "application/vnd.microsoft.card.adaptive"
MAX_CARD_BYTES: Final = 26_000
"""Our cap on a card's compact JSON: Teams refuses a message over about 28 KB, and the activity
around the card needs the rest."""
TEXT: Final = 2000
"""Default budget (JSON bytes) of one TextBlock."""
LINE: Final = 400
"""Budget of one bullet line."""
TITLE: Final = 200
"""Budget of a heading, a label, a button title or a choice title."""


def card(body: Iterable[Element], actions: Iterable[Element] = ()) -> Card:
    """Return an Adaptive Card with ``body`` and card-level ``actions``."""
    return {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": VERSION,
        "body": list(body),
        "actions": list(actions),
    }


def card_attachment(card: Card) -> dict[str, Any]:
    """Return ``card`` as a message attachment (``{"contentType": …, "content": card}``)."""
    return {"contentType": CONTENT_TYPE, "content": card}


def card_size(card: Card) -> int:
    """Return the size in bytes of ``card`` as the Teams SDK sends it (compact UTF-8 JSON)."""
    return len(json.dumps(card, ensure_ascii=False, separators=(",", ":")).encode())


# --- text -------------------------------------------------------------------------------------


def text_block(
    value: str,
    *,
    user: bool = True,
    budget: int = TEXT,
    size: str | None = None,
    weight: str | None = None,
    color: str | None = None,
    subtle: bool = False,
    spacing: str | None = None,
    separator: bool = False,
) -> Element:
    """Return a wrapping ``TextBlock``.

    Args:
        value: The text.
        user: True for text a person or a model wrote (escaped here); False for our own
            Markdown, which must already have escaped any user text it embeds.
        budget: The most JSON bytes the text may take; longer text is cut with "…".
        size: ``Small`` … ``ExtraLarge``.
        weight: ``Lighter``, ``Default`` or ``Bolder``.
        color: ``Good``, ``Warning``, ``Attention`` …
        subtle: Dimmed text.
        spacing: Space above (``None``, ``Small`` …).
        separator: Draw a line above.
    """
    shown = fit(value, budget) if user else cut(value.strip(), budget)
    block: Element = {"type": "TextBlock", "text": shown or " ", "wrap": True}
    for key, setting in (("size", size), ("weight", weight), ("color", color)):
        if setting is not None:
            block[key] = setting
    if subtle:
        block["isSubtle"] = True
    if spacing is not None:
        block["spacing"] = spacing
    if separator:
        block["separator"] = True
    return block


def heading(value: str) -> Element:
    """Return a card's title line (our own text, large and bold)."""
    return text_block(value, user=False, budget=TITLE, size="Medium", weight="Bolder")


def label(value: str, *, separator: bool = False) -> Element:
    """Return a bold section label (our own text)."""
    return text_block(value, user=False, budget=TITLE, weight="Bolder", separator=separator)


def bullet(value: str, *, user: bool = True, budget: int = LINE) -> Element:
    """Return one "• …" line; user text is flattened to one line and escaped."""
    # The bullet goes in before escaping: after it, "#12" or "- 3" cannot start a list.
    line = fit(f"• {one_line(value)}", budget) if user else cut(f"• {value.strip()}", budget)
    return {"type": "TextBlock", "text": line, "wrap": True, "spacing": "Small"}


def note(value: str, *, user: bool = False) -> Element:
    """Return small, dimmed text (hints, privacy notes)."""
    return text_block(value, user=user, size="Small", subtle=True)


def error(message: str) -> Element:
    """Return a problem to fix, in the attention colour (the message is escaped)."""
    return text_block(f"⚠️ {message.strip()}", color="Attention", weight="Bolder")


def facts(pairs: Sequence[tuple[str, str]], *, budget: int = LINE) -> Element:
    """Return a ``FactSet``: titles are ours, values are user text (escaped, one line)."""
    return {
        "type": "FactSet",
        "facts": [
            {"title": cut(title, TITLE), "value": fit(one_line(value), budget) or "—"}
            for title, value in pairs
        ],
    }


def container(items: Iterable[Element], *, style: str | None = None) -> Element:
    """Return a ``Container`` of ``items`` (``style``: ``emphasis``, ``good``, ``attention`` …)."""
    block: Element = {"type": "Container", "items": list(items)}
    if style is not None:
        block["style"] = style
    return block


# --- actions ----------------------------------------------------------------------------------


def execute(
    title: str, verb: str, data: Mapping[str, Any] | None = None, *, style: str | None = None
) -> Element:
    """Return an ``Action.Execute`` button; inputs are added to ``data`` when it is clicked.

    Args:
        title: The button's text.
        verb: One of :mod:`bot.teams.verbs`.
        data: The keys the handler reads (see :mod:`bot.teams.verbs`).
        style: ``positive`` (primary) or ``destructive``.
    """
    action: Element = {
        "type": "Action.Execute",
        "title": cut(title, TITLE),
        "verb": verb,
        "data": dict(data or {}),
    }
    if style is not None:
        action["style"] = style
    return action


def submit(title: str, data: Mapping[str, Any], *, style: str | None = "positive") -> Element:
    """Return an ``Action.Submit`` (a dialog's own button, or one that opens a dialog)."""
    action: Element = {"type": "Action.Submit", "title": cut(title, TITLE), "data": dict(data)}
    if style is not None:
        action["style"] = style
    return action


def log_win(source: str, *, title: str = "Log a win", style: str | None = "positive") -> Element:
    """Return the button that opens the "Log a win" dialog (``task/fetch``).

    Args:
        source: ``nudge`` on a nudge card, else ``form``.
        title: The button's text.
        style: ``positive`` unless another button is the main one.
    """
    data = {"msteams": {"type": "task/fetch"}, "verb": verbs.WIN_OPEN, verbs.SOURCE: source}
    return submit(title, data, style=style)


def show_card(title: str, inner: Card) -> Element:
    """Return an ``Action.ShowCard`` that unfolds ``inner`` below the buttons."""
    return {"type": "Action.ShowCard", "title": cut(title, TITLE), "card": inner}


def action_set(*actions: Element) -> Element:
    """Return an ``ActionSet``: a row of buttons inside the body."""
    return {"type": "ActionSet", "actions": list(actions)}


# --- inputs -----------------------------------------------------------------------------------


def _input(kind: str, input_id: str, title: str | None, required: bool) -> Element:
    element: Element = {"type": kind, "id": input_id}
    if title:
        element["label"] = cut(title, TITLE)
    if required:
        element["isRequired"] = True
    return element


def text_input(
    input_id: str,
    title: str,
    *,
    value: str | None = None,
    multiline: bool = False,
    max_length: int = 3000,
    placeholder: str | None = None,
    required: bool = False,
    error_message: str | None = None,
    budget: int | None = None,
) -> Element:
    """Return an ``Input.Text``; ``value`` is prefilled, cut to ``budget`` JSON bytes.

    Args:
        input_id: The key the value arrives under.
        title: The label.
        value: Prefilled text (plain: inputs show text as it is, no escaping).
        multiline: A multi-line box.
        max_length: The most characters a person may type.
        placeholder: Grey example text.
        required: Teams refuses to submit it empty.
        error_message: Shown when ``required`` and empty.
        budget: The most JSON bytes of ``value`` (default ``max_length``).
    """
    element = _input("Input.Text", input_id, title, required)
    element["isMultiline"] = multiline
    element["maxLength"] = max_length
    if value and value.strip():
        # Bytes are never fewer than characters, so the cut also respects max_length.
        element["value"] = cut(value.strip(), min(budget or max_length, max_length))
    if placeholder:
        element["placeholder"] = cut(placeholder, TITLE)
    if error_message:
        element["errorMessage"] = cut(error_message, TITLE)
    return element


def toggle(input_id: str, title: str, *, on: bool, label: str | None = None) -> Element:
    """Return an ``Input.Toggle`` that submits ``"true"`` or ``"false"``."""
    element = _input("Input.Toggle", input_id, label, False)
    element.update(
        {
            "title": cut(title, TEXT),
            "value": "true" if on else "false",
            "valueOn": "true",
            "valueOff": "false",
            "wrap": True,
        }
    )
    return element


def choice_set(
    input_id: str,
    title: str,
    choices: Sequence[tuple[str, str]],
    *,
    value: str | None = None,
    style: str = "compact",
    placeholder: str | None = None,
    required: bool = False,
) -> Element:
    """Return a single-choice ``Input.ChoiceSet``.

    Args:
        input_id: The key the value arrives under.
        title: The label.
        choices: ``(title, value)`` pairs, in order.
        value: The preselected value; ignored unless it is one of the choices.
        style: ``compact`` (drop-down), ``expanded`` (radio buttons) or ``filtered`` (type to
            search).
        placeholder: Shown while nothing is chosen.
        required: Teams refuses to submit it empty.
    """
    element = _input("Input.ChoiceSet", input_id, title, required)
    element["style"] = style
    element["choices"] = [
        {"title": cut(choice, TITLE), "value": choice_value} for choice, choice_value in choices
    ]
    if value is not None and any(choice_value == value for _, choice_value in choices):
        element["value"] = value
    if placeholder:
        element["placeholder"] = cut(placeholder, TITLE)
    return element


def date_input(
    input_id: str,
    title: str,
    *,
    value: str | None = None,
    minimum: str | None = None,
    maximum: str | None = None,
    required: bool = False,
) -> Element:
    """Return an ``Input.Date`` (values and bounds as ``YYYY-MM-DD``)."""
    element = _input("Input.Date", input_id, title, required)
    for key, setting in (("value", value), ("min", minimum), ("max", maximum)):
        if setting:
            element[key] = setting
    return element


def time_input(input_id: str, title: str, *, value: str, required: bool = False) -> Element:
    """Return an ``Input.Time`` (``HH:MM``, 24-hour)."""
    element = _input("Input.Time", input_id, title, required)
    element["value"] = value
    return element
