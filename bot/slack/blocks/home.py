"""The App Home tab, the first-DM greeting, and the suggested prompts of the Messages tab.

A person who has logged nothing sees what Step Up does and the three ways to start; everyone
else sees their numbers, recent wins, saved drafts, goals and nudge settings. Team nudge
schedules show only to workspace admins.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from bot.nudges.schedule import WEEKDAYS
from bot.nudges.view import schedule_text
from bot.slack import ids
from bot.slack.blocks.kit import (
    VIEW_BLOCKS,
    Block,
    SlackMessage,
    View,
    actions,
    button,
    cap_blocks,
    context,
    divider,
    fallback,
    fields_section,
    header,
    section,
)
from bot.slack.blocks.modals import format_time
from bot.slack.blocks.wins import format_date
from bot.slack.mrkdwn import channel_mention, escape, fit, one_line, truncate
from bot.wins.home import HomeData
from bot.wins.preferences import NudgePreferences
from bot.wording import wording

MAX_RECENT_WINS: Final = 5
MAX_SAVED_DRAFTS: Final = 5
MAX_GOALS: Final = 10
MAX_TEAM_NUDGES: Final = 20
SNIPPET: Final = 150

PROMPT_VENT_TITLE: Final = "Turn a rough shift into a proposal"
PROMPT_VENT_MESSAGE: Final = "I had a rough shift. Help me turn it into a proposal for my manager."
PROMPT_WIN_TITLE: Final = "Log a win"
PROMPT_WIN_MESSAGE: Final = "I want to log a win."
PROMPT_IMPACT_TITLE: Final = "Build my impact summary"
PROMPT_IMPACT_MESSAGE: Final = "Build my impact summary."
SUGGESTED_PROMPTS: Final[tuple[dict[str, str], ...]] = (
    {"title": PROMPT_VENT_TITLE, "message": PROMPT_VENT_MESSAGE},
    {"title": PROMPT_WIN_TITLE, "message": PROMPT_WIN_MESSAGE},
    {"title": PROMPT_IMPACT_TITLE, "message": PROMPT_IMPACT_MESSAGE},
)
"""For ``assistant.threads.setSuggestedPrompts(prompts=list(SUGGESTED_PROMPTS))`` and the
manifest's ``agent_view``; the DM listener recognizes the three messages (``PROMPT_*_MESSAGE``)."""
SUGGESTED_PROMPTS_TITLE: Final = "Where do you want to start?"

WHAT_STEP_UP_DOES: Final = (
    "Step Up turns a rough shift into a proposal your manager can act on, keeps a log of your "
    "wins, and builds an impact summary for your next review or raise conversation."
)
PRIVACY_NOTE: Final = (
    ":lock: Only you can see this. Vents are never stored, and I remove patient identifiers "
    "before saving anything."
)


def _starts(origin: str) -> Block:
    return actions(
        button(PROMPT_VENT_TITLE, ids.START_VENT, origin),
        button(PROMPT_WIN_TITLE, ids.WIN_LOG, origin, style="primary"),
        button(PROMPT_IMPACT_TITLE, ids.IMPACT_BUILD),
    )


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _progress_bar(percent: int) -> str:
    filled = max(0, min(10, round(percent / 10)))
    return "▓" * filled + "░" * (10 - filled)


def nudge_summary(settings: NudgePreferences, *, today: dt.date | None = None) -> str:
    """Return the DM nudge settings, one line per switch.

    "Weekly DM reminder: *on* — Fridays at 2:00 PM (America/Chicago)", then the monthly digest's
    own line (it can be on while the weekly reminder is off), then any pause that still lasts.
    """
    zone = f" ({escape(settings.timezone)})" if settings.timezone else ""
    at = f" at {format_time(settings.time)}" if settings.time is not None else ""
    if settings.enabled:
        when = []
        if settings.weekday is not None and 0 <= settings.weekday < len(WEEKDAYS):
            when.append(f"{WEEKDAYS[settings.weekday]}s")
        if at:
            when.append(at.strip())
        text = "Weekly DM reminder: *on*"
        if when:
            text += " — " + " ".join(when)
        text += zone
    else:
        text = "Weekly DM reminder: *off*"
    if settings.digest_enabled:
        text += f"\nMonthly digest: *on* — your month in wins on the 1st{at}"
        if not settings.enabled:
            text += f"{zone}, even with the weekly reminder off"
    else:
        text += "\nMonthly digest: *off*"
    pause = settings.paused_until
    if (
        pause is not None
        and (today is None or pause >= today)
        and (settings.enabled or settings.digest_enabled)
    ):
        text += f"\nPaused until {format_date(pause, today=today)}"
    return text


def _empty_state(home: HomeData) -> list[Block]:
    name = one_line(home.display_name or "")
    return [
        header(f"Welcome to Step Up, {name}" if name else "Welcome to Step Up"),
        section(WHAT_STEP_UP_DOES, user=False),
        section(
            "*Three ways to start:*\n"
            "• *Turn a rough shift into a proposal*: DM me what happened, in your own words. "
            "I'll shape it into problem / proposed fix / my role.\n"
            "• *Log a win*: what you did, why, and what changed, with a number if there is one.\n"
            "• *Build my impact summary*: your wins, grouped and counted, ready for a review.",
            user=False,
        ),
        _starts("home"),
        context(PRIVACY_NOTE, user=False),
    ]


