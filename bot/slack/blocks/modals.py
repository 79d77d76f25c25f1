"""Modals: edit a draft, log or edit a win, nudge settings, thank a colleague.

Each modal has a ``*_values`` function that reads its submission from ``view.state.values``
(``state.values[block_id][action_id]``, as in ``view_submission`` payloads), and the listener
answers validation problems with :func:`bot.slack.blocks.kit.view_errors` and the field → block
maps in :mod:`bot.slack.ids`, so Slack shows each message under its input. When a listener has
to re-render a modal instead (``views.update``), the builders take the same ``errors`` mapping
and show each message under its field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Final, TypedDict

from bot.coaching.models import Draft
from bot.nudges.schedule import WEEKDAYS
from bot.nudges.zones import US_ZONES
from bot.slack import ids
from bot.slack.blocks.kit import (
    TEXT_INPUT_MAX,
    Block,
    View,
    context,
    error_context,
    input_block,
    modal,
    option,
    radio_buttons,
    section,
    static_select,
    submitted_option,
    submitted_text,
    text_input,
    view_state,
)
from bot.slack.mrkdwn import length, user_mention
from bot.wins import form
from bot.wins.preferences import NudgePreferences
from bot.wording import wording

THANKS_TEXT_MAX: Final = 2000
"""Same as the thanks service's limit (bot/wins/thanks.py MAX_THANKS_CHARS)."""

DEFAULT_NUDGE_WEEKDAY: Final = 4  # Friday: the end of most technicians' week
DEFAULT_NUDGE_TIME: Final = dt.time(14, 0)
TIMEZONES: Final[tuple[tuple[str, str], ...]] = (
    *US_ZONES,
    ("America/Halifax", "Atlantic (Halifax)"),
    ("America/Toronto", "Eastern (Toronto)"),
    ("America/Vancouver", "Pacific (Vancouver)"),
    ("Europe/London", "UK (London)"),
    ("Europe/Dublin", "Ireland (Dublin)"),
    ("Europe/Berlin", "Central Europe (Berlin)"),
    ("Asia/Kolkata", "India (Kolkata)"),
    ("Asia/Manila", "Philippines (Manila)"),
    ("Australia/Sydney", "Australia Eastern (Sydney)"),
    ("UTC", "UTC"),
)
"""Zones offered in the nudge settings; the person's own zone is always added if missing."""

SHARE_VALUE: Final = "shared"
DIGEST_OPTION: Final = ("Monthly digest — your month in wins, on the 1st at your nudge time", "on")

LEADERSHIP_VALUES: Final = ("little", "big")


def _shortened_note(value: str | None, limit: int) -> Block | None:
    # A stored text longer than an input can hold is prefilled cut short; say so, since saving
    # the modal keeps the shorter version.
    if value is None or length(value.strip()) <= limit:
        return None
    return context(
        f":scissors: Shortened to fit this form ({limit:,} characters). Saving keeps the "
        "shorter version.",
        user=False,
    )


def _checkbox(action_id: str, text: str, value: str, *, description: str, checked: bool) -> Block:
    # One checkbox; Slack requires initial_options to repeat the option exactly.
    choice = option(text, value, description=description)
    element: Block = {"type": "checkboxes", "action_id": action_id, "options": [choice]}
    if checked:
        element["initial_options"] = [choice]
    return element


def _checked(state_values: Mapping[str, Any], block_id: str, action_id: str, value: str) -> bool:
    selected = view_state(state_values, block_id, action_id).get("selected_options")
    if not isinstance(selected, list):
        return False
    return any(isinstance(item, Mapping) and item.get("value") == value for item in selected)


# --- edit a draft -------------------------------------------------------------------------------


