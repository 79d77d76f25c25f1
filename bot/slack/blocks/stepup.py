"""Replies of ``/stepup``: usage, the channel nudge list, confirmations, previews and refusals.

All of them are ephemeral (only the person who ran the command sees them). Channels appear as
``<#C…>`` links, which Slack shows as the channel's name to people who may see it and mention
nobody; every other piece of stored or typed text is escaped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.nudges.roundup import MIN_TEAM, Roundup, render_roundup_text
from bot.slack.blocks.kit import MESSAGE_BLOCKS, Block, SlackMessage, context, fallback, section
from bot.slack.blocks.modals import WEEKDAYS
from bot.slack.mrkdwn import channel_mention, escape, one_line, truncate

COMMAND: Final = "/stepup"
ADD_USAGE: Final = "/stepup nudges add [#channel|here] <day> <time> [timezone]"
ADD_EXAMPLE: Final = "/stepup nudges add fri 15:00 America/Chicago"
USAGE: Final = (
    ("/stepup nudges", "this workspace's weekly win nudges in team channels"),
    (
        ADD_USAGE,
        "nudge a team channel every week (the channel you're in unless you name one; "
        "day mon..sun, time like 15:00 or 3pm, your Slack timezone unless you give one), "
        f"e.g. `{ADD_EXAMPLE}`",
    ),
    ("/stepup nudges preview N", "when nudge N fires next and the question it asks"),
    (
        "/stepup nudges pause N · resume N · remove N",
        "for workspace admins and whoever set the nudge up",
    ),
    ("/stepup settings", "your own weekly DM nudge: on or off, day, time, timezone, pause"),
    ("/stepup help", "this list"),
)
"""(command, what it does) for every ``/stepup`` subcommand, plain text."""
MAX_LISTED: Final = MESSAGE_BLOCKS - 3
NOT_UNDERSTOOD_SHOWN: Final = 200

Change = Literal["removed", "paused", "resumed"]


@dataclass(frozen=True)
class ChannelNudge:
    """A team channel's weekly nudge as ``/stepup`` shows it.

    Attributes:
        schedule_id: The schedule's number (what ``pause N`` and friends take).
        channel_id: The channel (``C…``).
        weekday: 0 = Monday … 6 = Sunday.
        time: Local time of the nudge.
        timezone: IANA zone of ``time``.
        enabled: False when paused or disabled.
        disabled_reason: ``paused``, or why the scheduler turned it off (``not_in_channel …``).
        paused_until: Set and still in effect: no nudge until after this date.
        next_at: The next instant it fires (aware), or None while it is off.
    """

    schedule_id: int
    channel_id: str
    weekday: int
    time: dt.time
    timezone: str
    enabled: bool = True
    disabled_reason: str | None = None
    paused_until: dt.date | None = None
    next_at: dt.datetime | None = None


def schedule_text(nudge: ChannelNudge) -> str:
    """Return the schedule in words, plain: ``Fridays at 15:00 (America/Chicago)``."""
    day = WEEKDAYS[nudge.weekday] if 0 <= nudge.weekday < len(WEEKDAYS) else "?"
    return f"{day}s at {nudge.time:%H:%M} ({nudge.timezone})"


def state_text(nudge: ChannelNudge) -> str:
    """Return ``on``, ``paused``, ``paused until Mon, Dec 7`` or ``disabled: <reason>``, plain."""
    if not nudge.enabled:
        reason = one_line(nudge.disabled_reason or "")
        return "paused" if reason in ("", "paused") else f"disabled: {reason}"
    if nudge.paused_until is not None:
        day = nudge.paused_until
        return f"paused until {day:%a}, {day:%b} {day.day}, {day.year}"
    return "on"


def when_text(moment: dt.datetime, timezone: str) -> str:
    """Return an instant in a schedule's zone: ``Fri, Nov 27 at 15:00 CST``."""
    try:
        local = moment.astimezone(ZoneInfo(timezone))
    except (ZoneInfoNotFoundError, ValueError):
        local = moment.astimezone(dt.UTC)
    return f"{local:%a}, {local:%b} {local.day} at {local:%H:%M %Z}".strip()


def _line(nudge: ChannelNudge) -> str:
    state = state_text(nudge)
    line = (
        f"*#{nudge.schedule_id}* {channel_mention(nudge.channel_id)} — "
        f"{escape(schedule_text(nudge))} · *{escape(truncate(state, 200))}*"
    )
    if nudge.enabled and nudge.next_at is not None:
        line += f" · next {escape(when_text(nudge.next_at, nudge.timezone))}"
    elif state.startswith("disabled"):
        line += (
            f"\n_Fix the cause (e.g. invite me back), then `/stepup nudges resume "
            f"{nudge.schedule_id}`._"
        )
    return line


def build_stepup_usage(*, not_understood: str | None = None) -> SlackMessage:
    """Return the ``/stepup`` usage, optionally after "I didn't understand …" (escaped).

    Args:
        not_understood: What the person typed that matched no subcommand.
    """
    blocks: list[Block] = []
    intro: list[str] = []
    if not_understood is not None and not_understood.strip():
        shown = truncate(one_line(not_understood), NOT_UNDERSTOOD_SHOWN)
        intro.append(f"I didn't understand “{shown}”.")
        blocks.append(section(f"I didn't understand “{escape(shown)}”.", user=False))
    lines = "\n".join(f"• `{escape(cmd)}` — {escape(what)}" for cmd, what in USAGE)
    blocks.append(section(f"*What `{COMMAND}` does*\n{lines}", user=False))
    blocks.append(
        context("Also: `/win` to log a win, `/impact` for your impact summary.", user=False)
    )
    return SlackMessage(
        text=fallback(*intro, f"Usage: {COMMAND} nudges | {ADD_USAGE} | settings | help"),
        blocks=blocks,
    )


