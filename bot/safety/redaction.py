"""Offline PHI redaction for everything a technician writes and everything a coach answers.

Text passes through here before it reaches the LLM, the database or a log line, and the LLM's
answer passes through again before anyone sees it. Two layers find identifiers:

1. The project regex layer, written for pharmacy chatter: e-mails, URLs, phones, SSN shapes
   (placeholders such as 123-45-6789 included), dates of birth, full dates, labelled identifiers
   (MRN, Rx#, NPI, DEA, member id, account numbers...), street addresses, ages over 89, room
   numbers, names (see below), and any run of six or more digits.
2. Presidio's pattern recognizers behind the ``no_op`` NLP engine (no model is ever loaded or
   downloaded): US healthcare identifiers with checksums (NPI, DEA, MBI), phone numbers in any
   format ``phonenumbers`` knows, credit cards, more date formats, and an e-mail
   recognizer whose validator never touches the network.

Identifiers become typed placeholders such as ``[NAME]`` or ``[MRN]``; labels stay ("MRN [MRN]")
so the story still reads. Doses, counts, times, weekdays, units and drug names are left alone.
Placeholders never match a rule, so redacting twice changes nothing.

Without an NER model there is no general name finder; names are found by where they stand,
however they are typed: after an honorific (Mr./Mrs./Ms./Dr., "mr. garcia", "MR. GARCIA"), after
a patient, family or role word ("pt", "patient", "caller", "daughter", "this is"...), in label
and screen order ("Blorfman, Ketzia (mrn#...)", "SMITH, AMY R", "Watson, J."), before a
possessive ("John Smith's insulin", "ms lopez's"), as a common first name followed by a surname
("Linda Park"), and as any two capitalized words in a text about a patient (a cue word such as
MRN, DOB, Rx, discharged or allergic, or a drug the person names). Lower-case names are told from
the story by the word lists: function, pharmacy, drug, place and device words and everyday
words (``common_words``) are never a name, and verbs ("refused", "screaming") end one. A lone
first name nobody introduced ("Dana said no") stays: it is a coworker as often as a patient.
Workplace cities ("Kansas City"), units ("4 West") and devices ("Kirby Lester") are never names.

Street addresses are a building number, one to three words and a street suffix (Faker's list
and the USPS abbreviations, ``street_suffixes``), then the unit, city, state, ZIP and country
lines that follow it, in any case and across line breaks; also military mail, PO boxes, a lone
"Apt. 318", "City, ST 12345" and the corner of two named streets. Parts of one name or one
address found by different rules become one placeholder, so redacted text still reads as a
sentence ("[NAME] (mrn#[MRN], dob [DOB])", "[NAME]'s insulin was late").

Any failure inside the redactor raises :class:`RedactionError`; callers must then drop the text
(fail closed). Exception messages never quote the text.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from pydantic import BaseModel

from bot.vocabulary.prefilter import Gated, word_trie
from bot.vocabulary.words import load

log = logging.getLogger(__name__)

#: Every placeholder type this module emits, as it appears in ``Redaction.type`` and in the text
#: (``[NAME]``...). Card numbers, accounts, orders, tickets and other numbers are ``ID``.
PLACEHOLDER_TYPES: Final[tuple[str, ...]] = (
    "NAME",
    "MRN",
    "RX",
    "NPI",
    "DEA",
    "MEMBER_ID",
    "SSN",
    "DOB",
    "DATE",
    "PHONE",
    "EMAIL",
    "URL",
    "ADDRESS",
    "AGE",
    "ROOM",
    "ID",
)

#: What :func:`redact_text` returns when redaction fails: nothing of the original survives.
REDACTION_FAILED_TEXT: Final = "[REDACTED]"


class Redaction(BaseModel):
    """One identifier removed from the person's text (the type only, never the value)."""

    type: str


class RedactionError(RuntimeError):
    """Redaction itself failed; the text must be neither sent, stored nor logged.

    The message names the failure only, never the text being redacted.
    """


@dataclass(frozen=True)
class RedactionResult:
    """The redacted text and what was removed from it.

    Attributes:
        text: The text with every identifier replaced by a placeholder such as ``[MRN]``.
        redactions: One entry per removed identifier, in text order (types only, no values).
    """

    text: str
    redactions: list[Redaction]


# --------------------------------------------------------------------------------------------
# Spans and priorities
# --------------------------------------------------------------------------------------------

# When two findings overlap they are merged into one span (so no fragment of either survives)
# and the span takes the type of the most specific finding: lower number wins.
_P_CONTACT = 0  # e-mail, URL
_P_LABELLED = 1  # the text says what it is: "MRN 00482913", "DOB 3/14/61"
_P_SHAPE = 2  # unambiguous shapes: SSN, phone, full date, address, age, room
_P_NAME = 3
_P_PRESIDIO = 4
_P_DIGITS = 5  # generic digit runs: the catch-all

# (start, end, priority, type)
_Span = tuple[int, int, int, str]

_FLAGS: Final = re.IGNORECASE


# Units and counted things: a number followed by one of these is a dose or a count, not an id.
_NOT_A_COUNT = (
    r"(?![ \t]*(?i:mg|mcg|µg|ug|g|gm|kg|ml|l|units?|u|iu|meq|mmol|%|tabs?|tablets?|caps?"
    r"|capsules?|doses?|vials?|bags?|syringes?|scripts?|rxs?|orders?|hours?|hrs?|h|mins?"
    r"|minutes?|days?|weeks?|wks?|months?|years?|yrs?|pm|am)\b)"
)


def _worth_running(gate: Gated, lowered: str | None) -> bool:
    """Whether ``gate``'s pattern may match; ``lowered`` is None for text that is not ASCII.

    Needs read from a pattern are lower-cased literals, and Python's case-insensitive matching
    knows Unicode equivalents (the long s for "s", the dotted capital I for "i") that lower-casing
    the text does not produce, so only ASCII text is skipped on them: a skipped rule is a missed
    identifier.
    """
    return lowered is None or gate.may_match(lowered)


@dataclass(frozen=True)
class _Rule:
    """One project regex: which group is the identifier, and an optional extra check."""

    kind: str
    pattern: re.Pattern[str]
    priority: int
    group: int | str = 0
    accept: Callable[[re.Match[str]], bool] | None = None
    requires: str = ""  # a character without case the text must contain for the rule to run
    extent: Callable[[re.Match[str]], tuple[int, int]] | None = None  # widens the group's span
    gate: Gated = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "gate", Gated.of(self.pattern))

    def spans(self, text: str, lowered: str | None) -> Iterable[_Span]:
        if self.requires and self.requires not in text:
            return
        if not _worth_running(self.gate, lowered):
            return
        for match in self.pattern.finditer(text):
            if self.accept is not None and not self.accept(match):
                continue
            start, end = match.span(self.group) if self.extent is None else self.extent(match)
            if start < end:
                yield (start, end, self.priority, self.kind)


# --------------------------------------------------------------------------------------------
# Contact details
# --------------------------------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.%+'-])[\w.%+'-]*\w@[^\W_](?:[\w-]*\w)?(?:\.[^\W_](?:[\w-]*\w)?)+")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'|]*[^\s<>\"'|.,;:!?)\]]")

# North American numbers with separators: (312) 555-0187, 312-555-0187, 773.555.0142,
# +1 312 555 0187. Bare ten-digit runs are left to the digit-run rule.
_PHONE = re.compile(
    r"(?<![\w+])(?:\+?1[ \t.-]?)?(?:\(\d{3}\)[ \t]?|\d{3}[ \t./-])\d{3}[ \t.-]\d{4}(?!\d)"
    # An extension belongs to the number: "x0873", "ext. 12".
    r"(?:[ \t]*(?i:x|ext\.?|extension)[ \t]*\d{1,6}(?!\d))?"
    # UK-style trunk codes: "(07700) 612 411", "(0161) 496 0000".
    r"|(?<![\w+])\(0\d{2,4}\)[ \t]?\d{3,4}[ \t]?\d{3,4}(?!\d)"
)
# International: "+44 7700 900123", "+49 30 901820"; shorter ones are left to Presidio, which
# knows each country's lengths.
_INTL_PHONE = re.compile(r"(?<![\w+])\+\d{1,3}(?:[ \t.-]?\(?\d{1,5}\)?){2,5}(?!\d)")


def _eight_digits_or_more(match: re.Match[str]) -> bool:
    return sum(ch.isdigit() for ch in match.group(0)) >= 8


# A seven-digit local number only counts after a phone word: "call 555-0199", "text me at".
# The gap never crosses a digit or a placeholder, so a second pass finds nothing new.
_LOCAL_PHONE = re.compile(
    r"(?<!\[)\b(?:call(?:ed|ing)?|text(?:ed)?|phone|cell|mobile|tel|ph|fax|pager?|reach|contact|"
    r"number)\b[^\d\n\[]{0,20}?(?<![\d-])(\d{3}[-.]\d{4})(?![\d]|[-.]\d)" + _NOT_A_COUNT,
    _FLAGS,
)

