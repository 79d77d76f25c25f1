"""The Teams side of the nudge port: post Adaptive Cards proactively through the connector.

Teams only lets a bot post where it has been: a channel nudge goes to the channel's remembered
conversation, a DM or digest to the person's personal chat with Step Up (see
:mod:`bot.teams.references`). A person with no remembered chat gets one created through the
connector (``POST /v3/conversations`` at the tenant's service URL), which is then remembered.

Connector answers become :class:`~bot.nudges.ports.SendError` codes the tick understands:

- 403 (``BotNotInConversationRoster``, ``ConversationBlockedByUser``…): ``teams_forbidden``, and
  404 (``ConversationNotFound``…): ``teams_gone``. Both are in ``GONE_ERRORS``: the schedule is
  disabled and its creator told.
- 429: the tenant holds off for ``Retry-After`` seconds and the send is tried again, up to
  ``max_rate_limit_waits`` times; then ``ratelimited`` for a later tick.
- 5xx, refused connections and requests taking longer than ``request_timeout``:
  ``connection``, retried by a later tick (a timed-out post may still have arrived; Slack's
  client has the same trade-off).
- Anything else: ``teams_http_<status>`` (not retried beyond the tick's own attempts).
- No remembered conversation and no service URL for the tenant: ``not_installed``.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.nudges.digest import Digest
from bot.nudges.hold_off import HoldOff, retry_after_seconds
from bot.nudges.ports import SendError
from bot.nudges.roundup import ChannelNudge, Roundup, members_roundup
from bot.settings import Settings
from bot.teams.app import create_teams_app, ready
from bot.teams.cards import card_attachment, digest_card, nudge_card, nudge_disabled_card
from bot.teams.references import (
    ConversationTarget,
    TenantDirectory,
    channel_of,
    remember_conversation,
    tenant_directory,
)

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from microsoft_teams.api.activities import SentActivity
    from microsoft_teams.apps import App

T = TypeVar("T")

FORBIDDEN = "teams_forbidden"
"""403: the bot is not in the conversation (removed from the team, app uninstalled, blocked)."""
GONE = "teams_gone"
"""404: the conversation does not exist any more (channel deleted, bad id)."""
CARD_REASONS = {GONE: "gone", FORBIDDEN: "forbidden"}
"""The codes above as :func:`~bot.teams.cards.nudge_disabled_card` names them."""
DEFAULT_REQUEST_TIMEOUT_S = 30.0
DEFAULT_RETRY_AFTER_S = 1.0
"""How long to hold off after a 429 that names no ``Retry-After``."""
UNNAMED_CHANNEL = "a Teams channel"
ROSTER_PAGE = 500
MAX_ROSTER_PAGES = 40
"""Members listed per page, and pages at most (20,000 people: a very large team)."""


class TeamsNudgeSender:
    """Send nudges, digests and notices through the Teams SDK's connector client."""

    def __init__(
        self,
        app: App,
        sessions: async_sessionmaker[AsyncSession],
        *,
        max_rate_limit_waits: int = 20,
        request_timeout: float = DEFAULT_REQUEST_TIMEOUT_S,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """Keep the app and the database of conversation references.

        One sender serves every tick of a process (see :func:`build_teams_sender`): its
        rate-limit memory carries over, and each tick reads a tenant's conversations once, on
        first use.

        Args:
            app: The Teams SDK app (from :func:`bot.teams.app.create_teams_app`).
            sessions: The session factory (conversation references).
            max_rate_limit_waits: 429 answers waited out per message before it is reported
                ``ratelimited`` for a later tick.
            request_timeout: Seconds one connector request may take; then it counts as a
                ``connection`` failure (the SDK's HTTP client sets no timeout of its own).
            clock: Monotonic seconds (tests pass a fake one).
            sleep: Waits that many seconds (tests pass one that only advances their clock).
        """
        self._app = app
        self._sessions = sessions
        self._max_waits = max_rate_limit_waits
        self._timeout = request_timeout
        # A tenant's 429 holds off every send to it, this tick's and the next's.
        self._hold_off = HoldOff(clock=clock, sleep=sleep)
        # Each tenant's conversations and each channel's members, read once per tick (see
        # new_tick), so a tick of a thousand nudges makes one query per tenant, not one per
        # nudge, and the next tick sees chats and members that arrived meanwhile.
        self._directories: dict[str, TenantDirectory] = {}
        self._directory_lock = asyncio.Lock()
        self._rosters: dict[tuple[str, str], frozenset[str] | None] = {}

    def new_tick(self) -> None:
        """Forget the conversations and rosters read by the last tick; keep the 429 memory."""
        self._directories = {}
        self._rosters = {}

    async def send_channel(
        self, workspace_external_id: str, channel_id: str, nudge: ChannelNudge
    ) -> str:
        """Post the nudge card (question, "Log a win", team roundup) to a channel.

        Returns:
            The connector's activity id.

        Raises:
            SendError: The connector refused it or was unreachable, or Step Up was never in
                the tenant.
        """
        target = await self._channel(workspace_external_id, channel_id)
        roundup = await self._team_roundup(workspace_external_id, target, nudge)
        card = nudge_card(nudge.question, roundup)
        return await self._post(workspace_external_id, target, card)

    async def send_card(self, tenant: str, user_id: str, card: dict[str, Any]) -> str:
        """Post ``card`` to a person's 1:1 chat with Step Up (created when there is none).

        Returns:
            The connector's activity id.

        Raises:
            SendError: The connector refused it or was unreachable.
        """
        target = await self._personal(tenant, user_id)
        return await self._post(tenant, target, card)

    async def _team_roundup(
        self, tenant: str, target: ConversationTarget, nudge: ChannelNudge
    ) -> Roundup | None:
        """Return the roundup of the channel's team (its members as Teams lists them).

        A tenant can be a whole hospital system, so the tenant-wide counts the tick computed are
        narrowed to the team. When the members cannot be listed, no roundup is shown (never the
        tenant's counts instead).
        """
        if nudge.roundup is None or nudge.window_end is None:
            return None
        members = await self._members(tenant, target)
        if members is None:
            return None
        return await members_roundup(
            self._sessions,
            platform="teams",
            workspace=tenant,
            members=members,
            now=nudge.window_end,
        )

    async def _members(self, tenant: str, target: ConversationTarget) -> frozenset[str] | None:
        key = (tenant, target.conversation_id)
        if key in self._rosters:
            return self._rosters[key]
        app = await ready(self._app)
        api = app.api.clone(service_url=target.service_url)
        members: set[str] = set()
        token: str | None = None
        try:
            for _ in range(MAX_ROSTER_PAGES):
                page = await self._call(
                    tenant,
                    functools.partial(
                        api.conversations.get_paged_members,
                        target.conversation_id,
                        page_size=ROSTER_PAGE,
                        continuation_token=token,
                    ),
                )
                members.update(member.id for member in page.members)
                token = page.continuation_token
                if not token:
                    break
            found: frozenset[str] | None = frozenset(members)
        except SendError as exc:
            log.info("teams: members of a channel not listed (%s): no roundup", exc.code)
            found = None
        self._rosters[key] = found
        return found

    async def send_dm(self, workspace_external_id: str, user_id: str, message: str) -> str:
        """Post the nudge card with ``message`` as the question to the person's personal chat."""
        target = await self._personal(workspace_external_id, user_id)
        return await self._post(workspace_external_id, target, nudge_card(message, None))

    async def send_digest(self, workspace_external_id: str, user_id: str, digest: Digest) -> str:
        """Post the monthly digest card to the person's personal chat."""
        target = await self._personal(workspace_external_id, user_id)
        return await self._post(workspace_external_id, target, digest_card(digest))

    async def notify_disabled(
        self,
        workspace_external_id: str,
        user_id: str,
        *,
        channel_id: str,
        code: str,
        schedule_id: int,
    ) -> None:
        """Tell whoever set up a channel nudge, in their personal chat, that it was turned off."""
        channel = (await self._directory(workspace_external_id)).conversations.get(
            channel_of(channel_id)
        )
        name = channel.name if channel is not None and channel.name else UNNAMED_CHANNEL
        target = await self._personal(workspace_external_id, user_id)
        card = nudge_disabled_card(name, CARD_REASONS.get(code, code), schedule_id)
        await self._post(workspace_external_id, target, card)

    async def _directory(self, tenant: str) -> TenantDirectory:
        found = self._directories.get(tenant)
        if found is None:
            async with self._directory_lock:
                found = self._directories.get(tenant)
                if found is None:
                    found = await tenant_directory(self._sessions, tenant_id=tenant)
                    self._directories[tenant] = found
        return found

    async def _channel(self, tenant: str, channel_id: str) -> ConversationTarget:
        found = (await self._directory(tenant)).conversations.get(channel_of(channel_id))
        if found is not None:
            return found
        # A channel set up before Step Up kept references: try it at the tenant's connector.
        service_url = await self._service_url(tenant)
        return ConversationTarget(channel_id, service_url, "channel", None)

    async def _personal(self, tenant: str, user_id: str) -> ConversationTarget:
        directory = await self._directory(tenant)
        found = directory.personal.get(user_id)
        if found is not None:
            return found
        service_url = await self._service_url(tenant)
        conversation_id = await self._create_personal(tenant, user_id, service_url)
        await remember_conversation(
            self._sessions,
            tenant_id=tenant,
            conversation_id=conversation_id,
            service_url=service_url,
            kind="personal",
            user_id=user_id,
        )
        created = ConversationTarget(conversation_id, service_url, "personal", None)
        directory.personal[user_id] = created
        return created

    async def _service_url(self, tenant: str) -> str:
        service_url = (await self._directory(tenant)).service_url
        if service_url is None:
            raise SendError("not_installed", f"teams: no conversation known in tenant {tenant}")
        return service_url

    async def _create_personal(self, tenant: str, user_id: str, service_url: str) -> str:
        from microsoft_teams.api.clients.conversation.params import CreateConversationParams
        from microsoft_teams.api.models.account import Account

        app = await ready(self._app)
        params = CreateConversationParams(
            members=[Account(id=user_id)],
            tenant_id=tenant,
            channel_data={"tenant": {"id": tenant}},
            # Not a declared field of the SDK's model; extra fields go out as named.
            isGroup=False,
        )
        api = app.api.clone(service_url=service_url)
        created = await self._call(tenant, lambda: api.conversations.create(params))
        return created.id

    async def _post(self, tenant: str, target: ConversationTarget, card: dict[str, Any]) -> str:
        from microsoft_teams.api.activities.message.message import MessageActivityInput
        from microsoft_teams.api.models.attachment.attachment import Attachment

        app = await ready(self._app)
        attachment = Attachment.model_validate(card_attachment(card))

        async def send() -> SentActivity:
            # A fresh activity per attempt: the SDK writes the sender and conversation into it.
            activity = MessageActivityInput().add_attachments(attachment)
            return await app.send(target.conversation_id, activity, service_url=target.service_url)

        sent = await self._call(tenant, send)
        return str(sent.id or "")

    async def _call(self, tenant: str, request: Callable[[], Awaitable[T]]) -> T:
        """Run one connector request, waiting out 429s and mapping failures to SendError."""
        for _ in range(self._max_waits + 1):
            await self._hold_off.wait(tenant)
            try:
                async with asyncio.timeout(self._timeout):
                    return await request()
            except httpx.HTTPStatusError as exc:
                response = exc.response
                if response.status_code == 429:
                    header = response.headers.get("Retry-After")
                    self._hold_off.hold(
                        tenant, retry_after_seconds(header, default=DEFAULT_RETRY_AFTER_S)
                    )
                    continue
                raise _send_error(response) from None
            except (httpx.TransportError, OSError) as exc:
                raise SendError("connection", f"teams unreachable: {type(exc).__name__}") from None
        raise SendError("ratelimited", "teams: still rate limited; a later tick retries")


def _send_error(response: httpx.Response) -> SendError:
    """Return the SendError for a connector's non-2xx answer (not a 429)."""
    status = response.status_code
    detail = _error_code(response)
    if status == 403:
        code = FORBIDDEN
    elif status == 404:
        code = GONE
    elif status >= 500:
        code = "connection"
    else:
        code = f"teams_http_{status}"
    return SendError(code, f"teams: {status} {detail}".strip())


def _error_code(response: httpx.Response) -> str:
    """Return the Bot Framework error code of an answer (``{"error": {"code": …}}``), or ''."""
    try:
        body = response.json()
    except ValueError:
        return ""
    error = body.get("error") if isinstance(body, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return str(code) if code else ""


def build_teams_sender(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    *,
    app: App | None = None,
) -> TeamsNudgeSender | None:
    """Return the process's Teams sender, or None when Teams is not configured.

    Args:
        settings: The settings (``TEAMS_CLIENT_ID``/``SECRET``, or ``TEAMS_DEV_UNAUTHENTICATED``).
        sessions: The session factory (the sender finds conversation references there).
        app: The Teams app to send through; default: a send-only one built from ``settings``,
            which keeps its access token (and connections) for the process's life.

    Raises:
        bot.errors.UserError: The Teams settings are incomplete (see ``create_teams_app``).
    """
    if not settings.teams_configured:
        return None
    return TeamsNudgeSender(app if app is not None else create_teams_app(settings), sessions)
