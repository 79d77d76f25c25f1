"""Load and check the offline coach's playbook: the YAML files under ``prompts/`` it runs on.

The offline coach is driven by data a pharmacy leader can edit without touching code:

- ``playbook.yaml``: themes, their cues, reframing patterns, fixes, roles and questions;
- ``language.yaml``: how a vent is restated neutrally (rewrites, clauses to drop, blame terms)
  and the "formal" and "shorter" refinements;
- ``specifics.yaml``: the vocabulary of specifics (units, equipment, places; drug names and
  endings are the shared lists ``bot/vocabulary/lists/drugs.txt`` and ``drug_suffixes.txt``);
- ``acknowledgements.yaml``: the one human line that opens each reply.

Each file is validated into typed models, then compiled once (every regular expression, the cue
index) into a ``Playbook``. A mistake is reported as a ``PlaybookError`` naming the file, the
theme and the field, e.g. ``playbook.yaml: themes.adc_stockouts.fixes[2].when: invalid regex``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot.coaching.models import THEME_IDS
from bot.prompts import PromptError, load_yaml, variables
from bot.vocabulary.prefilter import Gated

Need = Literal["count", "frequency", "duration", "time", "place", "item", "impact", "none"]
ItemSource = Literal["drug", "supply", "equipment"]
Feature = Literal["lasa_pair"]

PLAYBOOK_FILE = "playbook.yaml"
LANGUAGE_FILE = "language.yaml"
VOCABULARY_FILE = "specifics.yaml"
ACKNOWLEDGEMENTS_FILE = "acknowledgements.yaml"

PLACEHOLDER = "[how many]"
_PROBLEM_VARIABLES = frozenset({"facts", "item", "place"})
_TEXT_VARIABLES = frozenset({"item", "place"})
_DIGIT = re.compile(r"\d")
# Cue words are matched on these tokens: lower case, apostrophes dropped ("don't" = "dont"),
# any other punctuation a separator ("short-staffed" = "short staffed").
_TOKEN = re.compile(r"[a-z0-9$%]+")
_APOSTROPHES = re.compile(r"['’‘`´]")


class PlaybookError(PromptError):
    """A playbook file is missing, malformed, or names something that cannot work."""


def word_tokens(text: str) -> list[str]:
    """Return the words of ``text`` the way cue words are matched (lower case, no apostrophes)."""
    return _TOKEN.findall(_APOSTROPHES.sub("", text.lower()))


def _compile(pattern: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise ValueError(f"invalid regex {pattern!r}: {exc}") from None


def _check_template(text: str, allowed: frozenset[str]) -> str:
    try:
        used = variables(text)
    except ValueError as exc:
        raise ValueError(f"malformed template {text!r}: {exc}") from None
    unknown = used - allowed
    if unknown:
        raise ValueError(
            f"unknown variable {{{sorted(unknown)[0]}}} in {text!r}; "
            f"use {', '.join('{' + name + '}' for name in sorted(allowed))}"
        )
    if _DIGIT.search(text.replace(PLACEHOLDER, "")):
        raise ValueError(f"{text!r} contains a digit; numbers in a draft must come from the person")
    if not text.strip():
        raise ValueError("text is empty")
    return text


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------------------------------------
# playbook.yaml


class Cue(_Spec):
    """A group of cues sharing one weight."""

    weight: float
    words: list[str] = Field(default_factory=list)
    regex: list[str] = Field(default_factory=list)
    features: list[Feature] = Field(default_factory=list)

    @field_validator("regex")
    @classmethod
    def _regexes_compile(cls, value: list[str]) -> list[str]:
        for pattern in value:
            _compile(pattern)
        return value

    @field_validator("words", mode="before")
    @classmethod
    def _words_as_text(cls, value: Any) -> Any:
        # YAML reads a bare `222` (the DEA form) as a number; a cue word is always text.
        if isinstance(value, list):
            return [str(word) if isinstance(word, int | float) else word for word in value]
        return value

    @field_validator("words")
    @classmethod
    def _words_have_letters(cls, value: list[str]) -> list[str]:
        for word in value:
            if not word_tokens(word):
                raise ValueError(f"cue word {word!r} has no letters or digits")
        return value

    @model_validator(mode="after")
    def _not_empty(self) -> Cue:
        if not (self.words or self.regex or self.features):
            raise ValueError("a cue needs words, regex or features")
        if self.weight == 0:
            raise ValueError("weight must not be 0 (negative weights take a phrase out)")
        return self


class Option(_Spec):
    """One fix or role; ``when`` (a regex on the vent) makes it fit particular vents."""

    text: str
    when: str | None = None

    @field_validator("text")
    @classmethod
    def _text_ok(cls, value: str) -> str:
        return _check_template(value, _TEXT_VARIABLES)

    @field_validator("when")
    @classmethod
    def _when_compiles(cls, value: str | None) -> str | None:
        if value is not None:
            _compile(value)
        return value


class ProblemPattern(_Spec):
    """A reframing pattern: ``{facts}`` plus why it matters; ``when`` as for options."""

    text: str
    when: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        # A plain string is a pattern without `when`.
        return {"text": value} if isinstance(value, str) else value

    @field_validator("text")
    @classmethod
    def _text_ok(cls, value: str) -> str:
        _check_template(value, _PROBLEM_VARIABLES)
        if "{facts}" not in value:
            raise ValueError(f"reframing pattern {value!r} must contain {{facts}}")
        return value

    @field_validator("when")
    @classmethod
    def _when_compiles(cls, value: str | None) -> str | None:
        if value is not None:
            _compile(value)
        return value


class Question(_Spec):
    """A follow-up question, asked only when the vent lacks the fact it ``needs``.

    With ``when`` (a regex on the vent) it is asked only for vents that match, and before the
    questions without one.
    """

    needs: Need
    text: str
    when: str | None = None

    @field_validator("text")
    @classmethod
    def _text_ok(cls, value: str) -> str:
        return _check_template(value, _TEXT_VARIABLES)

    @field_validator("when")
    @classmethod
    def _when_compiles(cls, value: str | None) -> str | None:
        if value is not None:
            _compile(value)
        return value


class NumberPrompt(_Spec):
    """A placeholder sentence for "add numbers" and the question that fills it."""

    needs: Need
    placeholder: str
    question: str

    @field_validator("placeholder")
    @classmethod
    def _has_placeholder(cls, value: str) -> str:
        if PLACEHOLDER not in value:
            raise ValueError(f"placeholder must contain {PLACEHOLDER!r}")
        return _check_template(value, _TEXT_VARIABLES)

    @field_validator("question")
    @classmethod
    def _question_ok(cls, value: str) -> str:
        return _check_template(value, _TEXT_VARIABLES)


class Defaults(_Spec):
    """What ``{item}`` and ``{place}`` say when the vent does not name them."""

    item: str
    place: str


class ThemeSpec(_Spec):
    """One theme of the playbook (also the shape of the ``general`` fallback)."""

    label: str = ""
    cues: list[Cue] = Field(default_factory=list)
    defaults: Defaults
    item_from: list[ItemSource] = Field(default_factory=list)
    problem: list[ProblemPattern] = Field(min_length=1)
    summary: list[str] = Field(min_length=1)
    fixes: list[Option] = Field(min_length=2)
    roles: list[Option] = Field(min_length=2)
    questions: list[Question] = Field(min_length=1)
    numbers: list[NumberPrompt] = Field(min_length=1)
    clarify: str

    @field_validator("summary")
    @classmethod
    def _summaries(cls, value: list[str]) -> list[str]:
        for text in value:
            _check_template(text, _TEXT_VARIABLES)
        return value

    @field_validator("clarify")
    @classmethod
    def _clarify(cls, value: str) -> str:
        return _check_template(value, _TEXT_VARIABLES)

    @model_validator(mode="after")
    def _fallback_options(self) -> ThemeSpec:
        # With no unconditional option, a vent matching no `when` would have nothing to offer.
        for name in ("problem", "fixes", "roles"):
            if all(option.when for option in getattr(self, name)):
                raise ValueError(f"{name}: at least one option must have no `when`")
        return self


class Settings(_Spec):
    """Thresholds of theme detection and of the draft/clarify decision."""

    min_score: float = Field(gt=0)
    secondary_ratio: float = Field(gt=0, le=1)
    max_themes: int = Field(ge=1, le=3)
    max_fact_sentences: int = Field(ge=1)
    max_fact_words: int = Field(ge=5)
    min_words_for_draft: int = Field(ge=1)
    min_words_without_theme: int = Field(ge=1)


class ClarifySpec(_Spec):
    """Questions for a vent with too little to work with, or none at all."""

    questions: list[str] = Field(min_length=1)
    empty: list[str] = Field(min_length=1)


class PlaybookSpec(_Spec):
    """``prompts/playbook.yaml``."""

    version: Literal[1]
    settings: Settings
    clarify: ClarifySpec
    general: ThemeSpec
    themes: dict[str, ThemeSpec]

    @model_validator(mode="after")
    def _every_theme(self) -> PlaybookSpec:
        unknown = sorted(set(self.themes) - set(THEME_IDS))
        if unknown:
            raise ValueError(f"themes.{unknown[0]}: not a theme id (see bot/coaching/models.py)")
        missing = [theme for theme in THEME_IDS if theme not in self.themes]
        if missing:
            raise ValueError(f"themes.{missing[0]}: missing (every theme id needs an entry)")
        for theme_id, theme in self.themes.items():
            if not theme.cues:
                raise ValueError(f"themes.{theme_id}.cues: a theme needs at least one cue")
        return self


# ---------------------------------------------------------------------------------------------
# language.yaml


class Rule(_Spec):
    r"""``find`` (a regex) is replaced by ``replace`` (``\1`` for groups; empty removes).

    With ``drop: true`` the whole clause around a match is left out instead.
    """

    find: str
    replace: str = ""
    drop: bool = False

    @model_validator(mode="after")
    def _compiles(self) -> Rule:
        pattern = _compile(self.find, re.IGNORECASE | re.MULTILINE)
        try:
            pattern.sub(self.replace, "")
        except (re.error, IndexError) as exc:
            raise ValueError(f"replacement {self.replace!r} for {self.find!r}: {exc}") from None
        return self


def _regex_list(value: list[str]) -> list[str]:
    for pattern in value:
        _compile(pattern)
    return value


class LanguageSpec(_Spec):
    """``prompts/language.yaml``."""

    identifiers: list[Rule]
    injection: list[str]
    shorthand: dict[str, str]
    rewrites: list[Rule]
    drop_clause: list[str]
    blame_terms: list[str] = Field(min_length=1)
    canonical: list[str]
    formal: list[Rule]
    shorter: list[Rule]

    _regexes = field_validator("injection", "drop_clause", "blame_terms")(_regex_list)


# ---------------------------------------------------------------------------------------------
# specifics.yaml


class EquipmentSpec(_Spec):
    """A piece of equipment or a system, and the words people use for it."""

    display: str
    words: list[str] = Field(min_length=1)


class PlaceSpec(_Spec):
    """A place (a unit, a room, a counter) and the regex that finds it."""

    display: str
    regex: str

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str) -> str:
        _compile(value)
        return value


class VocabularySpec(_Spec):
    """``prompts/specifics.yaml``."""

    number_words: list[str]
    ordinal_words: list[str]
    multipliers: list[str]
    time_units: list[str]
    count_units: list[str]
    measure_units: list[str]
    frequency: list[str]
    durations: list[str]
    times_of_day: list[str]
    impact_units: list[str]
    forms: list[str]
    supplies: list[str]
    equipment: list[EquipmentSpec]
    places: list[PlaceSpec]
    credentials: list[str]
    lasa_pairs: list[tuple[str, str]]

    _regexes = field_validator("frequency", "durations", "times_of_day")(_regex_list)

    @field_validator(
        "number_words",
        "ordinal_words",
        "multipliers",
        "time_units",
        "count_units",
        "measure_units",
        "impact_units",
        "forms",
        "supplies",
        "credentials",
        mode="before",
    )
    @classmethod
    def _as_strings(cls, value: Any) -> Any:
        # YAML reads bare words such as `10x` fine but `340B`-like entries could be numbers.
        if isinstance(value, list):
            return [str(item) if isinstance(item, int | float) else item for item in value]
        return value


# ---------------------------------------------------------------------------------------------
# acknowledgements.yaml


class RefinementLines(_Spec):
    """Opening lines for each refinement."""

    shorter: str
    formal: str
    add_numbers: str
    answer: str


class AcknowledgementSpec(_Spec):
    """``prompts/acknowledgements.yaml``."""

    general: list[str] = Field(min_length=1)
    care: list[str] = Field(min_length=1)
    care_cues: list[str]
    clarify: list[str] = Field(min_length=1)
    empty: list[str] = Field(min_length=1)
    non_english_note: str
    truncated_note: str
    refinement: RefinementLines
    themes: dict[str, list[str]]

    _regexes = field_validator("care_cues")(_regex_list)

    @model_validator(mode="after")
    def _every_theme(self) -> AcknowledgementSpec:
        unknown = sorted(set(self.themes) - set(THEME_IDS))
        if unknown:
            raise ValueError(f"themes.{unknown[0]}: not a theme id (see bot/coaching/models.py)")
        for theme in THEME_IDS:
            if not self.themes.get(theme):
                raise ValueError(f"themes.{theme}: needs at least one acknowledgement")
        return self


# ---------------------------------------------------------------------------------------------
# Validation with readable errors

_S = TypeVar("_S", bound=BaseModel)


def _where(loc: Iterable[int | str]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def validate_file(model: type[_S], data: Any, source: str) -> _S:
    """Validate ``data`` (parsed YAML) as ``model``.

    Raises:
        PlaybookError: One line per problem (up to three), each naming ``source`` and the field,
            e.g. ``playbook.yaml: themes.adc_stockouts.fixes[2].when: invalid regex ...``.
    """
    if not isinstance(data, Mapping):
        raise PlaybookError(f"{source}: expected a mapping at the top level")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        lines = []
        for error in exc.errors()[:3]:
            where = _where(error["loc"])
            message = str(error["msg"]).removeprefix("Value error, ")
            lines.append(f"{source}: {where + ': ' if where else ''}{message}")
        raise PlaybookError("\n".join(lines)) from None


# ---------------------------------------------------------------------------------------------
# Compiled form


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rewrite rule, compiled."""

    pattern: re.Pattern[str]
    replace: str

    def apply(self, text: str) -> str:
        """Return ``text`` with the rule applied."""
        return self.pattern.sub(self.replace, text)


