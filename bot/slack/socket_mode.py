"""Socket Mode: the same Bolt app, fed over Slack's WebSocket instead of ``/slack/events``.

Used when ``SLACK_APP_TOKEN`` (an app-level ``xapp-`` token with ``connections:write``) is set:
nothing needs to reach the process from the internet, which suits a pharmacy network behind a
firewall. Socket Mode apps cannot be listed in the Slack Marketplace, so production
multi-workspace installs use HTTP mode.

The connection comes from slack_bolt's aiohttp-based ``AsyncSocketModeHandler``: it asks
``apps.connections.open`` (on the app's Web API client, so ``SLACK_API_URL`` applies) for a
WebSocket URL, acknowledges every envelope with its ``envelope_id`` and reconnects when Slack
asks it to.
"""

from __future__ import annotations

import logging

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.errors import UserError

log = logging.getLogger(__name__)


async def start_socket_mode(
    app: AsyncApp, app_token: str, *, ping_interval: float = 10
) -> AsyncSocketModeHandler:
    """Connect ``app`` to Slack over Socket Mode and return the running handler.

    Returns once the WebSocket is open; events are then handled in the background until
    :func:`stop_socket_mode`. Must be called inside the running event loop.

    Args:
        app: The Bolt app (see ``bot.slack.app.create_slack_app``).
        app_token: The app-level token (``xapp-…``).
        ping_interval: Seconds between keep-alive pings on the WebSocket.

    Raises:
        UserError: Slack refused the app token (the SDK alone would retry forever).
    """
    handler = AsyncSocketModeHandler(
        app, app_token=app_token, web_client=app.client, ping_interval=ping_interval
    )
    try:
        # Ask for the WebSocket URL first so a wrong token fails once, clearly; connect() then
        # uses this URL.
        try:
            handler.client.wss_uri = await handler.client.issue_new_wss_url()
        except SlackApiError as exc:
            raise UserError(
                f"Slack refused SLACK_APP_TOKEN for Socket Mode ({exc.response.get('error')}); "
                "check it is an app-level token (xapp-…) with the connections:write scope."
            ) from None
        await handler.connect_async()  # type: ignore[no-untyped-call]
    except BaseException:
        await handler.close_async()  # type: ignore[no-untyped-call]
        raise
    log.info("slack: connected over Socket Mode")
    return handler


async def stop_socket_mode(handler: AsyncSocketModeHandler) -> None:
    """Close the WebSocket and the handler's HTTP session."""
    await handler.close_async()  # type: ignore[no-untyped-call]
    log.info("slack: Socket Mode connection closed")
