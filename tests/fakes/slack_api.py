"""A local fake of the Slack Web API that speaks Slack's real HTTP protocol.

The real ``slack_sdk`` ``AsyncWebClient`` (and so Bolt's client) talks to it over a real localhost
socket: point the client's ``base_url`` at :attr:`FakeSlack.url`. Every call is recorded with its
parsed arguments and headers, answers are shaped like Slack's, and tests can script failures and
turn on a deterministic rate limiter.

    async with fake_slack() as fake:
        client = fake.client()
        await client.chat_postMessage(channel="C123", text="hi")
        [call] = fake.calls_to("chat.postMessage")

Protocol notes (checked against slack_sdk 3.48):

- ``AsyncWebClient`` joins ``base_url`` and the method name with ``urljoin``, so the base URL must
  end with a slash; :attr:`FakeSlack.url` is ``http://127.0.0.1:<port>/api/`` and methods are
  served at ``POST``/``GET /api/<method>``.
- Arguments arrive three ways: a JSON body (``chat.postMessage``, ``views.*``, ``assistant.*``,
  ``chat.*Stream``), a form body, or the URL query string (the async client sends ``params=``
  arguments, e.g. ``chat.delete``, ``users.info``, ``files.*``, as query parameters even on POST).
  The fake merges them; JSON-encoded form values such as ``blocks`` or ``files`` are decoded.
- The token travels in ``Authorization: Bearer …`` (a legacy ``token`` argument is accepted too).
- API errors are HTTP 200 with ``{"ok": false, "error": …}``; rate limiting is HTTP 429 with a
  ``Retry-After`` header (seconds) and ``{"ok": false, "error": "ratelimited"}``.
- ``files_upload_v2`` is three steps: ``files.getUploadURLExternal`` (the fake hands out an upload
  URL pointing back at itself, ``<root>/upload/v1/<file_id>``), a raw POST of the bytes to that URL
  with no token (answered ``text/plain`` ``OK - <length>`` like files.slack.com), then
  ``files.completeUploadExternal``.

Rate limiter (off by default; deterministic given the ``clock``): only calls to
``rate_limited_methods`` (default ``chat.postMessage`` and ``chat.postEphemeral``) count. A call is
refused with 429 when the same workspace posted to the same channel less than
``1 / rate_limit_per_channel_per_s`` seconds ago, or when the workspace already had
``workspace_limit_per_min`` accepted calls in the last 60 seconds (a sliding window over all limited
methods and channels). Refused calls are recorded but do not count against the limits.
``Retry-After`` is the whole number of seconds until the call would be accepted, at least 1.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import json
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

from slack_sdk.web.async_client import AsyncWebClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from tests.http import serve

TEST_BOT_TOKEN = "xoxb-test-not-a-real-token"
"""An obviously fake bot token that the fake accepts by default."""

TEST_APP_TOKEN = "xapp-1-test-not-a-real-app-token"
"""An obviously fake app-level token (Socket Mode) the fake accepts by default."""

TEST_CLIENT_ID = "1111111111.2222222222"
TEST_CLIENT_SECRET = "test-client-secret-not-a-real-one"
"""The OAuth client credentials ``oauth.v2.access`` accepts by default."""

DEFAULT_TEAM_ID = "T123ABC456"
DEFAULT_APP_ID = "A123ABC456"
DEFAULT_BOT_USER_ID = "U0BOT"
DEFAULT_BOT_ID = "B0BOT"
DEFAULT_SCOPES = (
    "app_mentions:read",
    "assistant:write",
    "channels:read",
    "chat:write",
    "commands",
    "files:write",
    "groups:read",
    "im:history",
    "im:read",
    "im:write",
    "users:read",
)
RESPONSE_URL = "response_url"
"""The ``Call.method`` of a post to a :meth:`FakeSlack.response_url`."""
MESSAGE_METHODS = frozenset({"chat.postMessage", "chat.postEphemeral"})
STREAM_METHODS = frozenset({"chat.startStream", "chat.appendStream", "chat.stopStream"})

# Form-encoded arguments that Slack expects as JSON strings; decoded so `Call.params` looks the
# same whichever encoding the client chose.
_JSON_FIELDS = frozenset(
    {"attachments", "blocks", "chunks", "files", "loading_messages", "metadata", "prompts", "view"}
)
_FIRST_TS = 1_700_000_000_000_100  # microseconds: the first ts handed out is 1700000000.000100
_TS_STEP = 100


class SlackError(Exception):
    """Raised by a method handler to answer ``{"ok": false, "error": error, **extra}``."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


def _missing(name: str) -> SlackError:
    return SlackError(
        "invalid_arguments",
        response_metadata={"messages": [f"[ERROR] missing required field: {name}"]},
    )


@dataclass(frozen=True)
class Call:
    """One Web API call the fake received, with the answer it gave."""

    method: str
    params: dict[str, Any]
    """Arguments from the query string, form body or JSON body (token removed)."""
    headers: dict[str, str]
    """Request headers, lower-case names (``authorization`` included)."""
    token: str | None
    http_method: str
    status: int
    response: dict[str, Any]
    response_headers: dict[str, str]
    """Headers the fake added to the answer (``Retry-After``, ``x-oauth-scopes``)."""
    at: float
    """The fake's clock when the call was answered."""

    @property
    def ok(self) -> bool:
        """Whether Slack would have reported success (HTTP 200 and ``ok: true``)."""
        return self.status == 200 and bool(self.response.get("ok"))


