"""Block Kit primitives: the message type, Slack's limits, and small element constructors.

Every constructor here enforces the limit of the field it fills, so a builder that uses them
cannot produce a payload Slack would reject for length. Text that came from a person or a model
goes in through :func:`section`/:func:`context` with ``user=True`` (escaped here); our own markup,
which may carry mrkdwn on purpose and escapes any user text it embeds, with ``user=False``. Every
``mrkdwn`` object is ``verbatim`` (no auto-linking of URLs, channel names or mentions) unless a
builder turns that off for trusted text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from bot.slack.mrkdwn import escape, fit, one_line, plain, truncate

Block = dict[str, Any]
"""One Block Kit block (or element) as the Web API takes it."""
View = dict[str, Any]
"""A modal or Home tab view object, as ``views.open``/``views.publish`` take it."""

# Limits from the Block Kit reference (docs.slack.dev/reference/block-kit).
SECTION_TEXT: Final = 3000
SECTION_FIELD: Final = 2000
SECTION_FIELDS: Final = 10
HEADER_TEXT: Final = 150
CONTEXT_ELEMENTS: Final = 10
CONTEXT_TEXT: Final = 2000  # not documented separately; kept well under the text object's 3000
ACTIONS_ELEMENTS: Final = 25
BUTTON_TEXT: Final = 75
BUTTON_VALUE: Final = 2000
ACCESSIBILITY_LABEL: Final = 75
ACTION_ID: Final = 255
BLOCK_ID: Final = 255
MESSAGE_BLOCKS: Final = 50
VIEW_BLOCKS: Final = 100
MODAL_TITLE: Final = 24
MODAL_BUTTON: Final = 24
PRIVATE_METADATA: Final = 3000
CALLBACK_ID: Final = 255
INPUT_LABEL: Final = 2000
INPUT_HINT: Final = 2000
PLACEHOLDER: Final = 150
OPTION_TEXT: Final = 75
OPTION_VALUE: Final = 150
OPTION_DESCRIPTION: Final = 75
SELECT_OPTIONS: Final = 100
RADIO_OPTIONS: Final = 10
TEXT_INPUT_MAX: Final = 3000
FALLBACK_TEXT: Final = 3000
"""Our cap on a message's top-level ``text``: enough for a notification or a screen reader."""


@dataclass(frozen=True)
class SlackMessage:
    """A message ready for ``chat.postMessage``/``chat.postEphemeral``/``say``.

    Attributes:
        text: The plain-language fallback Slack shows in notifications and reads to screen
            readers (already escaped: Slack parses it as mrkdwn).
        blocks: The Block Kit blocks.
    """

    text: str
    blocks: list[Block] = field(default_factory=list)

    def as_kwargs(self) -> dict[str, Any]:
        """Return ``{"text": …, "blocks": …}`` for ``say(**message.as_kwargs())``."""
        return {"text": self.text, "blocks": self.blocks}


def fallback(*parts: str | None) -> str:
    """Return a one-line, escaped notification text made of the non-empty ``parts``."""
    joined = " ".join(one_line(part) for part in parts if part and part.strip())
    return truncate(escape(joined), FALLBACK_TEXT)


def _id(value: str, limit: int, what: str) -> str:
    # Ids and values come from code, not people: a long one is a bug, and cutting it would
    # silently point at the wrong thing, so refuse instead.
    if not value or len(value) > limit:
        raise ValueError(f"{what} must be 1 to {limit} characters, got {len(value)}")
    return value


def plain_text(text: str, limit: int) -> Block:
    """Return a ``plain_text`` text object (cut to ``limit``; emoji shortcodes allowed)."""
    return {"type": "plain_text", "text": plain(text, limit) or " ", "emoji": True}


def mrkdwn_text(
    text: str, *, limit: int = SECTION_TEXT, user: bool = True, verbatim: bool = True
) -> Block:
    """Return a ``mrkdwn`` text object.

    Args:
        text: The text.
        limit: The field's maximum length.
        user: True for text a person or a model wrote, which is escaped here. False for our own
            markup (which must already have escaped any user text it embeds).
        verbatim: Keep Slack from auto-linking URLs, channel names and mentions in the plain
            text (our own ``<@U…>``/``<#C…>`` still work). Off only for trusted, fixed text whose
            links should be clickable, such as the crisis resources.
    """
    body = fit(text, limit) if user else truncate(text.strip(), limit)
    block: Block = {"type": "mrkdwn", "text": body or " "}
    if verbatim:
        block["verbatim"] = True
    return block


