"""Read a vent for its specifics, and restate its sentences in neutral language.

Two jobs, both driven by the playbook files (no code change to extend them):

- ``SpecificsFinder`` finds what a good problem statement keeps: numbers with their units,
  times, drugs (with their form, "heparin flushes"), supplies, equipment, places, certifications;
  and which facts are missing (a count, how often, how long, when, where, what, the impact), so
  the coach can ask for them instead of inventing them.
- ``Restater`` turns each sentence of a vent into a neutral, specific one, or drops it: identifiers
  that slipped past redaction, profanity, blame, sarcasm, insults, shouting and first-person
  asides go; the facts stay ("The Pyxis on 4 West was out of heparin flushes AGAIN and nursing
  blamed us." → "The Pyxis on 4 West was out of heparin flushes again and nursing raised it with
  pharmacy.").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.coaching.playbook import LanguageSpec, Need, Playbook, VocabularySpec
from bot.vocabulary.prefilter import Gated
from bot.vocabulary.words import load

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"'})
_SPACES = re.compile(r"[ \t\r\f\v]+")
_NUMBERED_UNIT = re.compile(
    r"\b(\d{1,2})\s?(west|east|north|south)\b|\b(\d{1,2})([WwEe])\b(?![-'])", re.IGNORECASE
)
_FLOOR = re.compile(
    r"\b(?:floor|unit|pod|wing)\s+(\d{1,2}[A-Za-z]?)\b|\b(\d{1,2})(?:st|nd|rd|th)\s+floor\b", re.I
)
_DIRECTIONS = {"w": "West", "e": "East"}
_BARE_NUMBER = re.compile(r"(?<![\w#$/.:-])\d{1,5}(?:\.\d+)?(?![\w/:-])")


def _alternation(words: Iterable[str], *, plural: bool = False) -> str:
    """Return a regex alternation of ``words`` (longest first, flexible spaces and hyphens)."""
    parts = []
    for word in sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True):
        body = r"[\s-]+".join(re.escape(piece) for piece in re.split(r"[\s-]+", word))
        if plural and word[-1].isalpha() and not word.endswith("s"):
            body += r"(?:e?s)?"
        parts.append(body)
    return "|".join(parts) or r"(?!)"


def _key(text: str) -> str:
    return " ".join(re.split(r"[\s-]+", text.lower()))


@dataclass(frozen=True, slots=True)
class Specifics:
    """What a vent says concretely, and which kinds of fact it gives.

    Attributes:
        quantities: Numbers with their units as written ("6 hours", "140 orders", "$17").
        times: Times of day as written ("3pm").
        drugs: Medications as written, with their form when given ("heparin flushes").
        supplies: Supplies as written ("syringes").
        equipment: Equipment and systems, as the coach names them ("IV robot").
        equipment_written: The same, as written in the vent (for "specifics kept").
        places: Places as the coach names them ("4 West", "the ICU").
        places_written: The same, as written in the vent.
        credentials: Certifications and programs ("CSPT", "340B").
        has_count / has_frequency / has_duration / has_time / has_impact: Which facts are given.
        lasa_pair: Two look-alike, sound-alike drug names appear together.
    """

    quantities: tuple[str, ...] = ()
    times: tuple[str, ...] = ()
    drugs: tuple[str, ...] = ()
    supplies: tuple[str, ...] = ()
    equipment: tuple[str, ...] = ()
    equipment_written: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    places_written: tuple[str, ...] = ()
    credentials: tuple[str, ...] = ()
    has_count: bool = False
    has_frequency: bool = False
    has_duration: bool = False
    has_time: bool = False
    has_impact: bool = False
    lasa_pair: bool = False

    def tokens(self) -> tuple[str, ...]:
        """Return every specific as written in the vent, once (case-insensitively)."""
        seen: dict[str, str] = {}
        for text in (
            *self.quantities,
            *self.times,
            *self.drugs,
            *self.supplies,
            *self.equipment_written,
            *self.places_written,
            *self.credentials,
        ):
            seen.setdefault(text.lower(), text)
        return tuple(seen.values())

    def has(self, need: Need) -> bool:
        """Return whether the vent already gives the fact ``need`` names."""
        match need:
            case "count":
                return self.has_count
            case "frequency":
                return self.has_frequency
            case "duration":
                return self.has_duration
            case "time":
                return self.has_time
            case "place":
                return bool(self.places)
            case "item":
                return bool(self.drugs or self.supplies)
            case "impact":
                return self.has_impact
            case "none":
                return False

    def feature(self, name: str) -> bool:
        """Return a computed feature used by playbook cues (``lasa_pair``)."""
        return name == "lasa_pair" and self.lasa_pair

    def item(self, sources: Iterable[str], default: str) -> str:
        """Return the item a fix should name, from the first source that has one."""
        for source in sources:
            if source == "drug" and self.drugs:
                if self.lasa_pair or (len(self.drugs) == 2 and self.drugs[0] != self.drugs[1]):
                    return f"{self.drugs[0]} and {self.drugs[1]}"
                return self.drugs[0]
            if source == "supply" and self.supplies:
                return self.supplies[0]
            if source == "equipment" and self.equipment:
                return f"the {self.equipment[0]}"
        return default

    def place(self, default: str) -> str:
        """Return the place a fix should name."""
        return self.places[0] if self.places else default


class SpecificsFinder:
    """Finds the specifics of a text, with every pattern compiled once from the vocabulary."""

    def __init__(self, vocabulary: VocabularySpec) -> None:
        """Compile the vocabulary's patterns."""
        v = vocabulary
        numbers = _alternation(v.number_words)
        ordinals = _alternation(v.ordinal_words)
        all_units = [*v.count_units, *v.time_units]
        self._time_units = {_key(u) for u in v.time_units}
        self._impact_units = {_key(u) for u in v.impact_units}
        self._quantity = re.compile(
            rf"(?<![\w#$/.])(?P<num>\d+(?:[.,]\d+)?|{numbers}|{ordinals})"
            rf"(?:\s*-\s*|\s+)(?:(?:more|extra|new|other|full|straight|whole|different|open|"
            rf"angry|missing|late|delayed|separate|wrong|urgent|stat|pending|unfinished)\s+)?"
            rf"(?P<unit>{_alternation(all_units, plural=True)})\b",
            re.IGNORECASE,
        )
        self._measure = re.compile(
            rf"(?<![\w#/.])\d+(?:[.,]\d+)?\s?(?:{_alternation(v.measure_units)})(?![\w])"
            r"|\$\s?\d+(?:[.,]\d+)*(?:\s?(?:k|an hour|/hr|/hour|per hour|an hr))?",
            re.IGNORECASE,
        )
        self._multiplier = Gated.of(
            re.compile(rf"\b(?:{_alternation(v.multipliers)})\b", re.IGNORECASE)
        )
        self._frequency = _gated_list(v.frequency)
        self._duration = _gated_list(v.durations)
        self._time = _gated_list(v.times_of_day)
        self._clock = re.compile(
            r"\b\d{1,2}(?::\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)|\b(?:[01]?\d|2[0-3]):[0-5]\d\b",
            re.IGNORECASE,
        )
        # Drugs, supplies and equipment are looked up word by word (a dictionary per list),
        # which is much faster than one regex alternation of hundreds of names.
        self._drugs = _Lexicon({_key(d): d for d in load("drugs")})
        self._forms = _Lexicon({_key(f): f for f in v.forms})
        self._supplies = _Lexicon({_key(s): s for s in v.supplies})
        self._equipment = _Lexicon(
            {_key(word): item.display for item in v.equipment for word in item.words}
        )
        self._suffixes = tuple(sorted(load("drug_suffixes")))
        self._places = tuple(
            (place.display, Gated.of(re.compile(place.regex, re.I))) for place in v.places
        )
        self._credentials = _Lexicon({_key(c): c for c in v.credentials})
        self._lasa = {frozenset((a.lower(), b.lower())) for a, b in v.lasa_pairs}

    def find(self, text: str) -> Specifics:
        """Return the specifics of ``text``."""
        text = text.translate(_QUOTES)
        lowered = text.lower()
        spans: list[tuple[int, int]] = []
        quantities: list[str] = []
        has_count = has_duration = has_impact = False
        for match in self._quantity.finditer(text):
            unit = _key(match.group("unit"))
            unit = unit[:-2] if unit.endswith("es") and unit[:-2] in self._time_units else unit
            singular = unit.rstrip("s") if unit not in self._impact_units else unit
            is_time = unit in self._time_units or singular in self._time_units
            has_duration |= is_time
            has_count |= not is_time
            has_impact |= unit in self._impact_units or singular in self._impact_units
            quantities.append(match.group(0))
            spans.append(match.span())
        for match in self._measure.finditer(text):
            quantities.append(match.group(0))
            spans.append(match.span())
            has_count = True
        if self._multiplier.may_match(lowered):
            quantities += [m.group(0) for m in self._multiplier.pattern.finditer(text)]
        times = [m.group(0) for m in self._clock.finditer(text)]
        spans += [m.span() for m in self._clock.finditer(text)]

        places: list[str] = []
        places_written: list[str] = []
        for match in _NUMBERED_UNIT.finditer(text):
            number = match.group(1) or match.group(3)
            direction = match.group(2) or _DIRECTIONS[match.group(4).lower()]
            places.append(f"{number} {direction.title()}")
            places_written.append(match.group(0))
            spans.append(match.span())
        for match in _FLOOR.finditer(text):
            places.append(match.group(0).lower() if match.group(2) else match.group(0))
            places_written.append(match.group(0))
            spans.append(match.span())
        for display, gated in self._places:
            found = gated.may_match(lowered) and gated.pattern.search(text)
            if found:
                places.append(display)
                places_written.append(found.group(0))

        words = [(m.group(0).lower(), m.start(), m.end()) for m in _TERM_WORD.finditer(text)]
        credentials = []
        for i in range(len(words)):
            credential = self._credentials.match(words, i)
            if credential is not None:
                credentials.append(credential[1])
                spans.append((words[i][1], words[credential[0] - 1][2]))

        # A bare number is a count too ("the queue was at 140"), unless it is part of a unit,
        # a time, a place or a credential found above.
        for match in _BARE_NUMBER.finditer(text):
            start, end = match.span()
            if not any(a <= start < b or a < end <= b for a, b in spans):
                quantities.append(match.group(0))
                has_count = True

        drugs: list[str] = []
        supplies: list[str] = []
        equipment: list[str] = []
        written_equipment: list[str] = []
        i = 0
        while i < len(words):
            drug = self._drugs.match(words, i)
            if drug is None and len(words[i][0]) >= 7 and words[i][0].endswith(self._suffixes):
                drug = (i + 1, words[i][0])
            if drug is not None:
                end = drug[0]
                form = self._forms.match(words, end)
                end = form[0] if form is not None else end
                drugs.append(text[words[i][1] : words[end - 1][2]])
                i = end
                continue
            supply = self._supplies.match(words, i)
            if supply is not None:
                supplies.append(supply[1])
            gear = self._equipment.match(words, i)
            if gear is not None:
                equipment.append(gear[1])
                written_equipment.append(text[words[i][1] : words[gear[0] - 1][2]])
            i = max(n for n in (i + 1, supply and supply[0], gear and gear[0]) if n)
        drugs = _unique(drugs)
        names = {d.split()[0].lower() for d in drugs}
        lasa = any(pair <= names for pair in self._lasa)
        equipment = _unique(equipment)
        supplies = _unique(supplies)
        has_duration |= _any_match(self._duration, text, lowered)
        has_impact |= has_duration
        return Specifics(
            quantities=tuple(_unique(quantities)),
            times=tuple(_unique(times)),
            drugs=tuple(drugs),
            supplies=tuple(supplies),
            equipment=tuple(equipment),
            equipment_written=tuple(_unique(written_equipment)),
            places=tuple(_unique(places)),
            places_written=tuple(_unique(places_written)),
            credentials=tuple(_unique(credentials)),
            has_count=has_count,
            has_frequency=_any_match(self._frequency, text, lowered),
            has_duration=has_duration,
            has_time=bool(times) or _any_match(self._time, text, lowered),
            has_impact=has_impact,
            lasa_pair=lasa,
        )


