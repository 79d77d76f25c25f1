"""The monthly digest: "your month in wins", with buttons to build the summary or log a win.

The content comes from :mod:`bot.nudges.digest` (its plain-text helpers write the sentences);
this module only lays it out. Win and goal texts are the person's own (redacted when stored)
and are escaped here.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Final

from bot.nudges.digest import (
    Digest,
    Highlight,
    goal_due_text,
    headline,
    highlight_text,
    plural,
    short_date,
)
from bot.teams import verbs
from bot.teams.cards.kit import (
    Card,
    Element,
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
from bot.teams.cards.text import cut, one_line

GOALS_SHOWN: Final = 5
TITLE_SHOWN: Final = 150
NAME_SHOWN: Final = 80
EMPTY_MONTH: Final = (
    "Busy months happen. One line about something that went well is enough: a catch, a hand "
    "you lent, something you taught. It all counts."
)
PRIVACY: Final = "Only you can see this. Type **settings** to change it or turn it off."


def _highlight(item: Highlight) -> str:
    line = highlight_text(item)
    if item.leadership == "big":
        line += " · Big-L"
    return f"{line} (win #{item.win_id})"


def _title(text: str) -> str:
    return cut(one_line(text), TITLE_SHOWN)


def _more(shown: int, total: int) -> list[Element]:
    return [note(f"…and {total - shown} more")] if total > shown else []


def _goals(digest: Digest) -> list[Element]:
    blocks: list[Element] = []
    if digest.goals_achieved:
        shown = digest.goals_achieved[:GOALS_SHOWN]
        blocks.append(label("Goals reached"))
        blocks += [
            bullet(f"🎉 {_title(goal.title)} ({short_date(goal.achieved_on)})") for goal in shown
        ]
        blocks += _more(len(shown), len(digest.goals_achieved))
    if digest.goals_due:
        due = digest.goals_due[:GOALS_SHOWN]
        count = plural(len(digest.goals_due), "goal", "goals")
        blocks.append(label(f"Coming due in the next 60 days ({count})"))
        blocks += [bullet(goal_due_text(replace(goal, title=_title(goal.title)))) for goal in due]
        blocks += _more(len(due), len(digest.goals_due))
    return blocks


def digest_card(digest: Digest) -> Card:
    """Return the monthly digest card.

    Counts against the previous month, up to three highlights, goals reached and coming due,
    and the buttons: "Build my impact summary" for the month (not for an empty month, with
    :data:`~bot.teams.verbs.PERIOD` = the month as ``YYYY-MM``) and "Log a win".
    """
    name = cut(one_line(digest.display_name or ""), NAME_SHOWN)
    greeting = f"Hi {name}! " if name else ""
    body: list[Element] = [
        heading(f"Your month in wins — {digest.month_name}"),
        text_block(greeting + headline(digest)),
    ]
    if digest.empty:
        body.append(text_block(EMPTY_MONTH, user=False))
    else:
        body.append(
            facts(
                [
                    (
                        "Wins",
                        f"{digest.wins} · {digest.previous_month_name}: {digest.previous_wins}",
                    ),
                    ("Leadership", f"{digest.little_l} little-l · {digest.big_l} Big-L"),
                ]
            )
        )
        if digest.by_category:
            body.append(label("By category"))
            body += [bullet(f"{item.label}: {item.count}") for item in digest.by_category]
        if digest.highlights:
            body.append(label("Highlights"))
            body += [bullet(_highlight(item)) for item in digest.highlights]
    body += _goals(digest)
    body.append(note(PRIVACY))
    actions = [log_win("form", style=None if not digest.empty else "positive")]
    if not digest.empty:
        summary = execute(
            "Build my impact summary",
            verbs.IMPACT_SHOW,
            {verbs.PERIOD: f"{digest.month:%Y-%m}"},
            style="positive",
        )
        actions.insert(0, summary)
    return card(body, actions)
