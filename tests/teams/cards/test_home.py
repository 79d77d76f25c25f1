import datetime as dt

from bot.store.models import Win
from bot.teams import cards, verbs
from bot.wins.categories import label as category_label
from bot.wins.home import HomeData, HomeDraft, HomeGoal, HomeWin
from bot.wins.text import win_line
from tests.helpers.cards import (
    HOSTILE,
    assert_hostile_escaped,
    assert_valid_card,
    body_text,
    by_verb,
    size,
)


def dashboard(**changes: object) -> HomeData:
    fields: dict[str, object] = {
        "today": dt.date(2026, 11, 26),
        "wins_this_month": 3,
        "wins_this_quarter": 7,
        "streak_weeks": 2,
    }
    fields.update(changes)
    return HomeData(**fields)  # type: ignore[arg-type]


def draft(draft_id: int, problem: str) -> HomeDraft:
    return HomeDraft(id=draft_id, problem=problem, created_on=dt.date(2026, 11, 20))


def home_win(win: Win) -> HomeWin:
    return HomeWin(
        id=win.id,
        occurred_on=win.occurred_on,
        what=win.what,
        category_label=category_label(win.category),
        line=win_line(win),
    )


def test_an_empty_home_says_how_to_start() -> None:
    card = cards.home_card(dashboard(wins_this_month=0, wins_this_quarter=0, streak_weeks=0))
    assert_valid_card(card)
    shown = body_text(card)
    assert "0 wins" in shown and "No wins yet" in shown and "None yet" in shown
    assert by_verb(card, verbs.DRAFT_OPEN) == []


def test_saved_drafts_each_have_an_open_button_and_goals_their_progress() -> None:
    goal = HomeGoal(title="CSPT", progress=140, target_date=dt.date(2027, 3, 1))
    win = Win(
        id=9,
        what="Trained 2 techs",
        category="trained_mentored",
        occurred_on=dt.date(2026, 11, 2),
        numbers={},
    )
    card = cards.home_card(
        dashboard(
            saved_drafts=[draft(4, "Heparin stockouts " * 30), draft(5, HOSTILE)],
            goals=[goal],
            recent_wins=[home_win(win)],
        )
    )
    assert_valid_card(card)
    opens = by_verb(card, verbs.DRAFT_OPEN)
    assert [button["data"] for button in opens] == [{verbs.DRAFT_ID: "4"}, {verbs.DRAFT_ID: "5"}]
    shown = body_text(card)
    assert "#4 · " in shown and "…" in shown  # a long problem is cut
    assert "CSPT: 100%" in shown and "Mar 1, 2027" in shown
    assert "Trained 2 techs" in shown
    assert "3 wins" in shown and "2 weeks with a win" in shown
    assert_hostile_escaped(card)
    assert size(card) < 28_000
