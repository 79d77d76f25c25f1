"""PHI redaction: identifiers go, the story stays, nothing reaches the network, failures close."""

from __future__ import annotations

import json
import random
import re
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from bot.safety import redaction
from bot.safety.redaction import (
    PLACEHOLDER_TYPES,
    REDACTION_FAILED_TEXT,
    RedactionError,
    RedactionResult,
    Redactor,
    get_redactor,
    presidio_entities_for,
    redact_text,
)
from tests.paths import DATASETS

DATASETS = DATASETS
PLACEHOLDER = re.compile(r"\[(?:" + "|".join(PLACEHOLDER_TYPES) + r")\]")


def _jsonl(name: str) -> list[dict[str, Any]]:
    lines = (DATASETS / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


PHI_CASES = _jsonl("phi-dev.jsonl")
COACHING_CASES = _jsonl("coaching-dev.jsonl")

# Field-style chatter beyond the dev file: (text, must go, must stay).
FIELD_CASES: list[tuple[str, list[str], list[str]]] = [
    ("Mrs. Alvarez in 412 wanted her Eliquis early", ["Alvarez"], ["Eliquis", "wanted"]),
    ("pt's member ID: XJH48293 kept rejecting", ["XJH48293"], ["member ID", "rejecting"]),
    ("call me at (312) 555-0199 after 5", ["(312) 555-0199", "555-0199"], ["call me", "after 5"]),
    ("email me at dana.lee@hospital.org today", ["dana.lee@hospital.org", "hospital.org"], []),
    ("d_lee+work@mail.example.co.uk sent the fax", ["d_lee+work", "example.co.uk"], ["fax"]),
    ("DOB: 1/2/1950 and she kept asking", ["1/2/1950"], ["she kept asking"]),
    ("Rx 1234567 was on hold for insurance", ["1234567"], ["on hold", "insurance"]),
    ("MRN#4829130 was in the wrong bin", ["4829130"], ["wrong bin"]),
    ("ssn 123-45-6789 typed into the notes field", ["123-45-6789"], ["notes field"]),
    ("SSN 536 22 8471 on the intake sheet", ["536 22 8471"], ["intake sheet"]),
    ("Last 4 of her social 8471 to verify", ["8471"], ["verify"]),
    ("pt John Smith screamed at the window", ["John", "Smith"], ["screamed", "window"]),
    ("patient Harold KIM was discharged", ["Harold", "KIM"], ["discharged"]),
    ("pt SMITH, JOHN on the label", ["SMITH", "JOHN"], ["on the label"]),
    ("Mr. Will Smith and Ms. O'Brien waited", ["Will", "Smith", "O'Brien"], ["waited"]),
    ("Mrs. McDonald-Reyes and Dr. Patel argued", ["McDonald", "Reyes", "Patel"], ["argued"]),
    ("the Pyxis on 4 West Dr Patel's unit was empty", ["Patel"], ["Pyxis on 4 West Dr"]),
    ("patient Mrs. June Carter in room 1204", ["June", "Carter", "1204"], ["room"]),
    ("her daughter Maria picked it up", ["Maria"], ["picked it up"]),
    ("Okafor's husband called twice", ["Okafor"], ["husband called twice"]),
    ("Baby Boy Nguyen in NICU, mom Thi Nguyen at bedside", ["Nguyen", "Thi"], ["NICU"]),
    ("resident Edna Mae Walsh fell again", ["Edna", "Walsh"], ["fell again"]),
    ("the 95-year-old resident refused", ["95-year-old"], ["refused"]),
    ("she is 92 yo and on warfarin 5 mg", ["92 yo"], ["warfarin 5 mg"]),
    ("born 3/14/61, admitted 03/14/2024", ["3/14/61", "03/14/2024"], ["born", "admitted"]),
    ("discharged March 18, 2024 without meds", ["March 18, 2024"], ["without meds"]),
    ("DOB 22-Jul-1949 on the wristband", ["22-Jul-1949"], ["wristband"]),
    ("DL D1234567 for the pseudoephedrine log", ["D1234567"], ["pseudoephedrine log"]),
    ("lives at 1234 Oak Park Ave Apt 3B, IL 60614", ["1234 Oak Park Ave", "3B", "60614"], []),
    ("Medicare MBI 1EG4-TE5-MK73 was rejected", ["1EG4-TE5-MK73"], ["rejected"]),
    ("new card 1EG4TE5MK73 came back", ["1EG4TE5MK73"], ["came back"]),
    ("card 4111 1111 1111 1111 on file", ["4111 1111 1111 1111", "1111"], ["on file"]),
    ("calling from +44 20 7946 0958 about a transfer", ["7946", "0958"], ["transfer"]),
    ("prior auth 12345678 denied, claim # 88213", ["12345678", "88213"], ["denied"]),
    ("acct #A99120 flagged by billing", ["A99120"], ["flagged by billing"]),
    ("FIN 4482913 and CSN 77120 on the sticker", ["4482913", "77120"], ["sticker"]),
    ("portal link https://mychart.example.com/p/12345 expired", ["mychart", "12345"], ["expired"]),
    ("text 555-0199 for the courier", ["555-0199"], ["courier"]),
    ("unlabelled 10 digits 3125550187 here", ["3125550187"], ["here"]),
    ("MRN 0048-2913-77 on the old label", ["0048-2913-77", "2913"], ["old label"]),
    ("NPI 1234567893 / DEA AB1234563", ["1234567893", "AB1234563"], ["NPI", "DEA"]),
    ("wrong pt: Harold Kim, DOB 03/14/1961", ["Harold", "Kim", "03/14/1961"], ["wrong"]),
    ("Rx #7712345 for Mrs. Okafor, refill too soon", ["7712345", "Okafor"], ["refill too soon"]),
    ("Linda Park kept calling about the refill", ["Linda", "Park"], ["kept calling", "refill"]),
    ("Harold Kim needed Eliquis 5 mg at 0300", ["Harold", "Kim"], ["Eliquis 5 mg", "0300"]),
    ("Dana Lee and Mike covered the 2 sick calls", ["Dana", "Lee"], ["Mike", "2 sick calls"]),
]

# Nothing here identifies anyone: it must come back unchanged.
STORY_ONLY = [
    "40 mg, 350 scripts, Friday 5pm, Eliquis 5 mg BID, 4 West, Pyxis, the 0700 huddle, 2 new techs",
    "heparin 25,000 units in 250 mL, 12 hours, 1,200 claims, worked 0700-1930 three days straight",
    "Norco 5/325 and Percocet 10/325 count was off, 24/7 coverage, due by 11/30",
    "a tech named Will covered for me, my manager Dana said no",
    "Will and Grace from days left no handoff notes again",
    "customer service line was down and Customer Service told us to wait",
    "Pt Eliquis was late again and patient Coumadin levels were off",
    "the MS Contin 15 mg count was wrong and ms contin again",
    "I've been here 12 years and still make $18.50/hr, 2 raises in 3 years",
    "heparin 100-1000 units protocol and vanco trough at 0600, q8h dosing, next dose 1400",
    "we did 1,250 rx today with 3 pharmacists and 4 techs at 98% on time",
    "I'm 23 and want my CPhT by June 2026, raises frozen until Q3 2027",
    "COVID-19 boosters, CYP3A4 interaction, B12 shots, A1C 7.2, 340B audit found 14 errors",
    "version 2.3.1 of the carousel software crashed at 10:30",
    "called the pt. She said fine. The patient. Then nothing.",
    "Patient Safety called about the Omnicell on 5 East by the Pyxis",
    "the Pyxis on 4 West by the Dr. lounge was empty",
    "Ozempic backorder, DUR rejects and a PA queue of 40 today",
    "clean room 2 was down for 3 days, hood cert due Monday",
    "tech 1 and tech 2 did 45 IV bags each, 0.9% NS 1000 mL x 12",
    "the Will Call bin was full and Max dose alerts fired all shift",
    "Dana said no and Mike said maybe, John from nights never showed",
    "John Pharmacist on nights said the Eliquis stock is fine",
    "Rx 5000 units heparin SQ q8h and Rx 1000 mg vanco, acct 2500 mL bags",
]


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor()


@pytest.fixture(scope="module")
def regex_only() -> Redactor:
    return Redactor(use_presidio=False)


def _all_texts() -> list[str]:
    return (
        [case["text"] for case in PHI_CASES]
        + [case["text"] for case in COACHING_CASES]
        + [text for text, _, _ in FIELD_CASES]
        + STORY_ONLY
    )


# --- the development datasets ---------------------------------------------------------------


@pytest.mark.parametrize("case", PHI_CASES, ids=[case["id"] for case in PHI_CASES])
def test_phi_dev_case(redactor: Redactor, case: dict[str, Any]) -> None:
    result = redactor.redact(case["text"])

    for value in case["must_remove"]:
        assert value not in result.text
    for value in case["must_keep"]:
        assert value in result.text
    if not case["must_remove"] and not re.search(r"\d{6}", case["text"]):
        # Story-only lines come back untouched (a run of six digits always goes, see below).
        assert result.text == case["text"]
        assert result.redactions == []


def test_any_run_of_six_digits_goes_even_in_a_ticket_number(redactor: Redactor) -> None:
    result = redactor.redact("ticket INC0012345 for the carousel has been open 9 days")

    assert result.text == "ticket [ID] for the carousel has been open 9 days"


@pytest.mark.parametrize("case", COACHING_CASES, ids=[case["id"] for case in COACHING_CASES])
def test_coaching_dev_vents_lose_their_phi_and_nothing_else(
    redactor: Redactor, case: dict[str, Any]
) -> None:
    result = redactor.redact(case["text"])

    for value in case.get("phi", []):
        assert value not in result.text
    if not case.get("phi"):
        assert result.text == case["text"]


def test_dev_datasets_are_present() -> None:
    # An empty parametrization would pass silently; the files must really be there.
    assert len(PHI_CASES) >= 24
    assert sum(bool(case.get("phi")) for case in COACHING_CASES) >= 2


# --- field chatter ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "gone", "kept"), FIELD_CASES, ids=[c[0][:30] for c in FIELD_CASES]
)
def test_field_case(redactor: Redactor, text: str, gone: list[str], kept: list[str]) -> None:
    result = redactor.redact(text)

    for value in gone:
        assert value not in result.text
    for value in kept:
        assert value in result.text
    assert result.redactions


