"""Indirect warning signs of suicide and violence, and the despair that calls for a check-in.

The crisis gate (:mod:`bot.safety.crisis`) catches what people say outright ("I want to kill
myself"). People in crisis more often say it sideways, and the published warning-sign lists (988
Lifeline, SPRC, NIMH, AFSP) name the categories covered here: feeling a burden; saying goodbye or
leaving messages for after; giving belongings away or putting affairs in order; "won't be around
much longer"; gathering or researching a means (in a pharmacy, stock is within reach); a sudden
calm once a decision is made; and intent to hurt someone with a weapon, a place or a time. The
wording is the project's own: nothing here is taken from a screening instrument.

Each category is a *sign* (the telling phrase) and, where the phrase alone is ambiguous, a
*second signal* somewhere in the message: despair, finality ("won't need it", "for after"), a
self-directed marker ("for me", "not for a patient"), a weapon or a plan. Pharmacy talk is full of
the same words about patients, stock and machines, so means rules need the writer as the target,
and a goodbye or a "won't be here" next to a named job change (two weeks, a transfer, a new job)
is a job change.

:func:`check_in` is the tier below a crisis: hopelessness without a death wish, plan, means,
goodbye or burden ("I can't do this anymore", "what's the point", "I'm done"). The answer to that
is a direct, caring question, not a draft.

Every function takes text already normalized by the crisis gate (lower case, apostrophes folded,
denials removed) and is pure.
"""

from __future__ import annotations

import re
from functools import cache

from bot.vocabulary.prefilter import KeywordFinder, required_literals
from bot.vocabulary.words import load

__all__ = ["check_in", "expand_shorthand", "harm_sign", "self_harm_sign"]

# An apostrophe people often leave out ("im", "dont", "wont", "itd").
_A = "'?"


class _Rule:
    """A compiled pattern behind a cheap test: one of the literals it needs must be present.

    Most messages are work vents that contain none of a rule's telling words. The literals every
    rule needs (:func:`~bot.vocabulary.prefilter.required_literals`) are found in one pass per
    text (:func:`_present`), and a rule none of whose literals is present is not run.
    """

    __slots__ = ("needs", "pattern")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        needs = required_literals(pattern)
        self.needs: frozenset[str] | None = None if needs is None else frozenset(needs)
        _ALL_RULES.append(self)

    def _absent(self, text: str) -> bool:
        return self.needs is not None and self.needs.isdisjoint(_present(text))

    def search(self, text: str) -> re.Match[str] | None:
        """Like :meth:`re.Pattern.search`."""
        return None if self._absent(text) else self.pattern.search(text)

    def sub(self, replacement: str, text: str) -> str:
        """Like :meth:`re.Pattern.sub`."""
        return text if self._absent(text) else self.pattern.sub(replacement, text)

    def findall(self, text: str) -> list[str]:
        """Like :meth:`re.Pattern.findall` (for a pattern without groups)."""
        return [] if self._absent(text) else self.pattern.findall(text)


_ALL_RULES: list[_Rule] = []
# The literals found in the text last looked at: every rule asks about the same text in turn.
# One tuple, replaced whole, so a concurrent caller never reads another text's literals.
_LAST: tuple[str | None, frozenset[str]] = (None, frozenset())


def _any(rules: list[_Rule], text: str) -> bool:
    """Whether any of ``rules`` matches ``text`` (only the rules whose literals are present run)."""
    present = _present(text)
    return any(
        rule.pattern.search(text)
        for rule in rules
        if rule.needs is None or not rule.needs.isdisjoint(present)
    )


def _count(rules: list[_Rule], text: str) -> int:
    """How many of ``rules`` match ``text``."""
    present = _present(text)
    return sum(
        1
        for rule in rules
        if (rule.needs is None or not rule.needs.isdisjoint(present)) and rule.pattern.search(text)
    )


def _present(text: str) -> frozenset[str]:
    global _LAST
    last_text, found = _LAST
    if last_text != text:
        found = _FINDER.present(text)
        _LAST = (text, found)
    return found


def _rx(pattern: str) -> _Rule:
    # "w/o me" is chat shorthand for "without me".
    source = pattern.replace("<A>", _A).replace("without me", "(?:without|w/o|w/out) me")
    return _Rule(re.compile(source))


_WORD = re.compile(r"[a-z0-9]+")


@cache
def _means_words() -> tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]:
    """One-word means, several-word means, and drug-name endings (from the shared lists)."""
    names = load("drugs") | load("crisis_means")
    single = frozenset(name for name in names if name.isalnum())
    several = tuple(sorted(name for name in names if not name.isalnum()))
    return single, several, tuple(sorted(load("drug_suffixes")))


def _names_means(text: str) -> bool:
    """Whether ``text`` names a medicine (by name, group or a drug-name ending) or other means."""
    single, several, endings = _means_words()
    for word in _WORD.findall(text):
        if word in single or (word.endswith("s") and word[:-1] in single):
            return True
        # A drug neither list knows ("amitriptyline"): at least three letters before its ending.
        if len(word) >= 7 and word.endswith(endings):
            return True
    return any(name in text for name in several)


# --- Chat shorthand ------------------------------------------------------------------------------

