"""Plain-text lines for wins, shared by the CLI and the terminal chat."""

from __future__ import annotations

from bot.store.models import Win
from bot.wins.categories import label as category_label
from bot.wins.parsing import kind_label

LIST_TRIM = 90


def figures_text(win: Win) -> str:
    """Return the win's figures as "2 people trained, 4 hours"."""
    return ", ".join(f"{value} {kind_label(kind, value)}" for kind, value in win.numbers.items())


def win_line(win: Win) -> str:
    """Return one line: id, date, category, leadership and a trimmed "what"."""
    what = " ".join(win.what.split())
    if len(what) > LIST_TRIM:
        what = what[: LIST_TRIM - 1].rstrip() + "…"
    figures = figures_text(win)
    return (
        f"#{win.id}  {win.occurred_on.isoformat()}  {category_label(win.category)}"
        f"{'  [Big-L]' if win.leadership == 'big' else ''}  {what}"
        + (f"  ({figures})" if figures else "")
    )


def win_details(win: Win) -> list[str]:
    """Return every field of the win, one per line."""
    lines = [
        f"Win #{win.id} · {win.occurred_on.isoformat()} · {category_label(win.category)} · "
        f"{'Big-L' if win.leadership == 'big' else 'little-l'} leadership · via {win.source}",
        f"What I did: {win.what}",
    ]
    if win.why:
        lines.append(f"Why: {win.why}")
    if win.result:
        lines.append(f"Result: {win.result}")
    if win.numbers:
        lines.append(f"Figures: {figures_text(win)}")
    return lines