@pytest.mark.parametrize("text", STORY_ONLY)
def test_story_words_survive(redactor: Redactor, text: str) -> None:
    result = redactor.redact(text)

    assert result.text == text
    assert result.redactions == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pt John Smith MRN 00482913", "Pt [NAME] MRN [MRN]"),
        ("DOB 03/14/1961 called 555-867-5309", "DOB [DOB] called [PHONE]"),
        ("re Rx# 7731942 and rx 4418208", "re Rx# [RX] and rx [RX]"),
        ("NPI 1234567893 and DEA AB1234563", "NPI [NPI] and DEA [DEA]"),
        ("member id XJQ44719022 rejected", "member id [MEMBER_ID] rejected"),
        ("her SSN 536-22-8471, 123-45-6789", "her SSN [SSN], [SSN]"),
        ("maria.okafor88@example.org wrote", "[EMAIL] wrote"),
        ("admitted 2024-03-14 to room 412", "admitted [DATE] to room [ROOM]"),
        ("order 88412907 lost", "order [ID] lost"),
        ("Mrs. Okafor's daughter", "Mrs. [NAME]'s daughter"),
        ("the 92-year-old at 12 Main St", "the [AGE] at [ADDRESS]"),
        ("see www.example.com/x.", "see [URL]."),
    ],
)
def test_placeholders_are_typed_and_labels_stay(
    redactor: Redactor, text: str, expected: str
) -> None:
    assert redactor.redact(text).text == expected