@dataclass
class Upload:
    """A file uploaded through the ``files_upload_v2`` flow."""

    file_id: str
    filename: str
    length: int
    alt_txt: str | None = None
    snippet_type: str | None = None
    content: bytes | None = None
    """The uploaded bytes (``None`` until the upload URL received them)."""
    title: str | None = None
    channel: str | None = None
    """``channel_id`` (or the first of ``channels``) given at completion."""
    channels: list[str] = field(default_factory=list)
    initial_comment: str | None = None
    thread_ts: str | None = None
    completed: bool = False


@dataclass
class Stream:
    """A message streamed with ``chat.startStream`` / ``appendStream`` / ``stopStream``."""

    channel: str
    ts: str
    thread_ts: str
    recipient_user_id: str | None
    recipient_team_id: str | None
    chunks: list[dict[str, Any]] = field(default_factory=list)
    blocks: list[Any] | None = None
    stopped: bool = False

    @property
    def text(self) -> str:
        """The markdown text streamed so far."""
        texts = [c.get("text", "") for c in self.chunks if c.get("type") == "markdown_text"]
        return "".join(str(text) for text in texts)


@dataclass(frozen=True)
class OAuthGrant:
    """What ``oauth.v2.access`` hands out for one authorization code."""

    code: str
    bot_token: str
    team_id: str
    team_name: str
    installer_user_id: str
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class _Scripted:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]


@dataclass(frozen=True)
class _Context:
    params: dict[str, Any]
    team_id: str
    base_url: str


class FakeClock:
    """A clock for the rate limiter that moves only when told to."""

    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self.now += seconds


class _RateLimiter:
    def __init__(
        self,
        *,
        per_channel_per_s: float | None,
        workspace_per_min: int | None,
        clock: Callable[[], float],
    ) -> None:
        self._interval = None if per_channel_per_s is None else 1.0 / per_channel_per_s
        self._workspace_limit = workspace_per_min
        self._clock = clock
        self._last_post: dict[tuple[str, str], float] = {}
        self._window: dict[str, deque[float]] = {}

    def admit(self, team_id: str, channel: str) -> int | None:
        """Record an accepted call and return None, or return the Retry-After in seconds."""
        now = self._clock()
        waits: list[float] = []
        last = self._last_post.get((team_id, channel))
        if self._interval is not None and last is not None and now - last < self._interval:
            waits.append(last + self._interval - now)
        window = self._window.setdefault(team_id, deque())
        while window and window[0] <= now - 60:
            window.popleft()
        if self._workspace_limit is not None and len(window) >= self._workspace_limit:
            waits.append(window[0] + 60 - now)
        if waits:
            return max(1, math.ceil(max(waits) - 1e-9))
        self._last_post[(team_id, channel)] = now
        window.append(now)
        return None

    def reset(self) -> None:
        self._last_post.clear()
        self._window.clear()


