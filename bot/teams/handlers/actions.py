"""Buttons on Step Up's cards (``Action.Execute``, the ``adaptiveCard/action`` invoke).

Each verb of :mod:`bot.teams.verbs` has one handler here. Most answer with the updated card in
place of the clicked one (Universal Actions), so a card never shows stale choices; a button that
produces something new (the manager message, an impact summary) posts it as a new message and
leaves the card as it was. A draft button names the draft version it was shown with: pressed
after the draft changed, it does nothing and says so.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from microsoft_teams.api.activities.invoke.adaptive_card.action import AdaptiveCardInvokeActivity
from microsoft_teams.api.models.invoke_response import InvokeResponse
from microsoft_teams.apps import ActivityContext, App

from bot.app import Services
from bot.coaching.conversation import CoachTurn, StaleDraftError
from bot.coaching.models import CoachReply, Draft, Refinement
from bot.errors import UserError
from bot.nudges.ports import ChannelRefused
from bot.nudges.schedule import parse_time
from bot.teams import cards, verbs
from bot.teams.announcer import TeamsChannelAnnouncer
from bot.teams.handlers import files
from bot.teams.handlers.common import (
    arrive,
    channel_nudge_card,
    impact_message,
    reply_card,
    settings_card,
)
from bot.teams.handlers.guard import card_action_handler
from bot.teams.handlers.replies import card_message, replace_card, toast
from bot.teams.turn import PLATFORM, Turn
from bot.wins.preferences import PreferenceError, read_weekday, update_nudge_preferences
from bot.wording import wording

log = logging.getLogger(__name__)

STALE_DRAFT = "That card shows an older version of your draft. Use the newest one below it."
NO_DRAFT = "There's no draft in progress. Tell me what happened and I'll draft one."
UNKNOWN_BUTTON = "That button is out of date. Type `help` for what I can do."
CHANNEL_ONLY = "Team nudges are set up in a team channel: type `@Step Up nudges` there."
NOT_POSTED = (
    "I couldn't post in this channel ({reason}), so the weekly nudge was not {what}. Check that "
    "Step Up is still added to this team, then try again."
)
DECLINED = "No problem: it isn't in your wins. The thanks still stands."
REFINEMENTS: frozenset[str] = frozenset({"shorter", "formal", "add_numbers"})
EDITABLE = ("problem", "proposed_fix", "my_role")
MAX_INPUT_CHARS = 4_000

Action = Callable[[Any, Services, Turn, Mapping[str, Any]], Awaitable[InvokeResponse[Any]]]


def register(app: App, services: Services) -> None:
    """Answer every ``Action.Execute`` on Step Up's cards."""

    @app.on_card_action
    @card_action_handler
    async def on_card_action(
        ctx: ActivityContext[AdaptiveCardInvokeActivity],
    ) -> InvokeResponse[Any]:
        turn = await arrive(ctx, services)
        assert turn is not None  # invokes are never de-duplicated away
        action = ctx.activity.value.action
        data = action.data if isinstance(action.data, dict) else {}
        handler = ACTIONS.get(action.verb or str(data.get("verb") or ""))
        if handler is None:
            return toast(UNKNOWN_BUTTON)
        return await handler(ctx, services, turn, data)


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    return "" if value is None else str(value).strip()[:MAX_INPUT_CHARS]


def _flag(data: Mapping[str, Any], key: str) -> bool:
    return _text(data, key).lower() == "true"


def _ref(data: Mapping[str, Any]) -> str:
    """Return the draft version a draft button carries ("" when it carries none: stale)."""
    return _text(data, verbs.REF)


@contextmanager
def _as_card_says() -> Iterator[None]:
    """Refuse a button from an older draft in the words a card uses (the newest is below it)."""
    try:
        yield
    except StaleDraftError as exc:
        raise UserError(STALE_DRAFT if exc.draft_in_progress else NO_DRAFT) from None


def _draft_card(draft: Draft, ref: str | None, note: str) -> InvokeResponse[Any]:
    reply = CoachReply(kind="draft", acknowledgement=note, draft=draft)
    return replace_card(reply_card(CoachTurn(reply=reply, ref=ref)))


