"""The one HTTP server: health, readiness and metrics, with the chat surfaces mounted beside them.

``/healthz`` says the process is up. ``/readyz`` says the database answers and its schema is at
the head migration; it answers 503 while either is not true and recovers by itself.
"""

from __future__ import annotations

import asyncio
import logging

from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.exc import DBAPIError, OperationalError

from bot import __version__
from bot.app import Services
from bot.metrics import render_latest
from bot.runtime import describe_db_error
from bot.store import migrate
from bot.store.database import ping

log = logging.getLogger(__name__)

READY_TIMEOUT_S = 3.0
PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8"


async def readiness(services: Services) -> tuple[bool, str]:
    """Return whether the database answers and is migrated, with a reason when not."""
    engine = services.runtime.engine
    try:
        async with asyncio.timeout(READY_TIMEOUT_S):
            await ping(engine)
            if await migrate.pending(engine):
                return False, "database schema is behind; run `stepup db upgrade`"
    except TimeoutError:
        return False, "database did not answer in time"
    except (OperationalError, DBAPIError, OSError) as exc:
        return False, f"database unreachable: {describe_db_error(exc)}"
    return True, "ok"


def create_server(services: Services, *, slack_client: AsyncWebClient | None = None) -> FastAPI:
    """Return the FastAPI app serving health, readiness, metrics and the mounted surfaces.

    Args:
        services: The shared services.
        slack_client: A Slack Web API client to use instead of one built from settings (tests).
    """
    app = FastAPI(title="Step Up", version=__version__, docs_url=None, redoc_url=None)
    app.state.services = services
    settings = services.settings
    if settings.slack_configured and settings.slack_app_token is None:
        from bot.slack.app import create_slack_app, mount_slack

        slack = create_slack_app(settings, services, client=slack_client)
        mount_slack(app, slack, settings)
        app.state.slack = slack
    if settings.teams_configured:
        from bot.teams.app import create_teams_app
        from bot.teams.handlers import register

        teams = create_teams_app(settings, app)
        register(teams, services)
        app.state.teams = teams

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz() -> JSONResponse:
        ok, reason = await readiness(services)
        return JSONResponse(
            {"status": "ready" if ok else "unavailable", "reason": reason},
            status_code=200 if ok else 503,
        )

    @app.get("/metrics")
    async def metrics() -> Response:
        return Response(render_latest(), media_type=PROMETHEUS_TEXT)

    return app
