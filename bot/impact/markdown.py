"""The impact summary as Markdown: what a person pastes into an e-mail or a review form."""

from __future__ import annotations

import re

from bot.impact.summary import Entry, HeadlineFigure, ImpactSummary, Section, impact_text
from bot.prompts import render_text

_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def escape(text: str) -> str:
    """Escape Markdown syntax in a person's text, so a win cannot restyle the document."""
    return _SPECIAL.sub(r"\\\1", text)


def signed(value: int | float) -> str:
    """Return a change with its sign (+3, −2, ±0)."""
    if not value:
        return "±0"
    number = f"{abs(value):,}" if isinstance(value, int) else f"{abs(value):,.1f}"
    return ("+" if value > 0 else "−") + number


def _figure_value(figure: HeadlineFigure) -> str:
    value = figure.value
    number = f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"
    return f"${number}" if figure.key == "dollars" else number


def headline_line(figure: HeadlineFigure, previous_label: str | None) -> str:
    """Return one headline figure with its change ("42 wins logged (+10 vs …)")."""
    line = f"{_figure_value(figure)} {figure.label}"
    if figure.change is not None and previous_label:
        text = impact_text()
        if figure.change:
            versus = render_text(text["change_vs"], previous=previous_label)
            line += f" ({signed(figure.change)} {versus})"
        else:
            line += f" ({render_text(text['no_change'], previous=previous_label)})"
    return line


def _entry(entry: Entry) -> str:
    cite = " · ".join([*entry.figures, f"win #{entry.win_id}"])
    return f"- **{entry.occurred_on.isoformat()}** — {escape(entry.text)} _({escape(cite)})_"


def _section(section: Section, title: str | None = None) -> list[str]:
    lines = ["", f"## {title or section.label} ({section.total})", ""]
    lines += [_entry(entry) for entry in section.entries]
    if section.more:
        lines.append(f"- {render_text(impact_text()['more'], count=section.more)}")
    return lines


def render_markdown(summary: ImpactSummary) -> str:
    """Return ``summary`` as a Markdown document."""
    text = impact_text()
    headings = text["headings"]
    title = text["title"] + (f" — {escape(summary.person)}" if summary.person else "")
    span = (
        f"{summary.start.isoformat()} to {summary.end.isoformat()}"
        if summary.start
        else f"to {summary.end.isoformat()}"
    )
    lines = [
        f"# {title}",
        "",
        "_"
        + render_text(
            text["subtitle"],
            period=summary.period_label,
            span=span,
            generated=summary.generated_on.isoformat(),
        )
        + "_",
    ]
    if summary.empty:
        lines += ["", escape(summary.empty_hint or "")]
        return "\n".join(lines) + "\n"

    lines += ["", f"## {headings['headline']}", ""]
    lines += [f"- {headline_line(f, summary.previous_label)}" for f in summary.headline]
    for section in summary.sections:
        lines += _section(section)
    if summary.leadership:
        lines += ["", f"## {headings['leadership']}", ""]
        lines += [_entry(entry) for entry in summary.leadership]
    if summary.big_leadership:
        lines += ["", f"## {headings['big_leadership']}", ""]
        lines += [_entry(entry) for entry in summary.big_leadership]
    if summary.growth or summary.goals_in_progress:
        lines += ["", f"## {headings['growth']}", ""]
        lines += [_entry(entry) for entry in summary.growth]
        if summary.goals_in_progress:
            lines += ["", f"### {headings['goals']}", ""]
            lines += [
                f"- {escape(goal.text)} _(goal #{goal.goal_id})_"
                for goal in summary.goals_in_progress
            ]
    if summary.involvement is not None:
        lines += _section(summary.involvement, headings["involvement"])
    if summary.closing:
        lines += ["", f"## {headings['ask']}", "", escape(summary.closing)]
    return "\n".join(lines) + "\n"
