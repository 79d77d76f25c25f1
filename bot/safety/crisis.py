"""The crisis gate: a deterministic, tiered check that runs before any coaching or LLM call.

A message that talks about suicide, self-harm or hurting someone gets a fixed, human-written reply
with crisis resources (988, Crisis Text Line, 911, the employer's EAP) instead of a draft. The gate
is plain regular expressions so it works when the LLM is down, answers in tens of microseconds,
and gives the same answer every time. Nothing here stores or logs the text; only a content-free
counter is incremented when a message is routed.

Tiers:

- ``explicit``: intent, a plan, a method, a past attempt, or someone else at risk.
- ``passive``: passive ideation ("I don't want to be here anymore", "better off without me").
- ``warning_sign``: an indirect warning sign (:mod:`bot.safety.warning_signs`): feeling a burden,
  a goodbye, giving things away, "won't be around much longer", gathering means, sudden calm.
- ``harm_to_others``: intent to hurt someone, or bringing a weapon to work.

Below the tiers, :attr:`CrisisAssessment.check_in` marks despair with no crisis sign ("I can't do
this anymore"): the answer is a direct, caring question with the resources, not a draft.

Pharmacy talk is full of violent and deathly idioms ("this job is killing me", "I could kill
whoever set the par levels", "kill the queue", "dead tired"), so the patterns need a first-person
subject and an intent, wish or plan, and they skip idiomatic continuations. When in doubt about
self-harm the gate routes to resources: a caring reply to someone who was only venting costs far
less than a draft sent to someone who was not. Harm-to-others hyperbole ("wanna stab someone")
is common and is only routed with real intent words ("hurt", "harm", "shoot") or a weapon.

Burnout, exhaustion and tears are not a crisis: they set ``care`` so the acknowledgement is warm,
and the normal coaching flow continues.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from types import MappingProxyType

from bot.prompts import load_text, render_text
from bot.safety import warning_signs
from bot.vocabulary.prefilter import KeywordFinder

__all__ = [
    "CrisisAssessment",
    "CrisisTier",
    "assess",
    "check_in_text",
    "crisis_text",
    "prompt_sections",
]


class CrisisTier(StrEnum):
    """How a message was routed to crisis resources (also the metric label)."""

    explicit = "explicit"
    passive = "passive"
    warning_sign = "warning_sign"
    harm_to_others = "harm_to_others"


@dataclass(frozen=True)
class CrisisAssessment:
    """The gate's verdict on one message.

    Attributes:
        tier: The crisis tier, or ``None`` when the message is not a crisis.
        care: True when the person sounds exhausted, burnt out, in tears or in distress; always
            True for a crisis. Not a crisis by itself: it only warms the acknowledgement.
        check_in: True when the message is not a crisis but sounds hopeless enough to ask
            directly about suicide ("I can't do this anymore"); never True with a tier.
    """

    tier: CrisisTier | None
    care: bool
    check_in: bool = False


# --- Normalization --------------------------------------------------------------------------

# Invisible characters can split a word ("ki\u200bll") and slip it past a pattern.
_INVISIBLE = dict.fromkeys(
    [
        *range(0x200B, 0x2010),
        *range(0x202A, 0x202F),
        *range(0x2060, 0x2065),
        *range(0x2066, 0x206A),
        0xFEFF,
        0x00AD,
    ]
)
# Curly quotes and look-alike apostrophes, folded so "I’m" matches "i'm".
_INVISIBLE.update({0x2019: "'", 0x2018: "'", 0x02BC: "'", 0x00B4: "'"})
# Runs of spaces, and any other horizontal whitespace (tabs, no-break spaces).
_SPACES = re.compile(r" {2,}|[^\S \n][^\S\n]*")
_NEWLINES = re.compile(r" ?\n\s*")
# Misspellings and the "algospeak" people use to get past filters on social media, each with the
# substrings that must be present for it to apply (a cheap test that skips the regex).
_SPELLINGS: list[tuple[tuple[str, ...], re.Pattern[str], str]] = [
    (
        ("k1", "k!", "k|", "k*", "kl", "kil"),
        re.compile(r"\bk(?:[1!|*]|i)?l{1,2}(?=(?:ing|ed|s)?\b)"),
        "kill",
    ),
    (
        ("*", "1c", "c1", "sewer", "sooic"),
        re.compile(r"\bs(?:[u*]|\*)[i1*]c[i1*]d(?=e|al)|\bsewer ?slid(?=e)|\bsooicid(?=e|al)"),
        "suicid",
    ),
    (("delet",), re.compile(r"\bself[- ]?delet(?:e|ing)\b"), "kill myself"),
    ((" 2",), re.compile(r"\b(want|wanna|going|gonna|need|ready|like|have|trying) 2\b"), r"\1 to"),
]


def _normalize(text: str) -> str:
    """Lower-case, fold look-alike characters and collapse spaces (newlines end a clause)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text.translate(_INVISIBLE))
    folded = text.casefold()
    if "`" in folded:
        folded = folded.replace("`", "'")
    folded = _SPACES.sub(" ", folded)
    for keys, pattern, replacement in _SPELLINGS:
        if any(key in folded for key in keys):
            folded = pattern.sub(replacement, folded)
    if "\n" in folded:
        folded = _NEWLINES.sub("\n", folded)
    return folded


# --- Pattern building blocks ------------------------------------------------------------------

# Fragments are spliced into patterns as <NAME>; this keeps quantifiers like {0,3} readable.
_FRAGMENTS: dict[str, str] = {
    # A first-person subject (no bare "me": "the patient told me he wanted to die").
    "I": r"(?:\bi\b|\bi'm\b|\bim\b|\bi've\b|\bive\b|\bi'd\b|\bi'll\b|\bpart of me\b"
    r"|\bmakes? me\b|\bmade me\b|\bmaking me\b)",
    # Up to N characters of the same clause that do not switch to someone else as the subject.
    "W10": r"(?:(?!\b(?:he|she|they|patient|pt|customer|his|him|their|them)\b)[^.!?\n]){0,10}?",
    "W25": r"(?:(?!\b(?:he|she|they|patient|pt|customer|his|him|their|them)\b)[^.!?\n]){0,25}?",
    "W40": r"(?:(?!\b(?:he|she|they|patient|pt|customer|his|him|their|them)\b)[^.!?\n]){0,40}?",
    # Wanting, intending, planning, considering, attempting.
    "INTENT": r"(?:\bwant(?:ed|ing|s)? to|\bwanna|\bwana|\bwish(?:ed)?(?: i could| to)?"
    r"|\bwould like to|'d like to|\bfeel(?:ing)? like|\bfelt like|\btempted to|\burges? to"
    r"|\bready to|\bneed to|\bgoing to|\bgonna|\bgoin to|\bgunna|\babout to"
    r"|\bplan(?:ning)? (?:to|on)"
    r"|\bintend to|\bdecided to|\bmight|\bmay|\bcould|\bshould|\bwould|'d|'ll|\bwill"
    r"|\bthink(?:ing)? (?:about|of)|\bthought (?:about|of)|\bthoughts (?:about|of)"
    r"|\bdream(?:ing|t|ed)? (?:about|of)|\bfantasi[sz](?:e|ed|ing) about|\bobsess(?:ing|ed) over"
    r"|\bconsider(?:ing|ed)?|\bcontemplat(?:e|ing|ed)|\bimagin(?:e|ing)|\bpicturing"
    r"|\bresearch(?:ing|ed)|\bgoogl(?:e|ing|ed)|\blook(?:ed|ing) up|\btr(?:y|ied|ying) to"
    r"|\battempt(?:ed|ing)? to)",
    # Intent strong enough to mean hurting someone (no "could"/"would": "I could kill him").
    "HARM_INTENT": r"(?:\bwant(?:ed|ing)? to|\bwanna|\bwana|\btempted to|\burges? to|\bready to"
    r"|\bgoing to|\bgonna|\bgoin to|\bgunna|\babout to|\bplan(?:ning)? (?:to|on)|\bintend to"
    r"|\bdecided to|'ll|\bwill|\bthink(?:ing)? (?:about|of)|\bthought (?:about|of)"
    r"|\bthoughts (?:about|of)|\bdream(?:ing|t|ed)? (?:about|of)|\bfantasi[sz](?:e|ed|ing) about"
    r"|\bimagin(?:e|ing)|\bkeep picturing|\bmight|\bafraid i'?ll|\bscared i'?ll)",
    "SELF": r"(?:my ?s(?:el|le)?f|my own self)",
    "PEOPLE": r"(?:him|her|them|you|y'all|people|every(?:one|body)|some(?:one|body)|any(?:one|body)"
    r"|(?:that|this|the|my|our|a|one of (?:the|my|our)) (?:\w+ ){0,2}?"
    r"(?:guy|man|woman|lady|dude|bitch|idiot|jerk|asshole|manager|boss|supervisor|lead|director"
    r"|pharmacists?|rph|pic|techs?|technicians?|co-?workers?|colleagues?|nurses?|customers?"
    r"|doctors?|doc|resident|ex|husband|wife|boyfriend|girlfriend|partner|dm|family|kids?|people"
    r"|folks|ones?))",
    "WORKPLACE": r"(?:work|here|my job|(?:the|this|my) (?:pharmacy|store|hospital|building|unit"
    r"|office|floor|job|place|department|clinic))",
    # A knife is not here: techs bring box cutters and knives to open totes.
    "FIREARM": r"(?:guns?|rifles?|pistols?|shotguns?|firearms?|weapons?|ar-?15|glock|bombs?"
    r"|explosives?|ammo|ar|ak(?:-?47)?)",
    "MEDS": r"(?:pills|meds|medications?|tabs|tablets|insulin|opioids|narcotics|oxy\w*|fentanyl"
    r"|morphine|dilaudid|xanax|ambien|tylenol|benzos|sleeping pills|potassium|vials?|everything)",
}
_FRAGMENTS["LOVED"] = (
    r"(?:kids?|children|son|daughter|family|husband|wife|partner|mom|dad|mother|father|parents"
    r"|dogs?|cats?|pets?|baby|babies|grandkids?)"
)
# Moving stock around is work, not a method ("take all the expired meds out of the Pyxis").
_FRAGMENTS["LOGISTICS"] = (
    r" (?:out|off|back|up|down|to|over|and (?:restock|return|put|count|check))\b"
)
# "better off without me on nights": about a shift or a role, not about being alive.
_FRAGMENTS["NOT_A_SHIFT"] = (
    r"(?! (?:on|at|for) (?:nights|days|evenings|weekends|the|this|that|my|our)\b"
    r"| in (?:the|this|that|my|our) (?:\w+ )?(?:department|unit|store|pharmacy|role|position|job"
    r"|team|shift)\b)"
)
_FRAGMENT_REF = re.compile(r"<([A-Z0-9_]+)>")