async def draft_save(ctx: Any, services: Services, turn: Turn, data: Mapping[str, Any]) -> Any:
    """Save the draft; the card becomes the saved draft."""
    with _as_card_says():
        saved = await services.conversations.save(turn.who, ref=_ref(data))
    reply = CoachReply(kind="draft", acknowledgement="Saved.", draft=saved.draft)
    card = cards.saved_card(reply, draft_id=saved.draft_id, draft_ref=saved.ref or "none")
    return replace_card(card)


async def draft_refine(ctx: Any, services: Services, turn: Turn, data: Mapping[str, Any]) -> Any:
    """Shorter, more formal, or which numbers would help: the card becomes the new version."""
    wanted = _text(data, verbs.REFINEMENT)
    if wanted not in REFINEMENTS:
        return toast(UNKNOWN_BUTTON)
    refinement: Refinement = wanted  # type: ignore[assignment]
    with _as_card_says():
        refined = await services.conversations.refine(turn.who, refinement, ref=_ref(data))
    return replace_card(reply_card(refined))


async def draft_edit(ctx: Any, services: Services, turn: Turn, data: Mapping[str, Any]) -> Any:
    """Rewrite the fields the person changed in the card's edit form."""
    ref = _ref(data)
    with _as_card_says():
        current = await services.conversations.current_draft(turn.who, ref=ref)
        wanted = {field: _text(data, field) for field in EDITABLE if field in data}
        changes = {
            field: text
            for field, text in wanted.items()
            if text and text != getattr(current.draft, field)
        }
        if not changes:
            return _draft_card(current.draft, current.ref, "Nothing changed.")
        edited = await services.conversations.edit(turn.who, changes, ref=ref)
    return replace_card(reply_card(edited))


async def draft_manager(ctx: Any, services: Services, turn: Turn, data: Mapping[str, Any]) -> Any:
    """Post the draft as a message for the manager; the draft card stays."""
    # A card's button names its draft version (an older card's is refused, as on Slack); a
    # button without one acts on the draft in progress, like typing `manager`.
    with _as_card_says():
        for_manager = await services.conversations.manager_text(turn.who, ref=_ref(data) or None)
    card = cards.manager_card(for_manager.text, draft_ref=for_manager.ref or "none")
    await ctx.send(card_message(card, summary="A message for your manager"))
    note = "Here's your draft; the message is below."
    return _draft_card(for_manager.draft, for_manager.ref, note)


async def draft_open(ctx: Any, services: Services, turn: Turn, data: Mapping[str, Any]) -> Any:
    """Make a saved draft current again; it is posted with its buttons, the list stays."""
    reopened = await services.conversations.reopen(turn.who, _id(data, verbs.DRAFT_ID))
    card = cards.reply_card(reopened.reply, draft_ref=reopened.ref)
    await ctx.send(card_message(card, summary=reopened.reply.acknowledgement))
    return toast(f"Draft #{reopened.draft_id} is your current draft: it's below.")


async def draft_new(ctx: Any, services: Services, turn: Turn, data: Mapping[str, Any]) -> Any:
    """Start over: the draft is dropped (saved copies stay)."""
    # As for "For my manager": an older card's button does not drop the newer draft.
    with _as_card_says():
        await services.conversations.start_over(turn.who, ref=_ref(data) or None)
    return replace_card(cards.note_card("Fresh start. What happened on your shift?"))


async def settings_open(ctx: Any, services: Services, turn: Turn, data: Mapping[str, Any]) -> Any:
    """Show the settings card (a new message, so the clicked card stays)."""
    card = await settings_card(services, turn.who)
    await ctx.send(card_message(card, summary="Your nudge settings"))
    return toast("Your settings are below.")


def _weekday(data: Mapping[str, Any]) -> int:
    return read_weekday(_text(data, verbs.IN_WEEKDAY))


def _time(data: Mapping[str, Any]) -> dt.time:
    try:
        return parse_time(_text(data, verbs.IN_TIME))
    except UserError as exc:
        raise PreferenceError("time", str(exc)) from None


def _date(data: Mapping[str, Any]) -> dt.date | None:
    text = _text(data, verbs.IN_PAUSED_UNTIL)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise PreferenceError("paused_until", "Pick the pause date from the calendar.") from None


