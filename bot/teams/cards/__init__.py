"""Pure Adaptive Card builders for every card Step Up shows in Microsoft Teams.

Builders take plain data and return JSON-ready dicts (Adaptive Card schema 1.5): no I/O, no
Teams SDK, no database. Every piece of user or model text is escaped
(:func:`bot.teams.cards.text.escape`) and cut, and every card stays under the size Teams accepts.
Buttons follow the contract in :mod:`bot.teams.verbs`.
"""

from bot.teams.cards.channel import channel_nudge_card, nudge_disabled_card
from bot.teams.cards.digest import digest_card
from bot.teams.cards.drafts import (
    DRAFT_ID,
    IN_MY_ROLE,
    IN_PROBLEM,
    IN_PROPOSED_FIX,
    manager_card,
    note_card,
    reply_card,
    saved_card,
)
from bot.teams.cards.help import channel_help_card, help_card
from bot.teams.cards.home import home_card
from bot.teams.cards.impact import impact_card
from bot.teams.cards.kit import MAX_CARD_BYTES, Card, card_attachment, card_size
from bot.teams.cards.nudges import nudge_card
from bot.teams.cards.settings import settings_card
from bot.teams.cards.text import escape
from bot.teams.cards.thanks import thanks_offer_card
from bot.teams.cards.wins import (
    WIN_INPUTS,
    LoggedWinView,
    win_dialog_card,
    win_logged_card,
    wins_card,
)

__all__ = [
    "DRAFT_ID",
    "IN_MY_ROLE",
    "IN_PROBLEM",
    "IN_PROPOSED_FIX",
    "MAX_CARD_BYTES",
    "WIN_INPUTS",
    "Card",
    "LoggedWinView",
    "card_attachment",
    "card_size",
    "channel_help_card",
    "channel_nudge_card",
    "digest_card",
    "escape",
    "help_card",
    "home_card",
    "impact_card",
    "manager_card",
    "note_card",
    "nudge_card",
    "nudge_disabled_card",
    "reply_card",
    "saved_card",
    "settings_card",
    "thanks_offer_card",
    "win_dialog_card",
    "win_logged_card",
    "wins_card",
]
