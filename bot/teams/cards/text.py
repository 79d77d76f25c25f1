r"""Make user and model text safe and short enough for Adaptive Card TextBlocks.

A ``TextBlock`` renders a Markdown subset (bold, italic, lists, links), so text a person or a
model wrote could otherwise format itself or hide a link behind friendly words. :func:`escape`
keeps such text literal, with the gentlest change that works on every Teams client:

- ``\``, ``*``, ``_``, ``~`` and backticks get a backslash (CommonMark escapes), and so does a
  list, quote or heading marker at the start of a line (``- ``, ``+ ``, ``> ``, ``# ``, ``1. ``).
- A link needs ``](`` with nothing in between. A ZERO WIDTH SPACE goes between the two, so
  ``[click here](https://evil.example)`` can never become a link, even on a client that ignores
  backslash escapes (some mobile clients have done so).
- Every ``<`` is followed by a ZERO WIDTH SPACE, so ``<at>Name</at>``, ``<https://…>`` or any
  tag stays visible text.
- Bare URLs are left alone: a bare URL shows its real destination, so it cannot hide where it
  goes.

Lengths here are budgets in bytes of compact JSON (UTF-8, the way the Teams SDK sends a card),
because the limit that matters is the size of the whole card (about 28 KB in Teams).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Final

ELLIPSIS: Final = "…"
ZWSP: Final = "\u200b"

_INLINE: Final = re.compile(r"[\\`*_~]")
_LINE_MARKER: Final = re.compile(r"^([ \t]*)([-+>#]|\d{1,9}[.)])", re.MULTILINE)
_LINK: Final = re.compile(r"\](\s*)\(")
_TRAILING: Final = " \t\n,;:-–—\\"


def escape(text: str) -> str:
    """Return ``text`` escaped for a ``TextBlock`` (or a ``FactSet`` value).

    Escape exactly once, and cut before escaping (:func:`fit` does both), so a cut never splits
    an escape.

    Args:
        text: User or model text.

    Returns:
        Text that shows as written: no emphasis, list, link, mention or tag can form.
    """
    escaped = _INLINE.sub(lambda match: "\\" + match[0], text)
    escaped = _LINE_MARKER.sub(lambda m: m[1] + m[2][:-1] + "\\" + m[2][-1], escaped)
    escaped = _LINK.sub(lambda match: "]" + ZWSP + match[1] + "(", escaped)
    return escaped.replace("<", "<" + ZWSP)


def json_cost(text: str) -> int:
    """Return how many bytes ``text`` takes inside a compact UTF-8 JSON string."""
    return len(json.dumps(text, ensure_ascii=False)[1:-1].encode("utf-8", "surrogatepass"))


def _char_cost(char: str) -> int:
    if char in '"\\\n\r\t\b\f':
        return 2
    if ord(char) < 0x20:
        return 6
    return len(char.encode("utf-8", "surrogatepass"))


def cut(text: str, budget: int) -> str:
    """Return ``text`` cut to at most ``budget`` JSON bytes, at a word boundary, ending in "…".

    Text that fits is returned unchanged. The cut happens at the last space in the second half
    of what fits (else mid-word); trailing spaces and punctuation before the "…" are dropped.

    Raises:
        ValueError: ``budget`` cannot hold even the "…".
    """
    room = budget - json_cost(ELLIPSIS)
    if room < 1:
        raise ValueError("budget must leave room for at least one character")
    if json_cost(text) <= budget:
        return text
    total = 0
    end = len(text)
    for index, char in enumerate(text):
        total += _char_cost(char)
        if total > room:
            end = index
            break
    head = text[:end]
    space = max(head.rfind(" "), head.rfind("\n"))
    if space >= len(head) // 2 and not text[end].isspace():
        head = head[:space]
    return head.rstrip(_TRAILING) + ELLIPSIS


def one_line(text: str) -> str:
    """Return ``text`` with every run of whitespace (newlines included) turned into one space."""
    return " ".join(text.split())


def paragraphs(text: str) -> str:
    """Return ``text`` with one blank line between its lines.

    A ``TextBlock`` shows a single newline as a space on some clients (Markdown needs a blank
    line for a break), so every line of a person's text becomes its own paragraph.
    """
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n\n".join(line for line in lines if line)


def fit(text: str, budget: int) -> str:
    """Return ``text`` (user or model text) escaped and cut to at most ``budget`` JSON bytes.

    Lines become paragraphs (:func:`paragraphs`); use :func:`one_line` first for a list item.
    """
    raw = paragraphs(text)
    limit = budget
    while limit > json_cost(ELLIPSIS):
        escaped = escape(cut(raw, limit))
        over = json_cost(escaped) - budget
        if over <= 0:
            return escaped
        limit -= over
    return ELLIPSIS


def plural(count: int, one: str, many: str) -> str:
    """Return "1 win" / "3 wins"."""
    return f"{count} {one if count == 1 else many}"


def format_date(day: dt.date, *, today: dt.date | None = None) -> str:
    """Return a date as a person reads it: "Mon, Mar 3" (with the year unless it is this year)."""
    text = f"{day:%a}, {day:%b} {day.day}"
    if today is None or day.year != today.year:
        text += f", {day.year}"
    return text


def format_time(value: dt.time) -> str:
    """Return a time as "2:00 PM"."""
    hour = value.hour % 12 or 12
    return f"{hour}:{value.minute:02d} {'AM' if value.hour < 12 else 'PM'}"