def section(
    text: str,
    *,
    user: bool = True,
    verbatim: bool = True,
    accessory: Block | None = None,
    block_id: str | None = None,
) -> Block:
    """Return a section block with one mrkdwn text (see :func:`mrkdwn_text`)."""
    block: Block = {"type": "section", "text": mrkdwn_text(text, user=user, verbatim=verbatim)}
    if accessory is not None:
        block["accessory"] = accessory
    if block_id is not None:
        block["block_id"] = _id(block_id, BLOCK_ID, "block_id")
    return block


def labelled(label: str, body: str, *, limit: int = SECTION_TEXT) -> Block:
    """Return a section: ``*label*`` (ours) on one line, then ``body`` (user text, escaped)."""
    head = f"*{escape(label)}*\n"
    return {
        "type": "section",
        "text": {
            "type": "mrkdwn",
            "text": head + (fit(body, limit - len(head)) or "—"),
            "verbatim": True,
        },
    }


def fields_section(items: Sequence[str], *, user: bool = True) -> Block:
    """Return a section of up to 10 short mrkdwn fields (two columns on desktop)."""
    return {
        "type": "section",
        "fields": [
            mrkdwn_text(item, limit=SECTION_FIELD, user=user) for item in items[:SECTION_FIELDS]
        ],
    }


def header(text: str) -> Block:
    """Return a header block (plain text, large and bold)."""
    return {"type": "header", "text": plain_text(text, HEADER_TEXT)}


def divider() -> Block:
    """Return a divider block."""
    return {"type": "divider"}


def context(*texts: str, user: bool = True) -> Block:
    """Return a context block (small grey text) with up to 10 mrkdwn elements."""
    return {
        "type": "context",
        "elements": [
            mrkdwn_text(text, limit=CONTEXT_TEXT, user=user) for text in texts[:CONTEXT_ELEMENTS]
        ],
    }


def button(
    text: str,
    action_id: str,
    value: str | None = None,
    *,
    style: str | None = None,
    accessibility_label: str | None = None,
) -> Block:
    """Return a button element.

    Raises:
        ValueError: ``action_id`` or ``value`` is empty or over Slack's limit (a bug: ids and
            values come from code).
    """
    element: Block = {
        "type": "button",
        "text": plain_text(text, BUTTON_TEXT),
        "action_id": _id(action_id, ACTION_ID, "action_id"),
    }
    if value is not None:
        element["value"] = _id(value, BUTTON_VALUE, "button value")
    if style is not None:
        if style not in ("primary", "danger"):
            raise ValueError(f"unknown button style {style!r}")
        element["style"] = style
    if accessibility_label:
        element["accessibility_label"] = plain(accessibility_label, ACCESSIBILITY_LABEL)
    return element


def actions(*elements: Block, block_id: str | None = None) -> Block:
    """Return an actions block with up to 25 interactive elements."""
    if not elements or len(elements) > ACTIONS_ELEMENTS:
        raise ValueError(f"an actions block holds 1 to {ACTIONS_ELEMENTS} elements")
    block: Block = {"type": "actions", "elements": list(elements)}
    if block_id is not None:
        block["block_id"] = _id(block_id, BLOCK_ID, "block_id")
    return block


def option(text: str, value: str, *, description: str | None = None) -> Block:
    """Return an option object for a select, radio buttons or checkboxes (plain text)."""
    item: Block = {
        "text": plain_text(text, OPTION_TEXT),
        "value": _id(value, OPTION_VALUE, "value"),
    }
    if description:
        item["description"] = plain_text(description, OPTION_DESCRIPTION)
    return item


