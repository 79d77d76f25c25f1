"""The shared word lists: every list loads, is clean, is used, and each word lives in one place."""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

import pytest

from bot.prompts import load_yaml
from bot.safety import scope
from bot.safety.redaction import Redactor
from bot.vocabulary.words import LIST_NAMES, ListName, VocabularyError, entries, load

BOT = Path(__file__).resolve().parents[2] / "bot"
LISTS = files("bot.vocabulary").joinpath("lists")


@pytest.mark.parametrize("name", LIST_NAMES)
def test_every_list_loads_clean_and_says_what_it_is_for(name: ListName) -> None:
    text = LISTS.joinpath(f"{name}.txt").read_text(encoding="utf-8")
    words = load(name)
    assert words
    assert all(word == word.strip() and word for word in words)
    assert len(entries(text, source=name)) == len(words)  # no duplicates
    header = text.split("\n\n", 1)[0]
    assert header.startswith("# ") and len(header) > 40


def test_every_shipped_file_is_a_known_list() -> None:
    shipped = {p.name.removesuffix(".txt") for p in LISTS.iterdir() if p.name.endswith(".txt")}
    assert shipped == set(LIST_NAMES)


@pytest.mark.parametrize("name", LIST_NAMES)
def test_every_list_is_used(name: ListName) -> None:
    callers = [
        path
        for path in BOT.rglob("*.py")
        if re.search(rf"""\bload\(["']{name}["']\)""", path.read_text(encoding="utf-8"))
    ]
    assert callers, f"{name}.txt is loaded nowhere"


def test_lists_in_lower_case_are_lower_case() -> None:
    for name in LIST_NAMES:
        if name in ("acronyms", "us_states"):
            assert all(word == word.upper() for word in load(name)), name
        else:
            assert all(word == word.lower() for word in load(name)), name


def test_drug_names_live_only_in_the_shared_list() -> None:
    # specifics.yaml used to carry its own copy; the coach now reads drugs.txt.
    assert "drugs" not in load_yaml("specifics.yaml")


def test_one_drug_list_serves_redaction_scope_and_specifics() -> None:
    from bot.coaching.playbook import load_playbook
    from bot.coaching.specifics import SpecificsFinder

    assert "zepbound" in load("drugs")
    finder = SpecificsFinder(load_playbook().vocabulary)
    assert finder.find("we were out of Zepbound pens again").drugs == ("Zepbound pens",)
    assert scope.is_clinical_question("can a patient on zepbound take it with food?")
    redacted = Redactor(use_presidio=False).redact("pt Zepbound was backordered")
    assert redacted.text == "pt Zepbound was backordered"


def test_a_duplicate_or_an_empty_list_is_refused() -> None:
    with pytest.raises(VocabularyError, match=r"drugs\.txt: line 3: 'heparin' repeats line 1"):
        entries("heparin\n# a comment\nheparin\n", source="drugs.txt")
    with pytest.raises(VocabularyError, match="no entries"):
        entries("# only a header\n\n", source="empty.txt")


def test_comments_and_blank_lines_are_skipped_and_entries_may_have_spaces() -> None:
    assert entries("# header\n\nvitamin k\n  heparin  \n", source="x.txt") == (
        "vitamin k",
        "heparin",
    )
