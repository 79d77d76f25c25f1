"""Build the Teams SDK app and serve its messaging endpoint on Step Up's own FastAPI server.

The Teams SDK (``microsoft-teams-apps``) validates the Bot Framework JWT on every request, routes
activities to the handlers in :mod:`bot.teams.handlers`, and sends replies to the connector named
by each activity's ``serviceUrl``. Step Up adds three things around it:

- :class:`RouteAdapter` mounts ``POST /api/messages`` on the server's FastAPI app (not a second
  uvicorn) and answers malformed requests with ``400`` and a one-line reason; the SDK's own
  adapter answers those with a 500.
- Credentials come from settings: ``TEAMS_CLIENT_ID`` + ``TEAMS_CLIENT_SECRET`` (+
  ``TEAMS_TENANT_ID`` for a single-tenant app) in production. ``TEAMS_DEV_UNAUTHENTICATED=true``
  without an app id is the local mode for the Microsoft 365 Agents Playground and tests: inbound
  requests are not authenticated, and outbound calls carry a dev token that only a local
  connector accepts (:func:`dev_token`).
- The app is initialized on first use (a request or a proactive send), so building it is cheap
  and synchronous.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError

from bot.settings import Settings

if TYPE_CHECKING:
    from microsoft_teams.apps import App
    from microsoft_teams.apps.http.adapter import HttpMethod, HttpRouteHandler

log = logging.getLogger(__name__)

MESSAGING_ENDPOINT = "/api/messages"
DEV_CLIENT_ID = "stepup-local-dev"
"""The app id Step Up uses in local mode (no Azure registration)."""
HANDLED_TYPES = frozenset({"message", "invoke", "conversationUpdate", "installationUpdate"})
"""Activities Step Up acts on: one the SDK cannot read is refused with 400 and the reason."""
MAX_ACTIVITY_BYTES = 256 * 1024
"""Teams activities are at most ~100 KB; anything far larger is refused unread."""


def dev_token(scope: str | list[str], tenant_id: str | None = None) -> str:
    """Return an unsigned, JWT-shaped token for local connectors (never accepted by Azure).

    The SDK reads the token's claims (it parses it as a JWT) but Step Up's local mode only talks
    to the Agents Playground or a test connector, which accept any bearer token.
    """

    def part(data: dict[str, Any]) -> str:
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    claims: dict[str, Any] = {"aud": scope if isinstance(scope, str) else " ".join(scope)}
    claims |= {"appid": DEV_CLIENT_ID, "iss": "stepup-local-dev", "exp": 4102444800}
    if tenant_id:
        claims["tid"] = tenant_id
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}.ZGV2"


class RouteAdapter:
    """The SDK's HTTP adapter protocol, serving routes from an existing FastAPI app.

    The messaging route exists from construction; until the SDK registers its handler (on
    initialization) a request waits for it through ``ensure_ready``.
    """

    def __init__(self, app: FastAPI, *, path: str = MESSAGING_ENDPOINT) -> None:
        """Add ``POST path`` to ``app``."""
        self._handlers: dict[str, HttpRouteHandler] = {}
        self._path = path
        self.ensure_ready: Any = None
        """An async callable that initializes the Teams app (set by :func:`create_teams_app`)."""
        app.add_api_route(path, self._serve, methods=["POST"], include_in_schema=False)

    def register_route(self, method: HttpMethod, path: str, handler: HttpRouteHandler) -> None:
        """Keep the SDK's handler for ``path`` (only the messaging endpoint is served)."""
        if method != "POST" or path != self._path:
            raise ValueError(f"Step Up serves only POST {self._path}, not {method} {path}")
        self._handlers[path] = handler

    def serve_static(self, path: str, directory: str) -> None:
        """Step Up has no tabs or static pages in Teams."""
        raise NotImplementedError("Step Up serves no static pages for Teams")

    async def start(self, port: int) -> None:
        """The server is Step Up's own uvicorn (``stepup run``); the SDK never starts one."""
        raise NotImplementedError("run `stepup run`; the Teams app is mounted on its server")

    async def stop(self) -> None:
        """Nothing to stop: the server belongs to ``stepup run``."""

    async def _serve(self, request: Request) -> Response:
        raw = await request.body()
        if len(raw) > MAX_ACTIVITY_BYTES:
            return _bad_request("activity too large", status=413)
        try:
            body = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError):
            return _bad_request("body is not JSON")
        if not isinstance(body, dict):
            return _bad_request("body must be a JSON object (a Bot Framework activity)")
        problem = activity_problem(body)
        if problem is not None:
            kind = body.get("type")
            if (
                not isinstance(kind, str)
                or not kind
                or (kind in HANDLED_TYPES and not _upgrade(body))
            ):
                return _bad_request(problem)
            # A kind of activity Step Up does not act on, in a shape the SDK's models do not
            # know (Teams adds fields and values over time): acknowledged, not an error.
            log.debug("teams: ignored an activity the SDK cannot read: %s", body.get("type"))
            return JSONResponse({"ignored": problem}, status_code=200)
        if self._path not in self._handlers and self.ensure_ready is not None:
            await self.ensure_ready()
        handler = self._handlers.get(self._path)
        if handler is None:
            return JSONResponse({"error": "Teams is not ready yet"}, status_code=503)
        headers = {key.lower(): value for key, value in request.headers.items()}
        result = await handler({"body": body, "headers": headers})
        status = int(result["status"])
        payload = result.get("body")
        if payload is None:
            return Response(status_code=status)
        return JSONResponse(payload, status_code=status)