async def settings_save(ctx: Any, services: Services, turn: Turn, data: Mapping[str, Any]) -> Any:
    """Store the nudge settings; the card shows them saved, or the mistake next to its field."""
    try:
        await update_nudge_preferences(
            services.runtime.sessions,
            turn.who,
            enabled=_flag(data, verbs.IN_DM_ENABLED),
            digest_enabled=_flag(data, verbs.IN_DIGEST_ENABLED),
            weekday=_weekday(data),
            time=_time(data),
            timezone=_text(data, verbs.IN_TIMEZONE) or None,
            paused_until=_date(data),
            default_timezone=services.settings.default_timezone,
        )
    except PreferenceError as exc:
        card = await settings_card(services, turn.who, error=str(exc), error_field=exc.field)
        return replace_card(card)
    return replace_card(await settings_card(services, turn.who, saved=True))


def _id(data: Mapping[str, Any], key: str) -> int:
    """Return the id a button carries under ``key``.

    Raises:
        UserError: Missing or not an id (a mangled or forged button): a brief note.
    """
    text = _text(data, key)
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise UserError(UNKNOWN_BUTTON)
    return int(text)


def _schedule_id(data: Mapping[str, Any]) -> int:
    return _id(data, verbs.SCHEDULE_ID)


async def channel_open(ctx: Any, services: Services, turn: Turn, data: Mapping[str, Any]) -> Any:
    """Show the channel's nudge card in place of the help card."""
    if turn.channel_id is None:
        return toast(CHANNEL_ONLY)
    return replace_card(await channel_nudge_card(services, turn))


async def channel_save(ctx: Any, services: Services, turn: Turn, data: Mapping[str, Any]) -> Any:
    """Turn the channel's weekly nudge on, or move it; mistakes show on the card."""
    if turn.channel_id is None:
        return toast(CHANNEL_ONLY)
    fields = {
        "weekday": _text(data, verbs.IN_WEEKDAY),
        "local_time": _text(data, verbs.IN_TIME),
        "timezone": _text(data, verbs.IN_TIMEZONE) or services.settings.default_timezone,
    }
    try:
        if _text(data, verbs.SCHEDULE_ID):
            await services.nudges.update(
                platform=PLATFORM,
                workspace=turn.tenant_id,
                schedule_id=_schedule_id(data),
                **fields,
            )
            notice = "Saved."
        else:
            existing = await services.nudges.for_channel(
                platform=PLATFORM, workspace=turn.tenant_id, channel_id=turn.channel_id
            )
            if existing is not None:
                raise UserError("This channel already has a weekly nudge: change it below.")
            # The announcement is the check that Step Up may post here; taken back if the
            # schedule cannot be stored.
            await services.nudges.add(
                platform=PLATFORM,
                workspace=turn.tenant_id,
                channel_id=turn.channel_id,
                created_by=turn.who.user,
                announcer=TeamsChannelAnnouncer(ctx),
                **fields,
            )
            notice = "The weekly win nudge is on for this channel."
    except ChannelRefused as exc:
        error = NOT_POSTED.format(reason=exc.reason, what="turned on")
        return replace_card(await channel_nudge_card(services, turn, error=error))
    except UserError as exc:
        return replace_card(await channel_nudge_card(services, turn, error=str(exc)))
    return replace_card(await channel_nudge_card(services, turn, notice=notice))


async def _channel_switch(
    ctx: Any, services: Services, turn: Turn, data: Mapping[str, Any], *, enabled: bool
) -> InvokeResponse[Any]:
    if turn.channel_id is None:
        return toast(CHANNEL_ONLY)
    schedule_id = _schedule_id(data)
    try:
        # Resuming posts a "back on" note first: the check that Step Up may still post here.
        await services.nudges.set_enabled(
            platform=PLATFORM,
            workspace=turn.tenant_id,
            schedule_id=schedule_id,
            enabled=enabled,
            announcer=TeamsChannelAnnouncer(ctx),
        )
    except ChannelRefused as exc:
        error = NOT_POSTED.format(reason=exc.reason, what="resumed")
        return replace_card(await channel_nudge_card(services, turn, error=error))
    notice = "Resumed: it posts again on its day." if enabled else "Paused until you resume it."
    return replace_card(await channel_nudge_card(services, turn, notice=notice))


