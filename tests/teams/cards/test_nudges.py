"""The weekly nudge and the monthly digest cards."""

from __future__ import annotations

import datetime as dt

from bot.nudges.digest import GoalDue
from bot.nudges.roundup import Roundup, SharedWin
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
from tests.helpers.digest import digest

ROUNDUP = Roundup(
    days=7,
    wins=12,
    people=5,
    categories=(("Trained or mentored", 4), ("Caught an error (patient safety)", 3)),
    shared=(SharedWin(name="Maria", what="Trained 2 new techs"), SharedWin(name=None, what="x")),
)


def test_nudge_card_asks_explains_and_opens_the_win_dialog() -> None:
    card = cards.nudge_card("What did you teach someone this week?", None)

    assert_valid_card(card)
    shown = texts(card)
    assert shown[0] == "What did you teach someone this week?"
    assert "what you did, why it mattered, and what changed" in shown[1]
    assert "numbers make a win count" in shown[1]
    [log] = actions(card)
    assert log == {
        "type": "Action.Submit",
        "title": "Log a win",
        "data": {"msteams": {"type": "task/fetch"}, "verb": verbs.WIN_OPEN, verbs.SOURCE: "nudge"},
        "style": "positive",
    }
    assert "Last 7 days" not in body_text(card)


def test_nudge_card_shows_the_roundup_counts_and_shared_wins() -> None:
    card = cards.nudge_card("What went well?", ROUNDUP)

    assert_valid_card(card)
    shown = texts(card)
    assert (
        "Last 7 days: 12 wins logged by 5 people (Trained or mentored 4, "
        "Caught an error (patient safety) 3)." in shown
    )
    assert "Shared with the team" in shown
    assert "• **Maria**: Trained 2 new techs" in shown
    assert "• **A teammate**: x" in shown


def test_an_empty_roundup_invites_the_first_win() -> None:
    card = cards.nudge_card("What went well?", Roundup(days=7, wins=0, people=0))

    assert "Be the first!" in body_text(card)


def test_nudge_card_escapes_names_and_wins_and_never_mentions() -> None:
    roundup = Roundup(days=7, wins=1, people=1, shared=(SharedWin(name=HOSTILE, what=HOSTILE),))

    card = cards.nudge_card(HOSTILE, roundup)

    assert_valid_card(card)
    assert_hostile_escaped(card, expected=2)
    assert "<at>" not in str(card)


def test_an_empty_question_falls_back_to_the_default() -> None:
    assert texts(cards.nudge_card("  ", None))[0] == "What went well this week?"


def test_digest_card_shows_counts_highlights_goals_and_the_month_button() -> None:
    card = cards.digest_card(digest())

    assert_valid_card(card)
    shown = body_text(card)
    assert "Your month in wins — October 2026" in shown
    assert "Hi Maria! You logged 5 wins in October (up from 3 in September)." in shown
    assert "Wins 5 · September: 3" in shown
    assert "Leadership 4 little-l · 1 Big-L" in shown
    assert "• Trained or mentored: 3" in shown
    assert "Oct 3 — trained 2 new techs on the IV hood → both cover the hood alone now" in shown
    assert "(win #12)" in shown and "Big-L (win #15)" in shown
    assert "🎉 TPV (Oct 8)" in shown
    assert "Pass the CPhT exam: 40% done, due Nov 20 (in 19 days)" in shown
    [build] = by_verb(card, verbs.IMPACT_SHOW)
    assert build["data"] == {verbs.PERIOD: "2026-10"}
    assert by_verb(card, verbs.WIN_OPEN)[0]["data"][verbs.SOURCE] == "form"


def test_an_empty_month_encourages_and_offers_only_log_a_win() -> None:
    card = cards.digest_card(
        digest(wins=0, by_category=(), highlights=(), little_l=0, big_l=0, goals_achieved=())
    )

    assert_valid_card(card)
    assert "Busy months happen." in body_text(card)
    assert not by_verb(card, verbs.IMPACT_SHOW)
    assert [a["data"]["verb"] for a in actions(card)] == [verbs.WIN_OPEN]


def test_digest_card_escapes_and_caps_many_long_goals() -> None:
    goals = tuple(
        GoalDue(
            goal_id=n,
            kind="CPhT",
            title=f"{HOSTILE} " * 20,
            target_date=dt.date(2026, 12, 1),
            progress=10,
            days_left=30,
        )
        for n in range(40)
    )

    card = cards.digest_card(digest(display_name=HOSTILE, goals_due=goals))

    assert_valid_card(card)
    assert_hostile_escaped(card, expected=6)
    assert "…and 35 more" in body_text(card)
    assert size(card) < 12_000
