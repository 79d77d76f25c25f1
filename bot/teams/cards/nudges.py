"""The weekly nudge to log wins, for a team channel or a person's 1:1 chat.

The roundup shows counts only; a shared win shows its owner's name as plain text (never a
mention, so nobody is pinged) and what they did, escaped.
"""

from __future__ import annotations

from typing import Final

from bot.nudges.roundup import Roundup, render_roundup_text
from bot.teams.cards.kit import Card, Element, bullet, card, label, log_win, note, text_block
from bot.teams.cards.text import fit, one_line

DEFAULT_QUESTION: Final = "What went well this week?"
HOW_TO_ANSWER: Final = (
    "One win is enough: what you did, why it mattered, and what changed. Add a number if there "
    "is one (how many people, how much time or money): numbers make a win count."
)
SHARED_SHOWN: Final = 200
"""JSON bytes of a shared win's "what" shown in a roundup (escaped)."""
NAME_SHOWN: Final = 80


def _shared_line(name: str | None, what: str) -> str:
    who = fit(one_line(name or ""), NAME_SHOWN) or "A teammate"
    return f"**{who}**: {fit(one_line(what), SHARED_SHOWN)}"


def roundup_blocks(roundup: Roundup) -> list[Element]:
    """Return the team roundup: the counts line, then the wins their owners shared."""
    summary = render_roundup_text(roundup).partition("\n")[0]
    blocks = [note(summary, user=True)]
    if roundup.shared:
        blocks.append(label("Shared with the team"))
        blocks += [bullet(_shared_line(win.name, win.what), user=False) for win in roundup.shared]
    return blocks


def nudge_card(question: str, roundup: Roundup | None = None) -> Card:
    """Return the weekly nudge: the question, how to answer, the roundup, and "Log a win".

    Args:
        question: The week's question.
        roundup: Last week's team activity (channels with a big enough team; None otherwise).
    """
    body = [
        text_block(question.strip() or DEFAULT_QUESTION, size="Medium", weight="Bolder"),
        text_block(HOW_TO_ANSWER, user=False),
    ]
    if roundup is not None:
        body += roundup_blocks(roundup)
    return card(body, [log_win("nudge")])
