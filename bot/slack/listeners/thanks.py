"""``/thanks @person for …`` and the "Thank for this" message shortcut.

The thanked person gets a private DM offering to add the thanks to their wins; nothing is stored
as theirs until they accept.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.app import Services
from bot.errors import UserError
from bot.slack import blocks, ids
from bot.slack.listeners.common import person_from, post, post_ephemeral, require_id
from bot.slack.listeners.win_command import logged
from bot.store.people import PersonRef
from bot.wording import wording

# With should_escape on (the manifest), Slack sends the person as <@U123|name>.
THANKS_TEXT = re.compile(r"^\s*<@([UW][A-Z0-9]+)(?:\|[^>]*)?>\s*(?:for\b[:,]?\s*)?(.*)$", re.S)
USAGE = "Usage: `/thanks @colleague for covering my shift on Saturday`"

Ack = Callable[..., Awaitable[None]]


def parse_thanks(text: str) -> tuple[str, str]:
    """Return (user id, reason) from ``/thanks`` text.

    Raises:
        UserError: No colleague was mentioned, or no reason was given.
    """
    match = THANKS_TEXT.match(text)
    if match is None:
        raise UserError(USAGE)
    user, reason = match.group(1), match.group(2).strip()
    if not reason:
        raise UserError(f"{wording('thanks_question')} {USAGE}")
    return user, reason


async def send_offer(
    services: Services,
    client: AsyncWebClient,
    sender: PersonRef,
    sender_name: str,
    to_user: str,
    reason: str,
) -> None:
    """Record the thanks as pending and offer it privately to the person thanked."""
    if to_user == sender.user:
        raise UserError("Thanking yourself doesn't count — log it as a win with /win instead.")
    offer = await services.thanks.offer(sender, to_user, reason)
    channel = (await client.conversations_open(users=to_user))["channel"]["id"]
    message = blocks.build_thanks_offer_message(sender_name, offer.text, thanks_id=offer.id)
    await post(client, channel, message)


def _name(body: dict[str, Any]) -> str:
    user = body.get("user") or {}
    return str(body.get("user_name") or user.get("name") or user.get("username") or "A colleague")


def register(app: AsyncApp, services: Services) -> None:
    """Register ``/thanks``, the message shortcut, its modal and the accept/decline buttons."""

    @app.command(ids.CMD_THANKS)
    async def thanks_command(ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        try:
            to_user, reason = parse_thanks(str(body.get("text") or ""))
        except UserError as exc:
            await ack(**blocks.build_note(str(exc)).as_kwargs())
            return
        await ack()
        sender = person_from(body)
        try:
            await send_offer(services, client, sender, _name(body), to_user, reason)
        except UserError as exc:
            await post_ephemeral(
                client, body["channel_id"], sender.user, blocks.build_error_note(exc)
            )
            return
        note = blocks.build_note(f"Sent. <@{to_user}> can add your thanks to their wins.")
        await post_ephemeral(client, body["channel_id"], sender.user, note)

    @app.shortcut(ids.SHORTCUT_THANK_FOR_MESSAGE)
    async def thank_for_message(ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        message = body.get("message") or {}
        author = str(message.get("user") or "")
        view = blocks.build_thanks_modal(
            to_user_id=author,
            initial_text=str(message.get("text") or "")[:2900],
            private_metadata=author,
        )
        await client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.view(ids.VIEW_THANKS)
    async def thanks_submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        reason = blocks.thanks_modal_values(view["state"]["values"])
        if not reason:
            await ack(
                **blocks.view_errors(
                    {"text": "Say what you're thanking them for."}, ids.THANKS_BLOCKS
                )
            )
            return
        sender = person_from(body)
        to_user = str(view.get("private_metadata") or "")
        if to_user == sender.user or not to_user:
            message = "Thanking yourself doesn't count — log it as a win instead."
            await ack(**blocks.view_errors({"text": message}, ids.THANKS_BLOCKS))
            return
        await ack()
        await send_offer(services, client, sender, _name(body), to_user, reason)

    @app.action(ids.THANKS_ACCEPT)
    async def accept(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        who = person_from(body)
        win = await services.thanks.accept(who, require_id(action))
        channel = str(
            (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        )
        await post(client, channel, blocks.build_win_logged_message(logged(win), win_id=win.id))

    @app.action(ids.THANKS_DECLINE)
    async def decline(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        who = person_from(body)
        await services.thanks.decline(who, require_id(action))
        channel = str(
            (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        )
        await post_ephemeral(
            client, channel, who.user, blocks.build_note("Okay — left out of your wins.")
        )
