"""App Home (workspace admins): pause or resume a team channel's weekly nudge.

The button's value is the schedule id and its label says what the admin asked for ("Pause" or
"Resume"), so a double click or a Home tab that another admin changed meanwhile never flips the
schedule back. The Home tab is re-published afterwards, so the button shows the new state.

The Home tab has no channel for an ephemeral message, so anything that stops the change (not an
admin, a schedule that is gone or belongs to another workspace, a malformed value) is a short
DM from the app, and the Home tab is re-published to show what is really there (a demoted admin's
tab loses the section, a removed schedule disappears). Nothing changes in those cases.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, Final

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.app import Services
from bot.errors import UserError
from bot.nudges.ports import ChannelRefused
from bot.slack import blocks, ids
from bot.slack.channels import SlackChannelAnnouncer
from bot.slack.listeners.app_home_opened import is_admin, publish_home
from bot.slack.listeners.common import id_value, person_from, post
from bot.store.people import PersonRef

log = logging.getLogger(__name__)

Ack = Callable[..., Awaitable[None]]

NOT_ADMIN: Final = (
    "Only workspace admins and owners can pause or resume team nudges, so I left it as it was. "
    "Ask one of them if the schedule should change."
)
ROLE_UNKNOWN: Final = (
    "I couldn't check your workspace role with Slack just now, so I left the team nudge as it "
    "was. Please try again in a minute."
)
GONE: Final = (
    "That team nudge isn't there any more (someone may have removed it), so there was nothing "
    "to pause or resume. Your Home tab now shows the current schedules."
)
LABEL_INTENT: Final[dict[str, bool]] = {"pause": False, "resume": True}
"""Button label (home.py ``_team``) → the ``enabled`` the admin asked for."""


def wanted_state(action: dict[str, Any], current: bool) -> bool:
    """Return the ``enabled`` state the admin asked for.

    The label of the pressed button decides ("Pause" → off, "Resume" → on); a button without a
    known label toggles the current state.
    """
    text = action.get("text")
    label = str(text.get("text", "") if isinstance(text, dict) else "").strip().lower()
    return LABEL_INTENT.get(label, not current)


async def _profile(client: AsyncWebClient, user: str) -> dict[str, Any] | None:
    try:
        response = await client.users_info(user=user)
    except SlackApiError:
        return None
    found = response.get("user")
    return found if isinstance(found, dict) else None


async def _note(client: AsyncWebClient, who: PersonRef, text: str) -> None:
    # Posting to a user id lands in the app's DM with them (its Messages tab).
    await post(client, who.user, blocks.build_note(text))


def register(app: AsyncApp, services: Services) -> None:
    """Register the team nudge pause/resume button."""

    @app.action(ids.TEAM_NUDGE_TOGGLE)
    async def toggle(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        who = person_from(body)
        profile = await _profile(client, who.user)
        if profile is None:
            await _note(client, who, ROLE_UNKNOWN)
            return
        if not is_admin(profile):
            await _note(client, who, NOT_ADMIN)
            await publish_home(services, client, who, profile=profile)
            return
        schedule_id = id_value(action)
        try:
            if schedule_id is None:
                raise UserError("malformed schedule id")
            schedule = await services.nudges.get(
                platform="slack", workspace=who.workspace, schedule_id=schedule_id
            )
            wanted = wanted_state(action, schedule.enabled)
            if schedule.enabled != wanted:
                # Resuming posts a "back on" note first: the check that the channel still
                # takes posts (refused: it stays off).
                await services.nudges.set_enabled(
                    platform="slack",
                    workspace=who.workspace,
                    schedule_id=schedule_id,
                    enabled=wanted,
                    announcer=SlackChannelAnnouncer(client),
                )
                log.info(
                    "slack: team nudge #%s %s by an admin",
                    schedule_id,
                    "resumed" if wanted else "paused",
                )
        except ChannelRefused as refused:
            await _note(
                client,
                who,
                f"I can't resume that nudge: {refused.reason}. To fix it, {refused.fix}.",
            )
        except UserError:
            await _note(client, who, GONE)
        await publish_home(services, client, who, profile=profile)