# People type to a bot at 2 a.m. the way they text: "u wont have to deal w/ me after 2nite". The
# rules are written in full words, so shorthand and common misspellings of the telling words are
# spelled out first (whole words only).
_SHORTHAND = {
    "u": "you",
    "ur": "your",
    "ppl": "people",
    "rn": "right now",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "tmrow": "tomorrow",
    "tomoz": "tomorrow",
    "2moro": "tomorrow",
    "2morrow": "tomorrow",
    "tonite": "tonight",
    "2nite": "tonight",
    "tnite": "tonight",
    "b4": "before",
    "bc": "because",
    "b/c": "because",
    "cuz": "because",
    "w/": "with",
    "w/o": "without",
    "w/out": "without",
    "smth": "something",
    "sth": "something",
    "evry1": "everyone",
    "every1": "everyone",
    "some1": "someone",
    "any1": "anyone",
    "no1": "no one",
    "luv": "love",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "thnx": "thanks",
    "gbye": "goodbye",
    "goodby": "goodbye",
    "myslef": "myself",
    "mysef": "myself",
    "myslf": "myself",
    "suicde": "suicide",
    "sucide": "suicide",
    "suiside": "suicide",
    "sucidal": "suicidal",
    "suicdal": "suicidal",
    "kil": "kill",
    "pils": "pills",
    "pillz": "pills",
    "overdoes": "overdose",
    "wnt": "want",
    "dnt": "dont",
    "cnt": "cant",
    "idc": "i dont care",
    "ik": "i know",
    "wont b": "wont be",
    "gona": "gonna",
    "wana": "wanna",
    "thinkin": "thinking",
    "bout": "about",
    "abt": "about",
    "tryna": "trying to",
    "gunna": "gonna",
    "prolly": "probably",
    "nobdy": "nobody",
    "evryone": "everyone",
    "everyon": "everyone",
}
_SHORTHAND_WORD = re.compile(
    r"(?<![\w/])(?:"
    + "|".join(re.escape(k) for k in sorted(_SHORTHAND, key=len, reverse=True))
    + r")(?![\w/])"
)


def expand_shorthand(text: str) -> str:
    """Spell out chat shorthand and common misspellings in normalized ``text``.

    Args:
        text: Normalized text (lower case).
    """
    return _SHORTHAND_WORD.sub(lambda m: _SHORTHAND[m.group(0)], text)


# --- Signals shared by several categories -----------------------------------------------------

_DESPAIR = _rx(
    r"\b(?:hopeless|no hope|nothing (?:left|matters)|(?:none of it|nothing) (?:really )?matters"
    r"|no point|what<A>s the point|whats the point|so tired of (?:it all|everything|all of it)"
    r"|tired of (?:it all|everything|all of it)|can<A>t (?:do|take) (?:this|it) anymore"
    r"|(?:don<A>t|do not) have the energy to keep going|can<A>t keep going|keep going"
    r"|(?:i<A>m|im|i am) (?:just )?(?:so )?(?:tired|exhausted|done)|falling apart|worthless|empty"
    r"|numb|no way out|the way out"
    r"|give up|given up|giving up|done with (?:everything|it all|life)|relief|relieved"
    r"|at peace|dont worry about me|don<A>t worry about me|it<A>s not (?:her|his|their|your) fault"
    r"|its not (?:her|his|their|your) fault|since the breakup|alone)\b"
)
# Said of the time after: "won't need it", "for after", "when I'm gone".
_FINALITY = _rx(
    r"\b(?:i feel|i<A>m|im) (?:finally )?ready now\b|"
    r"\b(?:go|gone|leave|leaving) for good\b|\bbefore i go\b(?! (?:home|to|on|back|out|in))"
    r"|\b(?:it<A>s|its|everything<A>s|everythings|everything is) (?:all )?(?:taken care of|set up"
    r"|sorted|in order|handled)\b|\b(?:feels|seems) like the right time\b|\bwhat<A>s coming\b"
    r"|\bwhats coming\b|\b(?:don<A>t|dont) (?:bother )?(?:schedul\w*|putting|put|training|train"
    r"|counting|count) me\b|"
    r"\b(?:won<A>t|wont|will not|don<A>t|dont|not going to"
    r"|never) (?:really )?(?:be )?(?:need(?:ing)?"
    r" (?:it|them|any of (?:it|this|them)|anything|these|those|my \w+|\w+ anymore|to)"
    r"|able to (?:take care of|keep|use))\b"
    r"|\b(?:don<A>t|dont|no need to) bother (?:putting|scheduling|training|including|counting) me\b"
    r"|\bwhere i<A>m going\b|\bfor after\b|\bafter i<A>m gone\b|\bwhen i<A>m gone\b"
    r"|\bonce i<A>m gone\b|\bin case\b|\bbefore\b(?= *(?:$|[.!?,;\n]))|\bafter\b(?= *(?:$"
    r"|[.!?,;\n]))"
    r"|\bnothing left to do\b|\bfeels right\b|\bno one will (?:need|have) to\b"
    r"|\bno(?:body| one) (?:fights|has to)\b|\b(?:no|any) (?:point|use) in (?:me )?keeping\b"
    r"|\bafter (?:friday|monday|tuesday|wednesday|thursday|saturday|sunday|this week(?:end)?"
    r"|tonight|tomorrow)\b[^.!?\n]{0,30}\b(?:won<A>t|wont|will not) need\b"
)
# A job change, trip or leave explains a goodbye or a "won't be here" (unless it is denied).
_JOB_CHANGE = _rx(
    r"\b(?:quit(?:ting)?|resign\w*|two weeks|2 weeks|notice|new job|another job|job offer"
    r"|offer letter|transfer\w*|relocat\w*|moving (?:to|back|across)|retir\w*|start(?:ing)? at"
    r"|last day at|leaving (?:this|the) (?:job|place|pharmacy|hospital|store|company)"
    r"|put in my|vacation|pto\b(?! (?:anymore))|maternity|paternity|leave of absence|fmla"
    r"|surgery|honeymoon|trip|cruise|out of town|deployment|deployed|school|graduat\w*)"
)
_NOT_A_JOB_CHANGE = _rx(
    r"\bnot (?:a|on|for) (?:vacation|trip|holiday)\b|"
    r"\bnot (?:quitting|leaving|resigning|transferring|moving)\b[^.!?\n]{0,30}"
    r"|\bnot (?:for|to) (?:any|another|a new) (?:job|store|pharmacy|hospital)\b"
    r"|\b(?:i<A>m )?not leaving for (?:another|a new|any) job\b|\bnot for any job\b"
    r"|\bi (?:don<A>t|dont) need the pto\b"
)


def _job_change(text: str) -> bool:
    return _JOB_CHANGE.search(_NOT_A_JOB_CHANGE.sub(" ", text)) is not None


# --- Passive ideation said sideways ----------------------------------------------------------

