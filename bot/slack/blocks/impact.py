"""The impact summary as an ephemeral message, with buttons to get it in full in a DM.

Headline figures, the top sections, and "Send Markdown/PDF to my DM" buttons.

The message is a preview that fits a phone screen: a few entries per section, each citing its
win; the Markdown and PDF exports carry everything.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from bot.slack import ids
from bot.slack.blocks.kit import (
    MESSAGE_BLOCKS,
    SECTION_TEXT,
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
from bot.slack.blocks.wins import format_date
from bot.slack.mrkdwn import escape, one_line, truncate
from bot.wording import wording

if TYPE_CHECKING:
    from bot.impact.summary import Entry, HeadlineFigure, ImpactSummary, Section

ENTRIES_PER_SECTION: Final = 3
MAX_SECTIONS: Final = 6
ENTRY_CHARS: Final = 300
HEADLINE_IN_FALLBACK: Final = 4


def _number(value: float) -> str:
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _figure(figure: HeadlineFigure) -> str:
    value = _number(figure.value)
    return f"${value}" if figure.key == "dollars" else value


def _change(figure: HeadlineFigure, previous_label: str | None) -> str | None:
    if figure.change is None or not previous_label:
        return None
    versus = escape(previous_label)
    if not figure.change:
        return f"same as {versus}"
    sign = "+" if figure.change > 0 else "−"
    amount = _number(abs(figure.change))
    if figure.key == "dollars":
        amount = f"${amount}"
    return f"{sign}{amount} vs {versus}"


def _headline_field(figure: HeadlineFigure, previous_label: str | None) -> str:
    text = f"*{_figure(figure)}* {escape(figure.label)}"
    change = _change(figure, previous_label)
    return f"{text}\n{change}" if change else text


def _entry_line(entry: Entry) -> str:
    cite = " · ".join([format_date(entry.occurred_on), f"win #{entry.win_id}"])
    text = truncate(one_line(entry.text), ENTRY_CHARS)
    return f"• {escape(text)} _({escape(cite)})_"


def _entries_block(title: str, entries: Sequence[Entry], *, more: int = 0) -> Block | None:
    if not entries:
        return None
    shown = list(entries[:ENTRIES_PER_SECTION])
    hidden = more + len(entries) - len(shown)
    lines = [f"*{escape(title)}*", *(_entry_line(entry) for entry in shown)]
    if hidden:
        lines.append(f"_…and {hidden} more in the full summary_")
    # Each line is short, so the block fits; the cut is a guard, never the plan.
    return section(truncate("\n".join(lines), SECTION_TEXT), user=False)


def _section_block(item: Section) -> Block | None:
    title = f"{item.label} ({item.total})"
    return _entries_block(title, item.entries, more=item.more)


def _span(summary: ImpactSummary) -> str:
    end = format_date(summary.end)
    if summary.start is None:
        return f"Up to {end}"
    return f"{format_date(summary.start)} – {end}"


def build_impact_message(
    summary: ImpactSummary, *, period_label: str | None = None, period: str | None = None
) -> SlackMessage:
    """Return the ephemeral impact summary preview.

    Args:
        summary: The summary from the impact service.
        period_label: What to call the period (default: ``summary.period_label``).
        period: The period the "Send … to my DM" buttons carry (default: ``summary.period_key``).
    """
    label = one_line(period_label or summary.period_label) or "this period"
    key = period or summary.period_key
    if summary.empty:
        hint = summary.empty_hint or wording("no_wins_yet", period=label)
        return SlackMessage(
            text=fallback(hint),
            blocks=[
                header(wording("impact_title", period=label)),
                section(hint),
                actions(button("Log a win", ids.WIN_LOG, "impact", style="primary")),
            ],
        )

    blocks: list[Block] = [
        header(wording("impact_title", period=label)),
        context(escape(_span(summary)), user=False),
    ]
    if summary.headline:
        blocks.append(
            fields_section(
                [_headline_field(f, summary.previous_label) for f in summary.headline], user=False
            )
        )
    blocks.append(divider())
    top = sorted(summary.sections, key=lambda item: item.total, reverse=True)[:MAX_SECTIONS]
    candidates = [
        *(_section_block(item) for item in top),
        _entries_block(wording("impact_big_l"), summary.big_leadership),
        _entries_block(wording("impact_little_l"), summary.leadership),
        _entries_block("Growth", summary.growth),
        _section_block(summary.involvement) if summary.involvement is not None else None,
    ]
    blocks += [block for block in candidates if block is not None]
    if summary.goals_in_progress:
        goals = [f"• {escape(one_line(goal.text))}" for goal in summary.goals_in_progress[:5]]
        blocks.append(section("*Goals in progress*\n" + "\n".join(goals), user=False))
    if summary.closing:
        blocks += [divider(), section(summary.closing)]
    blocks += [
        context(
            "Every line cites a logged win. The Markdown and PDF versions have all of them.",
            user=False,
        ),
        actions(
            button("Send Markdown to my DM", ids.IMPACT_SEND_MARKDOWN, key),
            button("Send PDF to my DM", ids.IMPACT_SEND_PDF, key),
        ),
    ]
    figures = ", ".join(
        f"{_figure(figure)} {figure.label}" for figure in summary.headline[:HEADLINE_IN_FALLBACK]
    )
    return SlackMessage(
        text=fallback(f"Your impact summary for {label}:", figures + "." if figures else None),
        blocks=cap_blocks(blocks, MESSAGE_BLOCKS, keep_last=2),
    )
