"""The one error handler: log without message text, tell the person briefly."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.app import Services
from bot.errors import UserError
from bot.slack import blocks

log = logging.getLogger(__name__)

SORRY = "Something went wrong on my side, so that didn't go through. Please try again in a minute."


def _where(body: dict[str, Any]) -> tuple[str | None, str | None]:
    event = body.get("event") or {}
    user = event.get("user") or body.get("user_id") or (body.get("user") or {}).get("id")
    channel = (
        event.get("channel")
        or body.get("channel_id")
        or (body.get("channel") or {}).get("id")
        or (body.get("container") or {}).get("channel_id")
    )
    return user, channel


def register(app: AsyncApp, services: Services) -> None:
    """Register the error handler."""

    @app.error
    async def on_error(error: Exception, body: dict[str, Any], client: AsyncWebClient) -> None:
        user, channel = _where(body)
        message = str(error) if isinstance(error, UserError) else SORRY
        if not isinstance(error, UserError):
            # Type and location only: exception messages can quote what the person wrote.
            tb = error.__traceback__
            while tb is not None and tb.tb_next is not None:
                tb = tb.tb_next
            where = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}" if tb else "?"
            log.error("slack listener failed: %s at %s", type(error).__name__, where)
        if user and channel:
            try:
                await client.chat_postEphemeral(
                    channel=channel, user=user, **blocks.build_note(message).as_kwargs()
                )
            except SlackApiError:
                log.warning("slack: could not tell the person about the error")
