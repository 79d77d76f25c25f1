"""Generate the synthetic PHI-redaction sets: tests/data/phi/phi-synth-{dev,test}.jsonl.

Run with ``.venv/bin/python bench/phi_generate.py [--seed N] [--per-source N] [--out DIR]``
(needs the ``phi-eval`` extra: ``.venv/bin/pip install -e '.[phi-eval]'``).

Two sources, about half of each split:

* ``presidio``: presidio-evaluator's own bundled templates (``raw_data/templates.txt``, text
  nobody on this project wrote), filled by its ``PresidioSentenceFaker`` with Faker values.
* ``pharmacy``: the project's templates below (wristbands and labels, cabinet screens, Rx
  labels, phone calls, lower-case chat) filled with fake identifiers: MRNs, Rx numbers, member
  ids, NPIs with a valid Luhn check digit, DEA numbers with a valid check digit, SSNs that are
  not placeholders, US phones in many formats, e-mails, DOBs in many formats, street addresses.

The splits share no template: each template goes to dev or test by a fixed rule (``_split_of``),
and each split has its own Faker seed, so dev can be tuned on while test is only scored.
The output is byte-for-byte reproducible for a given seed and package versions.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("TQDM_DISABLE", "1")  # the sentence faker's progress bar

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "tests" / "data" / "phi"
DEFAULT_SEED = 20261208
SPLITS = ("dev", "test")
# Fixed date ranges (never "today"), so the files do not change with the day they are made.
_DT_START, _DT_END = dt.datetime(2015, 1, 1), dt.datetime(2026, 1, 1)
_DOB_START, _DOB_END = dt.date(1931, 1, 1), dt.date(2025, 6, 30)
_SERVICE_START, _SERVICE_END = dt.date(2024, 1, 1), dt.date(2026, 11, 30)
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
#: The versions the committed files were made with; others may draw different values.
MADE_WITH = {"faker": "40.63.0", "presidio-evaluator": "0.3.2"}
LOWER_CASE_RATIO = 0.1  # share of presidio sentences lower-cased whole
#: Identifier types each split's pharmacy sentences must contain (the targets of the issue).
TARGET_TYPES = ("NAME", "MRN", "RX", "PHONE", "EMAIL", "SSN", "DOB", "MEMBER_ID", "ADDRESS")

# --------------------------------------------------------------------------------------------
# presidio-evaluator: entity mapping
# --------------------------------------------------------------------------------------------

# Faker/presidio template entity -> our type. None: not redacted by design (cities, states,
# countries, organisations, job titles, nationalities, religions, weekdays, bare years, ages
# under 90, honorifics). Cities, states and countries are kept because workplace cities and
# states carry the story; Safe Harbor asks for street addresses and ZIPs, which stay.
PRESIDIO_MAP: dict[str, str | None] = {
    "person": "NAME",
    "name": "NAME",
    "name_female": "NAME",
    "name_male": "NAME",
    # A first or last name alone: reported on its own row (the redactor by design keeps a lone
    # first name nobody introduced); first+last side by side are merged into NAME.
    "first_name": "NAME_PART",
    "first_name_male": "NAME_PART",
    "first_name_female": "NAME_PART",
    "first_name_nonbinary": "NAME_PART",
    "last_name": "NAME_PART",
    "last_name_male": "NAME_PART",
    "last_name_female": "NAME_PART",
    "address": "ADDRESS",
    "building_number": "ADDRESS",
    "street_name": "STREET",
    "secondary_address": "ADDRESS",
    "postcode": "ZIP",
    "zipcode": "ZIP",
    "phone_number": "PHONE",
    "email": "EMAIL",
    "ssn": "SSN",
    "date_of_birth": "DOB",
    "date_time": "DATE",
    "credit_card_number": "CARD",
    "iban": "IBAN",
    "ip_address": "IP",
    "url": "URL",
    "us_driver_license": "DRIVER_LICENSE",
    "age": "AGE",  # kept only when 90 or over (Safe Harbor); see _presidio_spans
    "city": None,
    "country": None,
    "state": None,
    "state_abbr": None,
    "organization": None,
    "company": None,
    "job": None,
    "nationality": None,
    "nation_woman": None,
    "nation_man": None,
    "nation_plural": None,
    "religion": None,
    "prefix": None,
    "prefix_male": None,
    "prefix_female": None,
    "day_of_week": None,
    "year": None,
}


def _presidio_templates() -> list[str]:
    from presidio_evaluator.data_generator import presidio_templates_file_path

    lines = presidio_templates_file_path.read_text(encoding="utf-8").splitlines()
    # The file writes line breaks inside a template (business cards, letters) as a literal "\n".
    return [line.strip().replace("\\n", "\n") for line in lines]


def _split_of(template_id: str) -> str:
    """Dev or test for a template: a fixed hash of its id, so the rule never depends on order."""
    return SPLITS[hashlib.sha256(template_id.encode()).digest()[0] % 2]


def _merge_adjacent(text: str, spans: list[dict[str, object]]) -> list[dict[str, object]]:
    """Join first+last name parts and building number+street into one identifier."""
    joinable = {
        ("NAME_PART", "NAME_PART"): "NAME",
        ("ADDRESS", "STREET"): "ADDRESS",
        ("ADDRESS", "ADDRESS"): "ADDRESS",
        ("STREET", "ADDRESS"): "ADDRESS",
        ("ADDRESS", "ZIP"): "ADDRESS",
        ("NAME_PART", "NAME"): "NAME",
        ("NAME", "NAME_PART"): "NAME",
    }
    out: list[dict[str, object]] = []
    for span in sorted(spans, key=lambda s: int(s["start"])):  # type: ignore[call-overload]
        if out:
            prev = out[-1]
            gap = text[int(prev["end"]) : int(span["start"])]  # type: ignore[call-overload]
            kind = joinable.get((str(prev["type"]), str(span["type"])))
            # A name's parts sit one space apart ("Thompson, Gomez and Sawyer" are three
            # people); an address's parts may be split by commas and line breaks.
            if kind and re.fullmatch(r" " if kind == "NAME" else r"[ ,\n]{0,3}", gap):
                prev["type"] = kind
                prev["end"] = span["end"]
                prev["text"] = text[int(prev["start"]) : int(prev["end"])]  # type: ignore[call-overload]
                continue
        out.append(dict(span))
    return out


def _presidio_spans(sample: object) -> list[dict[str, object]]:
    text: str = sample.full_text  # type: ignore[attr-defined]
    spans: list[dict[str, object]] = []
    for span in sample.spans:  # type: ignore[attr-defined]
        ours = PRESIDIO_MAP.get(span.entity_type, "UNMAPPED")
        if ours == "UNMAPPED":
            raise SystemExit(f"unmapped presidio entity type: {span.entity_type}")
        value = text[span.start_position : span.end_position]
        if ours == "AGE" and not (value.isdigit() and int(value) >= 90):
            ours = None
        if ours is None:
            continue
        # Trim whitespace the address formats put at the edges.
        start, end = span.start_position, span.end_position
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        spans.append({"type": ours, "text": text[start:end], "start": start, "end": end})
    return _merge_adjacent(text, spans)


def _presidio_records(seed: int, count: int = 400) -> list[dict[str, str]]:
    """Coherent fake people (name and e-mail drawn together), made with Faker.

    Replaces the package's default records (a FakeNameGenerator.com CSV) so every value here
    comes from Faker and our own seed.
    """
    from faker import Faker

    fake = Faker("en_US")
    fake.seed_instance(seed)
    records = []
    for _ in range(count):
        first, last = fake.first_name(), fake.last_name()
        user = f"{first}.{last}".lower() if fake.pybool() else f"{first[0]}{last}".lower()
        records.append(
            {
                "first_name": first,
                "last_name": last,
                "person": f"{first} {last}",
                "name": f"{first} {last}",
                "email": f"{user}{fake.random_int(1, 99)}@{fake.free_email_domain()}",
            }
        )
    return records


def _fixed_dates_provider() -> type:
    """Dates drawn from a fixed range: Faker's own depend on today, which breaks reproduction."""
    from faker.providers import BaseProvider

    class FixedDates(BaseProvider):
        def date_time(self) -> dt.datetime:
            return self.generator.date_time_between(start_date=_DT_START, end_date=_DT_END)

        def date_of_birth(self) -> dt.date:
            return self.generator.date_between(start_date=_DOB_START, end_date=_DOB_END)

        def year(self) -> str:
            return str(self.random_int(1950, 2025))

    return FixedDates


