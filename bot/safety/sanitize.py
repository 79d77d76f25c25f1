"""The sanitizer: the first thing every incoming message passes through.

It makes text safe and predictable for everything after it: lone surrogates (half of a broken
emoji escape, which no database or JSON encoder accepts) dropped, Unicode normalized (NFC),
control characters (NUL included) and invisible characters removed (zero-width, bidi overrides
and tag characters can hide words from the crisis gate, the redactor and a reader, or smuggle
instructions to an LLM), whitespace collapsed while paragraph breaks are kept, and the length
capped. It never raises: empty input is flagged for a clarifying reply, an over-long message is
cut at a word boundary and flagged so the reply can say so, and text that does not look like
English is flagged for a polite best-effort reply.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["MAX_CHARS", "Sanitized", "clean", "looks_non_english", "sanitize", "strip_unsafe"]

MAX_CHARS = 4000


@dataclass(frozen=True)
class Sanitized:
    """A cleaned message and what was done to it.

    Attributes:
        text: The cleaned text, at most ``MAX_CHARS`` characters.
        truncated: True when the message was longer than ``MAX_CHARS`` and was cut.
        empty: True when nothing but whitespace or invisible characters was sent.
        non_english: True when the text does not look like English (best-effort reply).
    """

    text: str
    truncated: bool
    empty: bool
    non_english: bool


# Invisible characters: zero-width space/joiners and direction marks (U+200B-U+200F), bidi
# embeddings and overrides (U+202A-U+202E), word joiner and invisible operators (U+2060-U+2064),
# bidi isolates (U+2066-U+2069), the byte-order mark, the soft hyphen, the Mongolian vowel
# separator, interlinear annotation marks and Unicode tag characters (an "ASCII smuggling" vector).
# The zero-width joiner is kept between emoji, where it is part of the picture (👩‍⚕️).
_INVISIBLE = re.compile(
    "(?:(?<![\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\U0001f3fb-\U0001f3ff])\u200d"
    "|\u200d(?![\U0001f000-\U0001faff\u2600-\u27bf])"
    "|[\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad\u180e"
    "\ufff9-\ufffb\U000e0000-\U000e007f])"
)
# C0 and C1 controls except tab and newline (carriage returns become newlines first).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
# Vertical tab, form feed, NEL and the Unicode line/paragraph separators break lines.
_LINE_BREAKS = str.maketrans(
    {"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n\n"}
)
# Spaces and tabs (including no-break and other Unicode spaces) inside a line.
# Half of a UTF-16 surrogate pair: what a broken "\\ud83d" escape decodes to. Text holding one
# cannot be encoded as UTF-8, so storing it fails (and with it every later reply).
_SURROGATE = re.compile("[\ud800-\udfff]")
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
_SPACE_AROUND_NEWLINE = re.compile(r" *\n *")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean(text: str) -> str:
    """Normalize ``text`` without shortening it (what :func:`sanitize` does before the cap).

    Lone surrogates dropped (a split pair is joined back into its character), NFC normalization,
    CR/LF and other line breaks to newlines, control and invisible characters removed, runs of
    spaces and tabs collapsed to one space, at most one blank line in a row, and no leading or
    trailing whitespace.

    Args:
        text: Raw text from a surface.
    """
    if _SURROGATE.search(text):
        text = _drop_lone_surrogates(text)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").translate(_LINE_BREAKS))
    text = _CONTROL.sub("", text)
    text = _INVISIBLE.sub("", text)
    text = _HORIZONTAL_SPACE.sub(" ", text)
    text = _SPACE_AROUND_NEWLINE.sub("\n", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


def strip_unsafe(text: str) -> str:
    """Remove what must never be stored, and nothing else.

    That is lone surrogates, control characters (NUL included) and invisible characters
    (zero-width, bidi overrides, tags). For free text kept as the person wrote it (a win, a
    goal), where spacing is left alone.

    Args:
        text: Raw text from a surface.
    """
    if _SURROGATE.search(text):
        text = _drop_lone_surrogates(text)
    return _INVISIBLE.sub("", _CONTROL.sub("", text))


def _drop_lone_surrogates(text: str) -> str:
    """Join surrogate pairs into their characters and drop the halves left over."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")