_PASSIVE = [
    _rx(r"\b(?:plan(?:ning|ned)?|prepar\w*) (?:for )?my (?:own )?(?:suicide|death)\b"),
    _rx(
        r"\b(?:want|wanna|going|gonna|thinking about|thought about|ready) (?:to )?commit\b"
        r"(?= *(?:$|[.!?,;\n]|lol|tbh|honestly|tonight|soon))"
    ),
    _rx(r"\bhop(?:e|ing) (?:that )?i (?:don<A>t|dont|never|won<A>t|wont) wake up\b"),
    _rx(
        r"\b(?:don<A>t|dont|wouldn<A>t|wouldnt|not) (?:really |even )?care if i (?:make it|survive"
        r"|live|wake up)\b"
    ),
    _rx(
        r"\b(?:disappointed|sad|upset|angry|annoyed|mad) (?:that )?(?:i<A>m|im|i am) still"
        r" (?:alive|here|breathing)\b"
    ),
    _rx(
        r"\b(?:exhausting|tiring|too hard|too much|pointless) (?:being|to be) alive\b"
        r"|\bbeing alive is (?:exhausting|too much|pointless|torture|unbearable)\b"
    ),
    _rx(r"\b(?:wish|hope|pray)(?:ing)? (?:that )?my heart (?:would |will )?(?:just )?stops?\b"),
    _rx(
        r"\bwish(?:ing|ed|es)? (?:that )?i (?:was|were|could be|<A>d be) (?:just )?(?:dead|gone"
        r"|never born|not alive|not here|asleep forever)\b"
    ),
    _rx(
        r"\brather (?:be dead|die|not exist|not be alive|not wake up) than (?:keep (?:feeling"
        r"|living"
        r"|going|hurting)|feel|live|go on|wake up|continue|be alive|face (?:another|tomorrow))"
    ),
    _rx(
        r"\b(?:wouldn<A>t|would not|don<A>t|dont|do not) (?:even |really )?care if i (?:died|die"
        r"|was dead|didn<A>t wake up|didnt wake up|live or die|lived or died)\b"
    ),
    _rx(r"\blife(?: is|<A>s|s)? (?:isn<A>t|is not|not|ain<A>t) worth (?:it|living)\b"),
    _rx(
        r"\bno (?:reason|point) (?:for me )?to (?:be alive|live|keep living|exist|be here|wake up"
        r"|go on|stay alive)\b"
    ),
    _rx(
        r"\bif i (?:just )?(?:got|get|was) (?:hit|run over|in (?:a|an) (?:wreck|accident|crash))"
        r"\b[^.!?\n]{0,40}\b(?:relieved|relief|glad|fine|ok|okay|wouldn<A>t mind|peace)\b"
    ),
    _rx(
        r"\bsuicide(?:<A>s| is| has been| keeps)? (?:\w+ ){0,2}?(?:on my mind|in my head"
        r"|all i think about|coming up)\b|\bthoughts? of suicide\b"
    ),
    # "I'd be ok if I just didn't wake up", "if I died in my sleep that would be fine".
    _rx(
        r"\b(?:ok|okay|fine|good|alright|at peace|relieved)(?: with (?:it|that|me))?"
        r" if i (?:just )?(?:didn<A>t|did not|never|don<A>t|wouldn<A>t) (?:wake|woke|waking) up\b"
    ),
    _rx(
        r"\bif i (?:just )?(?:died|passed|was gone|never woke up|didn<A>t wake up|didnt wake up)"
        r"\b[^.!?\n]{0,40}\b(?:fine|ok|okay|alright|good|wouldn<A>t mind|don<A>t care|relief"
        r"|peaceful|not (?:the )?worst)\b"
    ),
    _rx(r"\b(?:just )?not wak(?:e|ing) up\b(?! (?:on time|in time|early|till|until|for my alarm))"),
    # "so I don't have to exist anymore".
    _rx(
        r"\b(?:don<A>t|dont|didn<A>t|not) (?:have|want|need) to exist\b"
        r"(?! (?:in|at|on|for) (?:this|the|that|my) (?:job|place|store|pharmacy|team|shift|unit"
        r"|department|company|hospital|role)\b)"
    ),
    _rx(r"\bwish i<A>?d? (?:had )?never (?:been born|existed|woken up)\b"),
    _rx(
        r"\b(?:pray\w*|hop(?:e|ing)|wish\w*) (?:that )?(?:god|the lord|jesus|the universe"
        r"|someone|something) (?:would |will |just )*(?:takes?|call(?:s)?|end(?:s)?) me\b"
    ),
    _rx(r"\bat least (?:it<A>?d|it would|it<A>?ll|it will|then it<A>?d) (?:all )?be over\b"),
    _rx(
        r"\b(?:wouldn<A>t|would not|don<A>t|dont) (?:mind|care) if (?:a|the|some|my) (?:\w+ ){0,5}?"
        r"(?:fell on|hit|killed|crushed|ran over|took) me\b"
    ),
    _rx(
        r"\b(?:being dead|death|dying|not existing|not being here|never waking up|eternal sleep)"
        r" (?:sounds|seems|feels|would be|looks)(?: \w+)? (?:peaceful|nice|good|better|easier"
        r"|appealing|tempting|restful|(?:like )?(?:a )?relief)\b"
    ),
    # "kys" about oneself ("i should just kys"); "told me to kys" is reported, not intent.
    _rx(r"\b(?:i|im|i<A>m|i should|i wanna|i want to|i might|i could)(?: \w+){0,3}? kys\b"),
    _rx(r"\b(?:gonna|going to|wanna|want to|about to|ready to|finally|might) (?:just )?kys\b"),
    # Hoping for a wreck on the way in (not "a small fender bender so I can stay home").
    _rx(
        r"\bhop(?:e|ing) (?:that )?i (?:get|got|end up) (?:in(?:to)? )?(?:a |an )?(?:\w+ )?"
        r"(?:accident|wreck|crash)\b"
        r"(?![^.!?\n]*\b(?:minor|small|little|fender|just enough|so i (?:can|could)"
        r" (?:call out|stay home|get a day|have a day|miss))\b)"
    ),
    # "shouldn't be here ... at all" widened past the job.
    _rx(r"\bshouldn<A>t be here\b[^\n]{0,40}\bat all\b"),
    _rx(r"\bi wanna be dead\b|\bwant to be dead\b"),
]

# --- Burden: others better off ---------------------------------------------------------------