@dataclass(frozen=True, slots=True)
class CompiledOption:
    """A fix or role option with its compiled ``when``."""

    text: str
    when: Gated | None

    def hits(self, context: str, lowered: str) -> int:
        """Return how many distinct cues of ``when`` appear in ``context`` (0 without one)."""
        if self.when is None or not self.when.may_match(lowered):
            return 0
        return len({m.group(0).lower() for m in self.when.pattern.finditer(context)})


@dataclass(frozen=True, slots=True)
class CompiledQuestion:
    """A follow-up question with its compiled ``when``."""

    needs: Need
    text: str
    when: Gated | None

    def fits(self, context: str, lowered: str) -> bool:
        """Return whether the question applies to ``context`` (always, without ``when``)."""
        return self.when is None or (
            self.when.may_match(lowered) and self.when.pattern.search(context) is not None
        )


@dataclass(frozen=True)
class Theme:
    """One theme, ready for the coach."""

    id: str
    spec: ThemeSpec
    problem: tuple[CompiledOption, ...]
    fixes: tuple[CompiledOption, ...]
    roles: tuple[CompiledOption, ...]
    questions: tuple[CompiledQuestion, ...]


@dataclass(frozen=True)
class CueIndex:
    """Every cue of every theme, arranged for one pass over a vent.

    Attributes:
        phrases: Cue word or phrase (tokens joined by a space) → (theme, weight) pairs.
        starts: First tokens of multi-word phrases, so longer lookups happen only where useful.
        longest: The most tokens in a phrase.
        regexes: (theme, pattern, weight) for regex cues (matched on the lower-cased vent).
        features: (theme, feature, weight) for computed features.
    """

    phrases: dict[str, tuple[tuple[str, float], ...]]
    starts: frozenset[str]
    longest: int
    regexes: tuple[tuple[str, Gated, float], ...]
    features: tuple[tuple[str, str, float], ...]


