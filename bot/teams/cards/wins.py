"""Wins: the "Log a win" dialog, the confirmation of a logged win, and a list of wins.

The dialog opens from a ``task/fetch`` button (:func:`bot.teams.cards.kit.log_win`); its own
button is an ``Action.Submit`` that arrives as ``task/submit`` with the inputs and
:data:`~bot.teams.verbs.SOURCE`. After a validation error the handler answers with the same
dialog, refilled from what was submitted (``values``) and the error on top.

The confirmation takes a stored :class:`~bot.store.models.Win` (what the wins service returns)
or a :class:`LoggedWinView`: Slack's ``LoggedWin`` has no why or result and lives in the Slack
package, so this module has its own small view, built from a ``Win`` by
:meth:`LoggedWinView.from_win`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from bot.store.models import Win
from bot.teams import verbs
from bot.teams.cards.kit import (
    Card,
    Element,
    bullet,
    card,
    choice_set,
    date_input,
    execute,
    facts,
    heading,
    log_win,
    note,
    submit,
    text_block,
    text_input,
    toggle,
)
from bot.teams.cards.kit import error as error_text
from bot.teams.cards.text import format_date, plural
from bot.wins.categories import label as category_label
from bot.wins.parsing import kind_label
from bot.wins.text import win_line

WIN_TEXT_MAX: Final = 3000
"""Characters a person may type in "what", "why" and "result"."""
WHAT_SHOWN: Final = 1500
PART_SHOWN: Final = 800
MAX_LISTED: Final = 50
PICK_FOR_ME: Final = ("Let Step Up pick", "")
SHARE_TITLE: Final = "Share in the team's weekly roundup"
SHARE_HINT: Final = "Only your name and what you did are shown, nothing else."
PRIVACY: Final = (
    "Only you can see your wins unless you share one in the team roundup. I remove patient "
    "identifiers before saving."
)


@dataclass(frozen=True)
class LoggedWinView:
    """What the confirmation of a logged win shows.

    Attributes:
        win_id: The win's number.
        what: What the person did (redacted, as stored).
        category_label: The category's label ("Trained or mentored").
        occurred_on: The date of the win.
        why: Why it mattered, if they said.
        result: What changed because of it, if they said.
        figures: The numbers understood, in words ("2 people trained", "4 hours").
        leadership: ``little`` or ``big``.
        shared: The person chose to show it in the team's weekly roundup.
    """

    win_id: int
    what: str
    category_label: str
    occurred_on: dt.date
    why: str | None = None
    result: str | None = None
    figures: Sequence[str] = field(default_factory=tuple)
    leadership: str = "little"
    shared: bool = False

    @classmethod
    def from_win(cls, win: Win) -> LoggedWinView:
        """Return the view of a stored win."""
        return cls(
            win_id=win.id,
            what=win.what,
            category_label=category_label(win.category),
            occurred_on=win.occurred_on,
            why=win.why,
            result=win.result,
            figures=tuple(
                f"{value} {kind_label(kind, value)}" for kind, value in (win.numbers or {}).items()
            ),
            leadership=win.leadership,
            shared=bool(win.shared),
        )


def win_logged_card(win: Win | LoggedWinView, *, followup: str | None = None) -> Card:
    """Return the confirmation "Logged: …" with what was understood, and the follow-up question.

    Args:
        win: The stored win (or its view).
        followup: The one follow-up question to ask ("How many? What changed because of it?").
    """
    view = win if isinstance(win, LoggedWinView) else LoggedWinView.from_win(win)
    details: list[tuple[str, str]] = []
    if view.why and view.why.strip():
        details.append(("Why", view.why))
    if view.result and view.result.strip():
        details.append(("Result", view.result))
    details += [
        ("Category", view.category_label),
        ("When", format_date(view.occurred_on)),
        ("Leadership", "Big-L" if view.leadership == "big" else "little-l"),
        ("Numbers", ", ".join(view.figures) if view.figures else "none yet"),
        ("Team roundup", "shared with your team" if view.shared else "only you"),
    ]
    body = [
        text_block(f"✅ **Logged win #{view.win_id}:**", user=False, color="Good"),
        text_block(view.what, budget=WHAT_SHOWN),
        facts(details, budget=PART_SHOWN),
    ]
    if followup and followup.strip():
        body.append(text_block(followup, weight="Bolder"))
        body.append(note("Answer with **Edit**: add the numbers to what changed."))
    ids = {verbs.WIN_ID: str(view.win_id)}
    edit = {"msteams": {"type": "task/fetch"}, "verb": verbs.WIN_EDIT, **ids}
    return card(
        body,
        [
            submit("Edit", edit, style=None),
            execute("Delete", verbs.WIN_DELETE, ids, style="destructive"),
        ],
    )


def wins_card(wins: Sequence[Win], *, period_label: str) -> Card:
    """Return a list of wins in the order given, one line each (or how to log the first one).

    Args:
        wins: The wins to list (the first :data:`MAX_LISTED` are shown).
        period_label: What the period is called ("the last 90 days").
    """
    label = " ".join(period_label.split()) or "this period"
    if not wins:
        body = [
            heading(f"Your wins: {label}"),
            text_block(
                f"No wins logged for {label} yet. Log your first one: what you did, why, and "
                "what changed, with a number if there is one."
            ),
        ]
        return card(body, [log_win("form")])
    shown = wins[:MAX_LISTED]
    body = [
        heading(f"Your wins: {label}"),
        note(f"{plural(len(wins), 'win', 'wins')} logged"),
        *(bullet(win_line(win)) for win in shown),
    ]
    if len(wins) > len(shown):
        body.append(note(f"…and {len(wins) - len(shown)} more. Name a shorter period to see them."))
    return card(body, [log_win("form")])


def _value(values: Mapping[str, str], key: str) -> str | None:
    value = values.get(key)
    return value if isinstance(value, str) and value.strip() else None


def _date(value: str | None, today: dt.date) -> str:
    try:
        day = dt.date.fromisoformat(value or "")
    except ValueError:
        return today.isoformat()
    return min(day, today).isoformat()


def win_dialog_card(
    *,
    categories: Sequence[tuple[str, str]],
    today: dt.date,
    source: str,
    values: Mapping[str, str] | None = None,
    error: str | None = None,
    win_id: int | None = None,
) -> Card:
    """Return the "Log a win" dialog (or, given ``win_id``, the dialog editing that win).

    Args:
        categories: ``(id, label)`` of every category, in display order.
        today: Today where the person is: the date's default and latest allowed value.
        source: Where the dialog was opened from (``nudge`` or ``form``), sent back as
            :data:`~bot.teams.verbs.SOURCE`.
        values: What was submitted, by input id, to refill the form after an error.
        error: What to fix, shown at the top in the attention colour.
        win_id: The win being edited: the button saves changes to it
            (:data:`~bot.teams.verbs.WIN_UPDATE`) instead of logging a new one.
    """
    values = values or {}
    body: list[Element] = []
    if error and error.strip():
        body.append(error_text(error))
    body += [
        text_input(
            verbs.IN_WHAT,
            "What did you do?",
            value=_value(values, verbs.IN_WHAT),
            multiline=True,
            max_length=WIN_TEXT_MAX,
            placeholder="e.g. Trained 2 new techs on the IV hood",
            required=True,
            error_message="Tell me what you did.",
        ),
        text_input(
            verbs.IN_WHY,
            "Why did it matter?",
            value=_value(values, verbs.IN_WHY),
            multiline=True,
            max_length=WIN_TEXT_MAX,
            placeholder="e.g. We were short two techs for the evening shift",
        ),
        text_input(
            verbs.IN_RESULT,
            "What changed because of it? Add numbers if you have them",
            value=_value(values, verbs.IN_RESULT),
            multiline=True,
            max_length=WIN_TEXT_MAX,
            placeholder="e.g. Both cover the hood on their own now: 4 hours of overtime saved",
        ),
        note("How many people, how much time or money: numbers make a win count."),
        choice_set(
            verbs.IN_CATEGORY,
            "Category",
            [PICK_FOR_ME, *((name, category_id) for category_id, name in categories)],
            value=_value(values, verbs.IN_CATEGORY) or "",
        ),
        date_input(
            verbs.IN_OCCURRED_ON,
            "When did it happen?",
            value=_date(_value(values, verbs.IN_OCCURRED_ON), today),
            maximum=today.isoformat(),
            required=True,
        ),
        toggle(
            verbs.IN_SHARE,
            SHARE_TITLE,
            on=values.get(verbs.IN_SHARE) == "true",
            label="Team roundup",
        ),
        note(SHARE_HINT),
        note(PRIVACY),
    ]
    if win_id is not None:
        update = {"verb": verbs.WIN_UPDATE, verbs.WIN_ID: str(win_id), verbs.SOURCE: source}
        return card(body, [submit("Save changes", update)])
    data = {"verb": verbs.WIN_SAVE, verbs.SOURCE: source}
    return card(body, [submit("Log win", data)])
