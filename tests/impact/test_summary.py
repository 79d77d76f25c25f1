import datetime as dt

import pytest

from bot.errors import UserError
from bot.impact.summary import ImpactService, PolishLine, keeps_claims, trim
from bot.wins.identity import PersonRef
from tests.helpers.clock import TODAY, fixed_clock
from tests.helpers.impact import WINS


def _figure(summary, key):
    return next(f for f in summary.headline if f.key == key)


async def test_headline_figures_with_change_against_the_previous_period(impact, me, logged):
    summary = await impact.build(me, "90d")
    assert not summary.empty
    assert summary.start == TODAY - dt.timedelta(days=89)
    wins = _figure(summary, "wins")
    # 8 of WINS in the last 90 days + the CPhT; 2 older ones fall in the previous 90 days
    assert (wins.value, wins.previous, wins.change) == (9, 2, 7)
    trained = _figure(summary, "people_trained")
    assert (trained.value, trained.previous, trained.change) == (2, 1, 1)
    assert (
        _figure(summary, "errors_caught").value,
        _figure(summary, "errors_caught").previous,
    ) == (3, 2)
    assert _figure(summary, "hours_covered").value == 4
    assert _figure(summary, "shifts_covered").value == 3
    assert _figure(summary, "certifications").value == 1
    assert _figure(summary, "certifications").label == "certification earned"
    assert all(f.key != "percent" for f in summary.headline)  # percentages do not add up
    assert summary.previous_label == "the previous 90 days"


async def test_every_line_cites_its_win(impact, me, logged):
    summary = await impact.build(me, "90d")
    ids = {w.id: w.occurred_on for w in summary.wins}
    entries = [e for s in summary.sections for e in s.entries]
    entries += summary.leadership + summary.big_leadership + summary.growth
    entries += summary.involvement.entries if summary.involvement else []
    assert entries
    for entry in entries:
        assert ids[entry.win_id] == entry.occurred_on


async def test_sections_leadership_growth_involvement_and_the_ask(impact, me, logged):
    summary = await impact.build(me, "90d")
    labels = [s.category for s in summary.sections]
    assert labels == [
        "trained_mentored",
        "process_improvement",
        "covered_shortage",
        "go_to_person",
        "caught_error",
        "recognition",
    ]  # wins.yaml order; certification and involvement have their own parts
    trained = summary.sections[0].entries[0]
    assert trained.text == (
        "Trained 2 new techs on the IV hood. Why: We were short. Result: Means weekend backup."
    )
    assert trained.figures == ["2 people trained"]
    recognition = summary.sections[-1]
    assert recognition.entries[0].win_id == logged[WINS[3][1]]
    assert [e.win_id for e in summary.big_leadership] == [logged[WINS[4][1]]]
    assert logged[WINS[1][1]] in [e.win_id for e in summary.leadership]
    assert [e.win_id for e in summary.growth] == [logged["cpht"]]
    assert [g.goal_id for g in summary.goals_in_progress] == [logged["cspt_goal"]]
    assert summary.goals_in_progress[0].text.endswith("40% done, target 2027-03-01")
    assert summary.involvement is not None
    assert summary.involvement.entries[0].win_id == logged[WINS[5][1]]
    assert summary.closing is not None
    assert summary.closing.startswith("Over the last 90 days I logged 9 wins, including ")
    assert "I led 1 initiative." in summary.closing
    assert "role and pay" in summary.closing


async def test_the_monthly_counts_feed_the_chart(impact, me, logged):
    summary = await impact.build(me, "90d")
    assert summary.months == ["2026-08", "2026-09", "2026-10", "2026-11"]
    assert sum(m.count for m in summary.monthly) == len(summary.wins) == 9


