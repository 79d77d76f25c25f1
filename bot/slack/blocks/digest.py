"""The monthly digest DM: "your month in wins", with buttons to build the summary or log a win.

The content comes from :mod:`bot.nudges.digest`; this module only lays it out. Win and goal
texts are the person's own (redacted when stored) and are escaped here.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Final

from bot.nudges.digest import (
    goal_due_text,
    headline,
    plural,
    render_digest_text,
    short_date,
)
from bot.slack import ids
from bot.slack.blocks.kit import (
    MESSAGE_BLOCKS,
    Block,
    SlackMessage,
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
from bot.slack.mrkdwn import escape, one_line, truncate

if TYPE_CHECKING:
    from bot.nudges.digest import Digest, Highlight

WHAT_SHOWN: Final = 200
RESULT_SHOWN: Final = 200
GOALS_SHOWN: Final = 5
TITLE_SHOWN: Final = 150
NAME_SHOWN: Final = 80
EMPTY_MONTH: Final = (
    "Busy months happen. One line about something that went well is enough: a catch, a hand "
    "you lent, something you taught. It all counts."
)
PRIVACY: Final = (
    "Only you can see this. Change it or turn it off under *Edit nudge settings* in my Home tab."
)


def _highlight(item: Highlight) -> str:
    text = (
        f"• *{short_date(item.occurred_on)}* — {escape(truncate(one_line(item.what), WHAT_SHOWN))}"
    )
    if item.result:
        text += f" → {escape(truncate(one_line(item.result), RESULT_SHOWN))}"
    if item.figures:
        text += f" _({escape(', '.join(item.figures))})_"
    if item.leadership == "big":
        text += " · Big-L"
    return text + f" `#{item.win_id}`"


def _title(text: str) -> str:
    return truncate(one_line(text), TITLE_SHOWN)


def _more(shown: int, total: int) -> list[str]:
    return [f"…and {total - shown} more"] if total > shown else []


def build_digest_message(digest: Digest) -> SlackMessage:
    """Return the monthly digest DM.

    Counts against the previous month, up to three highlights, goals reached and coming due,
    and two buttons: "Build my impact summary" for the month (not shown for an empty month)
    and "Log a win".
    """
    name = truncate(one_line(digest.display_name or ""), NAME_SHOWN)
    greeting = f"Hi {escape(name)}! " if name else ""
    blocks: list[Block] = [
        header(f"Your month in wins — {digest.month_name}"),
        section(greeting + escape(headline(digest)), user=False),
    ]
    if digest.empty:
        blocks.append(section(EMPTY_MONTH, user=False))
    else:
        blocks.append(
            fields_section(
                [
                    f"*Wins*\n{digest.wins} · {escape(digest.previous_month_name)}: "
                    f"{digest.previous_wins}",
                    f"*Leadership*\n{digest.little_l} little-l · {digest.big_l} Big-L",
                ],
                user=False,
            )
        )
        categories = [f"• {escape(item.label)}: {item.count}" for item in digest.by_category]
        blocks.append(section("*By category*\n" + "\n".join(categories), user=False))
        if digest.highlights:
            lines = [_highlight(item) for item in digest.highlights]
            blocks.append(section("*Highlights*\n" + "\n".join(lines), user=False))
    if digest.goals_achieved:
        shown = digest.goals_achieved[:GOALS_SHOWN]
        lines = [
            f"• :tada: {escape(_title(goal.title))} ({short_date(goal.achieved_on)})"
            for goal in shown
        ]
        lines += _more(len(shown), len(digest.goals_achieved))
        blocks.append(section("*Goals reached*\n" + "\n".join(lines), user=False))
    if digest.goals_due:
        shown_due = digest.goals_due[:GOALS_SHOWN]
        lines = [
            f"• {escape(goal_due_text(replace(goal, title=_title(goal.title))))}"
            for goal in shown_due
        ]
        lines += _more(len(shown_due), len(digest.goals_due))
        count = plural(len(digest.goals_due), "goal", "goals")
        blocks.append(
            section(f"*Coming due in the next 60 days* ({count})\n" + "\n".join(lines), user=False)
        )
    buttons = [
        button("Log a win", ids.WIN_LOG, "digest", style="primary" if digest.empty else None)
    ]
    if not digest.empty:
        buttons.insert(
            0,
            button(
                "Build my impact summary",
                ids.IMPACT_BUILD,
                digest.period_key,
                style="primary",
                accessibility_label=f"Build my impact summary for {digest.month_name}",
            ),
        )
    blocks += [divider(), context(PRIVACY, user=False), actions(*buttons)]
    title, *rest = render_digest_text(digest).splitlines()
    return SlackMessage(
        text=fallback(f"{title}:", *rest),
        blocks=cap_blocks(blocks, MESSAGE_BLOCKS, keep_last=3),
    )