def build_edit_draft_modal(
    draft: Draft, *, draft_ref: str, errors: Mapping[str, str] | None = None
) -> View:
    """Return the modal to edit a draft's three parts, prefilled with the current text.

    Args:
        draft: The draft as it is now.
        draft_ref: Returned as ``private_metadata`` so the listener knows which draft to update.
        errors: Draft field name (``problem``, ``proposed_fix``, ``my_role``) → message.
    """
    errors = errors or {}
    fields = (
        ("problem", "Problem", ids.DRAFT_PROBLEM_BLOCK, ids.DRAFT_PROBLEM_INPUT, draft.problem),
        (
            "proposed_fix",
            "Proposed fix",
            ids.DRAFT_FIX_BLOCK,
            ids.DRAFT_FIX_INPUT,
            draft.proposed_fix,
        ),
        ("my_role", "My role", ids.DRAFT_ROLE_BLOCK, ids.DRAFT_ROLE_INPUT, draft.my_role),
    )
    blocks: list[Block] = []
    for name, label, block_id, action_id, value in fields:
        blocks.append(
            input_block(block_id, label, text_input(action_id, initial=value, multiline=True))
        )
        if name in errors:
            blocks.append(error_context(errors[name]))
        note = _shortened_note(value, TEXT_INPUT_MAX)
        if note is not None:
            blocks.append(note)
    return modal(
        title="Edit your draft",
        callback_id=ids.VIEW_EDIT_DRAFT,
        submit="Save changes",
        blocks=blocks,
        private_metadata=draft_ref,
    )


def edit_draft_values(state_values: Mapping[str, Any]) -> Draft:
    """Return the draft submitted from the edit modal (empty strings for emptied parts)."""
    return Draft(
        problem=submitted_text(state_values, ids.DRAFT_PROBLEM_BLOCK, ids.DRAFT_PROBLEM_INPUT)
        or "",
        proposed_fix=submitted_text(state_values, ids.DRAFT_FIX_BLOCK, ids.DRAFT_FIX_INPUT) or "",
        my_role=submitted_text(state_values, ids.DRAFT_ROLE_BLOCK, ids.DRAFT_ROLE_INPUT) or "",
    )


# --- log or edit a win --------------------------------------------------------------------------


class WinFormValues(TypedDict):
    """What the win modal submitted; every text is stripped, empty ones are None."""

    what: str | None
    why: str | None
    result: str | None
    numbers: str | None
    category: str | None
    date: dt.date | None
    leadership: str | None
    shared: bool


