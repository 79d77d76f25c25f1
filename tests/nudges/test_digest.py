"""The monthly digest: what "your month in wins" counts, picks and says."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event

from bot.impact.periods import parse_period
from bot.impact.summary import ImpactService
from bot.nudges.digest import (
    Digest,
    build_digest,
    month_period_key,
    previous_month,
    render_digest_text,
)
from bot.store.database import transaction
from bot.store.people import resolve_person
from bot.wins.errors import NotFound
from bot.wins.goals import GoalsService
from bot.wins.identity import PersonRef
from bot.wins.service import WinsService

NOW = dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.UTC)
OCTOBER = dt.date(2026, 10, 1)
SENT_ON = dt.date(2026, 11, 1)  # the digest of October goes out on November 1
ME = PersonRef("slack", "T1", "U1")
COLLEAGUE = PersonRef("slack", "T1", "U2")


def fixed_clock() -> dt.datetime:
    return NOW


@pytest.fixture
def wins(sessions) -> WinsService:
    return WinsService(sessions, redact=lambda text: text, clock=fixed_clock)


@pytest.fixture
def goals(sessions) -> GoalsService:
    return GoalsService(sessions, redact=lambda text: text, clock=fixed_clock)


async def person_id(sessions, who: PersonRef = ME, name: str | None = None) -> int:
    async with transaction(sessions) as session:
        person = await resolve_person(session, who)
        if name is not None:
            person.display_name = name
        return person.id


async def add(wins: WinsService, day: dt.date, text: str, who: PersonRef = ME, **extra) -> int:
    return (await wins.add(who, text, occurred_on=day, **extra)).win.id


async def digest_of(sessions, who: PersonRef = ME) -> Digest:
    return await build_digest(
        sessions, person_id=await person_id(sessions, who), month=OCTOBER, today=SENT_ON
    )


async def test_counts_wins_of_the_month_by_the_day_they_happened(sessions, wins) -> None:
    first = await add(wins, dt.date(2026, 10, 1), "trained 2 new techs on the IV hood")
    last = await add(wins, dt.date(2026, 10, 31), "caught 3 dosing errors in the ICU queue")
    middle = await add(
        wins, dt.date(2026, 10, 15), "fixed the label printer", category="process_improvement"
    )
    await add(wins, dt.date(2026, 9, 30), "covered a double during the flu shortage")
    await add(wins, dt.date(2026, 9, 1), "reorganized the fridge")
    await add(wins, dt.date(2026, 8, 31), "too early for the comparison")
    await add(wins, dt.date(2026, 11, 1), "logged in November")

    digest = await digest_of(sessions)

    assert digest.month == OCTOBER
    assert (digest.wins, digest.previous_wins) == (3, 2)
    assert {item.win_id for item in digest.highlights} == {first, middle, last}
    assert digest.period_key == "2026-10"
    assert sum(item.count for item in digest.by_category) == 3
    assert "You logged 3 wins in October (up from 2 in September)." in render_digest_text(digest)


async def test_category_counts_use_the_labels_in_display_order(sessions, wins) -> None:
    await add(wins, dt.date(2026, 10, 3), "caught a wrong-patient label", category="caught_error")
    await add(wins, dt.date(2026, 10, 4), "trained a tech", category="trained_mentored")
    await add(wins, dt.date(2026, 10, 5), "trained another tech", category="trained_mentored")

    digest = await digest_of(sessions)

    assert [(c.category, c.label, c.count) for c in digest.by_category] == [
        ("trained_mentored", "Trained or mentored", 2),
        ("caught_error", "Caught an error (patient safety)", 1),
    ]
    assert "By category: Trained or mentored 2, Caught an error (patient safety) 1" in (
        render_digest_text(digest)
    )


async def test_highlights_prefer_wins_with_numbers_or_a_result(sessions, wins) -> None:
    plain = [
        await add(wins, dt.date(2026, 10, day), f"helped the night shift {day}")
        for day in (28, 29, 30)
    ]
    figures = await add(wins, dt.date(2026, 10, 2), "caught 3 dosing errors in the ICU queue")
    result = await add(
        wins, dt.date(2026, 10, 3), "rewrote the cart checklist", result="no missed carts since"
    )
    big = await add(
        wins,
        dt.date(2026, 10, 4),
        "led the ADC par level pilot, which cut stockouts by 40%",
        leadership="big",
    )

    digest = await digest_of(sessions)

    chosen = [item.win_id for item in digest.highlights]
    assert len(chosen) == 3
    assert set(chosen) == {figures, result, big}
    assert not set(chosen) & set(plain)
    by_id = {item.win_id: item for item in digest.highlights}
    assert by_id[result].result == "no missed carts since"
    assert by_id[figures].figures == ("3 errors caught",)
    assert (digest.little_l, digest.big_l) == (5, 1)
    text = render_digest_text(digest)
    assert f"#{result} Oct 3 — rewrote the cart checklist → no missed carts since" in text
    assert "Leadership: 5 little-l, 1 Big-L" in text


async def test_goals_due_within_sixty_days_and_goals_reached_in_the_month(sessions, goals) -> None:
    soon = await goals.add(
        ME, "CPhT", title="Pass the CPhT exam", target_date=dt.date(2026, 11, 20)
    )
    await goals.progress(ME, soon.id, 40)
    edge = await goals.add(ME, "CSPT", target_date=SENT_ON + dt.timedelta(days=60))
    await goals.add(ME, "TPV", target_date=SENT_ON + dt.timedelta(days=61))  # too far
    await goals.add(ME, "degree", target_date=dt.date(2026, 10, 30))  # overdue: not nagged
    await goals.add(ME, "course")  # no target date
    dropped = await goals.add(ME, "CE", target_date=dt.date(2026, 11, 10))
    await goals.drop(ME, dropped.id)
    reached = await goals.add(ME, "340B ACE")
    await goals.achieve(ME, reached.id, on=dt.date(2026, 10, 20))
    earlier = await goals.add(ME, "CPhT-Adv")
    await goals.achieve(ME, earlier.id, on=dt.date(2026, 9, 20))

    digest = await digest_of(sessions)

    assert [(g.goal_id, g.progress, g.days_left) for g in digest.goals_due] == [
        (soon.id, 40, 19),
        (edge.id, 0, 60),
    ]
    assert [g.goal_id for g in digest.goals_achieved] == [reached.id]
    assert digest.wins == 1  # reaching the goal logged a win on Oct 20
    text = render_digest_text(digest)
    assert "Pass the CPhT exam: 40% done, due Nov 20 (in 19 days)" in text
    assert "Goals reached in October:" in text


async def test_an_empty_month_encourages_and_still_shows_goals_due(sessions, goals, wins) -> None:
    await add(wins, dt.date(2026, 9, 12), "covered a double")
    await goals.add(ME, "CPhT", title="Pass the CPhT exam", target_date=dt.date(2026, 12, 1))
    await person_id(sessions, name="Maria")

    digest = await digest_of(sessions)

    assert digest.empty
    assert (digest.wins, digest.previous_wins, digest.highlights) == (0, 1, ())
    text = render_digest_text(digest)
    assert text.startswith("Your month in wins — October 2026")
    assert "Hi Maria! No wins logged in October, and that's okay" in text
    assert "It all counts." in text
    assert "Pass the CPhT exam: 0% done, due Dec 1 (in 30 days)" in text
    for scolding in ("didn't", "forgot", "missed", "should have"):
        assert scolding not in text.lower()


async def test_another_persons_wins_and_goals_are_never_counted(sessions, wins, goals) -> None:
    mine = await add(wins, dt.date(2026, 10, 9), "trained a new tech on the carousel")
    await add(wins, dt.date(2026, 10, 9), "caught 5 errors", who=COLLEAGUE)
    await add(wins, dt.date(2026, 9, 9), "caught 2 errors", who=COLLEAGUE)
    await goals.add(COLLEAGUE, "CPhT", target_date=dt.date(2026, 11, 20))
    other_workspace = PersonRef("slack", "T2", "U1")  # same Slack user id, another workspace
    await add(wins, dt.date(2026, 10, 9), "another workspace", who=other_workspace)

    digest = await digest_of(sessions)

    assert (digest.wins, digest.previous_wins) == (1, 0)
    assert [item.win_id for item in digest.highlights] == [mine]
    assert digest.goals_due == ()
    assert "(none in September)" in render_digest_text(digest)


async def test_a_month_compares_with_the_month_before_across_a_year(sessions, wins) -> None:
    for day in (dt.date(2026, 1, 5), dt.date(2025, 12, 5), dt.date(2025, 12, 6)):
        await add(wins, day, "trained a tech")

    digest = await build_digest(
        sessions,
        person_id=await person_id(sessions),
        month=dt.date(2026, 1, 17),  # any day of the month will do
        today=dt.date(2026, 2, 1),
    )

    assert digest.month == dt.date(2026, 1, 1)
    assert (digest.wins, digest.previous_wins) == (1, 2)
    assert digest.previous_month_name == "December 2025"
    assert digest.period_key == "2026-01"
    assert previous_month(dt.date(2024, 3, 31)) == dt.date(2024, 2, 1)
    assert month_period_key(dt.date(2024, 2, 10)) == "2024-02"


async def test_the_period_key_gives_an_impact_summary_of_the_same_wins(sessions, wins) -> None:
    in_month = {
        await add(wins, dt.date(2026, 10, 1), "trained 2 new techs on the IV hood"),
        await add(wins, dt.date(2026, 10, 31), "caught 3 dosing errors in the ICU queue"),
    }
    await add(wins, dt.date(2026, 9, 30), "covered a double")
    await add(wins, dt.date(2026, 11, 1), "fixed the fax queue")
    digest = await digest_of(sessions)

    summary = await ImpactService(sessions, clock=fixed_clock).build(ME, digest.period_key)

    assert {win.id for win in summary.wins} == in_month == {h.win_id for h in digest.highlights}
    assert (summary.start, summary.end) == (OCTOBER, dt.date(2026, 10, 31))
    assert parse_period(digest.period_key, today=SENT_ON).key == digest.period_key


async def test_a_busy_month_takes_a_fixed_number_of_queries(engine, sessions, wins, goals) -> None:
    for day in range(1, 31):
        await add(wins, dt.date(2026, 10, day), f"caught {day} errors in the queue")
    for kind in ("CPhT", "CSPT", "TPV"):
        await goals.add(ME, kind, target_date=dt.date(2026, 12, 1))
    pid = await person_id(sessions)
    selects: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        digest = await build_digest(sessions, person_id=pid, month=OCTOBER, today=SENT_ON)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)

    assert digest.wins == 30 and len(digest.goals_due) == 3
    assert len(selects) <= 4


async def test_an_unknown_person_is_not_found(sessions) -> None:
    with pytest.raises(NotFound):
        await build_digest(sessions, person_id=999, month=OCTOBER, today=SENT_ON)
