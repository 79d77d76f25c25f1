"""The contract between Step Up's Adaptive Cards and the handlers that answer them.

Every button is an ``Action.Execute`` whose ``verb`` is one of the names below and whose ``data``
carries the keys named here; inputs travel in the same ``data`` object, keyed by their input id.
The "Log a win" buttons open a dialog instead: they are ``Action.Submit`` with
``{"msteams": {"type": "task/fetch"}, "verb": WIN_OPEN, ...}``, and the dialog's own button
(``Action.Submit``, verb :data:`WIN_SAVE`) arrives as ``task/submit``.

Values arrive as strings (Adaptive Card inputs are strings); handlers parse and validate them.
"""

from __future__ import annotations

from typing import Final

# --- the coaching draft (data: REF = the draft version the card shows) ---
DRAFT_SAVE: Final = "draft.save"
DRAFT_REFINE: Final = "draft.refine"
"""data: REF, REFINEMENT (``shorter`` | ``formal`` | ``add_numbers``)."""
DRAFT_MANAGER: Final = "draft.manager"
DRAFT_NEW: Final = "draft.new"
DRAFT_OPEN: Final = "draft.open"
"""data: DRAFT_ID: makes a saved draft the current draft again."""
DRAFT_ID: Final = "draft_id"
DRAFT_EDIT: Final = "draft.edit"
"""data: REF plus the edited fields (inputs ``problem``, ``proposed_fix``, ``my_role``)."""

REF: Final = "ref"
REFINEMENT: Final = "refinement"

# --- personal settings (inputs below) ---
SETTINGS_OPEN: Final = "settings.open"
SETTINGS_SAVE: Final = "settings.save"
IN_DM_ENABLED: Final = "dm_enabled"  # "true" | "false"
IN_DIGEST_ENABLED: Final = "digest_enabled"  # "true" | "false"
IN_WEEKDAY: Final = "weekday"  # "0".."6", 0 = Monday
IN_TIME: Final = "time"  # "HH:MM" (Input.Time)
IN_TIMEZONE: Final = "timezone"  # IANA name (Input.ChoiceSet with filtered style)
IN_PAUSED_UNTIL: Final = "paused_until"  # "YYYY-MM-DD" or "" (Input.Date)

# --- a team channel's weekly nudge (in a channel; data: SCHEDULE_ID when one exists) ---
CHANNEL_OPEN: Final = "channel.open"
CHANNEL_SAVE: Final = "channel.save"
"""inputs: IN_WEEKDAY, IN_TIME, IN_TIMEZONE."""
CHANNEL_PAUSE: Final = "channel.pause"
CHANNEL_RESUME: Final = "channel.resume"
CHANNEL_REMOVE: Final = "channel.remove"
SCHEDULE_ID: Final = "schedule_id"

# --- wins ---
WIN_OPEN: Final = "win.open"
"""data: SOURCE (``nudge`` from a nudge card, else ``form``)."""
WIN_SAVE: Final = "win.save"
"""inputs: IN_WHAT, IN_WHY, IN_RESULT, IN_NUMBERS, IN_CATEGORY, IN_OCCURRED_ON, IN_LEADERSHIP,
IN_SHARE; data: SOURCE."""
WIN_EDIT: Final = "win.edit"
"""Opens the win dialog refilled with a logged win (``task/fetch``); data: WIN_ID."""
WIN_UPDATE: Final = "win.update"
"""The edit dialog's button (``task/submit``): the same inputs as WIN_SAVE; data: WIN_ID."""
WIN_DELETE: Final = "win.delete"
"""data: WIN_ID."""
WIN_ID: Final = "win_id"
SOURCE: Final = "source"
IN_WHAT: Final = "what"
IN_WHY: Final = "why"
IN_RESULT: Final = "result"
IN_NUMBERS: Final = "numbers"  # free text such as "2 techs trained, 4 hours"
IN_CATEGORY: Final = "category"  # a category id, or "" to let Step Up pick
IN_OCCURRED_ON: Final = "occurred_on"  # "YYYY-MM-DD"
IN_LEADERSHIP: Final = "leadership"  # "little" | "big"
IN_SHARE: Final = "share"  # "true" | "false"

# --- impact summary ---
IMPACT_SHOW: Final = "impact.show"
"""data: PERIOD (``30d`` | ``90d`` | ``quarter`` | ``year`` | ``YYYY-MM`` …)."""
PERIOD: Final = "period"
IMPACT_EXPORT: Final = "impact.export"
"""data: PERIOD, FORMAT (``pdf`` | ``csv`` | ``md``): offers the summary as a file (Teams asks the
person's consent to save it to their OneDrive, then Step Up uploads it)."""
FORMAT: Final = "format"

# --- thanks from a colleague (in the thanked person's 1:1 chat; data: THANKS_ID) ---
THANKS_ACCEPT: Final = "thanks.accept"
THANKS_DECLINE: Final = "thanks.decline"
THANKS_ID: Final = "thanks_id"

HELP: Final = "help"
