"""The crisis gate hears indirect warning signs, spares pharmacy talk, and asks when unsure.

The phrasings here are written for these tests (none is taken from the crisis datasets): each
category gets several wordings, registers and typos, so a rule that only fits one sentence fails.
"""

from __future__ import annotations

import pytest

from bot.safety.crisis import CrisisTier, assess

CRISIS = {
    "explicit": [
        "im gonna off myself this weekend",
        "thinking about unaliving myself tbh",
        "i want to kms lol",
        "i keep thinking about killing myself after shift",
        "I'm seriously considering ending my life",
        "gonna kys tonight honestly",
        "i just want to end it all",
    ],
    "passive": [
        "i hope i dont wake up tomorrow",
        "sometimes i wish i could just fall asleep and never wake up",
        "i dont want to be alive anymore",
        "it would be easier if i just died",
        "keep hoping i get in a car accident on the way in",
        "death would be a relief at this point",
        "id be fine if i never woke up",
        "i dont care if i live or die anymore",
        "wish i could stop existing",
    ],
    "burden": [
        "everyone would be better off without me",
        "my family would be better off if i was gone",
        "im such a burden to everyone in my life",
        "they'd all be happier if i wasnt here",
        "no one would even notice if i was gone",
        "my kids deserve a better mom than me. they'd be better off without me around",
    ],
    "goodbye": [
        "wrote a letter for my mom in case something happens",
        "im writing letters to my kids tonight. for after",
        "you wont hear from me again",
        "this will be my last message to anyone",
        "goodbye everyone, it was nice knowing you all. thanks for everything",
        "if anything happens to me tell my daughter i love her",
        "left my phone unlocked where my husband will find it",
    ],
    "possessions_affairs": [
        "gave my dog to my neighbor today. i wont be needing to take care of him",
        "been giving all my things away. whats the point of keeping them",
        "made a will and wrote down all my passwords for my sister. im just so tired",
        "tying up loose ends this week before friday. nothing matters now",
        "selling all my stuff, i wont need any of it where im going",
    ],
    "not_around": [
        "you wont have to worry about me much longer",
        "after tonight i wont be a problem for anyone",
        "i wont be here much longer",
        "soon nobody will have to deal with me",
        "dont bother scheduling me next month, i wont be around. not quitting",
        "this time next week ill be gone for good",
    ],
    "means": [
        "ive been pocketing a few oxy each shift. saving them for myself",
        "how many of my sleeping pills would it take",
        "how much insulin would it take for someone my size, asking for me",
        "took home the expired benzos instead of sending them to returns. they're for me",
        "whats the lethal dose of tylenol for me, i weigh 120",
        "i have enough pills saved up now",
        "been keeping the fentanyl we were supposed to waste. in case i need it",
        "bought a rope this weekend. i know what its for",
    ],
    "sudden_calm": [
        "i feel so calm now that ive decided",
        "im not scared anymore. it'll all be over soon",
        "dont worry about me, i have it all figured out now. im at peace",
        "i feel lighter since i made my decision",
        "i know how this ends now and honestly its a relief",
    ],
    "harm_others": [
        "im going to shoot my manager tomorrow. i have a gun in my car",
        "im bringing my gun to work monday",
        "gonna put something in the pharmacists coffee so he feels what i feel. i have access",
        "im going to make my lead pay for this. i know where she parks",
        "if they write me up again im coming back with something for everybody",
    ],
}

CHECK_IN = [
    "i cant do this anymore",
    "im so tired of everything",
    "everything feels pointless lately",
    "whats even the point anymore",
    "i feel so empty",
    "nothing is ever going to get better, it never gets better",
    "i can't keep living like this",
    "i'm done.",
    "i dont see a way out",
    "honestly nothing matters",
]

NOT_A_CRISIS = [
    # Pharmacy and clinical talk.
    "the patient tried to OD on his metoprolol, we called poison control",
    "pt expired on 5 overnight, code blue at 3",
    "code blue in the ED, pulled the crash cart meds",
    "overdose caught in verification, 10 mg instead of 1 mg",
    "it would have been a fatal dose if we hadnt caught it",
    "the resident asked how much potassium would be lethal in a peds bolus",
    "we pulled all the expired oxy out of the pyxis for returns",
    "saving the returns for the reverse distributor on friday",
    "counting the CII vault, it would take forever with two techs",
    "how many techs would it take to cover nights",
    "we wasted the fentanyl drip with the nurse and documented it",
    # Idioms.
    "we gotta kill the queue before lunch",
    "dying to go home",
    "this job is killing me",
    "shoot me the new schedule when you can",
    # Job changes and ordinary goodbyes.
    "my last day is friday, thanks for everything everyone! starting at cvs monday",
    "wont be here tomorrow, dentist appointment",
    "i wont be around next week, on vacation",
    "left a note for the night crew about the fridge log",
    "wrote a card for everyone on the unit for nurses week",
    "thanks for everything, see you tomorrow",
    "bye! see you monday",
    "gave away my extra shifts to the new tech",
    "the team would be better off without me on nights, i want days",
    "I'm done with this manager, putting in my two weeks",
    "im done for today, heading home",
    "i made my decision, im taking the hospital job",
]


@pytest.mark.parametrize(
    ("category", "text"), [(c, t) for c, texts in CRISIS.items() for t in texts]
)
def test_every_warning_sign_category_routes_to_crisis(category: str, text: str) -> None:
    result = assess(text)
    assert result.tier is not None, category
    assert not result.check_in


@pytest.mark.parametrize("text", CRISIS["harm_others"])
def test_a_threat_with_a_weapon_place_or_means_is_harm_to_others(text: str) -> None:
    assert assess(text).tier is CrisisTier.harm_to_others


@pytest.mark.parametrize("text", CHECK_IN)
def test_despair_without_a_crisis_sign_is_a_check_in(text: str) -> None:
    result = assess(text)
    assert result.tier is None
    assert result.check_in
    assert result.care


@pytest.mark.parametrize("text", NOT_A_CRISIS)
def test_pharmacy_talk_idioms_and_job_changes_are_neither(text: str) -> None:
    result = assess(text)
    assert result.tier is None
    assert not result.check_in