# --------------------------------------------------------------------------------------------
# Numbers that identify
# --------------------------------------------------------------------------------------------

# SSN shape, placeholders included (Presidio deliberately ignores 123-45-6789; we do not).
_SSN = re.compile(r"(?<!\d)\d{3}[- .]\d{2}[- .]\d{4}(?!\d)")
# Any run of six or more digits, with the letters glued to it ("INC0012345", "XJQ44719022").
_DIGIT_RUN = re.compile(r"(?<![^\W_])[^\W_]*?\d{6,}[^\W_]*")
# Digit groups joined by dashes or spaces that add up to nine or more digits (card numbers,
# "0048-2913-77", a phone number run into another number); shift times such as "0700-1930"
# stay because they total eight.
_DIGIT_GROUPS = re.compile(r"(?<!\d)(?<!\d[ -])\d+(?:[ -]\d+)+(?!\d|[ -]\d)")


def _nine_digits_or_more(match: re.Match[str]) -> bool:
    return sum(ch.isdigit() for ch in match.group(0)) >= 9


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_NUMERIC_DATE = re.compile(r"(?<![\w/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\w/]|[.-]\d)")
_ISO_DATE = re.compile(r"(?<![\w/.-])(\d{4})([/.-])(\d{1,2})\2(\d{1,2})(?![\w/]|[.-]\d)")
_NAMED_DATE = re.compile(
    rf"\b(?:{_MONTH}[ \t]+\d{{1,2}}{_ORDINAL},?[ \t]+\d{{4}}"
    rf"|\d{{1,2}}{_ORDINAL}[ \t]+(?:of[ \t]+)?{_MONTH},?[ \t]+\d{{4}}"
    rf"|\d{{1,2}}-?{_MONTH}-?(?:\d{{4}}|\d{{2}}))(?!\w)",
    _FLAGS,
)


def _plausible_numeric_date(match: re.Match[str]) -> bool:
    first, second = int(match.group(1)), int(match.group(3))
    return 1 <= first <= 31 and 1 <= second <= 31 and (first <= 12 or second <= 12)


def _plausible_iso_date(match: re.Match[str]) -> bool:
    year, month, day = int(match.group(1)), int(match.group(3)), int(match.group(4))
    return 1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31


# A date of birth: the label makes even a partial date ("DOB 3/14") an identifier.
_DOB = re.compile(
    r"(?<!\[)\b(?:DOB|D\.O\.B\.?|date[ \t]+of[ \t]+birth|birth[ \t]*date|birthday|b-?day"
    r"|born(?:[ \t]+on)?)"
    r"[ \t]*(?:(?:is|was|of)[ \t]+)?[:#=-]?[ \t]*"
    rf"(?P<v>(?:\d{{1,4}}[/-]\d{{1,2}}(?:[/.-]\d{{2,4}})?|\d{{1,2}}\.\d{{1,2}}\.\d{{2,4}})(?![\w/])"
    rf"|{_MONTH}[ \t]+\d{{1,2}}{_ORDINAL}(?:,?[ \t]+\d{{4}})?"
    rf"|\d{{1,2}}{_ORDINAL}[ \t]+(?:of[ \t]+)?{_MONTH}(?:,?[ \t]+\d{{4}})?"
    rf"|\d{{1,2}}-?{_MONTH}-?\d{{2,4}}"
    r"|\d{6,8}(?!\w))",
    _FLAGS,
)

# --------------------------------------------------------------------------------------------
# Labelled identifiers: the label stays, the value goes
# --------------------------------------------------------------------------------------------

# Between label and value: "MRN 123", "MRN:123", "MRN# 123", "MRN is 123", "member id: X1".
_SEP = r"[ \t]*(?i:(?:is|was|of)[ \t]+)?(?i:[#:=]|no\.?|num(?:ber)?)?[ \t]*[#:=-]?[ \t]*"
_QUALIFIER = r"[ \t]*(?i:#|no\.?(?!\w)|num(?:ber)?|id)"
_VALUE = r"(?P<v>(?=[A-Za-z0-9-]*\d)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?![\w-])"


def _labelled(label: str, *, case_sensitive_label: bool = False) -> re.Pattern[str]:
    # Labels and trigger words are never read inside a placeholder ("[PHONE]", "[ID]"), so a second
    # pass finds nothing the first did not.
    # The label decides case sensitivity ("FIN", "DL" only in capitals); values are any case.
    label = label if case_sensitive_label else f"(?i:{label})"
    return re.compile(rf"(?<![\w\[]){label}(?![A-Za-z]){_SEP}{_VALUE}{_NOT_A_COUNT}")


def _min_digits(count: int) -> Callable[[re.Match[str]], bool]:
    def accept(match: re.Match[str]) -> bool:
        value: str = match.group("v")
        return sum(ch.isdigit() for ch in value) >= count

    return accept


_LABELLED: Final[tuple[tuple[str, str, bool, int], ...]] = (
    # (type, label regex, label is case sensitive, minimum digits in the value)
    (
        "MRN",
        r"(?:MRN|MR[ \t]*#|MR[ \t]*no\.?|medical[ \t]+record(?:[ \t]+(?:number|no\.?|#))?"
        r"|med[ \t]*rec(?:ord)?(?:[ \t]*#)?|chart" + _QUALIFIER + r"|EMPI|MPI)",
        False,
        3,
    ),
    ("RX", r"(?:rx|℞|prescription" + _QUALIFIER + r"|script" + _QUALIFIER + r")", False, 4),
    ("NPI", r"NPI", False, 4),
    ("DEA", r"DEA", False, 4),
    (
        "MEMBER_ID",
        r"(?:(?:member(?:ship)?|mbr|subscriber|policy|insurance|ins|medicaid|medicare|group|grp"
        r"|plan|card|beneficiary|cardholder)" + _QUALIFIER + r"|MBI|HICN)",
        False,
        2,
    ),
    (
        "SSN",
        r"(?:SSN|SS[ \t]*#|social(?:[ \t]+security)?(?:[ \t]+(?:number|no\.?|#))?"
        r"|last[ \t]+(?:4|four)(?:[ \t]+digits)?(?:[ \t]+of)?"
        r"(?:[ \t]+(?:her|his|their|the|pt'?s|patient'?s))?(?:[ \t]+(?:SSN|social))?)",
        False,
        4,
    ),
    ("ID", r"(?:FIN|CSN|HAR|DL|ID)", True, 3),
    (
        "ID",
        r"(?:acct|account|encounter|prior[ \t]+auth(?:orization)?|auth(?:orization)?"
        + _QUALIFIER
        + r"|(?:order|ticket|case|claim|ref(?:erence)?|confirmation|conf|tracking|visit|invoice"
        r"|PA|license|licence|lic|driver'?s?[ \t]+licen[cs]e|passport|id)" + _QUALIFIER + ")",
        False,
        3,
    ),
)

# --------------------------------------------------------------------------------------------
# Places and ages
# --------------------------------------------------------------------------------------------

_ROOM = re.compile(r"(?<!\[)\b(?:room|rm)\.?[ \t]*#?[ \t]*(?P<v>\d{2,4}[A-Za-z]?)(?!\w)", _FLAGS)
_STATES = load("us_states")
_STATE = "|".join(sorted(_STATES))
# "IL 60614", and the city before it when a comma sets it off ("Lake Kelly, MP 19982").
_ZIP = re.compile(rf"\b(?:{_STATE}),?[ \t]+\d{{5}}(?:-\d{{4}})?(?!\w)")
_CITY_BEFORE = re.compile(r"(?<![\w'’-])(?:[A-Z][a-z]+[ \t]+){0,2}[A-Z][a-z]+,[ \t]*$")


def _with_city(match: re.Match[str]) -> tuple[int, int]:
    """The ZIP match widened to the city a comma sets off before it ("Lake Kelly, MP 19982")."""
    before = _CITY_BEFORE.search(match.string, max(0, match.start() - 40), match.start())
    return (match.start() if before is None else before.start(), match.end())


_PO_BOX = re.compile(r"\b(?i:p\.?[ \t]?o\.?[ \t]+box)[ \t]+\d+")
# Military mail: "USNS Miller", "Unit 6802 Box 2978", "PSC 4417, Box 4641", then "FPO AA 96806".
_MILITARY = re.compile(
    r"(?i:\b(?:(?:USNS|USNV|USS|USCGC)[ \t]+[A-Za-z]+"
    r"|(?:unit|psc)[ \t]+\d{3,5},?[ \t]+box[ \t]+\d{3,5})"
    r"(?:[ \t]*[,\n][ \t]*|[ \t]+)?(?:[AFD]PO[ \t]+A[AEP][ \t]+\d{5})?"
    r"|\b[AFD]PO[ \t]+A[AEP][ \t]+\d{5})(?!\w)"
)
# An apartment or suite on its own ("Apt. 318", "Suite 457"); "unit" alone is a hospital unit.
_SECONDARY = re.compile(r"\b(?i:apt|apartment|suite|ste)\.?[ \t]*#?[ \t]*\d{1,5}[A-Za-z]?(?!\w)")
# HIPAA counts any age over 89 as an identifier.
_AGE = re.compile(
    r"\b(?:9\d|1[01]\d)[ \t-]*(?:y/?o\b|y\.o\.|yrs?[ \t-]*old\b|years?[ \t-]*old\b)", _FLAGS
)

# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------

_UP = "A-ZÀ-ÖØ-Þ"
_LO = "a-zß-öø-ÿ"
# "Smith", "McDonald", "DeShawn", "O'Brien", "Smith-Jones", "Núñez".
_CORE = rf"[{_UP}](?:[{_LO}]+(?:[{_UP}][{_LO}]+)?|['’][{_UP}][{_LO}]+)"
# A name never starts inside a word: besides being right, this keeps every search linear.
_CAP = rf"(?<![\w'’-]){_CORE}(?:-{_CORE})*"
# "SMITH, JOHN" as printed on labels and EHR banners.
_CAPS_COMMA = rf"(?<![\w'’-])[{_UP}]{{2,}}(?:['’-][{_UP}]+)*,[ \t]*[{_UP}]{{2,}}"
# After the first word, a surname may be in capitals ("Harold KIM"); acronyms are cut later.
_NEXT = rf"(?:{_CAP}|[{_UP}]{{2,}}(?:['’-][{_UP}]+)*(?![\w]))"
_INITIAL = rf"[{_UP}]\."
_NAME = (
    rf"(?P<name>{_CAPS_COMMA}"
    rf"|(?:{_INITIAL}[ \t]*)?{_CAP}(?:(?:[ \t]+{_INITIAL})?[ \t]+{_NEXT}){{0,2}})"
)
_HONORIFIC = r"(?:Mr|Mrs|Ms|Mx|Dr|Mister|Miss|mr|mrs|ms|dr)\.?"
_ROLE = (
    r"(?i:pts?|pt'?s|patients?|patient'?s|residents?|resident'?s|caller|customers?|customer'?s"
    r"|client|member|guardian|care[ \t]*giver|baby(?:[ \t]+(?:girl|boy))?|infant|newborn|neonate"
    r"|mom|mother|dad|father|daughter|son|wife|husband|spouse|sister|brother|aunt|uncle|niece"
    r"|nephew|grand(?:son|daughter|mother|father|ma|pa|child|kid)|named|name[ \t]+is|name'?s"
    r"|name:|aka|cardholder|subscriber|insured|beneficiary|recipient|guarantor)"
)
_NAME_AFTER_HONORIFIC = re.compile(rf"(?<![\w\[]){_HONORIFIC}[ \t]+{_NAME}")
_NAME_AFTER_ROLE = re.compile(
    rf"(?<![\w'\[]){_ROLE}\.?(?:[ \t]*[,:][ \t]*|[ \t]+)(?:{_HONORIFIC}[ \t]+)?{_NAME}"
)
# A common first name followed by a surname needs no trigger: "Linda Park kept calling".
_NAME_PAIR = re.compile(rf"(?<![\w'’-])(?P<name>[{_UP}][{_LO}]+[ \t]+(?:{_INITIAL}[ \t]*)?{_NEXT})")
# What a patient's name is put before: family, papers and medicines ("Okafor's daughter").
_POSSESSED_WORDS = (
    r"(?i:daughter|son|wife|husband|mom|mother|dad|father|caregiver"
    r"|family|kids?|baby|grand(?:son|daughter|kid|child)|DOB|MRN|chart|insurance[ \t]+card"
    r"|insulin|meds?|medications?|refills?|rx|prescriptions?|scripts?|orders?|dose|doses|label"
    r"|wristband|allerg(?:y|ies)|copay|profile|pump|drip|bag|appointment|discharge)\b"
)
_NAME_BEFORE_FAMILY = re.compile(rf"(?<![\w]){_NAME}['’]s[ \t]+{_POSSESSED_WORDS}")
_POSSESSED = re.compile(rf"[ \t]+{_POSSESSED_WORDS}")

# Words that can follow a trigger but never start a name: function words, calendar words,
# pharmacy and hospital vocabulary, and drug names (the story must keep "pt Eliquis"). The lists
# are shared data (bot/vocabulary/lists), read once when this module is imported.
_FUNCTION_WORDS: Final = load("function_words")
# Calendar words double as first names ("June", "Will", "May"): they stop a name only when
# nothing name-like follows them.
_WEAK_STOPS: Final = load("calendar_words")
_DRUGS: Final = load("drugs")
_DEVICES: Final = load("devices")
_STRONG_STOPS: Final = _FUNCTION_WORDS.union(
    load("pharmacy_words"),
    load("staff_roles"),
    load("places"),
    _DEVICES,
    _DRUGS,
)
_FIRST_NAMES: Final = load("first_names")
_ACRONYMS: Final = load("acronyms")


def _name_end(match: re.Match[str], stops: frozenset[str]) -> int | None:
    """Where the name in ``match`` ends once non-name words are cut off, or None for no name."""
    start = match.start("name")
    raw = match.group("name")
    if "," in raw:  # "SMITH, JOHN"
        words = [w.strip() for w in raw.split(",")]
        if any(w in _ACRONYMS or w.lower() in stops for w in words):
            return None
        return match.end("name")
    end = start
    kept = 0
    tokens = list(re.finditer(r"\S+", raw))
    for index, token in enumerate(tokens):
        word = token.group(0).rstrip(".").lower()
        if word in stops or token.group(0).rstrip(".") in _ACRONYMS:
            break
        if word in _WEAK_STOPS:
            if kept:  # "Mr. Kim Monday": a weekday after a name is not a surname
                break
            if stops is _STRONG_STOPS:
                # After a role word, "June" or "Will" is a name only if a surname follows.
                nxt = (
                    tokens[index + 1].group(0).rstrip(".").lower()
                    if index + 1 < len(tokens)
                    else ""
                )
                if not nxt or nxt in stops or nxt in _WEAK_STOPS:
                    break
        kept += 1
        end = start + token.end()
    if kept == 0 or all(len(t.group(0).rstrip(".")) == 1 for t in tokens[:kept]):
        return None
    return end


# Words that put a capitalized pair in a patient's story ("Tamara Mendoza was discharged").
_PATIENT_CUE = re.compile(
    r"(?i:\b(?:pts?|patients?|mrn|dob|rx|refills?|discharged|admitted|allergic|allerg(?:y|ies)"
    r"|caller|called|calls?|calling|name|face[ \t]+sheet|copay|member[ \t]+id|insurance|wristband"
    r"|chart|label|voicemail|vm|message|msg|spoke|talked|pick(?:ed)?[ \t]*up|delivery|profile"
    r"|family|daughter|son|wife|husband|mom|dad|mother|father|bedside|room|bed|orders?|doses?"
    r"|meds?|medications?|prescriptions?|scripts?|pharmacy)\b)"
)


_WORDS = re.compile(r"[a-z]+")


def _about_a_patient(text: str) -> bool:
    """Whether ``text`` tells a patient's story: a cue word, or a drug the person names."""
    if _PATIENT_CUE.search(text):
        return True
    return not _DRUGS.isdisjoint(_WORDS.findall(text.lower()))


_CITIES: Final = load("cities")
# Every city of several words and its first words ("kansas city", "salt lake"): a pair of
# capitalized words that is (part of) a city is not a person.
_CITY_PHRASES: Final = frozenset(
    " ".join(city.split()[:n]) for city in _CITIES for n in range(2, len(city.split()) + 1)
)


# Calendar words that are first names too ("April Morales", "June Carter").
_NAME_LIKE_CALENDAR: Final = frozenset(["april", "may", "june", "august", "grace", "faith", "hope"])
# Surnames that are also directions or months ("Carol West", "Tracy May").
_SURNAME_WORDS: Final = frozenset(["north", "south", "east", "west", "may", "june", "april"])


def _unknown_pair_is_name(words: list[str]) -> bool:
    """Two capitalized words, neither a known first name, taken for a name in a patient's story."""
    phrase = " ".join(words).lower()
    if len(words) != 2 or phrase in _CITY_PHRASES or phrase in _DEVICES:
        return False
    first, last = (w.lower() for w in words)
    return (
        all(w[0].isupper() and w[1:].islower() for w in words)
        and (first in _NAME_LIKE_CALENDAR or first not in _NOT_A_NAME)
        and last not in _NOT_A_NAME
        and not {first, last} & _PATIENT_WORDS
    )