def _overview(home: HomeData) -> list[Block]:
    name = one_line(home.display_name or "")
    streak = (
        f":fire: {_plural(home.streak_weeks, 'week', 'weeks')} in a row"
        if home.streak_weeks
        else "Log a win this week to start a streak"
    )
    return [
        header(f"Hi, {name}" if name else wording("home_title")),
        fields_section(
            [
                f"*{home.wins_this_month}*\nwins this month",
                f"*{home.wins_this_quarter}*\nwins this quarter",
                f"*{home.streak_weeks}*\n{'week' if home.streak_weeks == 1 else 'weeks'} streak",
            ],
            user=False,
        ),
        context(streak, user=False),
        actions(
            button("Log a win", ids.WIN_LOG, "home", style="primary"),
            button("Build my impact summary", ids.IMPACT_BUILD),
        ),
    ]


def _wins(home: HomeData) -> list[Block]:
    blocks: list[Block] = [divider(), section("*Recent wins*", user=False)]
    if not home.recent_wins:
        blocks.append(context("No wins yet. Log one with the button above or `/win`.", user=False))
        return blocks
    for win in home.recent_wins[:MAX_RECENT_WINS]:
        what = truncate(one_line(win.what), SNIPPET)
        meta = f"{format_date(win.occurred_on, today=home.today)} · {win.category_label}"
        blocks.append(
            section(
                f"{fit(what)}\n_{escape(meta)}_",
                user=False,
                accessory=button(
                    "Edit", ids.WIN_EDIT, str(win.id), accessibility_label=f"Edit win: {what}"
                ),
            )
        )
    return blocks


def _drafts(home: HomeData) -> list[Block]:
    if not home.saved_drafts:
        return []
    blocks: list[Block] = [divider(), section("*Saved drafts*", user=False)]
    for draft in home.saved_drafts[:MAX_SAVED_DRAFTS]:
        problem = truncate(one_line(draft.problem), SNIPPET) or "(no problem written)"
        blocks.append(
            section(
                fit(problem),
                user=False,
                accessory=button(
                    "Open",
                    ids.DRAFT_OPEN,
                    str(draft.id),
                    accessibility_label=f"Open draft: {problem}",
                ),
            )
        )
    return blocks


def _goals(home: HomeData) -> list[Block]:
    if not home.goals:
        return []
    lines = []
    for goal in home.goals[:MAX_GOALS]:
        percent = max(0, min(100, goal.progress))
        line = f"• *{escape(one_line(goal.title))}*  {_progress_bar(percent)} {percent}%"
        if goal.target_date is not None:
            line += f" · target {format_date(goal.target_date, today=home.today)}"
        lines.append(line)
    return [divider(), section("*Goals*\n" + "\n".join(lines), user=False)]


def _settings(home: HomeData) -> list[Block]:
    return [
        divider(),
        section(
            nudge_summary(home.settings, today=home.today),
            user=False,
            accessory=button("Edit nudge settings", ids.NUDGE_SETTINGS_OPEN),
        ),
    ]


def _team(home: HomeData) -> list[Block]:
    blocks: list[Block] = [
        divider(),
        header("Team nudges"),
        context("Only workspace admins see this section.", user=False),
    ]
    if not home.team_nudges:
        blocks.append(
            section(
                "No team nudges yet. Invite me to a team channel, then run "
                "`/stepup nudges add fri 14:00` there.",
                user=False,
            )
        )
        return blocks
    for nudge in home.team_nudges[:MAX_TEAM_NUDGES]:
        when = schedule_text(nudge.weekday, nudge.time, nudge.timezone)
        state = "on" if nudge.enabled else "paused"
        reason = nudge.disabled_reason or "paused"
        if not nudge.enabled and reason != "paused":
            state = f"off: {escape(truncate(one_line(reason), 120))}"
        blocks.append(
            section(
                f"{channel_mention(nudge.channel_id)} — {escape(when)} · *{state}*",
                user=False,
                accessory=button(
                    "Pause" if nudge.enabled else "Resume",
                    ids.TEAM_NUDGE_TOGGLE,
                    str(nudge.schedule_id),
                ),
            )
        )
    return blocks


def build_home_view(home: HomeData) -> View:
    """Return the App Home tab view for ``views.publish``."""
    if home.is_new:
        blocks = _empty_state(home)
        blocks += _settings(home)
    else:
        blocks = [
            *_overview(home),
            *_wins(home),
            *_drafts(home),
            *_goals(home),
            *_settings(home),
            context(PRIVACY_NOTE, user=False),
        ]
    if home.is_admin:
        blocks += _team(home)
    return {"type": "home", "blocks": cap_blocks(blocks, VIEW_BLOCKS)}


def build_greeting_message(display_name: str | None = None) -> SlackMessage:
    """Return the first DM a new person gets (once): what Step Up does and how to start."""
    name = one_line(display_name or "")
    hello = f"Hi {name}, I'm Step Up." if name else "Hi, I'm Step Up."
    blocks = [
        section(f"{escape(hello)} {wording('greeting_intro')}", user=False),
        section(
            "Tell me about a rough shift in your own words and I'll help you turn it into a "
            "proposal. Or start with one of these:",
            user=False,
        ),
        _starts("greeting"),
        context(PRIVACY_NOTE, user=False),
    ]
    return SlackMessage(text=fallback(hello, wording("greeting_intro")), blocks=blocks)
