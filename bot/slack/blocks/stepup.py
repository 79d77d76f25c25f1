"""Replies of ``/stepup``: usage, the channel nudge list, confirmations, previews and refusals.

All of them are ephemeral (only the person who ran the command sees them). Channels appear as
``<#C…>`` links, which Slack shows as the channel's name to people who may see it and mention
nobody; every other piece of stored or typed text is escaped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final, Literal

from bot.nudges.roundup import MIN_TEAM, Roundup, render_roundup_text
from bot.nudges.view import ScheduleView, moment_text
from bot.slack.blocks.kit import MESSAGE_BLOCKS, Block, SlackMessage, context, fallback, section
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


def _line(nudge: ScheduleView) -> str:
    state = nudge.status
    line = (
        f"*#{nudge.schedule_id}* {channel_mention(nudge.channel_id)} — "
        f"{escape(nudge.when)} · *{escape(truncate(state, 200))}*"
    )
    if nudge.next_post_text is not None:
        line += f" · next {escape(nudge.next_post_text)}"
    elif nudge.state == "disabled":
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


def build_nudge_list(nudges: Sequence[ScheduleView]) -> SlackMessage:
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
    summary = f"#{first.schedule_id} {first.when}, {first.status}"
    more = f" and {len(nudges) - 1} more" if len(nudges) > 1 else ""
    return SlackMessage(text=fallback(f"Channel nudges: {summary}{more}."), blocks=blocks)


def build_nudge_added(nudge: ScheduleView) -> SlackMessage:
    """Return the confirmation of a new channel nudge (its announcement is already posted)."""
    first = nudge.next_post_text
    when = f" The first one: {first}." if first else ""
    blocks = [
        section(
            f":white_check_mark: Weekly win nudges set for {channel_mention(nudge.channel_id)}: "
            f"{escape(nudge.when)}.{escape(when)}",
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
        text=fallback(f"Nudge #{nudge.schedule_id} set: {nudge.when}.{when}"),
        blocks=blocks,
    )


def build_nudge_changed(nudge: ScheduleView, change: Change) -> SlackMessage:
    """Return the confirmation that a channel nudge was removed, paused or resumed."""
    text = f"{change.capitalize()} nudge #{nudge.schedule_id}"
    where = channel_mention(nudge.channel_id)
    detail = escape(nudge.when)
    after = ""
    if change == "resumed" and nudge.next_post_text is not None:
        after = f" Next: {nudge.next_post_text}."
    elif change == "paused":
        after = f" Resume it with /stepup nudges resume {nudge.schedule_id}."
    blocks = [section(f"{escape(text)} in {where}: {detail}.{escape(after)}", user=False)]
    return SlackMessage(text=fallback(f"{text}: {nudge.when}.{after}"), blocks=blocks)


def build_nudge_preview(
    nudge: ScheduleView,
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
    when = moment_text(due_at, nudge.timezone, today=nudge.today)
    state = nudge.status
    blocks: list[Block] = [
        section(
            f"*Nudge #{nudge.schedule_id}* in {channel_mention(nudge.channel_id)} — "
            f"{escape(nudge.when)}. Next: *{escape(when)}*.",
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