@dataclass(frozen=True)
class Playbook:
    """Everything the offline coach runs on, validated and compiled once."""

    spec: PlaybookSpec
    language: LanguageSpec
    vocabulary: VocabularySpec
    acknowledgements: AcknowledgementSpec
    themes: dict[str, Theme]
    general: Theme
    cues: CueIndex
    blame_terms: tuple[Gated, ...]
    care_cues: tuple[Gated, ...] = field(default=())

    @property
    def settings(self) -> Settings:
        """Thresholds from ``playbook.yaml``."""
        return self.spec.settings

    def blame_found(self, text: str) -> list[str]:
        """Return the blame, profanity or sarcasm terms found in ``text`` (as written there)."""
        lowered = text.lower()
        return [
            match.group(0)
            for gated in self.blame_terms
            if gated.may_match(lowered) and (match := gated.pattern.search(text))
        ]

    def care_found(self, text: str) -> bool:
        """Return whether ``text`` shows signs of burnout (the care acknowledgement)."""
        lowered = text.lower()
        return any(g.may_match(lowered) and g.pattern.search(text) for g in self.care_cues)


def _compile_options(options: Iterable[Option | ProblemPattern]) -> tuple[CompiledOption, ...]:
    return tuple(
        CompiledOption(option.text, Gated.of(_compile(option.when)) if option.when else None)
        for option in options
    )


