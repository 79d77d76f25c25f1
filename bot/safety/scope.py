"""The scope guard: clinical questions are a pharmacist's call, not the coach's.

Dosing, interaction, compatibility and "is it safe to ..." questions get a fixed reply that says
so and offers to turn the situation into a workflow problem. Only a *question asking for clinical
judgment* counts: a vent that mentions doses ("we keep running out of heparin 5000 units", "the
wrong dose almost went out") is a workflow vent and goes to the coach as usual. Deterministic
regular expressions, run on every message, so they are precompiled and cheap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.prompts import render_text
from bot.safety.crisis import prompt_sections
from bot.vocabulary.prefilter import word_trie
from bot.vocabulary.words import load

__all__ = ["OutOfScopeText", "is_clinical_question", "out_of_scope_text"]

# Drug-like words: the shared drug list (bot/vocabulary/lists/drugs.txt), the classes, foods and
# supplements a clinical question asks about, the usual generic-name stems, and dose units. A
# clinical question names a medicine; "can I give my notice with a letter?" does not.
_SUBSTANCES = (
    r"nsaids?|ppis?|antacids?|solu-?medrol|z-?pack|k-?dur|mag ?sulfate|st\.? john'?s wort"
    r"|vitamins?|supplements?|alcohol|grapefruit|iron|chemo|contrast"
)
_DRUG_NAMES = f"{word_trie(load('drugs'))}|{_SUBSTANCES}"
_DRUG_STEMS = word_trie(load("drug_suffixes"))
_DRUGISH = re.compile(
    rf"\b(?:{_DRUG_NAMES})\b|\b[a-z]{{3,}}(?:{_DRUG_STEMS})\b|\bce(?:f|ph)[a-z]{{3,}}\b"
    r"|\b(?:drugs?|meds?|medications?|medicines?|pills?|tablets?|tabs?|capsules?|caps|doses?"
    r"|antibiotics?|otc|vaccines?|shots?|injections?|infusions?|drips?|iv push|ivpb|suspensions?"
    r"|creams?|ointments?|patch(?:es)?|inhalers?|eye drops|syrups?|elixirs?|er|xr|sr|dr|la|ec"
    r"|extended[- ]release)\b|\b\d+(?:\.\d+)? ?(?:mg|mcg|µg|g|gm|grams?|units?|ml|meq|mmol)"
    r"(?:/kg)?\b"
)
_SYMPTOMS = re.compile(
    r"\b(?:cough|cold|flu|headaches?|migraines?|pain|fever|allerg(?:y|ies)|heartburn|reflux"
    r"|nausea|diarrh?ea|constipation|sleep|insomnia|anxiety|sore throat|congestion|rash"
    r"|itch(?:ing|y)?|acne|uti|yeast infection|infection|cramps|period|toothache|hangover)\b"
)

# A sentence asks something: it ends with "?" or opens like a question (after fillers).
_QUESTION_OPENING = re.compile(
    r"^(?:(?:hey|hi|hello|so|ok|okay|um|uh|also|and|but|quick question|question|real quick|q)"
    r"\W+){0,3}(?:what|whats|what's|how|can|could|is|are|does|do|did|should|would|will|which|may"
    r"|any|anyone|anybody|does anyone|is there)\b"
)
_ASKING = re.compile(
    r"\b(?:wondering|need to know|want to know|do you know|does anyone know|anyone know"
    r"|can you tell me|tell me|not sure (?:if|whether|how|what)|is it true)\b"
)
_SENTENCE = re.compile(r"(?:[^.!?\n]|(?<=\d)\.(?=\d))+[.!?]*")

_SUBJECT = (
    r"(?:i|you|we|they|he|she|u|a patient|the patient|patients|pts?|someone|a person|people"
    r"|nurses?|the nurse|my \w+|a kid|kids|a child|children|a baby|an adult|adults|it|this|that)"
)
# Verbs only ever done to a medicine ("can you crush ..."), and verbs that are clinical when a
# medicine is named ("can we push potassium?", not "can we push the meeting?").
_MED_ONLY_VERB = r"(?:crush|chew|dissolve|halve)"
_CLINICAL_VERB = (
    r"(?:crush|split|cut|chew|open|dissolve|halve|break|dilute|push|infuse|co-?administer"
    r"|administer|refrigerate|freeze|shake|draw up|reconstitute)"
)
_ORDINARY_VERB = (
    r"(?:give|take|use|mix|combine|double|stop|skip|switch|run|hang|have|drink|restart|hold|repeat"
    r"|redose|re-dose|increase|decrease|substitute|swap)"
)

# Questions that are vents in disguise ("why is the max dose never on the label?").
_RHETORICAL = re.compile(
    r"^(?:(?:hey|so|ok|okay|um|uh|also|and|but|like|seriously|honestly)\W+){0,3}"
    r"(?:why|who|how come|since when|when will|when are|when is|where|how (?:am i|are we|is anyone"
    r"|is a tech|are techs|are we|is that|is this|is it) supposed)\b"
)

# Asking for clinical judgment on its own (no medicine needs to be named).
_CLINICAL_ALWAYS = re.compile(
    rf"\bis (?:it|this|that) (?:\w+ )?(?:safe|ok|okay|fine|alright|all right|bad|dangerous"
    rf"|appropriate|possible) (?:to|for \w+ to) {_MED_ONLY_VERB}\b"
    rf"|\b(?:can|could|should|may|do) {_SUBJECT} (?:\w+ )?{_MED_ONLY_VERB}\b"
    r"|\bcontraindicat\w*"
    r"|\bsafe (?:in|during|for|while|with) (?:pregnan\w*|breast ?feeding|nursing moms|lactation"
    r"|kids|children|infants|babies|peds|pediatrics?|elderly|geriatrics?|renal failure"
    r"|kidney disease|liver disease|dialysis)"
    r"|\b(?:renal|hepatic|kidney|liver) (?:adjust\w*|dos(?:e|ing|age))"
    r"|\b(?:lethal|toxic|fatal) (?:dose|level|amount)"
)
# Asking for clinical judgment about a medicine named (or a dose given) in the same sentence.
_CLINICAL_WITH_DRUG = re.compile(
    # Doses: "what's the max dose of ...", "how much ... can a kid take".
    r"\b(?:what|what'?s|whats|how much|how many|tell me|know|is|are)\b[^!?\n]{0,40}?"
    r"\b(?:max(?:imum)?|max daily|usual|normal|typical|standard|starting|initial|pediatric|peds"
    r"|loading|maintenance|correct|right|recommended|safe|adult|geriatric|daily|highest|lowest"
    r"|proper)(?: \w+)? (?:dose|dosage|dosing|amount|limit|rate|concentration|frequency)\b"
    r"|\b(?:what|what'?s|whats|how much)\b[^!?\n]{0,20}?\bdos(?:e|age|ing) (?:of|for)\b"
    rf"|\bhow (?:much|many)\b[^!?\n]{{0,40}}?\b(?:can|should|do|does|could|would|is it ok to)"
    rf" (?:{_SUBJECT} )?(?:\w+ )?(?:give|take|administer|push|dose)\b"
    r"|\b(?:can|should|could) (?:(?:a|the|my|an) )?(?:[\w-]+ ){0,3}?(?:patient|pt|kid|child|baby"
    r"|adult|person|someone|he|she|they|i|toddler|infant|teen|teenager) (?:safely )?have\b"
    # "Can Keppra be given IV push?", "can a patient on Eliquis take aspirin?"
    r"|\b(?:can|could|should|may) (?:[\w-]+ ){1,4}?be (?:given|taken|used|mixed|crushed|split|cut"
    r"|opened|pushed|infused|run|hung|diluted|refrigerated|frozen|combined|co-?administered"
    r"|administered|substituted|repeated|doubled|chewed)\b"
    r"|\b(?:can|could|should) (?:(?:a|the|my|an) )?(?:[\w-]+ ){0,3}?(?:patient|pt|someone|person"
    r"|he|she|they|i|kid|child|customer) (?:who'?s |who is |that'?s )?(?:on|taking) [\w-]+"
    r"(?: [\w-]+)? (?:take|have|get|use)\b"
    r"|\bhow long\b[^!?\n]{0,30}?\b(?:wait|between doses)\b"
    # Handling a medicine: "can we push potassium?", "is it ok to split this tablet?"
    rf"|\b(?:can|could|should|may|do|is it (?:safe|ok|okay|fine|alright) to) (?:{_SUBJECT} )?"
    rf"(?:\w+ )?{_CLINICAL_VERB}\b"
    rf"|\bhow (?:often|frequently|soon|long)\b[^!?\n]{{0,30}}?\b(?:can|should|do|does|could"
    rf"|before) (?:{_SUBJECT} )?(?:\w+ )?(?:give|take|repeat|redose|re-dose|administer|use)\b"
    # Safety: "is it ok to give ...", "is ibuprofen safe in pregnancy".
    rf"|\bis (?:it|this|that) (?:\w+ )?(?:safe|ok|okay|fine|alright|all right|bad|dangerous"
    rf"|appropriate) (?:to|for \w+ to) {_ORDINARY_VERB}\b"
    r"|\b(?:is|are) \w+(?: \w+)? (?:safe|ok|okay|fine|compatible|dangerous)(?: to (?:take|give|use"
    r"|mix|run))? (?:in|during|for|with|while|when|if|together|alongside)\b"
    # Interactions and compatibility (not "interact with the nurses").
    r"|\binteract(?:s|ion|ions|ing)?\b(?! with (?:the |our |my |other )?(?:nurses?|staff|people"
    r"|patients?|customers?|managers?|co-?workers?|team|them|him|her|doctors?|techs?))"
    r"|\bcompatib(?:le|ility)\b"
    r"|\b(?:substitute|swap|interchange)\b[^!?\n]{0,30}?\b(?:for|with)\b"
    r"|\bshould (?:i|we|they|he|she|the patient|the pt|pts?|patients) (?:\w+ )?(?:hold|stop|skip"
    r"|double|restart|take|increase|decrease)\b"
    r"|\b(?:what|which)\b[^!?\n]{0,20}?\b(?:should|can|do|would) (?:i|we|you) (?:give|recommend"
    r"|suggest|tell (?:them|him|her|the patient|the customer) to take)\b"
)
# Side effects count only in a real question ("what are the side effects of ..."), not in a
# complaint ending in a question mark.
_SIDE_EFFECTS = re.compile(r"\bside effects?\b")
# "Is 10 mg too much for a kid?" needs an amount or the word dose.
_TOO_MUCH = re.compile(r"\btoo (?:much|high|low|strong|many)\b")
_AMOUNT = re.compile(
    r"\b\d+(?:\.\d+)? ?(?:mg|mcg|µg|g|gm|grams?|units?|ml|meq|mmol|tabs?|tablets?|pills?|puffs?)"
    r"(?:/kg)?\b|\bdos(?:e|es|age|ing)\b"
)
# Combining: "can I give tylenol with ibuprofen", "can we run vanc and zosyn together".
_COMBINE_ASK = re.compile(
    rf"\b(?:can|could|should|may|do|is it (?:ok|okay|safe|fine|alright) to) (?:{_SUBJECT} )?"
    rf"(?:[\w-]+ ){{0,4}}?{_ORDINARY_VERB}\b(?P<tail>[^!?\n]{{0,80}})"
)
_COMBINE_WORD = re.compile(
    r"\b(?:with|together|alongside|at the same time|on top of|while on|while taking"
    r"|through the same line|in the same (?:line|bag|syringe)|y-?site|if (?:they'?re|he'?s|she'?s"
    r"|i'?m|you'?re|the patient is|pt is|they are) (?:on|taking|allergic|pregnant))\b"
)
_ALONGSIDE_ITSELF = re.compile(
    r"\b(?:together|same line|same bag|same syringe|y-?site|at the same time)\b"
)
_FOOD = re.compile(
    r"\b(?:food|milk|juice|alcohol|coffee|grapefruit|dairy|antacids?|an empty stomach)\b"
)
# Carrying medicines around is logistics: "can I take the vanc up with the next tote?"
_LOGISTICS = re.compile(
    r"\b(?:up|down|back|over|upstairs|downstairs|to the (?:floor|unit|vault|nurse|ed|or|icu))\b"
    r"|\b(?:tote|cart|tube|runner|delivery|bin|pocket|shelf)\b"
)


# Recommending something for a symptom ("what's good for a cough?").
_SYMPTOM_ADVICE = re.compile(
    r"\b(?:what|which)\b[^!?\n]{0,30}?\b(?:good|best|better|ok|okay|safe|work|works|help|helps"
    r"|recommend|suggest|give|take)\b[^!?\n]{0,20}?\bfor\b"
)


def _combining(sentence: str) -> bool:
    """Return True when the sentence asks whether a medicine can go with another (or with food)."""
    for match in _COMBINE_ASK.finditer(sentence):
        tail = match.group("tail")
        joint = _COMBINE_WORD.search(tail)
        if joint is None:
            continue
        before, after = tail[: joint.start()], tail[joint.end() :]
        if _LOGISTICS.search(before):
            continue
        if (
            _ALONGSIDE_ITSELF.search(joint.group(0))
            or _DRUGISH.search(after)
            or _FOOD.search(after)
        ):
            return True
    return False


def _is_question(sentence: str) -> bool:
    if _RHETORICAL.match(sentence.lstrip()):
        return False
    return (
        sentence.rstrip().endswith("?")
        or _QUESTION_OPENING.match(sentence.lstrip()) is not None
        or _ASKING.search(sentence) is not None
    )


def _asks_outright(sentence: str) -> bool:
    return bool(_QUESTION_OPENING.match(sentence.lstrip()) or _ASKING.search(sentence))


def is_clinical_question(text: str) -> bool:
    """Return True when ``text`` asks for clinical judgment (dosing, interactions, safety).

    A sentence counts only when it is a question (a question mark, a question opening, or
    "wondering if ...") and asks for a dose, an interaction or compatibility, whether something
    is safe to give, crush or combine, or what to take or recommend; most of these also need a
    medicine, a dose or a unit in the same sentence. Statements that merely mention doses are
    vents about the work, not questions.

    Args:
        text: The person's (sanitized) message.
    """
    lowered = text.casefold().replace("\u2019", "'")
    for match in _SENTENCE.finditer(lowered):
        sentence = match.group(0)
        if not _is_question(sentence):
            continue
        if _CLINICAL_ALWAYS.search(sentence):
            return True
        if not _DRUGISH.search(sentence):
            if _SYMPTOM_ADVICE.search(sentence) and _SYMPTOMS.search(sentence):
                return True
            continue
        if (
            _CLINICAL_WITH_DRUG.search(sentence)
            or _SYMPTOM_ADVICE.search(sentence)
            or _combining(sentence)
            or (_TOO_MUCH.search(sentence) and _AMOUNT.search(sentence))
            or (_SIDE_EFFECTS.search(sentence) and _asks_outright(sentence))
        ):
            return True
    return False


@dataclass(frozen=True, slots=True)
class OutOfScopeText:
    """The fixed answer to a clinical question: a pharmacist's call, plus a workflow offer.

    Attributes:
        acknowledgement: Says the question is a pharmacist's call.
        question: Offers to turn the situation into a workflow problem.
    """

    acknowledgement: str
    question: str


def out_of_scope_text() -> OutOfScopeText:
    """Return the answer to a clinical question, from ``prompts/out_of_scope.md``."""
    sections = prompt_sections("out_of_scope.md")
    return OutOfScopeText(
        acknowledgement=render_text(sections["acknowledgement"]),
        question=render_text(sections["question"]),
    )