def _rx(pattern: str) -> re.Pattern[str]:
    """Compile ``pattern`` after replacing each <NAME> with its fragment."""
    return re.compile(_FRAGMENT_REF.sub(lambda m: _FRAGMENTS[m.group(1)], pattern))


# --- Rules ------------------------------------------------------------------------------------

# Each rule is an *anchor* (the rare, telling words: "kill myself", "suicidal", "wake up") and,
# optionally, a *context* that must end right before the anchor in the same clause ("I want to",
# "thinking about"). Searching for rare anchors first keeps the gate fast: most messages never
# get past the anchors, and contexts are only checked in a short window.
_CONTEXT_WINDOW = 120


@dataclass
class _Rule:
    keys: frozenset[str]  # cheap gate: skip the rule unless one of these is in the text
    anchor: re.Pattern[str]
    context: re.Pattern[str] | None
    flag: str


def _rule(keys: str, anchor: str, context: str | None = None, flag: str = "") -> _Rule:
    """Build a rule; ``keys`` are "|"-separated substrings one of which every hit contains."""
    compiled = None if context is None else _rx(f"(?:{context})[ ,]*$")
    rule = _Rule(frozenset(keys.split("|")), _rx(anchor), compiled, flag)
    _ALL_RULES.append(rule)
    return rule


_ALL_RULES: list[_Rule] = []


@dataclass(frozen=True)
class _Hit:
    rule: _Rule
    start: int  # where the context (or the anchor, without one) starts
    anchor_start: int
    end: int
    anchor_text: str


def _clause_before(text: str, position: int) -> tuple[int, str]:
    """Return the start and text of the clause window that ends at ``position``."""
    sentence_start = max(text.rfind(mark, 0, position) for mark in ".!?\n") + 1
    start = max(sentence_start, position - _CONTEXT_WINDOW)
    return start, text[start:position]


def _hits(rules: list[_Rule], text: str, present: frozenset[str] | None) -> Iterator[_Hit]:
    """Yield the hits of ``rules`` in ``text``; ``present`` (gate keys found) skips rules fast."""
    for rule in rules:
        if present is not None and rule.keys.isdisjoint(present):
            continue
        for match in rule.anchor.finditer(text):
            start = match.start()
            if rule.context is not None:
                window_start, window = _clause_before(text, start)
                found = rule.context.search(window)
                if found is None:
                    continue
                start = window_start + found.start()
            yield _Hit(rule, start, match.start(), match.end(), match.group(0))


def _sentence(text: str, start: int, end: int) -> str:
    """Return the sentence around ``text[start:end]``."""
    left = max(text.rfind(mark, 0, start) for mark in ".!?\n")
    rights = [i for i in (text.find(mark, end) for mark in ".!?\n") if i != -1]
    return text[left + 1 : min(rights) if rights else len(text)]


# Contexts used by several rules.
_INTENT_BEFORE = r"<INTENT>(?: [\w']+){0,3}?(?: to)?"
_CLAUSE_START = r"(?:^ *|[,;] *)"
_FIRST_PERSON_OR_CLAUSE_START = (
    rf"(?:<I><W25>|{_CLAUSE_START}(?!.*\b(?:he|she|they|patient|pt|customer|his|her|their)\b)"
    r"(?:[\w']+ ){0,2}?)"
)

# --- Denials ----------------------------------------------------------------------------------

# "I'm not going to hurt myself" is removed before matching (and sets care). A hedge right after
# ("not yet", "not tonight", "probably") or a struggle right before ("trying not to", "not sure I
# won't") keeps it: when in doubt, route.
_DENIALS = [
    _rule("suicidal", r"\bsuicidal\b", r"\b(?:i'?m|i am|im) not(?: \w+){0,2}?|\bnot(?: feeling)?"),
    _rule(
        "way|sense|thing",
        r"\bnot (?:in )?an? (?:suicidal|kill myself|self[- ]?harm|hurt myself|harm myself)"
        r" (?:way|sense|thing)",
    ),
    _rule(
        "self|slef|mysf|my sf|my life|it all|anyone|anybody",
        r"\b(?:no|zero|not any) (?:plans?|intention|intent|desire|thoughts) (?:to|of|about) "
        r"(?:kill(?:ing)?|hurt(?:ing)?|harm(?:ing)?|end(?:ing)?) (?:<SELF>|my life|it all|anyone"
        r"|anybody)",
    ),
    _rule(
        "thinking|thought",
        r"\b(?:not|never) (?:thinking|thought) (?:about|of) (?:suicide|killing <SELF>"
        r"|ending (?:it|my life)|hurting (?:<SELF>|anyone|anybody))",
    ),
    _rule("die", r"\b(?:don'?t|do not|never) (?:want|wanna) (?:to )?die\b"),
    _rule(
        "kill|hurt|harm|cut|shoot|off|unalive|end|do anything",
        r"\b(?:kill|hurt|harm|cut|shoot|off|unalive|end|do anything to)(?:ing)?"
        r" (?:<SELF>|my life|it all|anyone|anybody|someone|somebody|him|her|them|people|my \w+"
        r"|the \w+)",
        r"(?:\bnot|\bnever|n't|\bno)(?: (?:ever|actually|really|seriously|literally"
        r"|ever going to))?(?: (?:going to|gonna|planning to|planning on|trying to|about to|want to"
        r"|wanna|intend to|thinking about|thinking of|to))?",
    ),
]
_HEDGE_AFTER = re.compile(
    r"\W{0,5}(?:(?:at least|probably|i think|i guess|maybe|i hope|i don'?t think) )?"
    r"(?:yet|today|tonight|right now|for now|at the moment|this time|probably|i think|i guess"
    r"|maybe|i hope|idk|i don'?t know|i'?m not sure)\b"
)
_HEDGE_BEFORE = re.compile(
    r"\b(?:not sure|don'?t know (?:if|whether)|can'?t promise|can'?t say|unsure|not certain"
    r"|idk (?:if|whether)|hope|trying|try|tried|struggl\w*|scared|afraid|worried|told myself)"
    r"\b[^.!?\n]{0,12}$"
)
# Ambivalence after a denial ("I don't want to kill myself but I keep thinking about it").
_AMBIVALENCE = re.compile(
    r"\b(?:keep|can'?t stop|been|always|constantly) thinking about (?:it|doing it|that)\b"
    r"|\bthe thoughts (?:won'?t|don'?t|never) (?:stop|go away|leave)"
    r"|\bpart of me (?:wants|does|still)"
)


