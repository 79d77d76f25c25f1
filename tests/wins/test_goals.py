import datetime as dt

import pytest

from bot.errors import UserError
from bot.wins.errors import FutureDate, NotFound
from bot.wins.goals import resolve_goal_kind
from bot.wins.identity import PersonRef


def test_goal_kinds_are_read_loosely():
    assert resolve_goal_kind("cpht").id == "CPhT"
    assert resolve_goal_kind("340b-ace").id == "340B ACE"
    assert resolve_goal_kind("CPhT Adv").id == "CPhT-Adv"
    with pytest.raises(UserError, match="CPhT, CSPT, TPV, 340B ACE, CPhT-Adv"):
        resolve_goal_kind("MBA-in-a-weekend")


async def test_add_progress_and_list(goals, me):
    cspt = await goals.add(me, "cspt", target_date=dt.date(2027, 3, 1))
    adv = await goals.add(
        me, "CPhT-Adv", title="CPhT-Adv: 2 of 4 certificate programs", progress=50
    )
    assert cspt.title.startswith("CSPT") and cspt.progress == 0
    updated = await goals.progress(me, cspt.id, 60)
    assert updated.progress == 60
    with pytest.raises(UserError, match="0 to 100"):
        await goals.progress(me, cspt.id, 130)
    listed = await goals.list_goals(me)
    assert [g.id for g in listed] == [cspt.id, adv.id]  # dated target first
    assert await goals.list_goals(PersonRef("local", "local", "other")) == []


async def test_achieving_a_certification_logs_a_win(goals, wins, me):
    goal = await goals.add(me, "CPhT")
    with pytest.raises(FutureDate):
        await goals.achieve(me, goal.id, on=dt.date(2027, 1, 1))
    achieved, win = await goals.achieve(me, goal.id, on=dt.date(2026, 6, 1))
    assert (achieved.status, achieved.progress, achieved.win_id) == ("achieved", 100, win.id)
    assert win.category == "certification_education"
    assert win.numbers == {"certifications": 1}
    assert win.occurred_on == dt.date(2026, 6, 1)
    assert win.source == "goal"
    assert [w.id for w in await wins.list_wins(me)] == [win.id]
    with pytest.raises(UserError, match="already achieved"):
        await goals.achieve(me, goal.id)
    with pytest.raises(UserError, match="settled"):
        await goals.progress(me, goal.id, 10)
    # rewording the win keeps the certificate it records
    edited = await wins.update(me, win.id, what="Earned my CPhT at last")
    assert edited.numbers == {"certifications": 1}


async def test_a_degree_course_is_education_not_a_certification(goals, me):
    goal = await goals.add(me, "degree", title="Chemistry 101 (pre-pharmacy)")
    _, win = await goals.achieve(me, goal.id)
    assert win.what == "Completed Chemistry 101 (pre-pharmacy)"
    assert win.numbers == {}


async def test_drop_and_ownership(goals, me):
    goal = await goals.add(me, "TPV")
    dropped = await goals.drop(me, goal.id)
    assert dropped.status == "dropped"
    assert await goals.list_goals(me, status="active") == []
    with pytest.raises(NotFound):
        await goals.progress(PersonRef("local", "local", "other"), goal.id, 10)
    with pytest.raises(UserError, match="unknown status"):
        await goals.list_goals(me, status="paused")
