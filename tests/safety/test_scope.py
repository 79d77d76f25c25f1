"""The scope guard: clinical questions are a pharmacist's call; vents that mention doses are not."""

from __future__ import annotations

import json

import pytest

from bot.safety.scope import is_clinical_question, out_of_scope_text
from tests.paths import DATASETS

DATASET = DATASETS / "coaching-dev.jsonl"

# Questions that ask for clinical judgment: dosing, interactions, safety, what to take.
CLINICAL = [
    "What's the max dose of Tylenol?",
    "whats the max daily dose of acetaminophen for an adult",
    "what is the pediatric dose of amoxicillin for a 20 kg kid?",
    "Can I give Zofran with Benadryl?",
    "can you give tylenol and ibuprofen together?",
    "Is it safe to crush metoprolol succinate?",
    "is it ok to crush this tablet for the NG tube?",
    "Can you split Eliquis tablets?",
    "Does warfarin interact with Bactrim?",
    "any interactions between lisinopril and potassium?",
    "Are vanc and zosyn compatible in the same line?",
    "Is ibuprofen safe in pregnancy?",
    "Is it safe to take Benadryl while breastfeeding?",
    "How much Benadryl can a 30 lb toddler have?",
    "how often can you give morphine IV push?",
    "Is 10 mg of melatonin too much for a kid?",
    "Can a patient take ibuprofen with food?",
    "Should the patient hold metformin before contrast?",
    "What should I recommend for a cough?",
    "what's good for a headache if you're on warfarin?",
    "Does gabapentin need a renal adjustment?",
    "Can I substitute amlodipine for nifedipine?",
    "Quick question, can heparin and insulin run through the same line?",
    "What are the side effects of metformin?",
    "Is Sudafed contraindicated with high blood pressure?",
    "I'm wondering if you can take Claritin and Zyrtec at the same time",
    "The nurse is asking, can we push potassium?",
    "Ugh, long night. Anyway, is it safe to mix Ativan and Haldol in the same syringe?",
    "how many mg of oxycodone can I give a 70 year old?",
    "Is it okay to give a flu shot to someone with an egg allergy?",
    "can you open a omeprazole capsule and sprinkle it on applesauce?",
    "whats the usual dose of vanco for a 90 kg patient",
    "does ciprofloxacin interact with calcium?",
    "Can Keppra be given IV push?",
    "is it safe to drink alcohol on metronidazole?",
    "How long do I wait between doses of Tylenol?",
    "can a patient on Eliquis take aspirin?",
    "which is better for a cold, dayquil or mucinex?",
    "Should we double the dose if the patient missed one?",
    "Is Zosyn ok for someone allergic to penicillin?",
    "what's the max rate for potassium through a peripheral line?",
]

# Vents that mention doses and drugs, rhetorical questions, and questions about the work.
NOT_CLINICAL = [
    "We keep running out of heparin 5000 units on 4 West.",
    "Wrong dose almost went out because the label printer jammed.",
    "A nurse asked me if she could give vanc with zosyn and I had to find the pharmacist, again.",
    "Why is the max dose never printed on the label?",
    "How am I supposed to know if it's safe to crush something when nobody trained me?",
    "I caught a tenfold dosing error on a pediatric order today and nobody even said thanks.",
    "Can I take my lunch at 3 today?",
    "Is it ok to take my break before the carts are done?",
    "Can I give my two weeks notice with a letter?",
    "How many techs can we have on nights?",
    "How do I interact with nurses who yell about missing meds?",
    "Can I take the vanc up with the next tote?",
    "Is it safe to work a 16 hour shift?",
    "Can we swap shifts with the IV room?",
    "Why do we have to double check every dose by hand?",
    "The Pyxis on 4 West was out of heparin flushes AGAIN and nursing blamed us.",
    "How many vials of vanc should we keep on the shelf?",
    "Can you help me write this up for my manager?",
    "What should I tell my manager about the heparin shortage?",
    "Is the new Pyxis compatible with our EHR?",
    "Who decided the max dose alert should fire on every single order?",
    "The patient asked if he could take ibuprofen, so I got the pharmacist like I'm supposed to.",
    "Pharmacist said too much insulin was wasted this month.",
    "Why is there too much heparin on the shelf and no enoxaparin?",
    "Nurses keep asking me if they can give meds early and I have to find a pharmacist every time.",
    "We ran out of Zosyn again and the pharmacist had to substitute with cefepime.",
    "I had to draw up 40 syringes of heparin by myself.",
    "The max dose alerts are so noisy that the pharmacists ignore them.",
    "Can someone please fix the label printer?",
    "Is it normal that we restock the Pyxis three times a shift?",
    "Can I vent for a minute? The vault count was off again.",
    "Why do the nurses think we can just push meds up faster?",
    "We split the tablets by hand for the whole unit because the packager is down.",
    "How are we supposed to keep up with 140 orders and one pharmacist?",
    "Can I talk to you about the cleanroom schedule?",
    "What's the point of the dose range check if nobody reads it?",
    "Does anyone else feel like the interaction alerts are useless?",
    "How long do we have to wait for the new hire to be trained?",
    "Can the new tech be trained on the carousel?",
]


@pytest.mark.parametrize("text", CLINICAL)
def test_clinical_questions_are_out_of_scope(text: str) -> None:
    assert is_clinical_question(text) is True


@pytest.mark.parametrize("text", NOT_CLINICAL)
def test_vents_and_work_questions_are_in_scope(text: str) -> None:
    assert is_clinical_question(text) is False


def test_no_dev_vent_is_a_clinical_question() -> None:
    lines = DATASET.read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines if line.strip()]
    assert items
    assert [item["id"] for item in items if is_clinical_question(item["text"])] == []


def test_a_clinical_question_inside_a_longer_vent_is_found() -> None:
    text = (
        "Long night, the carousel mis-picked twice and we were short a tech. "
        "Also, can you give tylenol with ibuprofen? The nurse keeps asking me."
    )
    assert is_clinical_question(text) is True


def test_a_decimal_dose_does_not_split_the_question() -> None:
    assert is_clinical_question("Can I give 2.5 mg of morphine with the Ativan?") is True


@pytest.mark.parametrize("text", ["", "   ", "?", "what?", "is it safe?"])
def test_empty_or_vague_text_is_not_clinical(text: str) -> None:
    assert is_clinical_question(text) is False


def test_out_of_scope_text_says_pharmacist_and_offers_a_workflow_problem() -> None:
    answer = out_of_scope_text()
    assert "pharmacist" in answer.acknowledgement
    assert "workflow" in answer.question
    assert "{" not in answer.acknowledgement + answer.question
    assert "##" not in answer.acknowledgement + answer.question