_BURDEN = [
    _rx(
        r"\b(?:better|happier|lighter|easier|freer|free|fine|relieved|safer)(?: off)?\b"
        r"[^.!?\n]{0,25}?\bif i (?:just )?(?:wasn<A>t|weren<A>t|was not|were not|wasnt|werent)"
        r" (?:here|around|alive)\b"
    ),
    _rx(
        r"\b(?:i<A>m|im|i am|i feel like|feel like)(?: \w+){0,2}? (?:a )?(?:waste of (?:space|air"
        r"|oxygen|a life|life)|drain on (?:everyone|everybody|my \w+|them))\b"
    ),
    _rx(
        r"\b(?:better|happier|lighter|easier|freer|free|fine|relieved|safer)(?: off)?\b"
        r"[^.!?\n]{0,25}?\b(?:without me(?! (?:on|at|for) (?:nights|days|evenings|weekends|the|this"
        r"|that|my|our)\b| in (?:the|this|that|my|our) (?:\w+ )?(?:department|unit|store|pharmacy"
        r"|role|position|job|team|shift)\b)|with me gone|once i<A>m gone|when i<A>m gone"
        r"|if i (?:\w+ ){0,2}?(?:was|were|am|<A>m) (?:gone|dead|not here|not around)"
        r"|if i (?:just )?(?:vanished|disappeared|died|left for good)"
        r"|never having to (?:\w+ ){0,2}?(?:about|with) me)"
    ),
    _rx(
        r"\b(?:weight|drain|dead weight|waste of (?:space|air|oxygen)) (?:around|on|to)"
        r" (?:her|his|their|my|everyone|everybody|them|the world)\b"
    ),
    _rx(r"\ball i do is (?:drain|hurt|burden|disappoint|ruin)\b"),
    _rx(
        r"\b(?:vanish(?:ed)?|disappear(?:ed)?|gone) (?:permanently|for good|forever)\b"
        r"[^.!?\n]{0,40}\b(?:happier|better|easier|relief)\b"
        r"|\b(?:happier|better|easier)\b[^.!?\n]{0,40}\b(?:vanish(?:ed)?|disappear(?:ed)?|gone)"
        r" (?:permanently|for good|forever)\b"
    ),
    _rx(r"\bbetter without me\b[^\n]*\b(?:not just|everyone|everybody|the world|at all)\b"),
]

# --- Goodbye: final messages ------------------------------------------------------------------

_MESSAGE = r"(?:letters?|notes?|cards?|videos?|messages?|texts?|recordings?|emails?)"
_GOODBYE_STRONG = [
    _rx(r"\bthis is (?:my )?(?:last |final )goodbye\b"),
    _rx(r"\bremember me (?:as|for|fondly|kindly)\b"),
    _rx(
        r"\blast time (?:you|u|y<A>all|yall|anyone|everyone)(?:<A>ll| will)? (?:have to |need to )?"
        r"(?:deal with|see|hear from|put up with) me\b"
    ),
    _rx(r"\bthis is (?:my )?goodbye\b|\bthis is where i say goodbye\b"),
    _rx(r"\b(?:saying|said|say) my goodbyes\b"),
    _rx(
        r"\b(?:won<A>t|wont|will not|never) (?:be )?(?:ever )?(?:see|seeing|talk|talking|hear"
        r"|hearing"
        r"|speak|speaking)(?: to| from| with)? (?:you|u|any of (?:you|u)|anyone|anybody|everyone"
        r"|everybody|y<A>all|yall|you guys|you all)(?: \w+)? again\b"
    ),
    _rx(rf"\b(?:goodbye|good-bye|farewell|bye) {_MESSAGE}\b"),
    _rx(rf"\b{_MESSAGE} (?:saying|to say) (?:goodbye|good-bye|bye|farewell)\b"),
    _rx(
        r"\b(?:won<A>t|wont|will not|never (?:going to|gonna)) (?:ever )?(?:see|talk to|hear from)"
        r" (?:them|you|u|anyone|everyone|y<A>all|yall|you guys|her|him)(?: \w+)? again\b"
    ),
    _rx(
        r"\b(?:last time|the last you)(?: \w+){0,2}? (?:you|u|ull|you<A>ll|anyone|everyone)"
        r"(?:<A>ll| will)? (?:hear|see) (?:from )?me\b"
    ),
    _rx(
        r"\bwhere (?:they|she|he|you|someone|somebody|my \w+)(?:<A>ll| will| can| would)? find"
        r" (?:it|them|me)\b"
    ),
    _rx(
        r"\btell (?:them|everyone|everybody|my \w+|her|him|the \w+)(?: that)? (?:i<A>m|im) sorry"
        r" (?:for everything|and (?:that )?i lov)"
    ),
    _rx(r"\b(?:it<A>s|its|it is) not (?:her|his|their|your|anyone<A>s) fault\b"),
    _rx(r"\bif anyone asks\b[^.!?\n]{0,20}\btell\b"),
    _rx(r"\b(?:for|to) (?:\w+ ){0,3}when (?:i<A>m|im) gone\b"),
    _rx(r"\b(?:won<A>t|wont|will not|never) (?:ever )?(?:hear from|see|talk to) me again\b"),
    _rx(
        r"\bmy last (?:message|text|words?)(?: \w+){0,2}? (?:to anyone|ever|to you all"
        r"|to everyone)\b"
    ),
    _rx(
        r"\bif (?:anything|something) (?:ever )?happens to me\b[^.!?\n]{0,40}"
        r"\b(?:tell|love|take care of|make sure)\b"
    ),
]
# Letters, notes or videos, only with something that says they are for after.
_LETTERS = _rx(
    rf"\b(?:wrote|written|writing|write|left|leaving|recorded|recording|made|making)"
    rf"(?: \w+){{0,3}}? {_MESSAGE}\b"
)
_FOR_AFTER = _rx(
    r"\b(?:in case|for after|for when|after i<A>m gone|when i<A>m gone|(?:she|he|they)<A>ll know"
    r"|(?:she|he|they) will know|if (?:anything|something) happens|sorry"
    r"|explain(?:s|ing)? (?:everything|why)"
    r"|letters (?:to|for) (?:everyone|everybody|my family|my kids|each of|all of))\b"
)
# Farewell markers: one is an ordinary goodbye; two, or one with despair or finality, and no job
# change or plan to be back, is a final one.
_FAREWELLS = [
    _rx(r"\bif (?:something|anything) (?:ever )?happens\b"),
    _rx(r"\b(?:love (?:you|u) (?:all|guys|so much)|i love you all|sorry for everything)\b"),
    _rx(r"\bthank (?:everyone|everybody|you all|y<A>all|yall)\b"),
    _rx(r"\bi said (?:goodbye|bye)\b"),
    _rx(r"\bthank(?:s| you) for everything\b"),
    _rx(r"\byou were always (?:so )?(?:kind|good|nice|there)\b"),
    _rx(r"\b(?:goodbye|bye)\b(?= *(?:$|[.!?,\n]))"),
    _rx(r"\b(?:saying|say|said) (?:bye|goodbye) to\b"),
    _rx(r"\b(?:this is|it<A>s|its|today is|tonight is|tonight<A>s) my last (?:shift|day|night)\b"),
    _rx(r"\bwhat i want to say to (?:everyone|everybody|you all|them)\b"),
    _rx(r"\b(?:nice|good|an honor) (?:knowing|working with) (?:you|u|y<A>all|yall|everyone)\b"),
    _rx(r"\btell (?:\w+ ){1,3}(?:i love|i loved|i<A>m sorry|im sorry|thanks|thank you)\b"),
    _rx(r"\bmy last (?:message|text|words?)\b"),
]
_COMING_BACK = _rx(
    r"\b(?:see (?:you|u|ya|yall|y<A>all|everyone|you all)|talk (?:to you )?(?:later|soon|tomorrow)"
    r"|(?:i<A>ll|ill|i will) be back|back (?:on|next|tomorrow|in)|catch you)\b"
)


