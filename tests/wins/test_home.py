"""The home view model: numbers, wins, goals and settings; team schedules for admins."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.nudges.service import NudgesService
from bot.wins.goals import GoalsService
from bot.wins.home import load_home, streak
from bot.wins.identity import PersonRef
from bot.wins.preferences import update_nudge_preferences
from bot.wins.service import WinsService

ME = PersonRef("slack", "T0HOME", "U0ME")
COLLEAGUE = PersonRef("slack", "T0HOME", "U0THEM")
ELSEWHERE = PersonRef("slack", "T0OTHER", "U0ME")


async def test_home_gathers_only_the_persons_own_wins_goals_and_settings(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    # The zone first: wins are dated "today" where the person is, as the home counts them.
    await update_nudge_preferences(
        sessions,
        ME,
        enabled=True,
        weekday=4,
        time=dt.time(14),
        timezone="America/Chicago",
        paused_until=None,
    )
    wins = WinsService(sessions)
    first = (await wins.add(ME, "trained 2 new techs on the IV hood")).win
    second = (await wins.add(ME, "caught a look-alike mix-up")).win
    await wins.add(COLLEAGUE, "built a recount sheet")
    await wins.add(ELSEWHERE, "covered a night shift")
    await GoalsService(sessions).add(ME, "cpht", target_date=dt.date(2030, 6, 1))

    home = await load_home(sessions, ME, default_timezone="UTC")

    assert (home.wins_this_month, home.wins_this_quarter, home.streak_weeks) == (2, 2, 1)
    assert [w.id for w in home.recent_wins] == [second.id, first.id]
    assert home.recent_wins[1].line.startswith(f"#{first.id}")
    assert home.recent_wins[1].category_label == "Trained or mentored"
    assert len(home.goals) == 1
    assert home.goals[0].target_date == dt.date(2030, 6, 1)
    assert (home.settings.enabled, home.settings.weekday) == (True, 4)
    assert home.settings.timezone == "America/Chicago"
    assert list(home.saved_drafts) == []
    assert not home.is_admin and list(home.team_nudges) == [] and not home.is_new


async def test_a_new_person_has_an_empty_home(sessions: async_sessionmaker[AsyncSession]) -> None:
    home = await load_home(sessions, ME, default_timezone="America/Chicago")

    assert home.is_new and list(home.recent_wins) == [] and home.wins_this_month == 0
    assert home.today is not None and not home.settings.enabled


async def test_an_admin_home_lists_the_workspace_channel_schedules_only(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    nudges = NudgesService(sessions)
    ours = await nudges.add(
        platform="slack",
        workspace="T0HOME",
        channel_id="C0PHARM",
        weekday="fri",
        local_time="14:00",
        timezone="America/Chicago",
    )
    await nudges.add(
        platform="slack",
        workspace="T0OTHER",
        channel_id="C0ELSE",
        weekday="mon",
        local_time="09:00",
        timezone="UTC",
    )

    home = await load_home(sessions, ME, default_timezone="UTC", team_schedules_from=nudges)

    assert home.is_admin
    [team] = home.team_nudges
    assert (team.schedule_id, team.channel_id, team.weekday) == (ours.id, "C0PHARM", 4)
    assert (team.time, team.timezone, team.enabled) == (dt.time(14), "America/Chicago", True)


def test_the_streak_counts_consecutive_weeks_ending_this_week_or_last() -> None:
    today = dt.date(2026, 11, 25)  # a Wednesday
    assert streak({today, today - dt.timedelta(weeks=1)}, today) == 2
    assert streak({today - dt.timedelta(weeks=1), today - dt.timedelta(weeks=2)}, today) == 2
    assert streak({today - dt.timedelta(weeks=2)}, today) == 0
    assert streak(set(), today) == 0