def _name_pair_spans(text: str) -> list[_Span]:
    spans: list[_Span] = []
    pos = 0
    cue: bool | None = None
    while (match := _NAME_PAIR.search(text, pos)) is not None:
        words = match.group("name").split()
        first = words[0].lower()
        if first not in _FIRST_NAMES and _unknown_pair_is_name(words):
            if cue is None:
                cue = _about_a_patient(text)
            if cue:
                spans.append((match.start("name"), match.end("name"), _P_NAME, "NAME"))
        elif first in _FIRST_NAMES:
            end = _name_end(match, _STRONG_STOPS)
            if (
                end == match.start("name") + len(words[0])
                and len(words) > 1
                and words[1].lower() in _SURNAME_WORDS
                and words[1][1:].islower()
            ):
                end = match.start("name") + len(" ".join(words[:2]))
            # A lone first name is a coworker as often as a patient: it takes a surname.
            if end is not None and len(text[match.start("name") : end].split()) > 1:
                spans.append((match.start("name"), end, _P_NAME, "NAME"))
        # The surname of this candidate may be the first name of the next.
        pos = match.start("name") + len(match.group("name").split(None, 1)[0])
    return spans


# Triggered name patterns, the words that cut a name short after each, and their pre-filter.
_NAME_TRIGGERS: Final[tuple[tuple[Gated, frozenset[str]], ...]] = (
    (Gated.of(_NAME_AFTER_HONORIFIC), _FUNCTION_WORDS),
    (Gated.of(_NAME_AFTER_ROLE), _STRONG_STOPS),
    (Gated.of(_NAME_BEFORE_FAMILY), _STRONG_STOPS),
)


def _name_spans(text: str, lowered: str | None) -> list[_Span]:
    spans: list[_Span] = _name_pair_spans(text)
    for gate, stops in _NAME_TRIGGERS:
        if not _worth_running(gate, lowered):
            continue
        pattern = gate.pattern
        pos = 0
        while (match := pattern.search(text, pos)) is not None:
            end = _name_end(match, stops)
            if end is not None:
                spans.append((match.start("name"), end, _P_NAME, "NAME"))
            # Resume inside the candidate, so "patient Mrs. Smith" and "pt The ... Mr. Kim"
            # still reach the next trigger even when this candidate was rejected.
            pos = max(match.start("name"), match.start() + 1)
    return spans


# --------------------------------------------------------------------------------------------
# Names in lower case, on labels and before a possessive
# --------------------------------------------------------------------------------------------

_COMMON_WORDS: Final = load("common_words")
# Everything that is not a name when typed in lower case: the trigger vocabulary, pharmacy,
# drug and place lists, and everyday words of the story.
_NOT_A_NAME: Final = _STRONG_STOPS | _WEAK_STOPS | _COMMON_WORDS
# "lopez", "o'brien", "smith-jones"; never the "'s" of a possessive.
_LOWER_WORD = r"[a-zß-öø-ÿ](?:[a-zß-öø-ÿ-]|['’](?=[a-zß-öø-ÿ]{2}))*[a-zß-öø-ÿ]"
_PATIENT_WORDS: Final = frozenset(
    [
        "pt",
        "pts",
        "patient",
        "patients",
        "resident",
        "residents",
        "caller",
        "customer",
        "customers",
        "client",
        "member",
        "guardian",
        "caregiver",
        "mom",
        "mother",
        "dad",
        "father",
        "daughter",
        "son",
        "wife",
        "husband",
        "spouse",
        "sister",
        "brother",
        "aunt",
        "uncle",
        "niece",
        "nephew",
        "grandson",
        "granddaughter",
        "grandmother",
        "grandfather",
        "named",
    ]
)


_FAMILY_WORDS: Final = frozenset(
    [
        *("mom", "mother", "dad", "father", "daughter", "son", "wife", "husband", "spouse"),
        *("sister", "brother", "aunt", "uncle", "niece", "nephew", "grandson", "granddaughter"),
        *("grandmother", "grandfather", "grandma", "grandpa", "caregiver", "guardian"),
    ]
)


def _lower_name_like(word: str) -> bool:
    """Whether a lower-case word may be part of a name ("lopez" yes; "refused", "vanc" no)."""
    if word in _FIRST_NAMES:
        return True
    if len(word) < 2 or word in _NOT_A_NAME or word in _PATIENT_WORDS:
        return False
    return _lower_name_like_shape(word)


def _lower_name_like_shape(word: str) -> bool:
    # Verb and adverb endings are the story going on ("pt screaming", "mr. garcia yelled").
    return not word.endswith(("ing", "ly")) and not (word.endswith("ed") and len(word) > 4)


# A name ends at the end of a word; a possessive may follow ("ms lopez's insulin").
_NAME_END = r"(?=['’]s(?!\w)|(?![\w'’-]))"
# "mr. garcia", "mrs delgado", "dr. jacob woods": one word, two when the first is a first name.
# The honorific is typed in lower case too: "Dr. lounge" is a room, not a person.
_LOWER_AFTER_HONORIFIC = re.compile(
    rf"(?<![\w\[])(?:mr|mrs|ms|mx|dr|miss|mister)\.?[ \t]+(?P<name>{_LOWER_WORD}"
    rf"(?:[ \t]+{_LOWER_WORD})?){_NAME_END}"
)
# "patient john smith", "pt maria lopez", "her son jake ortiz": a first and last name.
_LOWER_AFTER_ROLE = re.compile(
    rf"(?<![\w'\[])(?:{_ROLE}|(?i:this[ \t]+is))\.?(?:[ \t]*[,:][ \t]*|[ \t]+)"
    rf"(?P<name>{_LOWER_WORD}[ \t]+{_LOWER_WORD})"
    rf"{_NAME_END}"
)
# "his daughter jennifer", "pt maria": a known first name alone after a patient or family word.
_LOWER_FIRST_AFTER_ROLE = re.compile(
    rf"(?<![\w'\[]){_ROLE}\.?(?:[ \t]*[,:][ \t]*|[ \t]+)(?P<name>{_LOWER_WORD}){_NAME_END}"
)
# "for donna pena", "called kelsey boyd": a known first name and a surname after a verb or
# preposition that introduces a person.
_LOWER_AFTER_CUE = re.compile(
    rf"(?<![\w\[])(?i:for|called|call|calling|caller|with|from|about|to|tell|told|and|is|name)"
    rf"[ \t]+(?P<name>{_LOWER_WORD}[ \t]+{_LOWER_WORD}){_NAME_END}"
)


# "john smith's insulin": a known first name and a surname before a possessive.
_LOWER_POSSESSIVE = re.compile(
    rf"(?<![\w'’-])(?P<name>{_LOWER_WORD}[ \t]+{_LOWER_WORD})['’]s(?![\w])"
)
# "MR. GARCIA", "Mrs DELGADO": a surname in capitals after an honorific.
_CAPS_AFTER_HONORIFIC = re.compile(
    rf"(?<![\w\[])(?i:mr|mrs|ms|mx|dr|miss|mister)\.?[ \t]+(?P<name>[{_UP}]{{2,}}(?:['’-][{_UP}]+)*"
    rf"(?:[ \t]+[{_UP}]{{2,}}(?:['’-][{_UP}]+)*)?)(?![\w'’-])"
)


_LOWER_GATES: Final = {
    pattern: Gated.of(pattern)
    for pattern in (
        _LOWER_AFTER_HONORIFIC,
        _CAPS_AFTER_HONORIFIC,
        _LOWER_FIRST_AFTER_ROLE,
        _LOWER_AFTER_ROLE,
        _LOWER_AFTER_CUE,
    )
}


def _runs(pattern: re.Pattern[str], lowered: str | None) -> bool:
    return _worth_running(_LOWER_GATES[pattern], lowered)


def _lower_spans(text: str, lowered: str | None) -> list[_Span]:
    spans: list[_Span] = []
    if "'" in text or "’" in text:
        spans.extend(_lower_possessive_spans(text))
    if _runs(_CAPS_AFTER_HONORIFIC, lowered):
        spans.extend(_caps_after_honorific_spans(text))
    if _runs(_LOWER_AFTER_HONORIFIC, lowered):
        spans.extend(_lower_after_honorific_spans(text))
    if _runs(_LOWER_FIRST_AFTER_ROLE, lowered):
        spans.extend(_lower_first_after_role_spans(text))
    for pattern, needs_first in ((_LOWER_AFTER_ROLE, False), (_LOWER_AFTER_CUE, True)):
        if _runs(pattern, lowered):
            spans.extend(_lower_pair_spans(text, pattern, needs_first=needs_first))
    return spans


def _lower_possessive_spans(text: str) -> list[_Span]:
    spans: list[_Span] = []
    for found in _LOWER_POSSESSIVE.finditer(text):
        first, last = found.group("name").split()
        belongs = _POSSESSED.match(text, found.end()) is not None
        if (first in _FIRST_NAMES or (belongs and _lower_name_like(first))) and _lower_name_like(
            last
        ):
            spans.append((found.start("name"), found.end("name"), _P_NAME, "NAME"))
    return spans