def _final_goodbye(text: str, *, despair: bool, finality: bool) -> bool:
    if _LETTERS.search(text) and (_FOR_AFTER.search(text) or despair or finality):
        return True
    if _COMING_BACK.search(text):
        return False
    markers = _count(_FAREWELLS, text)
    return markers >= 2 or (markers == 1 and (despair or finality))


# --- Possessions and affairs ------------------------------------------------------------------

_POSSESSIONS = [
    _rx(r"\b(?:found|finding|find) (?:a )?(?:new )?homes? for my\b"),
    _rx(r"\b(?:everything|things) (?:is |are )?in order\b"),
    _rx(r"\bg(?:ive|iving|ave|iven) (?:away )?(?:all |most of )?(?:my|all my) (?:\w+ ){0,2}?\w+"),
    _rx(r"\bg(?:ive|iving|ave|iven) away\b"),
    _rx(
        r"\b(?:found|finding|find) (?:my|a home for my) (?:\w+ )?(?:dog|cat"
        r"|pets?) a (?:new )?home\b"
    ),
    _rx(r"\brehom\w*\b"),
    _rx(r"\bwho gets (?:what|my)\b"),
    _rx(r"\b(?:can|could) (?:\w+ )?(?:have|take) my\b"),
    _rx(
        r"\b(?:updated|update|wrote|writing|made|making|changed|signed|did) (?:my|a|the)"
        r" (?:will|beneficiary|life insurance)\b|\blife insurance (?:goes|go|will go|policy)\b"
        r"|\bbeneficiary\b"
    ),
    _rx(r"\bpasswords?\b[^.!?\n]{0,40}\b(?:for my|envelope|for (?:her|him|them))\b"),
    _rx(
        r"\b(?:getting|got|get|put|putting) (?:my |all my )?(?:affairs|things|everything|stuff)"
        r" in order\b"
    ),
    _rx(r"\bcancel(?:ed|led|ing) (?:all )?my (?:subscriptions|accounts|lease|phone)\b"),
    _rx(r"\bpaid off what i could\b"),
    _rx(r"\b(?:tying|tie|tied) up (?:all )?(?:my |the )?loose ends\b"),
    _rx(
        r"\b(?:sell|selling|sold|donat\w*) (?:off )?(?:all |most )?(?:of )?my (?:stuff|things"
        r"|belongings|clothes|furniture|\w+)\b"
    ),
]

# --- Not around: "won't be a problem much longer" --------------------------------------------

_OTHERS_WONT_HAVE_TO = (
    r"\b(?:you|they|nobody|no one|everyone|y<A>all|yall|you guys|u|u guys|he|she|my \w+)"
    r"(?: \w+){0,2}? (?:won<A>t|wont|will not|doesn<A>t|don<A>t|dont|never|has|have|will)"
    r" (?:have|need|get) to "
)
_NOT_AROUND_STRONG = [
    _rx(r"\bbe (?:around|here|alive) to see\b"),
    _rx(
        r"\bg(?:ive|iving|ave|iven) away (?:everything|all (?:of )?my (?:stuff|things|belongings)"
        r"|all i own|most of my (?:stuff|things))\b"
    ),
    _rx(
        r"\bout of (?:everyone<A>s|everyones|your|their|the|y<A>all<A>s) way (?:for good|forever"
        r"|soon|permanently)\b"
    ),
    _rx(r"\b(?:getting|got|get|put|putting) (?:my |all my )?affairs in order\b"),
    _rx(
        _OTHERS_WONT_HAVE_TO + r"(?:deal with|put up with|worry about|cover for|babysit|carry) me\b"
    ),
    _rx(
        r"\bi (?:\w+ )?(?:won<A>t|wont|will not|am not going to|<A>m not gonna|m not gonna) be"
        r" (?:a|an|any|anyone<A>s|anybody<A>s|anyones|anybodys|your|their|everyone<A>s|everyones)"
        r" (?:problem|burden|bother|issue)\b"
        r"(?! (?:today|tomorrow|on|at|with|if|when|because|for (?:the|this|my|our|you guys on))\b)"
    ),
    _rx(
        r"\bsoon i (?:won<A>t|wont|will not) be (?:anyone<A>s|anyones|anybody<A>s|a) (?:problem"
        r"|burden)"
    ),
    _rx(r"\b(?:gone|dead) for good\b|\bi<A>?ll be gone (?:soon|forever)\b"),
    _rx(
        r"\blast (?:week|day|days|month|shift) (?:of )?(?:being around|being alive|alive"
        r"|on earth)\b"
    ),
    _rx(
        r"\bwon<A>t have me (?:to \w+ (?:about|with|at) )?(?:for )?(?:much )?(?:longer|for long)\b"
    ),
]
_OPEN_ENDED = _rx(
    r"\b(?:much longer|for (?:much )?longer|for long|anymore|any more|soon|ever again|for good"
    r"|forever)\b"
)
_NOT_AROUND_WEAK = [
    _rx(_OTHERS_WONT_HAVE_TO + r"(?:see|hear from|look at|bother with) me\b"),
    _rx(r"\b(?:won<A>t|wont|will not|not going to|not gonna) be (?:around|here|alive)\b"),
    _rx(r"\bnobody (?:has|will have) to put up with me\b"),
]

