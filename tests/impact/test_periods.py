import datetime as dt

import pytest

from bot.errors import UserError
from bot.impact.periods import parse_period

TODAY = dt.date(2026, 11, 25)


def test_days():
    period = parse_period("30d", today=TODAY)
    assert (period.start, period.end, period.days) == (dt.date(2026, 10, 27), TODAY, 30)
    previous = period.previous()
    assert previous is not None
    assert (previous.start, previous.end) == (dt.date(2026, 9, 27), dt.date(2026, 10, 26))
    assert parse_period("90d", today=TODAY).start == dt.date(2026, 8, 28)
    assert parse_period("7 days", today=TODAY).days == 7


def test_quarter_is_the_calendar_quarter_so_far_compared_like_for_like():
    period = parse_period("quarter", today=TODAY)
    assert (period.start, period.end) == (dt.date(2026, 10, 1), TODAY)
    assert period.label == "Q4 2026 so far"
    previous = period.previous()
    assert previous is not None and previous.days == period.days
    assert previous.end == dt.date(2026, 9, 30)
    assert parse_period("quarter", today=dt.date(2026, 2, 1)).start == dt.date(2026, 1, 1)


def test_year_is_the_last_twelve_months():
    period = parse_period("year", today=TODAY)
    assert (period.start, period.end) == (dt.date(2025, 11, 26), TODAY)
    leap = parse_period("year", today=dt.date(2028, 2, 29))
    assert leap.start == dt.date(2027, 3, 1)
    assert parse_period(None, today=TODAY) == period  # the default


def test_all_and_ranges():
    everything = parse_period("ALL", today=TODAY)
    assert everything.start is None and everything.previous() is None
    span = parse_period("2026-01-01..2026-03-31", today=TODAY)
    assert (span.start, span.end, span.days) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31), 90)
    assert span.previous() is not None and span.previous().end == dt.date(2025, 12, 31)


@pytest.mark.parametrize("text", ["fortnight", "30", "2026-01-01", "0d", "99999d", "last year"])
def test_unknown_periods_print_the_accepted_forms(text):
    with pytest.raises(UserError) as caught:
        parse_period(text, today=TODAY)
    message = str(caught.value)
    assert "\n" not in message
    assert "30d, 90d, quarter, year, all, YYYY-MM, YYYY-MM-DD..YYYY-MM-DD" in message


def test_bad_ranges():
    with pytest.raises(UserError, match="ends before it starts"):
        parse_period("2026-03-01..2026-01-01", today=TODAY)
    with pytest.raises(UserError, match="not a real date"):
        parse_period("2026-02-30..2026-03-01", today=TODAY)


@pytest.mark.parametrize(
    ("text", "start", "end", "label", "previous"),
    [
        ("2026-10", dt.date(2026, 10, 1), dt.date(2026, 10, 31), "October 2026", "2026-09"),
        ("2026-03", dt.date(2026, 3, 1), dt.date(2026, 3, 31), "March 2026", "2026-02"),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "February 2024", "2024-01"),
        ("2026-01", dt.date(2026, 1, 1), dt.date(2026, 1, 31), "January 2026", "2025-12"),
    ],
)
def test_a_month_compares_with_the_calendar_month_before(text, start, end, label, previous):
    period = parse_period(text, today=TODAY)
    assert (period.key, period.start, period.end, period.label) == (text, start, end, label)
    before = period.previous()
    assert before is not None and before.key == previous and before.monthly
    assert before.end == start - dt.timedelta(days=1) and before.start == before.end.replace(day=1)


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "0000-05"])
def test_months_that_do_not_exist_are_refused(text):
    with pytest.raises(UserError, match="not a real month"):
        parse_period(text, today=TODAY)