def _caps_after_honorific_spans(text: str) -> list[_Span]:
    spans: list[_Span] = []
    for found in _CAPS_AFTER_HONORIFIC.finditer(text):
        words = found.group("name").split()
        if words[0] not in _ACRONYMS and words[0].lower() not in _NOT_A_NAME:
            end = found.start("name") + len(words[0])
            if (
                len(words) == 2
                and words[1] not in _ACRONYMS
                and words[1].lower() not in _NOT_A_NAME
            ):
                end = found.end("name")
            spans.append((found.start("name"), end, _P_NAME, "NAME"))
    return spans


def _lower_after_honorific_spans(text: str) -> list[_Span]:
    spans: list[_Span] = []
    for match in _LOWER_AFTER_HONORIFIC.finditer(text):
        words = match.group("name").split()
        honorific = match.group(0)[: match.start("name") - match.start()].strip(" \t.").lower()
        # "ms contin" is a drug, not Ms. Contin.
        if not _lower_name_like(words[0]) or f"{honorific} {words[0]}" in _DRUGS:
            continue
        keep = 1
        if len(words) == 2 and words[0] in _FIRST_NAMES and _lower_name_like(words[1]):
            keep = 2
        start = match.start("name")
        spans.append((start, start + len(" ".join(words[:keep])), _P_NAME, "NAME"))
    return spans


def _lower_first_after_role_spans(text: str) -> list[_Span]:
    spans: list[_Span] = []
    for found in _LOWER_FIRST_AFTER_ROLE.finditer(text):
        word = found.group("name")
        role = found.group(0)[: found.start("name") - found.start()].strip(" \t.,:").lower()
        # After a family word a lone lower-case word that is no story word is a first name
        # ("his daughter jennifer"); after "pt" it must be a known first name ("pt maria").
        if word in _FIRST_NAMES or (role in _FAMILY_WORDS and _lower_name_like(word)):
            spans.append((found.start("name"), found.end("name"), _P_NAME, "NAME"))
    return spans


def _lower_pair_spans(text: str, pattern: re.Pattern[str], *, needs_first: bool) -> list[_Span]:
    spans: list[_Span] = []
    pos = 0
    while (pair := pattern.search(text, pos)) is not None:
        first, last = pair.group("name").split()
        # After a known first name an everyday word is a surname too ("pt kelsey long").
        surname = _lower_name_like(last) or (
            first in _FIRST_NAMES and last in _COMMON_WORDS and _lower_name_like_shape(last)
        )
        known = first in _FIRST_NAMES or not needs_first
        if surname and _lower_name_like(first) and (known or _about_a_patient(text)):
            spans.append((pair.start("name"), pair.end("name"), _P_NAME, "NAME"))
        pos = pair.start("name")
    return spans


# Label and screen formats: "Blorfman, Ketzia (mrn#…)", "SMITH, JOHN A", "Holmes, J.  MRN …",
# "Duncan, Samuel 6931297003". A "Last, First" pair needs the label around it (a bracket, a bar,
# an identifier, a number or the end of the line) or an initial, so prose such as "Yes, Maria"
# stays.
_WORD_OR_CAPS = rf"(?:{_CORE}(?:-{_CORE})*|[{_UP}]{{2,}}(?:['’-][{_UP}]+)*)"
_LABEL_NAME = re.compile(
    rf"(?<![\w'’-])(?P<name>(?P<last>{_WORD_OR_CAPS}),[ \t]*(?:"
    rf"(?P<initials>[{_UP}]\.(?:[ \t]*[{_UP}]\.)?)"
    rf"|(?P<first>{_WORD_OR_CAPS})"
    rf"(?:[ \t]+(?P<middle>[{_UP}]\.|[{_UP}](?![\w'’.-])|{_CORE}(?=[ \t]*[(|])))?))"
    rf"(?![\w'’-])"
)
# What follows a plain "Last, First" on a label: a bracket, a bar, an identifier, a number, the
# story going on ("on 4 West") or the end of the line.
_LABEL_CONTEXT = re.compile(
    r"[ \t]*(?:[(|\[:;]|[-–—]|[A-Z]?\d"
    r"|(?i:mrn|mr#|dob|d\.o\.b|rx|dos|acct|fin|csn|age|sex|allerg\w*)\b"
    r"|(?:on|in|at|for|is|was|has|needs|got|from)[ \t]+\S|$|\n)"
)


_ANY_UPPER_PAIR = re.compile(r"[A-Z]{2}")
_LABEL_STOPS: Final = _STRONG_STOPS - load("places") | {"on", "in", "at"}
_UNIT_BEFORE = re.compile(r"\d[ \t]*$")
# "KETZIA BLORFMAN MRN 4433221": a first and last name in capitals, right before an identifier.
_CAPS_PAIR_LABEL = re.compile(
    rf"(?<![\w'’-])(?P<name>[{_UP}]{{2,}}(?:['’-][{_UP}]+)*[ \t]+[{_UP}]{{2,}}(?:['’-][{_UP}]+)*)"
    r"(?=[ \t]*(?:[(|:]|[-–—][ \t]|(?:MRN|MR#|DOB|D\.O\.B|RX|Rx|DOS|FIN|CSN)\b|[A-Z]?\d))"
)


def _label_spans(text: str) -> list[_Span]:
    spans: list[_Span] = []
    if "," not in text and not _ANY_UPPER_PAIR.search(text):
        return spans
    for found in _CAPS_PAIR_LABEL.finditer(text):
        words = found.group("name").split()
        if not any(w in _ACRONYMS or w.lower() in _NOT_A_NAME for w in words):
            spans.append((found.start("name"), found.end("name"), _P_NAME, "NAME"))
    for match in _LABEL_NAME.finditer(text):
        words = [match.group("last"), match.group("first") or ""]
        # On a label, surnames that are also words stay names ("WEST, GRACE", "Cross, E.");
        # only the story's own vocabulary, or a unit ("4 West, Tylenol"), rules one out.
        if any(w and (w in _ACRONYMS or w.lower() in _LABEL_STOPS) for w in words):
            continue
        if _UNIT_BEFORE.search(text, 0, match.start("name")):
            continue
        # An initial or a name in capitals is label form already ("Watson, J.", "SMITH, AMY R").
        label_form = bool(match.group("initials") or match.group("middle")) or (
            words[0].isupper() and words[1].isupper() and max(len(w) for w in words) > 2
        )
        # Otherwise a label around it, or a known first name in a patient's story ("Stewart, Emma
        # wants Keppra"); prose such as "Yes, Maria said no" stays.
        if not (
            label_form
            or _LABEL_CONTEXT.match(text, match.end()) is not None
            or (
                words[1].lower() in _FIRST_NAMES
                and _lower_name_like_shape(words[0].lower())
                and _about_a_patient(text)
            )
        ):
            continue
        if match.group("initials") == "I.":
            continue
        spans.append((match.start("name"), match.end("name"), _P_NAME, "NAME"))
    return spans


# "John Smith's insulin", "Kimberly Watkins's Zosyn": two capitalized words before a possessive.
_POSSESSIVE_PAIR = re.compile(rf"(?<![\w'’-])(?P<name>{_CAP}[ \t]+{_CAP})['’]s?(?![\w])")


def _possessive_spans(text: str) -> list[_Span]:
    spans: list[_Span] = []
    if "'" not in text and "’" not in text:
        return spans
    for match in _POSSESSIVE_PAIR.finditer(text):
        words = match.group("name").split()
        if any(w.lower() in _NOT_A_NAME or w.lower() in _PATIENT_WORDS for w in words):
            continue
        spans.append((match.start("name"), match.end("name"), _P_NAME, "NAME"))
    return spans


# --------------------------------------------------------------------------------------------
# Street addresses
# --------------------------------------------------------------------------------------------

