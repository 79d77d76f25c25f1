"""Reading the answer to a check-in question: yes (or unsure), no, or not an answer."""

from __future__ import annotations

import pytest

from bot.safety.check_in import answer


@pytest.mark.parametrize(
    "text", ["yes", "Yeah… kind of", "maybe", "idk", "not sure honestly", "sometimes", "y"]
)
def test_yes_and_unsure_answers_are_yes(text: str) -> None:
    assert answer(text) == "yes"


@pytest.mark.parametrize(
    "text", ["no, just work", "no im ok just tired", "nah", "Nope!", "I'm fine, just venting", "n"]
)
def test_a_plain_no_is_no(text: str) -> None:
    assert answer(text) == "no"


@pytest.mark.parametrize(
    "text",
    [
        "no, but I keep thinking about it",
        "y'all wouldn't believe the queue today",
        "the IV room is backed up again",
        "",
    ],
)
def test_anything_else_is_not_an_answer(text: str) -> None:
    assert answer(text) is None
