"""The impact summary as a one- or two-page PDF with a chart of wins per month by category.

Libraries: fpdf2 writes the PDF and matplotlib draws the chart; both are pure-Python wheels
that work offline, are actively maintained and widely used. fpdf2 needs no system libraries
(unlike WeasyPrint's Pango or wkhtmltopdf) and measures text, which is how the document is held
to two pages. matplotlib's object API (``Figure``, no pyplot) draws without global state, and
its bundled DejaVu fonts give the PDF Unicode text without relying on system fonts.

The PDF is a digest: three entries per section, shorter text, and the figures; when page two
fills up, the rest is left out with a note pointing to the Markdown and CSV exports. The
closing paragraph ("the ask") always fits.
"""

from __future__ import annotations

import io
from collections.abc import Container
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import TTFFont

from bot.impact.markdown import headline_line
from bot.impact.summary import Entry, ImpactSummary, Section, impact_text, trim
from bot.prompts import render_text
from bot.wins.categories import categories
from bot.wins.categories import label as category_label

MAX_PAGES = 2
PDF_ENTRIES = 3
PDF_TRIM = 220
FONT = "DejaVu"
# One colour per category, in category order (colour-blind-safe Okabe–Ito palette + grey).
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
    "#999999",
)


@dataclass(frozen=True)
class ChartData:
    """Wins per month by category: ``series[category][i]`` counts ``months[i]``."""

    months: list[str]
    series: dict[str, list[int]]

    @property
    def total(self) -> int:
        """All wins the chart shows."""
        return sum(sum(counts) for counts in self.series.values())


def chart_data(summary: ImpactSummary) -> ChartData:
    """Return the numbers the chart draws: every month of the period, every category present."""
    index = {month: i for i, month in enumerate(summary.months)}
    order = [category.id for category in categories()]
    present = sorted(
        {row.category for row in summary.monthly},
        key=lambda c: order.index(c) if c in order else len(order),
    )
    series = {category: [0] * len(summary.months) for category in present}
    for row in summary.monthly:
        if row.month in index:
            series[row.category][index[row.month]] += row.count
    return ChartData(months=list(summary.months), series=series)


