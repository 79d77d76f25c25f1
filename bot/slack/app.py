"""The Slack surface: a Bolt ``AsyncApp`` built from settings and mounted on the server.

HTTP mode in production (``/slack/events``); Socket Mode when ``SLACK_APP_TOKEN`` is set. One
workspace with ``SLACK_BOT_TOKEN``, or many through OAuth (``SLACK_CLIENT_ID``/``SECRET``) with
slack_sdk's SQLAlchemy installation and state stores on the application's own database.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import OrderedDict
from typing import Any
from urllib.parse import parse_qs

from fastapi import FastAPI, Request
from fastapi.responses import Response
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_callback_options import (
    AsyncCallbackOptions,
    AsyncFailureArgs,
    AsyncSuccessArgs,
)
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.exc import SQLAlchemyError

from bot.app import Services
from bot.settings import Settings
from bot.slack import listeners
from bot.slack.listeners.common import CLAIM_KEY
from bot.store.events import record_event
from bot.store.retention import mark_reinstalled

log = logging.getLogger(__name__)

# Least privilege, the same list as deploy/slack/manifest.yaml (a test keeps them in step).
BOT_SCOPES = [
    "chat:write",
    "commands",
    "im:history",
    "im:write",
    "users:read",
    "files:write",
    "assistant:write",
]
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
EVENTS_PATH = "/slack/events"


def build_client(settings: Settings, *, token: str | None = None) -> AsyncWebClient:
    """Return a Web API client on ``SLACK_API_URL`` that honours Retry-After on 429."""
    client = AsyncWebClient(
        token=token,
        base_url=settings.slack_api_url,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=1),
            AsyncRateLimitErrorRetryHandler(max_retry_count=2),
        ],
    )
    return client


# Events whose listeners do work that must not happen twice (they await the claim). Others,
# such as app_uninstalled, are idempotent and need no durable claim.
CLAIMED_EVENTS = frozenset({"message", "app_home_opened"})


class EventDeduplicator:
    """Answers Slack's retries of an event without doing the work twice.

    The ack path only checks a bounded in-memory set of recent event ids (no database write may
    delay the ack: Slack retries after 3 s). The durable claim — a unique row per event id, so
    other replicas and restarts also do the work once — starts at the same time and listeners
    await it (:func:`first_time`) before doing anything.
    """

    def __init__(self, services: Services, *, remember: int = 10_000) -> None:
        """Create the deduplicator; ``remember`` bounds the in-memory set."""
        self.services = services
        self.remember = remember
        self.recent: OrderedDict[str, None] = OrderedDict()

    async def __call__(
        self, body: dict[str, Any], context: dict[str, Any], next: Any
    ) -> BoltResponse | None:
        """Bolt middleware: drop a repeat at once, claim a new event durably in the background."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            key = str(event_id)
            if key in self.recent:
                log.info("slack: duplicate event %s ignored", key)
                return BoltResponse(status=200, body="")
            self.recent[key] = None
            if len(self.recent) > self.remember:
                self.recent.popitem(last=False)
            if (body.get("event") or {}).get("type") in CLAIMED_EVENTS:
                context[CLAIM_KEY] = asyncio.ensure_future(
                    record_event(self.services.runtime.sessions, "slack", key)
                )
        await next()
        return None


def install_callbacks(services: Services) -> AsyncCallbackOptions:
    """Return the OAuth callbacks: a successful install also clears the uninstall mark.

    A workspace that reinstalls within the grace period keeps its data
    (:func:`bot.store.retention.mark_reinstalled`). If that write fails the person sees Bolt's
    failure page (and can install again) rather than a success page over data that would still
    be purged.
    """

    async def success(args: AsyncSuccessArgs) -> BoltResponse:
        team_id = args.installation.team_id
        if team_id:
            try:
                if await mark_reinstalled(services.runtime.sessions, "slack", team_id):
                    log.info("slack: workspace %s reinstalled; its data is kept", team_id)
            except SQLAlchemyError as exc:
                log.error("slack: could not mark workspace %s reinstalled: %s", team_id, exc)
                return await failure(
                    AsyncFailureArgs(
                        request=args.request,
                        reason="storage_error",
                        error=exc,
                        suggested_status_code=500,
                        settings=args.settings,
                        default=args.default,
                    )
                )
        return await args.default.success(args)

    async def failure(args: AsyncFailureArgs) -> BoltResponse:
        return await args.default.failure(args)

    return AsyncCallbackOptions(success=success, failure=failure)