# --- Means: gathering or researching a way to die, for oneself ---------------------------------

# The writer as the one the means are for. "Not for a patient" is the pharmacy tell.
_FOR_ME = _rx(
    r"\b(?:for me|for myself|i mean me|someone like me|(?:not|isn<A>t|wasn<A>t|aren<A>t) for"
    r" (?:a|the|any) (?:patient|pt|customer)s?|it<A>s for me|its for me|my own"
    r"|i (?:think i )?(?:have|got) enough|enough now|i have (?:like )?\w+ (?:months?|weeks?"
    r"|bottles?)"
    r" saved|in case i|i know what it<A>s for|i know what its for|i won<A>t need more"
    r"|i wont need more|to use on myself|loaded|(?:next to|by|under) (?:my|the) (?:bed|pillow)"
    r"|saving (?:them|it|these|those|some) up"
    r"|i (?:have|<A>ve got|ve got|got|kept) (?:a|the|some|like \w+) (?:\w+ ){0,2}?(?:bottles?"
    r"|supply|stash|boxe?s?))\b"
)
_GATHER = _rx(
    r"\b(?:sav(?:e|ed|ing)(?: up)?|stockpil\w*|hoard\w*|collect\w*|stash\w*|squirrel\w*"
    r"|tak(?:e|ing|en)|took|pull(?:ed|ing)?|pocket\w*|keep(?:ing)?|kept|grabb?\w*|steal\w*|stole"
    r"|divert\w*|bought|buy(?:ing)?|got|have|counting|count(?:ed)?|brought|bringing)\b"
)
_RESEARCH = _rx(
    r"\b(?:die|dying|kill (?:you|me|someone|a person)) from (?:too much|an overdose|taking)\b"
    r"|\bcan (?:you|u|i|a person|someone) die (?:from|of|if)\b|"
    r"\b(?:lethal|fatal|deadly|toxic|overdose) (?:dose|amount|level|quantity)\b"
    r"|\b(?:would|will|<A>d|could) be (?:lethal|fatal|enough)\b"
    r"|\bhow (?:many|much)\b[^.!?\n]{0,50}\b(?:would|will|<A>d|does|do) (?:it )?(?:take|need)\b"
    r"|\bwhich (?:would|will|is) (?:be )?(?:faster|quicker|less painful|painless|work better)\b"
    r"|\bwithout it showing (?:on|in|up)\b"
)
# A patient's chart talk: "a 10x overdose", "the lethal dose for the kid in bed 4".
_ABOUT_PATIENTS = _rx(
    r"\b(?:patient|pt|pts|peds|kid|baby|child|bed \d+|room \d+|order|script|nurse|md|doctor"
    r"|prescriber|poison control|caught|verification|verify|intervention|pharmacist said)\b"
)


# Having gathered a supply is itself the means ("a stash of everything patients returned").
_STASH = _rx(r"\b(?:stash|stockpile|hoard|supply) of\b")


def _means(text: str) -> bool:
    for_me = _FOR_ME.search(text) is not None
    research = _RESEARCH.search(text) is not None
    if not (for_me or research):  # the cheap tests first: most texts stop here
        return False
    if not _names_means(text) and _STASH.search(text) is None:
        return False
    if for_me and (research or _GATHER.search(text)):
        return True
    # Researching a lethal amount, or counting pills "it would take", with no patient in sight.
    if research and not _ABOUT_PATIENTS.search(text):
        return (
            re.search(r"\b(?:googl\w*|look(?:ed|ing)? up|search\w*|research\w*|i|my)\b", text)
            is not None
        )
    return False


_MEANS_STRONG = [
    _rx(
        r"\b(?:sav(?:e|ed|ing)|keep(?:ing)?|kept|tak(?:e|ing)|took|pocket\w*|stash\w*) (?:the |some"
        r" |all the |a few )?(?:\w+ ){0,2}?(?:waste|returns?|wasted \w+)\b[^.!?\n]{0,40}"
        r"\binstead of (?:wasting|destroying|returning|sending)"
    ),
    _rx(
        r"\bcount(?:ing|ed)?\b[^.!?\n]{0,60}?\bhow (?:many|much)\b"
        r"(?! (?:techs?|people|hours|staff|shifts|nurses|days|weeks|minutes|time)\b)"
        r"[^.!?\n]{0,40}\b(?:it|they)(?: would|<A>d|ll| will) take\b"
    ),
    _rx(
        r"\b(?:taking|take|took|bring(?:ing)?) (?:the |some |all the )?[\w ]{0,20}?(?:waste"
        r"|returns?)"
        r"\b[^.!?\n]{0,30}\bhome\b"
    ),
    _rx(
        r"\b(?:bought|got|buying|have|keep(?:ing)?) (?:a |some )?(?:rope|noose)\b"
        r"|\b(?:gun|pistol|rifle)\b[^.!?\n]{0,40}\b(?:loaded|(?:next to|by|under) (?:my|the)"
        r" (?:bed|pillow))\b"
    ),
]

# --- Sudden calm after a decision ---------------------------------------------------------------