_STREET_SUFFIXES: Final = load("street_suffixes")
# Suffixes people use for streets every day: enough, even in lower case after a short number.
_EVERYDAY_SUFFIXES: Final = frozenset(
    [
        "st",
        "street",
        "ave",
        "av",
        "avenue",
        "rd",
        "road",
        "blvd",
        "boulevard",
        "dr",
        "drive",
        "ln",
        "lane",
        "ct",
        "court",
        "way",
        "pl",
        "place",
        "cir",
        "circle",
        "hwy",
        "highway",
        "pkwy",
        "parkway",
        "ter",
        "terrace",
        "trl",
        "trail",
    ]
)
_DIRECTIONS: Final = frozenset(
    ["n", "s", "e", "w", "ne", "nw", "se", "sw", "north", "south", "east", "west"]
)
_STREET = re.compile(
    r"(?<![\w.,/:-])(?P<number>\d{1,6})[ \t]+(?P<words>(?:[A-Za-z][A-Za-z'’-]*\.?[ \t]+){1,3})"
    rf"(?P<suffix>(?i:{word_trie(_STREET_SUFFIXES)}))(?![\w'’-])\.?"
)
_SUFFIX_ALT = word_trie(_STREET_SUFFIXES)
# Streets without a number: "the corner of Griffin Plaza and Steven Shoals", "Bill and Young
# Lane", "Kimberly Grove Andrew Fort" (then a unit); every word capitalized, or after "corner of".
_CAP_SUFFIX = word_trie(suffix.capitalize() for suffix in _STREET_SUFFIXES)
_NAMED_STREET = re.compile(
    rf"\b(?:(?i:corner[ \t]+of)[ \t]+(?i:[a-z]+[ \t]+(?:{_SUFFIX_ALT})[ \t]+and[ \t]+[a-z]+[ \t]+"
    rf"(?:{_SUFFIX_ALT}))(?![\w'’-])"
    rf"|{_CORE}[ \t]+and[ \t]+{_CORE}[ \t]+{_CAP_SUFFIX}(?![\w'’-])"
    rf"|{_CORE}[ \t]+{_CAP_SUFFIX}[ \t]+{_CORE}[ \t]+{_CAP_SUFFIX}(?=[ \t]*(?:\n|,)[ \t]*"
    r"(?i:apt|suite|ste|unit)\b))"
)
_PLACE_WORD = rf"(?:{_CORE}|[a-z]['’]{_CORE}|\({_CORE}(?:[ \t]+{_CORE})*\))"
_TAIL_UNIT = re.compile(
    r"[ \t]*,?[ \t]*\n?[ \t]*(?:(?i:apt|apartment|suite|ste|unit|bldg|building|fl|floor|rm|room)\.?"
    r"|#)[ \t]*#?[ \t]*[A-Za-z]?\d[\w-]*"
)
_TAIL_SEP = re.compile(r"(?:[ \t]*[,\n])+[ \t]*|[ \t]+")
_TAIL_ZIP = re.compile(r"\d{5}(?:-\d{4})?(?!\w)")
_TAIL_STATE = re.compile(rf"(?i:{_STATE})(?![\w'’-])")
_TAIL_PLACE = re.compile(
    rf"{_PLACE_WORD}(?:[ \t]+(?:(?:and|the|of|da|de|du)[ \t]+)*{_PLACE_WORD}){{0,5}}"
    # "Antarctica (the territory South of 60 deg S)"
    r"(?:[ \t]*\([^()\n]{1,40}\))?"
)
_SPACED_LOWER_CITY = re.compile(rf"[ \t]+(?P<city>{_LOWER_WORD}(?:[ \t]+{_LOWER_WORD}){{0,4}})")
_LABEL_NEXT = re.compile(r"[ \t]*:")
# "lake erinborough, myanmar 87412": lower-case places that end in a ZIP.
_PLACES_THEN_ZIP = re.compile(
    rf"{_LOWER_WORD}(?:[ \t]+{_LOWER_WORD}){{0,3}}[ \t]*,?[ \t]*\d{{5}}(?:-\d{{4}})?(?!\w)"
)
_TAIL_LOWER_PLACE = re.compile(rf"{_LOWER_WORD}(?:[ \t]+{_LOWER_WORD}){{0,3}}")
# What may follow a city or country: the next part, the end of the line, a closing mark.
_TAIL_END = re.compile(
    rf"(?:[ \t]*(?:[,\n.;?!)]|$)|[ \t]+\d{{5}}(?!\w)|[ \t]+(?:{_STATE})(?![\w'’-]))"
)


def _plausible_street(match: re.Match[str]) -> bool:
    if re.match(_NOT_A_COUNT, match.string[match.end("number") :]) is None:
        return False
    suffix = match.group("suffix")
    lower = suffix.lower()
    words = [w.rstrip(".").lower() for w in match.group("words").split()]
    # Street names are often everyday words ("Long Circle", "Park Ave"); only the story's own
    # vocabulary rules a street out, and everyday words only before a suffix that is a word too.
    capital = suffix[0].isupper() and all(w[0].isupper() for w in match.group("words").split())
    everyday = lower in _EVERYDAY_SUFFIXES
    not_a_street = _STRONG_STOPS if capital or everyday else _NOT_A_NAME
    if any(w in not_a_street and w not in _DIRECTIONS for w in words):
        return False
    # "the 5 East way" is a unit; "100 East Ave" is a street.
    if all(w in _DIRECTIONS for w in words) and not (capital and len(match.group("number")) > 1):
        return False
    rest = match.string[match.end() :]
    # "4 West Dr Patel's unit", "Main St Mary's": Doctor and Saint, not Drive and Street.
    if lower == "dr" and re.match(r"\.?[ \t]+[A-Z\[]", rest):
        return False
    if lower == "st" and re.match(r"[ \t.]*(?:[A-Z][a-z]+|\[NAME\])['’]s", rest):
        return False
    # Suffixes that are also words ("park", "view", "run") need a capital or a long number.
    return everyday or capital or len(match.group("number")) >= 3


# Words that begin or join place names ("New Gina", "Lake Kelly", "Saint Vincent and the
# Grenadines") even though they are everyday words too.
_PLACE_WORDS: Final = _DIRECTIONS | frozenset(
    ["new", "lake", "port", "mount", "fort", "saint", "san", "el", "la", "and", "the", "of"]
)


def _not_a_place(word: str, *, capitalized: bool = False) -> bool:
    if word in _PLACE_WORDS:
        return False
    # A capitalized place may be an everyday word ("Heard Island"); a lower-case one may not.
    return word in _STRONG_STOPS or (not capitalized and word in _COMMON_WORDS)


def _state_at(text: str, pos: int) -> int | None:
    """Where a state code at ``pos`` ends, when the address may end or go on after it."""
    state = _TAIL_STATE.match(text, pos)
    if state is None or _TAIL_END.match(text, state.end()) is None:
        return None
    return state.end()


def _tail_part(text: str, pos: int, *, spaced: bool) -> int | None:
    """Where one city, state, country or ZIP starting at ``pos`` ends, or None."""
    if (zip_code := _TAIL_ZIP.match(text, pos)) is not None:
        return zip_code.end()
    state_end = _state_at(text, pos)
    # A state code in lower case ("ia") needs a comma or a line break before it.
    if state_end is not None and (text[pos:state_end].isupper() or not spaced):
        return state_end
    if (place := _TAIL_PLACE.match(text, pos)) is not None:
        words = [w.strip("()").lower() for w in place.group(0).split()]
        # Right after a street, capitalized words are its city and country ("Apt. 126 Peterberg
        # OH", "Seychelles last night"), unless a label follows ("Mobile: ...").
        if not any(_not_a_place(w, capitalized=True) for w in words) and not _LABEL_NEXT.match(
            text, place.end()
        ):
            return place.end()
    if spaced or (lower := _TAIL_LOWER_PLACE.match(text, pos)) is None:
        return None
    # On its own line in a lower-case address ("\n brownbury\n"), the line is the city: its
    # words up to the first story word ("\n georgia in case of an issue").
    if text[:pos].rstrip(" \t").endswith("\n"):
        place_end = _leading_place_end(text, pos, lower.group(0))
        if place_end is not None:
            return place_end
    # A city in lower case counts only before its state or ZIP ("new gina, wv 68745").
    after = _TAIL_SEP.match(text, lower.end())
    if after is None or any(_not_a_place(w) for w in lower.group(0).split()):
        return None
    if (
        _TAIL_ZIP.match(text, after.end())
        or _state_at(text, after.end()) is not None
        or _PLACES_THEN_ZIP.match(text, after.end())
    ):
        return lower.end()
    return None


def _leading_place_end(text: str, pos: int, words_text: str) -> int | None:
    """Where the place-like words at the start of ``words_text`` (found at ``pos``) end."""
    end = None
    for word in re.finditer(r"\S+", words_text):
        if _not_a_place(word.group(0)):
            break
        end = pos + word.end()
    return end


_STREET_GATE: Final = Gated.of(_STREET)
_NAMED_STREET_GATE: Final = Gated.of(_NAMED_STREET)


def _address_spans(text: str, lowered: str | None) -> list[_Span]:
    spans: list[_Span] = []
    if not _worth_running(_STREET_GATE, lowered):
        return spans
    for match in _STREET.finditer(text):
        if not _plausible_street(match):
            continue
        spans.append(_with_tail(text, match.start(), match.end()))
    return spans


_STREET_WORDS: Final = _PLACE_WORDS | _STREET_SUFFIXES | {"corner"}


def _named_street_spans(text: str, lowered: str | None) -> list[_Span]:
    spans: list[_Span] = []
    if not _worth_running(_NAMED_STREET_GATE, lowered):
        return spans
    for match in _NAMED_STREET.finditer(text):
        words = match.group(0).lower().split()
        if not any(w in _STRONG_STOPS and w not in _STREET_WORDS for w in words):
            spans.append(_with_tail(text, match.start(), match.end()))
    return spans


