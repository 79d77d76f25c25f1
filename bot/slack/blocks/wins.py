"""Messages about wins: "Logged: …", a colleague's thanks offer, and the weekly nudge."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from bot.nudges.roundup import Roundup, render_roundup_text
from bot.slack import ids
from bot.slack.blocks.kit import (
    SlackMessage,
    actions,
    button,
    context,
    fallback,
    section,
)
from bot.slack.mrkdwn import channel_mention, escape, fit, one_line, truncate
from bot.wording import wording

WHAT_SHOWN: Final = 500
"""Characters of a win's "what" shown in the confirmation (the win keeps all of it)."""
THANKS_SHOWN: Final = 2000
SHARED_SHOWN: Final = 200
"""Characters of a shared win's "what" shown in a team roundup."""


@dataclass(frozen=True)
class LoggedWin:
    """What the confirmation of a logged win shows (the listener builds it from the stored win).

    Attributes:
        what: What the person did (redacted, as stored).
        category_label: The category's label ("Trained or mentored").
        occurred_on: The date of the win.
        figures: The numbers understood, in words ("2 people trained", "4 hours").
        leadership: ``little`` or ``big``.
        shared: The person chose to show it in the team's weekly roundup.
    """

    what: str
    category_label: str
    occurred_on: dt.date
    figures: Sequence[str] = field(default_factory=tuple)
    leadership: str = "little"
    shared: bool = False


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
    if win.shared:
        understood.append(":busts_in_silhouette: shared with your team")
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
    shared = " Shared with your team." if win.shared else ""
    return SlackMessage(
        text=fallback(
            f"Logged: {what} — {win.category_label}, "
            f"{format_date(win.occurred_on)}.{figures}{shared}",
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
            wording("thanks_private"),
            user=False,
        ),
        actions(
            button(wording("thanks_accept"), ids.THANKS_ACCEPT, str(thanks_id), style="primary"),
            button(wording("thanks_decline"), ids.THANKS_DECLINE, str(thanks_id)),
        ),
    ]
    return SlackMessage(
        text=fallback(f"{who} thanked you: {thanks} — add it to your wins?"),
        blocks=blocks,
    )


def build_nudge_message(question: str, roundup: Roundup | None = None) -> SlackMessage:
    """Return the weekly nudge: the question, a "Log a win" button, and (channels) the roundup.

    The roundup shows counts only; a shared win shows its owner's name as plain text (never a
    mention, so nobody is pinged) and what they did, escaped.
    """
    question = question or "What went well this week?"
    blocks = [
        section(question),
        actions(button("Log a win", ids.WIN_LOG, "nudge", style="primary")),
    ]
    summary = None
    if roundup is not None:
        summary = render_roundup_text(roundup).partition("\n")[0]
        blocks.append(context(summary))
        if roundup.shared:
            lines = [
                f"• *{escape(one_line(win.name or 'A teammate'))}*: "
                f"{escape(truncate(one_line(win.what), SHARED_SHOWN))}"
                for win in roundup.shared
            ]
            blocks.append(section("*Shared with the team*\n" + "\n".join(lines), user=False))
    return SlackMessage(text=fallback(question, summary, "Log a win with /win."), blocks=blocks)


DISABLED_REASONS: Final = {
    "is_archived": "the channel was archived",
    "not_in_channel": "I'm no longer a member of the channel",
    "channel_not_found": "the channel was deleted, or I can no longer see it",
}


def build_nudge_disabled_message(channel_id: str, code: str, schedule_id: int) -> SlackMessage:
    """Return the DM telling whoever set up a channel nudge that it was turned off, and the fix."""
    reason = DISABLED_REASONS.get(code, f"Slack refused the post ({code})")
    where = channel_mention(channel_id)
    text = (
        f"I turned off the weekly win nudge for {where}: {escape(reason)}. "
        f"To bring it back, invite me again (`/invite @Step Up` in the channel), "
        f"then run `/stepup nudges resume {schedule_id}`."
    )
    return SlackMessage(
        text=fallback(f"The weekly win nudge #{schedule_id} was turned off: {reason}."),
        blocks=[section(text, user=False)],
    )