class FakeSlack:
    """State and behaviour of the fake Slack Web API; serve it with :func:`fake_slack`."""

    def __init__(
        self,
        *,
        team_id: str = DEFAULT_TEAM_ID,
        team: str = "Step Up Test Pharmacy",
        app_id: str = DEFAULT_APP_ID,
        bot_user_id: str = DEFAULT_BOT_USER_ID,
        bot_id: str = DEFAULT_BOT_ID,
        bot_name: str = "stepup",
        tokens: Collection[str] | None = None,
        scopes: Iterable[str] = DEFAULT_SCOPES,
        streaming: bool = True,
        streaming_error: str = "unknown_method",
        rate_limit_per_channel_per_s: float | None = None,
        workspace_limit_per_min: int | None = None,
        rate_limited_methods: Collection[str] = MESSAGE_METHODS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Configure the fake.

        Args:
            team_id: The workspace every valid token belongs to unless registered otherwise.
            team: The workspace name ``auth.test`` reports.
            app_id: The app id in messages and views.
            bot_user_id: The bot's user id (``auth.test`` ``user_id``, message ``user``).
            bot_id: The bot id (``auth.test`` ``bot_id``, message ``bot_id``).
            bot_name: The bot's user name (``auth.test`` ``user``).
            tokens: The only tokens accepted; ``None`` accepts any token starting with ``xoxb-``.
            scopes: Reported in the ``x-oauth-scopes`` response header, which Bolt reads.
            streaming: When False, the ``chat.*Stream`` methods answer ``streaming_error``, as in a
                workspace where Slack's AI streaming is not available.
            streaming_error: The error the streaming methods give when ``streaming`` is False.
                The default is the one Slack documents as "This method is currently not available".
            rate_limit_per_channel_per_s: Accepted posts per second per channel (``None``: no
                limit). Slack allows about one message per second per channel.
            workspace_limit_per_min: Accepted posts per minute per workspace (``None``: no limit).
            rate_limited_methods: The methods both limits apply to.
            clock: Seconds as a float; the limiter and ``Call.at`` read it. Pass a
                :class:`FakeClock` to test limits without waiting.
        """
        self.team_id = team_id
        self.team = team
        self.app_id = app_id
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.bot_name = bot_name
        self.scopes = tuple(scopes)
        self.streaming = streaming
        self.streaming_error = streaming_error
        self.rate_limited_methods = frozenset(rate_limited_methods)
        self._tokens: set[str] | None = None if tokens is None else set(tokens)
        self._token_teams: dict[str, str] = {}
        self._revoked: set[str] = set()
        self._clock = clock
        self._limiter = _RateLimiter(
            per_channel_per_s=rate_limit_per_channel_per_s,
            workspace_per_min=workspace_limit_per_min,
            clock=clock,
        )
        self._root_url: str | None = None
        self._changed = asyncio.Condition()
        self.client_id = TEST_CLIENT_ID
        self.client_secret = TEST_CLIENT_SECRET
        """The OAuth credentials ``oauth.v2.access`` requires (HTTP Basic, as slack_sdk sends)."""
        self.app_tokens: set[str] = {TEST_APP_TOKEN}
        """App-level tokens ``apps.connections.open`` accepts."""
        self.socket_mode_url: str | None = None
        """The WebSocket URL ``apps.connections.open`` hands out (``None``: answers an error)."""
        self._grants: dict[str, OAuthGrant] = {}
        self._refreshes: dict[str, tuple[str, str, int]] = {}

        # Configuration (kept by reset()).
        self.users: dict[str, dict[str, Any]] = {}
        """users.info records by user id; unknown ids get a default record."""
        self.channels: dict[str, dict[str, Any]] = {}
        """conversations.info records by channel id; see :meth:`add_channel`."""

        # Recorded state (cleared by reset()).
        self.calls: list[Call] = []
        self.uploads: list[Upload] = []
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}
        """Messages currently in Slack, by (channel, ts), after updates and deletes."""
        self.views: dict[str, dict[str, Any]] = {}
        """Modals and Home tabs by view id, as last opened, pushed, updated or published."""
        self.home_views: dict[str, dict[str, Any]] = {}
        """The Home tab last published for each user id."""
        self.streams: dict[str, Stream] = {}
        """Streamed messages by ts."""
        self._dms: dict[str, dict[str, Any]] = {}
        self._scripted: dict[str, deque[_Scripted]] = {}
        self._counter = 0
        self._next_ts = _FIRST_TS

        self._handlers: dict[str, Callable[[_Context], dict[str, Any]]] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "chat.delete": self._chat_delete,
            "chat.startStream": self._chat_start_stream,
            "chat.appendStream": self._chat_append_stream,
            "chat.stopStream": self._chat_stop_stream,
            "views.open": self._views_open,
            "views.push": self._views_open,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "users.info": self._users_info,
            "conversations.open": self._conversations_open,
            "conversations.info": self._conversations_info,
            "assistant.threads.setStatus": self._assistant_set_status,
            "assistant.threads.setSuggestedPrompts": self._assistant_set_prompts,
            "assistant.threads.setTitle": self._assistant_set_title,
            "files.getUploadURLExternal": self._files_get_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
        }

    # ----------------------------------------------------------------------------------------
    # Addresses and clients

    @property
    def root_url(self) -> str:
        """``http://127.0.0.1:<port>`` while served."""
        if self._root_url is None:
            raise RuntimeError("FakeSlack is not being served; use `async with fake_slack(...)`")
        return self._root_url

    @property
    def url(self) -> str:
        """The Web API base URL to give ``AsyncWebClient(base_url=...)`` (ends with ``/api/``)."""
        return f"{self.root_url}/api/"

    def response_url(self, hook_id: str = "R1") -> str:
        """A slash command's ``response_url`` served here; posts to it are recorded as calls to
        :data:`RESPONSE_URL` (``params`` is the JSON body), answered ``ok`` like Slack."""
        return f"{self.root_url}/response/{hook_id}"

    def client(self, token: str | None = TEST_BOT_TOKEN, **kwargs: Any) -> AsyncWebClient:
        """A real ``AsyncWebClient`` pointed at the fake."""
        client = AsyncWebClient(token=token, base_url=self.url, **kwargs)
        if "proxy" not in kwargs:
            # slack_sdk picks up HTTP(S)_PROXY from the environment and ignores NO_PROXY; keep
            # test traffic on localhost.
            client.proxy = None
        return client

    # ----------------------------------------------------------------------------------------
    # Configuration

    def register_token(self, token: str, *, team_id: str | None = None) -> None:
        """Accept ``token`` (also when ``tokens`` was given) as a token of workspace ``team_id``."""
        if self._tokens is not None:
            self._tokens.add(token)
        self._revoked.discard(token)
        if team_id is not None:
            self._token_teams[token] = team_id

    def add_oauth_code(
        self,
        code: str,
        *,
        bot_token: str,
        team_id: str,
        team_name: str | None = None,
        installer_user_id: str = "U0INSTALLER",
        scopes: Iterable[str] | None = None,
    ) -> OAuthGrant:
        """Make ``oauth.v2.access`` exchange ``code`` (once) for ``bot_token`` of ``team_id``.

        The bot token is registered as a token of that workspace, so ``auth.test`` and every
        later call with it answer for ``team_id``.
        """
        grant = OAuthGrant(
            code=code,
            bot_token=bot_token,
            team_id=team_id,
            team_name=team_name or f"Workspace {team_id}",
            installer_user_id=installer_user_id,
            scopes=tuple(scopes if scopes is not None else self.scopes),
        )
        self._grants[code] = grant
        self.register_token(bot_token, team_id=team_id)
        return grant

    def add_refresh_token(
        self, refresh_token: str, *, bot_token: str, team_id: str, expires_in: int = 43_200
    ) -> None:
        """Make ``oauth.v2.access`` with ``grant_type=refresh_token`` hand out ``bot_token`` once.

        Token rotation: the old refresh token is used up and a new one (``refresh_token`` +
        ``-next``) comes back, as Slack does.
        """
        self._refreshes[refresh_token] = (bot_token, team_id, expires_in)
        self.register_token(bot_token, team_id=team_id)

    def _refresh(self, refresh_token: str) -> tuple[int, dict[str, Any], dict[str, str]]:
        found = self._refreshes.pop(refresh_token, None)
        if found is None:
            return 200, {"ok": False, "error": "invalid_refresh_token"}, {}
        bot_token, team_id, expires_in = found
        answer = {
            "ok": True,
            "access_token": bot_token,
            "token_type": "bot",
            "refresh_token": f"{refresh_token}-next",
            "expires_in": expires_in,
            "team": {"id": team_id},
        }
        return 200, answer, {}

    def revoke_token(self, token: str) -> None:
        """Make later calls with ``token`` fail with ``token_revoked``."""
        self._revoked.add(token)

    def add_user(
        self,
        user_id: str,
        *,
        name: str | None = None,
        real_name: str | None = None,
        display_name: str | None = None,
        tz: str = "America/Chicago",
        is_admin: bool = False,
        is_bot: bool = False,
        deleted: bool = False,
        team_id: str | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """Configure what ``users.info`` answers for ``user_id``; returns the record."""
        record = self._user_record(
            user_id,
            name=name,
            real_name=real_name,
            display_name=display_name,
            tz=tz,
            is_admin=is_admin,
            is_bot=is_bot,
            deleted=deleted,
            team_id=team_id,
        )
        record.update(extra)
        self.users[user_id] = record
        return record

    def add_channel(
        self,
        channel_id: str,
        *,
        name: str | None = None,
        is_private: bool = False,
        is_member: bool = True,
        is_archived: bool = False,
        **extra: Any,
    ) -> dict[str, Any]:
        """Configure a channel for ``conversations.info``; returns the record.

        Posting to a configured channel the bot is not a member of answers ``not_in_channel``;
        to an archived one, ``is_archived``. Unconfigured channels accept posts.
        """
        name = name or f"channel-{channel_id.lower()}"
        record: dict[str, Any] = {
            "id": channel_id,
            "name": name,
            "is_channel": not is_private,
            "is_group": is_private,
            "is_im": False,
            "is_mpim": False,
            "is_private": is_private,
            "created": 1_700_000_000,
            "is_archived": is_archived,
            "is_general": False,
            "name_normalized": name,
            "is_shared": False,
            "is_org_shared": False,
            "is_ext_shared": False,
            "is_member": is_member,
            "context_team_id": self.team_id,
        }
        record.update(extra)
        self.channels[channel_id] = record
        return record

    def fail_next(
        self,
        method: str,
        error: str = "channel_not_found",
        *,
        status: int = 200,
        retry_after: int | None = None,
        times: int = 1,
        **extra: Any,
    ) -> None:
        """Answer the next ``times`` calls to ``method`` with ``{"ok": false, "error": error}``.

        ``status=429`` sends a ``Retry-After`` header (``retry_after`` seconds, default 1). Extra
        keyword arguments are added to the body (e.g. ``needed="chat:write"``).
        """
        headers: dict[str, str] = {}
        if retry_after is not None or status == 429:
            headers["Retry-After"] = str(1 if retry_after is None else retry_after)
        body = {"ok": False, "error": error, **extra}
        self.respond_next(method, body, status=status, headers=headers, times=times)

    def respond_next(
        self,
        method: str,
        body: Mapping[str, Any],
        *,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls to ``method`` with exactly this body and status."""
        queue = self._scripted.setdefault(method, deque())
        for _ in range(times):
            queue.append(_Scripted(status, dict(body), dict(headers or {})))

    def reset(self) -> None:
        """Forget calls, uploads, messages, views, streams, DMs, scripts and limiter history.

        Configuration (users, channels, tokens, options) is kept.
        """
        self.calls.clear()
        self.uploads.clear()
        self.messages.clear()
        self.views.clear()
        self.home_views.clear()
        self.streams.clear()
        self._dms.clear()
        self._scripted.clear()
        self._limiter.reset()

    # ----------------------------------------------------------------------------------------
    # Inspection

    def calls_to(self, method: str) -> list[Call]:
        """The recorded calls to ``method``, oldest first (refused ones included)."""
        return [call for call in self.calls if call.method == method]

    async def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
        *,
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Wait until ``count`` calls to ``method`` (matching ``where``) are recorded.

        Returns the matching calls. Refused calls (API errors, 429s) count too; pass
        ``where=lambda call: call.ok`` to count successes only. Wakes on each recorded call, never
        polls; raises ``TimeoutError`` naming the calls seen so far.
        """

        def matching() -> list[Call]:
            return [
                call
                for call in self.calls
                if call.method == method and (where is None or where(call))
            ]

        try:
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait_for(lambda: len(matching()) >= count)
        except TimeoutError:
            seen = [call.method for call in self.calls]
            raise TimeoutError(
                f"waited {timeout}s for {count} call(s) to {method}, "
                f"got {len(matching())}; calls so far: {seen}"
            ) from None
        return matching()

    # ----------------------------------------------------------------------------------------
    # ASGI

    def asgi_app(self) -> Starlette:
        """The ASGI application serving this fake."""
        return Starlette(
            routes=[
                Route("/api/{method}", self._api_endpoint, methods=["GET", "POST"]),
                Route("/upload/v1/{file_id}", self._upload_endpoint, methods=["POST"]),
                Route("/response/{hook_id}", self._response_endpoint, methods=["POST"]),
            ]
        )

    async def _api_endpoint(self, request: Request) -> Response:
        method = request.path_params["method"]
        body = await request.body()
        token = _bearer(request.headers.get("authorization"))
        answer: tuple[int, dict[str, Any], dict[str, str]]
        try:
            params = _parse_params(request.url.query, request.headers.get("content-type", ""), body)
        except SlackError as exc:
            params, answer = {}, (200, {"ok": False, "error": exc.error}, {})
        else:
            legacy_token = params.pop("token", None)
            if token is None and isinstance(legacy_token, str) and legacy_token:
                token = legacy_token
            if method == "oauth.v2.access":
                answer = self._oauth_v2_access(params, request.headers.get("authorization"))
            elif method == "apps.connections.open":
                answer = self._apps_connections_open(token)
            else:
                answer = self._answer(method, params, token, str(request.base_url))
        status, payload, headers = answer
        call = Call(
            method=method,
            params=params,
            headers=dict(request.headers),
            token=token,
            http_method=request.method,
            status=status,
            response=payload,
            response_headers=headers,
            at=self._clock(),
        )
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()
        return JSONResponse(payload, status_code=status, headers=headers)

    def _answer(
        self, method: str, params: dict[str, Any], token: str | None, base_url: str
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        handler = self._handlers.get(method)
        if handler is None:
            return 200, {"ok": False, "error": "unknown_method", "req_method": method}, {}
        if not token:
            return 200, {"ok": False, "error": "not_authed"}, {}
        if token in self._revoked:
            return 200, {"ok": False, "error": "token_revoked"}, {}
        if not self._token_is_valid(token):
            return 200, {"ok": False, "error": "invalid_auth"}, {}
        headers = {"x-oauth-scopes": ",".join(self.scopes)}
        scripted = self._scripted.get(method)
        if scripted:
            answer = scripted.popleft()
            return answer.status, answer.body, {**headers, **answer.headers}
        team_id = self._token_teams.get(token, self.team_id)
        if method in self.rate_limited_methods:
            channel = str(params.get("channel", ""))
            retry_after = self._limiter.admit(team_id, self._resolve_channel(channel))
            if retry_after is not None:
                headers["Retry-After"] = str(retry_after)
                return 429, {"ok": False, "error": "ratelimited"}, headers
        try:
            return 200, handler(_Context(params, team_id, base_url.rstrip("/"))), headers
        except SlackError as exc:
            return 200, {"ok": False, "error": exc.error, **exc.extra}, headers

    def _oauth_v2_access(
        self, params: dict[str, Any], authorization: str | None
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        # slack_sdk sends the client credentials as HTTP Basic auth; Slack also takes them as
        # form fields.
        client_id, client_secret = _basic(authorization)
        client_id = client_id or params.pop("client_id", None)
        client_secret = client_secret or params.pop("client_secret", None)
        params.pop("client_secret", None)
        if client_id != self.client_id:
            return 200, {"ok": False, "error": "invalid_client_id"}, {}
        if client_secret != self.client_secret:
            return 200, {"ok": False, "error": "bad_client_secret"}, {}
        if params.get("grant_type") == "refresh_token":
            return self._refresh(str(params.get("refresh_token") or ""))
        grant = self._grants.pop(str(params.get("code") or ""), None)
        if grant is None:
            return 200, {"ok": False, "error": "invalid_code"}, {}
        return (
            200,
            {
                "ok": True,
                "access_token": grant.bot_token,
                "token_type": "bot",
                "scope": ",".join(grant.scopes),
                "bot_user_id": self.bot_user_id,
                "app_id": self.app_id,
                "team": {"id": grant.team_id, "name": grant.team_name},
                "enterprise": None,
                "authed_user": {"id": grant.installer_user_id},
                "is_enterprise_install": False,
            },
            {},
        )

    def _apps_connections_open(
        self, token: str | None
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        if not token:
            return 200, {"ok": False, "error": "not_authed"}, {}
        if not token.startswith("xapp-"):
            return 200, {"ok": False, "error": "not_allowed_token_type"}, {}
        if token not in self.app_tokens or token in self._revoked:
            return 200, {"ok": False, "error": "invalid_auth"}, {}
        if self.socket_mode_url is None:
            return 200, {"ok": False, "error": "socket_mode_not_enabled"}, {}
        return 200, {"ok": True, "url": self.socket_mode_url}, {}

    def _token_is_valid(self, token: str) -> bool:
        if self._tokens is None:
            return token.startswith("xoxb-") or token in self._token_teams
        return token in self._tokens

    async def _response_endpoint(self, request: Request) -> Response:
        try:
            params = json.loads(await request.body() or b"{}")
        except ValueError:
            return PlainTextResponse("invalid_payload", status_code=400)
        params["hook_id"] = request.path_params["hook_id"]
        call = Call(
            method=RESPONSE_URL,
            params=params,
            headers=dict(request.headers),
            token=None,
            http_method=request.method,
            status=200,
            response={"ok": True},
            response_headers={},
            at=self._clock(),
        )
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()
        return PlainTextResponse("ok")

    async def _upload_endpoint(self, request: Request) -> Response:
        file_id = request.path_params["file_id"]
        upload = self._upload(file_id)
        if upload is None:
            return PlainTextResponse("file not found", status_code=404)
        upload.content = await request.body()
        return PlainTextResponse(f"OK - {len(upload.content)}")

    # ----------------------------------------------------------------------------------------
    # Helpers

    def _next_id(self, prefix: str) -> str:
        self._counter += 1
        return f"{prefix}{self._counter:010d}"

    def _new_ts(self) -> str:
        value = self._next_ts
        self._next_ts += _TS_STEP
        return f"{value // 1_000_000}.{value % 1_000_000:06d}"

    def _upload(self, file_id: str) -> Upload | None:
        return next((upload for upload in self.uploads if upload.file_id == file_id), None)

    def _resolve_channel(self, channel: str) -> str:
        # Posting to a user id posts to the DM with that user, as Slack does.
        if channel[:1] in ("U", "W"):
            return self._open_dm(channel)
        return channel

    def _open_dm(self, user_id: str) -> str:
        channel_id = f"D{user_id[1:]}"
        self._dms.setdefault(
            channel_id,
            {
                "id": channel_id,
                "created": 1_700_000_000,
                "is_im": True,
                "is_org_shared": False,
                "context_team_id": self.team_id,
                "user": user_id,
                "is_user_deleted": False,
                "priority": 0,
            },
        )
        return channel_id

    def _check_can_post(self, channel: str) -> None:
        record = self.channels.get(channel)
        if record is None:
            return
        if record.get("is_archived"):
            raise SlackError("is_archived")
        if not record.get("is_member", True):
            raise SlackError("not_in_channel")

    def _message(self, ctx: _Context, ts: str, params: Mapping[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "text": params.get("text", ""),
            "ts": ts,
            "team": ctx.team_id,
        }
        for key in ("blocks", "attachments", "thread_ts", "metadata"):
            if params.get(key) is not None:
                message[key] = params[key]
        return message

    def _user_record(
        self,
        user_id: str,
        *,
        name: str | None = None,
        real_name: str | None = None,
        display_name: str | None = None,
        tz: str = "America/Chicago",
        is_admin: bool = False,
        is_bot: bool = False,
        deleted: bool = False,
        team_id: str | None = None,
    ) -> dict[str, Any]:
        name = name or f"user-{user_id.lower()}"
        real_name = real_name or f"Test User {user_id}"
        offset = datetime.now(ZoneInfo(tz)).utcoffset()
        return {
            "id": user_id,
            "team_id": team_id or self.team_id,
            "name": name,
            "deleted": deleted,
            "real_name": real_name,
            "tz": tz,
            "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
            "is_admin": is_admin,
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": is_bot,
            "is_app_user": False,
            "updated": 1_700_000_000,
            "profile": {
                "real_name": real_name,
                "real_name_normalized": real_name,
                "display_name": display_name if display_name is not None else name,
                "display_name_normalized": display_name if display_name is not None else name,
                "team": team_id or self.team_id,
            },
        }

    # ----------------------------------------------------------------------------------------
    # Methods

    def _auth_test(self, ctx: _Context) -> dict[str, Any]:
        team = self.team if ctx.team_id == self.team_id else f"Workspace {ctx.team_id}"
        return {
            "ok": True,
            "url": f"https://{ctx.team_id.lower()}.slack.com/",
            "team": team,
            "user": self.bot_name,
            "team_id": ctx.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _chat_post_message(self, ctx: _Context) -> dict[str, Any]:
        params = ctx.params
        if not params.get("channel"):
            raise SlackError("channel_not_found")
        if not (params.get("text") or params.get("blocks") or params.get("attachments")):
            raise SlackError("no_text")
        channel = self._resolve_channel(str(params["channel"]))
        self._check_can_post(channel)
        ts = self._new_ts()
        message = self._message(ctx, ts, params)
        self.messages[(channel, ts)] = message
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _chat_post_ephemeral(self, ctx: _Context) -> dict[str, Any]:
        params = ctx.params
        if not params.get("channel"):
            raise SlackError("channel_not_found")
        if not params.get("user"):
            raise _missing("user")
        if not (params.get("text") or params.get("blocks") or params.get("attachments")):
            raise SlackError("no_text")
        self._check_can_post(self._resolve_channel(str(params["channel"])))
        return {"ok": True, "message_ts": self._new_ts()}

    def _chat_update(self, ctx: _Context) -> dict[str, Any]:
        params = ctx.params
        for name in ("channel", "ts"):
            if not params.get(name):
                raise _missing(name)
        channel, ts = str(params["channel"]), str(params["ts"])
        message = self.messages.get((channel, ts)) or self._message(ctx, ts, {})
        for key in ("text", "blocks", "attachments", "metadata"):
            if key in params:
                message[key] = params[key]
        self.messages[(channel, ts)] = message
        return {
            "ok": True,
            "channel": channel,
            "ts": ts,
            "text": message.get("text", ""),
            "message": message,
        }

    def _chat_delete(self, ctx: _Context) -> dict[str, Any]:
        params = ctx.params
        for name in ("channel", "ts"):
            if not params.get(name):
                raise _missing(name)
        channel, ts = str(params["channel"]), str(params["ts"])
        self.messages.pop((channel, ts), None)
        return {"ok": True, "channel": channel, "ts": ts}

    def _stream_for(self, ctx: _Context) -> Stream:
        if not self.streaming:
            raise SlackError(self.streaming_error)
        for name in ("channel", "ts"):
            if not ctx.params.get(name):
                raise _missing(name)
        stream = self.streams.get(str(ctx.params["ts"]))
        if stream is None or stream.stopped or stream.channel != ctx.params["channel"]:
            raise SlackError("message_not_in_streaming_state")
        return stream

    @staticmethod
    def _stream_chunks(params: Mapping[str, Any]) -> list[dict[str, Any]]:
        chunks: list[dict[str, Any]] = []
        if params.get("markdown_text"):
            chunks.append({"type": "markdown_text", "text": params["markdown_text"]})
        chunks.extend(params.get("chunks") or [])
        return chunks

    def _stream_message(self, ctx: _Context, stream: Stream) -> dict[str, Any]:
        message = self._message(ctx, stream.ts, {"thread_ts": stream.thread_ts})
        message["text"] = stream.text
        if stream.blocks is not None:
            message["blocks"] = stream.blocks
        self.messages[(stream.channel, stream.ts)] = message
        return message

    def _chat_start_stream(self, ctx: _Context) -> dict[str, Any]:
        if not self.streaming:
            raise SlackError(self.streaming_error)
        params = ctx.params
        for name in ("channel", "thread_ts"):
            if not params.get(name):
                raise _missing(name)
        channel = str(params["channel"])
        if channel[:1] in ("C", "G"):
            # Slack requires the recipient when streaming outside a DM.
            if not params.get("recipient_user_id"):
                raise SlackError("missing_recipient_user_id")
            if not params.get("recipient_team_id"):
                raise SlackError("missing_recipient_team_id")
        self._check_can_post(channel)
        stream = Stream(
            channel=channel,
            ts=self._new_ts(),
            thread_ts=str(params["thread_ts"]),
            recipient_user_id=params.get("recipient_user_id"),
            recipient_team_id=params.get("recipient_team_id"),
            chunks=self._stream_chunks(params),
        )
        self.streams[stream.ts] = stream
        self._stream_message(ctx, stream)
        return {"ok": True, "channel": channel, "ts": stream.ts}

    def _chat_append_stream(self, ctx: _Context) -> dict[str, Any]:
        stream = self._stream_for(ctx)
        stream.chunks.extend(self._stream_chunks(ctx.params))
        self._stream_message(ctx, stream)
        return {"ok": True, "channel": stream.channel, "ts": stream.ts}

    def _chat_stop_stream(self, ctx: _Context) -> dict[str, Any]:
        stream = self._stream_for(ctx)
        stream.chunks.extend(self._stream_chunks(ctx.params))
        if ctx.params.get("blocks") is not None:
            stream.blocks = list(ctx.params["blocks"])
        stream.stopped = True
        message = self._stream_message(ctx, stream)
        return {"ok": True, "channel": stream.channel, "ts": stream.ts, "message": message}

    def _view(self, ctx: _Context, view: Any, *, view_id: str, kind: str) -> dict[str, Any]:
        if not isinstance(view, dict):
            raise SlackError("invalid_arguments")
        previous = self.views.get(view_id, {})
        self._counter += 1
        full: dict[str, Any] = {
            "id": view_id,
            "team_id": ctx.team_id,
            "type": view.get("type", kind),
            "blocks": [],
            "private_metadata": "",
            "callback_id": "",
            "state": {"values": {}},
            "hash": f"1700000000.{self._counter:08d}",
            "title": None,
            "clear_on_close": False,
            "notify_on_close": False,
            "close": None,
            "submit": None,
            "previous_view_id": None,
            "root_view_id": previous.get("root_view_id", view_id),
            "app_id": self.app_id,
            "external_id": "",
            "app_installed_team_id": ctx.team_id,
            "bot_id": self.bot_id,
        }
        full.update(view)
        full["id"] = view_id
        self.views[view_id] = full
        return full

    def _views_open(self, ctx: _Context) -> dict[str, Any]:
        if not (ctx.params.get("trigger_id") or ctx.params.get("interactivity_pointer")):
            raise _missing("trigger_id")
        if "view" not in ctx.params:
            raise _missing("view")
        view = self._view(ctx, ctx.params["view"], view_id=self._next_id("V"), kind="modal")
        return {"ok": True, "view": view}

    def _views_update(self, ctx: _Context) -> dict[str, Any]:
        if "view" not in ctx.params:
            raise _missing("view")
        view_id = ctx.params.get("view_id")
        external_id = ctx.params.get("external_id")
        if not view_id and external_id:
            view_id = next(
                (vid for vid, v in self.views.items() if v.get("external_id") == external_id),
                None,
            )
            if view_id is None:
                raise SlackError("not_found")
        if not view_id:
            raise _missing("view_id")
        view = self._view(ctx, ctx.params["view"], view_id=str(view_id), kind="modal")
        return {"ok": True, "view": view}

    def _views_publish(self, ctx: _Context) -> dict[str, Any]:
        user_id = ctx.params.get("user_id")
        if not user_id:
            raise _missing("user_id")
        if "view" not in ctx.params:
            raise _missing("view")
        existing = self.home_views.get(str(user_id))
        view_id = existing["id"] if existing else self._next_id("V")
        view = self._view(ctx, ctx.params["view"], view_id=view_id, kind="home")
        self.home_views[str(user_id)] = view
        return {"ok": True, "view": view}

    def _users_info(self, ctx: _Context) -> dict[str, Any]:
        user_id = ctx.params.get("user")
        if not user_id:
            raise _missing("user")
        user = self.users.get(str(user_id)) or self._user_record(str(user_id))
        return {"ok": True, "user": user}

    def _conversations_open(self, ctx: _Context) -> dict[str, Any]:
        if ctx.params.get("channel"):
            return {"ok": True, "channel": {"id": ctx.params["channel"]}}
        users = [u for u in str(ctx.params.get("users", "")).split(",") if u]
        if not users:
            raise SlackError("users_list_not_supplied")
        if len(users) == 1:
            channel_id = self._open_dm(users[0])
        else:
            channel_id = "G" + "".join(sorted(u[1:4] for u in users))
        return {"ok": True, "channel": {"id": channel_id}}

    def _conversations_info(self, ctx: _Context) -> dict[str, Any]:
        channel_id = ctx.params.get("channel")
        if not channel_id:
            raise _missing("channel")
        record = self.channels.get(str(channel_id)) or self._dms.get(str(channel_id))
        if record is None:
            raise SlackError("channel_not_found")
        return {"ok": True, "channel": record}

    def _assistant_set_status(self, ctx: _Context) -> dict[str, Any]:
        for name in ("channel_id", "thread_ts"):
            if not ctx.params.get(name):
                raise _missing(name)
        if "status" not in ctx.params:
            raise _missing("status")
        return {"ok": True}

    def _assistant_set_prompts(self, ctx: _Context) -> dict[str, Any]:
        if not ctx.params.get("channel_id"):
            raise _missing("channel_id")
        if not isinstance(ctx.params.get("prompts"), list):
            raise _missing("prompts")
        return {"ok": True}

    def _assistant_set_title(self, ctx: _Context) -> dict[str, Any]:
        for name in ("channel_id", "thread_ts", "title"):
            if not ctx.params.get(name):
                raise _missing(name)
        return {"ok": True}

    def _files_get_upload_url(self, ctx: _Context) -> dict[str, Any]:
        for name in ("filename", "length"):
            if not ctx.params.get(name):
                raise _missing(name)
        try:
            length = int(ctx.params["length"])
        except ValueError:
            raise SlackError("invalid_arguments") from None
        upload = Upload(
            file_id=self._next_id("F"),
            filename=str(ctx.params["filename"]),
            length=length,
            alt_txt=ctx.params.get("alt_txt"),
            snippet_type=ctx.params.get("snippet_type"),
        )
        self.uploads.append(upload)
        return {
            "ok": True,
            "upload_url": f"{ctx.base_url}/upload/v1/{upload.file_id}",
            "file_id": upload.file_id,
        }

    def _files_complete_upload(self, ctx: _Context) -> dict[str, Any]:
        files = ctx.params.get("files")
        if not isinstance(files, list) or not files:
            raise _missing("files")
        uploads: list[tuple[Upload, dict[str, Any]]] = []
        for entry in files:
            upload = self._upload(str(entry.get("id", ""))) if isinstance(entry, dict) else None
            if upload is None or upload.content is None:
                raise SlackError("file_not_found")
            uploads.append((upload, entry))
        channels = [c for c in str(ctx.params.get("channels") or "").split(",") if c]
        channel_id = ctx.params.get("channel_id")
        answered = []
        for upload, entry in uploads:
            upload.title = entry.get("title") or upload.filename
            upload.channels = [channel_id] if channel_id else channels
            upload.channel = upload.channels[0] if upload.channels else None
            upload.initial_comment = ctx.params.get("initial_comment")
            upload.thread_ts = ctx.params.get("thread_ts")
            upload.completed = True
            answered.append(
                {
                    "id": upload.file_id,
                    "created": 1_700_000_000,
                    "timestamp": 1_700_000_000,
                    "name": upload.filename,
                    "title": upload.title,
                    "size": len(upload.content or b""),
                    "user": self.bot_user_id,
                    "user_team": ctx.team_id,
                }
            )
        return {"ok": True, "files": answered}


def _bearer(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def _basic(authorization: str | None) -> tuple[str | None, str | None]:
    if not authorization:
        return None, None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "basic":
        return None, None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None, None
    client_id, sep, client_secret = decoded.partition(":")
    return (client_id, client_secret) if sep else (None, None)


def _parse_params(query: str, content_type: str, body: bytes) -> dict[str, Any]:
    params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    media_type = content_type.split(";")[0].strip().lower()
    if body and media_type == "application/json":
        try:
            parsed = json.loads(body)
        except ValueError:
            raise SlackError("invalid_json") from None
        if not isinstance(parsed, dict):
            raise SlackError("invalid_json")
        params.update(parsed)
    elif body and media_type in ("", "application/x-www-form-urlencoded"):
        params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    for key in _JSON_FIELDS & params.keys():
        value = params[key]
        if isinstance(value, str) and value[:1] in ("[", "{"):
            with contextlib.suppress(json.JSONDecodeError):
                params[key] = json.loads(value)
    return params


@contextlib.asynccontextmanager
async def fake_slack(fake: FakeSlack | None = None) -> AsyncIterator[FakeSlack]:
    """Serve ``fake`` (or a default :class:`FakeSlack`) on 127.0.0.1 for the block's duration."""
    fake = fake if fake is not None else FakeSlack()
    async with serve(fake.asgi_app()) as root_url:
        fake._root_url = root_url
        try:
            yield fake
        finally:
            fake._root_url = None
