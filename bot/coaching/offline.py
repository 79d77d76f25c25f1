"""The offline coach: the default coach, deterministic, no network and no model files.

It turns a vent into a problem / proposed fix / my role draft using the playbook under
``prompts/`` (see ``bot.coaching.playbook``):

1. The vent's specifics are found (numbers, units, drugs, equipment, places) and its sentences are
   restated neutrally (``bot.coaching.specifics``): the facts stay, the heat goes.
2. Themes are scored from the playbook's weighted cues; the leader picks the reframing pattern,
   the fix and the role.
3. Options are chosen by what the vent mentions (an option's ``when``) and a stable hash of the
   vent, so the same vent always gets the same draft and two vents of one theme differ.
4. Follow-up questions ask for the facts the vent lacks; numbers are asked for, never invented.

Too little to work with ("rough shift") gets a gentle question instead of a generic draft.
Crisis and out-of-scope replies are the service's job and never come from here.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from bot.coaching.models import THEME_IDS, CoachReply, CoachRequest, Draft
from bot.coaching.playbook import (
    PLACEHOLDER,
    CompiledOption,
    Playbook,
    Theme,
    load_playbook,
    word_tokens,
)
from bot.coaching.specifics import (
    Restater,
    Specifics,
    SpecificsFinder,
    clean_spacing,
    sentence_case,
    strip_trailing,
)

MAX_QUESTIONS = 3
_THEME_ORDER = {theme: index for index, theme in enumerate(THEME_IDS)}
_PLACEHOLDER_AT = re.compile(re.escape(PLACEHOLDER) + r"(?:\s+([a-z]+))?")
_ANSWER_NUMBER = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"fifteen|twenty|thirty|forty|fifty|a hundred|hundred|a dozen|dozen)(?:\s*(?:-|to|or)\s*"
    r"\d+(?:\.\d+)?)?(?:\s+([a-z]+))?",
    re.IGNORECASE,
)
_APPROXIMATE_START = re.compile(
    r"^(?:about|around|roughly|maybe|approximately|probably|like|at least|over|almost|nearly|"
    r"\d|one|two|three|four|five|six|seven|eight|nine|ten|twice|once|every|daily|weekly)\b",
    re.IGNORECASE,
)
_FREQUENCY_WORDS = re.compile(r"\b(?:times?|a week|a day|a shift|per|every|daily|weekly)\b", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def stable_hash(text: str, salt: str = "") -> int:
    """Return a hash of ``text`` that is the same in every process (unlike ``hash``)."""
    return zlib.crc32(f"{salt}\x00{text}".encode())


@dataclass(frozen=True)
class Analysis:
    """What the coach read in a vent.

    Attributes:
        text: The vent (messages joined), identifiers stripped.
        key: The normalized vent, the seed of every choice.
        words: Number of words.
        scores: Themes with their scores, best first (only those that count).
        specifics: The vent's specifics.
        facts: The vent's sentences restated neutrally (all that survived).
        care: The vent shows signs of burnout (warmth first).
    """

    text: str
    key: str
    words: int
    scores: tuple[tuple[str, float], ...]
    specifics: Specifics
    facts: tuple[str, ...]
    care: bool

    @property
    def themes(self) -> list[str]:
        """Theme ids, best first."""
        return [theme for theme, _ in self.scores]


class OfflineCoach:
    """The playbook coach (the ``Coach`` port without any network or model)."""

    name = "offline"

    def __init__(self, playbook: Playbook | None = None) -> None:
        """Compile everything once.

        Args:
            playbook: The playbook to run on (default: the one under ``prompts/``).
        """
        self.playbook = playbook or load_playbook()
        self._restater = Restater(self.playbook)
        self._finder = SpecificsFinder(self.playbook.vocabulary)

    async def reply(self, request: CoachRequest) -> CoachReply:
        """Answer one request (see ``reply_sync``)."""
        return self.reply_sync(request)

    def reply_sync(self, request: CoachRequest) -> CoachReply:
        """Answer one request: a draft, or a question when there is too little to work with."""
        if request.refinement is not None and (
            request.previous is not None or request.refinement != "answer"
        ):
            return self._refine(request)
        messages = list(request.messages)
        if request.refinement == "answer" and request.answer:
            messages.append(request.answer)
        return self._from_vent(messages, request)

    # -----------------------------------------------------------------------------------------
    # Reading a vent

    def analyse(self, messages: Sequence[str]) -> Analysis:
        """Read a vent: specifics, themes and its facts restated neutrally."""
        text = self._restater.strip_identifiers("\n".join(m for m in messages if m.strip()))
        tokens = word_tokens(text)
        specifics = self._finder.find(text)
        lowered = text.lower()
        return Analysis(
            text=text,
            key=" ".join(tokens),
            words=len(tokens),
            scores=tuple(self._ranked(self.score_themes(lowered, tokens, specifics))),
            specifics=specifics,
            facts=tuple(self._restater.restate(text, identifiers_stripped=True)),
            care=self.playbook.care_found(text),
        )

    def themes(self, text: str) -> list[str]:
        """Return the themes of ``text``, best first (at most three)."""
        return self.analyse([text]).themes

    def score_themes(
        self, lowered: str, tokens: Sequence[str], specifics: Specifics
    ) -> dict[str, tuple[float, int]]:
        """Return each matched theme's score and the position of its first cue.

        Each distinct cue counts once, with its weight. Where cue phrases of one theme overlap
        ("mandatory overtime", "overtime"), only the longest counts.
        """
        index = self.playbook.cues
        found: dict[str, dict[str, float]] = {}
        first: dict[str, int] = {}
        covered: dict[str, int] = {}
        count = len(tokens)
        for i, token in enumerate(tokens):
            longest = 1
            if token in index.starts:
                longest = min(index.longest, count - i)
            for n in range(longest, 0, -1):
                phrase = token if n == 1 else " ".join(tokens[i : i + n])
                entry = index.phrases.get(phrase)
                if entry is None:
                    continue
                for theme, weight in entry:
                    if covered.get(theme, -1) > i:
                        continue
                    covered[theme] = i + n
                    found.setdefault(theme, {})[phrase] = weight
                    first.setdefault(theme, i)
        for theme, gated, weight in index.regexes:
            if gated.may_match(lowered) and gated.pattern.search(lowered):
                found.setdefault(theme, {})[gated.pattern.pattern] = weight
                first.setdefault(theme, count)
        for theme, feature, weight in index.features:
            if specifics.feature(feature):
                found.setdefault(theme, {})[feature] = weight
                first.setdefault(theme, count)
        return {theme: (sum(hits.values()), first[theme]) for theme, hits in found.items()}

    def _ranked(self, scores: dict[str, tuple[float, int]]) -> list[tuple[str, float]]:
        settings = self.playbook.settings
        ranked = sorted(
            scores.items(), key=lambda kv: (-kv[1][0], kv[1][1], _THEME_ORDER.get(kv[0], 99))
        )
        if not ranked or ranked[0][1][0] < settings.min_score:
            return []
        top = ranked[0][1][0]
        floor = max(settings.min_score, top * settings.secondary_ratio)
        return [(t, s) for t, (s, _) in ranked if s >= floor][: settings.max_themes]

    # -----------------------------------------------------------------------------------------
    # Answering a vent

    def _from_vent(self, messages: list[str], request: CoachRequest) -> CoachReply:
        analysis = self.analyse(messages)
        settings = self.playbook.settings
        themes = analysis.themes or [t for t in request.themes if t in self.playbook.themes]
        if analysis.words == 0:
            return self._clarify(analysis, themes, request, empty=True)
        too_short = analysis.words < settings.min_words_for_draft
        vague = not themes and (
            analysis.words < settings.min_words_without_theme or not analysis.facts
        )
        if too_short or (vague and not (request.non_english and analysis.facts)):
            return self._clarify(analysis, themes, request, empty=False)
        theme = self.playbook.themes[themes[0]] if themes else self.playbook.general
        draft = self._draft(analysis, theme)
        return CoachReply(
            kind="draft",
            acknowledgement=self._acknowledgement(analysis, themes, request),
            draft=draft,
            questions=self._questions(analysis, themes, analysis.specifics),
            themes=themes,
            coach="offline",
        )

    def _clarify(
        self, analysis: Analysis, themes: list[str], request: CoachRequest, *, empty: bool
    ) -> CoachReply:
        ack = self.playbook.acknowledgements
        spec = self.playbook.spec
        if empty:
            line = _pick(ack.empty, analysis.key, "ack")
            question = _pick(spec.clarify.empty, analysis.key, "clarify")
        else:
            line = _pick(ack.care if analysis.care or request.care else ack.clarify, analysis.key)
            if themes:
                theme = self.playbook.themes[themes[0]]
                question = self._render(theme.spec.clarify, analysis, theme)
            else:
                question = _pick(spec.clarify.questions, analysis.key, "clarify")
        return CoachReply(
            kind="clarify",
            acknowledgement=self._with_notes(line, request),
            questions=[question],
            themes=themes,
            coach="offline",
        )

    def _acknowledgement(self, analysis: Analysis, themes: list[str], request: CoachRequest) -> str:
        ack = self.playbook.acknowledgements
        if analysis.care or request.care:
            lines = ack.care
        elif themes:
            lines = ack.themes[themes[0]]
        else:
            lines = ack.general
        return self._with_notes(_pick(lines, analysis.key, "ack"), request)

    def _with_notes(self, line: str, request: CoachRequest) -> str:
        ack = self.playbook.acknowledgements
        notes = [line]
        if request.non_english:
            notes.append(ack.non_english_note)
        if request.truncated:
            notes.append(ack.truncated_note)
        return " ".join(notes)

    def _draft(self, analysis: Analysis, theme: Theme) -> Draft:
        spec = theme.spec
        facts = self._select_facts(analysis)
        if facts:
            pattern = self._choose(theme.problem, analysis, "problem", analysis.text, fit="any")
            problem = self._render(pattern.text, analysis, theme, facts=" ".join(facts))
        else:
            problem = self._render(_pick(spec.summary, analysis.key, "summary"), analysis, theme)
        fix = self._choose(theme.fixes, analysis, "fix", analysis.text)
        # The role follows the fix ("I can draft the checklist" goes with the checklist).
        role = self._choose(theme.roles, analysis, "role", fix.text, fit="with_general")
        return Draft(
            problem=problem,
            proposed_fix=self._render(fix.text, analysis, theme),
            my_role=self._render(role.text, analysis, theme),
        )

    def _select_facts(self, analysis: Analysis) -> list[str]:
        """Keep the sentences that carry the most specifics, within the playbook's limits."""
        settings = self.playbook.settings
        facts = [_limit_words(f, settings.max_fact_words) for f in analysis.facts]
        if len(facts) <= settings.max_fact_sentences and _words(facts) <= settings.max_fact_words:
            return facts
        tokens = [t.lower() for t in analysis.specifics.tokens()]

        def weight(sentence: str) -> float:
            lowered = sentence.lower()
            scores = self.score_themes(lowered, word_tokens(lowered), analysis.specifics)
            return sum(t in lowered for t in tokens) * 2 + sum(s for s, _ in scores.values())

        ranked = sorted(range(len(facts)), key=lambda i: (-weight(facts[i]), i))
        chosen: list[int] = []
        for i in ranked:
            if len(chosen) == settings.max_fact_sentences:
                break
            if chosen and _words([facts[j] for j in chosen]) + _words([facts[i]]) > (
                settings.max_fact_words
            ):
                continue
            chosen.append(i)
        return [facts[i] for i in sorted(chosen)]

    def _choose(
        self,
        options: Sequence[CompiledOption],
        analysis: Analysis,
        salt: str,
        context: str,
        *,
        fit: Literal["best", "any", "with_general"] = "best",
    ) -> CompiledOption:
        """Pick one option for this vent: fitting ones first, then the stable hash.

        ``best``: the options whose ``when`` finds the most distinct cues (a fix must fit the
        problem as closely as possible). ``any``: every option whose ``when`` matches (reframing
        patterns are all true of a fitting vent; more of them means more varied drafts).
        ``with_general``: the fitting options, twice, plus the unconditional ones (a role that
        goes with the fix, or one of the offers that suit any fix). Without a fitting option,
        the unconditional ones.
        """
        lowered = context.lower()
        scored = [(option.hits(context, lowered), option) for option in options]
        most = max((hits for hits, _ in scored), default=0)
        general = [o for o in options if o.when is None]
        if fit == "best":
            pool = [o for hits, o in scored if most and hits == most]
        else:
            pool = [o for hits, o in scored if hits]
            if fit == "with_general" and pool:
                pool = pool * 2 + general
        pool = pool or general
        return pool[stable_hash(analysis.key, salt) % len(pool)]

    def _render(self, template: str, analysis: Analysis, theme: Theme, *, facts: str = "") -> str:
        spec = theme.spec
        values = {
            "facts": facts,
            "item": _as_object(analysis.specifics.item(spec.item_from, spec.defaults.item)),
            "place": analysis.specifics.place(spec.defaults.place),
        }
        return clean_spacing(template.format_map(values))

    def _questions(
        self, analysis: Analysis, themes: Sequence[str], specifics: Specifics
    ) -> list[str]:
        """Follow-ups for the facts the vent lacks: the leading theme's first, then the next's.

        A fact already asked about (a count, a time...) is not asked again for another theme.
        """
        lowered = analysis.text.lower()
        out: list[str] = []
        asked: set[str] = set()
        for theme_id in themes or ["general"]:
            theme = self.playbook.themes.get(theme_id, self.playbook.general)
            eligible = [
                q
                for q in theme.questions
                if not specifics.has(q.needs)
                and (q.needs == "none" or q.needs not in asked)
                and q.fits(analysis.text, lowered)
            ]
            eligible.sort(key=lambda q: q.when is None)
            for question in eligible:
                text = self._render(question.text, analysis, theme)
                if text not in out:
                    out.append(text)
                    asked.add(question.needs)
            if len(out) >= 2:
                break
        return out[:MAX_QUESTIONS]

    # -----------------------------------------------------------------------------------------
    # Refinements

    def _refine(self, request: CoachRequest) -> CoachReply:
        analysis = self.analyse(request.messages)
        themes = [t for t in request.themes if t in self.playbook.themes] or analysis.themes
        theme = self.playbook.themes[themes[0]] if themes else self.playbook.general
        previous = request.previous
        if previous is None:
            if analysis.words == 0:
                return self._clarify(analysis, themes, request, empty=True)
            previous = self._draft(analysis, theme)
        lines = self.playbook.acknowledgements.refinement
        questions: list[str]
        match request.refinement:
            case "shorter":
                draft = self._shorter(previous)
                line, questions = lines.shorter, []
            case "formal":
                draft = self._formal(previous)
                line, questions = lines.formal, []
            case "add_numbers":
                draft, questions = self._add_numbers(previous, analysis, theme)
                line = lines.add_numbers
            case _:
                draft, questions = self._fold_answer(
                    previous, request.answer or "", analysis, theme
                )
                line = lines.answer
        return CoachReply(
            kind="draft",
            acknowledgement=self._with_notes(line, request),
            draft=draft,
            questions=questions[:MAX_QUESTIONS],
            themes=themes,
            coach="offline",
        )

    def _shorter(self, draft: Draft) -> Draft:
        rules = self.playbook.language.shorter

        def tighten(text: str, keep: int) -> str:
            sentences = []
            for sentence in _SENTENCE.split(text.strip()):
                for rule in rules:
                    sentence = re.sub(rule.find, rule.replace, sentence, flags=re.I | re.M)
                sentence = sentence_case(strip_trailing(clean_spacing(sentence)))
                if sentence.strip(". "):
                    sentences.append(sentence)
            short = " ".join(sentences[:keep])
            if len(short) >= len(text):
                # Still not shorter: drop the last clause, if what is left still says something.
                cut = max(short.rfind(", "), short.rfind(" and "), short.rfind(" so "))
                if cut > 0 and len(short[:cut].split()) >= 6:
                    short = sentence_case(strip_trailing(short[:cut]))
            return short if len(short) < len(text) else text

        return Draft(
            problem=tighten(draft.problem, 2),
            proposed_fix=tighten(draft.proposed_fix, 1),
            my_role=tighten(draft.my_role, 1),
        )

    def _formal(self, draft: Draft) -> Draft:
        rules = self.playbook.language.formal

        def formal(text: str) -> str:
            sentences = []
            for sentence in _SENTENCE.split(text.strip()):
                for rule in rules:
                    sentence = re.sub(rule.find, rule.replace, sentence, flags=re.I | re.M)
                sentences.append(sentence_case(clean_spacing(sentence)))
            return " ".join(s for s in sentences if s)

        return Draft(
            problem=formal(draft.problem),
            proposed_fix=formal(draft.proposed_fix),
            my_role=formal(draft.my_role),
        )

    def _add_numbers(
        self, draft: Draft, analysis: Analysis, theme: Theme
    ) -> tuple[Draft, list[str]]:
        prompts = theme.spec.numbers
        missing = [p for p in prompts if not analysis.specifics.has(p.needs)]
        fresh = [p for p in missing or prompts if p.placeholder not in draft.problem]
        chosen = fresh[:2] if missing else fresh[:1]
        if not chosen:
            # Every placeholder is already there: just ask again for what fills them.
            return draft, [self._render(p.question, analysis, theme) for p in missing or prompts]
        additions = " ".join(self._render(p.placeholder, analysis, theme) for p in chosen)
        questions = [self._render(p.question, analysis, theme) for p in chosen]
        return draft.model_copy(update={"problem": f"{draft.problem} {additions}"}), questions

    def _fold_answer(
        self, draft: Draft, answer: str, analysis: Analysis, theme: Theme
    ) -> tuple[Draft, list[str]]:
        answer = self._restater.strip_identifiers(answer)
        numbers = [
            (m.group(1), (m.group(2) or "").lower()) for m in _ANSWER_NUMBER.finditer(answer)
        ]
        used: set[int] = set()

        def fill(text: str) -> str:
            def one(match: re.Match[str]) -> str:
                unit = (match.group(1) or "").lower()
                pick = next(
                    (
                        i
                        for i, (_, u) in enumerate(numbers)
                        if i not in used and _same_unit(u, unit)
                    ),
                    None,
                )
                if pick is None:
                    pick = next((i for i in range(len(numbers)) if i not in used), None)
                if pick is None:
                    return match.group(0)
                used.add(pick)
                return numbers[pick][0] + (f" {match.group(1)}" if match.group(1) else "")

            return _PLACEHOLDER_AT.sub(one, text)

        problem = fill(draft.problem)
        fix, role = fill(draft.proposed_fix), fill(draft.my_role)
        additions = []
        # When the answer only gave the numbers asked for ("about 4 times, 45 minutes late"),
        # filling the brackets is the whole job; anything new in it is added as a sentence.
        answered_only_numbers = bool(used) and len(_new_words(answer, problem)) < 2
        if not answered_only_numbers:
            for sentence in self._restater.restate(answer) or _fragments(answer):
                if sentence.lower() in problem.lower() or self.playbook.blame_found(sentence):
                    continue
                if _APPROXIMATE_START.match(sentence):
                    lead = "This happens" if _FREQUENCY_WORDS.search(sentence) else "For reference:"
                    sentence = f"{lead} {sentence[0].lower()}{sentence[1:]}"
                additions.append(sentence_case(sentence))
        if additions:
            problem = f"{problem} {' '.join(additions)}"
        combined = self.analyse([analysis.text, answer])
        remaining = [
            self._render(p.question, analysis, theme)
            for p in theme.spec.numbers
            if self._render(p.placeholder, analysis, theme) in problem
        ]
        questions = remaining or self._questions(combined, combined.themes, combined.specifics)
        return Draft(problem=problem, proposed_fix=fix, my_role=role), questions


