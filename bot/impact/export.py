"""Pick an export format and render a summary in it (Markdown, PDF, CSV or JSON)."""

from __future__ import annotations

from bot.errors import UserError
from bot.impact.csv_export import render_csv
from bot.impact.json_export import render_json
from bot.impact.markdown import render_markdown
from bot.impact.summary import ImpactSummary

FORMATS = ("md", "pdf", "csv", "json")
_ALIASES = {"markdown": "md"}


def parse_format(text: str | None) -> str:
    """Return the export format ``text`` names (default ``md``).

    Raises:
        UserError: Unknown format; the message lists the accepted ones.
    """
    wanted = (text or "md").strip().lower().lstrip(".")
    wanted = _ALIASES.get(wanted, wanted)
    if wanted not in FORMATS:
        raise UserError(f"unknown format {text!r}: use one of {', '.join(FORMATS)}")
    return wanted


def render(summary: ImpactSummary, fmt: str) -> bytes:
    """Return ``summary`` in format ``fmt`` (text formats as UTF-8)."""
    chosen = parse_format(fmt)
    if chosen == "pdf":
        # Imported here: the PDF brings fpdf2 and matplotlib, which the text formats never need.
        from bot.impact.pdf import render_pdf

        return render_pdf(summary)
    renderers = {"md": render_markdown, "csv": render_csv, "json": render_json}
    return renderers[chosen](summary).encode("utf-8")


def default_filename(summary: ImpactSummary, fmt: str) -> str:
    """Return a file name such as ``impact-2025-11-26_2026-11-25.pdf``."""
    start = summary.start.isoformat() if summary.start else "all"
    return f"impact-{start}_{summary.end.isoformat()}.{parse_format(fmt)}"