def test_redactions_are_one_per_placeholder_in_text_order(redactor: Redactor) -> None:
    result = redactor.redact("Pt John Smith MRN 00482913 DOB 03/14/1961 called 555-867-5309")

    assert [item.type for item in result.redactions] == ["NAME", "MRN", "DOB", "PHONE"]
    assert PLACEHOLDER.findall(result.text) == ["[NAME]", "[MRN]", "[DOB]", "[PHONE]"]


def test_every_emitted_type_is_a_declared_placeholder(redactor: Redactor) -> None:
    seen = {item.type for text in _all_texts() for item in redactor.redact(text).redactions}

    assert seen <= set(PLACEHOLDER_TYPES)
    assert {"NAME", "MRN", "PHONE", "EMAIL", "SSN", "DOB", "RX", "NPI", "DEA"} <= seen


@pytest.mark.parametrize("text", _all_texts())
def test_redaction_is_idempotent(redactor: Redactor, text: str) -> None:
    once = redactor.redact(text)
    twice = redactor.redact(once.text)

    assert twice.text == once.text
    assert twice.redactions == []


def test_redaction_is_idempotent_on_shuffled_fragments(redactor: Redactor) -> None:
    # Words of every case glued with the punctuation people type: placeholders must never
    # create a new word boundary, label or trigger that a second pass would act on.
    words = [word for text in _all_texts() + GATE_PROBES for word in text.split()]
    glue = [" ", " ", " ", "", ",", "-", "/", ".", ": ", "#", "\n", "(", ")"]
    rng = random.Random(20240314)
    for _ in range(3000):
        text = "".join(rng.choice(words) + rng.choice(glue) for _ in range(rng.randint(1, 12)))
        once = redactor.redact(text)
        assert redactor.redact(once.text).text == once.text, text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The phone placeholder must not read as the phone word that lets a bare local number go.
        ("1-800-555-0199 or 555-3088", "[PHONE] or 555-3088"),
        # A placeholder glued into a word would give the word a new boundary on the next pass.
        ("tube(3-Mar372-65-9371, though", "tube(3-[SSN], though"),
        ("ABC0048-2913-77 reprinted", "[ID] reprinted"),
    ],
)
def test_edges_that_once_redacted_differently_twice(
    redactor: Redactor, text: str, expected: str
) -> None:
    once = redactor.redact(text)

    assert once.text == expected
    assert redactor.redact(once.text).text == expected


