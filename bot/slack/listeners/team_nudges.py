"""Placeholder: filled in by the team_nudges work in progress."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.app import Services


def register(app: AsyncApp, services: Services) -> None:
    """Register nothing yet."""
