"""The impact summary as JSON: the summary itself plus every win of the period, untrimmed."""

from __future__ import annotations

from bot.impact.summary import ImpactSummary


def render_json(summary: ImpactSummary) -> str:
    """Return ``summary`` as indented JSON (dates as ISO strings)."""
    return summary.model_dump_json(indent=2) + "\n"