def _strip_denials(text: str, present: frozenset[str]) -> tuple[str, bool]:
    """Remove clear denials from ``text``; return the rest and whether a denial was removed."""
    spans: list[tuple[int, int]] = []
    for hit in _hits(_DENIALS, text, present):
        if _HEDGE_AFTER.match(text, hit.end):
            continue
        if _HEDGE_BEFORE.search(text, max(0, hit.start - 40), hit.start):
            continue
        spans.append((hit.start, hit.end))
    if not spans:
        return text, False
    pieces: list[str] = []
    last = 0
    for start, end in sorted(spans):
        if start < last:  # overlapping denials: the earlier one already covers this start
            start = last
        pieces.append(text[last:start])
        pieces.append(" . ")
        last = max(last, end)
    pieces.append(text[last:])
    return "".join(pieces), True


# --- Explicit: intent, plan, method, attempt, someone else at risk ----------------------------

_EXPLICIT = [
    # Killing oneself with any intent or consideration in front of it.
    _rule(
        "self|slef|mysf|my sf",
        r"\b(?:kill(?:ing)?|off(?:ing)?|unaliv(?:e|ing)|end(?:ing)?|hang(?:ing)?|drown(?:ing)?"
        r"|poison(?:ing)?|shoot(?:ing)?|overdos(?:e|ing)|od(?:ing)?) <SELF>\b"
        r"(?<!end up killing myself)(?<!end up killing my self)"
        r"(?! (?:laughing|in the foot|working|covering|doing (?:this|these|doubles|overtime|nights)"
        r"|over (?:this|a|the) (?:job|place|shift)|for (?:this|a|the) (?:job|place|company"
        r"|hospital|pharmacy|store|paycheck)|for them|for these people|to (?:get (?:this|it"
        r"|everything|the \w+) done|finish|keep up|cover|make (?:rate|quota|it on time)))\b)",
        _INTENT_BEFORE,
    ),
    # Bare "kill myself" unless it is the hard-work idiom ("killing myself covering shifts").
    _rule(
        "self|slef|mysf|my sf",
        r"\bkill(?:ing)? <SELF>\b(?! (?:laughing|for|to|over|on|at|doing|trying|working|covering"
        r"|running|with|every|each|out here|here|day and night|in this|all day|all night"
        r"|everyday|just to|so)\b)",
    ),
    _rule("kms", r"\bkms\b(?<!\d kms)"),
    _rule("unaliv", r"\bunaliv(?:e|ed|ing)\b"),
    # Not able to stay safe; afraid of what one might do.
    _rule(
        "safe",
        r"\b(?:can'?t|cannot|can not|not sure i can|don'?t think i can|unable to"
        r"|won'?t be able to) keep <SELF> safe\b|\bnot safe (?:with|from|around) <SELF>\b"
        r"|\bi'?m not safe(?: (?:right now|tonight|alone|at home|by myself))?(?= *(?:$|[.!?,;\n]))",
    ),
    _rule(
        "self|slef|mysf|my sf",
        r"\b(?:what|something) i (?:might|could|would|'ll|will|may|am going to|'m going to"
        r"|'m gonna) do to <SELF>\b",
    ),
    _rule("self|slef|mysf|my sf", r"\bdo something to <SELF>\b", r"<I><W25>"),
    # Ending one's life.
    _rule(
        "life", r"\b(?:end(?:ing)?|take|taking|took) my (?:own )?life\b(?! (?:over|away|back)\b)"
    ),
    _rule("it all", r"\bend(?:ing)? it all\b"),
    _rule(
        "suffering|misery", r"\b(?:end|stop) (?:my|the|this) (?:suffering|misery)\b", _INTENT_BEFORE
    ),
    _rule(
        "end",
        r"\bend(?:ing)? (?:it|things|everything)\b"
        r"(?= *(?:$|[.!?,;\n]|now|tonight|today|tomorrow|this (?:weekend|week|month|year)"
        r"|after (?:my|this|work|the)|on (?:mon|tues|wednes|thurs|fri|satur|sun)day|soon|for good"
        r"|forever|already|once and for all|and\b|but\b))",
        r"<INTENT>[^.!?\n]{0,20}?",
    ),
    # Suicidal, said of oneself (not "a suicidal patient").
    _rule(
        "suicidal",
        r"\bsuicidal\b(?! (?:patients?|pts?|customers?|person|people|guy|lady|man|woman|kids?"
        r"|teens?|callers?|ideation in|precautions|watch)\b)",
        _FIRST_PERSON_OR_CLAUSE_START,
    ),
    _rule(
        "suicide",
        r"\bsuicide\b",
        r"<I><W40>(?:think(?:ing)?|thought|considering|considered|contemplating|contemplated"
        r"|attempted|attempt|tried|planning|plan|commit|committing)(?: about| of| on)?(?: \w+)?",
    ),
    _rule("suicide", r"\b(?:die|dying|death|end my life) by suicide\b", r"<I><W25>"),
    _rule(
        "thoughts|thinking",
        r"\b(?:thoughts|thinking) (?:of|about) (?:suicide|killing <SELF>|ending my life)",
    ),
    _rule(
        "note|letter",
        r"\b(?:suicide|goodbye) (?:note|letter)",
        r"<I><W25>\b(?:wrote|write|writing|written|my|a)",
    ),
    _rule("suicide", r"\bmy suicide (?:note|plan|letter)"),
    # Methods, with intent in front of them.
    _rule(
        "jump|in front of|into|throw|driv|crash|swerv|wrist|throat|gun|overdos|od on|oding on"
        "|all|every one|handful|bunch|enough|bottle|inject",
        r"\b(?:jump(?:ing)? (?:off|from) (?:a|the|my|this|that) (?:bridge|roof|building|balcony"
        r"|overpass|ledge|cliff|parking (?:garage|deck)|tower)"
        r"|(?:jump|step|walk|run)(?:ing)? (?:in front of|into) (?:a |the )?(?:train|bus|car|truck"
        r"|traffic|semi)|throw(?:ing)? <SELF> (?:in front of|off|under)"
        r"|walk(?:ing)? into (?:traffic|the (?:ocean|lake|river|sea))"
        r"|driv(?:e|ing) (?:my car )?(?:into|off) (?:a |the )?(?:tree|wall|pole|bridge|cliff"
        r"|oncoming|traffic|river|lake|semi|truck|overpass|embankment|guardrail|barrier|road)"
        r"|crash(?:ing)? my car|swerv(?:e|ing) into"
        r"|(?:slit|cut)(?:ting)? my (?:wrists?|throat)"
        r"|put(?:ting)? a gun (?:to|in) my (?:head|mouth)"
        r"|overdos(?:e|ing)(?! on (?:caffeine|coffee|sugar|candy|chocolate))"
        r"|od(?:ing)? on(?! (?:caffeine|coffee|sugar|candy|chocolate))"
        r"|(?:take|taking|swallow(?:ing)?) (?:all|every one|a handful|a bunch|enough"
        r"|the whole bottle|a whole bottle|a bottle|all the)(?: of)? (?:my |the |those |these "
        r"|some |our )?<MEDS>\b(?!<LOGISTICS>)"
        r"|inject(?:ing)? <SELF> with)",
        r"<INTENT>(?: [\w']+){0,5}?",
    ),
    _rule(
        "slit|hang|brains|bullet|my gun|noose",
        r"\b(?:slit|slitting) my (?:wrists?|throat)|\bhang(?:ing)? <SELF>\b"
        r"|\bblow(?:ing)? my brains out|\beat(?:ing)? (?:a bullet|my gun)|\bnoose\b",
    ),
    _rule("shoot", r"\bshoot(?:ing)? <SELF>\b(?! in the (?:foot|leg))"),
    # Pills: a past attempt, or taking enough of something at hand.
    _rule(
        "took|swallowed|downed",
        r"\b(?:took|swallowed|downed|took like) (?:a bunch|a handful|all|too many|a whole bottle"
        r"|the whole bottle|a bottle|half a bottle)(?: of)? (?:my |the |those |some |our )?<MEDS>\b"
        r"(?! for (?:my|a|the) (?:headache|pain|back|cramps|migraine|cold|fever|tooth|period)\b)",
        r"<I><W10>",
    ),
    _rule(
        "take|took|swallow|inject",
        r"\b(?:take|took|swallow(?:ed)?|inject(?:ed)?) (?:enough|all|a handful|a bunch"
        r"|the whole bottle|a whole vial)(?: of)? (?:the |my |our |those |these |some )?"
        r"(?:\w+ ){0,2}?(?:<MEDS>|\w+(?:olol|pril|pam|lam|done|phine|parin|pine|zine|line))\b"
        r"(?!<LOGISTICS>)",
        r"(?:\bif i|\bi could|\bi might|\bi'?d|\bi would|\bi'?m going to|\bi want to)(?: just)?",
    ),
    # Knowing the means: a pharmacy has them within reach.
    _rule(
        "how easy",
        r"\bhow easy it(?: would|'d) be\b(?! to (?:fix|grab the wrong|mix (?:up|them up)"
        r"|make a mistake|confuse|pick|pull|divert|steal|restock|count|lose)\b)",
        r"\b(?:<MEDS>|vault|pyxis|omnicell|cabinet|med room)\b[^.!?\n]{0,60}?",
    ),
    _rule(
        "take",
        r"\bit(?: would|'d|'ll| will) take\b(?= *(?:$|[.!?,;\n]|to (?:die|kill|not wake|end)))",
        r"\bhow (?:much|many) (?:of (?:the|my|those|these|our) )?(?:\w+ )?<MEDS>(?: \w+){0,3}?",
    ),
    _rule(
        "about it|about doing it|about that",
        r"\b(?:think|thinking|thought) about (?:it|doing it|that)\b"
        r"(?= *(?:$|[.!?,;\n]|again|a lot|every))",
        r"<I><W25>\b(?:<MEDS>|vault|pyxis|omnicell|cabinet|med room)\b[^.!?\n]{0,40}?(?: and)?",
    ),
    _rule(
        "home",
        r"\b<MEDS> home\b[^\n]{0,40}?\b(?:for me|for myself|to use on myself|to end|to take them"
        r"|to do it)\b",
        r"<I><W25><INTENT>(?: [\w']+){0,2}? (?:take|taking|steal|stealing|pocket|pocketing|grab"
        r"|grabbing|bring|bringing)(?: some| the| a few| a couple(?: of)?| enough)?(?: \w+){0,2}?",
    ),
    _rule(
        "in case",
        r"\bin case i (?:decide|need|want|choose) to (?:do it|go through with it|end it"
        r"|use (?:it|them))\b",
    ),
    _rule(
        "know",
        r"\bknow (?:exactly )?(?:what|how much|how many|which (?:meds|drugs|pills))(?: \w+){0,2}?"
        r" (?:i'?d|i would|it would|i'?ll|i will|i need to|would) (?:take|need|use|do it"
        r"|be enough)",
        r"<I><W10>",
    ),
    _rule(
        "access",
        r"\baccess to (?:everything|all|enough|what) (?:i'?d|i would|i) need",
        r"<I><W10>(?:have|got)",
    ),
    _rule(
        "stockpil|hoard|sav|collect",
        r"\b(?:stockpil|hoard|sav|collect)(?:e|es|ed|ing) (?:up )?(?:my |some |a few |extra )?"
        r"(?:pills|meds|tablets|insulin|opioids|oxy\w*|sleeping pills)",
        r"<I><W25>",
    ),
    _rule(
        "how much|how many",
        r"\bhow (?:much|many)(?: [\w-]+){0,6}? (?:would|does|will|to|could|can|do|it)"
        r"(?: \w+){0,3}? (?:kill (?:me|<SELF>|a person|someone|somebody|an adult"
        r"|a (?:\w+ ){0,2}?(?:man|woman|person))|die|be (?:lethal|fatal)|overdose|not wake up)",
    ),
    _rule(
        "lethal|fatal|deadly",
        r"\b(?:what'?s|what is|whats) (?:the|a) (?:lethal|fatal|deadly) (?:dose|amount)",
    ),
    # Hurting oneself, with intent (accidents like "cut myself on an ampule" are not).
    _rule(
        "self|slef|mysf|my sf",
        r"\b(?:hurt(?:ing)?|harm(?:ing)?|cut(?:ting)?|burn(?:ing)?|punish(?:ing)?) <SELF>\b"
        r"(?! (?:on|with|lifting|opening|breaking|at work|while|when|by accident|accidentally"
        r"|moving|carrying|reaching|pulling|pushing|again on|trying to (?:lift|open|reach|move"
        r"|carry))\b)",
        r"(?:<INTENT>|\btrying not to|\btry not to|\bstop <SELF> from|\bkeep <SELF> from|\bbeen"
        r"|\bkeep|\bkept|\bstarted|\bstart)(?: [\w']+){0,2}?",
    ),
    _rule(
        "self",
        r"\bself[- ]?harm(?:ing|ed)?\b(?! (?:prevention|training|module|policy|precautions"
        r"|screening|protocol|risk|assessment|patients?|video|class)\b)",
        r"<I><W25>",
    ),
    _rule(
        "cutting", r"\b(?:started|start|been|keep|back to) cutting again\b|\bcutting <SELF> again\b"
    ),
    # Someone else at risk: a coworker, friend or family member who said it.
    _rule(
        "herself|himself|themselves|themself|suicid|to die|to end it all|to not be here|life"
        "|unaliv",
        r"\b(?:kill(?:ing)? (?:herself|himself|themselves|themself)|suicidal"
        r"|(?:talk(?:s|ed|ing)?|think(?:s|ing)?|thought) (?:about|of) suicide|attempted suicide"
        r"|wants? to (?:die|end it all|not be here)\b(?! (?:of|from|laughing|a little|inside|a bit"
        r"|every ?time|whenever|each time|when)\b)(?![^.!?\n]*\blol\b)"
        r"|end(?:ing)? (?:her|his|their) (?:own )?life|(?:hurt|harm)(?:ing)? (?:herself|himself"
        r"|themselves|themself)|unaliv)",
        r"\b(?:co-?workers?|colleagues?|friends?|fellow techs?|roommates?|partner|husband|wife"
        r"|boyfriend|girlfriend|son|daughter|sister|brother|mom|dad|mother|father"
        r"|(?:another|one of (?:the|our|my)|our|my) (?:techs?|technicians?|pharmacists?))"
        r"(?:(?!\b(?:patients?|pt|customers?)\b)[^.!?\n]){0,60}?",
    ),
]
# "I'd rather jump off a bridge than do another inventory": a comparison, not intent. (Rather
# die than keep living is caught by the passive rules.)
_RATHER_THAN = re.compile(r"\brather\b[^.!?\n]*\bthan\b")
# "it would have been a 10x overdose": an error caught, told in the past conditional.
_COUNTERFACTUAL = re.compile(r"\b(?:would|could|might|should)(?: have|'ve| of) been\b")
# "the patient tried to OD on his metoprolol": chart talk about someone in care, with the writer
# nowhere in the sentence.
_ABOUT_A_PATIENT = re.compile(
    r"\b(?:patients?|pts?|customers?|residents?|peds|kid|child|baby|bed \d+|room \d+|nurse"
    r"|doctor|md|prescriber|poison control|ed)\b"
)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|im|i've|ive|i'd|id|i'll|me|myself|my ?self)\b")
# "she told me to go kill myself": an insult reported, not intent.
_REPORTED = re.compile(
    r"(?:told me to|tells? me to|telling me to|said (?:i should|to)|says? (?:i should|to)"
    r"|yelled(?: at me)? to|screamed(?: at me)? to|wrote (?:that i should|to))"
    r"(?: just| go| go and)?\s*$"
)

