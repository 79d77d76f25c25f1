"""``/win <text>``: log a win and confirm, privately, what was understood."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.app import Services
from bot.errors import UserError
from bot.impact.summary import format_figure
from bot.slack import blocks, ids
from bot.slack.listeners.common import person_from, post_ephemeral
from bot.store.models import Win
from bot.wins.categories import label as category_label

USAGE = (
    "Tell me what you did, why, and the result — for example: "
    "`/win trained 2 new techs on the IV hood this week so nights are covered`"
)

Ack = Callable[..., Awaitable[None]]


def logged(win: Win) -> blocks.LoggedWin:
    """Return what the confirmation shows for a stored win."""
    return blocks.LoggedWin(
        what=win.what,
        category_label=category_label(win.category),
        occurred_on=win.occurred_on,
        figures=tuple(format_figure(kind, value) for kind, value in win.numbers.items()),
        leadership=win.leadership,
        shared=win.shared,
    )


def register(app: AsyncApp, services: Services) -> None:
    """Register ``/win``."""

    @app.command(ids.CMD_WIN)
    async def win_command(ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        text = str(body.get("text") or "").strip()
        if not text or text.lower() in ("help", "?"):
            await ack(**blocks.build_note(USAGE).as_kwargs())
            return
        await ack()
        who = person_from(body)
        try:
            captured = await services.wins.add(who, text, source="command")
        except UserError as exc:
            await post_ephemeral(client, body["channel_id"], who.user, blocks.build_error_note(exc))
            return
        message = blocks.build_win_logged_message(
            logged(captured.win), win_id=captured.win.id, followup=captured.followup
        )
        await post_ephemeral(client, body["channel_id"], who.user, message)