async def channel_pause(ctx: Any, services: Services, turn: Turn, data: Mapping[str, Any]) -> Any:
    """Pause the channel's weekly nudge."""
    return await _channel_switch(ctx, services, turn, data, enabled=False)


async def channel_resume(ctx: Any, services: Services, turn: Turn, data: Mapping[str, Any]) -> Any:
    """Resume the channel's weekly nudge (also after Teams had it turned off)."""
    return await _channel_switch(ctx, services, turn, data, enabled=True)


async def channel_remove(ctx: Any, services: Services, turn: Turn, data: Mapping[str, Any]) -> Any:
    """Remove the channel's weekly nudge; the card offers to set one up again."""
    if turn.channel_id is None:
        return toast(CHANNEL_ONLY)
    await services.nudges.remove(
        platform=PLATFORM, workspace=turn.tenant_id, schedule_id=_schedule_id(data)
    )
    notice = "Removed. Set it up again any time."
    return replace_card(await channel_nudge_card(services, turn, notice=notice))


async def impact_show(ctx: Any, services: Services, turn: Turn, data: Mapping[str, Any]) -> Any:
    """Post the impact summary for the button's period (privately: only in the 1:1 chat)."""
    if not turn.personal:
        return toast("Your impact summary is private: ask me for it in our 1:1 chat.")
    await ctx.send(await impact_message(services, turn.who, _text(data, verbs.PERIOD) or "90d"))
    return toast("Your impact summary is below.")


async def impact_export(ctx: Any, services: Services, turn: Turn, data: Mapping[str, Any]) -> Any:
    """Offer the impact summary as a file (a consent card; Teams then asks where it goes)."""
    return toast(await files.offer(ctx, services, turn, dict(data)))


async def win_delete(ctx: Any, services: Services, turn: Turn, data: Mapping[str, Any]) -> Any:
    """Delete a logged win; its card says so (and it leaves every summary from now on)."""
    win_id = _id(data, verbs.WIN_ID)
    await services.wins.delete(turn.who, win_id)
    return replace_card(
        cards.note_card(f"{wording('deleted_win', id=win_id)} It no longer counts anywhere.")
    )


def _thanks_id(data: Mapping[str, Any]) -> int:
    return _id(data, verbs.THANKS_ID)


async def thanks_accept(ctx: Any, services: Services, turn: Turn, data: Mapping[str, Any]) -> Any:
    """Keep a colleague's thanks as a win (recognition received); the card shows the win."""
    win = await services.thanks.accept(turn.who, _thanks_id(data))
    return replace_card(cards.win_logged_card(win))


async def thanks_decline(ctx: Any, services: Services, turn: Turn, data: Mapping[str, Any]) -> Any:
    """Let the thanks go: nothing is stored as the person's."""
    await services.thanks.decline(turn.who, _thanks_id(data))
    return replace_card(
        cards.note_card("No problem: it isn't in your wins. The thanks still stands.")
    )


async def show_help(ctx: Any, services: Services, turn: Turn, data: Mapping[str, Any]) -> Any:
    """Show what Step Up does here in place of the clicked card."""
    card = cards.help_card() if turn.personal else cards.channel_help_card()
    return replace_card(card)


ACTIONS: dict[str, Action] = {
    verbs.DRAFT_SAVE: draft_save,
    verbs.DRAFT_REFINE: draft_refine,
    verbs.DRAFT_EDIT: draft_edit,
    verbs.DRAFT_MANAGER: draft_manager,
    verbs.DRAFT_NEW: draft_new,
    verbs.DRAFT_OPEN: draft_open,
    verbs.SETTINGS_OPEN: settings_open,
    verbs.SETTINGS_SAVE: settings_save,
    verbs.CHANNEL_OPEN: channel_open,
    verbs.CHANNEL_SAVE: channel_save,
    verbs.CHANNEL_PAUSE: channel_pause,
    verbs.CHANNEL_RESUME: channel_resume,
    verbs.CHANNEL_REMOVE: channel_remove,
    verbs.IMPACT_SHOW: impact_show,
    verbs.IMPACT_EXPORT: impact_export,
    verbs.WIN_DELETE: win_delete,
    verbs.THANKS_ACCEPT: thanks_accept,
    verbs.THANKS_DECLINE: thanks_decline,
    verbs.HELP: show_help,
}