# --- Passive ideation -------------------------------------------------------------------------

# Flags: a wished-for accident is a burnout joke when the harm is minor ("a small fender bender
# so I can stay home"); "won't be around much longer" is also how people talk about giving
# notice; "I wanted to die" is an idiom when embarrassed.
_ACCIDENT = "accident"
_IDIOM = "idiom"
_NOTICE = "notice"

_DIE_IDIOM = (
    r"(?! (?:of|from|laughing|in my sleep at|when i'?m old|a little|inside|a bit|every ?time"
    r"|whenever|each time|when)\b)"
)

_PASSIVE = [
    # Wanting to die, with or without a subject ("kinda want to die lol").
    _rule(
        "die",
        r"\b(?:want|wanna) (?:to )?die\b" + _DIE_IDIOM,
        rf"{_CLAUSE_START}(?:(?:honestly|lowkey|kinda|kind of|really|just|literally|ngl|tbh"
        r"|sometimes|i|ugh|and|so|but) )*",
        _IDIOM,
    ),
    _rule(
        "die|dead|alive|living|exist",
        r"\b(?:die|be dead|not be alive|stop living|stop existing|not exist|cease to exist)\b"
        + _DIE_IDIOM,
        r"<I><W25>(?:\bwant(?:ed|s|ing)? to|\bwanna|\bwana|\bwish(?:ed)? i could|\bwish to"
        r"|\bwould like to|'d like to|\bready to|\bdeserve to|\bhope to|\bneed to)(?: just)?",
        _IDIOM,
    ),
    _rule(
        "die",
        r"\bwish(?:ed)? i (?:would|could|'d|might) (?:just )?die\b(?! (?:of|from|laughing)\b)",
    ),
    _rule(
        "dead|die",
        r"\b(?:i'?d|i would|i'?m) (?:be )?better off dead\b|\brather (?:be dead|die) than"
        r" (?:keep living|live|go on|keep going|wake up|be alive|feel)",
    ),
    _rule(
        "wish",
        r"\bwish(?:ed)? (?:i (?:was|were|'d|had|could)|to be) (?:just )?(?:dead|never born"
        r"|not born|never been born|not alive|not around|never existed|died|gone forever"
        r"|asleep forever)",
    ),
    _rule(
        "wish",
        r"\bwish(?:ed)? i (?:didn'?t|did not|wouldn'?t) (?:exist|wake up|have to wake up ever)",
    ),
    _rule(
        "exist|sleep|vanish|disappear",
        r"\b(?:stop existing|not exist|cease to exist|go to sleep (?:forever|and never wake up"
        r"|and not wake up)|sleep forever|vanish forever|disappear forever"
        r"|disappear\b(?! (?:for|to|into|from|and|on|off|at|after|until|till|before)\b))",
        r"\b(?:wish(?:ed)? (?:i could|i would|to)|want to|wanna)(?: just)?",
    ),
    # Thinking about dying; wanting not to be here.
    _rule(
        "dying|death|dead|funeral|disappearing",
        r"\b(?:dying|(?:my )?death(?! of)|being dead|my (?:own )?funeral|disappearing forever)\b",
        r"<I><W25>(?:\bthink(?:ing)?|\bthought|\bdream(?:ing|t|ed)?|\bfantasi[sz](?:e|ed|ing)"
        r"|\bobsess(?:ing|ed)|\bimagin(?:e|ing)|\bkeep imagining|\bcan'?t stop thinking)"
        r"(?: about| of| over)?[^.!?\n]{0,20}?",
    ),
    _rule(
        "not ",
        r"\b(?:not being (?:here|alive|around)|not existing|not waking up"
        r"|not (?:be here|be around|be alive|exist|wake up))\b"
        r"(?! (?:at|today|tonight|tomorrow|right now|on|for|in|anymore at|when|next|this|after"
        r"|because|if|unless|without)\b)",
        r"<I><W25>(?:<INTENT>|\bcan'?t stop thinking (?:about|of))[^.!?\n]{0,30}?",
    ),
    _rule(
        "easier|easy|nice|better|peaceful|relief|simpler|rather",
        r"\b(?:to|if i|i could|i'?d) (?:just )?(?:not (?:be here|be around|exist|be alive"
        r"|wake up)|stop existing|didn'?t (?:wake up|exist|have to wake up ever)|never woke up"
        r"|wasn'?t (?:here|around|alive)(?! (?:at|for|to|on)\b)|weren'?t (?:here|around|alive)"
        r"(?! (?:at|for|to|on)\b)|disappear(?:ed)? forever|died)\b",
        r"\b(?:easier|easy|nice|better|peaceful|a relief|relief|simpler|rather)\b[^.!?\n]{0,30}?",
    ),
    _rule(
        "wak",
        r"\b(?:not|never|don'?t|didn'?t|won'?t|wouldn'?t) wak(?:e|ing) up\b"
        r"(?! (?:early|late|in time|on time|for|at|to|till|until|before|with)\b)",
        r"\b(?:wish|want|wanna|hope|pray|would be nice|wouldn'?t mind|'d like|'d love|think about"
        r"|thinking about|easier|better|peaceful|relief)[^.!?\n]{0,30}?",
    ),
    _rule("sleep forever", r"\bsleep forever\b", r"\b(?:want|wanna|wish|hope|pray)[^.!?\n]{0,20}?"),
    _rule(
        "wake",
        r"\b(?:don'?t|do not) (?:want|wanna) (?:to )?wake up(?: (?:tomorrow|anymore|any more"
        r"|again|ever|ever again))?(?= *(?:$|[.!?,;\n]|but\b|because\b|i\b|honestly|lol))",
    ),
    _rule(
        "wan",
        r"\b(?:don'?t|do not|didn'?t|did not) (?:want|wanna) (?:to )?(?:be alive|exist"
        r"|keep living|go on living|be on this earth|be on earth|be here anymore|be here any more"
        r"|be around anymore|be around any more)\b(?! (?:at|in|with|working|for this|doing"
        r"|on this (?:team|shift|unit))\b)",
    ),
    _rule(
        "wan",
        r"\b(?:don'?t|do not) (?:want|wanna) (?:to )?(?:live|go on)(?: anymore| any more"
        r"| any longer| living)?(?= *(?:$|[.!?,;\n]|but\b|because\b|i\b|honestly|lol))",
    ),
    _rule(
        "go on",
        r"\bcan'?t go on(?: anymore| any more| any longer| living)?"
        r"(?= *(?:$|[.!?,;\n]|but\b|i\b|lol))",
    ),
    _rule(
        "live|go on|exist|be here",
        r"\b(?:how much longer|if|whether|why) i (?:want to|wanna|can|should|even want to)"
        r" (?:be alive|live|keep living|go on|stay alive|be here anymore|exist)\b",
        r"\b(?:don'?t|do not|not sure|no longer|never)(?: even)?(?: know| sure)?",
    ),
    _rule("alive", r"\b(?:don'?t|do not) (?:even )?know why i'?m (?:still )?alive\b"),
    _rule(
        "death|dying",
        r"\b(?:welcome|wish for|pray for|long for|ready for|look forward to) (?:death|dying)\b",
    ),
    _rule(
        "if i",
        r"\bif i (?:just )?(?:wasn'?t|weren'?t|was not|were not) (?:here|around) anymore\b"
        r"|\bif i (?:just )?(?:wasn'?t|weren'?t|was not|were not) alive\b",
        flag=_NOTICE,
    ),
    _rule(
        "alive",
        r"\bif (?:it (?:wasn'?t|weren'?t) for|not for|i didn'?t have) [^.!?\n]{0,40}?"
        r"\bi (?:wouldn'?t|would not|'d not) (?:still )?be alive\b"
        r"|\bthe only (?:thing|reason|one)s? (?:keeping me|i'?m still) alive\b",
    ),
    # The same with family or pets named: about life, not the job.
    _rule(
        "if |the only",
        r"\bif (?:it (?:wasn'?t|weren'?t) for|not for|i didn'?t have) (?:my )?<LOVED>\b"
        r"[^.!?\n]{0,30}?\bi (?:wouldn'?t|would not|'d not) (?:still )?be (?:here|around)\b"
        r"|\bthe only (?:thing|reason|one)s? (?:keeping me|i'?m still) (?:here|going|around)"
        r" (?:is|are) (?:my )?<LOVED>\b",
    ),
    # No point, no reason, nothing to live for.
    _rule(
        "point",
        r"\b(?:what'?s|what is|whats|where'?s) (?:even )?the point (?:of|in) (?:even )?(?:living"
        r"|life|being alive|going on|existing|waking up|being here|me|staying alive|carrying on"
        r"|anything anymore|any of it anymore|it all anymore)\b",
    ),
    _rule(
        "no point|no reason|no sense",
        r"\bno (?:point|reason|sense)(?: anymore)? (?:in |to |for )?(?:me )?(?:living|life"
        r"|being alive|going on|existing|waking up|being here|staying alive|live|be alive"
        r"|keep living|keep going(?= *(?:$|[.!?,;\n])))",
    ),
    _rule(
        "point",
        r"\b(?:don'?t|do not|can'?t|cannot) see (?:the|a|any) point (?:in|of|to) (?:living|life"
        r"|being alive|going on|existing|waking up|anything anymore|staying alive)",
    ),
    _rule("live for", r"\bnothing (?:left )?to live for\b"),
    _rule("worth living", r"\b(?:not|isn'?t|ain'?t) worth living\b"),
    _rule(
        "life",
        r"\blife (?:is|isn'?t|'s|feels|seems) (?:so |just |really )?(?:not worth (?:it|living)"
        r"|pointless|meaningless|worthless)",
    ),
    # Others better off, nobody would miss me, a burden.
    _rule(
        "better off|happier|easier",
        r"\b(?:better off|happier|easier)(?: \w+){0,2}? (?:without me<NOT_A_SHIFT>"
        r"|if i (?:just )?(?:was"
        r"|were|wasn'?t|weren'?t|died|disappeared|was gone|were gone|was dead|were dead"
        r"|never existed|didn'?t exist|wasn'?t around|weren'?t around|wasn'?t here"
        r"|weren'?t here|wasn'?t alive|weren'?t alive)|with me (?:gone|dead))",
        flag=_NOTICE,
    ),
    _rule(
        "nobody|no one|no-one|noone|no body",
        r"\b(?:nobody|no one|no-one|noone|no body)(?: \w+){0,2}? (?:would|will|'d|'ll"
        r"|is going to|gonna) (?:even |really )?(?:miss me\b(?! if i (?:quit|left|leave|resign"
        r"|moved|transfer))|notice if i (?:was|were|died|disappeared|was gone|were gone"
        r"|wasn'?t here|weren'?t here|didn'?t wake up|killed myself|was dead|wasn'?t alive"
        r"|stopped existing)|care if i (?:died|was dead|were dead|disappeared|was gone|lived"
        r"|killed myself|didn'?t wake up|wasn'?t alive)|notice (?:i'?m|i was) gone)",
    ),
    _rule(
        "if i",
        r"\bif i (?:just )?(?:disappeared|died|was gone|were gone|was dead|were dead"
        r"|didn'?t wake up|killed myself|wasn'?t here anymore)\b[^.!?\n]{0,25}?\b(?:nobody"
        r"|no one|no-one|noone)(?: \w+){0,2}? (?:would|will|'d) (?:even |really )?(?:notice|care"
        r"|miss me)",
    ),
    _rule(
        "burden",
        r"\bburden\b(?! (?:of proof|on (?:the|my) (?:team|shift|schedule|unit|coworkers)"
        r"|to (?:the|my) (?:team|shift|unit|pharmacy)|asking|when i (?:ask|call|need)|for asking"
        r"|by asking|at work|on (?:nights|days|the schedule)|every time i)\b)",
        r"(?:\bi'?m|\bi am|\bim|\bi feel like|\bfeel like|\bfeeling like|\bi'?ve become"
        r"|\bi become)(?: \w+){0,2}?(?: a| such a| nothing but a)?",
    ),
    # Tired of living, done with life, wanting it all to end.
    _rule(
        "tired|sick|exhausted|weary",
        r"\b(?:tired|sick|exhausted|weary) of (?:living|being alive|life\b(?! (?:as|at|in|here"
        r"|on|with|without)\b)|existing|being me|breathing)",
    ),
    _rule("done with", r"\bdone with (?:life|living|being alive|existing)\b"),
    _rule(
        "up on",
        r"\bg(?:ive|iving|iven|ave) up on (?:[^.!?\n]{0,20}?\b)?(?:life|living|being alive)\b",
    ),
    _rule(
        "want",
        r"\bwant (?:it all|everything|all of it|the pain|life|my life) to (?:stop|end|be over)\b",
    ),
    _rule(
        "be around|be alive",
        r"\b(?:won'?t|will not|not going to|not gonna) be (?:around|alive) (?:much longer"
        r"|for long|anymore|any more|next week|tomorrow)",
        flag=_NOTICE,
    ),
    # Dark thoughts, thoughts of death.
    _rule("thoughts", r"\b(?:dark|morbid) thoughts\b", r"<I><W25>"),
    _rule(
        "thoughts",
        r"\bthoughts (?:of|about) (?:dying|death|not being here|ending it|ending things"
        r"|not waking up|hurting <SELF>)",
    ),
    # Wishing something would kill me (not "kill me now", "just shoot me").
    _rule(
        "care",
        r"\b(?:don'?t|do not) care (?:anymore )?if i (?:live|die|wake up|get hit|crash"
        r"|make it)\b",
        flag=_ACCIDENT,
    ),
    _rule(
        "hope",
        r"\bhope (?:i (?:die|get hit|crash|don'?t make it)(?! (?:before|of|laughing)\b)"
        r"|(?:a|the|some) (?:bus|car|truck|train|semi) (?:hits|runs over|kills) me)",
        flag=_ACCIDENT,
    ),
    _rule(
        "wish",
        r"\bwish (?:a|the|some) (?:bus|car|truck|train|semi) would (?:hit|run over|kill) me",
        flag=_ACCIDENT,
    ),
    _rule(
        "kill me|shoot me|run over me",
        r"\b(?:wish|hope) (?:someone|somebody|something|it) would (?:just )?(?:kill|shoot"
        r"|run over) me|\bwant (?:someone|somebody) to (?:just )?(?:kill|shoot) me",
    ),
]

