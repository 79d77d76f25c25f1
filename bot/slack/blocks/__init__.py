"""Pure Block Kit builders for every Slack message, modal and Home tab Step Up shows.

Builders take plain data and return dicts for the Web API: no I/O, no Slack client, no
database. Messages come back as :class:`SlackMessage` (a readable fallback ``text`` plus
``blocks``); modals and the Home tab as view dicts. Every piece of user or model text is escaped
(:mod:`bot.slack.mrkdwn`) and every field is cut to Slack's limit. Action, callback and block ids
live in :mod:`bot.slack.ids`.
"""

from bot.safety.redaction_note import redaction_note as redaction_note
from bot.slack.blocks import stepup as stepup
from bot.slack.blocks.digest import build_digest_message as build_digest_message
from bot.slack.blocks.drafts import (
    build_clarify_message,
    build_crisis_message,
    build_draft_message,
    build_error_note,
    build_manager_message,
    build_note,
    build_out_of_scope_message,
    build_reply_message,
)
from bot.slack.blocks.home import (
    PROMPT_IMPACT_MESSAGE,
    PROMPT_VENT_MESSAGE,
    PROMPT_WIN_MESSAGE,
    SUGGESTED_PROMPTS,
    SUGGESTED_PROMPTS_TITLE,
    build_greeting_message,
    build_home_view,
)
from bot.slack.blocks.impact import build_impact_message
from bot.slack.blocks.kit import Block, SlackMessage, View, view_errors
from bot.slack.blocks.modals import (
    WinFormValues,
    build_edit_draft_modal,
    build_nudge_settings_modal,
    build_thanks_modal,
    build_win_modal,
    edit_draft_values,
    nudge_settings_values,
    thanks_modal_values,
    win_modal_values,
)
from bot.slack.blocks.wins import (
    LoggedWin,
    build_nudge_message,
    build_thanks_offer_message,
    build_win_logged_message,
)

__all__ = [
    "PROMPT_IMPACT_MESSAGE",
    "PROMPT_VENT_MESSAGE",
    "PROMPT_WIN_MESSAGE",
    "SUGGESTED_PROMPTS",
    "SUGGESTED_PROMPTS_TITLE",
    "Block",
    "LoggedWin",
    "SlackMessage",
    "View",
    "WinFormValues",
    "build_clarify_message",
    "build_crisis_message",
    "build_draft_message",
    "build_edit_draft_modal",
    "build_error_note",
    "build_greeting_message",
    "build_home_view",
    "build_impact_message",
    "build_manager_message",
    "build_note",
    "build_nudge_message",
    "build_nudge_settings_modal",
    "build_out_of_scope_message",
    "build_reply_message",
    "build_thanks_modal",
    "build_thanks_offer_message",
    "build_win_logged_message",
    "build_win_modal",
    "edit_draft_values",
    "nudge_settings_values",
    "redaction_note",
    "thanks_modal_values",
    "view_errors",
    "win_modal_values",
]
