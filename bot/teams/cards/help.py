"""What Step Up does, in the 1:1 chat and in a team channel, with the typed commands."""

from __future__ import annotations

from typing import Final

from bot.teams import verbs
from bot.teams.cards.kit import (
    Card,
    bullet,
    card,
    execute,
    heading,
    label,
    log_win,
    note,
    text_block,
)
from bot.teams.cards.text import escape
from bot.wording import wording

HOW_TO_START: Final = (
    "Tell me about a rough shift in your own words and I'll shape it into problem / proposed "
    "fix / my role. Or start with one of the buttons below."
)
COMMANDS: Final = (
    ("help", "this card"),
    ("home", "your numbers, recent wins, saved drafts (to open again) and goals"),
    ("settings", "your weekly reminder and monthly digest: on or off, day, time, time zone, pause"),
    ("win <text>", "log a win: what you did, why, and what changed, with a number if there is one"),
    ("wins [period]", "your wins (the last 90 days unless you name a period)"),
    ("impact [period]", "your impact summary, every line citing a win"),
    ("new", "put the current draft aside and start over"),
)
"""(command, what it does) for every word Step Up reads in the 1:1 chat."""
PERIODS: Final = "Periods: 30d, 90d, quarter, year, all, or a month such as 2026-10."
ON_A_DRAFT: Final = (
    "On a draft, you can also type **shorter**, **formal**, **numbers**, **save** or **manager**."
)
PRIVACY: Final = (
    "🔒 Only you can see this chat. Vents are never stored, and I remove patient identifiers "
    "before saving anything."
)
CHANNEL_INTRO: Final = (
    "In a team channel I post a weekly nudge to log wins, with a roundup of what the team "
    "logged last week: counts only, and a win with its owner's name only when they chose to "
    "share it."
)
CHANNEL_PRIVATE: Final = (
    "Rough shifts, drafts and impact summaries stay in your 1:1 chat with me: I never answer "
    "them in a channel."
)


def _command(command: str, what: str) -> str:
    return f"**{escape(command)}** — {escape(what)}"


def help_card() -> Card:
    """Return what Step Up does in the 1:1 chat, its typed commands and three buttons."""
    body = [
        heading("What I can do"),
        text_block(wording("greeting_intro"), user=False),
        text_block(HOW_TO_START, user=False),
        label("Things you can type", separator=True),
        *(bullet(_command(command, what), user=False) for command, what in COMMANDS),
        note(PERIODS),
        note(ON_A_DRAFT),
        note(PRIVACY),
    ]
    return card(
        body,
        [
            log_win("form"),
            execute("My impact", verbs.IMPACT_SHOW, {verbs.PERIOD: "90d"}),
            execute("Settings", verbs.SETTINGS_OPEN),
        ],
    )


def channel_help_card() -> Card:
    """Return what Step Up does in a team channel and how to set up the weekly nudge."""
    body = [
        heading("Step Up in this channel"),
        text_block(CHANNEL_INTRO, user=False),
        text_block(
            "To set it up, change it or pause it, type **@Step Up nudges** here, or use the "
            "button below.",
            user=False,
        ),
        text_block(
            "To thank a colleague, type **@Step Up thanks @name for …**: I offer it to them "
            "privately, and it becomes a win if they keep it.",
            user=False,
        ),
        note(CHANNEL_PRIVATE),
    ]
    return card(body, [execute("Set up the weekly nudge", verbs.CHANNEL_OPEN, style="positive")])