# A wish to be hurt just enough to miss work is burnout, not ideation.
_MINOR_HARM = re.compile(
    r"\b(?:minor|small|little|fender|just enough|break (?:my|a) (?:leg|arm|wrist|ankle)|sprain"
    r"|bruise|so i (?:can|could) (?:call out|get a day|stay home|have a day)|miss (?:a|one) shift)"
)
_EMBARRASSED = re.compile(r"\b(?:embarrass\w*|humiliat\w*|mortified|cringe\w*|awkward)\b")
_NOTICE_GIVEN = re.compile(
    r"\b(?:quit|quitting|resign\w*|two weeks|2 weeks|notice|new job|another job|transfer\w*"
    r"|leaving (?:this|the) (?:job|place|pharmacy|hospital|store)|put in my|vacation|pto|trip"
    r"|holiday|days off|time off|leave of absence|maternity leave|surgery|appointment)"
)

# --- Ambiguous: a plan, a date, a goodbye, means at hand --------------------------------------

# These count only with distress elsewhere in the message ("I have a plan. Cross-train nights on
# the carousel" is a proposal); plan-like ones also count in a short message ("I have a plan.").
_SHORT = "short"
_SHORT_MESSAGE_WORDS = 12

_AMBIGUOUS: list[tuple[_Rule, CrisisTier]] = [
    (
        _rule(
            "plan",
            r"\bi(?: (?:already|finally|now|even|do))? (?:have|'ve got|ve got|'ve made|made"
            r"|have made|got|came up with) (?:got )?a plan(?: now| already| too| ready| for it"
            r"| for how)?(?= *(?:$|[.!?,;\n]|and (?:i|it)\b|lol|honestly))"
            r"|\ba plan to (?:end|die|kill|do it|take my|not be here|go through with it|overdose)",
            flag=_SHORT,
        ),
        CrisisTier.explicit,
    ),
    (
        _rule(
            "do it",
            r"\bknow how (?:i'?d|i would|i'?ll|i will|i'?m going to|i'?m gonna) do it\b",
            r"<I><W10>",
            _SHORT,
        ),
        CrisisTier.explicit,
    ),
    (
        _rule(
            "picked|chosen|set|decided on",
            r"\b(?:picked|chosen|set|decided on) (?:a|the) (?:date|day|time|place|method)\b",
            r"<I><W10>",
            _SHORT,
        ),
        CrisisTier.explicit,
    ),
    (
        _rule(
            "goodbye|farewell|last|away my|affairs",
            r"\b(?:wrote|written|writing|left) (?:a|my) (?:goodbye|farewell|last) (?:note|letter"
            r"|message)|\bsaid (?:my|all my) goodbyes\b|\bsaying (?:my )?goodbyes\b"
            r"|\bgiv(?:e|ing) away my (?:stuff|things|belongings|pets|cat|dog|plants)"
            r"|\b(?:getting|got|put|putting) my affairs in order",
            flag=_SHORT,
        ),
        CrisisTier.explicit,
    ),
    (
        _rule(
            "do it",
            r"\bdo it (?:tonight|today|tomorrow|this weekend|soon|after (?:my|this) shift)\b",
            r"<I><W10>(?:going to|gonna|will|'ll|ready to|decided to|plan to|planning to)",
            _SHORT,
        ),
        CrisisTier.explicit,
    ),
    (
        _rule("made up my mind", r"\b(?:i'?ve|i have) made up my mind\b", flag=_SHORT),
        CrisisTier.explicit,
    ),
    (
        _rule(
            "stash|stockpile|supply",
            r"\b(?:stash|stockpile|supply) of\b",
            r"<I><W10>(?:keep|have|got|'ve got|made|making|started)(?: a)?",
        ),
        CrisisTier.explicit,
    ),
    (_rule("how easy", r"\bhow easy it(?: would|'d) be(?= *(?:$|[.!?,;\n]))"), CrisisTier.explicit),
    (
        _rule("means", r"\bmeans\b", r"<I><W10>(?:have|got|keep|'ve got)(?: the)?", _SHORT),
        CrisisTier.explicit,
    ),
    (
        _rule(
            "gun|pills|rope|pistol|rifle",
            r"\b(?:guns?|pills|rope|pistol|rifle)(?: \w+){0,2}? (?:at home|in my (?:car"
            r"|locker|bag|purse|room|house|nightstand))",
            r"<I><W10>(?:have|got|keep|'ve got|bought)(?: a| my| some| a bottle of| a bunch of)?"
            r"(?: sleeping| \w+'s)?",
        ),
        CrisisTier.explicit,
    ),
    # "If it wasn't for my kids I wouldn't still be here" (or "... my coworkers", about the job).
    (
        _rule(
            "if |the only",
            r"\bif (?:it (?:wasn'?t|weren'?t) for|not for|i didn'?t have) [^.!?\n]{0,40}?"
            r"\bi (?:wouldn'?t|would not|'d not) (?:still )?be (?:here|around)\b"
            r"|\bthe only (?:thing|reason|one)s? (?:keeping me|i'?m still) (?:here|going|around)\b",
        ),
        CrisisTier.passive,
    ),
]
_DISTRESS = re.compile(
    r"\b(?:hopeless|no hope|no way out|can'?t (?:do|take) (?:this|it) anymore|can'?t go on"
    r"|(?:don'?t|do not|can'?t) see the point|what'?s the point|no point|i'?m done|so done"
    r"|nothing matters|tired of everything|tired of it all|worthless|empty inside|numb"
    r"|give up|given up|giving up|done with everything|better off|goodbye|last time|for good"
    r"|end it|it'?ll be over|no one cares|nobody cares|no one would|nobody would"
    r"|end of my rope|at my limit|breaking point|can'?t take it|alone|exhausted"
    r"|burn(?:ed|t)? ?out|burnout|cr(?:y|ied|ying)|depress\w*|miserable|suicid\w*"
    r"|die|dead|death|hurt|pills)\b"
)

