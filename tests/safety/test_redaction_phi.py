"""PHI redaction measured: names however typed, addresses, phones, readable output, recall.

The category cases are written here (not copied from the synthetic sets); the synthetic sets in
``tests/data/phi`` are scored with the same rule as ``bench/bench_phi_recall.py``.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from types import ModuleType

import pytest

from bot.safety.redaction import PLACEHOLDER_TYPES, Redactor, get_redactor
from bot.safety.redaction_note import redaction_note
from tests.paths import DATA, REPO_ROOT

PHI = DATA / "phi"


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return get_redactor()


@pytest.fixture(scope="module")
def scoring() -> ModuleType:
    """The benchmark's scoring module, so tests and BENCHMARKS.md count misses the same way."""
    path = REPO_ROOT / "bench" / "bench_phi_recall.py"
    spec = importlib.util.spec_from_file_location("bench_phi_recall", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_phi_recall", module)
    spec.loader.exec_module(module)
    return module


# --- names however they are typed: (text, must go, must stay) --------------------------------

NAME_CASES: list[tuple[str, list[str], list[str]]] = [
    # lower case after patient words and honorifics
    ("patient ketzia blorfman refused her vanc", ["ketzia", "blorfman"], ["refused her vanc"]),
    ("pt okon drabek on 4 West wants APAP", ["okon", "drabek"], ["4 West", "APAP"]),
    ("mr. blorfman yelled at the float tech", ["blorfman"], ["yelled at the float tech"]),
    ("mrs drabek wants her Lasix early", ["drabek"], ["wants her Lasix early"]),
    ("MR. DRABEK called about heparin twice", ["DRABEK"], ["called about heparin"]),
    ("voicemail: this is ketzia blorfman calling about my refill", ["ketzia", "blorfman"], []),
    ("member id 88213 for ketzia blorfman keeps rejecting", ["ketzia", "blorfman"], ["rejecting"]),
    # label and screen formats
    ("Blorfman, Ketzia (mrn#44332211, dob 3-4-1950) on 4 West", ["Blorfman", "Ketzia"], ["4 West"]),
    ("DRABEK, OKON M  DOB 1/2/1950  Keppra 500 mg", ["DRABEK", "OKON"], ["Keppra 500 mg"]),
    ("IV label: Smith, J.  MRN E1234567  vanc 1 g", ["Smith", "J."], ["IV label", "vanc 1 g"]),
    ("Pyxis screen: Drabek, Okon E4411223 - heparin count", ["Drabek", "Okon"], ["Pyxis screen"]),
    ("WEST, GRACE | MRN: 7712345 | PACU", ["WEST", "GRACE"], ["PACU"]),
    ("IV bag for Blorfman, Ketzia: Zosyn 3.375 g", ["Blorfman", "Ketzia"], ["Zosyn 3.375 g"]),
    ("BLORFMAN, KETZIA R  vanc 1 g q12h", ["BLORFMAN", "KETZIA"], ["vanc 1 g q12h"]),
    ("Drabek, O. Keppra 500 mg", ["Drabek"], ["Keppra 500 mg"]),
    ("Drabek, Emma wants her Keppra", ["Drabek", "Emma"], ["wants her Keppra"]),
    # possessives
    ("John Smith's insulin was late", ["John", "Smith"], ["'s insulin was late"]),
    ("Ketzia Blorfman's Eliquis got sent to 3 North", ["Ketzia", "Blorfman"], ["3 North"]),
    ("ketzia blorfman's son called twice", ["ketzia", "blorfman"], ["son called twice"]),
    ("ms drabek's insulin was late", ["drabek"], ["'s insulin was late"]),
    # family members
    ("his daughter jennifer called about the Norco", ["jennifer"], ["his daughter", "Norco"]),
    ("mom Jennifer Wu picked up the Zofran", ["Jennifer", "Wu"], ["mom", "Zofran"]),
    ("her husband Okon Drabek wants the Keppra", ["Okon", "Drabek"], ["her husband", "Keppra"]),
    # a capitalized first and last name in a patient's story
    ("Ketzia Blorfman was discharged with Narcan", ["Ketzia", "Blorfman"], ["discharged"]),
    ("Okon Drabek on ICU is allergic to heparin", ["Okon", "Drabek"], ["ICU", "heparin"]),
    ("VM from Ketzia Blorfman about her refill", ["Ketzia", "Blorfman"], ["VM from", "refill"]),
    ("Insurance card: Name Okon Drabek  DOB 2/3/1944", ["Okon", "Drabek"], ["Insurance card"]),
    ("Carol West on 5 East needs Precedex", ["Carol", "West"], ["5 East", "Precedex"]),
]


@pytest.mark.parametrize(("text", "gone", "kept"), NAME_CASES, ids=[c[0][:30] for c in NAME_CASES])
def test_names_go_however_they_are_typed(
    redactor: Redactor, text: str, gone: list[str], kept: list[str]
) -> None:
    result = redactor.redact(text)

    for value in gone:
        assert not re.search(rf"(?<!\w){re.escape(value)}(?!\w)", result.text), result.text
    for value in kept:
        assert value in result.text
    assert "NAME" in {item.type for item in result.redactions}


# --- words the story needs: every text comes back unchanged ---------------------------------

MUST_SURVIVE = [
    "the lead tech and the charge nurse argued over vanc, APAP and heparin on 4 West",
    "Pyxis and Omnicell on 3 North, ICU and PACU were out of Eliquis and Lovenox",
    "the Kansas City courier and the San Diego buyer missed the Norco count",
    "Kirby Lester count for Norco, Cath Lab wants Keppra, Infusion Center needs TPN",
    "Night Shift covered the Lasix and Happy Friday to the IV room",
    "pt refused her meds again and patient upset about the copay",
    "her son called twice and his wife wants the refill by Monday",
    "the PharmD and the CPhT checked 12 bags of vancomycin in the clean room",
    "Cardinal Health shorted our Ozempic again, Dr. lounge fridge had the insulin",
    "Yes, Maria said no and Sorry, Dana took the heparin to 4 West",
    "MS Contin and ms contin counts, metoprolol 25 mg BID, 2 South and 7 West",
]


@pytest.mark.parametrize("text", MUST_SURVIVE)
def test_story_words_survive(redactor: Redactor, text: str) -> None:
    result = redactor.redact(text)

    assert result.text == text
    assert result.redactions == []


# --- addresses ------------------------------------------------------------------------------

ADDRESS_CASES: list[tuple[str, list[str], list[str]]] = [
    (
        "lives at 1234 oak street apt 4, springfield, il 62704 now",
        ["oak", "springfield", "62704"],
        ["lives at", "now"],
    ),
    (
        "address on file 054 Charles Stravenue; Keppra delivery at 9 pm",
        ["054", "Charles"],
        ["Keppra delivery at 9 pm"],
    ),
    (
        "ship to 88 Pine Hollow Suite 210\nLake Erinville, MN 55401",
        ["Pine", "Erinville", "55401"],
        ["ship to"],
    ),
    (
        "new address:\n4471 maple crest\n apt. 9\n brookfield\n wi 53005",
        ["maple", "brookfield", "53005"],
        [],
    ),
    ("mail it to Apt. 318 please", ["318"], ["please"]),
    ("USNS Miller\nFPO AA 96806 for the refill", ["Miller", "96806"], ["refill"]),
    ("PO Box 4471 in Boise, ID 83702", ["4471", "83702"], []),
    (
        "she lives at the corner of Griffin Plaza and Steven Shoals",
        ["Griffin", "Steven"],
        ["she lives"],
    ),
]


@pytest.mark.parametrize(
    ("text", "gone", "kept"), ADDRESS_CASES, ids=[c[0][:30] for c in ADDRESS_CASES]
)
def test_addresses_go_with_their_city_lines(
    redactor: Redactor, text: str, gone: list[str], kept: list[str]
) -> None:
    result = redactor.redact(text)

    for value in gone:
        assert value not in result.text, result.text
    for value in kept:
        assert value in result.text
    assert "ADDRESS" in {item.type for item in result.redactions}


def test_a_count_or_a_unit_is_no_address(redactor: Redactor) -> None:
    text = "4 West ran 12 bags, 3 techs walk the floor, 2 pharmacists run the 5 East way"

    assert redactor.redact(text).redactions == []


# --- phones ---------------------------------------------------------------------------------

PHONE_CASES = [
    ("follow-up call to 792/402-0564 today", "792/402-0564"),
    ("desk 312-555-0187 x0873 after 5", "0873"),
    ("call (312) 555-0187 ext. 12 for the refill", "ext. 12"),
    ("her son in London: +44 7700 900123", "900123"),
    ("UK mobile (07700) 612 411 on file", "612 411"),
    ("cell 773.555.0142 extension 4", "0142"),
]


@pytest.mark.parametrize(("text", "value"), PHONE_CASES, ids=[c[0][:30] for c in PHONE_CASES])
def test_phones_go_with_their_extensions(redactor: Redactor, text: str, value: str) -> None:
    result = redactor.redact(text)

    assert value not in result.text
    assert [item.type for item in result.redactions] == ["PHONE"]


# --- readable output ------------------------------------------------------------------------

_PLACEHOLDER = r"\[(?:" + "|".join(PLACEHOLDER_TYPES) + r")\]"
_DOUBLED = re.compile(r"(\[(?:NAME|ADDRESS)\])[\s,]*\1")


def _readability_problems(original: str, redacted: str) -> list[str]:
    problems = []
    bare = re.sub(_PLACEHOLDER, "", redacted)
    if bare.count("[") - bare.count("]") != original.count("[") - original.count("]"):
        problems.append("a bracket without its pair")
    for mark in (" ,", "( ,", "(, ", "(,"):
        if redacted.count(mark) > original.count(mark):
            problems.append(f"stray {mark!r}")
    if len(re.findall(r"\(\s*\)", redacted)) > len(re.findall(r"\(\s*\)", original)):
        problems.append("empty parentheses")
    if _DOUBLED.search(redacted):
        problems.append("one identifier as two placeholders")
    return problems


READABLE_CASES = [
    ("Blorfman, Ketzia (mrn#44332211, dob 3-4-1950)", "[NAME] (mrn#[MRN], dob [DOB])"),
    ("John Smith's insulin was late", "[NAME]'s insulin was late"),
    ("his DOB 3/4/1950 and bday 3/4/1950, call his daughter at 312-555-0187.", None),
    ("pt maria lopez (mrn 4482913, rx# 7731942)", "pt [NAME] (mrn [MRN], rx# [RX])"),
    ("Pyxis screen: Duncan, Samuel 6931297003 - heparin", "Pyxis screen: [NAME] [ID] - heparin"),
    ("12 Main St,\nSpringfield, IL 62704", "[ADDRESS]"),
    ("Okafor's daughter called", "[NAME]'s daughter called"),
]


@pytest.mark.parametrize(
    ("text", "expected"), READABLE_CASES, ids=[c[0][:30] for c in READABLE_CASES]
)
def test_redacted_text_reads_as_a_sentence(
    redactor: Redactor, text: str, expected: str | None
) -> None:
    redacted = redactor.redact(text).text

    assert _readability_problems(text, redacted) == []
    if expected is not None:
        assert redacted == expected


def test_every_category_case_and_the_dev_set_stay_readable(redactor: Redactor) -> None:
    texts = [c[0] for c in NAME_CASES + ADDRESS_CASES] + [c[0] for c in PHONE_CASES]
    texts += [str(row["text"]) for row in _rows("dev")]
    problems = {}
    for text in texts:
        found = _readability_problems(text, redactor.redact(text).text)
        if found:
            problems[text[:60]] = found

    assert problems == {}


def test_the_note_counts_one_name_for_a_label_name_in_parts(redactor: Redactor) -> None:
    result = redactor.redact("Pyxis screen: Duncan, Samuel 6931297003 - heparin")

    assert redaction_note(result.redactions) == (
        "I removed a name and an ID number before saving anything."
    )


# --- recall on the synthetic sets -----------------------------------------------------------


def _rows(split: str) -> list[dict[str, object]]:
    path = PHI / f"phi-synth-{split}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _recalls(scoring: ModuleType, split: str, redactor: Redactor) -> tuple[dict[str, float], float]:
    score = scoring.score_split(PHI / f"phi-synth-{split}.jsonl", redactor.redact)
    recalls = {kind: score.rows[kind]["all"].recall for kind in scoring.TARGETS}
    return recalls, score.keep_kept / score.keep_total


def test_dev_split_meets_every_target(redactor: Redactor, scoring: ModuleType) -> None:
    recalls, kept = _recalls(scoring, "dev", redactor)

    below = {k: v for k, v in recalls.items() if v < scoring.TARGETS[k]}
    assert below == {}
    assert kept == 1.0


def test_held_out_split_meets_every_target(redactor: Redactor, scoring: ModuleType) -> None:
    # Its items were never read while writing the rules; only its scores were (BENCHMARKS.md).
    recalls, kept = _recalls(scoring, "test", redactor)

    below = {k: v for k, v in recalls.items() if v < scoring.TARGETS[k]}
    assert below == {}
    assert kept == 1.0


def test_every_must_keep_word_survives(redactor: Redactor, scoring: ModuleType) -> None:
    words = scoring.load_must_keep(PHI / "must-keep.txt")
    # In a patient's story too, where a capitalized pair is most easily taken for a name.
    story = "pt in {w} needs her Eliquis, DOB 3/4/1950."
    lost = []
    for word in words:
        for text in (word, scoring.NEUTRAL.format(w=word), story.format(w=word)):
            out = redactor.redact(text).text
            if not re.search(rf"(?<!\w){re.escape(word)}(?!\w)", out):
                lost.append(text)

    assert len(words) > 300
    assert lost == []