def _theme(theme_id: str, spec: ThemeSpec) -> Theme:
    return Theme(
        id=theme_id,
        spec=spec,
        problem=_compile_options(spec.problem),
        fixes=_compile_options(spec.fixes),
        roles=_compile_options(spec.roles),
        questions=tuple(
            CompiledQuestion(q.needs, q.text, Gated.of(_compile(q.when)) if q.when else None)
            for q in spec.questions
        ),
    )


def _cue_index(themes: Mapping[str, ThemeSpec]) -> CueIndex:
    phrases: dict[str, dict[str, float]] = {}
    regexes: list[tuple[str, Gated, float]] = []
    features: list[tuple[str, str, float]] = []
    for theme_id, theme in themes.items():
        for cue in theme.cues:
            for word in cue.words:
                tokens = word_tokens(word)
                # A cue word also finds its plural, and a plural its singular ("refills" finds
                # "refill requests"), except for endings that are not plurals ("pass", "bus").
                forms = {" ".join(tokens)}
                last = tokens[-1]
                if not last.endswith("s"):
                    forms.add(" ".join([*tokens[:-1], last + "s"]))
                elif len(last) > 3 and not last.endswith(("ss", "us", "is")):
                    forms.add(" ".join([*tokens[:-1], last[:-1]]))
                for form in forms:
                    weights = phrases.setdefault(form, {})
                    # A phrase listed twice for one theme counts once, at its highest weight.
                    weights[theme_id] = max(weights.get(theme_id, 0.0), cue.weight)
            regexes.extend(
                (theme_id, Gated.of(_compile(pattern)), cue.weight) for pattern in cue.regex
            )
            features.extend((theme_id, feature, cue.weight) for feature in cue.features)
    starts = frozenset(phrase.split(" ", 1)[0] for phrase in phrases if " " in phrase)
    return CueIndex(
        phrases={phrase: tuple(weights.items()) for phrase, weights in phrases.items()},
        starts=starts,
        longest=max((phrase.count(" ") + 1 for phrase in phrases), default=1),
        regexes=tuple(regexes),
        features=tuple(features),
    )