def presidio_rows(split: str, seed: int, count: int) -> list[dict[str, object]]:
    """Sentences from presidio-evaluator's bundled templates assigned to ``split``."""
    from presidio_evaluator.data_generator import (
        PresidioSentenceFaker,
        presidio_additional_entity_providers,
    )
    from presidio_evaluator.data_generator.faker_extensions import HospitalProvider

    templates = _presidio_templates()
    chosen = [
        (i, t)
        for i, t in enumerate(templates)
        if ("{{" in t or "<" in t) and _split_of(f"presidio-{i:03d}") == split
    ]
    # HospitalProvider queries WikiData when built; no template uses it, so leave it out.
    providers = [p for p in presidio_additional_entity_providers if p is not HospitalProvider]
    providers.append(_fixed_dates_provider())
    identity = {k: k for k in PRESIDIO_MAP}
    with contextlib.redirect_stdout(io.StringIO()):  # its "Using default ..." notices
        faker = PresidioSentenceFaker(
            locale="en_US",
            lower_case_ratio=0.05,
            sentence_templates=[t for _, t in chosen],
            entity_providers=providers,
            base_records=_presidio_records(seed),
            entity_type_mapping=identity,
            random_seed=seed,
        )
        samples = faker.generate_new_fake_sentences(num_samples=count)
    # The package's lower_case_ratio sets an attribute the sample never reads (0.3.2), so
    # lower-case a share of the sentences here, as people type in chat.
    lower_rng = random.Random(seed)
    rows = []
    for n, sample in enumerate(samples):
        original_index = chosen[sample.template_id][0]
        if lower_rng.random() < LOWER_CASE_RATIO:
            lowered = sample.full_text.lower()
            if len(lowered) == len(sample.full_text):
                sample.full_text = lowered
        rows.append(
            {
                "id": f"{split}-presidio-{n:04d}",
                "text": sample.full_text,
                "source": "presidio",
                "template": f"presidio-{original_index:03d}",
                "spans": _presidio_spans(sample),
                "must_keep": [],
            }
        )
    return rows


