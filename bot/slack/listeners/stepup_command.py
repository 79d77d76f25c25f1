"""``/stepup``: help, the workspace's weekly team-channel nudges, and the person's own settings.

    /stepup [help]                                     usage
    /stepup nudges [list]                              the workspace's channel nudges
    /stepup nudges add [#channel|here] DAY TIME [ZONE] nudge a channel every week
    /stepup nudges remove|pause|resume|preview N       one nudge (changes: admins or its creator)
    /stepup settings                                   the personal DM nudge settings modal

Anything that needs no Web API call (usage, a mistake in the arguments) is answered in the ack;
everything else is acknowledged at once and answered through the command's ``response_url``,
which reaches the person even in a channel Step Up is not a member of. Every reply is
ephemeral; the only public messages are the announcement that proves Step Up can post in a
channel, sent (by :class:`~bot.nudges.service.NudgesService`, through
:class:`~bot.slack.channels.SlackChannelAnnouncer`) before a schedule is stored, and the "back on"
note of a resumed one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Final, Literal

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.app import Services
from bot.errors import UserError
from bot.nudges.ports import ChannelRefused
from bot.nudges.schedule import parse_time, parse_timezone, parse_weekday
from bot.nudges.view import schedule_view
from bot.slack import blocks, ids
from bot.slack.blocks.stepup import ADD_EXAMPLE, ADD_USAGE, Change
from bot.slack.channels import SlackChannelAnnouncer
from bot.slack.listeners.app_home_opened import is_admin
from bot.slack.listeners.common import person_from
from bot.slack.listeners.home_settings import open_settings_modal
from bot.store.models import NudgeSchedule, utcnow
from bot.store.people import PersonRef

Ack = Callable[..., Awaitable[Any]]
Respond = Callable[..., Awaitable[Any]]
Action = Literal["help", "list", "add", "remove", "pause", "resume", "preview", "settings"]

ONE_NUDGE: Final = ("remove", "pause", "resume", "preview")
PAST_TENSE: Final[dict[str, Change]] = {"remove": "removed", "pause": "paused", "resume": "resumed"}
NOT_IN_A_DM: Final = (
    "Channel nudges are for team channels: run it in the team channel or name one, "
    "e.g. `/stepup nudges add #pharmacy fri 15:00`. (Your own weekly DM nudge is in "
    "`/stepup settings`.)"
)
ADD_HELP: Final = f"Usage: `{ADD_USAGE}`, e.g. `{ADD_EXAMPLE}`"

_CHANNEL_LINK = re.compile(r"<#([A-Z0-9]{3,21})(?:\|[^>]*)?>")
_CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{2,20}")


@dataclass(frozen=True)
class StepupRequest:
    """What a ``/stepup`` text asks for.

    Attributes:
        action: The subcommand.
        schedule_id: The nudge ``remove``/``pause``/``resume``/``preview`` act on.
        channel: ``add``: the channel named (``None``: the one the command ran in).
        weekday: ``add``: 0 = Monday … 6 = Sunday.
        time: ``add``: local time.
        timezone: ``add``: the IANA zone given (``None``: the person's Slack timezone).
        not_understood: ``help`` after text that matched nothing (shown back, escaped).
    """

    action: Action
    schedule_id: int | None = None
    channel: str | None = None
    weekday: int | None = None
    time: dt.time | None = None
    timezone: str | None = None
    not_understood: str | None = None


def _unescape(text: str) -> str:
    # Slack sends &, < and > of command text as entities.
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def parse_channel(word: str) -> str | None:
    """Return the channel id ``word`` names, ``"here"``, or None when it names no channel.

    Accepts ``<#C123|name>``, ``<#C123>``, a bare ``C123`` and ``here``.

    Raises:
        UserError: A ``#name`` Slack did not turn into a link, or a DM.
    """
    if word.lower() in ("here", "#here"):
        return "here"
    link = _CHANNEL_LINK.fullmatch(word)
    channel = link.group(1) if link else word if _CHANNEL_ID.fullmatch(word) else None
    if channel is None:
        if word.startswith("#") and len(word) > 1:
            raise UserError(
                f"I can't look up {word} by name: pick the channel from Slack's suggestions "
                "as you type # (or give its id, C…)."
            )
        return None
    if channel.startswith("D"):
        raise UserError(NOT_IN_A_DM)
    return channel


def _parse_add(words: list[str]) -> StepupRequest:
    channel = parse_channel(words[0]) if words else None
    rest = words[1:] if channel is not None else words
    if len(rest) >= 3 and rest[2].lower().rstrip(".") in ("am", "pm", "a.m", "p.m"):
        rest = [rest[0], rest[1] + rest[2], *rest[3:]]  # "3:30 pm" as one time
    if len(rest) not in (2, 3):
        raise UserError(ADD_HELP)
    return StepupRequest(
        "add",
        channel=None if channel == "here" else channel,
        weekday=parse_weekday(rest[0]),
        time=parse_time(rest[1]),
        timezone=parse_timezone(rest[2]) if len(rest) == 3 else None,
    )


def _parse_one(action: Action, words: list[str]) -> StepupRequest:
    number = words[0].lstrip("#") if len(words) == 1 else ""
    if not number.isdigit() or not 0 < int(number) < 2**31:
        raise UserError(
            f"Give the nudge's number, e.g. `/stepup nudges {action} 3` "
            "(`/stepup nudges` lists them)."
        )
    return StepupRequest(action, schedule_id=int(number))


def parse_stepup(text: str) -> StepupRequest:
    """Return what a ``/stepup`` text asks for; unknown text asks for help.

    Raises:
        UserError: A known subcommand with arguments it cannot use (the message says which
            forms it takes).
    """
    raw = _unescape(text).strip()
    words = raw.split()
    lowered = [word.lower() for word in words]
    if not words or lowered == ["help"] or lowered == ["?"]:
        return StepupRequest("help")
    if lowered == ["settings"]:
        return StepupRequest("settings")
    if lowered[0] == "nudges" or lowered[0] == "nudge":
        if lowered[1:] in ([], ["list"]):
            return StepupRequest("list")
        if lowered[1] == "add":
            return _parse_add(words[2:])
        for action in ONE_NUDGE:
            if lowered[1] == action:
                return _parse_one(action, words[2:])
    return StepupRequest("help", not_understood=raw)


def in_a_dm(body: dict[str, Any]) -> bool:
    """Return whether a command ran in a DM or a group DM."""
    channel = str(body.get("channel_id") or "")
    name = str(body.get("channel_name") or "")
    return channel.startswith("D") or name == "directmessage" or name.startswith("mpdm-")


async def _user_record(client: AsyncWebClient, user: str) -> dict[str, Any]:
    try:
        response = await client.users_info(user=user)
    except SlackApiError:
        return {}
    found = response.get("user")
    return found if isinstance(found, dict) else {}


async def _zone_of(client: AsyncWebClient, user: str, default: str) -> str:
    zone = _user_record_zone(await _user_record(client, user))
    return zone or default


def _user_record_zone(record: dict[str, Any]) -> str | None:
    try:
        return parse_timezone(str(record.get("tz") or ""))
    except UserError:
        return None


async def _may_change(client: AsyncWebClient, schedule: NudgeSchedule, user: str) -> bool:
    if schedule.created_by is not None and schedule.created_by == user:
        return True
    return is_admin(await _user_record(client, user))


class _Stepup:
    """One ``/stepup`` request after its ack: the Web API and service work, then the reply."""

    def __init__(
        self, services: Services, client: AsyncWebClient, respond: Respond, body: dict[str, Any]
    ) -> None:
        self.services = services
        self.client = client
        self.respond = respond
        self.body = body
        self.who: PersonRef = person_from(body)
        self.now = utcnow()

    async def reply(self, message: blocks.SlackMessage) -> None:
        await self.respond(response_type="ephemeral", **message.as_kwargs())

    async def run(self, request: StepupRequest) -> None:
        try:
            if request.action == "settings":
                await self.settings()
            elif request.action == "list":
                await self.list_nudges()
            elif request.action == "add":
                await self.add(request)
            elif request.action == "preview":
                await self.preview(request)
            else:
                await self.change(request)
        except ChannelRefused as exc:
            await self.reply(blocks.stepup.build_channel_refused(exc.channel, exc.reason, exc.fix))
        except UserError as exc:
            await self.reply(blocks.build_note(str(exc)))

    async def settings(self) -> None:
        await open_settings_modal(self.services, self.client, self.who, self.body["trigger_id"])

    async def list_nudges(self) -> None:
        schedules = await self.services.nudges.list_schedules(
            platform=self.who.platform, workspace=self.who.workspace
        )
        nudges = [schedule_view(schedule, self.now) for schedule in schedules]
        await self.reply(blocks.stepup.build_nudge_list(nudges))

    async def add(self, request: StepupRequest) -> None:
        assert request.weekday is not None and request.time is not None
        channel = request.channel or str(self.body.get("channel_id") or "")
        zone = request.timezone or await _zone_of(
            self.client, self.who.user, self.services.settings.default_timezone
        )
        schedule = await self.services.nudges.add(
            platform=self.who.platform,
            workspace=self.who.workspace,
            channel_id=channel,
            weekday=request.weekday,
            local_time=request.time,
            timezone=zone,
            created_by=self.who.user,
            announcer=SlackChannelAnnouncer(self.client),
        )
        await self.reply(blocks.stepup.build_nudge_added(schedule_view(schedule, self.now)))

    async def preview(self, request: StepupRequest) -> None:
        assert request.schedule_id is not None
        preview = await self.services.nudges.preview(
            platform=self.who.platform,
            workspace=self.who.workspace,
            schedule_id=request.schedule_id,
            now=self.now,
        )
        nudge = schedule_view(preview.schedule, self.now)
        message = blocks.stepup.build_nudge_preview(
            nudge, due_at=preview.due_at, question=preview.text, roundup=preview.roundup
        )
        await self.reply(message)

    async def change(self, request: StepupRequest) -> None:
        assert request.schedule_id is not None
        where = {"platform": self.who.platform, "workspace": self.who.workspace}
        schedule = await self.services.nudges.get(**where, schedule_id=request.schedule_id)
        if not await _may_change(self.client, schedule, self.who.user):
            raise UserError(
                f"Only a workspace admin or the person who set up nudge #{schedule.id} can "
                f"{request.action} it."
            )
        if request.action == "remove":
            changed = await self.services.nudges.remove(**where, schedule_id=schedule.id)
        else:
            changed = await self.services.nudges.set_enabled(
                **where,
                schedule_id=schedule.id,
                enabled=request.action == "resume",
                announcer=SlackChannelAnnouncer(self.client),
            )
        message = blocks.stepup.build_nudge_changed(
            schedule_view(changed, self.now), PAST_TENSE[request.action]
        )
        await self.reply(message)


def _ephemeral(message: blocks.SlackMessage) -> dict[str, Any]:
    return {"response_type": "ephemeral", **message.as_kwargs()}


def register(app: AsyncApp, services: Services) -> None:
    """Register ``/stepup``."""

    @app.command(ids.CMD_STEPUP)
    async def stepup_command(
        ack: Ack, body: dict[str, Any], client: AsyncWebClient, respond: Respond
    ) -> None:
        try:
            request = parse_stepup(str(body.get("text") or ""))
        except UserError as exc:
            await ack(**_ephemeral(blocks.build_note(str(exc))))
            return
        if request.action == "help":
            usage = blocks.stepup.build_stepup_usage(not_understood=request.not_understood)
            await ack(**_ephemeral(usage))
            return
        if request.action == "add" and request.channel is None and in_a_dm(body):
            await ack(**_ephemeral(blocks.build_note(NOT_IN_A_DM)))
            return
        await ack()  # within 3 s; users.info, the announcement and the database come after
        await _Stepup(services, client, respond, body).run(request)
