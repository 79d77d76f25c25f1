"""A model's answer as plain text: what the win parser and the summary polisher keep of it."""

from __future__ import annotations

import re

_INVISIBLE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)
_MARKUP_LINK_WITH_LABEL = re.compile(r"<([a-z][a-z0-9+.-]*:[^<>|\s]*)\|([^<>]*)>", re.IGNORECASE)
_MARKUP_SPECIAL = re.compile(r"<[!@#][^<>]*>")  # <!channel>, <@U123>, <#C123|name>
_TAG = re.compile(r"</?[a-z][\w:-]*(?:\s[^<>]*)?/?>", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def flatten(text: str) -> str:
    """Return a model's field as one line of plain text without chat markup or tags.

    Control and invisible characters go; ``<https://…|label>`` becomes ``label``; Slack
    mentions and HTML-like tags are dropped; a space left before punctuation is closed up.
    """
    text = _INVISIBLE.sub("", text)
    text = _MARKUP_LINK_WITH_LABEL.sub(r"\2", text)
    text = _MARKUP_SPECIAL.sub("", text)
    text = _TAG.sub("", text)
    text = _SPACE.sub(" ", text).strip()
    return re.sub(r" +([.,;:!?])", r"\1", text)