# --------------------------------------------------------------------------------------------
# Pharmacy templates
# --------------------------------------------------------------------------------------------

# Slots: identifiers become spans; the others are pharmacy words that must survive.
# {NAME} First Last (capitalised)   {name} first last (lower case)   {LAST} surname
# {FIRST} first name               {LABEL} "LAST, FIRST M" / "Last, First" / "Smith, J."
# {POSS} First Last before 's      {MRN} {RX} {PHONE} {EMAIL} {SSN} {DOB} {MEMBER} {ADDRESS}
# {NPI} {DEA} {DATE} (a service date)
# {drug} {dose} {unit} {device} {role} {count} {time} {city} {cert}
# A template whose id ends in "-lc" is lower-cased whole after filling (chat).
PHARMACY_TEMPLATES: list[tuple[str, str]] = [
    # wristbands and label formats
    ("wristband-1", "{LABEL} (mrn#{MRN}, dob {DOB}) on {unit}, {drug} {dose} due at {time}"),
    (
        "wristband-2",
        "Band reads {LABEL}  MRN {MRN}  DOB {DOB}  -- scanned at the {device} on {unit}",
    ),
    ("wristband-3", "{LABEL} | MRN: {MRN} | DOB: {DOB} | Allergies: NKDA | {unit}"),
    (
        "wristband-4",
        "the band said {LABEL} but the MAR said a different MRN than {MRN}, {role} fixed it",
    ),
    ("label-1", "IV label: {LABEL}  MRN {MRN}  {drug} {dose} in 100 mL NS  exp {time}"),
    ("label-2", "Syringe label printed for {LABEL} ({MRN}) - {drug} {dose}, checked by {role}"),
    ("label-3", "{LABEL} DOB {DOB} MRN {MRN} -- {count} bags of {drug} for {unit}"),
    ("label-4", "relabeled {count} {drug} syringes, wrong pt on them: {LABEL}, mrn {MRN}"),
    # cabinet screens
    (
        "cabinet-1",
        "{device} screen on {unit}: {LAST}, {FIRST} {MRN} - {drug} {dose} discrepancy, count "
        "{count}",
    ),
    ("cabinet-2", "{device} override for {NAME} (MRN {MRN}) pulled {drug} {dose} at {time}"),
    (
        "cabinet-3",
        "the {device} on {unit} showed pt {NAME} with {count} unresolved {drug} discrepancies",
    ),
    ("cabinet-4", "{device} profile for {LABEL}, acct MRN {MRN}, {drug} {dose} removed by {role}"),
    # Rx labels and retail
    ("rx-1", "Rx# {RX}  {NAME}  {drug} {dose}  Qty {count}  Refills 2  DOB {DOB}"),
    ("rx-2", "RX {RX} for {NAME}, {ADDRESS}, {drug} {dose} x {count}"),
    ("rx-3", "Refill request: Rx {RX}, pt {NAME}, DOB {DOB}, call back {PHONE}"),
    ("rx-4", "rx#{RX} rejected, member id {MEMBER}, {drug} {dose} needs a PA, {role} on it"),
    ("rx-5", "Prescriber NPI {NPI} DEA {DEA} on the hard copy for {NAME}'s {drug}"),
    (
        "rx-6",
        "Script for {NAME} ({DOB}) from Dr. {LAST}, NPI {NPI}, DEA# {DEA}, {drug} {dose} #{count}",
    ),
    ("rx-7", "Insurance card: Member ID {MEMBER}  Name {NAME}  DOB {DOB}  -- {drug} copay"),
    ("rx-8", "Rx {RX} transferred from the {city} store for {NAME}, member {MEMBER}"),
    # phone calls
    ("call-1", "Caller {NAME} at {PHONE} asking why her {drug} refill on Rx {RX} is late"),
    ("call-2", "Voicemail from {NAME}, DOB {DOB}, call back at {PHONE} about {drug} {dose}"),
    ("call-3", "Pt's son called from {PHONE}, wants to know if mom {NAME}'s {drug} is ready"),
    ("call-4", "Mrs. {LAST} called {count} times from {PHONE} about the {drug} backorder"),
    ("call-5", "Mr. {LAST} left his email {EMAIL} and phone {PHONE} for the {drug} recall"),
    ("call-6", "Patient {NAME} SSN {SSN} on the fax from the {city} clinic, {role} shredded it"),
    ("call-7", "Called {NAME} at {PHONE}; address on file {ADDRESS}; {drug} delivery at {time}"),
    ("call-8", "email from {EMAIL} (patient {NAME}) asking about {drug} {dose} and her DOB {DOB}"),
    # possessives and family members
    ("family-1", "{POSS}'s insulin got sent to {unit} instead of {unit2}"),
    ("family-2", "his daughter {FIRST} picked up the {drug} and the {role} didn't check ID"),
    ("family-3", "mom {NAME} called about her son's {drug} {dose}"),
    ("family-4", "{POSS}'s {drug} was in the wrong bin on the {device}"),
    ("family-5", "her husband {FIRST} {LAST} wanted the {drug} results, {role} said no"),
    ("family-6", "Wife {NAME} says {LAST} took double {drug} {dose} last night"),
    # capitalised first+last in patient context
    ("context-1", "Patient {NAME} in {unit} needed {drug} {dose} and the {device} was empty"),
    ("context-2", "Pt {NAME} DOB {DOB} MRN {MRN} got {drug} {dose} at {time}"),
    ("context-3", "{NAME} on {unit} is allergic to {drug}, the {role} caught it"),
    (
        "context-4",
        "Discharge med rec for {NAME} ({MRN}), {count} meds incl {drug}, SSN {SSN} on the "
        "face sheet",
    ),
    ("context-5", "Resident {NAME} in room 412 at the {city} nursing home refused {drug}"),
    ("context-6", "Admitted {DATE}: {NAME}, {ADDRESS}, phone {PHONE}, {drug} {dose} at home"),
    # lower-case chat
    ("chat-1-lc", "patient {name} on {unit} got {drug} {dose} twice, {role} caught it"),
    ("chat-2-lc", "pt {name} mrn {MRN} was on the wrong {device} profile"),
    ("chat-3-lc", "mr. {LAST} yelled at the {role} about his {drug} again"),
    ("chat-4-lc", "mrs {LAST} dob {DOB} needs her {drug} {dose} before {time}"),
    ("chat-5-lc", "ugh pt {name} called {PHONE} {count} times today about {drug}"),
    ("chat-6-lc", "his daughter {FIRST} emailed {EMAIL} about the {drug} copay"),
    ("chat-7-lc", "member id {MEMBER} for {name} keeps rejecting for {drug}"),
    ("chat-8-lc", "ssn {SSN} was on the {drug} label for pt {name}, {count} labels out"),
    ("chat-9-lc", "rx {RX} for {name} at {ADDRESS} goes out with the {city} courier"),
    ("chat-10-lc", "ms {LAST}'s {drug} drip on {unit} ran dry at {time}"),
    # more SSN and service-date formats (so that both splits have them)
    ("ssn-1", "Face sheet for {NAME}: SSN {SSN}, DOB {DOB}, {drug} {dose} on the home med list"),
    ("ssn-2-lc", "ssn {SSN} and dob {DOB} for {name} typed into the {device} notes by mistake"),
    ("date-1", "{NAME} was discharged {DATE} with {drug} {dose}, follow-up call to {PHONE}"),
    ("ssn-3", "Medicaid form for {LABEL} has SSN {SSN} and member {MEMBER}, {role} scanned it"),
    ("ssn-4", "Pt {NAME} gave SSN {SSN} instead of member id at the {city} window"),
]

