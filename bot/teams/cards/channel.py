"""A team channel's weekly win nudge: its card, and the notice when Step Up turned it off.

The card sets the nudge up or changes it; the notice goes to whoever set it up, with the fix.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from bot.nudges.schedule import DEFAULT_DM_TIME, DEFAULT_DM_WEEKDAY
from bot.nudges.view import ScheduleView
from bot.teams import verbs
from bot.teams.cards.kit import Card, Element, card, execute, heading, text_block
from bot.teams.cards.kit import error as error_text
from bot.teams.cards.schedule import clock_input, timezone_input, weekday_input
from bot.teams.cards.text import escape, one_line

DISABLED_REASONS: Final = {
    "gone": "the channel was deleted, or Step Up was removed from the team",
    "forbidden": "Step Up may no longer post there",
}
"""Why the scheduler turned a channel nudge off (``disabled_reason``), in words."""
FIX: Final = (
    "To bring it back, add Step Up to the team again, then type **@Step Up nudges** in the "
    "channel and choose **Resume**."
)
WHAT_IT_DOES: Final = (
    "Every week I post a short question here asking the team to log a win, with a roundup of "
    "last week: counts only, and a win with its owner's name only when they chose to share it."
)
REASON_SHOWN: Final = 120


def reason_text(code: str) -> str:
    """Return why a channel nudge was turned off, in words (plain text)."""
    # The scheduler stores "teams_forbidden (at 2026-11-27)": the sender's code and the day.
    cleaned = one_line(code).split(" (at ")[0][:REASON_SHOWN]
    known = DISABLED_REASONS.get(cleaned.removeprefix("teams_"))
    if known is None and cleaned.startswith("teams_http_"):
        cleaned = "HTTP " + cleaned.removeprefix("teams_http_")
    return known or f"Teams refused the post ({cleaned or 'unknown'})"


def state_text(schedule: ScheduleView) -> str:
    """Return the schedule's state in our Markdown (any stored text escaped)."""
    if schedule.state == "paused":
        return "**Paused.** Nothing is posted until someone resumes it."
    if schedule.state == "disabled":
        return f"**Off:** {escape(reason_text(schedule.reason))}. {FIX}"
    text = "**On.**"
    if schedule.paused_until_text is not None:
        text += f" Paused until {schedule.paused_until_text}."
    if schedule.next_post_text is not None:
        text += f" Next post: {escape(schedule.next_post_text)}."
    return text


def _form(weekday: int, at: dt.time, zone: str) -> list[Element]:
    return [weekday_input(weekday), clock_input(at), timezone_input(zone)]


def channel_nudge_card(
    schedule: ScheduleView | None,
    *,
    default_timezone: str,
    error: str | None = None,
    notice: str | None = None,
) -> Card:
    """Return the channel's weekly nudge card: a form to start one, or the one it has.

    Args:
        schedule: The channel's nudge, or None when it has none yet.
        default_timezone: The zone preselected for a new nudge.
        error: A problem with what was submitted (shown in the attention colour).
        notice: What just happened ("Paused."), shown at the top.
    """
    body: list[Element] = [heading("Weekly win nudge")]
    if notice and notice.strip():
        body.append(text_block(f"✅ {notice.strip()}", color="Good"))
    if error and error.strip():
        body.append(error_text(error))
    if schedule is None:
        body += [
            text_block(WHAT_IT_DOES, user=False),
            *_form(DEFAULT_DM_WEEKDAY, DEFAULT_DM_TIME, default_timezone),
        ]
        actions = [execute("Turn on the weekly nudge", verbs.CHANNEL_SAVE, style="positive")]
        return card(body, actions)
    data = {verbs.SCHEDULE_ID: str(schedule.schedule_id)}
    body += [
        text_block(
            f"Nudge #{schedule.schedule_id}: **{escape(schedule.when)}**", user=False, budget=400
        ),
        text_block(state_text(schedule), user=False),
        text_block("Change the day, time or zone:", user=False, weight="Bolder", separator=True),
        *_form(schedule.weekday, schedule.local_time, schedule.timezone),
    ]
    toggle = (
        execute("Pause", verbs.CHANNEL_PAUSE, data)
        if schedule.enabled
        else execute("Resume", verbs.CHANNEL_RESUME, data)
    )
    actions = [
        execute("Save changes", verbs.CHANNEL_SAVE, data, style="positive"),
        toggle,
        execute("Remove", verbs.CHANNEL_REMOVE, data, style="destructive"),
    ]
    return card(body, actions)


def nudge_disabled_card(channel_name: str, code: str, schedule_id: int) -> Card:
    """Return the note to whoever set up a channel nudge: it was turned off, why, and the fix.

    Args:
        channel_name: The channel's name as Teams gave it (escaped here).
        code: Why the post failed: ``gone``, ``forbidden``, or Teams' error code.
        schedule_id: The nudge's number.
    """
    where = escape(one_line(channel_name)[:REASON_SHOWN]) or "a channel"
    body = [
        text_block(
            f"I turned off the weekly win nudge #{schedule_id} for **{where}**: "
            f"{escape(reason_text(code))}.",
            user=False,
        ),
        text_block(FIX, user=False),
    ]
    return card(body)