def test_placeholders_in_the_input_are_left_alone(redactor: Redactor) -> None:
    text = "Mrs. [NAME] MRN [MRN] DOB [DOB] at [PHONE], [EMAIL] member id [MEMBER_ID]"

    assert redactor.redact(text) == RedactionResult(text=text, redactions=[])


def test_empty_text(redactor: Redactor) -> None:
    assert redactor.redact("") == RedactionResult(text="", redactions=[])


# --- why each layer is there ------------------------------------------------------------------


def test_presidio_alone_ignores_placeholder_ssn_but_the_regex_layer_does_not(
    redactor: Redactor, regex_only: Redactor
) -> None:
    layer = redactor._presidio
    assert layer is not None
    found = layer.engine.analyze("ssn 123-45-6789", language="en", entities=["US_SSN"])

    assert not [r for r in found if r.score >= 0.5]
    assert regex_only.redact("ssn 123-45-6789").text == "ssn [SSN]"
    assert redactor.redact("ssn 123-45-6789").text == "ssn [SSN]"


def test_presidio_adds_identifiers_the_regex_layer_misses(
    redactor: Redactor, regex_only: Redactor
) -> None:
    text = "new card 1EG4TE5MK73 came back"

    assert regex_only.redact(text).text == text
    assert redactor.redact(text).text == "new card [MEMBER_ID] came back"


def test_presidio_finds_short_international_numbers(
    redactor: Redactor, regex_only: Redactor
) -> None:
    text = "her son abroad is on +683 7012, call him"

    assert regex_only.redact(text).text == text
    assert redactor.redact(text).text == "her son abroad is on [PHONE], call him"


def test_presidio_checksums_type_bare_numbers(redactor: Redactor, regex_only: Redactor) -> None:
    text = "faxed 1234567893 and AB1234563 to the wrong store"

    assert regex_only.redact(text).text == "faxed [ID] and [ID] to the wrong store"
    assert redactor.redact(text).text == "faxed [NPI] and [DEA] to the wrong store"


