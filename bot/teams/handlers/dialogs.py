"""The "Log a win" dialog: opened (``task/fetch``) from a nudge or the help card, then submitted.

The dialog's button arrives as ``task/submit``.

A dialog is private to whoever opened it, so a win logged from a nudge in a team channel is never
shown in the channel: the dialog closes with a note only its author sees. A mistake (no "what",
a date in the future) re-opens the form with what was typed and the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from microsoft_teams.api.activities.invoke.task.task_fetch import TaskFetchInvokeActivity
from microsoft_teams.api.activities.invoke.task.task_submit import TaskSubmitInvokeActivity
from microsoft_teams.api.models.invoke_response import InvokeResponse
from microsoft_teams.apps import ActivityContext, App

from bot.app import Services
from bot.errors import UserError
from bot.teams import cards, verbs
from bot.teams.handlers.common import arrive, person_today
from bot.teams.handlers.guard import dialog_handler
from bot.teams.handlers.replies import Card, card_message, dialog, dialog_done
from bot.wins.categories import categories, category_ids
from bot.wins.text import win_line

DIALOG_TITLE = "Log a win"
MAX_FIELD_CHARS = 4_000
FORM_FIELDS = (
    verbs.IN_WHAT,
    verbs.IN_WHY,
    verbs.IN_RESULT,
    verbs.IN_CATEGORY,
    verbs.IN_OCCURRED_ON,
    verbs.IN_SHARE,
)


def register(app: App, services: Services) -> None:
    """Open and submit the win dialog."""

    @app.on_dialog_open
    @dialog_handler
    async def on_open(ctx: ActivityContext[TaskFetchInvokeActivity]) -> InvokeResponse[Any]:
        turn = await arrive(ctx, services)
        assert turn is not None
        data = _data(ctx.activity.value)
        if data.get("verb") != verbs.WIN_OPEN:
            return dialog_done("That button is out of date. Type `help` in our 1:1 chat.")
        return dialog(await _form(services, turn.who, source=_source(data)), title=DIALOG_TITLE)

    @app.on_dialog_submit
    @dialog_handler
    async def on_submit(ctx: ActivityContext[TaskSubmitInvokeActivity]) -> InvokeResponse[Any]:
        turn = await arrive(ctx, services)
        assert turn is not None
        data = _data(ctx.activity.value)
        if data.get("verb") != verbs.WIN_SAVE:
            return dialog_done("That form is out of date. Type `help` in our 1:1 chat.")
        source = _source(data)
        values = {key: _text(data, key) for key in FORM_FIELDS}
        try:
            captured = await services.wins.add(
                turn.who,
                values[verbs.IN_WHAT],
                source=source,
                why=values[verbs.IN_WHY] or None,
                result=values[verbs.IN_RESULT] or None,
                category=_category(values[verbs.IN_CATEGORY]),
                occurred_on=_date(values[verbs.IN_OCCURRED_ON]),
                shared=values[verbs.IN_SHARE].lower() == "true",
            )
        except UserError as exc:
            card = await _form(services, turn.who, source=source, values=values, error=str(exc))
            return dialog(card, title=DIALOG_TITLE)
        if turn.personal:
            card = cards.win_logged_card(captured.win, followup=captured.followup)
            await ctx.send(card_message(card, summary=f"Logged: {win_line(captured.win)}"))
        return dialog_done(f"Logged: {win_line(captured.win)}")


def _data(value: Any) -> Mapping[str, Any]:
    data = getattr(value, "data", None)
    return data if isinstance(data, Mapping) else {}


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    return "" if value is None else str(value).strip()[:MAX_FIELD_CHARS]


def _source(data: Mapping[str, Any]) -> str:
    return "nudge" if data.get(verbs.SOURCE) == "nudge" else "form"


def _category(value: str) -> str | None:
    if not value:
        return None
    if value not in category_ids():
        raise UserError("Pick a category from the list, or let Step Up pick.")
    return value


def _date(value: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UserError("Pick the date from the calendar.") from None


async def _form(
    services: Services,
    who: Any,
    *,
    source: str,
    values: Mapping[str, str] | None = None,
    error: str | None = None,
) -> Card:
    return cards.win_dialog_card(
        categories=[(category.id, category.label) for category in categories()],
        today=await person_today(services, who),
        source=source,
        values=values,
        error=error,
    )
