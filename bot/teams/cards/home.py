"""The person's own page in the 1:1 chat (``home``): numbers, recent wins, saved drafts, goals.

What Slack shows on the App Home tab, as one card. Saved drafts have an **Open** button that
makes the draft current again (:data:`~bot.teams.verbs.DRAFT_OPEN`).
"""

from __future__ import annotations

from typing import Final

from bot.teams import verbs
from bot.teams.cards.kit import (
    Card,
    Element,
    action_set,
    bullet,
    card,
    execute,
    facts,
    heading,
    label,
    log_win,
    note,
    text_block,
)
from bot.teams.cards.text import format_date, plural
from bot.wins.home import HomeData
from bot.wording import wording

DRAFT_SHOWN: Final = 160
"""Characters of a saved draft's problem shown on its line."""


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= DRAFT_SHOWN else flat[: DRAFT_SHOWN - 1].rstrip() + "…"


def home_card(home: HomeData) -> Card:
    """Return the person's page: their numbers, recent wins, saved drafts and goals."""
    body: list[Element] = [
        heading(wording("home_title")),
        facts(
            [
                ("This month", plural(home.wins_this_month, "win", "wins")),
                ("This quarter", plural(home.wins_this_quarter, "win", "wins")),
                ("Streak", plural(home.streak_weeks, "week", "weeks") + " with a win"),
            ]
        ),
        label("Recent wins", separator=True),
    ]
    if home.recent_wins:
        body += [bullet(win.line or win.what) for win in home.recent_wins]
    else:
        body.append(note("No wins yet: what did you do, why, and what changed?"))
    body.append(label("Saved drafts", separator=True))
    if home.saved_drafts:
        for draft in home.saved_drafts:
            body.append(
                text_block(
                    f"#{draft.id} · {format_date(draft.created_on)}: {_snippet(draft.problem)}"
                    if draft.created_on is not None
                    else f"#{draft.id}: {_snippet(draft.problem)}",
                    spacing="Small",
                )
            )
            body.append(
                action_set(execute("Open", verbs.DRAFT_OPEN, {verbs.DRAFT_ID: str(draft.id)}))
            )
    else:
        body.append(note("None yet. Tell me about a rough shift and save the draft you like."))
    if home.goals:
        body.append(label("Goals", separator=True))
        for goal in home.goals:
            line = f"{goal.title}: {max(0, min(100, goal.progress))}%"
            if goal.target_date is not None:
                line += f" · target {format_date(goal.target_date)}"
            body.append(bullet(line))
    actions = [
        log_win("form"),
        execute("My impact", verbs.IMPACT_SHOW, {verbs.PERIOD: "90d"}),
        execute("Settings", verbs.SETTINGS_OPEN),
    ]
    return card(body, actions)
