"""The impact summary as a card, with buttons for other periods.

Headline figures, sections of entries each citing its win, goals in progress and the closing.

Like Slack's preview it shows a few entries per section, each citing its win; a Teams message is
limited to about 28 KB, so entries are capped (at most :data:`ENTRIES_SHOWN` in all, fewer when
long texts would not fit) and each section says how many more it has.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Final

from bot.impact.summary import Entry, HeadlineFigure, ImpactSummary
from bot.teams import verbs
from bot.teams.cards.kit import (
    MAX_CARD_BYTES,
    Card,
    Element,
    bullet,
    card,
    card_size,
    execute,
    facts,
    heading,
    label,
    log_win,
    note,
    show_card,
    text_block,
)
from bot.teams.cards.text import escape, fit, format_date, one_line
from bot.wording import wording

ENTRIES_PER_SECTION: Final = 5
ENTRIES_SHOWN: Final = (36, 24, 12, 0)
"""Entries shown in all, tried in turn until the card fits."""
ENTRY_CHARS: Final = 300
GOALS_SHOWN: Final = 5
CLOSING_CHARS: Final = 1500
OTHER_PERIODS: Final = (
    ("Last 30 days", "30d"),
    ("Last 90 days", "90d"),
    ("Last 12 months", "year"),
)


def _number(value: float) -> str:
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _money(figure: HeadlineFigure, amount: str) -> str:
    return f"${amount}" if figure.key == "dollars" else amount


def _change(figure: HeadlineFigure, previous_label: str | None) -> str | None:
    if figure.change is None or not previous_label:
        return None
    if not figure.change:
        return f"same as {previous_label}"
    sign = "+" if figure.change > 0 else "−"
    return f"{sign}{_money(figure, _number(abs(figure.change)))} vs {previous_label}"


def _headline(summary: ImpactSummary) -> Element:
    pairs = []
    for figure in summary.headline:
        change = _change(figure, summary.previous_label)
        value = figure.label + (f" ({change})" if change else "")
        pairs.append((_money(figure, _number(figure.value)), value))
    return facts(pairs)


def _entry(entry: Entry) -> Element:
    cite = f"{format_date(entry.occurred_on)} · win #{entry.win_id}"
    return bullet(f"{fit(one_line(entry.text), ENTRY_CHARS)} _({escape(cite)})_", user=False)


def _groups(summary: ImpactSummary) -> Iterator[tuple[str, Sequence[Entry], int]]:
    for item in sorted(summary.sections, key=lambda section: section.total, reverse=True):
        yield f"{item.label} ({item.total})", item.entries, item.more
    yield wording("impact_big_l"), summary.big_leadership, 0
    yield wording("impact_little_l"), summary.leadership, 0
    yield "Growth", summary.growth, 0
    if summary.involvement is not None:
        item = summary.involvement
        yield f"{item.label} ({item.total})", item.entries, item.more


def _shares(groups: Sequence[Sequence[Entry]], budget: int) -> list[int]:
    # Round-robin: every section gets its first entry before any gets a second, so a tight
    # budget keeps every section (Big-L and growth too) rather than the first few in full.
    counts = [0] * len(groups)
    for _ in range(ENTRIES_PER_SECTION):
        for index, entries in enumerate(groups):
            if budget and counts[index] < len(entries):
                counts[index] += 1
                budget -= 1
    return counts


def _sections(summary: ImpactSummary, budget: int) -> list[Element]:
    groups = [group for group in _groups(summary) if group[1]]
    counts = _shares([entries for _, entries, _ in groups], budget)
    blocks: list[Element] = []
    for (title, entries, more), count in zip(groups, counts, strict=True):
        if not count:
            continue
        blocks.append(label(title, separator=not blocks))
        blocks += [_entry(item) for item in entries[:count]]
        hidden = more + len(entries) - count
        if hidden:
            blocks.append(note(f"…and {hidden} more in this period"))
    left_out = counts.count(0)
    if left_out:
        blocks.append(note(f"…and {left_out} more sections that did not fit here."))
    return blocks


def _span(summary: ImpactSummary) -> str:
    end = format_date(summary.end)
    if summary.start is None:
        return f"Up to {end}"
    return f"{format_date(summary.start)} – {end}"


def _period_buttons(current: str) -> list[Element]:
    return [
        execute(title, verbs.IMPACT_SHOW, {verbs.PERIOD: key})
        for title, key in OTHER_PERIODS
        if key != current
    ]


def _full(summary: ImpactSummary, title: str, entries: int) -> Card:
    body: list[Element] = [heading(title), note(_span(summary))]
    if summary.headline:
        body.append(_headline(summary))
    body += _sections(summary, entries)
    if summary.goals_in_progress:
        body.append(label("Goals in progress", separator=True))
        body += [bullet(goal.text) for goal in summary.goals_in_progress[:GOALS_SHOWN]]
    if summary.closing:
        body.append(text_block(summary.closing, budget=CLOSING_CHARS, separator=True))
    body.append(note("Every line cites a logged win: type **wins** to see them all."))
    return card(body, [_download(summary.period_key), *_period_buttons(summary.period_key)])


EXPORTS: Final = (("PDF with a chart", "pdf"), ("Spreadsheet (CSV)", "csv"), ("Markdown", "md"))
"""The formats the Download button offers, as (button title, format)."""


def _download(period: str) -> Element:
    """Return the Download button: it unfolds one button per format."""
    buttons = [
        execute(title, verbs.IMPACT_EXPORT, {verbs.PERIOD: period, verbs.FORMAT: fmt})
        for title, fmt in EXPORTS
    ]
    inner = card(
        [note("I'll offer the file here; Teams asks you first, then saves it to your OneDrive.")],
        buttons,
    )
    return show_card("Download", inner)


def impact_card(summary: ImpactSummary) -> Card:
    """Return the impact summary card.

    Args:
        summary: The summary from the impact service.
    """
    period = one_line(summary.period_label) or "this period"
    title = wording("impact_title", period=period)
    if summary.empty:
        hint = summary.empty_hint or wording("no_wins_yet", period=period)
        body = [heading(title), text_block(hint)]
        return card(body, [log_win("form"), *_period_buttons(summary.period_key)])
    for entries in ENTRIES_SHOWN:
        built = _full(summary, title, entries)
        if card_size(built) <= MAX_CARD_BYTES:
            break
    return built
