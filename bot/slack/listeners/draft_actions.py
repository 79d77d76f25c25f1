"""Buttons on a coaching draft, and the edit-draft modal's submission.

The buttons: save, edit, shorter, add numbers, copy for my manager, discard, and feedback; and
the App Home's "Open" on a saved draft, which makes that draft the current one again and posts it
to the person's DM with these buttons working on it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.app import Services
from bot.coaching.conversation import SavedDraftNotFoundError, StaleDraftError
from bot.coaching.models import Refinement
from bot.metrics import COACH_FEEDBACK
from bot.slack import blocks, ids
from bot.slack.listeners.common import id_value, person_from, post, post_ephemeral
from bot.store.people import PersonRef

log = logging.getLogger(__name__)

REFINEMENTS: dict[str, Refinement] = {
    ids.DRAFT_SHORTER: "shorter",
    ids.DRAFT_ADD_NUMBERS: "add_numbers",
}

NO_SUCH_DRAFT = (
    "I couldn't find that saved draft, so there's nothing to open. Your Home tab lists the "
    "drafts you have saved."
)

Ack = Callable[..., Awaitable[None]]


def _channel(body: dict[str, Any]) -> str:
    return str(
        (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    )


DraftHandler = Callable[[PersonRef, str, dict[str, Any], AsyncWebClient], Awaitable[None]]


def register(app: AsyncApp, services: Services) -> None:
    """Register the draft buttons and the edit modal."""

    def on_draft(action_id: str, handler: DraftHandler) -> None:
        # Every draft button acks, then acts on the draft version it carries. The service
        # refuses one that is no longer the draft in progress (StaleDraftError); the error
        # handler shows its note where the button was pressed.
        async def listener(
            ack: Ack, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
        ) -> None:
            await ack()
            await handler(person_from(body), str(action.get("value")), body, client)

        app.action(action_id)(listener)

    def refiner(refinement: Refinement) -> DraftHandler:
        async def refine(
            who: PersonRef, ref: str, body: dict[str, Any], client: AsyncWebClient
        ) -> None:
            turn = await services.conversations.refine(who, refinement, ref=ref)
            message = blocks.build_reply_message(turn.reply, draft_ref=turn.ref or "none")
            await post(client, _channel(body), message)

        return refine

    for action_id, refinement in REFINEMENTS.items():
        on_draft(action_id, refiner(refinement))

    async def save(who: PersonRef, ref: str, body: dict[str, Any], client: AsyncWebClient) -> None:
        saved = await services.conversations.save(who, ref=ref)
        note = (
            f"Saved as draft #{saved.draft_id}. You'll find it on the Home tab; "
            '"Copy for my manager" gives you a message ready to send.'
        )
        await post_ephemeral(client, _channel(body), who.user, blocks.build_note(note))

    async def copy(who: PersonRef, ref: str, body: dict[str, Any], client: AsyncWebClient) -> None:
        for_manager = await services.conversations.manager_text(who, ref=ref)
        await post(client, _channel(body), blocks.build_manager_message(for_manager.text))

    async def discard(
        who: PersonRef, ref: str, body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await services.conversations.start_over(who, ref=ref)
        note = "Discarded. Whenever you're ready, tell me what happened and we'll start fresh."
        await post_ephemeral(client, _channel(body), who.user, blocks.build_note(note))

    async def edit(who: PersonRef, ref: str, body: dict[str, Any], client: AsyncWebClient) -> None:
        current = await services.conversations.current_draft(who, ref=ref)
        view = blocks.build_edit_draft_modal(current.draft, draft_ref=ref)
        await client.views_open(trigger_id=body["trigger_id"], view=view)

    on_draft(ids.DRAFT_SAVE, save)
    on_draft(ids.DRAFT_EDIT, edit)
    on_draft(ids.DRAFT_COPY_FOR_MANAGER, copy)
    on_draft(ids.DRAFT_DISCARD, discard)

    @app.view(ids.VIEW_EDIT_DRAFT)
    async def edited(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        values = blocks.edit_draft_values(view["state"]["values"])
        missing = {
            name: "This part can't be empty."
            for name, text in values.model_dump().items()
            if not str(text).strip()
        }
        if missing:
            await ack(**blocks.view_errors(missing, ids.DRAFT_BLOCKS))
            return
        await ack()
        who = person_from(body)
        changes = {field: str(text) for field, text in values.model_dump().items()}
        try:
            turn = await services.conversations.edit(
                who, changes, ref=str(view.get("private_metadata"))
            )
        except StaleDraftError:
            # The modal is already closed; the draft it edited was replaced meanwhile.
            return
        channel = (await client.conversations_open(users=who.user))["channel"]["id"]
        message = blocks.build_reply_message(turn.reply, draft_ref=turn.ref or "none")
        await post(client, channel, message)

    for feedback in (ids.FEEDBACK_HELPFUL, ids.FEEDBACK_NOT_HELPFUL):

        async def on_feedback(
            ack: Ack, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
        ) -> None:
            await ack()
            helpful = action.get("action_id") == ids.FEEDBACK_HELPFUL
            COACH_FEEDBACK.labels(helpful="yes" if helpful else "no").inc()
            who = person_from(body)
            note = (
                "Thanks — glad it helped."
                if helpful
                else (
                    "Thanks for telling me. Edit it in your own words, or tell me more and "
                    "I'll redraft it."
                )
            )
            await post_ephemeral(client, _channel(body), who.user, blocks.build_note(note))

        app.action(feedback)(on_feedback)

    @app.action(ids.DRAFT_OPEN)
    async def open_saved(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        # From the Home tab: there is no channel here, so everything goes to the person's DM
        # (a user id as the channel posts in the app's DM with them).
        await ack()
        who = person_from(body)
        draft_id = id_value(action)
        try:
            if draft_id is None:
                raise SavedDraftNotFoundError
            reopened = await services.conversations.reopen(who, draft_id)
        except SavedDraftNotFoundError:
            await post(client, who.user, blocks.build_note(NO_SUCH_DRAFT))
            return
        await post(
            client, who.user, blocks.build_reply_message(reopened.reply, draft_ref=reopened.ref)
        )