def create_slack_app(
    settings: Settings, services: Services, *, client: AsyncWebClient | None = None
) -> AsyncApp:
    """Build the Bolt app with every listener registered (not yet serving)."""
    secret = settings.slack_signing_secret
    oauth = settings.slack_client_id is not None and settings.slack_client_secret is not None
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    # Bolt takes the token from the client it is given (single workspace), or asks the
    # installation store per request (OAuth, where the client carries no token). Every Web API
    # call Bolt makes, oauth.v2.access and token rotation included, goes through this client, so
    # SLACK_API_URL (GovSlack, a local test server) applies to all of them.
    web = client or build_client(settings, token=None if oauth else token)
    common: dict[str, Any] = {
        # Socket Mode needs no signing secret (Bolt skips verification for its requests).
        "signing_secret": secret.get_secret_value() if secret else "",
        "client": web,
        "process_before_response": False,
    }
    if oauth:
        assert settings.slack_client_id is not None and settings.slack_client_secret is not None
        engine = services.runtime.engine
        client_secret = settings.slack_client_secret.get_secret_value()
        store = AsyncSQLAlchemyInstallationStore(
            client_id=settings.slack_client_id, engine=engine, logger=log
        )
        common["oauth_settings"] = AsyncOAuthSettings(
            client_id=settings.slack_client_id,
            client_secret=client_secret,
            scopes=BOT_SCOPES,
            installation_store=store,
            state_store=AsyncSQLAlchemyOAuthStateStore(
                expiration_seconds=600, engine=engine, logger=log
            ),
            install_path=INSTALL_PATH,
            redirect_uri_path=REDIRECT_PATH,
            callback_options=install_callbacks(services),
        )
        # Bolt's default store-based authorize calls auth.test on every request and rotates
        # tokens through a client on slack.com; this one caches auth.test per token (an
        # uninstalled workspace has no token left in the store, so it is never served from the
        # cache) and rotates through our client.
        common["authorize"] = AsyncInstallationStoreAuthorize(
            logger=log,
            installation_store=store,
            client_id=settings.slack_client_id,
            client_secret=client_secret,
            cache_enabled=True,
            client=web,
        )
    app = AsyncApp(**common)

    app.middleware(EventDeduplicator(services))
    listeners.register(app, services)
    return app


def _parses(body: bytes, content_type: str) -> bool:
    try:
        text = body.decode("utf-8")
        if content_type.startswith("application/json"):
            return isinstance(json.loads(text), dict)
        form = parse_qs(text, keep_blank_values=True)
        if "payload" in form:
            return isinstance(json.loads(form["payload"][0]), dict)
        return True
    except (UnicodeDecodeError, ValueError):
        return False


def mount_slack(server: FastAPI, app: AsyncApp, settings: Settings) -> None:
    """Add ``/slack/events`` (and the OAuth routes when configured) to the server."""
    handler = AsyncSlackRequestHandler(app)
    secret = settings.slack_signing_secret
    verifier = SignatureVerifier(secret.get_secret_value()) if secret else None

    @server.post(EVENTS_PATH)
    async def slack_events(request: Request) -> Response:
        body = await request.body()
        # Verify before parsing so a forged request gets 401, then refuse what can't be parsed
        # with 400 rather than letting the framework answer 500.
        if verifier is not None and not verifier.is_valid_request(body, dict(request.headers)):
            return Response("invalid request signature", status_code=401)
        if not _parses(body, request.headers.get("content-type", "")):
            return Response("malformed request body", status_code=400)
        return await handler.handle(request)

    if app.oauth_flow is not None:

        @server.get(INSTALL_PATH)
        async def slack_install(request: Request) -> Response:
            return await handler.handle(request)

        @server.get(REDIRECT_PATH)
        async def slack_oauth_redirect(request: Request) -> Response:
            return await handler.handle(request)