# --- Harm to others ---------------------------------------------------------------------------

_HARM_CONTEXT = rf"(?:<I><W25>|{_CLAUSE_START}(?:\w+ )?)<HARM_INTENT>(?: [\w']+){{0,3}}?"
_HARM = [
    # Bringing a weapon to work, shooting up the place.
    _rule(
        "bring|brought|take|taking|took|carry|pack|sneak",
        r"\b(?:bring|bringing|brought|take|taking|took|carry|carrying|pack|packing|sneak"
        r"|sneaking) (?:a |my |the |in (?:a |my )?|some )?<FIREARM> (?:to|into|in to|in)"
        r" <WORKPLACE>",
    ),
    _rule(
        "bring|brought|sneak",
        r"\b(?:bring|bringing|brought|sneak|sneaking) (?:a |my |the )?<FIREARM> (?:in|inside)\b"
        r"(?! (?:the|my|a) (?:car|truck|house|safe)\b)",
    ),
    _rule(
        "show",
        r"\bshow(?:ing)? up (?:here |at work |to work |tomorrow |on monday )?(?:with|packing)"
        r" (?:a |my |the )?<FIREARM>",
    ),
    _rule(
        "shoot",
        r"\bshoot(?:ing)? up (?:the|this|my|our) (?:place|pharmacy|store|hospital|building|work"
        r"|job|office|unit|department|break ?room|parking lot|school)",
    ),
    _rule(
        "shoot",
        r"\bshoot(?:ing)? (?:every(?:one|body)|all of (?:them|you)|them all|the whole (?:\w+ )?"
        r"(?:place|staff|team|department|pharmacy|unit)|up (?:everyone|everybody))\b"
        r"(?! (?:a|an|over|back|down|straight|up a|some|the (?:email|text|message|memo|link))\b)",
    ),
    # Intent to hurt, harm, attack, shoot or poison a person.
    _rule(
        "hurt|harm|attack|assault|shoot|poison|run",
        r"\b(?:hurt(?:ing)?|harm(?:ing)?|attack(?:ing)?|assault(?:ing)?|shoot(?:ing)?"
        r"|poison(?:ing)?|run(?:ning)? over) <PEOPLE>\b"
        r"(?!'s| (?:a|an|over|back|down|straight|up a|some|the (?:email|text|message|memo|link)"
        r"|feelings|career|chances|reputation|pride|business|sales|numbers|metrics|morale|score"
        r"|with (?:a|an|my|the) (?:mistake|error|wrong)|by accident|accidentally"
        r"|if i (?:keep|make))\b)",
        _HARM_CONTEXT,
    ),
    _rule("run", r"\brun(?:ning)? (?:him|her|them|<PEOPLE>) over\b", _HARM_CONTEXT),
    # Thinking about killing a particular person is ideation, not the "I could kill him" idiom.
    _rule(
        "think|thought|dream|fantasi|obsess",
        r"\b(?:kill(?:ing)?|murder(?:ing)?|stab(?:bing)?|strangl(?:e|ing)|shoot(?:ing)?"
        r"|hurt(?:ing)?|poison(?:ing)?) <PEOPLE>\b(?! (?:a|an|over|back|down)\b)",
        rf"(?:<I><W25>|{_CLAUSE_START}(?:\w+ )?)\b(?:think(?:ing)?|thought|dream(?:ing|t|ed)?"
        r"|fantasi[sz](?:e|ed|ing)|obsess(?:ing|ed)) (?:about|of|over)(?: \w+){0,2}?",
    ),
    _rule(
        "put|slip",
        r"\b(?:put|slip|putting|slipping) (?:something|some \w+|\w+) in(?:to)? (?:his|her|their"
        r"|my \w+'?s?|the \w+'?s?) (?:coffee|drink|food|water|lunch|soda|tea|iv|bag|meds)",
        r"<I><W25><HARM_INTENT>(?: [\w']+){0,3}?",
    ),
]
# "I'm scared I'm going to hurt someone, I'm so tired": a medication error, not violence.
_GENERIC_TARGET = re.compile(r"\b(?:(?:some|any|every)(?:one|body)|people|patients?)\b")
_ERROR_CONTEXT = re.compile(
    r"\b(?:mistakes?|errors?|wrong|tired|exhausted|doses?|meds?|labels?|verify|fill\w*|mix ?up)\b"
)
# Any violent verb becomes real with a weapon or a plan ("I could kill him, I have a gun"), or
# with intent said to be meant ("I'm going to kill him, I'm not joking").
_VIOLENT = (
    r"\b(?:kill|murder|stab|strangle|choke|beat|punch|hit|hurt|harm|shoot|attack)(?: up)?"
    r" <PEOPLE>\b"
)
_HARM_VIOLENT_INTENT = [
    _rule(
        "kill|murder|stab|strangle|choke|beat|punch|hit|hurt|harm|shoot|attack",
        _VIOLENT,
        r"<I><W25><HARM_INTENT>(?: [\w']+){0,3}?",
    )
]
_HARM_VIOLENT_ANY = [
    _rule(
        "kill|murder|stab|strangle|choke|beat|punch|hit|hurt|harm|shoot|attack",
        _VIOLENT,
        r"<I><W25>(?:<HARM_INTENT>|\bcould|\bwould|'d)(?: [\w']+){0,3}?",
    )
]
_MEANS_OR_PLAN = _rx(
    r"\b(?:<FIREARM>|knife|knives|bullets?)\b|\bknow where (?:he|she|they) li(?:ve|ves)\b"
    r"|\bthought about how\b|\bi (?:have|'ve got|made) a plan\b"
)
_SERIOUS = re.compile(
    r"\bi'?m (?:serious|not joking|not kidding|dead serious|being serious)\b"
    r"|\bnot (?:joking|kidding)\b|\bi mean it\b|\bfor real this time\b|\bno (?:joke|lie)\b"
)