# One identifier per probe, so that no other part of the text opens the gate for it.
GATE_PROBES = [
    "reach me on +44 20 7946 0958",
    "or +49 30 901820",
    "+683 7012 is Niue",
    "Tokelau +690 3101",
    "1-800-555-0199 toll free",
    "312.555.0142 x22",
    "912-78-1234 itin",
    "ssn 536-22-8471",
    "card 4111-1111-1111-1111",
    "npi 1234 567 893",
    "ip 10.0.0.1",
    "v6 2001:db8::1",
    "v6 fe80::abcd",
    "mapped ::ffff:10.0.0.1",
    "born 22-Jul-1949",
    "at 2024-03-14T10:30:00Z",
    "on 14.03.1961",
    "in Jan-25",
    "on 3-Mar",
    "MBI 1EG4-TE5-MK73",
    "mbi 1EG4TE5MK73",
    "DEA AB1234563",
    "dea BX9123456",
    "Rx 4418207",
    "prescription #12345678",
    "prior auth 12345678",
    "claim 12345678",
    "referral 1234567",
    "maria.okafor88@example.org",
    "x@host.local",
]


@pytest.mark.parametrize("text", _all_texts() + GATE_PROBES)
def test_presidio_gates_never_skip_a_finding(redactor: Redactor, text: str) -> None:
    # The cheap pre-checks must be implied by everything Presidio would report above threshold.
    layer = redactor._presidio
    assert layer is not None
    gated = set(presidio_entities_for(text))
    for result in layer.engine.analyze(text, language="en"):
        _kind, threshold = redaction._PRESIDIO_TYPES[result.entity_type]
        if result.score >= threshold:
            assert result.entity_type in gated, (result.entity_type, text)


def test_gates_skip_presidio_for_plain_vents() -> None:
    assert presidio_entities_for("We filled 350 scripts on Friday by 5pm with 2 techs") == []
    assert presidio_entities_for("Eliquis 5 mg BID on 4 West, the 0700 huddle") == []


# --- offline ----------------------------------------------------------------------------------


def test_offline_email_validator() -> None:
    assert redaction._offline_domain_ok("maria@example.org")
    assert redaction._offline_domain_ok("x@host.local")
    assert redaction._offline_domain_ok("x@xn--80ak6aa92e.xn--p1ai")
    assert not redaction._offline_domain_ok("x@host")
    assert not redaction._offline_domain_ok("x@host.c0m")


