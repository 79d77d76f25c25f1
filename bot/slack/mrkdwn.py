"""Make user and model text safe and short enough for Slack text fields.

Everything a person or a model wrote goes through :func:`escape` before it is placed in a
``mrkdwn`` text object or a message's top-level ``text``:

- ``&``, ``<`` and ``>`` become ``&amp;``, ``&lt;`` and ``&gt;``, as Slack documents. That is what
  turns ``<!channel>``, ``<!here|here>``, ``<@U123>``, ``<#C123>``, ``<!subteam^S1>`` and
  ``<https://evil.example|click here>`` into visible text: none of them can become a mention or
  a masked link, whatever else the text contains.
- Bare ``@channel``, ``@here`` and ``@everyone`` get an invisible WORD JOINER (U+2060) after the
  ``@``. Slack does not turn bare words into mentions for apps unless asked to (``link_names``),
  but a copy of the text may land somewhere that does; the joiner keeps it inert and invisible.
- Bare URLs are left as they are. A bare URL shows its real destination, so it cannot hide where
  it goes; the builders also set ``verbatim: true`` on every ``mrkdwn`` object that carries user
  or model text, which tells Slack not to auto-link URLs, channel names or mentions in it.
  Rewriting ``http://`` as ``http[:]//`` would mangle legitimate text a technician pastes into a
  proposal for no gain over ``verbatim``.

``*bold*`` and ``_italic_`` in user text keep working: they cannot reach anyone else.

Lengths are counted in UTF-16 code units (an emoji counts twice), which is never less than the
number of characters, so a text cut here also fits whatever way Slack counts.
"""

from __future__ import annotations

import re
from typing import Final

ELLIPSIS: Final = "…"
WORD_JOINER: Final = "\u2060"

_SPECIAL_MENTION = re.compile(r"(?<!\w)@(?=(?:channel|here|everyone)\b)", re.IGNORECASE)
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,20}")
_CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{2,20}")
_TRAILING = " \t\n,:-–—"  # not ";": it closes an entity such as "&amp;"


def escape(text: str) -> str:
    """Return ``text`` escaped for a Slack ``mrkdwn`` field.

    Escape exactly once: ``escape("&lt;")`` is ``"&amp;lt;"``, which Slack shows as ``&lt;`` —
    what the person typed.

    Args:
        text: User or model text.

    Returns:
        The text with ``&``, ``<``, ``>`` escaped and bare ``@channel``/``@here``/``@everyone``
        neutralized.
    """
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL_MENTION.sub("@" + WORD_JOINER, escaped)


def length(text: str) -> int:
    """Return the length of ``text`` in UTF-16 code units (how the limits here are counted)."""
    return len(text.encode("utf-16-le")) // 2


def prefix(text: str, units: int) -> str:
    """Return the longest prefix of ``text`` that is at most ``units`` UTF-16 code units."""
    if length(text) <= units:
        return text
    total = 0
    for index, char in enumerate(text):
        total += 2 if ord(char) > 0xFFFF else 1
        if total > units:
            return text[:index]
    return text


def truncate(text: str, limit: int) -> str:
    """Return ``text`` cut to at most ``limit`` units, at a word boundary, ending in "…".

    Text that fits is returned unchanged. The cut happens at the last space in the second half of
    the allowed length (else mid-word), never inside an HTML entity such as ``&amp;``, and
    trailing spaces and punctuation before the "…" are dropped.

    Args:
        text: Any text (escaped or not).
        limit: The maximum length, at least 1.

    Raises:
        ValueError: ``limit`` is less than 1.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if length(text) <= limit:
        return text
    cut = prefix(text, limit - 1)
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space >= len(cut) // 2 and not text[len(cut)].isspace():
        cut = cut[:space]
    # An entity cut in half ("&am") would show as garbage: drop it whole.
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut.rstrip(_TRAILING) + ELLIPSIS


def plain(text: str, limit: int = 3000) -> str:
    """Return ``text`` stripped and cut to ``limit`` for a ``plain_text`` field (no escaping).

    ``plain_text`` is shown exactly as written, so it needs no escaping; only its length matters.
    """
    return truncate(text.strip(), limit)


def fit(text: str, limit: int = 3000) -> str:
    """Return ``text`` escaped, stripped and cut to ``limit`` for a ``mrkdwn`` field."""
    return truncate(escape(text.strip()), limit)


def one_line(text: str) -> str:
    """Return ``text`` with every run of whitespace (newlines included) turned into one space."""
    return " ".join(text.split())


def user_mention(user_id: str) -> str:
    """Return ``<@U…>`` for a well-formed Slack user id, else the id escaped as plain text."""
    if _USER_ID.fullmatch(user_id):
        return f"<@{user_id}>"
    return escape(user_id)


def channel_mention(channel_id: str) -> str:
    """Return ``<#C…>`` for a well-formed Slack channel id, else the id escaped as plain text."""
    if _CHANNEL_ID.fullmatch(channel_id):
        return f"<#{channel_id}>"
    return escape(channel_id)
