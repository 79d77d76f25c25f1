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
from bot.store.models import Win
from bot.teams import cards, verbs
from bot.teams.handlers.common import arrive, person_today
from bot.teams.handlers.guard import dialog_handler
from bot.teams.handlers.replies import Card, card_message, dialog, dialog_done
from bot.wins import form
from bot.wins.categories import categories, category_ids
from bot.wins.text import win_line
from bot.wording import wording

DIALOG_TITLE = "Log a win"
EDIT_TITLE = "Edit a win"
OUT_OF_DATE = "That button is out of date. Type `wins` in our 1:1 chat for your wins."
MAX_FIELD_CHARS = 4_000
FORM_FIELDS = tuple(cards.WIN_INPUTS.values())


def register(app: App, services: Services) -> None:
    """Open and submit the win dialog."""

    @app.on_dialog_open
    @dialog_handler
    async def on_open(ctx: ActivityContext[TaskFetchInvokeActivity]) -> InvokeResponse[Any]:
        turn = await arrive(ctx, services)
        assert turn is not None
        data = _data(ctx.activity.value)
        if data.get("verb") == verbs.WIN_EDIT:
            win = await services.wins.get(turn.who, _win_id(data))
            values = _values_of(win)
            card = await _form(services, turn.who, source="form", values=values, win_id=win.id)
            return dialog(card, title=EDIT_TITLE)
        if data.get("verb") != verbs.WIN_OPEN:
            return dialog_done(OUT_OF_DATE)
        return dialog(await _form(services, turn.who, source=_source(data)), title=DIALOG_TITLE)

    @app.on_dialog_submit
    @dialog_handler
    async def on_submit(ctx: ActivityContext[TaskSubmitInvokeActivity]) -> InvokeResponse[Any]:
        turn = await arrive(ctx, services)
        assert turn is not None
        data = _data(ctx.activity.value)
        verb = data.get("verb")
        if verb not in (verbs.WIN_SAVE, verbs.WIN_UPDATE):
            return dialog_done(OUT_OF_DATE)
        source = _source(data)
        values = {key: _text(data, key) for key in FORM_FIELDS}
        win_id = _win_id(data) if verb == verbs.WIN_UPDATE else None
        followup = None
        try:
            category = _category(values[verbs.IN_CATEGORY])
            occurred_on = _date(values[verbs.IN_OCCURRED_ON])
            shared = values[verbs.IN_SHARE].lower() == "true"
            leadership = values[verbs.IN_LEADERSHIP] or None
            result = form.result_with_numbers(values[verbs.IN_RESULT], values[verbs.IN_NUMBERS])
            if win_id is None:
                captured = await services.wins.add(
                    turn.who,
                    values[verbs.IN_WHAT],
                    source=source,
                    why=values[verbs.IN_WHY] or None,
                    result=result,
                    category=category,
                    occurred_on=occurred_on,
                    leadership=leadership,
                    shared=shared,
                )
                win, followup, done = captured.win, captured.followup, "logged"
            else:
                # "" clears why or result; an unchosen category keeps the win's own.
                win = await services.wins.update(
                    turn.who,
                    win_id,
                    what=values[verbs.IN_WHAT],
                    why=values[verbs.IN_WHY],
                    result=result or "",
                    category=category,
                    occurred_on=occurred_on,
                    leadership=leadership,
                    shared=shared,
                )
                done = "updated"
        except UserError as exc:
            card = await _form(
                services, turn.who, source=source, values=values, error=str(exc), win_id=win_id
            )
            return dialog(card, title=DIALOG_TITLE if win_id is None else EDIT_TITLE)
        if turn.personal:
            card = cards.win_logged_card(win, followup=followup)
            await ctx.send(card_message(card, summary=wording(done, line=win_line(win))))
        return dialog_done(wording(done, line=win_line(win)))


def _data(value: Any) -> Mapping[str, Any]:
    data = getattr(value, "data", None)
    return data if isinstance(data, Mapping) else {}


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    return "" if value is None else str(value).strip()[:MAX_FIELD_CHARS]


def _win_id(data: Mapping[str, Any]) -> int:
    text = str(data.get(verbs.WIN_ID) or "")
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise UserError(OUT_OF_DATE)
    return int(text)


def _values_of(win: Win) -> dict[str, str]:
    """Return a stored win as the dialog's inputs (to edit it)."""
    return {
        verbs.IN_WHAT: win.what,
        verbs.IN_WHY: win.why or "",
        verbs.IN_RESULT: win.result or "",
        verbs.IN_CATEGORY: win.category,
        verbs.IN_OCCURRED_ON: win.occurred_on.isoformat(),
        verbs.IN_LEADERSHIP: win.leadership,
        verbs.IN_SHARE: "true" if win.shared else "false",
    }


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
    win_id: int | None = None,
) -> Card:
    return cards.win_dialog_card(
        categories=[(category.id, category.label) for category in categories()],
        today=await person_today(services, who),
        source=source,
        values=values,
        error=error,
        win_id=win_id,
    )
