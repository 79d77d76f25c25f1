"""The "Log a win" modal and its submission, which logs or updates the win.

It opens from the global and message shortcuts, the Log-a-win button (Home, nudges, greeting) and
a win's Edit button.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.app import Services
from bot.errors import UserError
from bot.safety.gate import NeedsCare
from bot.slack import blocks, ids
from bot.slack.listeners.common import person_from, post, require_id
from bot.slack.listeners.win_command import logged
from bot.store.people import PersonRef
from bot.wins import form
from bot.wins.categories import categories
from bot.wins.errors import EmptyWin, FutureDate

Ack = Callable[..., Awaitable[None]]


async def _today(services: Services, who: PersonRef) -> dt.date:
    return await services.wins.today_of(who)


def _choices() -> list[tuple[str, str]]:
    return [(category.id, category.label) for category in categories()]


async def open_win_modal(
    services: Services,
    client: AsyncWebClient,
    body: dict[str, Any],
    *,
    initial: dict[str, Any] | None = None,
    win_id: int | None = None,
    source: str = "form",
) -> None:
    """Open the win modal (new, prefilled, or editing ``win_id``) for whoever triggered it.

    ``private_metadata`` carries the win id when editing, else ``source:<where>`` so a win logged
    from a nudge's button is stored with ``source="nudge"``.
    """
    who = person_from(body)
    view = blocks.build_win_modal(
        initial=initial,
        categories=_choices(),
        today=await _today(services, who),
        private_metadata=str(win_id) if win_id is not None else f"source:{source}",
        editing=win_id is not None,
    )
    await client.views_open(trigger_id=body["trigger_id"], view=view)


def register(app: AsyncApp, services: Services) -> None:
    """Register the shortcuts, the buttons and the submission."""

    @app.shortcut(ids.SHORTCUT_LOG_WIN)
    async def log_win_shortcut(ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await open_win_modal(services, client, body)

    @app.shortcut(ids.SHORTCUT_LOG_WIN_FROM_MESSAGE)
    async def log_win_from_message(ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        text = str((body.get("message") or {}).get("text") or "")[:2900]
        await open_win_modal(services, client, body, initial={"what": text} if text else None)

    @app.action(ids.WIN_LOG)
    async def log_win_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        source = "nudge" if action.get("value") == "nudge" else "form"
        await open_win_modal(services, client, body, source=source)

    @app.action(ids.WIN_EDIT)
    async def edit_win_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        who = person_from(body)
        win = await services.wins.get(who, require_id(action))
        initial = {
            "what": win.what,
            "why": win.why,
            "result": win.result,
            "category": win.category,
            "date": win.occurred_on,
            "leadership": win.leadership,
            "shared": win.shared,
        }
        await open_win_modal(services, client, body, initial=initial, win_id=win.id)

    @app.view(ids.VIEW_WIN)
    async def submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        who = person_from(body)
        values = blocks.win_modal_values(view["state"]["values"])
        errors = form.check_form(values, today=await _today(services, who))
        if errors:
            await ack(**blocks.view_errors(errors, ids.WIN_BLOCKS))
            return
        result = form.result_with_numbers(values["result"], values["numbers"])
        editing = str(view.get("private_metadata") or "")
        try:
            if editing.isdigit():
                win = await services.wins.update(
                    who,
                    int(editing),
                    what=values["what"],
                    why=values["why"] or "",
                    result=result or "",
                    category=values["category"],
                    occurred_on=values["date"],
                    leadership=values["leadership"],
                    shared=values["shared"],
                )
                followup = None
            else:
                captured = await services.wins.add(
                    who,
                    values["what"] or "",
                    source="nudge" if editing == "source:nudge" else "form",
                    occurred_on=values["date"],
                    category=values["category"],
                    why=values["why"],
                    result=result,
                    leadership=values["leadership"],
                    shared=values["shared"],
                )
                win, followup = captured.win, captured.followup
        except (EmptyWin, FutureDate) as exc:
            field = "what" if isinstance(exc, EmptyWin) else "date"
            await ack(**blocks.view_errors({field: str(exc)}, ids.WIN_BLOCKS))
            return
        except NeedsCare as exc:
            # Not a form error: the form closes and the reply reaches the person's DM.
            await ack()
            channel = (await client.conversations_open(users=who.user))["channel"]["id"]
            await post(client, channel, blocks.build_error_note(exc))
            return
        except UserError as exc:
            await ack(**blocks.view_errors({"what": str(exc)}, ids.WIN_BLOCKS))
            return
        await ack()
        channel = (await client.conversations_open(users=who.user))["channel"]["id"]
        message = blocks.build_win_logged_message(logged(win), win_id=win.id, followup=followup)
        await post(client, channel, message)
