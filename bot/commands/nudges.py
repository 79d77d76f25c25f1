"""``stepup nudges add|list|remove|preview|run-due``: team-channel nudge schedules and one tick.

Schedules belong to a workspace: ``--workspace`` if given; otherwise the workspace of
``SLACK_BOT_TOKEN`` (found with ``auth.test``) when one is configured; otherwise the local one.
Adding a nudge to a channel of the ``SLACK_BOT_TOKEN`` workspace first posts its announcement
there (the service announces through :class:`bot.slack.channels.SlackChannelAnnouncer`): a
channel Step Up cannot post in is refused with Slack's reason and nothing is stored.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING, Any

from bot.commands.context import CommandContext
from bot.errors import UserError
from bot.nudges.job import grace, worker_id
from bot.nudges.print_sender import PrintSender
from bot.nudges.roundup import MIN_TEAM, render_roundup_text
from bot.nudges.schedule import (
    DAY_FORMS,
    TIME_FORMS,
    ZONE_FORMS,
    parse_time,
    parse_timezone,
    parse_weekday,
)
from bot.nudges.service import NudgesService
from bot.nudges.tick import TickReport, run_tick
from bot.nudges.view import ScheduleView, moment_text, schedule_view
from bot.prompts import PromptError
from bot.store.models import NudgeSchedule, utcnow

if TYPE_CHECKING:
    from slack_sdk.web.async_client import AsyncWebClient


def describe(schedule: NudgeSchedule, now: dt.datetime) -> str:
    """Return one line about a schedule: ``#3  channel C123  Fridays at 3:00 PM (Central)``.

    A schedule that is not plainly on says so at the end (``[paused until Fri, Dec 4]``,
    ``[disabled: not_in_channel …]``).
    """
    view: ScheduleView = schedule_view(schedule, now)
    state = "" if view.status == "on" else f"  [{view.status}]"
    return f"#{view.schedule_id}  channel {view.channel_id}  {view.when}{state}"


def register(subparsers: Any) -> None:
    """Add ``nudges`` and its actions."""
    parser = subparsers.add_parser("nudges", help="weekly nudges to log wins: schedules and ticks")
    actions = parser.add_subparsers(dest="nudges_action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        help="nudge a team channel every week",
        description=(
            "Nudge a channel weekly, e.g. "
            "stepup nudges add --channel C0123ABCD --day fri --time 15:00 --tz America/Chicago"
        ),
    )
    add.add_argument("--channel", required=True, help="the channel's id (C…), bot invited")
    add.add_argument("--day", required=True, help=DAY_FORMS)
    add.add_argument("--time", required=True, help=TIME_FORMS)
    add.add_argument("--tz", help=f"{ZONE_FORMS} (default: DEFAULT_TIMEZONE)")
    add.set_defaults(handler=_add)
    listing = actions.add_parser("list", help="list the workspace's channel nudges")
    listing.set_defaults(handler=_list)
    remove = actions.add_parser("remove", help="delete a channel nudge")
    remove.add_argument("id", type=int)
    remove.set_defaults(handler=_remove)
    preview = actions.add_parser("preview", help="show when a nudge fires next and its text")
    preview.add_argument("id", type=int)
    preview.set_defaults(handler=_preview)
    due = actions.add_parser(
        "run-due",
        help="run one scheduler tick: send the nudges due now",
        description=(
            "Send every nudge due now, once. Local-workspace nudges are printed; Slack and Teams "
            "ones are sent when that platform's credentials are set (otherwise left for the "
            "server)."
        ),
    )
    due.add_argument("--now", help="pretend it is this instant (ISO 8601; no offset means UTC)")
    due.set_defaults(handler=_run_due)


async def _service(context: CommandContext) -> NudgesService:
    runtime = await context.runtime()
    try:
        return NudgesService(runtime.sessions)
    except PromptError as exc:
        raise UserError(str(exc)) from None


async def _token_workspace(context: CommandContext) -> tuple[AsyncWebClient, str] | None:
    """Return a client with ``SLACK_BOT_TOKEN`` and its workspace, or None without a token."""
    token = context.settings.slack_bot_token
    if token is None:
        return None
    from slack_sdk.errors import SlackApiError

    from bot.slack.app import build_client

    client = build_client(context.settings, token=token.get_secret_value())
    try:
        answer = await client.auth_test()
    except SlackApiError as exc:
        raise UserError(
            f"SLACK_BOT_TOKEN: Slack refused auth.test ({exc.response.get('error')}); "
            "give --workspace T… or fix the token"
        ) from None
    except OSError as exc:
        raise UserError(
            f"cannot reach Slack to find the workspace ({exc}); give --workspace"
        ) from None
    team = answer.get("team_id")
    if not team:
        raise UserError("Slack did not name the workspace; give --workspace T…")
    return client, str(team)


async def _target(context: CommandContext) -> tuple[str, str, AsyncWebClient | None]:
    """Return ``(platform, external id)`` the command acts in, and a client that can post there.

    The client carries ``SLACK_BOT_TOKEN`` and is only given for that token's own workspace.
    """
    if context.workspace == "local":
        found = await _token_workspace(context)
        if found is None:
            return "local", "local", None
        return "slack", found[1], found[0]
    if context.platform != "slack":
        return context.platform, context.workspace, None
    found = await _token_workspace(context)
    client = found[0] if found is not None and found[1] == context.workspace else None
    return context.platform, context.workspace, client


async def _workspace(context: CommandContext) -> tuple[str, str]:
    """Return ``(platform, external id)`` the command acts in."""
    if context.workspace != "local":
        return context.platform, context.workspace
    platform, workspace, _ = await _target(context)
    return platform, workspace


def _now(text: str | None) -> dt.datetime:
    if text is None:
        return utcnow()
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise UserError(
            f"cannot read --now {text!r}: use ISO 8601, e.g. 2026-11-27T15:00-06:00"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


async def _add(args: argparse.Namespace, context: CommandContext) -> int:
    service = await _service(context)
    channel = str(args.channel).strip()
    if not channel or " " in channel:
        raise UserError("give the channel's id, e.g. --channel C0123ABCD")
    weekday = parse_weekday(args.day)
    at = parse_time(args.time)
    zone = parse_timezone(args.tz or context.settings.default_timezone)
    platform, workspace, client = await _target(context)
    if platform == "teams":
        await _check_teams_channel(context, workspace, channel)
    announcer = None
    if client is not None:
        from bot.slack.channels import SlackChannelAnnouncer

        # The announcement is the check that Step Up can post there; refused: nothing
        # stored; storing fails: the announcement is taken back.
        announcer = SlackChannelAnnouncer(client)
    schedule = await service.add(
        platform=platform,
        workspace=workspace,
        channel_id=channel,
        weekday=weekday,
        local_time=at,
        timezone=zone,
        created_by=context.user,
        announcer=announcer,
    )
    context.out(f"Added: {describe(schedule, utcnow())}")
    if client is not None:
        context.out("Announced in the channel: Step Up can post there.")
    elif platform == "slack":
        context.out(
            "Not checked: SLACK_BOT_TOKEN is not this workspace's, so nothing was posted. "
            "Make sure Step Up is in the channel (/invite @Step Up)."
        )
    return 0


async def _check_teams_channel(context: CommandContext, tenant: str, channel: str) -> None:
    """Refuse a Teams channel Step Up has never been in: it could never post there.

    Raises:
        UserError: No conversation with that id is known in the tenant; the message gives the fix.
    """
    from bot.teams.references import find_conversation

    runtime = await context.runtime()
    found = await find_conversation(runtime.sessions, tenant_id=tenant, conversation_id=channel)
    if found is None or found.kind != "channel":
        raise UserError(
            f"Step Up has not been in the Teams channel {channel!r}, so it could not post there: "
            "add Step Up to the team, then type `@Step Up nudges` in that channel (or run this "
            "again)"
        )


async def _list(args: argparse.Namespace, context: CommandContext) -> int:
    service = await _service(context)
    platform, workspace = await _workspace(context)
    schedules = await service.list_schedules(platform=platform, workspace=workspace)
    if not schedules:
        context.out(
            "No channel nudges yet. Add one with: "
            "stepup nudges add --channel C0123ABCD --day fri --time 15:00 --tz America/Chicago"
        )
    now = utcnow()
    for schedule in schedules:
        context.out(describe(schedule, now))
    return 0


async def _remove(args: argparse.Namespace, context: CommandContext) -> int:
    service = await _service(context)
    platform, workspace = await _workspace(context)
    schedule = await service.remove(platform=platform, workspace=workspace, schedule_id=args.id)
    context.out(f"Removed: {describe(schedule, utcnow())}")
    return 0


async def _preview(args: argparse.Namespace, context: CommandContext) -> int:
    service = await _service(context)
    platform, workspace = await _workspace(context)
    now = utcnow()
    preview = await service.preview(
        platform=platform, workspace=workspace, schedule_id=args.id, now=now
    )
    view = schedule_view(preview.schedule, now)
    context.out(describe(preview.schedule, now))
    when = moment_text(preview.due_at, view.timezone, today=view.today)
    context.out(f"Next: {when} ({preview.period_key})")
    context.out(f"Text: {preview.text}")
    if preview.roundup is None:
        context.out(f"Roundup: none (shown once the team has {MIN_TEAM} or more people)")
    else:
        context.out("Roundup, as of now: " + render_roundup_text(preview.roundup))
    return 0


def _summary(label: str, report: TickReport) -> str:
    return (
        f"{label}: {report.sent} sent, {report.failed} failed, {report.skipped} skipped, "
        f"{report.disabled} disabled"
    )


async def _run_due(args: argparse.Namespace, context: CommandContext) -> int:
    now = _now(args.now)
    service = await _service(context)
    runtime = await context.runtime()
    settings = context.settings
    common: dict[str, Any] = {
        "now": now,
        "grace": grace(settings),
        "worker_id": worker_id(),
        "questions": service.questions,
        "default_timezone": settings.default_timezone,
    }
    local = await run_tick(
        runtime.sessions, PrintSender(context.stdout), platforms=("local",), **common
    )
    lines = [_summary("local", local)]
    from bot.scheduler import nudge_senders

    for platform, sender in nudge_senders(settings, runtime.sessions):
        report = await run_tick(runtime.sessions, sender, platforms=(platform,), **common)
        lines.append(_summary(platform, report))
        lines.extend(f"  {error}" for error in report.errors)
    for line in lines:
        context.out(line)
    return 0