# --- Care -------------------------------------------------------------------------------------

# Burnout, exhaustion, tears and distress: not a crisis, a warmer acknowledgement.
_CARE = _rule(
    "exhaust|burn|cry|cried|tear|sob|broke|break|drained|overwhelm|depress|anxi|panic|hopeless"
    "|helpless|worthless|miserable|fall apart|falling apart|anymore|keep|running on|worn|numb"
    "|defeated|dread|done|hate my life|soul|los|slee|slept|dead|tired|sick|killing me|dying"
    "|rather|kill me|shoot me|mental|emotional|stress|struggl|lonely|in pain|quit|point|way out"
    "|suicid|end it|die|empty",
    r"\b(?:exhaust\w*|burn(?:ed|t|ing)?[ -]?out|burnout|cr(?:y|ied|ying)|tears|teary"
    r"|sob(?:bed|bing)?|broke down|breakdown|break down|breaking down|overwhelm\w*|drained"
    r"|depress\w*|anxi(?:ety|ous)|panic attacks?|hopeless|helpless|worthless|miserable"
    r"|breaking point|falling apart|fall apart|can'?t (?:do|take) (?:this|it) anymore"
    r"|can'?t keep (?:doing|going)|running on (?:empty|fumes)|worn (?:out|down)|numb|defeated"
    r"|dread\w*|i'?m done|so done|hate my life|soul|losing it|lose my mind|losing my mind"
    r"|can'?t sleep|no sleep|haven'?t slept|dead tired|dead on my feet|so tired|bone tired"
    r"|tired of|sick of|killing me|dying|rather die|rather be dead|kill me|shoot me now"
    r"|just shoot me|mentally|emotionally|stress(?:ed)?|struggl\w*|lonely|in pain|want to quit"
    r"|about to quit|wanna quit|can'?t anymore|no point|no way out|suicid\w*|end it|die"
    r"|dead inside|empty inside)\b",
)


