"""Every Teams handler, registered on one Teams SDK app."""

from __future__ import annotations

from microsoft_teams.apps import App

from bot.app import Services
from bot.teams.handlers import actions, dialogs, files, install, messages


def register(app: App, services: Services) -> None:
    """Register every handler on ``app``."""
    messages.register(app, services)
    actions.register(app, services)
    dialogs.register(app, services)
    install.register(app, services)
    files.register(app, services)