# ---------------------------------------------------------------------------------------------
# Small helpers


def _pick(options: Sequence[str], key: str, salt: str = "") -> str:
    return options[stable_hash(key, salt) % len(options)]


def _words(sentences: Iterable[str]) -> int:
    return sum(len(s.split()) for s in sentences)


def _limit_words(sentence: str, limit: int) -> str:
    words = sentence.split()
    if len(words) <= limit:
        return sentence
    cut = " ".join(words[:limit])
    boundary = max(cut.rfind(","), cut.rfind(";"))
    if boundary > len(cut) // 2:
        cut = cut[:boundary]
    return sentence_case(cut.rstrip(",;: "))


def _as_object(item: str) -> str:
    """Lower-case a drug name capitalized only because it started a sentence."""
    words = item.split()
    if words and words[0][:1].isupper() and words[0][1:].islower():
        words[0] = words[0].lower()
    return " ".join(words)


def _same_unit(a: str, b: str) -> bool:
    return bool(a) and bool(b) and a.rstrip("s") == b.rstrip("s")


_FILLER = frozenset(
    [
        "about",
        "around",
        "roughly",
        "maybe",
        "approximately",
        "probably",
        "like",
        "least",
        "over",
        "almost",
        "nearly",
        "and",
        "the",
        "was",
        "were",
        "are",
        "its",
        "it's",
        "that",
        "this",
        "with",
        "for",
        "per",
        "each",
        "every",
        "time",
        "times",
    ]
)


def _new_words(answer: str, known: str) -> set[str]:
    """Return the words of ``answer`` (3+ letters, not filler) that ``known`` does not contain."""
    seen = set(re.findall(r"[a-z']{3,}", known.lower()))
    words = set(re.findall(r"[a-z']{3,}", answer.lower())) - _FILLER
    return {w for w in words if w not in seen and w.rstrip("s") not in seen}


def _fragments(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"[.!?\n]+", text) if len(s.split()) >= 2]
