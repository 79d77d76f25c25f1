"""The win form's one specification: every surface that logs a win shows exactly its fields."""

from __future__ import annotations

import argparse
import datetime as dt

import pytest

from bot.commands import wins as win_commands
from bot.slack import ids
from bot.slack.blocks import build_win_modal
from bot.teams import cards
from bot.wins import form
from bot.wins.categories import categories

TODAY = dt.date(2026, 11, 25)
CATEGORIES = [(category.id, category.label) for category in categories()]


def test_the_spec_lists_every_field_once_in_order_with_numbers_among_them() -> None:
    names = [field.name for field in form.win_fields()]
    assert names == list(form.FIELD_NAMES)
    assert form.NUMBERS in names
    assert all(field.label for field in form.win_fields())
    assert [field.name for field in form.win_fields() if field.required] == [form.WHAT, form.DATE]


def test_the_slack_modal_shows_exactly_the_spec_fields_with_their_labels() -> None:
    view = build_win_modal(initial=None, categories=CATEGORIES, today=TODAY)
    block_names = {block_id: name for name, block_id in ids.WIN_BLOCKS.items()}
    shown = [
        (block_names[block["block_id"]], block["label"]["text"])
        for block in view["blocks"]
        if block["type"] == "input"
    ]
    assert shown == [(field.name, field.label) for field in form.win_fields()]
    numbers = next(b for b in view["blocks"] if b.get("block_id") == ids.WIN_NUMBERS_BLOCK)
    assert numbers["element"]["max_length"] == form.win_field(form.NUMBERS).max_length
    assert numbers["hint"]["text"] == form.win_field(form.NUMBERS).hint


def test_the_teams_dialog_shows_exactly_the_spec_fields_with_their_labels() -> None:
    card = cards.win_dialog_card(categories=CATEGORIES, today=TODAY, source="form")
    shown = [
        (element["id"], element["label"])
        for element in card["body"]
        if str(element.get("type", "")).startswith("Input.")
    ]
    assert shown == [(cards.WIN_INPUTS[f.name], f.label) for f in form.win_fields()]
    numbers = next(e for e in card["body"] if e.get("id") == cards.WIN_INPUTS[form.NUMBERS])
    assert numbers["maxLength"] == form.win_field(form.NUMBERS).max_length


def test_the_cli_logs_a_win_with_the_spec_fields_and_their_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    parser = argparse.ArgumentParser(prog="stepup")
    win_commands.register(parser.add_subparsers())
    args = parser.parse_args(["win", "add", "Trained", "--numbers", "2 techs trained"])
    assert args.numbers == "2 techs trained"
    with pytest.raises(SystemExit):
        parser.parse_args(["win", "add", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    for name in (form.WHY, form.RESULT, form.NUMBERS, form.CATEGORY, form.DATE, form.LEADERSHIP):
        assert f"--{name}" in shown, name
    for name in (form.DATE, form.NUMBERS, form.SHARED):
        help_text = form.win_field(name).cli_help or ""
        assert " ".join(help_text.split()) in shown, name
    assert "trained_mentored" in shown


def test_a_form_without_what_or_with_a_future_date_is_refused_with_the_spec_words() -> None:
    errors = form.check_form({"what": None, "date": TODAY + dt.timedelta(days=1)}, today=TODAY)
    assert errors == {
        "what": "Tell me what you did, e.g. trained 2 new techs on the IV hood.",
        "date": "That date hasn't happened yet (today is 2026-11-25).",
    }
    assert form.check_form({"what": "Trained 2 techs", "date": TODAY}, today=TODAY) == {}


@pytest.mark.parametrize(
    ("result", "numbers", "expected"),
    [
        ("Both cover the hood", "2 techs trained", "Both cover the hood (2 techs trained)"),
        (None, "4 hours", "4 hours"),
        ("Both cover the hood", "  ", "Both cover the hood"),
        ("", None, None),
    ],
)
def test_the_numbers_join_the_result(
    result: str | None, numbers: str | None, expected: str | None
) -> None:
    assert form.result_with_numbers(result, numbers) == expected


def test_both_surfaces_show_the_same_share_and_privacy_wording() -> None:
    slack = str(build_win_modal(initial=None, categories=CATEGORIES, today=TODAY))
    teams = str(cards.win_dialog_card(categories=CATEGORIES, today=TODAY, source="form"))
    for text in (form.share_option(), form.share_description(), form.privacy_note()):
        assert text in slack and text in teams
