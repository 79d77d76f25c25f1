"""The one line telling a person which identifiers were removed from what they wrote.

Every surface shows it under a reply ("I removed a name and an MRN before saving anything."):
types only, counted, in the order they first appear; values never reach it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Final

from bot.safety.redaction import Redaction

# What a person reads for each redaction type (bot/safety/redaction.py PLACEHOLDER_TYPES).
_REDACTION_WORDS: Final[dict[str, tuple[str, str]]] = {
    "NAME": ("a name", "names"),
    "MRN": ("an MRN", "MRNs"),
    "RX": ("an Rx number", "Rx numbers"),
    "NPI": ("an NPI", "NPIs"),
    "DEA": ("a DEA number", "DEA numbers"),
    "MEMBER_ID": ("a member ID", "member IDs"),
    "SSN": ("a Social Security number", "Social Security numbers"),
    "DOB": ("a date of birth", "dates of birth"),
    "DATE": ("a date", "dates"),
    "PHONE": ("a phone number", "phone numbers"),
    "EMAIL": ("an email address", "email addresses"),
    "URL": ("a link", "links"),
    "ADDRESS": ("an address", "addresses"),
    "AGE": ("an age", "ages"),
    "ROOM": ("a room number", "room numbers"),
    "ID": ("an ID number", "ID numbers"),
}
_UNKNOWN_REDACTION: Final = ("an identifier", "identifiers")
_NUMBER_WORDS: Final = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight")


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def redaction_note(redactions: Iterable[Redaction]) -> str | None:
    """Return "I removed a name and an MRN before saving anything." (types only), or None.

    Types are named in the order they first appear and counted ("two names"); values are never
    part of a redaction, so they cannot leak here.
    """
    counts = Counter(item.type.upper() for item in redactions)
    if not counts:
        return None
    parts = []
    for kind, count in counts.items():
        one, many = _REDACTION_WORDS.get(kind, _UNKNOWN_REDACTION)
        number = _NUMBER_WORDS[count] if count < len(_NUMBER_WORDS) else str(count)
        parts.append(one if count == 1 else f"{number} {many}")
    return f"I removed {_join(parts)} before saving anything."
