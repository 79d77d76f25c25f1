"""Drafts made from redacted text read as sentences: placeholders become words or leave whole."""

from __future__ import annotations

import re

import pytest

from bot.coaching.playbook import load_playbook
from bot.coaching.specifics import Restater
from bot.safety.redaction import Redactor, get_redactor


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return get_redactor()


@pytest.fixture(scope="module")
def restater() -> Restater:
    return Restater(load_playbook())


CASES = [
    (
        "John Smith's insulin was late again on 4 West.",
        "The patient's insulin was late again on 4 West.",
    ),
    (
        "pt maria lopez (mrn 4482913, rx# 7731942) got the wrong Lovenox dose.",
        "A patient got the wrong Lovenox dose.",
    ),
    (
        "his DOB 3/4/1950 and bday 3/4/1950, call his daughter at 312-555-0187.",
        "Call his daughter.",
    ),
    (
        "Blorfman, Ketzia (mrn#44332211, dob 3-4-1950) waited 2 hours for Keppra.",
        "A patient waited 2 hours for Keppra.",
    ),
    (
        "Caller Ketzia Blorfman at 312-555-0187 yelled about her Eliquis.",
        "A caller yelled about her Eliquis.",
    ),
    (
        "Mrs. Okafor's daughter emailed maria@example.org about the refill.",
        "The patient's daughter emailed about the refill.",
    ),
]


@pytest.mark.parametrize(("vent", "expected"), CASES, ids=[c[0][:30] for c in CASES])
def test_a_redacted_vent_restates_as_a_sentence(
    redactor: Redactor, restater: Restater, vent: str, expected: str
) -> None:
    sentences = restater.restate(redactor.redact(vent).text)

    assert sentences == [expected]
    assert not re.search(r"[\[\]]|\s,|\(\s*[,)]|^'", sentences[0])
