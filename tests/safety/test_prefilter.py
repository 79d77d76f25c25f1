"""The regex pre-filter: needs read from a pattern never hide a match, and word tries match."""

from __future__ import annotations

import re

import pytest

from bot.vocabulary.prefilter import Gated, KeywordFinder, required_literals, word_trie


def test_required_literals_are_read_from_the_regex() -> None:
    assert required_literals(re.compile(r"\b(?:pyxis|omnicell)s?\b", re.I)) == ("omnicell", "pyxis")
    assert required_literals(re.compile(r"f\*+ing", re.I)) == ("ing",)
    assert required_literals(re.compile(r"\b(?:a patient),\s+")) == ("a patient,",)
    assert required_literals(re.compile(r"(?-i:\bICU\b)|\bintensive care\b")) == (
        "icu",
        "intensive care",
    )
    # A pattern that can match without any fixed text gets no shortcut.
    assert required_literals(re.compile(r"\d+\s*\w+")) is None
    assert required_literals(re.compile(r"(?:maybe)?\w+")) is None


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a)\1",  # back references are not read
        r"(?P<x>a)(?P=x)",
        r"\x41bc",
        r"(?#comment)abc",
        r"(a)?(?(1)b|c)",
    ],
)
def test_syntax_the_reader_does_not_handle_runs_the_pattern_always(pattern: str) -> None:
    assert required_literals(re.compile(pattern)) is None


def test_verbose_patterns_run_always() -> None:
    assert required_literals(re.compile(r"a b c  # spaces mean nothing here", re.X)) is None
    assert required_literals(re.compile(r"(?x) a b c")) is None


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"\bnever (?:been )?(?:trained|shown)\b", "I was NEVER trained on it"),
        (r"colou?r{2,}", "colorrr"),
        (r"[]x]+yes", "]]yes"),
        (r"(?<=pre)fix|suffix", "prefix"),
        (r"(?P<name>dr\.?) \w+", "Dr. Patel"),
        (r"a{,2}b", "b"),
        (r"x{}", "x{}"),
        (r"\$\d+ an hour", "$17 an hour"),
        (r"(?i)\bstat\b", "STAT order"),
    ],
)
def test_a_match_always_passes_the_filter(pattern: str, text: str) -> None:
    gated = Gated.of(re.compile(pattern, re.I))
    assert gated.pattern.search(text)
    assert gated.may_match(text.lower())


def test_a_text_without_the_needs_is_skipped() -> None:
    gated = Gated.of(re.compile(r"\b(?:pyxis|omnicell)s?\b", re.I))
    assert not gated.may_match("the carousel jammed")
    assert Gated.declared(re.compile("@"), ["@"]).needs == ("@",)
    assert Gated.declared(re.compile(r"\w"), []).may_match("anything")


def test_word_trie_matches_exactly_the_words() -> None:
    words = ["vanc", "vanco", "vancomycin", "zosyn", "k rider", "a.b"]
    pattern = re.compile(rf"^(?:{word_trie(words)})$")
    for word in words:
        assert pattern.match(word)
    for other in ["van", "vancom", "zosy", "axb", "k", ""]:
        assert not pattern.match(other)


def test_keyword_finder_reports_each_keyword_by_its_shortest_form() -> None:
    finder = KeywordFinder(["kill me", "kill", "die", "wake up"])
    assert finder.reduce(["kill me", "wake up"]) == {"kill", "wake up"}
    assert finder.present("they will kill me if i die") == {"kill", "die"}
    assert finder.present("nothing here") == frozenset()
