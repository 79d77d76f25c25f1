"""The team roundup in channel nudges: counts only, shared wins by choice, none for tiny teams."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.nudges.roundup import MIN_TEAM, ChannelNudge, Roundup, SharedWin, render_roundup_text
from bot.nudges.tick import run_tick
from bot.slack.blocks import build_nudge_message
from bot.store.database import transaction
from bot.store.models import Person, Win, Workspace
from tests.helpers.nudges import QUESTIONS, add_channel_schedule, add_person

UTC = dt.UTC
FRIDAY_DUE = dt.datetime(2026, 11, 27, 21, 0, tzinfo=UTC)  # Fri 15:00 America/Chicago
NOW = FRIDAY_DUE + dt.timedelta(minutes=1)


async def tick(sessions, sender, now=NOW):
    return await run_tick(sessions, sender, now=now, worker_id="w1", questions=QUESTIONS)


async def team(sessions, size: int, workspace: str = "T1") -> list[int]:
    return [
        await add_person(sessions, f"U{n}", enabled=False, workspace=workspace, name=f"Tech {n}")
        for n in range(size)
    ]


async def log(
    sessions,
    person_id: int,
    category: str,
    *,
    at: dt.datetime,
    what: str = "did it",
    shared: bool = False,
) -> None:
    async with transaction(sessions) as session:
        person = await session.get(Person, person_id)
        assert person is not None
        session.add(
            Win(
                workspace_id=person.workspace_id,
                person_id=person_id,
                what=what,
                category=category,
                occurred_on=at.date(),
                created_at=at,
                shared=shared,
            )
        )


async def test_a_team_of_five_gets_counts_of_the_last_seven_days(sessions, sender):
    await add_channel_schedule(sessions)
    people = await team(sessions, MIN_TEAM)
    await log(sessions, people[0], "caught_error", at=NOW - dt.timedelta(days=1))
    await log(sessions, people[0], "caught_error", at=NOW - dt.timedelta(days=2))
    await log(sessions, people[1], "trained_mentored", at=NOW - dt.timedelta(days=6, hours=23))
    await log(sessions, people[2], "process_improvement", at=NOW - dt.timedelta(days=8))  # too old
    await log(sessions, people[3], "process_improvement", at=NOW + dt.timedelta(hours=1))  # future

    await tick(sessions, sender)

    [nudge] = sender.channel_nudges
    assert nudge.question in QUESTIONS
    assert nudge.roundup is not None
    assert (nudge.roundup.wins, nudge.roundup.people, nudge.roundup.days) == (3, 2, 7)
    assert [count for _, count in nudge.roundup.categories] == [2, 1]
    assert nudge.roundup.shared == ()
    text = render_roundup_text(nudge.roundup)
    assert "3 wins logged by 2 people" in text
    assert "Tech" not in text and "did it" not in text  # no names, no content


async def test_a_team_smaller_than_five_gets_no_roundup(sessions, sender):
    await add_channel_schedule(sessions)
    people = await team(sessions, MIN_TEAM - 1)
    await log(sessions, people[0], "caught_error", at=NOW - dt.timedelta(days=1), shared=True)
    await tick(sessions, sender)
    [nudge] = sender.channel_nudges
    assert nudge.roundup is None


async def test_only_wins_their_owners_shared_show_a_name_and_content(sessions, sender):
    await add_channel_schedule(sessions)
    people = await team(sessions, 6)
    await log(
        sessions,
        people[0],
        "caught_error",
        at=NOW - dt.timedelta(days=1),
        what="caught a tenfold heparin error",
        shared=True,
    )
    await log(
        sessions,
        people[1],
        "trained_mentored",
        at=NOW - dt.timedelta(days=2),
        what="private thing I did",
    )
    await tick(sessions, sender)
    [nudge] = sender.channel_nudges
    assert nudge.roundup is not None
    assert nudge.roundup.shared == (
        SharedWin(name="Tech 0", what="caught a tenfold heparin error"),
    )
    rendered = str(build_nudge_message(nudge.question, nudge.roundup).blocks)
    assert "caught a tenfold heparin error" in rendered and "Tech 0" in rendered
    assert "private thing" not in rendered and "Tech 1" not in rendered


async def test_each_workspace_gets_its_own_roundup(sessions, sender):
    await add_channel_schedule(sessions, "C1", workspace="T1")
    await add_channel_schedule(sessions, "C2", workspace="T2")
    one = await team(sessions, 5, workspace="T1")
    await team(sessions, 5, workspace="T2")
    await log(sessions, one[0], "caught_error", at=NOW - dt.timedelta(days=1), shared=True)
    await tick(sessions, sender)
    by_channel = {
        channel: nudge
        for (_, _, channel, _), nudge in zip(sender.sent, sender.channel_nudges, strict=True)
    }
    assert by_channel["C1"].roundup is not None and by_channel["C1"].roundup.wins == 1
    assert by_channel["C2"].roundup is not None
    assert (by_channel["C2"].roundup.wins, by_channel["C2"].roundup.shared) == (0, ())


async def test_a_quiet_week_says_so_without_numbers_that_point_at_anyone(sessions, sender):
    await add_channel_schedule(sessions)
    await team(sessions, 5)
    await tick(sessions, sender)
    [nudge] = sender.channel_nudges
    assert nudge.roundup == Roundup(days=7, wins=0, people=0)
    assert "No wins logged" in render_roundup_text(nudge.roundup)


async def test_shared_wins_are_capped_newest_first(sessions, sender):
    await add_channel_schedule(sessions)
    people = await team(sessions, 5)
    for n in range(5):
        await log(
            sessions,
            people[n],
            "recognition",
            at=NOW - dt.timedelta(hours=n + 1),
            what=f"win {n}",
            shared=True,
        )
    await tick(sessions, sender)
    [nudge] = sender.channel_nudges
    assert nudge.roundup is not None
    assert [w.what for w in nudge.roundup.shared] == ["win 0", "win 1", "win 2"]
    assert nudge.roundup.wins == 5


def test_the_slack_nudge_escapes_shared_text_and_never_mentions_anyone():
    roundup = Roundup(
        days=7,
        wins=2,
        people=2,
        categories=(("Caught an error", 2),),
        shared=(SharedWin(name="<!channel> Ann", what="<@U123> fixed <https://x.example|it>"),),
    )
    message = build_nudge_message("What went well?", roundup)
    rendered = str(message.blocks) + message.text
    assert "<!channel>" not in rendered and "<@U123>" not in rendered
    assert "&lt;!channel&gt; Ann" in rendered
    assert "2 wins logged by 2 people" in message.text


def test_a_nudge_without_a_roundup_is_the_question_and_the_button():
    message = build_nudge_message("Q?", None)
    assert [b["type"] for b in message.blocks] == ["section", "actions"]
    assert ChannelNudge("Q?").roundup is None


async def test_the_print_sender_shows_the_roundup(sessions, capsys):
    import io

    from bot.nudges.print_sender import PrintSender

    stream = io.StringIO()
    await add_channel_schedule(sessions, platform="local", workspace="local")
    async with transaction(sessions) as session:
        ws = await session.scalar(select(Workspace).where(Workspace.platform == "local"))
        assert ws is not None
        for n in range(5):
            session.add(Person(workspace_id=ws.id, platform_user_id=f"L{n}"))
    await tick(sessions, PrintSender(stream))
    assert "No wins logged by the team in the last 7 days" in stream.getvalue()