def _upgrade(body: dict[str, Any]) -> bool:
    # Teams sends installationUpdate "add-upgrade" / "remove-upgrade" when the app is updated.
    return body.get("type") == "installationUpdate" and str(body.get("action", "")).endswith(
        "-upgrade"
    )


def _bad_request(reason: str, *, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": reason}, status_code=status)


def activity_problem(body: dict[str, Any]) -> str | None:
    """Return why ``body`` is not an activity the SDK can process, or None when it is."""
    from microsoft_teams.api import ActivityTypeAdapter
    from microsoft_teams.apps.events import CoreActivity

    if not isinstance(body.get("type"), str) or not body["type"]:
        return "activity has no type"
    try:
        core = CoreActivity.model_validate(body)
        ActivityTypeAdapter.validate_python(core.model_dump(by_alias=True, exclude_none=True))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ())) or "activity"
        return f"not a valid {body['type']} activity ({where}: {first.get('msg', 'invalid')})"
    return None


def create_teams_app(settings: Settings, server: FastAPI | None = None) -> App:
    """Return the Teams SDK app configured from settings, served on ``server`` when given.

    Args:
        settings: ``TEAMS_CLIENT_ID``/``TEAMS_CLIENT_SECRET``/``TEAMS_TENANT_ID`` or
            ``TEAMS_DEV_UNAUTHENTICATED``.
        server: The FastAPI app to serve ``/api/messages`` on; None for a send-only app (the
            scheduler).

    Raises:
        bot.errors.UserError: Neither an app id nor local mode is configured, or an app id
            without its secret.
    """
    from microsoft_teams.apps import App

    from bot.errors import UserError

    local = settings.teams_client_id is None
    if local and not settings.teams_dev_unauthenticated:
        raise UserError(
            "Teams needs TEAMS_CLIENT_ID and TEAMS_CLIENT_SECRET (or "
            "TEAMS_DEV_UNAUTHENTICATED=true for the Agents Playground)"
        )
    if not local and settings.teams_client_secret is None:
        raise UserError("TEAMS_CLIENT_ID is set but TEAMS_CLIENT_SECRET is not")
    adapter = RouteAdapter(server if server is not None else FastAPI())
    options: dict[str, Any] = {
        "http_server_adapter": adapter,
        "messaging_endpoint": MESSAGING_ENDPOINT,
        "dangerously_allow_unauthenticated_requests": settings.teams_dev_unauthenticated,
        "state": False,
        "fetch_user_token": False,
        "telemetry": {"agent365": False},
    }
    if local:
        options |= {"client_id": DEV_CLIENT_ID, "token": dev_token}
    else:
        assert settings.teams_client_secret is not None
        options |= {
            "client_id": settings.teams_client_id,
            "client_secret": settings.teams_client_secret.get_secret_value(),
            "tenant_id": settings.teams_tenant_id,
        }
    app = App(**options)
    lock = asyncio.Lock()

    async def ensure_ready() -> None:
        async with lock:
            if not getattr(app, "_initialized", False):
                await app.initialize()

    adapter.ensure_ready = ensure_ready
    app.ensure_ready = ensure_ready  # type: ignore[attr-defined]
    return app


async def ready(app: App) -> App:
    """Initialize ``app`` once (idempotent) and return it, e.g. before a proactive send."""
    await app.ensure_ready()  # type: ignore[attr-defined]
    return app
