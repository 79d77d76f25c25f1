"""Bolt listeners, one file per event, command or action group; ``register`` adds them all."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.app import Services
from bot.slack.listeners import app_home_opened as app_home_opened
from bot.slack.listeners import draft_actions as draft_actions
from bot.slack.listeners import errors as errors
from bot.slack.listeners import home_settings as home_settings
from bot.slack.listeners import impact_command as impact_command
from bot.slack.listeners import message_im as message_im
from bot.slack.listeners import stepup_command as stepup_command
from bot.slack.listeners import team_nudges as team_nudges
from bot.slack.listeners import thanks as thanks
from bot.slack.listeners import uninstall as uninstall
from bot.slack.listeners import win_command as win_command
from bot.slack.listeners import win_modal as win_modal


def register(app: AsyncApp, services: Services) -> None:
    """Register every Slack listener on ``app``, each guarded (see :mod:`.errors`)."""
    errors.register(app, services)
    guarded = errors.guarded_app(app)
    for module in (
        message_im,
        app_home_opened,
        home_settings,
        uninstall,
        draft_actions,
        win_command,
        win_modal,
        thanks,
        impact_command,
        team_nudges,
        stepup_command,
    ):
        module.register(guarded, services)
