"""``stepup run`` (the server) and ``stepup scheduler`` (the scheduler alone)."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import signal
import socket
from collections.abc import Callable
from types import FrameType
from typing import TYPE_CHECKING, Any

import uvicorn

from bot.commands.context import CommandContext
from bot.errors import UserError
from bot.scheduler import create_scheduler
from bot.settings import Settings

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.app import Services

NOT_CONNECTED = (
    "Step Up is running, but no chat platform is connected yet, so nobody can message it. "
    "To connect Slack, set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_CLIENT_ID and "
    "SLACK_CLIENT_SECRET for many workspaces); to connect Microsoft Teams, set TEAMS_CLIENT_ID, "
    "TEAMS_CLIENT_SECRET and TEAMS_TENANT_ID — see the README. Health checks, readiness and the "
    "scheduler are up meanwhile, and `stepup chat` works right away in this terminal with the "
    "same coach."
)


def register(subparsers: Any) -> None:
    """Add ``run`` and ``scheduler``."""
    run = subparsers.add_parser(
        "run", help="start the server: every configured surface plus the scheduler"
    )
    run.add_argument(
        "--no-scheduler",
        action="store_true",
        help="serve HTTP only (run `stepup scheduler` elsewhere)",
    )
    run.set_defaults(handler=_run)
    scheduler = subparsers.add_parser(
        "scheduler", help="run the scheduler alone (deployments with many web replicas)"
    )
    scheduler.set_defaults(handler=_scheduler)


class _GracefulServer(uvicorn.Server):
    """uvicorn's server, minus re-raising Ctrl-C after its graceful shutdown.

    uvicorn raises the signal again once it has stopped, which would interrupt our own clean-up
    (closing database connections) half way; the shutdown is already graceful, so stop there.
    """

    on_listening: Callable[[], None] | None = None
    """Called once the socket is bound (so "Listening on" is never said before it is true)."""

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        self._captured_signals.clear()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started and self.on_listening is not None:
            self.on_listening()


def connection_report(settings: Settings) -> str:
    """Return what is connected, or the friendly paragraph when nothing is."""
    connected = [
        name
        for name, on in (("Slack", settings.slack_configured), ("Teams", settings.teams_configured))
        if on
    ]
    if not connected:
        return NOT_CONNECTED
    report = f"Connected surfaces: {', '.join(connected)}."
    if settings.slack_app_token is not None:
        report += " Slack is connected over Socket Mode (SLACK_APP_TOKEN)."
    if settings.teams_configured and settings.teams_client_id is None:
        report += (
            " Teams is in local mode (TEAMS_DEV_UNAUTHENTICATED): connect the Microsoft 365 "
            "Agents Playground to /api/messages; a real Teams tenant needs TEAMS_CLIENT_ID."
        )
    elif settings.teams_dev_unauthenticated:
        report += (
            " Teams accepts unauthenticated requests (TEAMS_DEV_UNAUTHENTICATED): development only."
        )
    return report


async def start_slack_socket_mode(
    settings: Settings, services: Services, *, client: AsyncWebClient | None = None
) -> AsyncSocketModeHandler | None:
    """Connect the Slack app over Socket Mode when ``SLACK_APP_TOKEN`` is set, else do nothing.

    The server then serves no ``/slack/events`` (see ``bot.server.create_server``).

    Args:
        settings: The settings.
        services: The shared services.
        client: A Slack Web API client to use instead of one built from settings (tests).

    Raises:
        UserError: No bot token to go with the app token, or Slack refused the app token.
    """
    if settings.slack_app_token is None:
        return None
    oauth = settings.slack_client_id is not None and settings.slack_client_secret is not None
    if settings.slack_bot_token is None and not oauth:
        raise UserError(
            "SLACK_APP_TOKEN (Socket Mode) also needs SLACK_BOT_TOKEN, the xoxb- token from "
            "OAuth & Permissions; see the README."
        )
    from bot.slack.app import create_slack_app
    from bot.slack.socket_mode import start_socket_mode

    app = create_slack_app(settings, services, client=client)
    return await start_socket_mode(app, settings.slack_app_token.get_secret_value())


PAYLOAD_LOGGERS = ("slack_bolt", "slack_sdk", "microsoft_teams", "openai", "httpx", "httpcore")
"""Libraries whose DEBUG records quote whole requests: what people wrote, before redaction."""


def configure_logging(settings: Settings) -> None:
    """Log at ``LOG_LEVEL``, but never a chat SDK's or HTTP client's request bodies.

    ``LOG_LEVEL=DEBUG`` is for Step Up's own records. At DEBUG the Slack and Teams SDKs log every
    incoming payload and the HTTP clients every request, vents and patient identifiers included,
    so those libraries stay at INFO whatever the setting (Step Up promises nothing unredacted is
    logged).
    """
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger().setLevel(settings.log_level)  # also when handlers were already set up
    floor = max(logging.getLevelName(settings.log_level), logging.INFO)
    for name in PAYLOAD_LOGGERS:
        logging.getLogger(name).setLevel(floor)


async def _run(args: argparse.Namespace, context: CommandContext) -> int:
    # Imported here so `stepup --help` and `stepup db …` don't load the server and coaching stack.
    from bot.app import create_services
    from bot.server import create_server

    settings = context.settings
    configure_logging(settings)
    runtime = await context.runtime()
    services = create_services(runtime)
    app = create_server(services)
    scheduler = (
        None if args.no_scheduler else create_scheduler(runtime.sessions, settings=runtime.settings)
    )
    socket_mode = await start_slack_socket_mode(settings, services)
    context.out(connection_report(settings))
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        lifespan="on",
    )
    server = _GracefulServer(config)
    address = f"http://{settings.host}:{settings.port}"
    server.on_listening = lambda: context.out(f"Listening on {address} (Ctrl-C to stop).")
    # Start-up loaded a large, long-lived heap (Presidio, SQLAlchemy, Bolt); freezing it keeps
    # full garbage collections from stalling acks under load (see BENCHMARKS.md).
    gc.collect()
    gc.freeze()
    if scheduler is not None:
        scheduler.start()
    try:
        await server.serve()
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        if socket_mode is not None:
            from bot.slack.socket_mode import stop_socket_mode

            await stop_socket_mode(socket_mode)
    return 0 if server.started else 1


async def _scheduler(args: argparse.Namespace, context: CommandContext) -> int:
    configure_logging(context.settings)
    runtime = await context.runtime()
    scheduler = create_scheduler(runtime.sessions, settings=runtime.settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    scheduler.start()
    context.out("Scheduler running (Ctrl-C to stop).")
    try:
        await stop.wait()
    finally:
        scheduler.shutdown(wait=False)
    return 0