def _check_clean(playbook: Playbook) -> None:
    """Refuse playbook texts that contain a blame term: they would reach every draft."""
    ack = playbook.acknowledgements
    texts: list[tuple[str, str]] = []
    for theme in (playbook.general, *playbook.themes.values()):
        where = "general" if theme is playbook.general else f"themes.{theme.id}"
        spec = theme.spec
        texts += [
            (f"{PLAYBOOK_FILE}: {where}.problem[{i}]", p.text) for i, p in enumerate(spec.problem)
        ]
        texts += [(f"{PLAYBOOK_FILE}: {where}.summary[{i}]", t) for i, t in enumerate(spec.summary)]
        texts += [
            (f"{PLAYBOOK_FILE}: {where}.fixes[{i}]", o.text) for i, o in enumerate(spec.fixes)
        ]
        texts += [
            (f"{PLAYBOOK_FILE}: {where}.roles[{i}]", o.text) for i, o in enumerate(spec.roles)
        ]
        texts += [
            (f"{PLAYBOOK_FILE}: {where}.numbers[{i}]", n.placeholder)
            for i, n in enumerate(spec.numbers)
        ]
    for theme_id, lines in ack.themes.items():
        texts += [
            (f"{ACKNOWLEDGEMENTS_FILE}: themes.{theme_id}[{i}]", t) for i, t in enumerate(lines)
        ]
    for where, text in texts:
        found = playbook.blame_found(text)
        if found:
            raise PlaybookError(f"{where}: contains {found[0]!r}, which is on the blame-terms list")