def input_block(
    block_id: str,
    label: str,
    element: Block,
    *,
    optional: bool = False,
    hint: str | None = None,
) -> Block:
    """Return an input block (modals) around ``element``."""
    block: Block = {
        "type": "input",
        "block_id": _id(block_id, BLOCK_ID, "block_id"),
        "label": plain_text(label, INPUT_LABEL),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain_text(hint, INPUT_HINT)
    return block


def text_input(
    action_id: str,
    *,
    initial: str | None = None,
    multiline: bool = False,
    max_length: int = TEXT_INPUT_MAX,
    placeholder: str | None = None,
) -> Block:
    """Return a ``plain_text_input`` element; the initial value is cut to ``max_length``."""
    if not 1 <= max_length <= TEXT_INPUT_MAX:
        raise ValueError(f"max_length must be 1 to {TEXT_INPUT_MAX}")
    element: Block = {
        "type": "plain_text_input",
        "action_id": _id(action_id, ACTION_ID, "action_id"),
        "multiline": multiline,
        "max_length": max_length,
    }
    if initial and initial.strip():
        element["initial_value"] = plain(initial, max_length)
    if placeholder:
        element["placeholder"] = plain_text(placeholder, PLACEHOLDER)
    return element


def static_select(
    action_id: str,
    options: Sequence[Block],
    *,
    initial_value: str | None = None,
    placeholder: str | None = None,
) -> Block:
    """Return a ``static_select``; ``initial_value`` selects the option with that value."""
    if not options or len(options) > SELECT_OPTIONS:
        raise ValueError(f"a static select holds 1 to {SELECT_OPTIONS} options")
    element: Block = {
        "type": "static_select",
        "action_id": _id(action_id, ACTION_ID, "action_id"),
        "options": list(options),
    }
    initial = _find(options, initial_value)
    if initial is not None:
        element["initial_option"] = initial
    if placeholder:
        element["placeholder"] = plain_text(placeholder, PLACEHOLDER)
    return element


def radio_buttons(
    action_id: str, options: Sequence[Block], *, initial_value: str | None = None
) -> Block:
    """Return a ``radio_buttons`` element (up to 10 options)."""
    if not options or len(options) > RADIO_OPTIONS:
        raise ValueError(f"radio buttons hold 1 to {RADIO_OPTIONS} options")
    element: Block = {
        "type": "radio_buttons",
        "action_id": _id(action_id, ACTION_ID, "action_id"),
        "options": list(options),
    }
    initial = _find(options, initial_value)
    if initial is not None:
        element["initial_option"] = initial
    return element


def _find(options: Iterable[Block], value: str | None) -> Block | None:
    # Slack requires initial_option to be exactly one of the options.
    if value is None:
        return None
    return next((item for item in options if item["value"] == value), None)


def modal(
    *,
    title: str,
    callback_id: str,
    blocks: list[Block],
    submit: str | None = None,
    close: str = "Cancel",
    private_metadata: str = "",
) -> View:
    """Return a modal view.

    Raises:
        ValueError: Too many blocks, or ``private_metadata``/``callback_id`` over Slack's limit
            (cutting them would corrupt what the listener reads back).
    """
    if not blocks or len(blocks) > VIEW_BLOCKS:
        raise ValueError(f"a modal holds 1 to {VIEW_BLOCKS} blocks")
    if len(private_metadata) > PRIVATE_METADATA:
        raise ValueError(f"private_metadata is limited to {PRIVATE_METADATA} characters")
    view: View = {
        "type": "modal",
        "callback_id": _id(callback_id, CALLBACK_ID, "callback_id"),
        "title": plain_text(title, MODAL_TITLE),
        "close": plain_text(close, MODAL_BUTTON),
        "blocks": blocks,
        "private_metadata": private_metadata,
    }
    if submit is not None:
        view["submit"] = plain_text(submit, MODAL_BUTTON)
    return view


def error_context(message: str) -> Block:
    """Return a context block showing a field's error (used when a modal is re-rendered)."""
    return context(f":warning: {escape(message.strip())}", user=False)


def cap_blocks(blocks: list[Block], limit: int, *, keep_last: int = 0) -> list[Block]:
    """Return ``blocks`` cut to ``limit``, keeping the last ``keep_last`` (e.g. the buttons)."""
    if len(blocks) <= limit:
        return blocks
    tail = blocks[len(blocks) - keep_last :] if keep_last else []
    return blocks[: limit - keep_last] + tail


def view_state(state_values: Mapping[str, Any], block_id: str, action_id: str) -> Mapping[str, Any]:
    """Return one element's submitted state from ``view.state.values`` (empty if absent)."""
    block = state_values.get(block_id)
    if not isinstance(block, Mapping):
        return {}
    element = block.get(action_id)
    return element if isinstance(element, Mapping) else {}


def submitted_text(state_values: Mapping[str, Any], block_id: str, action_id: str) -> str | None:
    """Return a text input's submitted value, stripped, or None when empty."""
    value = view_state(state_values, block_id, action_id).get("value")
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()


def submitted_option(state_values: Mapping[str, Any], block_id: str, action_id: str) -> str | None:
    """Return the value of a select's or radio group's selected option, or None."""
    selected = view_state(state_values, block_id, action_id).get("selected_option")
    if isinstance(selected, Mapping) and isinstance(selected.get("value"), str):
        return str(selected["value"])
    return None


def view_errors(errors: Mapping[str, str], blocks: Mapping[str, str]) -> dict[str, Any]:
    """Return the ``view_submission`` response that shows ``errors`` under their inputs.

    Args:
        errors: Field name → message for the person (e.g. ``{"what": "Tell me what you did."}``).
        blocks: Field name → block_id (``ids.WIN_BLOCKS`` and friends).

    Returns:
        ``{"response_action": "errors", "errors": {block_id: message}}`` for ``ack(...)``.

    Raises:
        ValueError: A field has no input block (Slack would reject the whole response).
    """
    unknown = sorted(set(errors) - set(blocks))
    if unknown:
        raise ValueError(f"no input block for {', '.join(unknown)}")
    return {
        "response_action": "errors",
        "errors": {blocks[name]: plain(message, INPUT_HINT) for name, message in errors.items()},
    }
