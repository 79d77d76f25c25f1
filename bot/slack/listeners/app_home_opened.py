"""``app_home_opened``: publish the Home tab; greet a new person once on the Messages tab."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.app import Services
from bot.slack import blocks
from bot.slack.listeners.common import first_time, person_from, post
from bot.store.people import PersonRef
from bot.wins.home import load_home
from bot.wins.profile import first_greeting, remember_profile

ADMIN_FLAGS = ("is_admin", "is_owner", "is_primary_owner")


def is_admin(profile: dict[str, Any]) -> bool:
    """Return whether a ``users.info`` record is a workspace admin or owner."""
    return any(bool(profile.get(flag)) for flag in ADMIN_FLAGS)


def profile_name(profile: dict[str, Any]) -> str | None:
    """Return the name to greet someone by: display name, else real name, else None."""
    name = (profile.get("profile") or {}).get("display_name") or profile.get("real_name")
    return str(name)[:200] if name else None


async def _profile(client: AsyncWebClient, user: str) -> dict[str, Any]:
    try:
        response = await client.users_info(user=user)
    except SlackApiError:
        return {}
    found = response.get("user")
    return found if isinstance(found, dict) else {}


async def _remember_profile(services: Services, who: PersonRef, profile: dict[str, Any]) -> None:
    # The timezone comes from the Slack profile by default (a zone chosen in the nudge settings
    # is kept); the name is for greetings only.
    tz = profile.get("tz")
    await remember_profile(
        services.runtime.sessions,
        who,
        timezone=str(tz) if tz else None,
        display_name=profile_name(profile),
    )


async def publish_home(
    services: Services,
    client: AsyncWebClient,
    who: PersonRef,
    *,
    profile: dict[str, Any] | None = None,
) -> None:
    """Publish ``who``'s Home tab (their profile is looked up unless given)."""
    if profile is None:
        profile = await _profile(client, who.user)
        await _remember_profile(services, who, profile)
    home = await load_home(
        services.runtime.sessions,
        who,
        default_timezone=services.settings.default_timezone,
        team_schedules_from=services.nudges if is_admin(profile) else None,
    )
    view = blocks.build_home_view(home)
    await client.views_publish(user_id=who.user, view=view)


def register(app: AsyncApp, services: Services) -> None:
    """Register the Home tab and the one-time greeting."""

    @app.event("app_home_opened")
    async def home_opened(
        event: dict[str, Any],
        body: dict[str, Any],
        client: AsyncWebClient,
        context: dict[str, Any],
    ) -> None:
        if not await first_time(context):
            return
        who = person_from(body)
        profile = await _profile(client, who.user)
        await _remember_profile(services, who, profile)
        if event.get("tab") == "messages":
            if await first_greeting(services.runtime.sessions, who):
                message = blocks.build_greeting_message(profile_name(profile))
                await post(client, str(event["channel"]), message)
            return
        await publish_home(services, client, who, profile=profile)