def _with_tail(text: str, start: int, end: int) -> _Span:
    """The address from ``start``: the street up to ``end``, then its units, city and country."""
    after_unit = False
    for _ in range(2):  # "Suite 034 Suite 684" happens
        unit = _TAIL_UNIT.match(text, end)
        if unit is not None:
            end, after_unit = unit.end(), True
    if after_unit and (spaced_city := _SPACED_LOWER_CITY.match(text, end)) is not None:
        # "apt. 568 east kelliborough michigan": after a unit number, lower-case words that are
        # neither story nor everyday words are the city and state.
        city_end = _leading_place_end(text, spaced_city.start("city"), spaced_city.group("city"))
        if city_end is not None:
            return (start, city_end, _P_SHAPE, "ADDRESS")
    for _ in range(5):
        sep = _TAIL_SEP.match(text, end)
        if sep is None:
            break
        spaced = not any(ch in ",\n" for ch in sep.group(0))
        part_end = _tail_part(text, sep.end(), spaced=spaced)
        if part_end is None:
            break
        end = part_end
    return (start, end, _P_SHAPE, "ADDRESS")


# --------------------------------------------------------------------------------------------
# The project regex layer
# --------------------------------------------------------------------------------------------

_TEXT_RULES: Final[tuple[_Rule, ...]] = (
    _Rule("EMAIL", _EMAIL, _P_CONTACT, requires="@"),
    _Rule("URL", _URL, _P_CONTACT),
)
# Every pattern below needs at least one digit (its value or shape contains \d), so a text
# without digits skips them all.
_NUMBER_RULES: Final[tuple[_Rule, ...]] = (
    _Rule("DOB", _DOB, _P_LABELLED, "v"),
    *(
        _Rule(kind, _labelled(label, case_sensitive_label=exact), _P_LABELLED, "v", _min_digits(n))
        for kind, label, exact, n in _LABELLED
    ),
    _Rule("SSN", _SSN, _P_SHAPE),
    _Rule("PHONE", _PHONE, _P_SHAPE),
    _Rule("PHONE", _LOCAL_PHONE, _P_SHAPE, 1),
    _Rule("PHONE", _INTL_PHONE, _P_SHAPE, 0, _eight_digits_or_more),
    _Rule("DATE", _NUMERIC_DATE, _P_SHAPE, 0, _plausible_numeric_date),
    _Rule("DATE", _ISO_DATE, _P_SHAPE, 0, _plausible_iso_date),
    _Rule("DATE", _NAMED_DATE, _P_SHAPE),
    _Rule("ADDRESS", _ZIP, _P_SHAPE, extent=_with_city),
    _Rule("ADDRESS", _PO_BOX, _P_SHAPE),
    _Rule("ADDRESS", _MILITARY, _P_SHAPE),
    _Rule("ADDRESS", _SECONDARY, _P_SHAPE),
    _Rule("AGE", _AGE, _P_SHAPE),
    _Rule("ROOM", _ROOM, _P_SHAPE, "v"),
    _Rule("ID", _DIGIT_RUN, _P_DIGITS),
    _Rule("ID", _DIGIT_GROUPS, _P_DIGITS, 0, _nine_digits_or_more),
)


_ANY_DIGIT = re.compile(r"\d")


def _regex_spans(text: str) -> list[_Span]:
    lowered = text.lower() if text.isascii() else None
    spans = _name_spans(text, lowered)
    spans.extend(_lower_spans(text, lowered))
    spans.extend(_label_spans(text))
    spans.extend(_possessive_spans(text))
    for rule in _TEXT_RULES:
        spans.extend(rule.spans(text, lowered))
    if _ANY_DIGIT.search(text):
        for rule in _NUMBER_RULES:
            spans.extend(rule.spans(text, lowered))
        spans.extend(_address_spans(text, lowered))
    spans.extend(_named_street_spans(text, lowered))
    return spans


# --------------------------------------------------------------------------------------------
# Presidio (no_op NLP engine, pattern recognizers only)
# --------------------------------------------------------------------------------------------

# Presidio entity -> (our type, minimum score). Checksum recognizers (NPI, DEA, credit card)
# score 1.0 when the checksum holds and are dropped when it fails; the thresholds drop the
# "very weak" context-free patterns, which the no_op engine cannot boost with context words.
_PRESIDIO_TYPES: Final[dict[str, tuple[str, float]]] = {
    "EMAIL_ADDRESS": ("EMAIL", 0.5),
    "PHONE_NUMBER": ("PHONE", 0.4),
    "US_SSN": ("SSN", 0.5),
    "US_ITIN": ("ID", 0.3),
    "US_NPI": ("NPI", 0.5),
    "MEDICAL_LICENSE": ("DEA", 0.5),
    "US_MBI": ("MEMBER_ID", 0.3),
    "CREDIT_CARD": ("ID", 0.5),
    "DATE_TIME": ("DATE", 0.6),
    "US_PRESCRIPTION_NUMBER": ("RX", 0.35),
    "US_PRIOR_AUTHORIZATION_NUMBER": ("ID", 0.35),
    "US_CLAIM_NUMBER": ("ID", 0.35),
    "US_REFERRAL_NUMBER": ("ID", 0.35),
}

# Cheap gates: Presidio runs only the recognizers whose patterns could match this text. A gate
# is a set of regexes that every pattern of its recognizers able to reach the thresholds above
# implies, so skipping never loses a finding (tests/coaching/test_redaction.py also checks this
# on a corpus). Weak patterns below their threshold do not count: the no_op engine produces no
# tokens, so context words can never lift them.
_D = r"[^\dA-WYZa-wyz]"  # a superset of phonenumbers' punctuation (which includes "x")
_GATES: Final[tuple[tuple[tuple[re.Pattern[str], ...], tuple[str, ...]], ...]] = (
    ((re.compile("@"),), ("EMAIL_ADDRESS",)),
    # The shortest valid number in phonenumbers' metadata is six digits with its country code;
    # a candidate's digits are chained by at most four punctuation characters.
    ((re.compile(rf"\d(?:{_D}{{0,4}}\d){{5}}"),), ("PHONE_NUMBER",)),
    # SSN (3-2-4), ITIN (3-2-4), NPI (10 digits) and card numbers (13+ digits): nine or more
    # digits with at most one separator between them.
    ((re.compile(r"\d(?:[- .]?\d){8}"),), ("US_SSN", "US_ITIN", "US_NPI", "CREDIT_CARD")),
    ((re.compile(r"\d{7}"),), ("MEDICAL_LICENSE",)),  # DEA: two letters and seven digits
    ((re.compile(r"\d{6}"), re.compile(r"(?i)rx|prescription")), ("US_PRESCRIPTION_NUMBER",)),
    ((re.compile(r"\d{6}"), re.compile(r"(?i)auth")), ("US_PRIOR_AUTHORIZATION_NUMBER",)),
    ((re.compile(r"\d{6}"), re.compile(r"(?i)claim")), ("US_CLAIM_NUMBER",)),
    ((re.compile(r"\d{6}"), re.compile(r"(?i)referral")), ("US_REFERRAL_NUMBER",)),
    ((re.compile(r"\d[/.-]\d|\d-[A-Za-z]|[A-Za-z]-\d"),), ("DATE_TIME",)),
    ((re.compile(r"\d[A-Za-z][A-Za-z0-9]\d"),), ("US_MBI",)),
)


def presidio_entities_for(text: str) -> list[str]:
    """Return the Presidio entities worth looking for in ``text`` (empty: skip Presidio).

    Args:
        text: The text about to be analysed.

    Returns:
        Entity names whose recognizers could possibly match, in a stable order.
    """
    entities: list[str] = []
    for gate, names in _GATES:
        if all(pattern.search(text) for pattern in gate):
            entities.extend(names)
    return entities


def _offline_domain_ok(address: str) -> bool:
    """Whether an e-mail's domain looks real, decided without any network or suffix list."""
    domain = address.rpartition("@")[2].rstrip(".")
    labels = domain.split(".")
    if len(labels) < 2 or not all(labels):
        return False
    tld = labels[-1].lower()
    return (tld.isalpha() and len(tld) >= 2) or tld.startswith("xn--")