def test_email_recognizer_never_calls_tldextract(
    redactor: Redactor, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tldextract

    def network(*args: object, **kwargs: object) -> object:
        raise AssertionError("tldextract was called")

    monkeypatch.setattr(tldextract, "extract", network)
    monkeypatch.setattr(tldextract.TLDExtract, "__call__", network)
    layer = redactor._presidio
    assert layer is not None

    found = layer.engine.analyze("write to maria@example.org", language="en")

    assert [(r.entity_type, r.score) for r in found] == [("EMAIL_ADDRESS", 1.0)]
    assert redactor.redact("write to maria@example.org").text == "write to [EMAIL]"


def test_building_and_redacting_never_touch_the_network_or_load_a_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import spacy

    def forbidden(*args: object, **kwargs: object) -> object:
        raise AssertionError("network or model access")

    monkeypatch.setattr(socket.socket, "connect", forbidden)
    monkeypatch.setattr(socket, "create_connection", forbidden)
    monkeypatch.setattr(socket, "getaddrinfo", forbidden)
    monkeypatch.setattr(spacy, "load", forbidden)
    monkeypatch.setattr("spacy.cli.download", forbidden)

    fresh = Redactor()
    result = fresh.redact("Mrs. Okafor a@example.org +44 20 7946 0958 MBI 1EG4TE5MK73 3/4/1961")

    assert result.text == "Mrs. [NAME] [EMAIL] [PHONE] MBI [MEMBER_ID] [DATE]"


def test_presidio_runs_on_the_no_op_engine(redactor: Redactor) -> None:
    from presidio_analyzer.nlp_engine import NoOpNlpEngine

    layer = redactor._presidio
    assert layer is not None
    assert isinstance(layer.engine.nlp_engine, NoOpNlpEngine)
    assert layer.engine.supported_languages == ["en"]
    names = {type(r).__name__ for r in layer.engine.registry.recognizers}
    assert not {"UrlRecognizer", "IpRecognizer", "UsLicenseRecognizer"} & names
    assert {"UsNpiRecognizer", "MedicalLicenseRecognizer", "UsMbiRecognizer"} <= names


# --- fail closed ------------------------------------------------------------------------------


def test_a_failing_recognizer_fails_closed() -> None:
    from presidio_analyzer import EntityRecognizer

    class Exploding(EntityRecognizer):
        def load(self) -> None:
            pass

        def analyze(
            self, text: str, entities: list[str], nlp_artifacts: object = None
        ) -> list[Any]:
            raise ValueError(f"cannot parse {text}")

    fresh = Redactor()
    assert fresh._presidio is not None
    fresh._presidio.engine.registry.add_recognizer(
        Exploding(supported_entities=["EMAIL_ADDRESS"], name="exploding")
    )

    with pytest.raises(RedactionError) as caught:
        fresh.redact("Harold Kim wrote from harold.kim@example.org")

    assert "harold" not in str(caught.value).lower()
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


def test_a_failing_regex_layer_fails_closed(
    redactor: Redactor, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(text: str) -> list[Any]:
        raise re.error(f"bad pattern near {text}")

    monkeypatch.setattr(redaction, "_name_spans", broken)

    with pytest.raises(RedactionError) as caught:
        redactor.redact("Mrs. Okafor MRN 00482913")
    assert "Okafor" not in str(caught.value)


def test_a_leaked_identifier_is_refused(
    redactor: Redactor, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Simulate a bug that loses the spans: the final check must still refuse the text.
    monkeypatch.setattr(redaction, "_merge", lambda spans: [])

    with pytest.raises(RedactionError):
        redactor.redact("MRN 00482913")
    with pytest.raises(RedactionError):
        redactor.redact("write to maria@example.org")


def test_non_text_fails_closed(redactor: Redactor) -> None:
    with pytest.raises(RedactionError):
        redactor.redact(None)  # type: ignore[arg-type]


def test_presidio_setup_failure_is_a_redaction_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: object) -> None:
        raise ImportError("no presidio")

    monkeypatch.setattr(redaction._PresidioLayer, "__init__", broken)

    with pytest.raises(RedactionError, match="ImportError"):
        Redactor()
    assert Redactor(use_presidio=False).redact("MRN 00482913").text == "MRN [MRN]"


# --- process-wide instance and logs -----------------------------------------------------------


def test_get_redactor_is_built_once_even_under_concurrency() -> None:
    barrier = threading.Barrier(8)

    def fetch() -> Redactor:
        barrier.wait()
        return get_redactor()

    with ThreadPoolExecutor(max_workers=8) as pool:
        instances = list(pool.map(lambda _: fetch(), range(8)))

    assert all(instance is instances[0] for instance in instances)
    assert instances[0].use_presidio


def test_concurrent_redaction_matches_sequential(redactor: Redactor) -> None:
    texts = _all_texts() * 4
    expected = [redactor.redact(text) for text in texts]

    with ThreadPoolExecutor(max_workers=8) as pool:
        actual = list(pool.map(redactor.redact, texts))

    assert actual == expected


def test_redact_text_for_logs() -> None:
    assert redact_text("pt John Smith MRN 00482913") == "pt [NAME] MRN [MRN]"


def test_redact_text_never_leaks_on_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        def redact(self, text: str) -> RedactionResult:
            raise RedactionError("boom")

    monkeypatch.setattr(redaction, "get_redactor", lambda: Broken())

    assert redact_text("pt John Smith MRN 00482913") == REDACTION_FAILED_TEXT


def test_long_adversarial_input_finishes(redactor: Redactor) -> None:
    # Each prefix would take minutes if a pattern backtracked quadratically over it.
    for prefix in ("Aa-" * 6000, "x@" * 10_000, "a1-" * 7000, "AA, " * 5000, "a" * 50_000):
        result = redactor.redact(prefix + " MRN 00482913")
        assert result.text.endswith(" MRN [MRN]")
        assert result.text.startswith(prefix[:100])
    assert redactor.redact("1-" * 10_000).text == "[ID]-"
