"""The monthly digest DM's blocks: counts, highlights, goals, buttons, escaping and limits."""

from __future__ import annotations

import datetime as dt

from bot.impact.periods import parse_period
from bot.nudges.digest import (
    GoalAchieved,
    GoalDue,
    Highlight,
)
from bot.slack import ids
from bot.slack.blocks import build_digest_message
from tests.helpers.blocks import (
    EVIL,
    assert_no_raw_sequences,
    assert_valid_message,
    buttons,
    texts,
)
from tests.helpers.digest import OCTOBER, SENT_ON, digest


def body(message) -> str:
    return "\n".join(texts(message.blocks))


def test_digest_shows_counts_highlights_goals_and_two_buttons() -> None:
    message = build_digest_message(digest())

    assert_valid_message(message)
    shown = body(message)
    assert "Your month in wins — October 2026" in shown
    assert "Hi Maria! You logged 5 wins in October (up from 3 in September)." in shown
    assert "*Wins*\n5 · September: 3" in shown  # counts against the previous month
    assert "4 little-l · 1 Big-L" in shown
    assert "• Trained or mentored: 3" in shown
    assert "trained 2 new techs on the IV hood → both cover the hood alone now" in shown
    assert "_(2 people trained)_" in shown and "`#12`" in shown
    assert "led the ADC par pilot · Big-L `#15`" in shown
    assert "Pass the CPhT exam: 40% done, due Nov 20 (in 19 days)" in shown
    assert ":tada: TPV (Oct 8)" in shown
    found = {item["action_id"]: item for item in buttons(message.blocks)}
    assert list(found) == [ids.IMPACT_BUILD, ids.WIN_LOG]
    assert found[ids.IMPACT_BUILD]["value"] == "2026-10"
    assert found[ids.WIN_LOG]["value"] == "digest"
    # the value is a period the impact listener hands straight to the impact service
    period = parse_period(found[ids.IMPACT_BUILD]["value"], today=SENT_ON)
    assert (period.start, period.end) == (OCTOBER, dt.date(2026, 10, 31))


def test_fallback_text_carries_the_digest_in_plain_words() -> None:
    message = build_digest_message(digest())

    assert message.text.startswith("Your month in wins — October 2026: Hi Maria! You logged 5 wins")
    assert "Pass the CPhT exam: 40% done" in message.text
    assert "\n" not in message.text


def test_win_and_goal_text_is_escaped_everywhere() -> None:
    evil = digest(
        display_name=EVIL,
        highlights=(
            Highlight(
                win_id=1,
                occurred_on=dt.date(2026, 10, 3),
                what=f"what {EVIL} & <b>",
                result=f"result {EVIL}",
                figures=(),
                leadership="little",
            ),
        ),
        goals_due=(
            GoalDue(
                goal_id=3,
                kind="CPhT",
                title=f"goal {EVIL}",
                target_date=dt.date(2026, 11, 20),
                progress=10,
                days_left=19,
            ),
        ),
        goals_achieved=(
            GoalAchieved(goal_id=2, kind="TPV", title=EVIL, achieved_on=dt.date(2026, 10, 8)),
        ),
    )

    message = build_digest_message(evil)

    assert_valid_message(message)
    assert_no_raw_sequences(message)
    assert "what &lt;!channel&gt;" in body(message)
    assert "&amp; &lt;b&gt;" in body(message)


def test_an_empty_month_encourages_and_offers_only_log_a_win() -> None:
    message = build_digest_message(
        digest(wins=0, previous_wins=4, by_category=(), highlights=(), little_l=0, big_l=0)
    )

    assert_valid_message(message)
    shown = body(message)
    assert "No wins logged in October, and that's okay" in shown
    assert "It all counts." in shown
    assert "Pass the CPhT exam" in shown  # goals coming due still show
    assert "Highlights" not in shown and "By category" not in shown
    [only] = buttons(message.blocks)
    assert (only["action_id"], only["value"], only.get("style")) == (
        ids.WIN_LOG,
        "digest",
        "primary",
    )


def test_long_texts_and_many_goals_stay_within_slacks_limits() -> None:
    long = "word " * 2000
    many_goals = tuple(
        GoalDue(
            goal_id=index,
            kind="course",
            title=long,
            target_date=dt.date(2026, 12, 1),
            progress=index,
            days_left=30,
        )
        for index in range(40)
    )
    message = build_digest_message(
        digest(
            display_name=long,
            highlights=tuple(
                Highlight(
                    win_id=index,
                    occurred_on=dt.date(2026, 10, index + 1),
                    what=long,
                    result=long,
                    figures=tuple(f"{n} hours saved" for n in range(30)),
                    leadership="big",
                )
                for index in range(3)
            ),
            goals_due=many_goals,
            goals_achieved=tuple(
                GoalAchieved(goal_id=n, kind="CE", title=long, achieved_on=OCTOBER)
                for n in range(20)
            ),
        )
    )

    assert_valid_message(message)
    shown = body(message)
    assert "…and 35 more" in shown and "…and 15 more" in shown
    assert "Coming due in the next 60 days* (40 goals)" in shown
    assert buttons(message.blocks)[-1]["action_id"] == ids.WIN_LOG  # the buttons survive
