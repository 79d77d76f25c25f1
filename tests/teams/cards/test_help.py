"""Help cards, the attachment wrapper, and what every card has in common."""

from __future__ import annotations

import ast
from pathlib import Path

from bot.teams import cards, verbs
from tests.helpers.cards import actions, assert_valid_card, body_text, by_verb, texts

PACKAGE = Path(cards.__file__).parent


def test_help_card_lists_the_typed_commands_and_three_buttons() -> None:
    card = cards.help_card()

    assert_valid_card(card)
    shown = body_text(card)
    for command in (
        "help",
        "settings",
        "win <\u200btext>",
        "wins [period]",
        "impact [period]",
        "new",
    ):
        assert f"**{command}**" in shown
    assert "problem / proposed fix / my role" in shown
    [log] = by_verb(card, verbs.WIN_OPEN)
    assert log["data"] == {
        "msteams": {"type": "task/fetch"},
        "verb": verbs.WIN_OPEN,
        "source": "form",
    }
    assert by_verb(card, verbs.IMPACT_SHOW)[0]["data"] == {verbs.PERIOD: "90d"}
    assert by_verb(card, verbs.SETTINGS_OPEN)[0]["type"] == "Action.Execute"
    assert [a["title"] for a in actions(card)] == ["Log a win", "My impact", "Settings"]


def test_channel_help_card_explains_the_weekly_nudge() -> None:
    card = cards.channel_help_card()

    assert_valid_card(card)
    shown = body_text(card)
    assert "**@Step Up nudges**" in shown
    assert "counts only" in shown
    [open_] = actions(card)
    assert open_["verb"] == verbs.CHANNEL_OPEN


def test_card_attachment_wraps_a_card() -> None:
    card = cards.note_card("hi")

    assert cards.card_attachment(card) == {
        "contentType": "application/vnd.microsoft.card.adaptive",
        "content": card,
    }
    assert texts(card) == ["hi"]
    assert card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"


def test_the_builders_never_import_the_teams_sdk_or_do_io() -> None:
    forbidden = ("microsoft_teams", "httpx", "sqlalchemy", "bot.store.database", "bot.app")
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = (
                    [node.module or ""]
                    if isinstance(node, ast.ImportFrom)
                    else [alias.name for alias in node.names]
                )
                for name in names:
                    assert not name.startswith(forbidden), f"{path.name} imports {name}"


def test_every_action_verb_comes_from_the_contract() -> None:
    contract = {value for name, value in vars(verbs).items() if name.isupper()}
    built = [
        cards.help_card(),
        cards.channel_help_card(),
        cards.nudge_card("q?", None),
        cards.channel_nudge_card(None, default_timezone="UTC"),
    ]
    for card in built:
        for action in actions(card):
            verb = action.get("verb") or action["data"]["verb"]
            assert verb in contract
