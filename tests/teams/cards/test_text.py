"""Escaping and cutting text for Adaptive Card TextBlocks."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bot.teams.cards.text import (
    ELLIPSIS,
    ZWSP,
    cut,
    escape,
    fit,
    format_date,
    format_time,
    json_cost,
    paragraphs,
)


def test_escape_breaks_links_so_no_client_can_follow_them() -> None:
    escaped = escape("[click here](http://evil.example) and [x] (y)")

    assert "](" not in escaped
    assert f"]{ZWSP}(http://evil.example)" in escaped
    assert "] (" not in escaped


def test_escape_keeps_emphasis_and_code_literal() -> None:
    assert escape("**bold** _it_ ~~gone~~ `code`") == (r"\*\*bold\*\* \_it\_ \~\~gone\~\~ \`code\`")
    assert escape("a \\ b") == r"a \\ b"


def test_escape_neutralizes_mentions_tags_and_autolinks() -> None:
    escaped = escape("<at>Boss</at> <https://evil.example> <b>x</b>")

    assert "<at>" not in escaped
    assert "<https" not in escaped
    assert "<b>" not in escaped
    assert escaped.replace(ZWSP, "") == "<at>Boss</at> <https://evil.example> <b>x</b>"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("- item", r"\- item"),
        ("  + item", r"  \+ item"),
        ("> quote", r"\> quote"),
        ("# heading", r"\# heading"),
        ("12. numbered", r"12\. numbered"),
        ("3) numbered", r"3\) numbered"),
        ("plain - dash", "plain - dash"),
    ],
)
def test_escape_stops_lists_quotes_and_headings_at_line_start(line: str, expected: str) -> None:
    assert escape(line) == expected
    assert escape(f"first\n{line}") == f"first\n{expected}"


def test_escape_leaves_ordinary_text_and_bare_urls_alone() -> None:
    text = "Restocked 4 West's ADC (heparin) twice: see https://intranet.example/par, 100% done!"

    assert escape(text) == text


def test_cut_fits_the_budget_at_a_word_boundary() -> None:
    text = "one two three four five six seven eight nine ten " * 20

    shown = cut(text, 50)

    assert json_cost(shown) <= 50
    assert shown.endswith(ELLIPSIS)
    assert shown[:-1].split()[-1] in text.split()
    assert cut("short", 50) == "short"


def test_cut_counts_json_bytes_not_characters() -> None:
    shown = cut("é" * 100, 41)  # two bytes each in UTF-8

    assert json_cost(shown) <= 41
    assert len(shown) < 41
    assert json_cost('"' * 10) == 20
    assert cut('"' * 100, 21).count('"') <= 9


def test_cut_refuses_a_budget_with_no_room() -> None:
    with pytest.raises(ValueError, match="budget"):
        cut("anything", 3)


def test_fit_escapes_then_stays_within_budget_even_for_text_that_doubles() -> None:
    hostile = "*_`" * 5000

    shown = fit(hostile, 500)

    assert json_cost(shown) <= 500
    assert len(json.dumps(shown, ensure_ascii=False).encode()) - 2 <= 500
    assert shown.endswith(ELLIPSIS)
    head = shown.removesuffix(ELLIPSIS)
    assert (len(head) - len(head.rstrip("\\"))) % 2 == 0  # no escape cut in half


def test_fit_turns_lines_into_paragraphs() -> None:
    assert paragraphs(" one \n\n\n two  words \n") == "one\n\ntwo words"
    assert fit("- one\n- two", 100) == "\\- one\n\n\\- two"


def test_dates_and_times_read_naturally() -> None:
    today = dt.date(2026, 11, 25)

    assert format_date(dt.date(2026, 3, 3), today=today) == "Tue, Mar 3"
    assert format_date(dt.date(2025, 3, 3), today=today) == "Mon, Mar 3, 2025"
    assert format_time(dt.time(14, 0)) == "2:00 PM"
    assert format_time(dt.time(0, 5)) == "12:05 AM"
