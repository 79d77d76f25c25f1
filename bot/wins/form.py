"""The win form, specified once: its fields, labels, hints, limits and validation messages.

Slack's win modal, Teams' win dialog and the CLI's ``win add``/``win edit`` options are all
built from :data:`WIN_FIELDS` (wording in ``prompts/ui.yaml``, key ``win_form``), so every
surface that logs a win asks the same questions, numbers included. :func:`check_form` is the
validation they share before the wins service has its say.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

from bot.prompts import render_text
from bot.wording import ui_data

WHAT: Final = "what"
WHY: Final = "why"
RESULT: Final = "result"
NUMBERS: Final = "numbers"
CATEGORY: Final = "category"
DATE: Final = "date"
LEADERSHIP: Final = "leadership"
SHARED: Final = "shared"
FIELD_NAMES: Final = (WHAT, WHY, RESULT, NUMBERS, CATEGORY, DATE, LEADERSHIP, SHARED)
"""Every field of the win form, in the order each surface shows them."""


@dataclass(frozen=True)
class FormField:
    """One field of the win form.

    Attributes:
        name: The field's name (one of :data:`FIELD_NAMES`); errors are keyed by it.
        label: The question shown above the input.
        placeholder: Example text shown in an empty input.
        hint: Help shown under the input.
        max_length: Characters a person may type (None: not a text field).
        required: Whether the form refuses to go without it.
        missing: The message when a required field is left empty.
        cli_help: The CLI option's help text.
    """

    name: str
    label: str
    placeholder: str | None = None
    hint: str | None = None
    max_length: int | None = None
    required: bool = False
    missing: str | None = None
    cli_help: str | None = None


@dataclass(frozen=True)
class Choice:
    """An option of a choice field: its stored value, title and description."""

    value: str
    title: str
    description: str


def _form_data() -> dict[str, Any]:
    data = ui_data()["win_form"]
    assert isinstance(data, dict)
    return data


@cache
def win_fields() -> tuple[FormField, ...]:
    """Return the win form's fields, in order (from ``prompts/ui.yaml``)."""
    fields = tuple(FormField(**entry) for entry in _form_data()["fields"])
    if tuple(f.name for f in fields) != FIELD_NAMES:
        raise ValueError("prompts/ui.yaml win_form fields must be " + ", ".join(FIELD_NAMES))
    return fields


def win_field(name: str) -> FormField:
    """Return the field called ``name``."""
    return next(f for f in win_fields() if f.name == name)


@cache
def leadership_choices() -> tuple[Choice, ...]:
    """Return the leadership options (little-l first: the default)."""
    return tuple(Choice(**entry) for entry in _form_data()["leadership"])


def share_option() -> str:
    """Return the share box's text ("Share in the team's weekly roundup")."""
    return str(_form_data()["share_option"])


def share_description() -> str:
    """Return what sharing shows ("Your name and what you did; nothing else.")."""
    return str(_form_data()["share_description"])


def privacy_note() -> str:
    """Return the note under every win form: who sees a win, and the redaction."""
    return str(_form_data()["privacy"])


def future_date_message(today: dt.date) -> str:
    """Return the message for a date after ``today``."""
    return render_text(str(_form_data()["future_date"]), today=today.isoformat())


def result_with_numbers(result: str | None, numbers: str | None) -> str | None:
    """Return the result with the numbers field added (figures are read from the text).

    The numbers field is read like any other text, so "2 techs" becomes a figure.
    """
    result, numbers = (result or "").strip() or None, (numbers or "").strip() or None
    if not numbers:
        return result
    return f"{result} ({numbers})" if result else numbers


def check_form(values: Mapping[str, object], *, today: dt.date) -> dict[str, str]:
    """Return field name → message for what the form cannot send as it is (empty: fine).

    Args:
        values: The submitted values by field name (texts stripped; a date as ``dt.date``).
        today: Today where the person is.
    """
    errors: dict[str, str] = {}
    for field in win_fields():
        if field.required and field.name != DATE and not values.get(field.name):
            errors[field.name] = field.missing or field.label
    when = values.get(DATE)
    if isinstance(when, dt.date) and when > today:
        errors[DATE] = future_date_message(today)
    return errors
