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
from bot.wins import form
from bot.wins.categories import label as category_label
from bot.wins.parsing import kind_label
from bot.wins.text import win_line
from bot.wording import wording

WIN_TEXT_MAX: Final = 3000
"""The most characters a text input takes (the win form's own limits are lower or equal)."""
WHAT_SHOWN: Final = 1500
PART_SHOWN: Final = 800
MAX_LISTED: Final = 50
PICK_FOR_ME: Final = ("Let Step Up pick", "")


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
            text_block(wording("no_wins_yet", period=label)),
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


WIN_INPUTS: Final = {
    form.WHAT: verbs.IN_WHAT,
    form.WHY: verbs.IN_WHY,
    form.RESULT: verbs.IN_RESULT,
    form.NUMBERS: verbs.IN_NUMBERS,
    form.CATEGORY: verbs.IN_CATEGORY,
    form.DATE: verbs.IN_OCCURRED_ON,
    form.LEADERSHIP: verbs.IN_LEADERSHIP,
    form.SHARED: verbs.IN_SHARE,
}
"""The win form's field (:data:`bot.wins.form.FIELD_NAMES`) → the dialog's input id."""


def _win_inputs(
    *, categories: Sequence[tuple[str, str]], today: dt.date, values: Mapping[str, str]
) -> list[Element]:
    # Every field of the shared win form, in its order, with its wording and limits.
    inputs: list[Element] = []
    for spec in form.win_fields():
        input_id = WIN_INPUTS[spec.name]
        value = _value(values, input_id)
        if spec.name == form.CATEGORY:
            choices = [PICK_FOR_ME, *((name, category_id) for category_id, name in categories)]
            inputs.append(choice_set(input_id, spec.label, choices, value=value or ""))
        elif spec.name == form.DATE:
            inputs.append(
                date_input(
                    input_id,
                    spec.label,
                    value=_date(value, today),
                    maximum=today.isoformat(),
                    required=spec.required,
                )
            )
        elif spec.name == form.LEADERSHIP:
            choices = [(f"{c.title}: {c.description}", c.value) for c in form.leadership_choices()]
            chosen = value if value in {c.value for c in form.leadership_choices()} else None
            inputs.append(
                choice_set(
                    input_id,
                    spec.label,
                    choices,
                    value=chosen or choices[0][1],
                    style="expanded",
                )
            )
        elif spec.name == form.SHARED:
            on = values.get(input_id) == "true"
            inputs += [
                toggle(input_id, form.share_option(), on=on, label=spec.label),
                note(form.share_description()),
            ]
        else:
            inputs.append(
                text_input(
                    input_id,
                    spec.label,
                    value=value,
                    multiline=spec.name != form.NUMBERS,
                    max_length=spec.max_length or WIN_TEXT_MAX,
                    placeholder=spec.placeholder,
                    required=spec.required,
                    error_message=spec.missing,
                )
            )
            if spec.hint:
                inputs.append(note(spec.hint))
    inputs.append(note(form.privacy_note()))
    return inputs


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
    body += _win_inputs(categories=categories, today=today, values=values)
    if win_id is not None:
        update = {"verb": verbs.WIN_UPDATE, verbs.WIN_ID: str(win_id), verbs.SOURCE: source}
        return card(body, [submit("Save changes", update)])
    data = {"verb": verbs.WIN_SAVE, verbs.SOURCE: source}
    return card(body, [submit("Log win", data)])
