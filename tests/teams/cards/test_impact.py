"""The impact summary card: headline, cited entries, goals, other periods, and the size cap."""

from __future__ import annotations

import datetime as dt

from bot.impact.summary import GoalLine, Section
from bot.teams import cards, verbs
from tests.helpers.cards import (
    HOSTILE,
    actions,
    assert_hostile_escaped,
    assert_valid_card,
    body_text,
    by_verb,
    size,
    texts,
)
from tests.helpers.impact import entry, impact_summary


def test_impact_card_shows_headline_sections_goals_and_closing() -> None:
    card = cards.impact_card(impact_summary())

    assert_valid_card(card)
    shown = texts(card)
    assert shown[0] == "Your impact: Q4 2026"
    assert "Thu, Oct 1, 2026 – Thu, Dec 31, 2026" in shown
    assert "12 wins logged (+3 vs Q3 2026)" in shown
    assert "4 people trained (same as Q3 2026)" in shown
    assert "$1,200 dollars saved" in shown
    assert "Category 8 (13)" in shown  # the biggest section first
    assert shown.index("Category 8 (13)") < shown.index("Category 0 (5)")
    assert "Leadership without the title (little-l)" in shown
    assert "Initiatives I led (Big-L)" in shown and "Growth" in shown
    assert "• CPhT-Adv: 40% done" in shown
    assert "Over Q4 2026 I logged 12 wins." in shown


def test_every_entry_cites_its_win_and_date() -> None:
    card = cards.impact_card(impact_summary())

    lines = [line for line in texts(card) if line.startswith("• Win ")]
    assert lines
    for line in lines:
        assert "_(Sat, Oct 3, 2026 · win #" in line and line.endswith(")_")


def test_sections_say_how_many_more_they_have() -> None:
    summary = impact_summary(
        sections=[
            Section(
                category="trained_mentored",
                label="Trained or mentored",
                total=9,
                entries=[entry(n, f"Trained tech {n}") for n in range(5)],
                more=4,
            )
        ]
    )

    card = cards.impact_card(summary)

    shown = texts(card)
    assert len([line for line in shown if line.startswith("• Trained tech")]) == 5
    assert "…and 4 more in this period" in shown


def test_buttons_show_the_other_periods() -> None:
    card = cards.impact_card(impact_summary(period_key="90d", period_label="the last 90 days"))

    periods = [a["data"][verbs.PERIOD] for a in by_verb(card, verbs.IMPACT_SHOW)]
    assert periods == ["30d", "year"]
    assert {a["type"] for a in actions(card)} == {"Action.Execute", "Action.ShowCard"}


def test_download_offers_each_format_for_the_same_period() -> None:
    card = cards.impact_card(impact_summary(period_key="2026-10", period_label="October 2026"))

    [download] = [a for a in actions(card) if a["type"] == "Action.ShowCard"]
    assert download["title"] == "Download"
    exports = by_verb(download["card"], verbs.IMPACT_EXPORT)
    assert [(a["data"][verbs.PERIOD], a["data"][verbs.FORMAT]) for a in exports] == [
        ("2026-10", "pdf"),
        ("2026-10", "csv"),
        ("2026-10", "md"),
    ]


def test_an_empty_summary_offers_no_download() -> None:
    card = cards.impact_card(impact_summary(empty=True, sections=[], headline=[]))
    assert by_verb(card, verbs.IMPACT_EXPORT) == []


def test_impact_card_escapes_entries_goals_and_closing() -> None:
    summary = impact_summary(
        sections=[],
        leadership=[entry(1, HOSTILE)],
        big_leadership=[],
        growth=[],
        goals_in_progress=[
            GoalLine(goal_id=1, kind="x", title=HOSTILE, progress=1, target_date=None, text=HOSTILE)
        ],
        closing=HOSTILE,
    )

    card = cards.impact_card(summary)

    assert_valid_card(card)
    assert_hostile_escaped(card, expected=3)


def test_fifty_long_wins_fit_under_the_teams_limit_and_say_what_was_left_out() -> None:
    long = f"{HOSTILE} " + "trained the whole evening shift on the new ADC " * 10
    sections = [
        Section(
            category=f"cat{index}",
            label=f"Category {index}",
            total=10,
            entries=[entry(index * 10 + n, long) for n in range(5)],
            more=5,
        )
        for index in range(10)
    ]
    summary = impact_summary(
        sections=sections,
        leadership=[entry(900 + n, long) for n in range(5)],
        big_leadership=[entry(950 + n, long) for n in range(5)],
        growth=[entry(990 + n, long) for n in range(5)],
        closing=long * 10,
    )

    card = cards.impact_card(summary)

    assert_valid_card(card)
    assert size(card) <= cards.MAX_CARD_BYTES
    shown = texts(card)
    for title in ("Category 9 (10)", "Category 0 (10)", "Initiatives I led (Big-L)", "Growth"):
        assert title in shown  # every section keeps at least its first entry
    assert len([line for line in shown if "more in this period" in line]) == 13
    assert len([line for line in shown if line.startswith("• ")]) >= 13


def test_sections_beyond_the_budget_are_counted() -> None:
    sections = [
        Section(
            category=f"cat{index}",
            label=f"Category {index}",
            total=1,
            entries=[entry(index, "x " * 140)],
            more=0,
        )
        for index in range(60)
    ]

    card = cards.impact_card(impact_summary(sections=sections))

    assert_valid_card(card)
    assert size(card) <= cards.MAX_CARD_BYTES
    assert "…and 27 more sections that did not fit here." in body_text(card)


def test_an_empty_period_explains_how_to_start() -> None:
    summary = impact_summary(empty=True, empty_hint=None, period_label="the last 30 days")

    card = cards.impact_card(summary)

    assert_valid_card(card)
    assert "No wins logged for the last 30 days yet." in body_text(card)
    assert by_verb(card, verbs.WIN_OPEN)
    assert {a["data"][verbs.PERIOD] for a in by_verb(card, verbs.IMPACT_SHOW)} == {
        "30d",
        "90d",
        "year",
    }


def test_all_time_has_no_start_date() -> None:
    card = cards.impact_card(impact_summary(start=None, end=dt.date(2026, 11, 25)))

    assert "Up to Wed, Nov 25, 2026" in texts(card)