async def test_long_sections_are_capped_and_long_text_trimmed(impact, wins, me, sessions):
    long_text = "restocked the ICU towers " + "and checked every pocket " * 420
    for day in range(8):
        await wins.add(
            me, f"trained {day + 1} new techs", occurred_on=TODAY - dt.timedelta(days=day)
        )
    long_win = (await wins.add(me, long_text)).win
    summary = await impact.build(me, "30d")
    trained = next(s for s in summary.sections if s.category == "trained_mentored")
    assert (trained.total, len(trained.entries), trained.more) == (8, 5, 3)
    # the ones with the biggest figures are not what decides: figures count, then recency
    assert [e.occurred_on for e in trained.entries] == sorted(
        (e.occurred_on for e in trained.entries), reverse=True
    )
    entry = next(e for s in summary.sections for e in s.entries if e.win_id == long_win.id)
    assert len(entry.what) <= 240 and entry.what.endswith("…")
    stored = next(w for w in summary.wins if w.id == long_win.id)
    assert len(stored.what) == len(long_text.strip())  # exports keep it whole


async def test_an_empty_period_says_so_and_suggests_a_first_win(impact, me, logged):
    summary = await impact.build(me, "2020-01-01..2020-12-31")
    assert summary.empty
    assert summary.wins == [] and summary.sections == [] and summary.closing is None
    assert summary.empty_hint is not None
    assert "No wins logged for 2020-01-01 to 2020-12-31 yet" in summary.empty_hint
    assert "trained 2 new techs" in summary.empty_hint
    fresh = await impact.build(PersonRef("local", "local", "new-person"), "all")
    assert fresh.empty and _figure(fresh, "wins").value == 0


async def test_all_time_has_no_change(impact, me, logged):
    summary = await impact.build(me, "all")
    assert _figure(summary, "wins").value == len(WINS) + 1
    assert all(f.change is None and f.previous is None for f in summary.headline)
    assert summary.months[0] == "2026-08"


async def test_unknown_period_is_a_user_error(impact, me):
    with pytest.raises(UserError, match="use one of"):
        await impact.build(me, "fortnight")


class Polisher:
    name = "openai"

    def __init__(self, rewrite):
        self.rewrite = rewrite
        self.seen: list[PolishLine] = []

    async def polish(self, lines):
        self.seen = lines
        return [PolishLine(key=line.key, text=self.rewrite(line)) for line in lines] + [
            PolishLine(key="win:999999", text="Saved the hospital $1,000,000.")
        ]


async def test_a_polisher_may_reword_but_never_add_a_claim(sessions, me, logged):
    def rewrite(line: PolishLine) -> str:
        if line.key == "closing":
            return line.text.replace("Over the last 90 days", "In the last 90 days")
        if "dosing errors" in line.text:
            return "Caught 30 dosing errors."  # a new number: refused
        return "Polished: " + line.text

    polisher = Polisher(rewrite)
    summary = await ImpactService(sessions, polisher=polisher, clock=fixed_clock).build(me, "90d")
    assert summary.coach == "openai"
    assert summary.closing is not None and summary.closing.startswith("In the last 90 days")
    texts = {e.win_id: e.text for s in summary.sections for e in s.entries}
    assert texts[logged[WINS[1][1]]] == "Caught 3 dosing errors in the ICU order queue."
    assert texts[logged[WINS[0][1]]].startswith("Polished: Trained 2 new techs")
    assert 999999 not in texts  # it cannot add lines
    assert all(line.key.startswith(("win:", "closing")) for line in polisher.seen)


async def test_a_failing_polisher_leaves_the_offline_wording(sessions, me, logged):
    class Broken:
        name = "openai"

        async def polish(self, lines):
            raise TimeoutError("model too slow")

    summary = await ImpactService(sessions, polisher=Broken(), clock=fixed_clock).build(me, "90d")
    assert summary.coach == "offline"
    assert summary.closing is not None and summary.closing.startswith("Over the last 90 days")


def test_keeps_claims_and_trim():
    assert keeps_claims("Caught 3 errors on 2026-11-20.", "Intercepted 3 errors.")
    assert not keeps_claims("Caught 3 errors.", "Caught 4 errors.")
    assert not keeps_claims("Caught 3 errors.", "")
    assert trim("a  b\nc", 10) == "a b c"
    assert trim("word " * 50, 20) == "word word word word…"