# Templates forced into a split so each split covers every failure family.
PHARMACY_SPLIT: dict[str, str] = {
    tid: ("dev" if n % 2 == 0 else "test") for n, (tid, _) in enumerate(PHARMACY_TEMPLATES)
}

DRUGS = [
    "vancomycin",
    "vanc",
    "heparin",
    "APAP",
    "Eliquis",
    "apixaban",
    "Lovenox",
    "enoxaparin",
    "insulin glargine",
    "Lantus",
    "Zosyn",
    "cefazolin",
    "Xarelto",
    "warfarin",
    "Coumadin",
    "oxycodone",
    "Dilaudid",
    "hydromorphone",
    "Ozempic",
    "metformin",
    "Tylenol",
    "acetaminophen",
    "KCl",
    "potassium chloride",
    "Precedex",
    "fentanyl",
    "morphine",
    "Zofran",
    "ondansetron",
    "pip-tazo",
    "levothyroxine",
    "Synthroid",
    "Keppra",
    "levetiracetam",
    "TPN",
    "D5W",
    "Narcan",
    "naloxone",
    "lisinopril",
    "Lasix",
]
DOSES = [
    "500 mg",
    "1 g",
    "1.25 g",
    "5000 units",
    "40 mg",
    "10 units",
    "2 mg",
    "0.5 mg",
    "4 mg",
    "650 mg",
    "25 mcg",
    "100 mcg",
    "20 mEq",
    "15 mg/kg",
    "1 mg/hr",
    "2 tabs",
    "5 mL",
    "75 mcg",
    "12.5 mg",
    "3.375 g",
]
UNITS = [
    "4 West",
    "3 North",
    "5 East",
    "2 South",
    "ICU",
    "MICU",
    "NICU",
    "the ED",
    "L&D",
    "PACU",
    "Oncology",
    "Telemetry",
    "Med-Surg",
    "6 North",
    "CVICU",
    "7 West",
]
DEVICES = ["Pyxis", "Omnicell", "carousel", "Alaris", "ScriptPro", "Parata", "Kirby Lester"]
ROLES = [
    "pharmacist",
    "charge nurse",
    "lead tech",
    "IV tech",
    "PharmD",
    "RN",
    "buyer",
    "pharmacy manager",
    "float tech",
    "CPhT",
]
CITIES = [
    "Columbus",
    "Dayton",
    "Houston",
    "Austin",
    "Phoenix",
    "Denver",
    "Toledo",
    "Tampa",
    "Omaha",
    "Boise",
    "Raleigh",
    "Louisville",
    "Milwaukee",
    "Charlotte",
    "Madison",
]
TIMES = ["0800", "2200", "7:30", "14:00", "9 pm", "6:45 am", "noon", "3 am", "1930"]
COUNTS = ["2", "3", "4", "6", "12", "14", "30", "90", "120"]