def _truncate(text: str) -> str:
    """Cut ``text`` to at most ``MAX_CHARS`` at a word boundary (a hard cut for one huge word)."""
    window = text[: MAX_CHARS + 1]
    cut = max(window.rfind(" "), window.rfind("\n"))
    # Prefer a word boundary unless it would throw away a large part of the allowance.
    if cut < MAX_CHARS // 2:
        cut = MAX_CHARS
        # Do not split a character from the combining marks that follow it.
        while cut > 0 and unicodedata.combining(text[cut]):
            cut -= 1
    return text[:cut].rstrip()


# Common function words, enough to tell a sentence's language apart; words shared with English
# ("no", "a", "me", "he") or pharmacy shorthand ("po" is by mouth) are left out on purpose.
def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_ENGLISH_WORDS = _word_set(
    """
    the a an and or but is are was were be been being am i i'm im i've ive i'd i'll we you he she
    it they my our your his her their me us them this that these those to of in on at for with
    from by about into over after before not no don't dont didn't can't cant won't isn't wasn't
    have has had do does did so just again because why what how when who where which there here
    all any some up out if then than too very can could would should will get got going gonna
    wanna nobody anyone everyone always never still even only also like ever every one today
    tonight shift work
    """
)
_FOREIGN_WORDS = _word_set(
    """
    el la los las un una unos unas y pero que qué porque por para con sin muy estoy está esta
    estaba estamos están es soy hay tengo tiene tenemos mi mis nos nosotros usted ella
    ellos del al lo le les se su sus como cuando donde más también hoy nadie todos
    suficiente trabajo cansada cansado ayuda
    le les et est je suis pas nous vous avec pour dans ce cette qui une des du au aux mais très
    il elle ils sont ont avoir être fait travail
    der das und ist nicht ich ein eine mit sie wir auf für zu sich auch noch sehr
    não eu você muito mas com uma os isso está estou são também
    ang ng mga sa ako hindi ko ikaw siya kami tayo sila ito iyan walang pagod
    mwen ou nou pa ak pou nan sa li
    """
)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_MIN_WORDS = 3
_MIN_LETTERS = 4


def looks_non_english(text: str) -> bool:
    """Guess cheaply whether ``text`` is written in a language other than English.

    Non-Latin scripts are recognized by the share of non-ASCII letters; Latin-script languages by
    counting common function words of English against those of Spanish, French, German,
    Portuguese, Tagalog and Haitian Creole. Drug names and unit shorthand count for neither, so
    terse pharmacy English stays English; very short texts default to English.

    Args:
        text: Cleaned text.
    """
    words = _WORD.findall(text.casefold())
    letters = sum(len(word) for word in words)
    non_ascii = sum(1 for word in words for char in word if not char.isascii())
    # Scripts without spaces (Chinese, Japanese) make few "words", so count letters here.
    if non_ascii >= _MIN_LETTERS and non_ascii * 4 >= letters:
        return True
    if len(words) < _MIN_WORDS:
        return False
    english = sum(1 for word in words if word in _ENGLISH_WORDS)
    foreign = sum(1 for word in words if word in _FOREIGN_WORDS)
    if foreign >= 2 and foreign > english:
        return True
    # A longer message with not one English function word is not English prose.
    return len(words) >= 6 and english == 0 and foreign >= 1


def sanitize(text: str) -> Sanitized:
    """Clean one incoming message; never raises.

    Args:
        text: Raw text from a surface.

    Returns:
        The cleaned text (cut to ``MAX_CHARS`` at a word boundary if needed) and flags for an
        empty message, a truncated one, and one that does not look like English.
    """
    cleaned = clean(text)
    if not cleaned:
        return Sanitized(text="", truncated=False, empty=True, non_english=False)
    truncated = len(cleaned) > MAX_CHARS
    if truncated:
        cleaned = _truncate(cleaned)
    return Sanitized(
        text=cleaned,
        truncated=truncated,
        empty=False,
        non_english=looks_non_english(cleaned),
    )
