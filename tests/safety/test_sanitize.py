"""The sanitizer: empty input, the length cap, invisible and control characters, language."""

from __future__ import annotations

import json
import unicodedata

import pytest

from bot.safety.sanitize import MAX_CHARS, Sanitized, clean, looks_non_english, sanitize
from tests.paths import DATASETS

DATASET = DATASETS / "coaching-dev.jsonl"


@pytest.mark.parametrize(
    "text",
    ["", " ", "\n\n\t  \r\n", "\u200b\u200b", "\ufeff \u2060", "\x00\x07\x1b", "\u202e\u2066"],
)
def test_empty_whitespace_or_invisible_only_is_empty(text: str) -> None:
    assert sanitize(text) == Sanitized(text="", truncated=False, empty=True, non_english=False)


def test_plain_text_passes_through_unchanged() -> None:
    text = "The Pyxis on 4 West was out of heparin flushes AGAIN and nursing blamed us."
    assert sanitize(text) == Sanitized(text=text, truncated=False, empty=False, non_english=False)


def test_over_the_limit_is_cut_at_a_word_boundary_without_error() -> None:
    words = [f"word{i}" for i in range(2000)]
    result = sanitize(" ".join(words))
    assert result.truncated is True
    assert result.empty is False
    assert len(result.text) <= MAX_CHARS
    assert len(result.text) > MAX_CHARS - 20
    assert result.text.split(" ")[-1] in words  # the last word is whole
    assert not result.text.endswith(" ")


def test_exactly_at_the_limit_is_not_truncated() -> None:
    text = ("abcd " * (MAX_CHARS // 5))[: MAX_CHARS - 1] + "z"
    assert len(text) == MAX_CHARS
    result = sanitize(text)
    assert result.truncated is False
    assert result.text == text


def test_one_enormous_word_is_cut_hard_at_the_limit() -> None:
    result = sanitize("a" * 10_000)
    assert result.truncated is True
    assert result.text == "a" * MAX_CHARS


def test_a_hard_cut_does_not_separate_a_letter_from_its_accent() -> None:
    # "e" + combining acute cannot compose with this base, so NFC keeps two code points.
    text = "x" * (MAX_CHARS - 1) + "q\u0301" + "y" * 10
    result = sanitize(text)
    assert result.truncated is True
    assert not unicodedata.combining(result.text[-1])
    assert result.text == "x" * (MAX_CHARS - 1)


def test_the_limit_counts_cleaned_text_not_raw_whitespace() -> None:
    text = "short vent" + " " * 10_000 + "end"
    result = sanitize(text)
    assert result.truncated is False
    assert result.text == "short vent end"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ki\u200bll the \u200cqueue", "kill the queue"),  # zero-width space / non-joiner
        ("heparin\u200d flush", "heparin flush"),  # a zero-width joiner between letters
        ("\u202eesrun eht\u202c ok", "esrun eht ok"),  # bidi override and pop
        ("\u2066isolated\u2069 text", "isolated text"),  # bidi isolates
        ("\ufeffstarts with a BOM", "starts with a BOM"),
        ("word\u2060joiner", "wordjoiner"),
        ("soft\u00adhyphen", "softhyphen"),
        ("tag\U000e0041\U000e0042 smuggling", "tag smuggling"),  # Unicode tag characters
        ("bell\x07 and null\x00", "bell and null"),  # C0 controls
        ("c1\x9b control", "c1 control"),  # a C1 control
    ],
)
def test_control_and_invisible_characters_are_removed(raw: str, expected: str) -> None:
    assert sanitize(raw).text == expected


def test_emoji_sequences_keep_their_joiner() -> None:
    health_worker = "\U0001f469\u200d\u2695\ufe0f"
    assert sanitize(f"proud {health_worker} today").text == f"proud {health_worker} today"


def test_text_is_nfc_normalized() -> None:
    assert sanitize("cafe\u0301 run").text == "caf\u00e9 run"


def test_whitespace_collapses_but_paragraphs_survive() -> None:
    raw = "  First   line\t\twith  tabs  \r\nsecond line\n\n\n\n\nnew   paragraph \u00a0here  "
    assert clean(raw) == "First line with tabs\nsecond line\n\nnew paragraph here"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("one\rtwo", "one\ntwo"),
        ("one\u2028two", "one\ntwo"),
        ("one\u2029two", "one\n\ntwo"),
        ("one\x0btwo\x0cthree", "one\ntwo\nthree"),
        ("one\x85two", "one\ntwo"),
    ],
)
def test_other_line_breaks_become_newlines(raw: str, expected: str) -> None:
    assert clean(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "No hay suficiente personal y estoy cansada",
        "Estoy muy cansada, no tenemos suficiente personal en la farmacia",
        "Je suis fatiguée, nous avons trop de travail et pas assez de techniciens",
        "Ich bin so müde und wir haben nicht genug Personal",
        "Pagod na pagod na ako, walang tulong sa pharmacy",
        "Tôi rất mệt vì thiếu người làm việc",
        "我们药房人手不够，我很累",
        "Мы очень устали, не хватает персонала",
        "Eu estou muito cansada, não temos pessoal suficiente",
    ],
)
def test_non_english_text_is_flagged(text: str) -> None:
    result = sanitize(text)
    assert result.non_english is True
    assert result.text == text


@pytest.mark.parametrize(
    "text",
    [
        "Vanc 1.25 g q12h, Zosyn 4.5 g q6h, heparin 5000 units SQ, Pyxis 4W empty again",
        "Hydroxyzine and hydralazine are right next to each other on the shelf",
        "The patient said no hay problema and walked out, and my manager just watched.",
        "metoprolol tartrate vs succinate mixup, caught at verification",
        "rough shift",
        "ugh",
        "CSPT, TPV, 340B ACE, CPhT-Adv",
        "Café con leche for the night crew, then back to the IV room",
        "Can someone explain why the PRN Dilaudid 0.5 mg IV q3h keeps stocking out?",
    ],
)
def test_pharmacy_english_is_not_flagged(text: str) -> None:
    assert sanitize(text).non_english is False


def test_no_dev_vent_is_flagged_non_english() -> None:
    lines = DATASET.read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines if line.strip()]
    assert items
    assert [item["id"] for item in items if looks_non_english(item["text"])] == []


def test_dev_vents_survive_sanitizing_unchanged() -> None:
    lines = DATASET.read_text(encoding="utf-8").splitlines()
    for item in (json.loads(line) for line in lines if line.strip()):
        assert sanitize(item["text"]).text == item["text"], item["id"]


def test_sanitize_never_raises_on_odd_input() -> None:
    odd = "".join(chr(code) for code in range(0, 0x3000, 7)) + "\udcff" + "\U0010ffff"
    result = sanitize(odd * 3)
    assert len(result.text) <= MAX_CHARS
    assert "\x00" not in result.text
    assert "\u200b" not in result.text


def test_a_lone_surrogate_is_dropped_and_a_split_pair_joined() -> None:
    from bot.safety.sanitize import strip_unsafe

    assert sanitize("ok \ud83d then").text == "ok then"
    assert sanitize("ok \ud83d\ude00").text == "ok \U0001f600"
    assert strip_unsafe("a\x00b\u202ec\u200bd \udc00 e") == "abcd  e"