# One pass finds every anchor key present. A key that contains another is reported as the shorter
# one ("kill me" as "kill"), which only makes a rule's gate more permissive.
_KEYS = KeywordFinder(key for rule in _ALL_RULES for key in rule.keys)
for _each in _ALL_RULES:
    _each.keys = _KEYS.reduce(_each.keys)


def _present_keys(text: str) -> frozenset[str]:
    """Return the gate keys found in ``text`` (overlapping matches included)."""
    return _KEYS.present(text)


def _explicit(text: str, present: frozenset[str]) -> bool:
    for hit in _hits(_EXPLICIT, text, present):
        if _REPORTED.search(text, max(0, hit.anchor_start - 30), hit.anchor_start):
            continue
        if _COUNTERFACTUAL.search(text, hit.start, hit.anchor_start):
            continue
        if _ABOUT_A_PATIENT.search(
            _sentence(text, hit.start, hit.end)
        ) and not _FIRST_PERSON.search(_sentence(text, hit.start, hit.end)):
            continue
        if _RATHER_THAN.search(_sentence(text, hit.start, hit.end)):
            continue
        return True
    return False


def _passive(text: str, present: frozenset[str]) -> bool:
    for hit in _hits(_PASSIVE, text, present):
        flag = hit.rule.flag
        if flag == _ACCIDENT and _MINOR_HARM.search(_sentence(text, hit.start, hit.end)):
            continue
        if flag == _NOTICE and _NOTICE_GIVEN.search(text):
            continue
        if flag == _IDIOM and _EMBARRASSED.search(_sentence(text, hit.start, hit.end)):
            continue
        return True
    return False


def _ambiguous(text: str, present: frozenset[str]) -> CrisisTier | None:
    found: list[tuple[_Hit, CrisisTier]] = [
        (hit, tier) for rule, tier in _AMBIGUOUS for hit in _hits([rule], text, present)
    ]
    if not found:
        return None
    rest = text
    for hit, _ in found:
        rest = rest.replace(hit.anchor_text, " ")
    distressed = _DISTRESS.search(rest) is not None
    short = len(text.split()) <= _SHORT_MESSAGE_WORDS
    for hit, tier in sorted(found, key=lambda item: item[1] is not CrisisTier.explicit):
        if distressed or (short and hit.rule.flag == _SHORT):
            return tier
    return None


def _harm_to_others(text: str, present: frozenset[str]) -> bool:
    for hit in _hits(_HARM, text, present):
        if _GENERIC_TARGET.search(hit.anchor_text) and _ERROR_CONTEXT.search(
            _sentence(text, hit.start, hit.end)
        ):
            continue
        return True
    if _MEANS_OR_PLAN.search(text) and any(_hits(_HARM_VIOLENT_ANY, text, present)):
        return True
    return bool(_SERIOUS.search(text) and any(_hits(_HARM_VIOLENT_INTENT, text, present)))


def assess(text: str) -> CrisisAssessment:
    """Decide whether ``text`` must be routed to crisis resources, and whether it needs care.

    Pure and deterministic; tens of microseconds for a typical message. Harm to others outranks
    explicit self-harm (911 comes first in that reply), which outranks passive ideation.

    Args:
        text: The person's message (raw or sanitized; it is normalized here either way).

    Returns:
        The tier (``None`` when not a crisis) and whether the acknowledgement should show care.
    """
    normalized = warning_signs.expand_shorthand(_normalize(text))
    # Keys found before denials are removed: a superset of what is left, so no rule is skipped.
    present = _present_keys(normalized)
    remaining, denied = _strip_denials(normalized, present) if present else (normalized, False)
    tier: CrisisTier | None = None
    if _harm_to_others(remaining, present) or warning_signs.harm_sign(remaining):
        tier = CrisisTier.harm_to_others
    elif _explicit(remaining, present):
        tier = CrisisTier.explicit
    else:
        ambiguous = _ambiguous(remaining, present)
        if ambiguous is CrisisTier.explicit:
            tier = ambiguous
        elif (
            ambiguous is CrisisTier.passive
            or _passive(remaining, present)
            or (denied and _AMBIVALENCE.search(remaining))
        ):
            tier = CrisisTier.passive
        elif warning_signs.self_harm_sign(remaining):
            tier = CrisisTier.warning_sign
    check_in = tier is None and warning_signs.check_in(remaining)
    care = tier is not None or check_in or denied or any(_hits([_CARE], normalized, present))
    return CrisisAssessment(tier=tier, care=care, check_in=check_in)


# --- The reply --------------------------------------------------------------------------------

_SECTION_HEADING = re.compile(r"^## +(\S+) *$", re.MULTILINE)


@cache
def prompt_sections(name: str) -> Mapping[str, str]:
    """Split ``prompts/NAME`` into its ``## section`` blocks (text before the first is notes).

    Args:
        name: The prompt file name, e.g. ``crisis.md``.

    Returns:
        Section name to its stripped text, in file order (read-only: it is cached).
    """
    text = load_text(name)
    headings = list(_SECTION_HEADING.finditer(text))
    sections: dict[str, str] = {}
    for heading, following in zip(headings, [*headings[1:], None], strict=True):
        end = following.start() if following is not None else len(text)
        sections[heading.group(1)] = text[heading.end() : end].strip()
    return MappingProxyType(sections)


def crisis_text(tier: CrisisTier, *, eap_contact: str | None) -> str:
    """Return the fixed, human-written crisis message for ``tier``.

    The EAP line is included only when ``eap_contact`` is configured (not blank).

    Args:
        tier: The tier the gate found.
        eap_contact: The employer's assistance programme contact (``EAP_CONTACT``), if any.
    """
    sections = prompt_sections("crisis.md")
    body_name = "harm_to_others" if tier is CrisisTier.harm_to_others else "self"
    parts = [render_text(sections[body_name])]
    contact = (eap_contact or "").strip()
    if contact:
        # The EAP line continues the list of resources, so it joins without a blank line.
        parts[0] = f"{parts[0]}\n{render_text(sections['eap'], eap_contact=contact)}"
    parts.append(render_text(sections["closing"]))
    return "\n\n".join(parts)


def check_in_text(*, eap_contact: str | None) -> str:
    """Return the fixed, human-written check-in: a direct, caring question and the resources.

    The EAP line is included only when ``eap_contact`` is configured (not blank).

    Args:
        eap_contact: The employer's assistance programme contact (``EAP_CONTACT``), if any.
    """
    sections = prompt_sections("check_in.md")
    parts = [render_text(sections["question"]), render_text(sections["resources"])]
    contact = (eap_contact or "").strip()
    if contact:
        parts[1] = f"{parts[1]}\n{render_text(sections['eap'], eap_contact=contact)}"
    parts.append(render_text(sections["closing"]))
    return "\n\n".join(parts)
