"""Messages about wins: "Logged: …", a colleague's thanks offer, and the weekly nudge."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from bot.slack import ids
from bot.slack.blocks.kit import (
    SlackMessage,
    actions,
    button,
    context,
    fallback,
    section,
)
from bot.slack.mrkdwn import escape, fit, one_line, truncate

WHAT_SHOWN: Final = 500
"""Characters of a win's "what" shown in the confirmation (the win keeps all of it)."""
THANKS_SHOWN: Final = 2000


@dataclass(frozen=True)
class LoggedWin:
    """What the confirmation of a logged win shows (the listener builds it from the stored win).

    Attributes:
        what: What the person did (redacted, as stored).
        category_label: The category's label ("Trained or mentored").
        occurred_on: The date of the win.
        figures: The numbers understood, in words ("2 people trained", "4 hours").
        leadership: ``little`` or ``big``.
    """

    what: str
    category_label: str
    occurred_on: dt.date
    figures: Sequence[str] = field(default_factory=tuple)
    leadership: str = "little"


def format_date(day: dt.date, *, today: dt.date | None = None) -> str:
    """Return a date as a person reads it: "Mon, Mar 3" (with the year when not this year)."""
    text = f"{day:%a}, {day:%b} {day.day}"
    if today is None or day.year != today.year:
        text += f", {day.year}"
    return text


def build_win_logged_message(
    win: LoggedWin, *, win_id: int, followup: str | None = None
) -> SlackMessage:
    """Return the (ephemeral) confirmation "Logged: …" with what was understood and an Edit button.

    Args:
        win: The stored win.
        win_id: Its id, carried by the Edit button.
        followup: The one follow-up question to ask ("How many? What changed because of it?").
    """
    what = truncate(one_line(win.what), WHAT_SHOWN)
    understood = [escape(win.category_label), format_date(win.occurred_on)]
    if win.leadership == "big":
        understood.append("Big-L leadership")
    if win.figures:
        understood.append("numbers: " + escape(", ".join(win.figures)))
    else:
        understood.append("no numbers yet")
    blocks = [
        section(
            f":white_check_mark: *Logged:* {fit(what, 2500)}",
            user=False,
            accessory=button("Edit", ids.WIN_EDIT, str(win_id)),
        ),
        context(" · ".join(understood), user=False),
    ]
    if followup and followup.strip():
        blocks.append(section(f"*{escape(one_line(followup))}*", user=False))
        blocks.append(context("Or tap *Edit* to add it.", user=False))
    figures = f" Numbers: {', '.join(win.figures)}." if win.figures else ""
    return SlackMessage(
        text=fallback(
            f"Logged: {what} — {win.category_label}, {format_date(win.occurred_on)}.{figures}",
            followup,
        ),
        blocks=blocks,
    )


def build_thanks_offer_message(from_name: str, text: str, *, thanks_id: int) -> SlackMessage:
    """Return the private DM asking the thanked person whether to keep the thanks as a win.

    Args:
        from_name: The display name of the colleague who said thanks.
        text: What they were thanked for (redacted, as stored).
        thanks_id: The thanks offer, carried by both buttons.
    """
    who = one_line(from_name) or "A colleague"
    thanks = truncate(text.strip(), THANKS_SHOWN)
    blocks = [
        section(
            f":raised_hands: *{escape(who)}* thanked you for:\n{fit(thanks, 2500)}",
            user=False,
        ),
        context(
            "Only you can see this. Add it to your wins and it counts as recognition received.",
            user=False,
        ),
        actions(
            button("Add to my wins", ids.THANKS_ACCEPT, str(thanks_id), style="primary"),
            button("No thanks", ids.THANKS_DECLINE, str(thanks_id)),
        ),
    ]
    return SlackMessage(
        text=fallback(f"{who} thanked you: {thanks} — add it to your wins?"),
        blocks=blocks,
    )


def build_nudge_message(question: str) -> SlackMessage:
    """Return the weekly nudge (team channel or DM): the question and a "Log a win" button."""
    blocks = [
        section(question or "What went well this week?"),
        actions(button("Log a win", ids.WIN_LOG, "nudge", style="primary")),
    ]
    return SlackMessage(text=fallback(question, "Log a win with /win."), blocks=blocks)
