"""Skip regular expressions that cannot match, cheaply: the one pre-filter every rule set uses.

Python's regex engine tries every alternative of a long word list at every position, so the
crisis gate, redaction and the offline coach's playbook keep each pattern with the literal
strings one of which must appear in any text it matches (its *needs*). When none appears in the
lower-cased text, the pattern is not run at all.

Needs are either declared next to the pattern (the crisis gate's anchor keys, redaction's "@")
or read from the pattern's source by :func:`required_literals`, a small conservative reader of
regex syntax: whatever it does not understand makes it give up (no needs: the pattern always
runs), so a pre-filter never hides a match. Many keys are found in one pass with
:class:`KeywordFinder`, and :func:`word_trie` turns a word list into a fast alternation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Strings found in almost any text: requiring one of them rejects nothing.
_COMMON = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "for",
        "i",
        "in",
        "is",
        "it",
        "me",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "so",
        "that",
        "the",
        "this",
        "to",
        "u",
        "us",
        "was",
        "we",
        "what",
        "which",
        "with",
        "you",
    ]
)


@dataclass(frozen=True, slots=True)
class Gated:
    """A compiled regex with the literals it needs, so most texts skip it cheaply.

    Attributes:
        pattern: The regex.
        needs: Lower-case strings one of which every match contains (None: always run it).
    """

    pattern: re.Pattern[str]
    needs: tuple[str, ...] | None

    @classmethod
    def of(cls, pattern: re.Pattern[str]) -> Gated:
        """Wrap ``pattern`` with the needs read from its source."""
        return cls(pattern, required_literals(pattern))

    @classmethod
    def declared(cls, pattern: re.Pattern[str], needs: Iterable[str]) -> Gated:
        """Wrap ``pattern`` with ``needs`` given by its author (lower case)."""
        return cls(pattern, tuple(sorted(set(needs))) or None)

    def may_match(self, lowered: str) -> bool:
        """Return False only when ``pattern`` certainly does not match (``lowered`` text)."""
        return self.needs is None or any(map(lowered.__contains__, self.needs))


def word_trie(words: Iterable[str]) -> str:
    """Return a regex alternation matching exactly ``words``, shaped as a trie.

    ``(?:vanc(?:o(?:mycin)?)?|...)`` instead of ``vanc|vanco|vancomycin|...``: the engine then
    follows one branch per character instead of trying every word at every position.

    Args:
        words: The literal words (matched as written; escaping is done here).
    """
    return _trie(sorted(set(words)))


def _trie(words: list[str]) -> str:
    ends_here = "" in words
    branches: dict[str, list[str]] = {}
    for word in words:
        if word:
            branches.setdefault(word[0], []).append(word[1:])
    alternatives = [re.escape(first) + _trie(rest) for first, rest in sorted(branches.items())]
    if not alternatives:
        return ""
    body = alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"
    if ends_here:
        return f"(?:{body})?" if len(alternatives) == 1 and len(body) > 1 else f"{body}?"
    return body


class KeywordFinder:
    """Finds which of many keywords occur in a text, in one pass.

    A keyword that contains another is replaced by it ("kill me" by "kill"), which only makes a
    pre-filter more permissive; then no keyword is a prefix of another, so one trie-shaped
    lookahead finds every keyword present, overlaps included.
    """

    def __init__(self, keywords: Iterable[str]) -> None:
        """Build the finder for ``keywords`` (matched as written, case-sensitively)."""
        keys = sorted(set(keywords), key=len)
        self.shortest: dict[str, str] = {
            key: next(other for other in keys if other in key) for key in keys
        }
        self._finder = re.compile(f"(?=({word_trie(set(self.shortest.values()))}))")

    def reduce(self, keywords: Iterable[str]) -> frozenset[str]:
        """Return ``keywords`` as :meth:`present` reports them (each by its shortest form)."""
        return frozenset(self.shortest[key] for key in keywords)

    def present(self, text: str) -> frozenset[str]:
        """Return the (reduced) keywords found in ``text``."""
        return frozenset(self._finder.findall(text))


# ---------------------------------------------------------------------------------------------
# Reading needs from a pattern's source
#
# The source is parsed into sequences of atoms: a literal character (lower-cased), a group
# (its alternatives) or anything else (a class, an escape such as \d, a dot); zero-width
# assertions end a run of literals. Each atom carries its repetition bounds.


class _GiveUp(Exception):
    """The pattern uses syntax the reader does not handle: no needs for it."""


_OTHER = "other"
_BREAK = "break"  # a zero-width assertion: ends a run of literals, needs nothing
_QUANTIFIER = re.compile(r"\{(\d*)(?:(,)(\d*))?\}")
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}
_CLASS_ESCAPES = frozenset("dDwWsS")
_ZERO_WIDTH_ESCAPES = frozenset("bBAZ")

# An atom: (kind, value, min, max) with kind "lit" (value: the character), "group" (value: the
# alternatives, each a list of atoms), _OTHER or _BREAK.
_Atom = tuple[str, object, int, float]


class _Reader:
    def __init__(self, source: str) -> None:
        self.s = source
        self.i = 0

    def alternatives(self) -> list[list[_Atom]]:
        branches: list[list[_Atom]] = [[]]
        while self.i < len(self.s):
            char = self.s[self.i]
            if char == ")":
                break
            if char == "|":
                self.i += 1
                branches.append([])
                continue
            atom = self.atom()
            if atom is not None:
                branches[-1].append(self.quantified(atom))
        return branches

    def atom(self) -> _Atom | None:
        char = self.s[self.i]
        self.i += 1
        if char == "\\":
            return self.escape()
        if char == "[":
            self.skip_class()
            return (_OTHER, None, 1, 1)
        if char == "(":
            return self.group()
        if char == ".":
            return (_OTHER, None, 1, 1)
        if char in "^$":
            return (_BREAK, None, 1, 1)
        if char in "*+?":
            raise _GiveUp  # a quantifier with nothing before it
        return ("lit", char.lower(), 1, 1)

    def escape(self) -> _Atom:
        if self.i >= len(self.s):
            raise _GiveUp
        char = self.s[self.i]
        self.i += 1
        if char in _CLASS_ESCAPES:
            return (_OTHER, None, 1, 1)
        if char in _ZERO_WIDTH_ESCAPES:
            return (_BREAK, None, 1, 1)
        if char in _SIMPLE_ESCAPES:
            return ("lit", _SIMPLE_ESCAPES[char], 1, 1)
        if char.isascii() and char.isalnum():
            raise _GiveUp  # back references, \x, \u, \N... : not worth reading
        return ("lit", char.lower(), 1, 1)

    def skip_class(self) -> None:
        if self.s.startswith("^", self.i):
            self.i += 1
        if self.s.startswith("]", self.i):
            self.i += 1
        while self.i < len(self.s):
            char = self.s[self.i]
            self.i += 2 if char == "\\" else 1
            if char == "]":
                return
        raise _GiveUp

    def group(self) -> _Atom | None:
        zero_width = False
        if self.s.startswith("?", self.i):
            rest = self.s[self.i + 1 :]
            if rest.startswith(":"):
                self.i += 2  # "?:"
            elif rest.startswith("P<"):
                self.i += rest.index(">") + 2  # "?P<name>"
            elif rest.startswith(("=", "!", "<=", "<!")):
                zero_width = True
                self.i += 2 if rest[0] in "=!" else 3
            elif flags := re.match(r"[aiLmsux]*(?:-[imsx]+)?([:)])", rest):
                if "x" in flags.group(0):
                    raise _GiveUp  # verbose: whitespace and "#" mean something else
                self.i += 1 + flags.end()
                if flags.group(1) == ")":
                    return None  # global flags at the start: nothing to match
            else:
                raise _GiveUp  # comments, conditionals, named back references
        branches = self.alternatives()
        if not self.s.startswith(")", self.i):
            raise _GiveUp
        self.i += 1
        if zero_width:
            return (_BREAK, None, 1, 1)
        return ("group", branches, 1, 1)

    def quantified(self, atom: _Atom) -> _Atom:
        if self.i >= len(self.s):
            return atom
        char = self.s[self.i]
        bounds: tuple[int, float] | None = None
        if char in "*+?":
            self.i += 1
            bounds = {"*": (0, float("inf")), "+": (1, float("inf")), "?": (0, 1)}[char]
        elif char == "{" and (match := _QUANTIFIER.match(self.s, self.i)):
            low, comma, high = match.groups()
            if low or comma:
                self.i = match.end()
                minimum = int(low or 0)
                maximum = float(high) if high else (float("inf") if comma else minimum)
                bounds = (minimum, maximum)
        if bounds is None:
            return atom
        if self.s.startswith(("?", "+"), self.i):  # lazy or possessive: same bounds
            self.i += 1
        if atom[0] == _BREAK:
            return atom
        return (atom[0], atom[1], bounds[0], bounds[1])


def _required(atoms: list[_Atom]) -> frozenset[str] | None:
    """Return strings one of which every match of ``atoms`` contains, or ``None``."""
    candidates: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            candidates.append(frozenset({"".join(run)}))
            run.clear()

    for kind, value, minimum, maximum in atoms:
        if kind == "lit" and isinstance(value, str):
            # "f\*+" needs "f*": a repeated literal continues the run (and ends it unless the
            # count is fixed).
            run.extend(value for _ in range(minimum))
            if minimum != maximum:
                flush()
            continue
        if (
            kind == "group"
            and minimum == maximum == 1
            and isinstance(value, list)
            and len(value) == 1
            and all(a[0] == "lit" and a[2] == a[3] == 1 for a in value[0])
        ):
            # "(?:a patient)," needs "a patient,": a group of one literal run continues it.
            run.extend(str(a[1]) for a in value[0])
            continue
        flush()
        if kind == "group" and minimum >= 1 and isinstance(value, list):
            branches = [_required(branch) for branch in value]
            if all(b is not None for b in branches):
                candidates.append(frozenset().union(*(b for b in branches if b is not None)))
    flush()
    if not candidates:
        return None
    # The most selective requirement: its shortest string longest, then its strings longest on
    # average (so "fair|unfair|ridiculous" beats "it|this|that").
    return max(candidates, key=_selectivity)


def _selectivity(strings: frozenset[str]) -> tuple[float, float, int]:
    lengths = [0 if s.strip() in _COMMON else len(s) for s in strings]
    return min(lengths), sum(lengths) / len(lengths), -len(strings)


def required_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Return lower-case strings one of which any match of ``pattern`` contains, or ``None``.

    ``None`` means no such strings are known (the pattern must always run), including for any
    syntax the reader does not handle and for verbose patterns.
    """
    if pattern.flags & re.VERBOSE:
        return None
    reader = _Reader(pattern.pattern)
    try:
        branches = reader.alternatives()
        if reader.i != len(pattern.pattern):
            raise _GiveUp  # an unbalanced ")"
    except _GiveUp:
        return None
    found = _required([("group", branches, 1, 1)])
    return tuple(sorted(found)) if found else None