_TERM_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")


def _gated_list(patterns: Iterable[str]) -> tuple[Gated, ...]:
    return tuple(Gated.of(re.compile(p, re.IGNORECASE)) for p in patterns)


def _any_match(patterns: Iterable[Gated], text: str, lowered: str) -> bool:
    return any(g.may_match(lowered) and g.pattern.search(text) for g in patterns)


class _Lexicon:
    """Names of one or more words, looked up at a position in a list of lower-case words."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names
        self.first = frozenset(name.split(" ", 1)[0] for name in names)
        self.longest = max((name.count(" ") + 1 for name in names), default=1)

    def match(self, words: list[tuple[str, int, int]], start: int) -> tuple[int, str] | None:
        """Return (end index, display) of the longest name starting at ``start``, if any."""
        if start >= len(words) or words[start][0] not in self.first:
            return None
        for size in range(min(self.longest, len(words) - start), 0, -1):
            key = " ".join(w[0] for w in words[start : start + size])
            if key in self.names:
                return start + size, self.names[key]
        return None


def _unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item.lower(), item)
    return list(seen.values())


# ---------------------------------------------------------------------------------------------
# Neutral restatement

# Where a sentence may end; a stop after a common abbreviation ("Dr.", "Mrs.") is not an end.
_SENTENCE_BREAK = re.compile(r"[.!?]+[\"')\]]*[ \t]+|[ \t]*\n+[ \t]*")
_ABBREVIATION = re.compile(r"(?:\b(?:mr|mrs|ms|dr|st|vs|no|approx|e\.g|i\.e)|\d)\.$", re.IGNORECASE)
_CLAUSE_SPLIT = re.compile(
    r"(\s*[,;:]\s+(?:and|but|so|because|which|or)?\s*|\s*[,;:](?=\S)|\s+(?:and|but|because|or|plus)\s+"
    r"|\s+[-–—]+\s+)",
    re.IGNORECASE,
)
_LEADING_JUNK = re.compile(r"^[\s,;:.\-–—]*(?:(?:and|but|or|plus|also|then)\b[\s,]*)?", re.I)
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?%])")
_SPACED_PUNCT = tuple(f"{space}{mark}" for space in " \t" for mark in ",.;:!?%")
_DOUBLE_PUNCT = tuple(f"{a}{gap}{b}" for a in ",;:" for b in ",;:" for gap in ("", " "))
_TRAILING_CHARS = " \t,;:-–—.!?…"
_DANGLING = frozenset({"and", "but", "or", "so", "because", "which", "plus"})
_REPEATED_PUNCT = re.compile(r"([,;:])(?:\s*[,;:])+")
_AMPM = re.compile(r"\b([ap])\.m\.", re.IGNORECASE)
_ALL_CAPS_WORD = re.compile(r"\b[A-Z][A-Z']+\b")
_LOWER_I = re.compile(r"\bi\b")
# Questions without a question mark ("why does this keep happening").
_QUESTION_START = re.compile(r"^(?:why|how come)\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z0-9]+")
# What an identifier rule with ``drop: true`` leaves behind: the clause around it is dropped.
DROP_MARK = "\u2063drop\u2063"
# Lower-case words that are also acronyms: only kept as acronyms when typed in capitals.
_AMBIGUOUS_ACRONYMS = frozenset(
    {
        "it",
        "us",
        "or",
        "ok",
        "ed",
        "er",
        "pa",
        "po",
        "dm",
        "ce",
        "hr",
        "qa",
        "i",
        "ii",
        "iii",
        "ups",
        "pic",
        "epi",
        "max",
    }
)
# In a sentence typed all in capitals, these stay lower case ("IT WAS DOWN" → "it was down").
_SHOUTED_IT = re.compile(
    r"(?<=\bFROM )IT\b|\bIT\b(?= (?:TICKET|DEPARTMENT|DEPT|SUPPORT|HELP DESK|SAID|SAYS|GUY|TEAM))"
)
_SHOUTED_WORDS_TO_LOWER = frozenset({"IT", "US", "OR", "OK", "PO", "DM", "CE", "I"})


def clean_spacing(text: str) -> str:
    """Collapse spaces and tidy punctuation left behind by removals."""
    # The substring tests are much cheaper than the regexes, and usually there is nothing to do.
    if "  " in text or "\t" in text or "\r" in text or "\f" in text or "\v" in text:
        text = _SPACES.sub(" ", text)
    if any(map(text.__contains__, _DOUBLE_PUNCT)):
        text = _REPEATED_PUNCT.sub(r"\1", text)
    if any(map(text.__contains__, _SPACED_PUNCT)):
        text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    return text.strip()


def strip_trailing(text: str) -> str:
    """Remove trailing punctuation and a dangling conjunction ("..., and")."""
    while True:
        text = text.rstrip(_TRAILING_CHARS)
        head, _, last = text.rpartition(" ")
        if head and last.lower() in _DANGLING:
            text = head
            continue
        return text


def sentence_case(text: str) -> str:
    """Capitalize the first letter and end with a full stop (unless it ends with ? or !)."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    if text[-1] not in ".?!":
        text += "."
    return text


