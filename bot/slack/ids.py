"""Every action_id, callback_id, block_id and slash command the Slack builders use.

Listeners match on these names instead of repeating strings, and
``tests/slack_blocks/test_manifest.py`` checks both app manifests against them, so a rename is one
change here that the builders, the listeners and the manifests follow.

Naming: ``CMD_*`` slash commands, ``SHORTCUT_*`` shortcut callback ids, ``VIEW_*`` modal
callback ids, ``*_BLOCK``/``*_INPUT`` the block_id and action_id of one modal input (the state of a
submitted view is ``state.values[BLOCK][INPUT]``), everything else a button's action_id.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

# --- slash commands (deploy/slack/manifest*.yaml) ----------------------------------------------

CMD_WIN: Final = "/win"
CMD_IMPACT: Final = "/impact"
CMD_THANKS: Final = "/thanks"
CMD_STEPUP: Final = "/stepup"
COMMANDS: Final = (CMD_WIN, CMD_IMPACT, CMD_THANKS, CMD_STEPUP)

# --- shortcuts (callback_id) --------------------------------------------------------------------

SHORTCUT_LOG_WIN: Final = "log_win"
"""Global shortcut "Log a win": opens the win modal."""
SHORTCUT_LOG_WIN_FROM_MESSAGE: Final = "log_win_from_message"
"""Message shortcut "Log a win": opens the win modal prefilled with the message text."""
SHORTCUT_THANK_FOR_MESSAGE: Final = "thank_for_message"
"""Message shortcut "Thank for this": opens the thanks modal for the message's author."""
GLOBAL_SHORTCUTS: Final = (SHORTCUT_LOG_WIN,)
MESSAGE_SHORTCUTS: Final = (SHORTCUT_LOG_WIN_FROM_MESSAGE, SHORTCUT_THANK_FOR_MESSAGE)

# --- modals (callback_id) -----------------------------------------------------------------------

VIEW_EDIT_DRAFT: Final = "edit_draft"
"""Edit a draft; ``private_metadata`` is the draft ref."""
VIEW_WIN: Final = "win"
"""Log or edit a win; ``private_metadata`` is whatever the listener passed (e.g. the win id)."""
VIEW_NUDGE_SETTINGS: Final = "nudge_settings"
"""The person's weekly DM nudge settings."""
VIEW_THANKS: Final = "thanks"
"""Thank a colleague; ``private_metadata`` is whatever the listener passed (e.g. their user id)."""
VIEWS: Final = (VIEW_EDIT_DRAFT, VIEW_WIN, VIEW_NUDGE_SETTINGS, VIEW_THANKS)

# --- coaching draft message: buttons (value = the draft ref) ------------------------------------

DRAFT_SAVE: Final = "draft_save"
DRAFT_EDIT: Final = "draft_edit"
DRAFT_SHORTER: Final = "draft_shorter"
DRAFT_ADD_NUMBERS: Final = "draft_add_numbers"
DRAFT_COPY_FOR_MANAGER: Final = "draft_copy_for_manager"
DRAFT_DISCARD: Final = "draft_discard"
FEEDBACK_HELPFUL: Final = "feedback_helpful"
FEEDBACK_NOT_HELPFUL: Final = "feedback_not_helpful"
DRAFT_OPEN: Final = "draft_open"
"""App Home: show a saved draft again (value = the saved draft's id)."""

# --- wins, thanks, impact, home -----------------------------------------------------------------

WIN_LOG: Final = "win_log"
"""Open the win modal. The value says where the button was: ``home``, ``nudge``, ``greeting``,
``chat``, ``impact`` or ``digest`` (the win's ``source`` can follow it)."""
WIN_EDIT: Final = "win_edit"
"""Open the win modal for an existing win (value = the win id)."""
THANKS_ACCEPT: Final = "thanks_accept"
"""Add a colleague's thanks to my wins (value = the thanks offer id)."""
THANKS_DECLINE: Final = "thanks_decline"
"""Decline a colleague's thanks offer (value = the thanks offer id)."""
IMPACT_BUILD: Final = "impact_build"
"""Build and show my impact summary (value = a period key; no value: the default period)."""
IMPACT_SEND_MARKDOWN: Final = "impact_send_markdown"
"""Send the impact summary as Markdown to my DM (value = the period key)."""
IMPACT_SEND_PDF: Final = "impact_send_pdf"
"""Send the impact summary as a PDF to my DM (value = the period key)."""
START_VENT: Final = "start_vent"
"""Explain how to turn a rough shift into a proposal (DM the bot)."""
NUDGE_SETTINGS_OPEN: Final = "nudge_settings_open"
"""App Home: open the nudge settings modal."""
TEAM_NUDGE_TOGGLE: Final = "team_nudge_toggle"
"""App Home (admins): pause or resume a team nudge schedule (value = the schedule id)."""

