"""Load the shared word lists (``bot/vocabulary/lists/*.txt``) once, on first use.

A list file holds one entry a line, exactly as it is matched (an entry may have several words);
blank lines and lines starting with ``#`` are skipped, and a header comment says what the list is
for and who reads it. A duplicate entry is an error, so a list is edited in one place only.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Literal, get_args

ListName = Literal[
    "acronyms",
    "calendar_words",
    "cities",
    "common_words",
    "crisis_means",
    "devices",
    "drug_suffixes",
    "drugs",
    "first_names",
    "function_words",
    "pharmacy_words",
    "places",
    "staff_roles",
    "street_suffixes",
    "us_states",
]
"""Every shipped list, named after its file."""

LIST_NAMES: tuple[ListName, ...] = get_args(ListName)


class VocabularyError(ValueError):
    """A list file is missing, has a duplicate entry, or has none."""


def entries(text: str, *, source: str) -> tuple[str, ...]:
    """Return the entries of a list file's ``text``, in file order.

    Args:
        text: The file's content.
        source: The file name, for error messages.

    Raises:
        VocabularyError: An entry appears twice, or there is none.
    """
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        if entry in found:
            raise VocabularyError(f"{source}: line {number}: {entry!r} repeats line {found[entry]}")
        found[entry] = number
    if not found:
        raise VocabularyError(f"{source}: no entries")
    return tuple(found)


@cache
def load(name: ListName) -> frozenset[str]:
    """Return the entries of the list ``name`` (read and checked once per process).

    Args:
        name: The list, e.g. ``"drugs"`` for ``bot/vocabulary/lists/drugs.txt``.

    Raises:
        VocabularyError: The file is missing or malformed.
    """
    source = f"{name}.txt"
    try:
        text = files("bot.vocabulary").joinpath("lists", source).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise VocabularyError(f"{source}: no such word list") from None
    return frozenset(entries(text, source=source))