_DECIDED_STRONG = _rx(
    r"\b(?:figured out|know|found) (?:how|a way) to (?:make (?:it|the pain|this|everything)"
    r" (?:all )?stop|end (?:it|this|the pain)|escape)\b|"
    r"\bi know how (?:this|it|all this|all of this) ends\b|\bsoon it (?:won<A>t|wont|will not)"
    r" matter\b|\b(?:it<A>s|its|it is|it<A>ll|itll|it will) (?:all )?(?:going to |gonna )?be over"
    r" soon\b"
    r"|\bi know the way out\b|\bnone of it matters after\b|\b(?:won<A>t|wont) matter after\b"
    r"|\bi know what comes next\b[^.!?\n]{0,30}\bpeace\b"
)
_DECIDED = _rx(
    r"\bmade (?:my|a|the) choice\b|\bnow that i know (?:when|how)\b|\bi know when\b|"
    r"\bi know what i (?:need|have) to do\b|\b(?:everything|it|it all|this)(?: will|<A>ll|ll"
    r"| is going to| is gonna) (?:all )?be over (?:soon|shortly|tonight)\b|"
    r"\bi know what i<A>m (?:going to|gonna) do\b|\bi know what im (?:going to|gonna) do\b"
    r"|\bmade (?:my|the|a|up my) (?:decision|mind)\b|\bonce i decided\b|\bi(?:<A>ve)? decided\b"
    r"|\bi (?:have|<A>ve got|ve got|got|finally have) a plan\b|\bfigured it (?:all )?out\b"
    r"|\bi know what comes next\b|\bhave an answer\b|\bi have an answer\b"
    r"|\b(?:everything|it)(?:<A>s| is) (?:all )?settled\b|\bi just know\b"
    r"|\bwrote everything down for them\b|\bit all makes sense now\b"
    r"|\b(?:have|got) (?:it|everything) (?:all )?figured out\b"
)
_CALM = _rx(
    r"\bfeel(?:ing)? (?:a lot |so much |much )?better (?:now|since|after)\b|"
    r"\b(?:at peace|calm|lighter|relie(?:f|ved)|peaceful|not (?:sad|scared|worried|afraid)"
    r" anymore|first good day|slept fine|(?:i<A>m|im|i am) (?:actually |finally )?(?:ok|okay|good"
    r"|fine) now|don<A>t worry about me|dont worry about me|stress\w*[^.!?\n]{0,20}went away)\b"
)

# --- Harm to others: a threat with a weapon, place, time or means -------------------------------

_THREAT = _rx(
    r"\b(?:hurt|harm|attack|shoot|stab|kill|beat up|strangle|choke) (?:him|her|them|my \w+"
    r"|the \w+|that \w+|every(?:one|body))\b|\b(?:he<A>s|hes|she<A>s|shes|they<A>re|theyre)"
    r" (?:done|dead|finished)\b|"
    r"\bmake (?:him|her|them|the \w+|that \w+|my \w+|every(?:one|body)) pay\b"
    r"|\b(?:they|he|she|you|y<A>all)(?:<A>ll|ll| will| are going to| gonna) (?:regret it|be sorry"
    r"|pay for (?:it|this))\b|\b(?:she|he|they|you)(?:<A>s|<A>re| is| are)? (?:going to"
    r"|gonna) get hurt\b"
    r"|\bbeat the (?:hell|crap|shit|life) out of\b|\bcoming back with (?:something|a \w+)\b"
    r"|\bso (?:they|he|she) (?:all )?feel what i feel\b"
    r"|\bput(?:ting)? something in (?:the |their |his |her )?(?:\w+ )?(?:coffee|drink|food|water"
    r"|lunch|tea|soda)\b|\b(?:run|drive|ram|crash)(?:ning|ing)? my (?:car|truck) into\b"
    r"|\b(?:hurt|harm|attack|poison|get back at) the (?:patient|customer|guy|lady|nurse|pharmacist"
    r"|manager|dm|supervisor|lead)\b"
)
_PLAN = _rx(
    r"\b(?:they<A>re|theyre|they are) all\b|\bwhile (?:they|everyone|he|she)\b|"
    r"\bi (?:have|<A>ve got|got|made) a plan\b|\baccess to everything\b|\bknow (?:her|his|their)"
    r" schedule\b|\bgoing over there\b|"
    r"\bknow (?:where|which \w+) (?:he|she|they|them|it)(?:<A>re| are|<A>s| is)? ?(?:lives?|parks?"
    r"|on|works?)?\b|\bwhere (?:he|she|they) (?:lives?|parks?)\b|\bwaiting for (?:him|her|them)\b"
    r"|\bafter close\b|\bi have access\b|\baccess to (?:the )?(?:stuff|meds|med cart|\w+ cart)\b"
    r"|\b(?:gun|guns|rifle|pistol|knife|weapon|bullets|ammo)\b|\bi<A>m serious\b|\bim serious\b"
    r"|\bnot joking\b|\bfor every(?:body|one)\b|\bschedule and where\b|\bwhen (?:he|she|they"
    r"|my \w+)"
    r" (?:is|are) working\b|\bthey all\b"
)

# --- Check-in: hopelessness with no death wish, plan, means or goodbye ---------------------------

