import csv
import datetime as dt
import io
import json

import pytest
from pypdf import PdfReader

from bot.errors import UserError
from bot.impact.export import default_filename, parse_format, render
from bot.impact.markdown import escape, render_markdown
from bot.impact.pdf import MAX_PAGES, build_pdf, chart_data, render_chart, render_pdf
from tests.helpers.clock import TODAY
from tests.helpers.impact import WINS


async def test_markdown_has_every_part_and_cites_wins(impact, me, logged):
    summary = await impact.build(me, "90d")
    text = render_markdown(summary)
    assert text.startswith("# Impact summary\n")
    assert "## Headline figures" in text
    assert "- 9 wins logged (+7 vs the previous 90 days)" in text
    assert "- 2 people trained (+1 vs the previous 90 days)" in text
    assert "## Trained or mentored (1)" in text
    assert "## Recognition received (1)" in text
    assert "## Leadership without the title (little-l)" in text
    assert "## Initiatives I led (Big-L)" in text
    assert "## Growth" in text and "### Goals in progress" in text
    assert "## Involvement (1)" in text
    assert "## The ask" in text
    trained_id = logged[WINS[0][1]]
    day = (TODAY - dt.timedelta(days=2)).isoformat()
    assert (
        f"- **{day}** — Trained 2 new techs on the IV hood. Why: We were short."
        f" Result: Means weekend backup. _(2 people trained · win #{trained_id})_"
    ) in text


async def test_markdown_of_an_empty_period(impact, me):
    text = render_markdown(await impact.build(me, "30d"))
    assert "No wins logged for the last 30 days yet" in text
    assert "## Headline figures" not in text


async def test_a_win_cannot_restyle_the_markdown(impact, wins, me):
    await wins.add(me, "caught 1 error in **bold** <script> [link](x)")
    text = render_markdown(await impact.build(me, "30d"))
    assert r"\*\*bold\*\* \<script\> \[link\](x)" in text
    assert escape("a_b") == r"a\_b"


async def test_csv_has_every_win_untrimmed(impact, wins, me, logged):
    long_text = "restocked the ICU towers " + "and checked every pocket " * 420
    await wins.add(me, long_text)
    await wins.add(me, '=HYPERLINK("http://x") caught 1 error')
    summary = await impact.build(me, "all")
    rows = list(csv.DictReader(io.StringIO(render(summary, "csv").decode())))
    assert len(rows) == len(WINS) + 3
    by_id = {int(row["id"]): row for row in rows}
    trained = by_id[logged[WINS[0][1]]]
    assert trained["people_trained"] == "2" and trained["category"] == "trained_mentored"
    assert trained["why"] == "we were short" and trained["errors_caught"] == ""
    assert any(len(row["what"]) == len(long_text.strip()) for row in rows)
    formula = next(row for row in rows if "HYPERLINK" in row["what"])
    assert formula["what"].startswith("'=")  # shown as text, never run as a formula


async def test_csv_of_an_empty_period_is_just_the_header(impact, me):
    text = render(await impact.build(me, "30d"), "csv").decode()
    assert text.splitlines()[0].startswith("id,date,category")
    assert len(text.splitlines()) == 1


async def test_json_carries_summary_and_wins(impact, me, logged):
    data = json.loads(render(await impact.build(me, "90d"), "json"))
    assert data["period_key"] == "90d" and data["empty"] is False
    assert data["headline"][0] == {
        "key": "wins",
        "label": "wins logged",
        "value": 9,
        "previous": 2,
        "change": 7,
    }
    entry = data["sections"][0]["entries"][0]
    assert entry["win_id"] == logged[WINS[0][1]]
    assert entry["occurred_on"] == (TODAY - dt.timedelta(days=2)).isoformat()
    assert len(data["wins"]) == 9


def _pages(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF")
    return PdfReader(io.BytesIO(pdf))


async def test_pdf_has_one_or_two_pages_a_chart_and_citations(impact, me, logged):
    summary = await impact.build(me, "90d")
    data = chart_data(summary)
    assert data.months == ["2026-08", "2026-09", "2026-10", "2026-11"]
    assert data.total == 9
    assert data.series["trained_mentored"] == [0, 0, 0, 1]
    assert sum(data.series["caught_error"]) == 1
    assert render_chart(data).startswith(b"\x89PNG")
    reader = _pages(render_pdf(summary))
    assert 1 <= len(reader.pages) <= 2
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Impact summary" in text
    assert f"win #{logged[WINS[0][1]]}" in text
    assert "The ask" in text
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 1  # the chart


async def test_pdf_stays_within_two_pages_and_keeps_the_ask(impact, wins, me):
    long_tail = " and then we checked every single pocket of every tower on every unit" * 3
    for day in range(120):
        texts = [
            f"trained {day % 4 + 1} new techs on the IV hood{long_tail}",
            f"caught {day % 3 + 1} dosing errors{long_tail}",
            f"covered {day % 2 + 1} extra shifts{long_tail}",
            f"presented at the society meeting{long_tail}",
            f"I proposed and led a pilot{long_tail}",
        ]
        await wins.add(me, texts[day % 5], occurred_on=TODAY - dt.timedelta(days=day * 3))
    summary = await impact.build(me, "year")
    document = build_pdf(summary)
    try:
        pdf = bytes(document.output())
    finally:
        document.close_fonts()
    assert document.pages_count <= MAX_PAGES
    assert document.left_out  # 120 long wins do not fit: some were left out, with a note
    reader = _pages(pdf)
    assert len(reader.pages) <= 2
    text = "".join(page.extract_text() for page in reader.pages)
    assert "The ask" in text and "role and pay" in text
    assert "exports have them" in text


async def test_pdf_of_an_empty_period_and_unicode(impact, wins, me):
    empty = _pages(render(await impact.build(me, "30d"), "pdf"))
    assert len(empty.pages) == 1
    assert "No wins logged" in empty.pages[0].extract_text()
    await wins.add(me, "trained 2 new techs — “IV hood” ✓ 中文")
    reader = _pages(render(await impact.build(me, "30d"), "pdf"))
    assert "“IV hood”" in reader.pages[0].extract_text()


@pytest.mark.parametrize("bad", ["docx", "txt", "PDFX"])
def test_unknown_format_prints_the_accepted_forms(bad):
    with pytest.raises(UserError, match="use one of md, pdf, csv, json"):
        parse_format(bad)


def test_format_aliases_and_file_names():
    assert parse_format("Markdown") == "md" and parse_format(None) == "md"
    assert parse_format(".pdf") == "pdf"


async def test_default_file_name(impact, me):
    summary = await impact.build(me, "2026-01-01..2026-03-31")
    assert default_filename(summary, "pdf") == "impact-2026-01-01_2026-03-31.pdf"
    everything = await impact.build(me, "all")
    assert default_filename(everything, "csv") == f"impact-all_{TODAY.isoformat()}.csv"