def _initial_date(value: Any, today: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return today
    return today


def _text(initial: Mapping[str, Any], key: str) -> str | None:
    value = initial.get(key)
    return value if isinstance(value, str) and value.strip() else None


def build_win_modal(
    *,
    initial: Mapping[str, Any] | None,
    categories: Sequence[tuple[str, str]],
    today: dt.date,
    errors: Mapping[str, str] | None = None,
    private_metadata: str = "",
    editing: bool = False,
) -> View:
    """Return the modal to log a win (or edit one).

    Args:
        initial: Prefilled values by field name: ``what``, ``why``, ``result``, ``numbers``
            (text such as "2 techs trained, 4 hours"), ``category`` (an id), ``date`` (a date or
            an ISO string) and ``leadership`` (``little``/``big``). Missing ones start empty
            (the date starts at ``today``, leadership at little-l), and ``shared`` (True ticks
            "Share in the team's weekly roundup"; unticked otherwise).
        categories: ``(id, label)`` of every category, in display order.
        today: Today where the person is: the date picker's default.
        errors: Field name → message, shown under the field.
        private_metadata: Returned with the submission (e.g. the win id being edited).
        editing: True to title the modal "Edit win" instead of "Log a win".
    """
    initial = initial or {}
    errors = errors or {}
    category_options = [option(label, category_id) for category_id, label in categories[:100]]
    leadership = initial.get("leadership")

    def text_field(name: str, block_id: str, action_id: str, *, multiline: bool) -> Block:
        spec = form.win_field(name)
        return input_block(
            block_id,
            spec.label,
            text_input(
                action_id,
                initial=_text(initial, name),
                multiline=multiline,
                max_length=spec.max_length or TEXT_INPUT_MAX,
                placeholder=spec.placeholder,
            ),
            optional=not spec.required,
            hint=spec.hint,
        )

    inputs: dict[str, Block] = {
        form.WHAT: text_field(form.WHAT, ids.WIN_WHAT_BLOCK, ids.WIN_WHAT_INPUT, multiline=True),
        form.WHY: text_field(form.WHY, ids.WIN_WHY_BLOCK, ids.WIN_WHY_INPUT, multiline=True),
        form.RESULT: text_field(
            form.RESULT, ids.WIN_RESULT_BLOCK, ids.WIN_RESULT_INPUT, multiline=True
        ),
        form.NUMBERS: text_field(
            form.NUMBERS, ids.WIN_NUMBERS_BLOCK, ids.WIN_NUMBERS_INPUT, multiline=False
        ),
        form.DATE: input_block(
            ids.WIN_DATE_BLOCK,
            form.win_field(form.DATE).label,
            {
                "type": "datepicker",
                "action_id": ids.WIN_DATE_INPUT,
                "initial_date": _initial_date(initial.get("date"), today).isoformat(),
            },
        ),
        form.LEADERSHIP: input_block(
            ids.WIN_LEADERSHIP_BLOCK,
            form.win_field(form.LEADERSHIP).label,
            radio_buttons(
                ids.WIN_LEADERSHIP_INPUT,
                [
                    option(choice.title, choice.value, description=choice.description)
                    for choice in form.leadership_choices()
                ],
                initial_value=leadership if leadership in LEADERSHIP_VALUES else "little",
            ),
        ),
        form.SHARED: input_block(
            ids.WIN_SHARE_BLOCK,
            form.win_field(form.SHARED).label,
            _checkbox(
                ids.WIN_SHARE_INPUT,
                form.share_option(),
                SHARE_VALUE,
                description=form.share_description(),
                checked=initial.get("shared") is True,
            ),
            optional=True,
        ),
    }
    if category_options:
        category = form.win_field(form.CATEGORY)
        inputs[form.CATEGORY] = input_block(
            ids.WIN_CATEGORY_BLOCK,
            category.label,
            static_select(
                ids.WIN_CATEGORY_INPUT,
                category_options,
                initial_value=_text(initial, "category"),
                placeholder=category.placeholder or "",
            ),
            optional=True,
            hint=category.hint,
        )
    fields = [(name, inputs[name]) for name in form.FIELD_NAMES if name in inputs]
    blocks: list[Block] = []
    for name, block in fields:
        blocks.append(block)
        if name in errors:
            blocks.append(error_context(errors[name]))
        if name in (form.WHAT, form.WHY, form.RESULT):
            limit = form.win_field(name).max_length or TEXT_INPUT_MAX
            note = _shortened_note(_text(initial, name), limit)
            if note is not None:
                blocks.append(note)
    blocks.append(context(form.privacy_note(), user=False))
    return modal(
        title="Edit win" if editing else "Log a win",
        callback_id=ids.VIEW_WIN,
        submit="Save" if editing else "Log it",
        blocks=blocks,
        private_metadata=private_metadata,
    )


def _date(state_values: Mapping[str, Any], block_id: str, action_id: str) -> dt.date | None:
    value = view_state(state_values, block_id, action_id).get("selected_date")
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def win_modal_values(state_values: Mapping[str, Any]) -> WinFormValues:
    """Return the win submitted from the win modal (``view["state"]["values"]``)."""
    return WinFormValues(
        what=submitted_text(state_values, ids.WIN_WHAT_BLOCK, ids.WIN_WHAT_INPUT),
        why=submitted_text(state_values, ids.WIN_WHY_BLOCK, ids.WIN_WHY_INPUT),
        result=submitted_text(state_values, ids.WIN_RESULT_BLOCK, ids.WIN_RESULT_INPUT),
        numbers=submitted_text(state_values, ids.WIN_NUMBERS_BLOCK, ids.WIN_NUMBERS_INPUT),
        category=submitted_option(state_values, ids.WIN_CATEGORY_BLOCK, ids.WIN_CATEGORY_INPUT),
        date=_date(state_values, ids.WIN_DATE_BLOCK, ids.WIN_DATE_INPUT),
        leadership=submitted_option(
            state_values, ids.WIN_LEADERSHIP_BLOCK, ids.WIN_LEADERSHIP_INPUT
        ),
        shared=_checked(state_values, ids.WIN_SHARE_BLOCK, ids.WIN_SHARE_INPUT, SHARE_VALUE),
    )


# --- nudge settings -----------------------------------------------------------------------------


def format_time(value: dt.time) -> str:
    """Return a time as "9:00 AM"."""
    hour = value.hour % 12 or 12
    return f"{hour}:{value.minute:02d} {'AM' if value.hour < 12 else 'PM'}"


def _timezone_options(current: str | None, zones: Sequence[tuple[str, str]]) -> list[Block]:
    known = [zone for zone, _ in zones]
    listed = list(zones)
    if current and current not in known:
        listed.insert(0, (current, current))
    return [option(label, zone) for zone, label in listed[:100]]


def build_nudge_settings_modal(
    settings: NudgePreferences,
    *,
    default_timezone: str = "UTC",
    errors: Mapping[str, str] | None = None,
    timezones: Sequence[tuple[str, str]] = TIMEZONES,
) -> View:
    """Return the modal for the weekly DM reminder, the monthly digest, and when they come.

    The two switches are independent: the digest can be on while the weekly reminder is off.
    The time and zone apply to both; the day only to the weekly reminder.

    Args:
        settings: The current settings.
        default_timezone: Preselected when the person's zone is unknown.
        errors: Setting name (``dm_enabled``, ``digest_enabled``, ``weekday``, ``time``,
            ``timezone``, ``paused_until``) → message.
        timezones: ``(zone, label)`` offered; the current zone is added when missing.
    """
    errors = errors or {}
    zone = settings.timezone or default_timezone
    weekday = settings.weekday if settings.weekday is not None else DEFAULT_NUDGE_WEEKDAY
    at = settings.time or DEFAULT_NUDGE_TIME
    pause: Block = {"type": "datepicker", "action_id": ids.NUDGE_PAUSE_INPUT}
    if settings.paused_until is not None:
        pause["initial_date"] = settings.paused_until.isoformat()
    fields: list[tuple[str, Block]] = [
        (
            "dm_enabled",
            input_block(
                ids.NUDGE_DM_BLOCK,
                "Weekly reminder to log wins",
                radio_buttons(
                    ids.NUDGE_DM_INPUT,
                    [
                        option("On", "on", description="A short DM once a week"),
                        option(
                            "Off",
                            "off",
                            description="No weekly DM; the monthly digest has its own switch",
                        ),
                    ],
                    initial_value="on" if settings.enabled else "off",
                ),
            ),
        ),
        (
            "digest_enabled",
            input_block(
                ids.NUDGE_DIGEST_BLOCK,
                "Monthly digest",
                _checkbox(
                    ids.NUDGE_DIGEST_INPUT,
                    DIGEST_OPTION[0],
                    DIGEST_OPTION[1],
                    description=wording("digest_separate"),
                    checked=settings.digest_enabled,
                ),
                optional=True,
            ),
        ),
        (
            "weekday",
            input_block(
                ids.NUDGE_WEEKDAY_BLOCK,
                "Day (weekly reminder)",
                static_select(
                    ids.NUDGE_WEEKDAY_INPUT,
                    [option(name, str(index)) for index, name in enumerate(WEEKDAYS)],
                    initial_value=str(weekday),
                ),
            ),
        ),
        (
            "time",
            input_block(
                ids.NUDGE_TIME_BLOCK,
                wording("settings_time"),
                {
                    "type": "timepicker",
                    "action_id": ids.NUDGE_TIME_INPUT,
                    "initial_time": f"{at.hour:02d}:{at.minute:02d}",
                },
            ),
        ),
        (
            "timezone",
            input_block(
                ids.NUDGE_TIMEZONE_BLOCK,
                "Time zone",
                static_select(
                    ids.NUDGE_TIMEZONE_INPUT,
                    _timezone_options(zone, timezones),
                    initial_value=zone,
                ),
            ),
        ),
        (
            "paused_until",
            input_block(
                ids.NUDGE_PAUSE_BLOCK,
                "Pause until",
                pause,
                optional=True,
                hint="On leave or on a stretch of nights? No reminders or digests until this date.",
            ),
        ),
    ]
    blocks: list[Block] = []
    for name, block in fields:
        blocks.append(block)
        if name in errors:
            blocks.append(error_context(errors[name]))
    return modal(
        title="Nudge settings",
        callback_id=ids.VIEW_NUDGE_SETTINGS,
        submit="Save",
        blocks=blocks,
    )


def nudge_settings_values(state_values: Mapping[str, Any]) -> NudgePreferences:
    """Return the settings submitted from the nudge settings modal."""
    weekday = submitted_option(state_values, ids.NUDGE_WEEKDAY_BLOCK, ids.NUDGE_WEEKDAY_INPUT)
    raw_time = view_state(state_values, ids.NUDGE_TIME_BLOCK, ids.NUDGE_TIME_INPUT).get(
        "selected_time"
    )
    at: dt.time | None = None
    if isinstance(raw_time, str):
        try:
            at = dt.time.fromisoformat(raw_time)
        except ValueError:
            at = None
    return NudgePreferences(
        enabled=submitted_option(state_values, ids.NUDGE_DM_BLOCK, ids.NUDGE_DM_INPUT) == "on",
        weekday=int(weekday) if weekday is not None and weekday.isdigit() else None,
        time=at,
        timezone=submitted_option(state_values, ids.NUDGE_TIMEZONE_BLOCK, ids.NUDGE_TIMEZONE_INPUT),
        paused_until=_date(state_values, ids.NUDGE_PAUSE_BLOCK, ids.NUDGE_PAUSE_INPUT),
        digest_enabled=_checked(
            state_values, ids.NUDGE_DIGEST_BLOCK, ids.NUDGE_DIGEST_INPUT, DIGEST_OPTION[1]
        ),
    )


# --- thank a colleague --------------------------------------------------------------------------


def build_thanks_modal(
    *,
    to_user_id: str,
    initial_text: str = "",
    errors: Mapping[str, str] | None = None,
    private_metadata: str = "",
) -> View:
    """Return the modal to thank a colleague (from the "Thank for this" message shortcut).

    Args:
        to_user_id: The Slack user being thanked (shown as a mention; it does not notify).
        initial_text: Prefilled reason, e.g. the message the shortcut was used on.
        errors: ``{"text": message}`` to show under the input.
        private_metadata: Returned with the submission (e.g. the user id and channel).
    """
    errors = errors or {}
    blocks: list[Block] = [
        section(f"Thanking {user_mention(to_user_id)}", user=False),
        input_block(
            ids.THANKS_TEXT_BLOCK,
            wording("thanks_question"),
            text_input(
                ids.THANKS_TEXT_INPUT,
                initial=initial_text,
                multiline=True,
                max_length=THANKS_TEXT_MAX,
                placeholder="e.g. Covering my IV room shift on short notice",
            ),
        ),
    ]
    if "text" in errors:
        blocks.append(error_context(errors["text"]))
    blocks.append(
        context(
            "They get a private message and choose whether to add it to their wins.",
            user=False,
        )
    )
    return modal(
        title="Say thanks",
        callback_id=ids.VIEW_THANKS,
        submit="Send thanks",
        blocks=blocks,
        private_metadata=private_metadata,
    )


def thanks_modal_values(state_values: Mapping[str, Any]) -> str | None:
    """Return the thanks text submitted from the thanks modal, or None when empty."""
    return submitted_text(state_values, ids.THANKS_TEXT_BLOCK, ids.THANKS_TEXT_INPUT)
