"""Turn a free-text win into a structured one, offline: what / why / result, figures, date.

"trained 2 new techs on the IV hood this week" becomes a win in *trained or mentored* with
``{"people_trained": 2}``, dated today. The rules favour leaving things in the text over
guessing: a number becomes a figure only when the word after it says what it counts, and a
range ("2-3 techs"), a vague amount ("several") or a malformed number ("1,50") never does.

Cue words live in ``prompts/wins.yaml``. A language-model parser (the OpenAI coach) can do better
through the same ``WinParser`` port; its figures are checked against the text with
``supported_figures`` before they are stored.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Protocol

from bot.wins.categories import categories, fallback_category, wins_data

Figure = int | float
"""The value of one figure: an int when whole, else a float."""

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_MAX_FILLER_WORDS = 2
# How far (characters) from a number a "needs" word may be ("trained … 2 new techs").
_NEEDS_WINDOW = 80
# Bigger than any real count a technician would log: such a value is a typo or an id.
_MAX_FIGURE = Decimal(1_000_000_000)


@dataclass(frozen=True)
class WinDraft:
    """A win read from free text, not yet stored.

    Attributes:
        what: What I did.
        why: Why (None when the text does not say).
        result: What changed (None when the text does not say).
        numbers: Figures by kind (``people_trained``, ``errors_caught``, ``hours_covered``,
            ``shifts_covered``, ``orders``, ``dollars``, ``days_saved``, ``hours_saved``,
            ``percent``, ``certifications``).
        category: A category id.
        category_matched: False when no cue matched and the fallback category was used.
        leadership: ``little`` or ``big``.
        occurred_on: The date the text names, or None when it names none.
    """

    what: str
    why: str | None = None
    result: str | None = None
    numbers: dict[str, Figure] = field(default_factory=dict)
    category: str = "process_improvement"
    category_matched: bool = False
    leadership: str = "little"
    occurred_on: dt.date | None = None


class WinParser(Protocol):
    """Reads a redacted free-text win. The offline parser is the default."""

    name: str

    async def parse(self, text: str, *, today: dt.date) -> WinDraft:
        """Return the structured win for ``text`` (already redacted)."""
        ...


class OfflineWinParser:
    """The rule-based parser: deterministic, instant, no network."""

    name = "offline"

    async def parse(self, text: str, *, today: dt.date) -> WinDraft:
        """Return ``parse_win(text, today=today)``."""
        return parse_win(text, today=today)


def parse_win(text: str, *, today: dt.date) -> WinDraft:
    """Read ``text`` into a ``WinDraft`` with the offline rules."""
    what, why, result = split_parts(text)
    category, matched = guess_category(text)
    return WinDraft(
        what=what,
        why=why,
        result=result,
        numbers=extract_numbers(text),
        category=category,
        category_matched=matched,
        leadership=guess_leadership(text),
        occurred_on=parse_date(text, today=today),
    )


# --- dates ---------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d-])")
_SLASH_DATE = re.compile(r"(?<![\w/])(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?![\w/])")
_DAYS_AGO = re.compile(r"\b(\d{1,3}) days? ago\b")
_WEEKDAY = re.compile(r"\b(last|this past|on|this)?\s*(" + "|".join(WEEKDAYS) + r")\b")


def parse_date(text: str, *, today: dt.date) -> dt.date | None:
    """Return the date ``text`` names, or None.

    Understands ISO dates, ``M/D`` and ``M/D/YYYY`` (US order; without a year, the most recent
    such day not after today), ``today``, ``yesterday``, ``this week`` (today),
    ``last week`` (a week ago), ``N days ago``, ``last Friday`` (the Friday before today) and
    ``Friday`` / ``on Friday`` (the most recent Friday, today included). An impossible date
    ("2026-02-30") is None. The result may lie in the future; callers refuse that.
    """
    lower = text.lower()
    if match := _ISO_DATE.search(lower):
        return _make_date(int(match[1]), int(match[2]), int(match[3]))
    if match := _SLASH_DATE.search(lower):
        month, day, year = int(match[1]), int(match[2]), match[3]
        if year is not None:
            full_year = int(year) + (2000 if len(year) == 2 else 0)
            return _make_date(full_year, month, day)
        found = _make_date(today.year, month, day)
        if found is not None and found > today:
            found = _make_date(today.year - 1, month, day)
        return found
    if match := _DAYS_AGO.search(lower):
        return today - dt.timedelta(days=int(match[1]))
    if re.search(r"\byesterday\b", lower):
        return today - dt.timedelta(days=1)
    if re.search(r"\b(today|tonight|this morning|this afternoon|this evening)\b", lower):
        return today
    if re.search(r"\blast week\b", lower):
        return today - dt.timedelta(days=7)
    if re.search(r"\bthis week\b", lower):
        return today
    if match := _WEEKDAY.search(lower):
        back = (today.weekday() - WEEKDAYS.index(match[2])) % 7
        if match[1] in ("last", "this past") and back == 0:
            back = 7
        return today - dt.timedelta(days=back)
    return None


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# --- what / why / result ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Cue:
    pattern: re.Pattern[str]
    keep: bool
    kind: str  # why | result


def _phrase_pattern(phrase: str) -> str:
    # \b only where the phrase starts or ends with a word character (", so" starts with a comma).
    start = r"\b" if phrase[:1].isalnum() else ""
    end = r"\b" if phrase[-1:].isalnum() else ""
    # A space in a cue also matches a hyphen: "wrong patient" finds "wrong-patient".
    return start + re.escape(phrase).replace(r"\ ", r"[\s-]+") + end


@cache
def _cues() -> tuple[_Cue, ...]:
    data = wins_data()
    found: list[_Cue] = []
    for kind in ("why", "result"):
        for item in data[f"{kind}_cues"]:
            found.append(
                _Cue(
                    re.compile(_phrase_pattern(str(item["cue"]).lower())),
                    bool(item["keep"]),
                    kind,
                )
            )
    return tuple(found)


def _clean(part: str) -> str | None:
    cleaned = part.strip().strip(",;:-–—").strip()
    return cleaned or None


def split_parts(text: str) -> tuple[str, str | None, str | None]:
    """Split ``text`` into what I did / why / result on the first why and result cues.

    A cue at the very start does not split (the whole text would be "why"). Parts the text
    does not give are None; ``what`` is the whole text when no cue is found.
    """
    lower = text.lower()
    first: dict[str, tuple[int, int, bool]] = {}
    for cue in _cues():
        for match in cue.pattern.finditer(lower):
            if not text[: match.start()].strip(" ,;:-–—"):
                continue
            best = first.get(cue.kind)
            # Earliest wins; at the same place the longest ("because of" over "because").
            if best is None or (match.start(), -match.end()) < (best[0], -best[1]):
                first[cue.kind] = (match.start(), match.end(), cue.keep)
            break
    if not first:
        return text.strip(), None, None
    hits = sorted(first.items(), key=lambda item: item[1][0])
    what = text[: hits[0][1][0]]
    parts: dict[str, str | None] = {"why": None, "result": None}
    for index, (kind, (start, end, keep)) in enumerate(hits):
        stop = hits[index + 1][1][0] if index + 1 < len(hits) else len(text)
        parts[kind] = _clean(text[start if keep else end : stop])
    return _clean(what) or text.strip(), parts["why"], parts["result"]


# --- category and leadership ---------------------------------------------------------------


def _words_pattern(phrases: tuple[str, ...] | list[str]) -> re.Pattern[str]:
    ordered = sorted({str(phrase).lower() for phrase in phrases}, key=len, reverse=True)
    return re.compile("|".join(_phrase_pattern(phrase) for phrase in ordered))


@cache
def _category_patterns() -> tuple[tuple[str, int, re.Pattern[str]], ...]:
    return tuple(
        (category.id, category.weight, _words_pattern(category.cues))
        for category in categories()
        if category.cues
    )


def guess_category(text: str) -> tuple[str, bool]:
    """Return the best category id for ``text`` and whether any cue matched.

    Each distinct cue found scores the category's weight; ties go to the category listed first.
    """
    lower = text.lower()
    best_id, best_score = fallback_category(), 0
    for category_id, weight, pattern in _category_patterns():
        score = weight * len({match.group(0) for match in pattern.finditer(lower)})
        if score > best_score:
            best_id, best_score = category_id, score
    return best_id, best_score > 0


@cache
def _big_leadership() -> re.Pattern[str]:
    return _words_pattern(wins_data()["big_leadership_cues"])


def guess_leadership(text: str) -> str:
    """Return ``big`` when the text leads an initiative or holds a role, else ``little``."""
    return "big" if _big_leadership().search(text.lower()) else "little"


# --- numbers -------------------------------------------------------------------------------

_NUMBER = re.compile(
    r"""
    (?<![\w.,/\-–$#])                   # not inside a date, an id, a range or a larger number
    (?P<dollar>\$\s?)?
    (?P<value>\d{1,3}(?:,\d{3})+|\d+)(?P<fraction>\.\d+)?
    (?P<k>k\b)?
    (?![\w/\-–]|[.,]\d)
    """,
    re.VERBOSE,
)
_RANGE_JOINERS = r"\s*(?:-|–|to|or)\s*"


@dataclass(frozen=True)
class _Kind:
    name: str
    units: tuple[tuple[str, ...], ...]
    needs: re.Pattern[str] | None


@cache
def _kinds() -> tuple[_Kind, ...]:
    kinds = []
    for name, spec in wins_data()["number_kinds"].items():
        units = tuple(
            sorted(
                (tuple(str(unit).lower().split()) for unit in spec["units"]),
                key=len,
                reverse=True,
            )
        )
        needs = spec.get("needs")
        kinds.append(_Kind(str(name), units, _words_pattern(needs) if needs else None))
    return tuple(kinds)


@cache
def number_words() -> dict[str, int]:
    """Return the number words a person may type instead of digits ("two" → 2)."""
    return {str(word).lower(): int(value) for word, value in wins_data()["number_words"].items()}


@cache
def _number_word_pattern() -> re.Pattern[str]:
    names = "|".join(sorted(number_words(), key=len, reverse=True))
    return re.compile(rf"(?<![\w\-–])(?P<word>{names})(?![\w\-–])")


@cache
def _range_pattern() -> re.Pattern[str]:
    token = r"(?:\$?\d[\d,]*(?:\.\d+)?|" + "|".join(number_words()) + ")"
    return re.compile(rf"(?<![\w.]){token}{_RANGE_JOINERS}{token}(?![\w.]|,\d)")


@cache
def _certification_earned() -> re.Pattern[str]:
    data = wins_data()
    verbs = "|".join(_phrase_pattern(c) for c in data["certification_earned_cues"])
    names = "|".join(_phrase_pattern(n) for n in data["certification_names"])
    return re.compile(rf"(?:{verbs})(?:\W+[\w-]+){{0,3}}?\W+(?:{names})")


def _unit_tokens(rest: str) -> list[str]:
    # Stop at the end of the clause: "trained 2, then 3 techs" must not pair 2 with techs.
    clause = re.split(r"[,.;:!?()\[\]\n]", rest[:80], maxsplit=1)[0]
    return re.findall(r"%|[a-z][a-z'’]*", clause)


@cache
def _stop_words() -> frozenset[str]:
    return frozenset(str(word).lower() for word in wins_data()["unit_stop_words"])


def _kind_for(tokens: list[str], *, window: str, fillers: int = _MAX_FILLER_WORDS) -> str | None:
    """Return the kind whose unit starts ``tokens`` (after at most ``fillers`` filler words)."""
    for skip in range(min(fillers, len(tokens) - 1) + 1):
        if skip and (tokens[skip - 1] in _stop_words() or tokens[skip - 1] in number_words()):
            return None
        for kind in _kinds():
            for unit in kind.units:
                if tuple(tokens[skip : skip + len(unit)]) != unit:
                    continue
                if kind.needs is not None and not kind.needs.search(window):
                    continue
                return kind.name
    return None


def _as_figure(value: Decimal) -> Figure:
    return int(value) if value == value.to_integral_value() else float(value)


def extract_numbers(text: str) -> dict[str, Figure]:
    """Return the figures ``text`` states, by kind.

    A number counts only when what follows it (at most two filler words away) names a known
    unit, or it carries ``$`` or ``%``. Ranges, vague words and malformed numbers are left out,
    as is a percentage stated more than once (which one would be the figure?). Several figures
    of one kind add up ("2 techs and 3 students" trained → 5).
    """
    lower = text.lower()
    in_range = [match.span() for match in _range_pattern().finditer(lower)]
    found: dict[str, Decimal] = {}
    percent_count = 0

    def add(kind: str, value: Decimal) -> None:
        found[kind] = found.get(kind, Decimal(0)) + value

    candidates: list[tuple[int, int, Decimal, bool, bool]] = []
    for match in _NUMBER.finditer(lower):
        try:
            value = Decimal(match["value"].replace(",", "") + (match["fraction"] or ""))
        except InvalidOperation:
            continue
        candidates.append(
            (match.start(), match.end(), value, bool(match["dollar"]), bool(match["k"]))
        )
    for match in _number_word_pattern().finditer(lower):
        value = Decimal(number_words()[match["word"]])
        candidates.append((match.start(), match.end(), value, False, False))

    for start, end, value, dollar, thousands in candidates:
        if any(low <= start < high for low, high in in_range) or value > _MAX_FIGURE:
            continue
        rest = lower[end:]
        if rest.lstrip().startswith("%") and not dollar and not thousands:
            percent_count += 1
            add("percent", value)
            continue
        window = lower[max(0, start - _NEEDS_WINDOW) : end + _NEEDS_WINDOW]
        kind = _kind_for(_unit_tokens(rest), window=window)
        if dollar or kind == "dollars":
            add("dollars", value * 1000 if thousands else value)
        elif kind is not None and not thousands:
            if kind == "percent":
                percent_count += 1
            add(kind, value)

    if percent_count > 1:
        found.pop("percent", None)
    if "certifications" not in found and _certification_earned().search(lower):
        found["certifications"] = Decimal(1)
    return {kind: _as_figure(value) for kind, value in found.items()}


def _stated_numbers(text: str) -> list[Decimal]:
    lower = text.lower()
    values = []
    for match in re.finditer(r"\d[\d,]*(?:\.\d+)?(k\b)?", lower):
        digits = match.group(0).rstrip("k").replace(",", "")
        try:
            value = Decimal(digits)
        except InvalidOperation:
            continue
        values.append(value * 1000 if match.group(1) else value)
    values.extend(Decimal(v) for w, v in number_words().items() if re.search(rf"\b{w}\b", lower))
    if re.search(r"\b(a|an|one)\b", lower):
        values.append(Decimal(1))
    return values


def supported_figures(numbers: dict[str, Figure], text: str) -> dict[str, Figure]:
    """Return the figures of ``numbers`` that ``text`` actually states (a guard for LLM output).

    A figure is kept when its value is a number written in the text, or the sum of two or three
    of them ("2 techs and 3 students" → 5); anything else would be a claim the person never made.
    Unknown kinds are dropped.
    """
    known = {kind.name for kind in _kinds()}
    stated = _stated_numbers(text)[:12]
    sums = set(stated)
    for size in (2, 3):
        sums.update(sum(combo, Decimal(0)) for combo in itertools.combinations(stated, size))
    kept: dict[str, Figure] = {}
    for kind, value in numbers.items():
        try:
            decimal = Decimal(str(value))
        except InvalidOperation:
            continue
        if kind in known and decimal in sums:
            kept[kind] = _as_figure(decimal)
    return kept


@cache
def kind_labels() -> dict[str, str]:
    """Return what each figure kind is called in a summary ("people trained")."""
    return {str(k): str(v["label"]) for k, v in wins_data()["number_kinds"].items()}


@cache
def kind_labels_one() -> dict[str, str]:
    """Return what one of each figure kind is called ("person trained")."""
    return {str(k): str(v.get("one", v["label"])) for k, v in wins_data()["number_kinds"].items()}


def kind_label(kind: str, value: Figure) -> str:
    """Return the name of ``value`` of ``kind`` ("1 person trained", "2 people trained")."""
    names = kind_labels_one() if value == 1 else kind_labels()
    return names.get(kind, kind.replace("_", " "))


def number_answer(text: str, answer: str) -> str | None:
    """Return a bare-number answer to "How many?" as a phrase that names its unit, or None.

    Asked about "trained new techs on the IV hood", the answer "3" becomes
    "3 people trained": the kind is the first unit the win's text names whose cue words it also
    has. Anything but a whole number (digits or a number word) gives None.
    """
    word = answer.strip().lower().rstrip(".!")
    if word.isdigit():
        value = int(word)
    elif word in number_words():
        value = number_words()[word]
    else:
        return None
    lower = text.lower()
    tokens = re.findall(r"%|[a-z][a-z'’]*", lower)
    for index in range(len(tokens)):
        kind = _kind_for(tokens[index:], window=lower, fillers=0)
        if kind is not None and kind not in ("percent", "dollars"):
            return f"{value} {kind_label(kind, value)}"
    return None
