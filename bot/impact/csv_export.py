"""The wins of a summary as CSV: one row per win, untrimmed, one column per figure kind."""

from __future__ import annotations

import csv
import io

from bot.impact.summary import ImpactSummary
from bot.wins.parsing import kind_labels

BASE_COLUMNS = ("id", "date", "category", "category_label", "leadership", "what", "why", "result")

# A cell starting with one of these runs as a formula in a spreadsheet ("CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str | None) -> str:
    """Return ``text`` so that a spreadsheet shows it as text, never runs it as a formula."""
    if not text:
        return ""
    return "'" + text if text.startswith(_FORMULA_START) else text


def render_csv(summary: ImpactSummary) -> str:
    """Return every win of ``summary`` as CSV with a header row (header only when empty)."""
    kinds = list(kind_labels())
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*BASE_COLUMNS, *kinds, "source"])
    for win in summary.wins:
        writer.writerow(
            [
                win.id,
                win.occurred_on.isoformat(),
                win.category,
                win.category_label,
                win.leadership,
                safe_cell(win.what),
                safe_cell(win.why),
                safe_cell(win.result),
                *(win.numbers.get(kind, "") for kind in kinds),
                win.source,
            ]
        )
    return buffer.getvalue()
