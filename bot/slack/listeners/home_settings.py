"""The Home tab's nudge settings: open the modal prefilled, validate and store the submission.

The modal holds both DM switches (the weekly reminder and the monthly digest); each is stored
as submitted, independently of the other.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.app import Services
from bot.slack import blocks, ids
from bot.slack.listeners.app_home_opened import publish_home
from bot.slack.listeners.common import person_from
from bot.store.people import PersonRef
from bot.wins.preferences import (
    PreferenceError,
    get_nudge_preferences,
    update_nudge_preferences,
)

Ack = Callable[..., Awaitable[None]]


async def open_settings_modal(
    services: Services, client: AsyncWebClient, who: PersonRef, trigger_id: str
) -> None:
    """Open ``who``'s nudge settings modal, prefilled (Home tab button and ``/stepup settings``)."""
    prefs = await get_nudge_preferences(services.runtime.sessions, who)
    view = blocks.build_nudge_settings_modal(
        prefs, default_timezone=services.settings.default_timezone
    )
    await client.views_open(trigger_id=trigger_id, view=view)


def register(app: AsyncApp, services: Services) -> None:
    """Register the settings button and the settings modal's submission."""

    @app.action(ids.NUDGE_SETTINGS_OPEN)
    async def open_settings(ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await open_settings_modal(services, client, person_from(body), body["trigger_id"])

    @app.view(ids.VIEW_NUDGE_SETTINGS)
    async def submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        who = person_from(body)
        values = blocks.nudge_settings_values(view["state"]["values"])
        try:
            await update_nudge_preferences(
                services.runtime.sessions,
                who,
                enabled=values.enabled,
                weekday=values.weekday,
                time=values.time,
                timezone=values.timezone,
                paused_until=values.paused_until,
                digest_enabled=values.digest_enabled,
                default_timezone=services.settings.default_timezone,
            )
        except PreferenceError as exc:
            await ack(**blocks.view_errors({exc.field: str(exc)}, ids.NUDGE_BLOCKS))
            return
        await ack()
        await publish_home(services, client, who)
