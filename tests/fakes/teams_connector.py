"""A local fake of the Bot Framework connector REST API (v3), the service behind a ``serviceUrl``.

The real Teams SDK (``microsoft-teams-apps``) talks to it over a real localhost socket: give the
fake's :attr:`FakeConnector.url` as the ``service_url`` of a proactive send, or as the
``serviceUrl`` of an inbound activity (the SDK replies to the URL the activity names).

    async with fake_connector() as connector:
        await app.send("19:abc@thread.tacv2", "hi", service_url=connector.url)
        [activity] = connector.activities("19:abc@thread.tacv2")

Routes (checked against ``microsoft_teams.api.clients.conversation`` 2.1.1):

- ``POST /v3/conversations``: create a conversation. A 1:1 conversation gets a stable id per
  (tenant, user), as Teams answers the same id for the same pair; the answer is ``{"id": …}``
  (plus ``activityId`` when the request carried a first ``activity``).
- ``POST /v3/conversations/{id}/activities``: send. The SDK also sends replies here, with
  ``replyToId`` in the body (``?isTargetedActivity=true`` for targeted messages).
- ``POST /v3/conversations/{id}/activities/{activityId}``: reply (the REST API's own reply route).
- ``PUT /v3/conversations/{id}/activities/{activityId}``: update.
- ``DELETE /v3/conversations/{id}/activities/{activityId}``: delete.

Every request is recorded as a :class:`ConnectorCall` (path, conversation id, JSON body, the
``Authorization`` header, the answer). Activity ids are handed out in order. Failures are scripted
per conversation id with :meth:`FakeConnector.fail` (a status and a Bot Framework error body
``{"error": {"code": …, "message": …}}``) or :meth:`FakeConnector.rate_limit` (429 with
``Retry-After``); :meth:`FakeConnector.fail_create` scripts the create route, and
:meth:`FakeConnector.stall` holds calls unanswered (for timeouts). Any other route is recorded as
``unknown`` and answered 404, so a test sees what the SDK tried. Tests wait for deliveries with
:meth:`FakeConnector.wait_for_activities`, which wakes on each one (no polling).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
from collections import defaultdict, deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.http import serve

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
CREATE = "create_conversation"
SEND = "send"
REPLY = "reply"
UPDATE = "update"
DELETE = "delete"
MEMBERS = "members"
UNKNOWN = "unknown"
DELIVERED = frozenset({SEND, REPLY})
"""Operations that put a new activity in a conversation."""
_FIRST_ACTIVITY_ID = 1_700_000_000_001

ERROR_MESSAGES = {
    "BotNotInConversationRoster": "The bot is not part of the conversation roster.",
    "ConversationNotFound": "Conversation not found.",
    "ConversationBlockedByUser": "User blocked the conversation with the bot.",
    "Throttled": "Too many requests.",
    "ServiceError": "An internal error occurred.",
}


@dataclass(frozen=True)
class ConnectorCall:
    """One request the fake received, with the answer it gave."""

    operation: str
    """``create_conversation``, ``send``, ``reply``, ``update``, ``delete`` or ``unknown``."""
    http_method: str
    path: str
    query: dict[str, str]
    conversation_id: str | None
    """The conversation in the path (for ``create_conversation``: the one created or None)."""
    activity_id: str | None
    """The activity handed out (send/reply) or addressed (update/delete)."""
    body: dict[str, Any] | None
    authorization: str | None
    """The ``Authorization`` header as sent (``Bearer …``)."""
    status: int
    response: dict[str, Any] | None
    response_headers: dict[str, str]

    @property
    def ok(self) -> bool:
        """Whether the call succeeded (2xx)."""
        return 200 <= self.status < 300

    @property
    def token(self) -> str | None:
        """The bearer token, without the scheme."""
        scheme, _, value = (self.authorization or "").partition(" ")
        return value.strip() or None if scheme.lower() == "bearer" else None


@dataclass
class _Failure:
    status: int
    code: str
    message: str
    retry_after: float | None
    times: int


@dataclass
class Conversation:
    """A conversation the fake created through ``POST /v3/conversations``."""

    id: str
    tenant_id: str | None
    members: list[dict[str, Any]]
    is_group: bool
    request: dict[str, Any] = field(default_factory=dict)


class FakeConnector:
    """The connector's state: calls received, conversations created, failures scripted."""

    def __init__(self) -> None:
        """Start with no calls, conversations or failures."""
        self.calls: list[ConnectorCall] = []
        self.conversations: dict[str, Conversation] = {}
        self._failures: dict[str | None, deque[_Failure]] = defaultdict(deque)
        self._next_activity = _FIRST_ACTIVITY_ID
        self._changed: asyncio.Condition | None = None
        self._stalls: dict[str | None, int] = defaultdict(int)
        self._release: asyncio.Event | None = None
        self._root_url: str | None = None
        self.members: dict[str, list[str]] = {}
        """Each conversation's member user ids, as ``pagedMembers`` lists them (tests set it)."""

    # --- serving ---

    @property
    def url(self) -> str:
        """The ``serviceUrl`` of this connector (``http://127.0.0.1:<port>``).

        Raises:
            RuntimeError: The fake was never served (use :func:`fake_connector`).
        """
        if self._root_url is None:
            raise RuntimeError("the fake connector was never served (use fake_connector())")
        return self._root_url

    def asgi_app(self) -> Starlette:
        """Return the Starlette app serving the connector's routes."""
        conversation = "/v3/conversations/{conversation_id}/activities"
        return Starlette(
            routes=[
                Route("/v3/conversations", self._create, methods=["POST"]),
                Route(conversation, self._send, methods=["POST"]),
                Route(conversation + "/{activity_id}", self._reply, methods=["POST"]),
                Route(conversation + "/{activity_id}", self._update, methods=["PUT"]),
                Route(conversation + "/{activity_id}", self._delete, methods=["DELETE"]),
                Route(
                    "/v3/conversations/{conversation_id}/pagedMembers",
                    self._paged_members,
                    methods=["GET"],
                ),
                Route("/{path:path}", self._unknown, methods=["GET", "POST", "PUT", "DELETE"]),
            ]
        )

    # --- scripting ---

    def fail(
        self,
        conversation_id: str,
        status: int,
        code: str,
        *,
        message: str | None = None,
        times: int = 1,
        retry_after: float | None = None,
    ) -> None:
        """Answer the next ``times`` calls about ``conversation_id`` with an error.

        Args:
            conversation_id: The conversation whose sends, replies, updates or deletes fail.
            status: The HTTP status (403, 404, 429, 500…).
            code: The Bot Framework error code (``BotNotInConversationRoster``…).
            message: The error's message (default: a stock one for the code).
            times: How many calls fail before the conversation works again.
            retry_after: Seconds for a ``Retry-After`` header (sent when given).
        """
        self._script(conversation_id, status, code, message, times, retry_after)

    def fail_create(
        self,
        status: int,
        code: str,
        *,
        message: str | None = None,
        times: int = 1,
        retry_after: float | None = None,
    ) -> None:
        """Answer the next ``times`` ``POST /v3/conversations`` with an error (as :meth:`fail`)."""
        self._script(None, status, code, message, times, retry_after)

    def rate_limit(
        self, conversation_id: str | None, *, retry_after: float = 1, times: int = 1
    ) -> None:
        """Answer the next ``times`` calls about a conversation (None: creates) with a 429."""
        self._script(conversation_id, 429, "Throttled", None, times, retry_after)

    def stall(self, conversation_id: str | None, *, times: int = 1) -> None:
        """Leave the next ``times`` calls about a conversation (None: creates) unanswered.

        They are answered (normally) by :meth:`release_stalled`, or when the fake stops.
        """
        self._stalls[conversation_id] += times

    def release_stalled(self) -> None:
        """Let every stalled call go on."""
        self._released().set()

    def _released(self) -> asyncio.Event:
        if self._release is None:
            self._release = asyncio.Event()
        return self._release

    async def _hold(self, key: str | None) -> None:
        if self._stalls.get(key, 0) > 0:
            self._stalls[key] -= 1
            await self._released().wait()

    def _script(
        self,
        key: str | None,
        status: int,
        code: str,
        message: str | None,
        times: int,
        retry_after: float | None,
    ) -> None:
        text = message or ERROR_MESSAGES.get(code, code)
        self._failures[key].append(_Failure(status, code, text, retry_after, times))

    # --- reading what happened ---

    def calls_to(self, operation: str, conversation_id: str | None = None) -> list[ConnectorCall]:
        """Return the calls of one operation, optionally about one conversation, in order."""
        return [
            call
            for call in self.calls
            if call.operation == operation
            and (conversation_id is None or call.conversation_id == conversation_id)
        ]

    def activities(
        self, conversation_id: str | None = None, *, type: str | None = None
    ) -> list[dict[str, Any]]:
        """Return the activities delivered (sent or replied, accepted), oldest first.

        Args:
            conversation_id: Only those to this conversation (as the path named it).
            type: Only activities of this type (``message``, ``typing``…).
        """
        return [
            call.body or {}
            for call in self._delivered(conversation_id)
            if type is None or (call.body or {}).get("type") == type
        ]

    def cards(self, conversation_id: str | None = None) -> list[dict[str, Any]]:
        """Return the Adaptive Cards (their ``content``) of the delivered activities, in order."""
        return [
            attachment.get("content") or {}
            for activity in self.activities(conversation_id)
            for attachment in activity.get("attachments") or []
            if attachment.get("contentType") == ADAPTIVE_CARD
        ]

    async def wait_for_activities(
        self, count: int, conversation_id: str | None = None, *, timeout: float = 5.0
    ) -> list[dict[str, Any]]:
        """Wait until ``count`` activities were delivered (to one conversation); return them all.

        Raises:
            TimeoutError: Fewer arrived within ``timeout`` seconds.
        """
        changed = self._condition()
        async with changed:
            await asyncio.wait_for(
                changed.wait_for(lambda: len(self._delivered(conversation_id)) >= count),
                timeout,
            )
        return self.activities(conversation_id)

    def _delivered(self, conversation_id: str | None) -> list[ConnectorCall]:
        return [
            call
            for call in self.calls
            if call.ok
            and call.operation in DELIVERED
            and (conversation_id is None or call.conversation_id == conversation_id)
        ]

    def _condition(self) -> asyncio.Condition:
        if self._changed is None:
            self._changed = asyncio.Condition()
        return self._changed

    # --- routes ---

    async def _create(self, request: Request) -> Response:
        body = await _json(request)
        await self._hold(None)
        failed = self._failure(None)
        if failed is not None:
            return await self._record(request, CREATE, None, None, body, *failed)
        members = [m for m in body.get("members") or [] if isinstance(m, dict)]
        if not members:
            error = _error("BadArgument", "Conversation members are required.")
            return await self._record(request, CREATE, None, None, body, 400, error, {})
        tenant = body.get("tenantId") or ((body.get("channelData") or {}).get("tenant") or {}).get(
            "id"
        )
        is_group = bool(body.get("isGroup"))
        conversation_id = _conversation_id(tenant, [str(m.get("id")) for m in members], is_group)
        self.conversations.setdefault(
            conversation_id,
            Conversation(conversation_id, tenant, members, is_group, request=body),
        )
        answer: dict[str, Any] = {"id": conversation_id}
        if isinstance(body.get("activity"), dict):
            answer["activityId"] = self._new_activity_id()
        return await self._record(request, CREATE, conversation_id, None, body, 201, answer, {})

    async def _paged_members(self, request: Request) -> Response:
        """``GET …/pagedMembers?pageSize=&continuationToken=``: a page of the members, in order.

        The continuation token is the index of the next member; an unknown conversation is 404.
        """
        conversation_id = request.path_params["conversation_id"]
        failed = self._failure(conversation_id)
        if failed is not None:
            return await self._record(request, MEMBERS, conversation_id, None, None, *failed)
        if conversation_id not in self.members:
            error = _error("ConversationNotFound", ERROR_MESSAGES["ConversationNotFound"])
            return await self._record(request, MEMBERS, conversation_id, None, None, 404, error, {})
        everyone = self.members[conversation_id]
        size = int(request.query_params.get("pageSize") or 200)
        start = int(request.query_params.get("continuationToken") or 0)
        page = everyone[start : start + size]
        answer: dict[str, Any] = {
            "members": [{"id": user, "name": f"Member {user}"} for user in page]
        }
        if start + size < len(everyone):
            answer["continuationToken"] = str(start + size)
        return await self._record(request, MEMBERS, conversation_id, None, None, 200, answer, {})

    async def _send(self, request: Request) -> Response:
        conversation_id = request.path_params["conversation_id"]
        operation = REPLY if (await _json(request)).get("replyToId") else SEND
        return await self._activity(request, operation, conversation_id, None)

    async def _reply(self, request: Request) -> Response:
        conversation_id = request.path_params["conversation_id"]
        return await self._activity(request, REPLY, conversation_id, None)

    async def _update(self, request: Request) -> Response:
        conversation_id = request.path_params["conversation_id"]
        activity_id = request.path_params["activity_id"]
        return await self._activity(request, UPDATE, conversation_id, activity_id)

    async def _delete(self, request: Request) -> Response:
        conversation_id = request.path_params["conversation_id"]
        activity_id = request.path_params["activity_id"]
        return await self._activity(request, DELETE, conversation_id, activity_id)

    async def _unknown(self, request: Request) -> Response:
        body = await _json(request) if request.method in ("POST", "PUT") else None
        error = _error("NotFound", f"the fake connector does not serve {request.url.path}")
        return await self._record(request, UNKNOWN, None, None, body, 404, error, {})

    async def _activity(
        self, request: Request, operation: str, conversation_id: str, activity_id: str | None
    ) -> Response:
        body = await _json(request) if operation != DELETE else None
        await self._hold(conversation_id)
        failed = self._failure(conversation_id)
        if failed is not None:
            return await self._record(
                request, operation, conversation_id, activity_id, body, *failed
            )
        if operation in DELIVERED:
            activity_id = self._new_activity_id()
            return await self._record(
                request, operation, conversation_id, activity_id, body, 201, {"id": activity_id}, {}
            )
        if operation == UPDATE:
            answer = {"id": activity_id}
            return await self._record(
                request, operation, conversation_id, activity_id, body, 200, answer, {}
            )
        return await self._record(
            request, operation, conversation_id, activity_id, None, 200, None, {}
        )

    def _failure(self, key: str | None) -> tuple[int, dict[str, Any], dict[str, str]] | None:
        queue = self._failures.get(key)
        if not queue:
            return None
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.popleft()
        headers = {}
        if failure.retry_after is not None:
            headers["Retry-After"] = f"{failure.retry_after:g}"
        return failure.status, _error(failure.code, failure.message), headers

    async def _record(
        self,
        request: Request,
        operation: str,
        conversation_id: str | None,
        activity_id: str | None,
        body: dict[str, Any] | None,
        status: int,
        answer: dict[str, Any] | None,
        headers: dict[str, str],
    ) -> Response:
        self.calls.append(
            ConnectorCall(
                operation=operation,
                http_method=request.method,
                path=request.url.path,
                query=dict(request.query_params),
                conversation_id=conversation_id,
                activity_id=activity_id,
                body=body,
                authorization=request.headers.get("authorization"),
                status=status,
                response=answer,
                response_headers=headers,
            )
        )
        changed = self._condition()
        async with changed:
            changed.notify_all()
        if answer is None:
            return Response(status_code=status, headers=headers)
        return JSONResponse(answer, status_code=status, headers=headers)

    def _new_activity_id(self) -> str:
        activity_id = str(self._next_activity)
        self._next_activity += 1
        return activity_id


def _error(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def _conversation_id(tenant: str | None, members: list[str], is_group: bool) -> str:
    digest = hashlib.sha256(json.dumps([tenant, sorted(members)]).encode()).hexdigest()[:24]
    return f"19:{digest}@thread.v2" if is_group else f"a:1{digest}"


async def _json(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw:
        return {}
    try:
        parsed = json.loads(raw)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


@contextlib.asynccontextmanager
async def fake_connector(fake: FakeConnector | None = None) -> AsyncIterator[FakeConnector]:
    """Serve ``fake`` (or a new :class:`FakeConnector`) on 127.0.0.1 for the block's duration."""
    fake = fake if fake is not None else FakeConnector()
    async with serve(fake.asgi_app()) as root_url:
        # The URL stays readable after the block: tests assert on it, or use it as a dead one.
        fake._root_url = root_url
        try:
            yield fake
        finally:
            fake.release_stalled()  # the server waits for requests in flight before stopping
