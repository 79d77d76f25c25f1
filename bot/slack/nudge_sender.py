"""The Slack side of the nudge port: post the week's question with a "Log a win" button.

The client comes from :func:`bot.slack.app.build_client`, whose rate-limit retry handler waits
out Slack's ``Retry-After`` on a 429 before giving up; a nudge still refused is reported as a
``SendError`` so a later tick retries it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.nudges.digest import Digest
from bot.nudges.roundup import ChannelNudge
from bot.nudges.tick import SendError
from bot.slack.blocks import SlackMessage, build_digest_message, build_nudge_message
from bot.slack.blocks.wins import build_nudge_disabled_message

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
    ) -> None:
        """Keep the client.

        Args:
            client: A Web API client; with a bot token for a single workspace.
            token_for: For OAuth installs: finds each workspace's bot token (the client then
                carries none).
            max_rate_limit_waits: 429 answers waited out per nudge (beyond the client's own
                retries) before it is reported ``ratelimited`` for a later tick.
            clock: Monotonic seconds (tests pass a fake one).
        """
        self._client = client
        self._token_for = token_for
        self._max_waits = max_rate_limit_waits
        self._clock = clock
        # After a 429 the whole workspace holds off until Retry-After passes, so the other
        # nudges in flight don't each collect a 429 of their own.
        self._resume_at: dict[str, float] = {}

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
            wait = self._resume_at.get(workspace, 0.0) - self._clock()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                response = await self._client.chat_postMessage(channel=channel, **message, **extra)
            except SlackApiError as exc:
                if exc.response.status_code == 429:
                    retry_after = _seconds(exc.response.headers.get("Retry-After"))
                    resume = self._clock() + retry_after
                    self._resume_at[workspace] = max(self._resume_at.get(workspace, 0), resume)
                    continue
                code = str(exc.response.get("error") or f"http_{exc.response.status_code}")
                raise SendError(code, f"slack: {code}") from None
            except (TimeoutError, ClientError, OSError) as exc:
                raise SendError("connection", f"slack unreachable: {type(exc).__name__}") from None
            return str(response.get("ts") or "")
        raise SendError("ratelimited", "slack: still rate limited; a later tick retries")


def _seconds(value: object) -> float:
    try:
        return max(1.0, float(str(value)))
    except ValueError:
        return 1.0