def build_playbook(
    playbook: Any,
    language: Any,
    vocabulary: Any,
    acknowledgements: Any,
) -> Playbook:
    """Validate and compile the four parsed YAML documents.

    Raises:
        PlaybookError: A file is malformed; the message names the file, theme and field.
    """
    spec = validate_file(PlaybookSpec, playbook, PLAYBOOK_FILE)
    language_spec = validate_file(LanguageSpec, language, LANGUAGE_FILE)
    vocabulary_spec = validate_file(VocabularySpec, vocabulary, VOCABULARY_FILE)
    ack_spec = validate_file(AcknowledgementSpec, acknowledgements, ACKNOWLEDGEMENTS_FILE)
    themes = {theme_id: _theme(theme_id, spec.themes[theme_id]) for theme_id in THEME_IDS}
    compiled = Playbook(
        spec=spec,
        language=language_spec,
        vocabulary=vocabulary_spec,
        acknowledgements=ack_spec,
        themes=themes,
        general=_theme("general", spec.general),
        cues=_cue_index(spec.themes),
        blame_terms=tuple(Gated.of(_compile(p)) for p in language_spec.blame_terms),
        care_cues=tuple(Gated.of(_compile(p)) for p in ack_spec.care_cues),
    )
    _check_clean(compiled)
    return compiled


@cache
def load_playbook() -> Playbook:
    """Return the playbook from ``prompts/`` (validated and compiled once per process).

    Raises:
        PlaybookError: A file is missing or malformed.
    """
    try:
        documents = [
            load_yaml(name)
            for name in (PLAYBOOK_FILE, LANGUAGE_FILE, VOCABULARY_FILE, ACKNOWLEDGEMENTS_FILE)
        ]
    except PlaybookError:
        raise
    except PromptError as exc:
        raise PlaybookError(str(exc)) from None
    return build_playbook(*documents)