class Restater:
    """Restates the sentences of a vent neutrally; every rule is compiled once."""

    def __init__(self, playbook: Playbook) -> None:
        """Compile the language rules of ``playbook``."""
        language: LanguageSpec = playbook.language
        self._playbook = playbook
        flags = re.IGNORECASE | re.MULTILINE
        self._identifiers = tuple(
            (Gated.of(re.compile(r.find, flags)), DROP_MARK if r.drop else r.replace)
            for r in language.identifiers
        )
        self._shorthand = {word.lower(): full for word, full in language.shorthand.items()}
        # Rewrites run once over all the sentences of a vent, one sentence a line, so a rule
        # must never reach across lines: whitespace classes are made to stop at a newline.
        self._rewrites = tuple(
            (Gated.of(re.compile(_single_line(r.find), flags)), r.replace)
            for r in language.rewrites
        )
        self._drops = tuple(
            Gated.of(re.compile(p, re.I)) for p in (*language.drop_clause, *language.injection)
        )
        canonical = [w for w in language.canonical if w.lower() not in _AMBIGUOUS_ACRONYMS]
        self._canonical = {w.lower(): w for w in canonical if " " not in w}
        self._canonical_phrases = Gated.of(
            re.compile(
                rf"\b(?:{_alternation(w for w in canonical if ' ' in w) or '(?!)'})\b",
                re.IGNORECASE,
            )
        )
        self._canonical_phrase_names = {_key(w): w for w in canonical if " " in w}
        self._canonical_upper = {word.upper() for word in language.canonical}

    def strip_identifiers(self, text: str) -> str:
        """Remove identifiers that slipped past redaction (defence in depth; never relied on)."""
        text = _AMPM.sub(r"\1m", text.translate(_QUOTES))
        lowered = text.lower()
        for gated, replace in self._identifiers:
            if gated.may_match(lowered):
                text, count = gated.pattern.subn(replace, text)
                if count:
                    lowered = text.lower()
        return text

    def sentences(self, text: str) -> list[str]:
        """Split ``text`` into sentences (identifiers already stripped)."""
        out: list[str] = []
        start = 0
        for match in _SENTENCE_BREAK.finditer(text):
            piece = text[start : match.end()].rstrip()
            if "\n" not in match.group(0) and _ABBREVIATION.search(piece):
                continue
            if piece.strip():
                out.append(piece.strip())
            start = match.end()
        if text[start:].strip():
            out.append(text[start:].strip())
        return out

    def restate(self, text: str, *, identifiers_stripped: bool = False) -> list[str]:
        """Return the sentences of ``text`` restated neutrally; dropped sentences are left out.

        Args:
            text: The vent.
            identifiers_stripped: ``text`` already went through ``strip_identifiers``.
        """
        if not identifiers_stripped:
            text = self.strip_identifiers(text)
        sentences = [self._unshout(s) for s in self.sentences(text)]
        lines = self._rewrite("\n".join(sentences)).split("\n")
        return [restated for line in lines if (restated := self._finish(line))]

    def restate_sentence(self, sentence: str) -> str | None:
        """Return one sentence restated neutrally, or ``None`` when nothing of it should stay."""
        return self._finish(self._rewrite(self._unshout(sentence).replace("\n", " ")))

    def _rewrite(self, text: str) -> str:
        text = _TERM_WORD.sub(lambda m: self._shorthand.get(m.group(0).lower(), m.group(0)), text)
        lowered = text.lower()
        for gated, replace in self._rewrites:
            if gated.may_match(lowered):
                text, count = gated.pattern.subn(replace, text)
                if count:
                    lowered = text.lower()
        return text

    def _canonical_case(self, text: str) -> str:
        text = _TERM_WORD.sub(lambda m: self._canonical.get(m.group(0).lower(), m.group(0)), text)
        if self._canonical_phrases.may_match(text.lower()):
            text = self._canonical_phrases.pattern.sub(
                lambda m: self._canonical_phrase_names[_key(m.group(0))], text
            )
        return text

    def _finish(self, text: str) -> str | None:
        text = self._drop_clauses(clean_spacing(text))
        if not text:
            return None
        text = self._canonical_case(text)
        text = _NUMBERED_UNIT.sub(_unit_name, text)
        text = _LOWER_I.sub("I", text)
        text = _LEADING_JUNK.sub("", clean_spacing(text))
        if text.endswith("?") or _QUESTION_START.match(text):
            # A rhetorical question no rule turned into a statement: not a fact to restate.
            return None
        text = strip_trailing(text)
        text = sentence_case(text)
        if len(_WORD.findall(text)) < 3 or self._playbook.blame_found(text):
            return None
        return text

    def _unshout(self, text: str) -> str:
        if not _ALL_CAPS_WORD.search(text):
            return text
        letters = sum(map(str.isalpha, text))
        upper = sum(map(str.isupper, text))
        if letters >= 8 and upper / letters > 0.6:
            # A sentence typed in capitals: lower it all, keeping known acronyms ("IT" only
            # where it clearly means the department: "from IT", "IT said").
            text = _SHOUTED_IT.sub("\x00IT\x00", text)
            return _ALL_CAPS_WORD.sub(
                lambda m: (
                    m.group(0)
                    if m.group(0) in self._canonical_upper
                    and m.group(0) not in _SHOUTED_WORDS_TO_LOWER
                    else m.group(0).lower()
                ),
                text,
            ).replace("\x00it\x00", "IT")
        return _ALL_CAPS_WORD.sub(
            lambda m: (
                m.group(0)
                if m.group(0) in self._canonical_upper or len(m.group(0)) < 3
                else m.group(0).lower()
            ),
            text,
        )

    def _drop_clauses(self, text: str) -> str:
        # Matches are found on the whole sentence (a phrase may span a separator, as in
        # "I'm so done"), then every clause a match touches is left out.
        lowered = text.lower()
        hits = [
            m.span()
            for gated in self._drops
            if gated.may_match(lowered)
            for m in gated.pattern.finditer(text)
        ]
        hits += [(m.start(), m.end()) for m in re.finditer(re.escape(DROP_MARK), text)]
        if not hits:
            return text
        kept: list[str] = []
        position = 0
        parts = _CLAUSE_SPLIT.split(text)
        for index, part in enumerate(parts):
            start, end = position, position + len(part)
            position = end
            if index % 2 or not part.strip():
                continue
            if any(a < end and start < b for a, b in hits):
                continue
            if kept:
                kept.append(parts[index - 1])
            kept.append(part)
        return "".join(kept).strip()


def _single_line(pattern: str) -> str:
    """Return ``pattern`` with every whitespace or negated class unable to match a newline."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            escape = pattern[i : i + 2]
            if escape == "\\s":
                out.append(" \\t" if in_class else "[^\\S\\n]")
            else:
                out.append(escape)
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
            if pattern.startswith("[^", i):
                out.append("[^\\n")
                i += 2
                continue
        elif char == "]" and in_class and out and out[-1] not in ("[", "[^\\n"):
            in_class = False
        out.append(char)
        i += 1
    return "".join(out)


def _unit_name(match: re.Match[str]) -> str:
    number = match.group(1) or match.group(3)
    direction = match.group(2) or _DIRECTIONS[match.group(4).lower()]
    return f"{number} {direction.title()}"