class _PresidioLayer:
    """Presidio's analyzer with the no_op NLP engine and only self-contained recognizers."""

    # A text that exercises every recognizer once, so patterns compile before threads share them.
    _WARM_UP = (
        "a@b.org +44 20 7946 0958 536-22-8471 912-78-1234 1234567893 AB1234563 1EG4-TE5-MK73 "
        "4111 1111 1111 1111 03/14/1961 Rx 4418207 prior auth 12345678 "
        "claim 12345678 referral 12345678"
    )

    def __init__(self) -> None:
        # Imported here: Presidio pulls in spaCy (about two seconds), which only the process
        # that actually redacts should pay for.
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
        from presidio_analyzer.nlp_engine import NlpEngineProvider, NoOpNlpEngine
        from presidio_analyzer.predefined_recognizers import (
            CreditCardRecognizer,
            DateRecognizer,
            EmailRecognizer,
            MedicalLicenseRecognizer,
            PhoneRecognizer,
            UsClaimNumberRecognizer,
            UsItinRecognizer,
            UsMbiRecognizer,
            UsNpiRecognizer,
            UsPrescriptionNumberRecognizer,
            UsPriorAuthorizationNumberRecognizer,
            UsReferralNumberRecognizer,
            UsSsnRecognizer,
        )

        class OfflineEmailRecognizer(EmailRecognizer):
            """Presidio's e-mail recognizer without tldextract (which fetches the suffix list)."""

            def validate_result(self, pattern_text: str) -> bool:
                return _offline_domain_ok(pattern_text)

        class NoContextEnhancer(ContextAwareEnhancer):
            """Leaves scores alone: the no_op engine yields no tokens for context words to match.

            Presidio's default (lemma) enhancer would find nothing either, but deep-copies every
            result on every call to do so.
            """

            def __init__(self) -> None:
                super().__init__(
                    context_similarity_factor=0,
                    min_score_with_context_similarity=0,
                    context_prefix_count=0,
                    context_suffix_count=0,
                )

            def enhance_using_context(
                self, text: str, raw_results: list[Any], *args: Any, **kwargs: Any
            ) -> list[Any]:
                return raw_results

        # Restricting the provider to NoOpNlpEngine makes it impossible to end up with an engine
        # that loads (or downloads) a spaCy, Stanza or transformers model.
        nlp_engine = NlpEngineProvider(
            nlp_engines=(NoOpNlpEngine,),
            nlp_configuration={
                "nlp_engine_name": "no_op",
                "models": [{"lang_code": "en", "model_name": "no_op"}],
            },
        ).create_engine()
        # Left out on purpose: UrlRecognizer (its TLD list has no trailing boundary, so
        # "again.So" or "pharmacy.Insurance" typed without a space become URLs; our own rule
        # takes scheme:// and www. links), IpRecognizer (addresses in a vent are printers and
        # cabinets, not patients, and its IPv6 forms shift when a neighbouring number becomes a
        # placeholder, so a second pass would redact again), UsLicenseRecognizer and
        # UsHealthInsuranceMemberIdRecognizer (context-free they match "CYP3A4", "COVID19";
        # labelled driver licence and member ids are in the project layer), and every
        # NER/LLM/cloud recognizer (models or network).
        recognizers: list[Any] = [
            OfflineEmailRecognizer(),
            # Region "US" parses national formats as NANP; numbers written with + and a
            # country code are found whatever the region.
            PhoneRecognizer(supported_regions=("US",)),
            UsSsnRecognizer(),
            UsItinRecognizer(),
            UsNpiRecognizer(),
            MedicalLicenseRecognizer(),
            UsMbiRecognizer(),
            CreditCardRecognizer(),
            DateRecognizer(),
            UsPrescriptionNumberRecognizer(),
            UsPriorAuthorizationNumberRecognizer(),
            UsClaimNumberRecognizer(),
            UsReferralNumberRecognizer(),
        ]
        registry = RecognizerRegistry(recognizers=recognizers, supported_languages=["en"])
        self.engine: Any = AnalyzerEngine(
            registry=registry,
            nlp_engine=nlp_engine,
            supported_languages=["en"],
            context_aware_enhancer=NoContextEnhancer(),
        )
        self.engine.analyze(self._WARM_UP, language="en")

    def spans(self, text: str, entities: list[str]) -> list[_Span]:
        spans: list[_Span] = []
        for result in self.engine.analyze(text, language="en", entities=entities):
            kind, threshold = _PRESIDIO_TYPES[result.entity_type]
            if result.score >= threshold:
                spans.append((int(result.start), int(result.end), _P_PRESIDIO, kind))
        return spans


# --------------------------------------------------------------------------------------------
# Redactor
# --------------------------------------------------------------------------------------------

# A last look at the output: if one of these shapes is still there, a rule or the merge is
# broken, and the text is refused rather than let through.
_LEAK_CHECKS: Final[tuple[re.Pattern[str], ...]] = (re.compile(r"\d{6}"), _EMAIL, _SSN)


def _whole_words(text: str, spans: list[_Span]) -> list[_Span]:
    """Widen spans that start or end inside a word to the whole word ("Mar372-65-9371").

    A placeholder glued to the rest of a word would change what a second pass sees (a word
    boundary appears next to "[") and would leave part of the identifier's word behind.
    """
    widened: list[_Span] = []
    for start, end, priority, kind in spans:
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        while end < len(text) and text[end].isalnum():
            end += 1
        widened.append((start, end, priority, kind))
    return widened


def _merge(spans: list[_Span]) -> list[_Span]:
    """Merge overlapping spans; each merged span keeps the most specific (lowest) priority."""
    spans.sort(key=lambda span: (span[0], -span[1]))
    merged: list[_Span] = []
    for start, end, priority, kind in spans:
        if merged and start < merged[-1][1]:
            m_start, m_end, m_priority, m_kind = merged[-1]
            if priority < m_priority:
                m_priority, m_kind = priority, kind
            merged[-1] = (m_start, max(m_end, end), m_priority, m_kind)
        else:
            merged.append((start, end, priority, kind))
    return merged


# Parts of one name or one address found by different rules ("Duncan," and "Samuel", a street and
# its city line) become one placeholder, so the text reads "[NAME]" and not "[NAME], [NAME]".
_JOINABLE: Final[dict[str, re.Pattern[str]]] = {
    "NAME": re.compile(r"[ \t,]*"),
    "ADDRESS": re.compile(r"[\s,]*"),
}


def _join_parts(text: str, spans: list[_Span]) -> list[_Span]:
    joined: list[_Span] = []
    for span in spans:
        if joined:
            start, end, priority, kind = joined[-1]
            gap = _JOINABLE.get(kind)
            if kind == span[3] and gap is not None and gap.fullmatch(text, end, span[0]):
                joined[-1] = (start, span[1], min(priority, span[2]), kind)
                continue
        joined.append(span)
    return joined


class Redactor:
    """Replaces identifiers in text with typed placeholders; thread-safe once built.

    Build one per process (:func:`get_redactor`): setting up Presidio takes a moment, redacting
    does not.
    """

    def __init__(self, *, use_presidio: bool = True) -> None:
        """Build the redactor.

        Args:
            use_presidio: Add Presidio's recognizers to the project regex layer. Off only for
                measurements and tests of the regex layer; production always keeps it on.

        Raises:
            RedactionError: Presidio could not be set up.
        """
        self.use_presidio = use_presidio
        self._presidio: _PresidioLayer | None = None
        if use_presidio:
            try:
                self._presidio = _PresidioLayer()
            except Exception as exc:
                raise RedactionError(f"could not set up Presidio: {type(exc).__name__}") from None

    def redact(self, text: str) -> RedactionResult:
        """Return ``text`` with every identifier found replaced by its placeholder.

        Args:
            text: What a person wrote or what a coach answered.

        Returns:
            The redacted text and one :class:`Redaction` per identifier, in text order.

        Raises:
            RedactionError: Anything went wrong; the text must be dropped (fail closed).
        """
        try:
            return self._redact(text)
        except RedactionError:
            raise
        except Exception as exc:
            # Only the exception type: its message could quote the text.
            raise RedactionError(f"redaction failed: {type(exc).__name__}") from None

    def _redact(self, text: str) -> RedactionResult:
        if not isinstance(text, str):
            raise RedactionError("redaction needs text")
        spans = _regex_spans(text)
        if self._presidio is not None:
            entities = presidio_entities_for(text)
            if entities:
                spans.extend(self._presidio.spans(text, entities))
        if not spans:
            return RedactionResult(text=text, redactions=[])
        pieces: list[str] = []
        redactions: list[Redaction] = []
        cursor = 0
        for start, end, _priority, kind in _join_parts(text, _merge(_whole_words(text, spans))):
            pieces.append(text[cursor:start])
            pieces.append(f"[{kind}]")
            redactions.append(Redaction(type=kind))
            cursor = end
        pieces.append(text[cursor:])
        redacted = "".join(pieces)
        for check in _LEAK_CHECKS:
            if check.search(redacted):
                raise RedactionError("an identifier survived redaction")
        return RedactionResult(text=redacted, redactions=redactions)


_instance: Redactor | None = None
_instance_lock = threading.Lock()


def get_redactor() -> Redactor:
    """Return the process-wide redactor (Presidio on), building it on first use.

    Raises:
        RedactionError: The redactor could not be built.
    """
    global _instance
    if _instance is None:
        with _instance_lock:
            if _instance is None:
                _instance = Redactor()
    return _instance


def redact_text(text: str) -> str:
    """Return ``text`` redacted, for log lines; never raises.

    Args:
        text: Anything about to be logged.

    Returns:
        The redacted text, or :data:`REDACTION_FAILED_TEXT` when redaction failed.
    """
    try:
        return get_redactor().redact(text).text
    except RedactionError:
        log.warning("redaction of a log message failed; message replaced")
        return REDACTION_FAILED_TEXT
