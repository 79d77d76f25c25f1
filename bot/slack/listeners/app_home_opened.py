"""``app_home_opened``: publish the Home tab; greet a new person once on the Messages tab."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select

from bot.app import Services
from bot.slack import blocks
from bot.slack.listeners.common import first_time, person_from, post
from bot.store.database import transaction
from bot.store.models import NudgeSchedule, utcnow
from bot.store.people import PersonRef, resolve_person
from bot.wins.categories import label as category_label
from bot.wins.dashboard import Dashboard, load_dashboard

ADMIN_FLAGS = ("is_admin", "is_owner", "is_primary_owner")


def home_data(
    board: Dashboard, *, is_admin: bool, team_nudges: list[blocks.TeamNudge] | None = None
) -> blocks.HomeData:
    """Turn a dashboard into what the Home tab builder shows."""
    person = board.person
    return blocks.HomeData(
        display_name=person.display_name,
        wins_this_month=board.wins_this_month,
        wins_this_quarter=board.wins_this_quarter,
        streak_weeks=board.streak_weeks,
        recent_wins=[
            blocks.HomeWin(
                id=w.id,
                occurred_on=w.occurred_on,
                what=w.what,
                category_label=category_label(w.category),
            )
            for w in board.recent_wins
        ],
        saved_drafts=[blocks.HomeDraft(id=d.id, problem=d.problem) for d in board.drafts],
        goals=[
            blocks.HomeGoal(title=g.title, progress=g.progress, target_date=g.target_date)
            for g in board.goals
        ],
        settings=blocks.NudgeSettings(
            dm_enabled=person.nudge_dm_enabled,
            weekday=person.nudge_weekday,
            time=person.nudge_time,
            timezone=person.timezone,
            paused_until=person.nudge_paused_until,
            digest_enabled=person.nudge_digest_enabled,
        ),
        is_admin=is_admin,
        team_nudges=team_nudges or [],
        today=board.today,
    )


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
    async with transaction(services.runtime.sessions) as session:
        person = await resolve_person(session, who)
        tz = profile.get("tz")
        if tz and not person.timezone:
            person.timezone = str(tz)[:64]
        name = profile_name(profile)
        if name:
            person.display_name = name


async def _team_nudges(services: Services, who: PersonRef) -> list[blocks.TeamNudge]:
    async with transaction(services.runtime.sessions) as session:
        person = await resolve_person(session, who)
        rows = await session.scalars(
            select(NudgeSchedule)
            .where(
                NudgeSchedule.workspace_id == person.workspace_id,
                NudgeSchedule.kind == "channel",
                NudgeSchedule.channel_id.is_not(None),
            )
            .order_by(NudgeSchedule.id)
        )
        return [
            blocks.TeamNudge(
                schedule_id=row.id,
                channel_id=str(row.channel_id),
                weekday=row.weekday,
                time=row.local_time,
                timezone=row.timezone,
                enabled=row.enabled,
                disabled_reason=row.disabled_reason,
            )
            for row in rows
        ]


async def _first_greeting(services: Services, who: PersonRef) -> bool:
    async with transaction(services.runtime.sessions) as session:
        person = await resolve_person(session, who)
        if person.greeted_at is not None:
            return False
        person.greeted_at = utcnow()
        return True


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
    admin = is_admin(profile)
    board = await load_dashboard(
        services.runtime.sessions, who, default_timezone=services.settings.default_timezone
    )
    team = await _team_nudges(services, who) if admin else []
    view = blocks.build_home_view(home_data(board, is_admin=admin, team_nudges=team))
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
            if await _first_greeting(services, who):
                message = blocks.build_greeting_message(profile_name(profile))
                await post(client, str(event["channel"]), message)
            return
        await publish_home(services, client, who, profile=profile)