@dataclass
class _Filled:
    text: str = ""
    spans: list[dict[str, object]] = field(default_factory=list)
    keep: list[str] = field(default_factory=list)


def _luhn_check_digit(digits: str) -> int:
    total = 0
    for n, ch in enumerate(reversed(digits)):
        d = int(ch)
        if n % 2 == 0:  # doubled: the check digit will sit to the right
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


class PharmacyValues:
    """Fake identifiers in realistic formats, from one seeded Random and one seeded Faker."""

    def __init__(self, seed: int) -> None:
        from faker import Faker

        self.rng = random.Random(seed)
        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)

    def pick(self, items: list[str]) -> str:
        return self.rng.choice(items)

    def digits(self, n: int) -> str:
        return "".join(str(self.rng.randint(0, 9)) for _ in range(n))

    def first(self) -> str:
        return self.fake.first_name()

    def last(self) -> str:
        last = self.fake.last_name()
        return last

    def label(self) -> str:
        first, last = self.first(), self.last()
        style = self.rng.randrange(5)
        if style == 0:
            return f"{last.upper()}, {first.upper()} {self.rng.choice('ABCDEJKLMRST')}"
        if style == 1:
            return f"{last}, {first}"
        if style == 2:
            return f"{last}, {first[0]}."
        if style == 3:
            return f"{last.upper()}, {first.upper()}"
        return f"{last}, {first} {self.rng.choice('ABCDEJKLMRST')}."

    def mrn(self) -> str:
        return self.pick(
            [
                self.digits(8),
                self.digits(7),
                "00" + self.digits(6),
                self.digits(9),
                "E" + self.digits(7),
                self.digits(10),
            ]
        )

    def rx(self) -> str:
        return self.pick(
            [
                self.digits(7),
                self.digits(7),
                "6" + self.digits(6),
                self.digits(7) + "-0" + str(self.rng.randint(1, 5)),
                self.digits(8),
            ]
        )

    def phone(self) -> str:
        area = f"{self.rng.randint(2, 9)}{self.rng.randint(0, 9)}{self.rng.randint(0, 9)}"
        if area[1:] == "11":
            area = area[0] + "12"
        exch = f"{self.rng.randint(2, 9)}{self.digits(2)}"
        line = self.digits(4)
        return self.pick(
            [
                f"({area}) {exch}-{line}",
                f"{area}-{exch}-{line}",
                f"{area}.{exch}.{line}",
                f"{area}{exch}{line}",
                f"+1 {area} {exch} {line}",
                f"1-{area}-{exch}-{line}",
                f"{area} {exch} {line}",
                f"({area}){exch}-{line}",
                f"+1 ({area}) {exch}-{line}",
                f"{area}-{exch}-{line} ext 2{self.digits(2)}",
                f"{area}/{exch}-{line}",
            ]
        )

    def email(self) -> str:
        first, last = self.first().lower(), self.last().lower()
        user = self.pick(
            [
                f"{first}.{last}",
                f"{first[0]}{last}",
                f"{first}{last[0]}{self.digits(2)}",
                f"{last}.{first}{self.digits(1)}",
                f"{first}_{last}",
            ]
        )
        domain = self.pick([self.fake.free_email_domain(), self.fake.domain_name()])
        return f"{user}@{domain}"

    def ssn(self) -> str:
        while True:
            area = self.rng.randint(1, 899)
            if area == 666 or (area, 0) == (123, 0):
                continue
            group, serial = self.rng.randint(1, 99), self.rng.randint(1, 9999)
            if (area, group, serial) in {(123, 45, 6789), (78, 5, 1120), (219, 9, 9999)}:
                continue
            break
        a, g, s = f"{area:03d}", f"{group:02d}", f"{serial:04d}"
        return self.pick([f"{a}-{g}-{s}", f"{a}-{g}-{s}", f"{a} {g} {s}", f"{a}{g}{s}"])

    def dob(self) -> str:
        d = self.fake.date_between(start_date=_DOB_START, end_date=_DOB_END)
        months = _MONTHS
        m, day, y = d.month, d.day, d.year
        return self.pick(
            [
                f"{m}/{day}/{y}",
                f"{m:02d}/{day:02d}/{y}",
                f"{m}-{day}-{y}",
                f"{m}/{day}/{y % 100:02d}",
                f"{y}-{m:02d}-{day:02d}",
                f"{months[m - 1]} {day}, {y}",
                f"{months[m - 1][:3]} {day} {y}",
                f"{day} {months[m - 1][:3]} {y}",
                f"{m:02d}.{day:02d}.{y}",
                f"{m:02d}-{day:02d}-{y % 100:02d}",
            ]
        )

    def date(self) -> str:
        d = self.fake.date_between(start_date=_SERVICE_START, end_date=_SERVICE_END)
        return self.pick(
            [
                f"{d.month}/{d.day}/{d.year}",
                f"{d.year}-{d.month:02d}-{d.day:02d}",
                f"{_MONTHS[d.month - 1][:3]} {d.day}, {d.year}",
            ]
        )

    def member(self) -> str:
        letters = "".join(self.rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(3))
        return self.pick(
            [
                f"{letters}{self.digits(9)}",
                f"W{self.digits(9)}",
                f"{self.digits(9)}-0{self.rng.randint(1, 4)}",
                f"{letters}{self.digits(6)}",
                f"{self.rng.choice('ABCDEFGHJKMN')}{self.digits(8)}",
                f"{self.digits(11)}",
            ]
        )

    def npi(self) -> str:
        body = self.rng.choice("12") + self.digits(8)
        return body + str(_luhn_check_digit("80840" + body))

    def dea(self, last: str | None = None) -> str:
        first = self.rng.choice("ABFGMPR")
        second = (last or self.last())[0].upper()
        d = [self.rng.randint(0, 9) for _ in range(6)]
        check = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10
        return f"{first}{second}{''.join(map(str, d))}{check}"

    def address(self) -> str:
        street = self.fake.street_address()
        if self.rng.random() < 0.5:
            return street
        return f"{street}, {self.fake.city()}, {self.fake.state_abbr()} {self.fake.zipcode()}"