# --- inputs of the edit-draft modal -------------------------------------------------------------

DRAFT_PROBLEM_BLOCK: Final = "draft_problem"
DRAFT_PROBLEM_INPUT: Final = "draft_problem_input"
DRAFT_FIX_BLOCK: Final = "draft_fix"
DRAFT_FIX_INPUT: Final = "draft_fix_input"
DRAFT_ROLE_BLOCK: Final = "draft_role"
DRAFT_ROLE_INPUT: Final = "draft_role_input"
DRAFT_BLOCKS: Final[Mapping[str, str]] = MappingProxyType(
    {"problem": DRAFT_PROBLEM_BLOCK, "proposed_fix": DRAFT_FIX_BLOCK, "my_role": DRAFT_ROLE_BLOCK}
)
"""Draft field name → block_id, for ``{"response_action": "errors"}``."""

# --- inputs of the win modal --------------------------------------------------------------------

WIN_WHAT_BLOCK: Final = "win_what"
WIN_WHAT_INPUT: Final = "win_what_input"
WIN_WHY_BLOCK: Final = "win_why"
WIN_WHY_INPUT: Final = "win_why_input"
WIN_RESULT_BLOCK: Final = "win_result"
WIN_RESULT_INPUT: Final = "win_result_input"
WIN_NUMBERS_BLOCK: Final = "win_numbers"
WIN_NUMBERS_INPUT: Final = "win_numbers_input"
WIN_CATEGORY_BLOCK: Final = "win_category"
WIN_CATEGORY_INPUT: Final = "win_category_input"
WIN_DATE_BLOCK: Final = "win_date"
WIN_DATE_INPUT: Final = "win_date_input"
WIN_LEADERSHIP_BLOCK: Final = "win_leadership"
WIN_LEADERSHIP_INPUT: Final = "win_leadership_input"
WIN_SHARE_BLOCK: Final = "win_share"
WIN_SHARE_INPUT: Final = "win_share_input"
"""Checkbox: show this win (name and what) in the team's weekly roundup."""
WIN_BLOCKS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "what": WIN_WHAT_BLOCK,
        "why": WIN_WHY_BLOCK,
        "result": WIN_RESULT_BLOCK,
        "numbers": WIN_NUMBERS_BLOCK,
        "category": WIN_CATEGORY_BLOCK,
        "date": WIN_DATE_BLOCK,
        "leadership": WIN_LEADERSHIP_BLOCK,
        "shared": WIN_SHARE_BLOCK,
    }
)
"""Win field name → block_id, for ``{"response_action": "errors"}``."""

# --- inputs of the nudge settings modal ---------------------------------------------------------

NUDGE_DM_BLOCK: Final = "nudge_dm"
NUDGE_DM_INPUT: Final = "nudge_dm_input"
NUDGE_WEEKDAY_BLOCK: Final = "nudge_weekday"
NUDGE_WEEKDAY_INPUT: Final = "nudge_weekday_input"
NUDGE_TIME_BLOCK: Final = "nudge_time"
NUDGE_TIME_INPUT: Final = "nudge_time_input"
NUDGE_TIMEZONE_BLOCK: Final = "nudge_timezone"
NUDGE_TIMEZONE_INPUT: Final = "nudge_timezone_input"
NUDGE_PAUSE_BLOCK: Final = "nudge_pause"
NUDGE_PAUSE_INPUT: Final = "nudge_pause_input"
NUDGE_DIGEST_BLOCK: Final = "nudge_digest"
NUDGE_DIGEST_INPUT: Final = "nudge_digest_input"
"""Checkbox: the monthly digest DM (independent of the weekly DM)."""
NUDGE_BLOCKS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "dm_enabled": NUDGE_DM_BLOCK,
        "digest_enabled": NUDGE_DIGEST_BLOCK,
        "weekday": NUDGE_WEEKDAY_BLOCK,
        "time": NUDGE_TIME_BLOCK,
        "timezone": NUDGE_TIMEZONE_BLOCK,
        "paused_until": NUDGE_PAUSE_BLOCK,
    }
)
"""Nudge setting name → block_id, for ``{"response_action": "errors"}``."""

# --- inputs of the thanks modal -----------------------------------------------------------------

THANKS_TEXT_BLOCK: Final = "thanks_text"
THANKS_TEXT_INPUT: Final = "thanks_text_input"
THANKS_BLOCKS: Final[Mapping[str, str]] = MappingProxyType({"text": THANKS_TEXT_BLOCK})
"""Thanks field name → block_id, for ``{"response_action": "errors"}``."""
