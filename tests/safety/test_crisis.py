"""The crisis gate: tiers, idioms that are not crises, denials, care, the fixed reply, speed."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from bot.metrics import REGISTRY
from bot.safety import crisis
from bot.safety.crisis import CrisisAssessment, CrisisTier, assess, crisis_text
from tests.paths import DATASETS

DATASET = DATASETS / "coaching-dev.jsonl"

# Intent, a plan, a method, a past attempt, means at hand, or someone else at risk.
EXPLICIT = [
    "I'm thinking about killing myself",
    "thinking about killing myself tbh",
    "I want to kill myself",
    "i wanna kms",
    "kms",
    "honestly kms after this shift",
    "I want to end it all",
    "I'm going to end it all tonight",
    "I have a plan",
    "I have a plan and I know when",
    "I've been thinking of overdosing on the stuff we stock",
    "I keep thinking about taking a handful of the oxy from the vault",
    "I want to unalive myself",
    "thinking about unaliving",
    "I'm suicidal",
    "I've been feeling suicidal lately",
    "I've been having suicidal thoughts again",
    "I thought about suicide on the drive home",
    "I tried to kill myself last year and I feel like I'm back there",
    "I'm going to take my own life",
    "I want to end my life",
    "Sometimes I think about driving into a tree on the way home",
    "I've thought about jumping off the parking garage",
    "I could just take all my pills tonight",
    "I know exactly how much insulin it would take",
    "how much potassium would it take to kill a person",
    "how many of these would it take to not wake up",
    "what's the lethal dose of tylenol",
    "I've been stockpiling pills",
    "I wrote a goodbye letter to my kids. I'm done.",
    "I've been cutting myself again",
    "I want to hurt myself",
    "I'm scared I'm going to hurt myself",
    "trying not to hurt myself tonight",
    "I'm not going to kill myself tonight",
    "I should just kill myself",
    "I'll kill myself if I have to do one more double",
    "i want to die by suicide",
    "I'm ready to end things",
    "I just want to end it.",
    "I want to hang myself",
    "I want to shoot myself",
    "my coworker told me she's thinking about killing herself",
    "one of our techs said he's suicidal and I don't know what to do",
    "im gonna off myself",
    "I feel like killing myself",
    "I've been researching ways to kill myself",
    "I have access to everything I'd need in the vault",
    "I picked a date. I'm so tired of everything.",
    "I've been giving away my stuff, nobody would care anyway",
    "thinking about suicide a lot lately",
    "I am going to kill my self",
    "I wanna k\u200bill myself",
    "I want to kill myself.",
    "I’m going to kill myself",
    "I want to overdose",
    "part of me wants to kill myself",
    "I'm not suicidal... yet",
    "kill myself.",
    "I keep thinking about walking into traffic",
    (
        "I don't know how much longer I can keep going. Some nights I sit in the parking lot "
        "and think about ending it."
    ),
    "I'm going to take all the xanax in the vault",
    "I took a bunch of pills last night",
    "I want to crash my car",
    "I feel like ending it",
    "ngl been having thoughts of suicide",
    "lowkey suicidal rn",
    "this job is making me suicidal",
    "I'm going to walk into the ocean",
    "I plan to kill myself this weekend",
    "I'm thinking of just driving off the road on the way home",
    "I'm thinking about ending everything",
    "Some days I just want to drive off a bridge",
    "I don't think I can keep myself safe tonight",
    "I'm scared of what I might do to myself",
    "If I took enough of the metoprolol we have in stock no one would know",
    "I'm at the end of my rope and I have pills at home",
    "I have the means. I work in a pharmacy.",
    "i'm going to kill myself lol",
    "I'm honestly contemplating suicide",
    "I've been having thoughts of hurting myself",
    "my coworker keeps talking about suicide and I'm scared for her",
    "sometimes on the drive home i think about just swerving into the median",
    "I keep a stash of the Ativan we waste. Just in case I decide to do it.",
    "I think I'm going to kill myself tonight",
    "I have been thinking about suicide",
    "im thinking of ending my life",
    "I'm going to overdose on insulin",
    "I keep looking at the potassium and thinking how easy it would be",
    "I tried to hang myself last month",
    "I'm gonna go home and end it",
    "I'm writing my suicide note",
    "i want to k*ll myself",
    "I want to kil myself",
    "suicidal again. same as last year.",
    "Can't stop thinking about killing myself",
    "Some days I count the pills in my cabinet at home and think about it.",
    "I've thought about taking the expired morphine home. Not to sell. For me.",
    "I'm not okay. I've been thinking about killing myself every day this week.",
    "Every time I'm in the vault I think about how many oxys it would take.",
    "I want to end my suffering",
    "I want to kill myself, my manager wrote me up again",
    "I'm going to do it tonight. I've made up my mind.",
    "Planning to end it this weekend after my last shift",
    "I googled how many insulin units would kill me",
    "My coworker keeps saying she wants to die and I don't know what to do",
]

# Passive ideation: wishing to be dead or gone, no reason to live, a burden.
PASSIVE = [
    "I don't want to kill myself but I keep thinking about it",
    "I don't want to be here anymore",
    "I don't wanna be here anymore",
    "what's the point of living",
    "whats the point of living anymore",
    "everyone would be better off without me",
    "my family would be better off if I was gone",
    "nobody would miss me",
    "no one would even notice if I was gone",
    "I wish I was dead",
    "I wish I could go to sleep and not wake up",
    "I hope I don't wake up tomorrow",
    "I want to die",
    "I just wanna die",
    "honestly I want to die",
    "this job makes me want to die",
    "I don't want to live anymore",
    "I don't want to exist",
    "I'm so tired of living",
    "I feel like such a burden to everyone",
    "I'm a burden",
    "there's no reason to live",
    "I have nothing to live for",
    "life isn't worth living",
    "I can't go on",
    "I can't go on anymore.",
    "I wish I could disappear",
    "I wish I had never been born",
    "I hope a bus hits me on the way to work",
    "sometimes I wish a truck would hit me",
    "I've been having dark thoughts",
    "I don't care if I live or die",
    "I want it all to end",
    "I'm done with life",
    "I've given up on life",
    "I won't be around much longer",
    "I wish I didn't exist",
    "no point in living",
    "I don't see the point in living",
    "I wish I could sleep forever",
    "Honestly I don't see the point anymore. Everyone would be better off without me.",
    "I don't want to wake up tomorrow",
    "i wouldn't mind not waking up",
    "honestly some days I think about just not waking up",
    (
        "I've been so low lately. I keep thinking everyone would be better off if I just "
        "wasn't around."
    ),
    "I'm so tired of being alive",
    "what's even the point anymore. I'm just a burden to my family",
    "I keep imagining my funeral and honestly it feels like relief",
    "I just want to go to sleep and never wake up",
    "sometimes I hope I die in my sleep",
    "If I disappeared tomorrow nobody would notice",
    "I can't stop thinking about dying",
    "Honestly if I didn't have my kids I wouldn't still be here",
    "Every day I think about how easy it would be to just not be here",
    "I'd rather be dead than keep living like this",
    "i dont want to do this anymore. i dont want to be alive",
    "I'm so done with everything, I just want to disappear forever",
    "kinda want to die lol",
    "I wish I could just not exist for a while",
    "i want to die so bad",
    "I'd be better off dead",
    "Nobody would care if I died",
    "My life is pointless",
    "I just want the pain to stop",
    (
        "Third double this week. I'm exhausted, I cry on the way in, and honestly sometimes I "
        "think it would be easier if I just didn't wake up."
    ),
    "I'm not saying I'd do anything but I've thought about what it would be like to not be here",
    "I just want to disappear",
    "I'm so tired of everything. Honestly the only thing keeping me here is my dog.",
    (
        "Worked 14 hours again. Came home and sat in the dark thinking how nobody would even "
        "notice if I was gone."
    ),
    "honestly I don't want to be alive anymore",
    "I'm tired. Not sleepy tired. Tired of existing.",
    "Every shift I fantasize about just not existing",
    "if I'm being honest I've been wanting to die for a while now",
    "I don't want to live anymore, I'm so tired",
    "my manager is the reason I want to die",
    "I want to go to sleep forever",
    "there is no point in me being alive",
    "I hate myself and I want to die",
    "I'm worthless and everyone would be happier without me",
    "i want 2 die",
    "I'd be better off not waking up",
    "I wish I could fall asleep and never wake up",
    (
        "I've been a tech for 12 years and I've never felt this low. I sit in my car before my "
        "shift and cry and think about how nice it would be to not wake up."
    ),
    "I honestly feel like I'm drowning and I don't know how much longer I want to be alive.",
    "Nobody at work would care if I died. They'd just be mad about the schedule.",
    "I keep thinking that if I just wasn't here anymore all of this would stop.",
    "I'm so tired of fighting. I want to die.",
    "I wish I would just die already",
    "At this point I'd welcome death",
    "I feel like giving up on everything, even living",
]

# Intent to hurt someone, or a weapon brought to work.
HARM_TO_OTHERS = [
    "I want to hurt my manager",
    "I'm going to bring a gun to work",
    "im gonna bring my gun to work tomorrow",
    "I'm going to shoot up the pharmacy",
    "I want to shoot everyone in this building",
    "I'm going to hurt him",
    "I want to hurt someone",
    "I'm thinking about killing my supervisor",
    "I keep fantasizing about hurting my boss",
    "I'm going to kill him, I'm not joking. I have a gun.",
    "I want to poison my manager",
    "I'm going to put something in her coffee",
    "I want to attack the pharmacist",
    "I'm going to hurt that customer",
    "i want to harm my coworkers",
    "I'm afraid I'll hurt someone",
    "I'm going to bring a weapon to work",
    "I could kill my manager, I'm serious, I know where he lives",
    "if he yells at me one more time I swear I'll hurt him",
    "I'm afraid I'm going to snap and hurt someone at work",
    "I've been thinking about bringing my gun in",
    "One of these days I'm going to show up with a gun",
    "Sometimes I want to hurt the people who did this to me",
    "my coworker said she's going to bring a gun to work",
    "I want to run him over in the parking lot",
    "I want to hurt them like they hurt me",
    "I'm going to kill him, I'm not joking",
    "I want to bring my AR to work and make them all pay",
    "I'm going to hurt the next nurse who yells at me, I'm serious",
    "I have thoughts about hurting my coworkers",
    "I'm scared I might hurt my kids, I'm so angry all the time",
    "I want to beat my manager with a bat and I know where she lives",
    "thinking about shooting my boss",
    "I'm going to shoot that pharmacist",
    "I want to hurt the pharmacist who keeps writing me up",
]

# Idioms, burnout, denials, patients' crises, accidents, work talk: never routed.
NOT_CRISIS = [
    "this job is killing me",
    "my feet are killing me",
    "I could kill whoever set the par levels",
    "wanna stab someone",
    "I wanna stab someone with a spike",
    "I'm dying here",
    "shoot me an email when the order is in",
    "can you shoot me a text?",
    "I'll shoot her an email about the schedule",
    "dead tired",
    "I'm dead on my feet",
    "we need to kill the queue before 3",
    "a piece of my soul leaves when I clock in",
    "I want to quit",
    "I'm so done",
    "I can't do this anymore",
    "I'm exhausted and burned out. I cried in my car after work again.",
    "kill me now, the pyxis is down again",
    "just shoot me",
    "I'd rather die than work another double",
    "I'm killing myself covering all these shifts",
    "I've been killing myself for this place for 9 years",
    "I'm not going to kill myself over a job",
    "I'm not suicidal, just really burnt out",
    "I'm not going to hurt myself, I just need to vent",
    "I would never hurt anyone but I'm furious",
    "the patient on 5 west is on suicide precautions so we send meds in paper cups",
    "we had a patient overdose on fentanyl in the ED",
    "patient attempted suicide with acetaminophen and we had to rush the NAC",
    "we keep running out of heparin 5000 units",
    "wrong dose almost went out",
    "Someone is going to get hurt if they don't fix the shelf labels",
    "I cut myself on a broken ampule",
    "I hurt myself lifting the IV totes",
    "I could murder a burger right now",
    "I'm going to murder the day shift for leaving this mess",
    "I'm gonna kill him if he leaves the vault open again",
    "the new hire is killing it",
    "I almost died when she said that",
    "I wanted to die of embarrassment",
    "I wanted to disappear for a week",
    "I wish I could disappear to a beach",
    "I don't want to be here today, the queue is insane",
    "I don't want to live like this, working 60 hours a week",
    "I hope I get into a minor fender bender so I can stay home",
    "this shift is a suicide mission",
    "complaining is career suicide here",
    "I have a plan for the par levels: cross-train nights on the carousel.",
    "I have a plan to fix the fridge log",
    "I'm going to end my shift early",
    "I want this shift to end",
    "I'm going to lose it",
    "I'm going to scream",
    "the team would be better off without me, I'm putting in my two weeks",
    "I won't be around much longer, I'm putting in my notice",
    "nobody would miss me if I quit",
    "a customer told me to go kill myself",
    "she literally told me to kill myself over a copay",
    "I'm going to have a panic attack",
    "I want to attack this backlog",
    "we overdosed on meetings this week",
    "I feel like a burden on the team when I call out",
    "I'm afraid I'll hurt a patient with a mistake, I'm so tired",
    "The nurse said the patient wanted to die",
    "we did the self-harm prevention training today",
    "I bring a knife to work to open totes",
    "The IV robot was down for 6 hours and we had to hand-compound every batch.",
    "I'm going to hurt her feelings if I tell her",
    "I don't want to hurt anyone's feelings",
    "I'm going to shoot him a message",
    "that pharmacist is going to be the death of me",
    "I almost drove into a pole I was so tired",
    "I could cry",
    "I'm going to go postal",
    "He said he'd kill me if I miscounted again",
    "How am I supposed to do this with three people, I want to scream",
    "dying to get out of here",
    "I want to die a little every time the phone rings",
    "I'd kill for a lunch break",
    "kill the lights in the cleanroom",
    "I'm going to end up killing myself working these doubles",
    "we're going to kill someone with these look-alike labels",
    "I drove 40 kms to get here",
    "my manager will kill me if I'm late",
    "I'm going to kill the next person who asks me for a status update",
    "Killing myself to get these carts done by 6",
    "My manager is going to kill me when she sees the count",
    "we almost killed a patient with that heparin mixup",
    "I was so embarrassed I wanted to die",
    "I'm literally going to die if I have to count the vault again",
    "The vault count is going to be the death of me",
    "Kill me. The robot is down again.",
    "I don't want to live in this state anymore",
    "I'm so tired I could sleep forever",
    "I wish I could quit and disappear",
    "nobody would even notice if I didn't show up tomorrow",
    "I'm going to end it with my boyfriend",
    "I give up",
    "I'm over it",
    "I hurt my back pulling totes",
    "I'm going to jump ship",
    "I could strangle the person who designed this workflow",
    "I'm ready to burn this place down",
    "We had a code on 4 and the patient died",
    "my mom died last month and I'm still working doubles",
    "I don't want to die at this job",
    "I feel dead inside",
    "shoot, I forgot the fridge log",
    "we're drowning in orders",
    "I have a plan: let me own the fridge logs",
    "Yes I have a plan for that",
    "I made a plan with my manager to fix the par levels",
    "My coworker said the patient was suicidal",
    "My friend's mom died by suicide last year and this week has been hard",
    "Pt is on suicide watch and nobody told pharmacy",
    "I could kill him lol, he left the vault open",
    "I'm so mad I could punch a wall",
    "I had a suicidal patient's family yelling at me today",
    "I want to hang the new banner in the break room",
    "we have to hang the vanc before 6",
    "I'm going to take all the expired meds out of the pyxis",
    "I took a bunch of tylenol for my headache and went back to work",
    "If I have to take one more call I'll scream",
    "the only thing keeping me sane is my coworker",
    "I want to disappear for a few days and sleep",
    "better off dead than red lol jk, the inventory software is awful",
    "I'm not sure I can keep doing nights",
    "I'd rather die than work with her again",
    "I'm so done, somebody shoot me",
    "my back is killing me and I have 3 more hours",
    "I need a plan for the weekend coverage",
    "I'm thinking about quitting",
    "I'm thinking about ending my contract early",
    "she'd kill me if she knew I told you",
    "that customer wanted to fight me",
    "a patient threatened to shoot the pharmacist yesterday and security took 20 minutes",
    "Three people called out and I'm dying. This place is going to kill me.",
    "I could kill the IT guy who pushed the update during first dose pass",
    "I'm going to lose my mind if the carousel mis-picks one more time",
    "I wanted to crawl under the counter and die when she yelled at me in front of everyone",
    "We almost OD'd a pediatric patient because the label printer swapped labels",
    "The fentanyl count was off by one vial and I thought I was going to die",
    "She said she'd kill me if I was late again lol",
    "Ugh shoot me, I forgot to pull the returns",
    "If I have to hear 'is it ready yet' one more time I'm going to explode",
    "Honestly I'm so burned out I cried in the walk-in cooler",
    "I don't want to go back tomorrow. I can't do this anymore.",
    "I'm done. Done with this job, done with the short staffing, done with everything.",
    "I feel hopeless about ever getting a raise here",
    "I'm so tired I almost fell asleep driving home",
    "We need someone to kill the backlog on nights",
    "The tech who quit said this place killed her spirit",
    "My soul left my body when I saw the queue",
    "I'd rather jump off a bridge than do another inventory",
    "I want to throw the phone across the room",
    "My coworker's husband passed away and she's back at work already",
    "Suicide prevention month posters are up but nobody checks on the techs",
    "We had a patient come in who overdosed on their insulin and it was rough",
    "ED called about a suicidal patient who needed their meds in a safe cup",
    "I'm killing it on the IV room certification",
    "The new schedule is going to be the end of me",
    "This shift was a bloodbath",
    "I'm not going to hurt myself, don't worry. I just needed to get it out.",
    "I don't want to die in this pharmacy, I want to retire someday",
    "I'm ready to give up on this place",
    "I've given up on getting help from management",
    "My manager said she wants to end the float program",
    "They're going to end the night differential and I want to scream",
    "I want to stab the fax machine",
    "the heparin drip is going to kill me with all these rate changes",
    "wrong dose almost went out and I almost had a heart attack",
    "I have a plan to cover the weekend: I'll split the Saturday shift",
    "I'm going to shoot the pharmacist a message about the discrepancy",
    "No one would notice if I took a longer break",
    "Nobody would miss me if I left this job",
    "I'm going to blow up at my manager tomorrow",
    "I think about quitting every day",
    "I wish I could disappear for a week on a beach",
    "What's the point of having a carousel if we double check everything by hand?",
    "what's the point of even trying when nobody listens",
    "I'm a burden on the team when I call out sick",
    "there's no reason to keep going to these meetings",
    "I keep hurting myself on the sharp edge of the pyxis drawer",
    "I need to end this conversation with my manager on a good note",
    "I'm going to end up hurting myself lifting these totes",
    (
        "I've been a tech for 12 years and the pay is still a joke. I cried in the bathroom "
        "today and then went back out and filled 300 scripts."
    ),
    "My coworker said she wants to die every time the drive-thru bell rings lol",
    "I want to die every time someone asks if we take GoodRx",
    "Pharmacist told me to kill the order and restart it",
    "Please kill the duplicate orders in the queue",
    "The robot killed itself again at 3am",
    "Our vault count killed my whole afternoon",
    "I'm going to explode if one more person calls about their Ozempic",
    "I feel like I'm drowning in prior auths",
    "End of shift and I'm just dead",
    "I nearly died laughing when the pharmacist tried to fix the printer",
    "I'm so over this I could scream",
    "I have so much anxiety about the state board inspection",
    "I'm depressed about how little we get paid",
    "I've been feeling really down and exhausted lately, the staffing is terrible",
    "How much longer can we go on like this with two techs?",
    "I can't go on like this, something has to change with the schedule",
    "No point in complaining, nothing ever changes",
    "There's no point in logging the errors if nobody reads them",
    "I want out of retail so bad",
    "I'm so done I want to walk out mid shift",
    "Tonight I wanted to walk out and never come back",
    "I'm gonna jump off this sinking ship before it takes me down",
    "The patient took a whole bottle of tylenol and we had to get NAC from the other site",
    "The ED called because a patient took a handful of her mom's pills",
    "We had three overdoses come in on night shift",
    "Narcan is always out of stock when we need it",
    "I told my manager I'm not going to kill myself covering for people who never show up",
    "That customer threatened to come back with a gun and nobody called security",
    "A guy pulled a knife at the register last week and corporate did nothing",
    "The new pharmacist is going to get someone killed with how fast she verifies",
    "I'm worried someone will die because of the look alike bags",
    "Gave 60 flu shots today with one pharmacist and no tech support. I'm dead.",
    "The label gun jammed again and I had to bring the spare label gun to the IV room",
    "We're supposed to hit 100% on the overdose education metric but nobody has time to counsel",
    "The lethal dose alert fired on a peds order and the pharmacist overrode it without checking",
    "The plan is to go live with the new carousel next week and nobody trained us",
    "What's the point of the huddle if nobody listens to techs?",
    "I feel like a burden asking for help on the cleanroom cert",
    "Our team would be better off with a real float pool",
    "I'm done with the night shift rotation, it's destroying my sleep",
    "Honestly the whole department is on life support",
    "I could just die, the pharmacist finally said thank you",
    (
        "Patient in bed 12 wanted to end his life and psych asked for his meds to be removed "
        "from the room"
    ),
    "I hope I die before I have to do another 340B audit lol",
    "I'm going to end up in the hospital myself if I keep working doubles",
    "I don't want to exist in this job anymore, I want a new one",
    "I'm so exhausted I don't even feel alive anymore, just a robot filling carts",
    "If my manager schedules me for another double I'm going to lose it",
    "The fridge died overnight and we lost $20k of insulin",
    "The printer is dead again",
    "Dead tired after a 16. Also the Omnicell on 3 is dead.",
    "I want to cut the number of phone calls we take during med pass",
    "We need to cut the waste from the sterile compounding batches",
    "I cut my finger on the ampule breaker today and had to fill out an incident report",
    "She said she'd hang herself if they made her work another Christmas lol",
    "I'm hanging on by a thread but I'll get the carts done",
    "I'm at the end of my rope with this schedule",
    "I'm shooting for a promotion next year",
    "I want to shoot my shot and ask for a raise",
    "I'm gonna take a bunch of PTO after this month",
    "I took all the returns back to the vault",
    "I had to swallow my pride and ask the pharmacist again",
    "Honestly I could kill for a coffee right now",
    "There's no way out of mandatory overtime here",
    "I'm so done. I give up on this place. Nobody cares.",
    "I'm not going to hurt anyone but I am going to HR",
    "Nobody would notice if I stopped doing the extra inventory checks",
    "If I wasn't here the pharmacy would fall apart",
    "I wish I wasn't here right now, the queue is 200 deep",
    "I'm so tired of life as a tech with no respect",
    "I hate my life right now lol",
    "I'm killing myself trying to keep up",
    "Don't worry, I'm not suicidal, just really frustrated with how this place runs",
    "I just want to sleep for a week",
    "I keep making mistakes and I'm scared I'm going to hurt a patient",
    "The pharmacist is going to get someone hurt with how fast she verifies",
]

# Denials are not a crisis but deserve care; hedged or ambivalent ones still route.
DENIALS = [
    "I'm not going to hurt myself, I just need to vent",
    "Don't worry, I'm not suicidal, just really frustrated with how this place runs",
    "I would never kill myself, I'm just so tired of this schedule",
    "I'm not going to kill myself over a job",
    "I have no plans to hurt myself, I promise. Just exhausted.",
]
HEDGED = [
    ("I'm not going to kill myself tonight", CrisisTier.explicit),
    ("I'm not suicidal... yet", CrisisTier.explicit),
    ("trying not to hurt myself tonight", CrisisTier.explicit),
    ("I don't want to kill myself but I keep thinking about it", CrisisTier.passive),
    ("I would never kill myself, but part of me wants to", CrisisTier.passive),
    ("I'm not going to hurt myself, but I want to die", CrisisTier.passive),
]
CARE = [
    "I'm exhausted and burned out. I cried in my car after work again.",
    "Third double this week and I'm running on fumes",
    "I broke down in the cleanroom today, I'm so overwhelmed",
    "This job is killing me",
    "a piece of my soul leaves when I clock in",
]
NO_CARE = [
    "The Pyxis on 4 West was out of heparin flushes again and nursing blamed us.",
    "Floor stock requests come in by phone, fax and email and half are duplicates.",
    "Our carousel keeps mis-picking.",
]


def load_dataset() -> list[dict[str, Any]]:
    lines = DATASET.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def routed_count(tier: CrisisTier) -> float:
    value = REGISTRY.get_sample_value("stepup_crisis_routed_total", {"tier": tier.value})
    return value or 0.0


def test_every_dev_crisis_item_is_routed_and_no_other_item_is() -> None:
    items = load_dataset()
    assert any(item["expect"] == "crisis" for item in items)
    wrong = [
        item["id"]
        for item in items
        if (assess(item["text"]).tier is not None) != (item["expect"] == "crisis")
    ]
    assert wrong == []


def test_dev_care_items_get_care_and_no_crisis() -> None:
    care_items = [item for item in load_dataset() if item.get("care")]
    assert care_items
    for item in care_items:
        assert assess(item["text"]) == CrisisAssessment(tier=None, care=True), item["id"]


@pytest.mark.parametrize("text", EXPLICIT)
def test_explicit_intent_plan_or_method_is_routed(text: str) -> None:
    assert assess(text).tier is CrisisTier.explicit


@pytest.mark.parametrize("text", PASSIVE)
def test_passive_ideation_is_routed(text: str) -> None:
    assert assess(text).tier is CrisisTier.passive


@pytest.mark.parametrize("text", HARM_TO_OTHERS)
def test_harm_to_others_is_routed(text: str) -> None:
    assert assess(text).tier is CrisisTier.harm_to_others


@pytest.mark.parametrize("text", NOT_CRISIS)
def test_idioms_burnout_and_work_talk_are_not_a_crisis(text: str) -> None:
    assert assess(text).tier is None


@pytest.mark.parametrize("text", DENIALS)
def test_a_clear_denial_is_not_a_crisis_but_gets_care(text: str) -> None:
    assert assess(text) == CrisisAssessment(tier=None, care=True)


@pytest.mark.parametrize(("text", "tier"), HEDGED)
def test_a_hedged_or_ambivalent_denial_still_routes(text: str, tier: CrisisTier) -> None:
    assert assess(text).tier is tier


@pytest.mark.parametrize("text", CARE)
def test_burnout_and_tears_get_care_not_a_crisis(text: str) -> None:
    assert assess(text) == CrisisAssessment(tier=None, care=True)


@pytest.mark.parametrize("text", NO_CARE)
def test_a_plain_work_vent_needs_no_special_care(text: str) -> None:
    assert assess(text) == CrisisAssessment(tier=None, care=False)


def test_every_crisis_also_sets_care() -> None:
    for text in (EXPLICIT[0], PASSIVE[0], HARM_TO_OTHERS[0]):
        assert assess(text).care is True


@pytest.mark.parametrize(
    "text",
    [
        "I want to k\u200bill my\u200dself",  # zero-width characters inside the words
        "I want to \u202ekill myself",  # a bidi override
        "I WANT TO KILL MYSELF",
        "I\u2019m going to kill myself",  # a curly apostrophe
        "ｉ ｗａｎｔ ｔｏ ｋｉｌｌ ｍｙｓｅｌｆ",  # full-width letters
        "i want to kil myself",
        "i want to k*ll myself",
        "thinking about su1c1de",
        "I want to\n\nkill myself",
    ],
)
def test_spelling_tricks_and_invisible_characters_do_not_hide_a_crisis(text: str) -> None:
    assert assess(text).tier is CrisisTier.explicit


def test_a_crisis_anywhere_in_a_long_vent_is_found() -> None:
    work = "The carousel mis-picked again and the queue was at 140 orders by noon. " * 40
    assert assess(f"{work} Honestly I want to end it all. {work}").tier is CrisisTier.explicit


def test_harm_to_others_outranks_self_harm() -> None:
    text = "I want to kill myself and I'm going to bring a gun to work first"
    assert assess(text).tier is CrisisTier.harm_to_others


def test_explicit_outranks_passive() -> None:
    text = "Everyone would be better off without me. I have a plan."
    assert assess(text).tier is CrisisTier.explicit


def test_gate_keys_never_skip_a_rule_that_would_match() -> None:
    # The substring gate is a speed-up only: with or without it, every rule finds the same hits.
    texts = [*EXPLICIT, *PASSIVE, *HARM_TO_OTHERS, *NOT_CRISIS, *DENIALS, *CARE]
    texts += [item["text"] for item in load_dataset()]
    for text in texts:
        normalized = crisis._normalize(text)
        present = crisis._present_keys(normalized)
        for rule in crisis._ALL_RULES:
            gated = [(hit.start, hit.end) for hit in crisis._hits([rule], normalized, present)]
            full = [(hit.start, hit.end) for hit in crisis._hits([rule], normalized, None)]
            assert gated == full, (rule.anchor.pattern[:60], text)


@pytest.mark.parametrize(
    "text",
    [
        "i " * 2000,
        "kill myself " * 330,
        "i want to die " * 280,
        "i'm not going to hurt " * 180,
        "no one would " * 300,
        "x" * 50_000,
        ". " * 2000,
    ],
)
def test_pathological_input_stays_fast(text: str) -> None:
    # A generous bound: catastrophic backtracking would take seconds, the gate takes milliseconds.
    started = time.perf_counter()
    assess(text)
    assert time.perf_counter() - started < 0.5


def test_self_harm_reply_puts_resources_first_and_eap_last() -> None:
    text = crisis_text(CrisisTier.explicit, eap_contact="Call ComPsych at 1-800-555-0100")
    assert text.index("988") < text.index("741741") < text.index("ComPsych")
    assert text.index("988") < 150
    assert "Employee Assistance Program" in text


def test_harm_to_others_reply_puts_911_first() -> None:
    text = crisis_text(CrisisTier.harm_to_others, eap_contact="ext. 4357")
    first_line = text.splitlines()[0]
    assert "911" in first_line
    assert text.index("911") < text.index("988") < text.index("ext. 4357")
    assert "hurting someone else" in text


def test_passive_and_explicit_share_the_self_harm_text() -> None:
    explicit = crisis_text(CrisisTier.explicit, eap_contact=None)
    assert crisis_text(CrisisTier.passive, eap_contact=None) == explicit
    assert explicit != crisis_text(CrisisTier.harm_to_others, eap_contact=None)


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_eap_line_only_when_configured(blank: str | None) -> None:
    without = crisis_text(CrisisTier.passive, eap_contact=blank)
    with_eap = crisis_text(CrisisTier.passive, eap_contact=" eap.example.com ")
    assert "EAP" not in without
    assert "eap.example.com" in with_eap
    assert "eap.example.com " not in with_eap  # the configured value is trimmed
    assert len(with_eap.splitlines()) == len(without.splitlines()) + 1


def test_eap_contact_is_inserted_literally() -> None:
    text = crisis_text(CrisisTier.explicit, eap_contact="{eap_contact} or {0}")
    assert "{eap_contact} or {0}" in text


def test_assess_does_not_count_anything() -> None:
    before = {tier: routed_count(tier) for tier in CrisisTier}
    assess(EXPLICIT[0])
    assert {tier: routed_count(tier) for tier in CrisisTier} == before


def test_crisis_prompt_has_the_sections_the_gate_uses() -> None:
    sections = crisis.prompt_sections("crisis.md")
    assert set(sections) == {"self", "harm_to_others", "eap", "closing"}
    assert all(sections.values())