_SLOT = re.compile(r"\{(\w+)\}")


def fill_pharmacy(template_id: str, template: str, values: PharmacyValues) -> _Filled:
    """Fill one template, recording exact offsets of identifiers and the words to keep."""
    lower = template_id.endswith("-lc")
    out = _Filled()
    pos = 0
    used_units: list[str] = []
    for match in _SLOT.finditer(template):
        out.text += template[pos : match.start()]
        pos = match.end()
        slot = match.group(1)
        kind: str | None
        if slot in {"NAME", "POSS"}:
            value, kind = f"{values.first()} {values.last()}", "NAME"
        elif slot == "name":
            value, kind = f"{values.first()} {values.last()}".lower(), "NAME"
        elif slot == "LAST":
            value, kind = values.last(), "NAME"
        elif slot == "FIRST":
            value, kind = values.first(), "NAME"
        elif slot == "LABEL":
            value, kind = values.label(), "NAME"
        elif slot in {
            "MRN",
            "RX",
            "PHONE",
            "EMAIL",
            "SSN",
            "DOB",
            "MEMBER",
            "ADDRESS",
            "NPI",
            "DEA",
            "DATE",
        }:
            value = getattr(values, slot.lower())()
            kind = "MEMBER_ID" if slot == "MEMBER" else slot
        else:
            kind = None
            if slot in {"unit", "unit2"}:
                value = values.pick([u for u in UNITS if u not in used_units])
                used_units.append(value)
            else:
                value = values.pick(
                    {
                        "drug": DRUGS,
                        "dose": DOSES,
                        "device": DEVICES,
                        "role": ROLES,
                        "count": COUNTS,
                        "time": TIMES,
                        "city": CITIES,
                        "cert": ["CPhT", "CSPT", "TPV"],
                    }[slot]
                )
        if lower and value.lower() != value and len(value.lower()) == len(value):
            value = value.lower()
        start = len(out.text)
        out.text += value
        if kind is not None:
            out.spans.append(
                {"type": kind, "text": value, "start": start, "end": start + len(value)}
            )
        elif slot not in {"count"} and value.removeprefix("the ") not in out.keep:
            out.keep.append(value.removeprefix("the "))
    out.text += template[pos:]
    if lower:
        lowered = out.text.lower()
        if len(lowered) == len(out.text):
            out.text = lowered
            for span in out.spans:
                span["text"] = out.text[int(span["start"]) : int(span["end"])]  # type: ignore[call-overload]
            out.keep = [k.lower() for k in out.keep]
    return out


