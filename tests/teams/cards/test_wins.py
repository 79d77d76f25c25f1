"""The "Log a win" dialog, the confirmation of a logged win, and the list of wins."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.store.models import Win
from bot.teams import cards, verbs
from bot.wins.categories import categories
from tests.helpers.cards import (
    HOSTILE,
    actions,
    assert_hostile_escaped,
    assert_valid_card,
    body_text,
    by_verb,
    inputs,
    size,
    texts,
)

TODAY = dt.date(2026, 11, 25)
CATEGORIES = [(category.id, category.label) for category in categories()]


def win(**changes: Any) -> Win:
    fields: dict[str, Any] = {
        "id": 12,
        "what": "Trained 2 new techs on the IV hood",
        "why": "We were short for the evening shift",
        "result": "Both cover the hood alone now",
        "numbers": {"people_trained": 2},
        "category": "trained_mentored",
        "leadership": "little",
        "occurred_on": dt.date(2026, 11, 20),
        "source": "form",
        "shared": False,
    }
    fields.update(changes)
    return Win(**fields)


def dialog(**options: Any) -> dict[str, Any]:
    return cards.win_dialog_card(categories=CATEGORIES, today=TODAY, source="nudge", **options)


def test_win_dialog_has_every_field_with_its_defaults() -> None:
    card = dialog()

    assert_valid_card(card)
    fields = inputs(card)
    assert list(fields) == [
        verbs.IN_WHAT,
        verbs.IN_WHY,
        verbs.IN_RESULT,
        verbs.IN_NUMBERS,
        verbs.IN_CATEGORY,
        verbs.IN_OCCURRED_ON,
        verbs.IN_LEADERSHIP,
        verbs.IN_SHARE,
    ]
    what = fields["what"]
    assert what["isRequired"] and what["isMultiline"] and what["label"] == "What did you do?"
    assert fields["numbers"]["label"] == "Numbers"
    assert "numbers make a win count" in body_text(card)
    assert fields["leadership"]["value"] == "little"
    assert fields["category"]["choices"][0] == {"title": "Let Step Up pick", "value": ""}
    assert [c["value"] for c in fields["category"]["choices"][1:]] == [c for c, _ in CATEGORIES]
    assert fields["category"]["value"] == ""
    assert fields["occurred_on"]["value"] == fields["occurred_on"]["max"] == "2026-11-25"
    assert fields["share"]["type"] == "Input.Toggle" and fields["share"]["value"] == "false"
    assert "Your name and what you did; nothing else." in body_text(card)
    [save] = actions(card)
    assert save["type"] == "Action.Submit" and save["title"] == "Log win"
    assert save["data"] == {"verb": verbs.WIN_SAVE, verbs.SOURCE: "nudge"}


def test_win_dialog_refills_after_an_error_and_shows_it_on_top() -> None:
    values = {
        "what": "Covered the IV room",
        "why": "",
        "result": "No delays",
        "category": "covered_shortage",
        "occurred_on": "2026-11-02",
        "share": "true",
    }

    card = dialog(values=values, error=f"That date is in the future. {HOSTILE}")

    assert_valid_card(card)
    fields = inputs(card)
    assert fields["what"]["value"] == "Covered the IV room"
    assert "value" not in fields["why"]
    assert fields["result"]["value"] == "No delays"
    assert fields["category"]["value"] == "covered_shortage"
    assert fields["occurred_on"]["value"] == "2026-11-02"
    assert fields["share"]["value"] == "true"
    assert card["body"][0]["color"] == "Attention"
    assert_hostile_escaped(card)


def test_win_dialog_ignores_refill_values_it_cannot_show() -> None:
    card = dialog(values={"category": "no_such_thing", "occurred_on": "2099-01-01", "what": "x"})

    fields = inputs(card)
    assert "value" not in fields["category"]
    assert fields["occurred_on"]["value"] == "2026-11-25"
    bad_date = inputs(dialog(values={"occurred_on": "yesterday"}))
    assert bad_date["occurred_on"]["value"] == "2026-11-25"


def test_win_logged_card_says_what_was_understood() -> None:
    card = cards.win_logged_card(win(leadership="big", shared=True), followup=None)

    assert_valid_card(card)
    shown = texts(card)
    assert "Logged win #12" in shown[0]
    assert shown[1] == "Trained 2 new techs on the IV hood"
    facts = dict(line.split(" ", 1) for line in shown[2:])
    assert facts["Why"] == "We were short for the evening shift"
    assert facts["Result"] == "Both cover the hood alone now"
    assert facts["Category"] == "Trained or mentored"
    assert facts["When"] == "Fri, Nov 20, 2026"
    assert facts["Leadership"] == "Big-L"
    assert facts["Numbers"] == "2 people trained"
    assert "Team roundup shared with your team" in shown
    edit, delete = actions(card)
    assert edit["type"] == "Action.Submit" and edit["data"]["msteams"] == {"type": "task/fetch"}
    assert (edit["data"]["verb"], edit["data"][verbs.WIN_ID]) == (verbs.WIN_EDIT, "12")
    assert (delete["verb"], delete["data"]) == (verbs.WIN_DELETE, {verbs.WIN_ID: "12"})


def test_win_logged_card_asks_the_followup_once() -> None:
    bare = win(why=None, result=None, numbers={})

    card = cards.win_logged_card(bare, followup="How many? What changed because of it?")

    shown = texts(card)
    assert shown.count("How many? What changed because of it?") == 1
    assert "Numbers none yet" in shown
    assert not [line for line in shown if line.startswith(("Why", "Result"))]


def test_win_logged_card_takes_a_view_too_and_escapes_everything() -> None:
    view = cards.LoggedWinView(
        win_id=3,
        what=HOSTILE,
        category_label=HOSTILE,
        occurred_on=TODAY,
        why=HOSTILE,
        result=HOSTILE,
        figures=(HOSTILE,),
    )

    card = cards.win_logged_card(view, followup=HOSTILE)

    assert_valid_card(card)
    assert_hostile_escaped(card, expected=6)


def test_logged_win_view_from_a_stored_win() -> None:
    view = cards.LoggedWinView.from_win(win(numbers={"hours": 4, "people_trained": 1}))

    assert view.win_id == 12
    assert view.category_label == "Trained or mentored"
    assert list(view.figures) == ["4 hours", "1 person trained"]


def test_a_huge_win_is_cut_to_fit() -> None:
    huge = "word " * 4000

    card = cards.win_logged_card(win(what=huge, why=huge, result=huge), followup=huge)

    assert_valid_card(card)
    assert size(card) < 8000


def test_wins_card_lists_wins_one_line_each() -> None:
    card = cards.wins_card([win(), win(id=13, what=HOSTILE)], period_label="the last 90 days")

    assert_valid_card(card)
    shown = texts(card)
    assert shown[0] == "Your wins: the last 90 days"
    assert "2 wins logged" in shown
    assert any(
        line.startswith("• #12") and "Trained 2 new techs" in line and "2 people trained" in line
        for line in shown
    )
    assert_hostile_escaped(card)
    assert by_verb(card, verbs.WIN_OPEN)


def test_wins_card_caps_a_long_list_and_says_how_many_more() -> None:
    many = [win(id=n, what="x" * 500) for n in range(120)]

    card = cards.wins_card(many, period_label="all time")

    assert_valid_card(card)
    assert len([line for line in texts(card) if line.startswith("• #")]) == 50
    assert "…and 70 more." in body_text(card)
    assert size(card) <= cards.MAX_CARD_BYTES


def test_wins_card_for_no_wins_explains_how_to_start() -> None:
    card = cards.wins_card([], period_label="the last 30 days")

    assert_valid_card(card)
    assert "No wins logged for the last 30 days yet." in body_text(card)
    assert [a["data"]["verb"] for a in actions(card)] == [verbs.WIN_OPEN]


def test_the_edit_dialog_saves_changes_to_the_win_it_names() -> None:
    card = cards.win_dialog_card(
        categories=[("trained_mentored", "Trained or mentored")],
        today=dt.date(2026, 11, 26),
        source="form",
        values={verbs.IN_WHAT: "Trained 2 new techs"},
        win_id=12,
    )
    [button] = actions(card)
    assert button["title"] == "Save changes"
    assert button["data"] == {"verb": verbs.WIN_UPDATE, verbs.WIN_ID: "12", verbs.SOURCE: "form"}