def build_nudge_list(nudges: Sequence[ChannelNudge]) -> SlackMessage:
    """Return the workspace's channel nudges, one line each (or how to add the first one)."""
    if not nudges:
        text = f"No team channel nudges yet. Add one from the team channel: `{ADD_EXAMPLE}`"
        return SlackMessage(text=fallback(text), blocks=[section(escape(text), user=False)])
    shown = nudges[:MAX_LISTED]
    blocks: list[Block] = [
        section(f"*Weekly win nudges in team channels ({len(nudges)})*", user=False)
    ]
    blocks.extend(section(_line(nudge), user=False) for nudge in shown)
    if len(nudges) > len(shown):
        blocks.append(context(f"…and {len(nudges) - len(shown)} more.", user=False))
    blocks.append(
        context(
            "`/stepup nudges preview N` shows the next one; admins and whoever set a nudge up "
            "can `pause N`, `resume N` or `remove N`.",
            user=False,
        )
    )
    first = shown[0]
    summary = f"#{first.schedule_id} {schedule_text(first)}, {state_text(first)}"
    more = f" and {len(nudges) - 1} more" if len(nudges) > 1 else ""
    return SlackMessage(text=fallback(f"Channel nudges: {summary}{more}."), blocks=blocks)


def build_nudge_added(nudge: ChannelNudge) -> SlackMessage:
    """Return the confirmation of a new channel nudge (its announcement is already posted)."""
    when = f" The first one: {when_text(nudge.next_at, nudge.timezone)}." if nudge.next_at else ""
    blocks = [
        section(
            f":white_check_mark: Weekly win nudges set for {channel_mention(nudge.channel_id)}: "
            f"{escape(schedule_text(nudge))}.{escape(when)}",
            user=False,
        ),
        context(
            f"Nudge #{nudge.schedule_id}. I posted a short note in the channel so everyone "
            f"knows. `/stepup nudges pause {nudge.schedule_id}` or "
            f"`remove {nudge.schedule_id}` to stop it.",
            user=False,
        ),
    ]
    return SlackMessage(
        text=fallback(f"Nudge #{nudge.schedule_id} set: {schedule_text(nudge)}.{when}"),
        blocks=blocks,
    )


def build_nudge_changed(nudge: ChannelNudge, change: Change) -> SlackMessage:
    """Return the confirmation that a channel nudge was removed, paused or resumed."""
    text = f"{change.capitalize()} nudge #{nudge.schedule_id}"
    where = channel_mention(nudge.channel_id)
    detail = escape(schedule_text(nudge))
    after = ""
    if change == "resumed" and nudge.next_at is not None:
        after = f" Next: {when_text(nudge.next_at, nudge.timezone)}."
    elif change == "paused":
        after = f" Resume it with /stepup nudges resume {nudge.schedule_id}."
    blocks = [section(f"{escape(text)} in {where}: {detail}.{escape(after)}", user=False)]
    return SlackMessage(text=fallback(f"{text}: {schedule_text(nudge)}.{after}"), blocks=blocks)


def build_nudge_preview(
    nudge: ChannelNudge,
    *,
    due_at: dt.datetime,
    question: str,
    roundup: Roundup | None = None,
) -> SlackMessage:
    """Return when a channel nudge fires next, the question it will ask and the roundup so far.

    Args:
        nudge: The schedule.
        due_at: Its next due instant (shown in the schedule's zone).
        question: The question that week's nudge asks.
        roundup: The team roundup as it stands now (None: the team is under five people).
    """
    when = when_text(due_at, nudge.timezone)
    state = state_text(nudge)
    blocks: list[Block] = [
        section(
            f"*Nudge #{nudge.schedule_id}* in {channel_mention(nudge.channel_id)} — "
            f"{escape(schedule_text(nudge))}. Next: *{escape(when)}*.",
            user=False,
        ),
        section(f">{escape(one_line(question))}", user=False),
    ]
    if roundup is None:
        blocks.append(
            context(
                f"No team roundup: it shows once the team has {MIN_TEAM} or more people.",
                user=False,
            )
        )
    else:
        summary = render_roundup_text(roundup).partition("\n")[0]
        shared = f" {len(roundup.shared)} shared by their owners." if roundup.shared else ""
        blocks.append(context(f"Roundup so far: {escape(summary)}{shared}", user=False))
    if state != "on":
        blocks.append(
            context(f"It is {escape(state)}: nothing is posted until it runs again.", user=False)
        )
    return SlackMessage(
        text=fallback(f"Nudge #{nudge.schedule_id} next {when}: {question}"), blocks=blocks
    )


def build_channel_refused(channel_id: str, reason: str, fix: str) -> SlackMessage:
    """Return why a channel cannot get nudges (Step Up could not post there) and the fix."""
    where = channel_mention(channel_id)
    blocks = [
        section(
            f":no_entry: I can't post in {where}: {escape(reason)}. Nothing was set up.\n"
            f"*To fix it:* {escape(fix)}.",
            user=False,
        )
    ]
    return SlackMessage(
        text=fallback(f"I can't post in that channel: {reason}. To fix it: {fix}."),
        blocks=blocks,
    )