def render_chart(data: ChartData, *, width_in: float = 7.2, height_in: float = 2.3) -> bytes:
    """Return a PNG stacked bar chart of ``data``."""
    # Imported here: matplotlib takes ~0.5 s to import and only the PDF needs it.
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(width_in, height_in), dpi=200)
    axes = figure.add_subplot()
    positions = list(range(len(data.months)))
    bottom = [0] * len(data.months)
    order = [category.id for category in categories()]
    for category, counts in data.series.items():
        colour = PALETTE[order.index(category) % len(PALETTE)] if category in order else "#666666"
        axes.bar(
            positions,
            counts,
            bottom=bottom,
            color=colour,
            width=0.8,
            label=category_label(category),
        )
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    step = max(1, len(data.months) // 12)
    axes.set_xticks(positions[::step], [m[2:] for m in data.months[::step]], fontsize=6)
    axes.tick_params(axis="y", labelsize=6)
    axes.set_ylabel("wins", fontsize=7)
    axes.spines[["top", "right"]].set_visible(False)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(fontsize=5.5, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    figure.tight_layout(pad=0.4)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


@cache
def _font_files() -> tuple[Path, Path]:
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"


class _Document(FPDF):
    """An FPDF page set-up with a guard that keeps everything on ``MAX_PAGES`` pages."""

    def __init__(self, reserve: float = 0.0) -> None:
        super().__init__(format="Letter", unit="mm")
        regular, bold = _font_files()
        self.add_font(FONT, "", str(regular))
        self.add_font(FONT, "B", str(bold))
        self.set_margins(16, 14, 16)
        self.set_auto_page_break(auto=True, margin=14)
        self.truncated = False
        self.left_out = False
        self.reserve = reserve
        font = self.fonts[FONT.lower()]
        self._glyphs: Container[int] = font.cmap if isinstance(font, TTFFont) else {}

    def close_fonts(self) -> None:
        """Close the font files (fontTools reads them lazily and keeps them open)."""
        for font in self.fonts.values():
            if isinstance(font, TTFFont):
                font.close()

    def clean(self, text: str) -> str:
        """Return ``text`` with characters the font cannot draw replaced by "?"."""
        return "".join(char if ord(char) in self._glyphs or char == "\n" else "?" for char in text)

    def measure(self, text: str, line_height: float) -> float:
        """Return the height ``text`` takes as a full-width paragraph in the current font."""
        height = self.multi_cell(0, line_height, text, dry_run=True, output="HEIGHT")
        assert isinstance(height, int | float)  # output="HEIGHT" returns just the height
        return float(height)

    def fits(self, height: float) -> bool:
        """Return False (and remember it) when ``height`` more would need a third page."""
        if self.truncated:
            return False
        bottom = self.page_break_trigger - (self.reserve if self.page_no() >= MAX_PAGES else 0)
        if self.page_no() >= MAX_PAGES and self.get_y() + height > bottom:
            self.truncated = True
            return False
        return True

    def paragraph(self, text: str, *, size: float = 9, bold: bool = False, gap: float = 1) -> bool:
        """Write a paragraph if it fits; return whether it was written."""
        self.set_font(FONT, "B" if bold else "", size)
        text = self.clean(text)
        height = self.measure(text, size * 0.5)
        if not self.fits(height + gap):
            return False
        self.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(gap)
        return True

    def heading(self, text: str) -> bool:
        """Write a section heading, only if a line of content fits under it."""
        self.set_font(FONT, "B", 11)
        if not self.fits(14):
            return False
        self.ln(1.5)
        self.cell(0, 6, self.clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(200, 200, 200)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(1.5)
        return True

    def entry(self, entry: Entry) -> bool:
        """Write one entry: date in bold, the line, then its figures and win id in grey."""
        cite = " · ".join([*entry.figures, f"win #{entry.win_id}"])
        body = trim(entry.text, PDF_TRIM)
        self.set_font(FONT, "", 8.5)
        probe = f"{entry.occurred_on.isoformat()}  {body}  ({cite})"
        height = self.measure(self.clean(probe), 4.2)
        if not self.fits(height + 1.2):
            return False
        self.set_font(FONT, "B", 8.5)
        self.write(4.2, f"{entry.occurred_on.isoformat()}  ")
        self.set_font(FONT, "", 8.5)
        self.write(4.2, self.clean(body) + "  ")
        self.set_text_color(110, 110, 110)
        self.write(4.2, self.clean(f"({cite})"))
        self.set_text_color(0, 0, 0)
        self.ln(4.2 + 1.2)
        return True


def _section(doc: _Document, title: str, section: Section) -> None:
    if not doc.heading(f"{title} ({section.total})"):
        return
    shown = 0
    for entry in section.entries[:PDF_ENTRIES]:
        if not doc.entry(entry):
            return
        shown += 1
    more = section.total - shown
    if more:
        doc.paragraph(render_text(impact_text()["more"], count=more), size=7.5, gap=0.5)


def _closing_height(summary: ImpactSummary) -> float:
    if not summary.closing:
        return 0.0
    probe = _Document()
    try:
        probe.add_page()
        probe.set_font(FONT, "", 9)
        # The paragraph, its heading and gap, and the note on what was left out.
        return probe.measure(probe.clean(summary.closing), 4.5) + 14 + 8
    finally:
        probe.close_fonts()


def build_pdf(summary: ImpactSummary) -> _Document:
    """Lay out ``summary`` on at most two pages.

    The document's ``left_out`` says whether anything had to be left out to stay within them.
    Call its ``close_fonts`` once its ``output`` is taken.
    """
    text = impact_text()
    headings = text["headings"]
    doc = _Document(reserve=_closing_height(summary))
    doc.set_title(text["title"])
    doc.set_creator("Step Up")
    doc.add_page()
    title = text["title"] + (f" — {summary.person}" if summary.person else "")
    doc.paragraph(title, size=16, bold=True, gap=0.5)
    span = (
        f"{summary.start.isoformat()} to {summary.end.isoformat()}"
        if summary.start
        else f"to {summary.end.isoformat()}"
    )
    doc.set_text_color(90, 90, 90)
    doc.paragraph(
        render_text(
            text["subtitle"],
            period=summary.period_label,
            span=span,
            generated=summary.generated_on.isoformat(),
        ),
        size=8.5,
        gap=2,
    )
    doc.set_text_color(0, 0, 0)
    if summary.empty:
        doc.paragraph(summary.empty_hint or "", size=10)
        return doc

    doc.heading(headings["headline"])
    for figure in summary.headline:
        doc.paragraph("• " + headline_line(figure, summary.previous_label), size=9, gap=0.3)
    data = chart_data(summary)
    if data.total:
        image = render_chart(data)
        width = doc.w - doc.l_margin - doc.r_margin
        height = width * 2.3 / 7.2
        if doc.fits(height + 2):
            doc.ln(1)
            doc.image(io.BytesIO(image), x=doc.l_margin, w=width, h=height)
            doc.ln(1)
    for section in summary.sections:
        _section(doc, section.label, section)
    if summary.leadership and doc.heading(headings["leadership"]):
        for entry in summary.leadership[:PDF_ENTRIES]:
            if not doc.entry(entry):
                break
    if summary.big_leadership and doc.heading(headings["big_leadership"]):
        for entry in summary.big_leadership[:PDF_ENTRIES]:
            if not doc.entry(entry):
                break
    if (summary.growth or summary.goals_in_progress) and doc.heading(headings["growth"]):
        for entry in summary.growth[:PDF_ENTRIES]:
            if not doc.entry(entry):
                break
        for goal in summary.goals_in_progress:
            if not doc.paragraph(f"• {goal.text} (goal #{goal.goal_id})", size=8.5, gap=0.5):
                break
    if summary.involvement is not None:
        _section(doc, headings["involvement"], summary.involvement)
    left_out = doc.truncated
    # Room for the ask and the note was reserved on the last page: write them even when other
    # parts were left out.
    doc.truncated, doc.reserve = False, 0.0
    if summary.closing and doc.heading(headings["ask"]):
        doc.paragraph(summary.closing, size=9)
    if left_out:
        doc.set_text_color(90, 90, 90)
        doc.paragraph(text["pdf_left_out"], size=7.5)
        doc.set_text_color(0, 0, 0)
    doc.left_out = left_out
    return doc


def render_pdf(summary: ImpactSummary) -> bytes:
    """Return ``summary`` as PDF bytes (one or two Letter pages)."""
    document = build_pdf(summary)
    try:
        return bytes(document.output())
    finally:
        document.close_fonts()