def pharmacy_rows(split: str, seed: int, count: int) -> list[dict[str, object]]:
    """Sentences from the project's pharmacy templates assigned to ``split``."""
    values = PharmacyValues(seed)
    chosen = [(tid, t) for tid, t in PHARMACY_TEMPLATES if PHARMACY_SPLIT[tid] == split]
    rows = []
    for n in range(count):
        tid, template = chosen[n % len(chosen)]  # round robin: every template equally often
        filled = fill_pharmacy(tid, template, values)
        rows.append(
            {
                "id": f"{split}-pharmacy-{n:04d}",
                "text": filled.text,
                "source": "pharmacy",
                "template": f"pharmacy-{tid}",
                "spans": filled.spans,
                "must_keep": filled.keep,
            }
        )
    return rows


def _check(row: dict[str, object]) -> None:
    text = str(row["text"])
    for span in row["spans"]:  # type: ignore[attr-defined]
        if text[span["start"] : span["end"]] != span["text"]:
            raise SystemExit(f"bad span offsets in {row['id']}: {span}")
    for word in row["must_keep"]:  # type: ignore[attr-defined]
        if word.lower() not in text.lower():
            raise SystemExit(f"must_keep word not in text in {row['id']}: {word}")


def generate(seed: int, per_source: int) -> dict[str, list[dict[str, object]]]:
    """Both splits; dev uses Faker seed ``seed``, test ``seed + 1``."""
    result = {}
    for offset, split in enumerate(SPLITS):
        split_seed = seed + offset
        rows = presidio_rows(split, split_seed, per_source) + pharmacy_rows(
            split, split_seed, per_source
        )
        for row in rows:
            _check(row)
        result[split] = rows
    for split, rows in result.items():
        present = {s["type"] for r in rows if r["source"] == "pharmacy" for s in r["spans"]}  # type: ignore[attr-defined]
        missing = set(TARGET_TYPES) - present
        if missing:
            raise SystemExit(f"{split}: no pharmacy sentence has {sorted(missing)}")
    dev_t = {r["template"] for r in result["dev"]}
    test_t = {r["template"] for r in result["test"]}
    if dev_t & test_t:
        raise SystemExit(f"templates shared between splits: {sorted(dev_t & test_t)}")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help="base seed (dev; test uses seed+1)"
    )
    parser.add_argument(
        "--per-source", type=int, default=1250, help="sentences per source per split"
    )
    parser.add_argument("--out", type=Path, default=OUT, help="output folder")
    args = parser.parse_args(argv)
    from importlib.metadata import version

    for package, made_with in MADE_WITH.items():
        if version(package) != made_with:
            print(
                f"note: {package} {version(package)} here, the committed files were made with "
                f"{made_with}; the output may differ",
                file=sys.stderr,
            )
    splits = generate(args.seed, args.per_source)
    args.out.mkdir(parents=True, exist_ok=True)
    for split, rows in splits.items():
        path = args.out / f"phi-synth-{split}.jsonl"
        with path.open("w", encoding="utf-8", newline="\n") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        spans = sum(len(r["spans"]) for r in rows)  # type: ignore[arg-type]
        templates = len({r["template"] for r in rows})
        print(
            f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}: "
            f"{len(rows)} sentences, {spans} identifiers, {templates} templates",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