_DESPAIR_CHECK_IN = _rx(
    r"\bat (?:my )?breaking point\b|\bat the end of my rope\b(?! with)"
    r"|\bcan<A>t keep (?:doing|going|living)(?: (?:this|it|on))?(?= *(?:$|[.!?,;\n]|anymore"
    r"|like this))"
    r"|\b(?:don<A>t|dont) know (?:if|whether|how) i can (?:keep going|go on|do this"
    r"|keep doing this|hold on|take (?:it|this|much more))\b"
    r"|\b(?:feel|i<A>m|im|i am) (?:so |completely |totally )?worthless\b"
    r"|\beverything(?:<A>s| is) falling apart\b|"
    r"\b(?:don<A>t|dont|do not) want to (?:do this|be like this|feel like this|keep doing this"
    r"|keep going)(?: anymore| any more)\b|\bi (?:just )?can<A>t anymore\b"
    r"|\bnothing (?:ever )?(?:gets|will get|is going to get) better\b"
    r"|\bhow much (?:more|longer)(?: of this)? i can (?:take|hold on|do this|handle"
    r"|keep (?:going|doing this))\b"
    r"|\b(?:don<A>t|dont|do not|can<A>t|cant) see (?:the|a|any) point (?:in|of|to) (?:anything"
    r"|any of (?:it|this)|trying|going on|it all)\b"
    r"|\bi (?:have|<A>ve got|got) nothing left\b(?! (?:in|on|of) (?:the|stock|inventory))"
    r"|\b(?:want|wanna|ready) (?:to )?give up\b(?! on (?:the|this|that|my) \w+)"
    r"|\bcan<A>t go on like this\b|\b(?:i<A>m|im) drowning\b(?! in)|"
    r"\bcan<A>t (?:do|take) (?:this|it|any of this) (?:anymore|any more|any longer)\b"
    r"|\bcan<A>t keep (?:going|doing this|living) like this\b|\bcan<A>t keep going\b"
    r"|\bwhat<A>?s (?:even )?the point\b|\bwhat is (?:even )?the point\b"
    r"|\bdon<A>t (?:know|see) what the point is\b|\bno point (?:in|to) (?:any of it|anything)\b"
    r"|\bnothing (?:really )?matters\b|\bnothing i do (?:\w+ )?matters\b"
    r"|\b(?:so |just )?tired of (?:everything|it all|all of it)\b"
    r"|\bdon<A>t care (?:about anything )?anymore\b|\bwhy i (?:even )?(?:try|bother)\b"
    r"|\bfeel (?:so )?(?:empty|hopeless|numb)\b|\bi<A>m (?:so )?(?:empty|hopeless|numb)\b"
    r"|\bim (?:so )?(?:empty|hopeless|numb)\b|\bhopeless\b"
    r"|\b(?:don<A>t|do not|can<A>t) see (?:a|any) (?:way out|future|point)\b|\bno way out\b"
    r"|\bhow much longer i can (?:hold on|do this|keep (?:going|doing this))\b"
    r"|\b(?:want|wanna|wish i could) (?:to )?(?:just )?(?:disappear|vanish)\b"
    r"(?! (?:for|to|into|from|on|off|at|after|until|till|before|and)\b)"
    r"|\b(?:everything|life|it all) (?:feels|seems|is) (?:so )?(?:pointless|meaningless)\b"
    r"|\b(?:never|doesn<A>t|won<A>t) (?:ever )?(?:gets?|get) better\b"
    r"|\b(?:done|so done) with (?:everything|it all|all of it|life)\b"
    r"|\bi (?:give|gave) up\b(?! on (?:the|this|that|my) \w+)|\bgiving up on everything\b"
    r"|\bfeel like (?:i<A>m|im) done with everything\b|\bno future\b"
)
# "Done" with a named job, person or task and a work exit is a work vent.
_WORK_EXIT = _rx(
    r"\bdone with (?:this|the|my|that) (?:job|place|pharmacist|manager|store|company|dm|boss"
    r"|schedule|shift|hospital|pharmacy|lead)\b(?![^.!?\n]*\bnot just\b)"
)


def self_harm_sign(text: str) -> bool:
    """Return whether ``text`` shows an indirect warning sign of suicide.

    Args:
        text: Normalized text with denials removed.
    """
    if _any(_PASSIVE, text):
        return True
    job_change = _job_change(text)
    # "The team would be better off without me, I'm putting in my two weeks" is about the job.
    if not job_change and _any(_BURDEN, text):
        return True
    if _any(_GOODBYE_STRONG, text):
        return True
    despair = _DESPAIR.search(text) is not None
    finality = _FINALITY.search(text) is not None
    if not job_change and _final_goodbye(text, despair=despair, finality=finality):
        return True
    possessions = _any(_POSSESSIONS, text)
    if possessions and not job_change and (despair or finality):
        return True
    if not job_change and _any(_NOT_AROUND_STRONG, text):
        return True
    if (
        not job_change
        and _any(_NOT_AROUND_WEAK, text)
        and (despair or finality or _OPEN_ENDED.search(text) or _NOT_A_JOB_CHANGE.search(text))
    ):
        return True
    if _any(_MEANS_STRONG, text) or _means(text):
        return True
    if _DECIDED_STRONG.search(text):
        return True
    # "I feel so much lighter since I decided. Putting in my two weeks": a job decision.
    if job_change:
        return False
    return _DECIDED.search(text) is not None and (_CALM.search(text) is not None or despair)


# A threat that names its own means: poisoning someone's drink or food.
_POISONING = _rx(
    r"\bpoison(?:ing)? (?:his|her|their|the \w+<A>s|the \w+s|my \w+<A>s|my \w+s|everyone<A>s"
    r"|everyones) (?:\w+ )?(?:coffee|drink|food|water|lunch|tea|soda|meds|iv)\b"
)


def harm_sign(text: str) -> bool:
    """Return whether ``text`` threatens someone with a weapon, a means, a place or a time.

    Args:
        text: Normalized text with denials removed.
    """
    if _POISONING.search(text):
        return True
    return _THREAT.search(text) is not None and _PLAN.search(text) is not None


# A bare "I'm done": on its own, or said twice, it may mean life; closing a long vent about a
# shift it usually means the shift ("...nobody from management answered. I'm so done.").
_BARE_DONE = _rx(
    r"\b(?:i<A>m|im|i am) (?:(?:so|just|really|honestly) )*done\b(?= *(?:$|[.!?,;\n]))"
)
_SHORT_WORDS = 12


def check_in(text: str) -> bool:
    """Return whether ``text`` sounds hopeless enough to ask directly about suicide.

    Args:
        text: Normalized text with denials removed (call it only when no crisis was found).
    """
    if _DESPAIR_CHECK_IN.search(text) is None:
        done = len(_BARE_DONE.findall(text))
        if not done or (done == 1 and len(text.split()) > _SHORT_WORDS):
            return False
    return not (_WORK_EXIT.search(text) and _job_change(text))


# One finder for the literals of every rule, built once all rules exist; each rule's needs are
# then stated as the finder reports them.
_FINDER = KeywordFinder(need for rule in _ALL_RULES for need in rule.needs or ())
for _each in _ALL_RULES:
    if _each.needs is not None:
        _each.needs = _FINDER.reduce(_each.needs)
