"""The private offer a thanked person gets: keep a colleague's thanks as a win, or not."""

from __future__ import annotations

from typing import Final

from bot.teams import verbs
from bot.teams.cards.kit import Card, card, execute, note, text_block
from bot.teams.cards.text import escape, one_line
from bot.wording import wording

THANKS_SHOWN: Final = 1500


def thanks_offer_card(from_name: str, text: str, *, thanks_id: int) -> Card:
    """Return the offer to add a colleague's thanks to the person's wins.

    Args:
        from_name: The display name of the colleague who said thanks.
        text: What they were thanked for (redacted, as stored).
        thanks_id: The thanks offer, carried by both buttons.
    """
    who = one_line(from_name) or "A colleague"
    ids = {verbs.THANKS_ID: str(thanks_id)}
    body = [
        text_block(f"🙌 **{escape(who)}** thanked you for:", user=False),
        text_block(text, budget=THANKS_SHOWN),
        note(wording("thanks_private")),
    ]
    actions = [
        execute(wording("thanks_accept"), verbs.THANKS_ACCEPT, ids, style="positive"),
        execute(wording("thanks_decline"), verbs.THANKS_DECLINE, ids),
    ]
    return card(body, actions)
