"""The Slack side of the nudge port: post the week's question with a "Log a win" button.

The client comes from :func:`bot.slack.app.build_client`, whose rate-limit retry handler waits
out Slack's ``Retry-After`` on a 429 before giving up; a nudge still refused is reported as a
``SendError`` so a later tick retries it. :func:`build_slack_sender` builds the one sender a
process uses for every tick, so a workspace's ``Retry-After`` still holds on the next tick.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError, SlackTokenRotationError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.nudges.digest import Digest
from bot.nudges.hold_off import HoldOff, retry_after_seconds
from bot.nudges.ports import SendError
from bot.nudges.roundup import ChannelNudge
from bot.settings import Settings
from bot.slack.blocks import SlackMessage, build_digest_message, build_nudge_message
from bot.slack.blocks.wins import build_nudge_disabled_message

log = logging.getLogger(__name__)

ROTATE_BEFORE_MINUTES = 120

TokenLookup = Callable[[str], Awaitable[str | None]]
"""Return the bot token of a workspace (team id), or None when it is not installed."""


class SlackNudgeSender:
    """Send nudges through the Slack Web API (one workspace, or many with ``token_for``)."""

    def __init__(
        self,
        client: AsyncWebClient,
        *,
        token_for: TokenLookup | None = None,
        max_rate_limit_waits: int = 20,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """Keep the client.

        Args:
            client: A Web API client; with a bot token for a single workspace.
            token_for: For OAuth installs: finds each workspace's bot token (the client then
                carries none).
            max_rate_limit_waits: 429 answers waited out per nudge (beyond the client's own
                retries) before it is reported ``ratelimited`` for a later tick.
            clock: Monotonic seconds (tests pass a fake one).
            sleep: Waits that many seconds (tests pass one that only advances their clock).
        """
        self._client = client
        self._token_for = token_for
        self._max_waits = max_rate_limit_waits
        # A workspace's 429 holds off every send to it, this tick's and the next's.
        self._hold_off = HoldOff(clock=clock, sleep=sleep)

    def new_tick(self) -> None:
        """Nothing to forget between ticks: only the rate-limit memory is kept, on purpose."""

    async def send_channel(
        self, workspace_external_id: str, channel_id: str, nudge: ChannelNudge
    ) -> str:
        """Post the nudge (question, "Log a win" button, team roundup) to a channel; return its ts.

        Raises:
            SendError: Slack refused it (``is_archived``, ``not_in_channel``…) or was unreachable.
        """
        message = build_nudge_message(nudge.question, nudge.roundup)
        return await self._post(workspace_external_id, channel_id, message)

    async def send_dm(self, workspace_external_id: str, user_id: str, message: str) -> str:
        """Post the nudge to the person's DM with the app (Slack routes a user id there)."""
        return await self._post(workspace_external_id, user_id, build_nudge_message(message))

    async def send_digest(self, workspace_external_id: str, user_id: str, digest: Digest) -> str:
        """Post the monthly digest to the person's DM with the app."""
        return await self._post(workspace_external_id, user_id, build_digest_message(digest))

    async def notify_disabled(
        self,
        workspace_external_id: str,
        user_id: str,
        *,
        channel_id: str,
        code: str,
        schedule_id: int,
    ) -> None:
        """DM whoever set up a channel nudge that it was turned off, why, and how to resume."""
        message = build_nudge_disabled_message(channel_id, code, schedule_id)
        await self._post(workspace_external_id, user_id, message)

    async def _post(self, workspace: str, channel: str, slack_message: SlackMessage) -> str:
        extra: dict[str, Any] = {}
        if self._token_for is not None:
            token = await self._token_for(workspace)
            if token is None:
                raise SendError("not_installed", f"no bot token for workspace {workspace}")
            extra["token"] = token
        message = slack_message.as_kwargs()
        for _ in range(self._max_waits + 1):
            await self._hold_off.wait(workspace)
            try:
                response = await self._client.chat_postMessage(channel=channel, **message, **extra)
            except SlackApiError as exc:
                if exc.response.status_code == 429:
                    header = exc.response.headers.get("Retry-After")
                    pause = retry_after_seconds(header, default=1.0, at_least=1.0)
                    self._hold_off.hold(workspace, pause)
                    continue
                code = str(exc.response.get("error") or f"http_{exc.response.status_code}")
                raise SendError(code, f"slack: {code}") from None
            except (TimeoutError, ClientError, OSError) as exc:
                raise SendError("connection", f"slack unreachable: {type(exc).__name__}") from None
            return str(response.get("ts") or "")
        raise SendError("ratelimited", "slack: still rate limited; a later tick retries")


def build_slack_sender(
    settings: Settings, *, engine: AsyncEngine | None
) -> SlackNudgeSender | None:
    """Return the process's Slack sender, or None without Slack credentials.

    With OAuth (many workspaces) each workspace's bot token is read from the installation
    store, and a rotating token that expires within :data:`ROTATE_BEFORE_MINUTES` is renewed
    first (as Bolt does for requests) and the new pair kept.

    Args:
        settings: The settings (``SLACK_BOT_TOKEN``, or OAuth's ``SLACK_CLIENT_ID``/``SECRET``).
        engine: The database holding OAuth installations (needed for OAuth only).
    """
    # Imported here: bot.slack.app loads Bolt and every listener, which a tick never needs.
    from bot.slack.app import build_client

    client_id, client_secret = settings.slack_client_id, settings.slack_client_secret
    if client_id is not None and client_secret is not None and engine is not None:
        from slack_sdk.oauth.installation_store.sqlalchemy import (
            AsyncSQLAlchemyInstallationStore,
        )
        from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator

        store = AsyncSQLAlchemyInstallationStore(client_id=client_id, engine=engine, logger=log)
        client = build_client(settings)
        rotator = AsyncTokenRotator(
            client_id=client_id,
            client_secret=client_secret.get_secret_value(),
            client=client,
        )

        async def token_for(team_id: str) -> str | None:
            bot = await store.async_find_bot(enterprise_id=None, team_id=team_id)
            if bot is None:
                return None
            # Apps with token rotation get 12-hour bot tokens; renew one that expires within
            # the next two hours and keep the new pair.
            if bot.bot_refresh_token:
                try:
                    refreshed = await rotator.perform_bot_token_rotation(
                        bot=bot, minutes_before_expiration=ROTATE_BEFORE_MINUTES
                    )
                except SlackTokenRotationError as exc:
                    log.warning(
                        "nudges: token rotation for %s failed: %s", team_id, type(exc).__name__
                    )
                    refreshed = None
                if refreshed is not None:
                    await store.async_save_bot(refreshed)
                    bot = refreshed
            return bot.bot_token

        return SlackNudgeSender(client, token_for=token_for)
    if settings.slack_bot_token is not None:
        token = settings.slack_bot_token.get_secret_value()
        return SlackNudgeSender(build_client(settings, token=token))
    return None
