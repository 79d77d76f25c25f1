"""The pure builders of ``/stepup`` replies: valid Block Kit, a fallback, everything escaped."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.nudges.view import ScheduleView
from bot.slack import blocks
from bot.slack.blocks.stepup import (
    MAX_LISTED,
    build_channel_refused,
    build_nudge_added,
    build_nudge_changed,
    build_nudge_list,
    build_nudge_preview,
    build_stepup_usage,
)
from tests.helpers.blocks import (
    EVIL,
    assert_no_raw_sequences,
    assert_valid_message,
    parsed_strings,
    texts,
)

CHICAGO = ZoneInfo("America/Chicago")
NEXT = dt.datetime(2026, 11, 27, 15, tzinfo=CHICAGO)


def nudge(**changes: Any) -> ScheduleView:
    values: dict[str, Any] = {
        "schedule_id": 7,
        "channel_id": "C0PHARMACY",
        "weekday": 4,
        "local_time": dt.time(15, 0),
        "timezone": "America/Chicago",
        "next_post": NEXT,
        "today": dt.date(2026, 11, 25),
    }
    values.update(changes)
    return ScheduleView(**values)


def joined(message: blocks.SlackMessage) -> str:
    return "\n".join(texts(message.blocks))


def test_the_builders_are_exported_from_the_blocks_package() -> None:
    assert blocks.stepup.build_stepup_usage is build_stepup_usage


def test_usage_lists_every_subcommand_escaped_with_a_fallback() -> None:
    message = build_stepup_usage()

    assert_valid_message(message)
    shown = joined(message)
    for command in (
        "/stepup nudges",
        "/stepup nudges add [#channel|here] &lt;day&gt; &lt;time&gt; [timezone]",
        "/stepup nudges preview N",
        "pause N · resume N · remove N",
        "/stepup settings",
        "/stepup help",
    ):
        assert command in shown
    assert "<day>" not in shown
    assert message.text.startswith("Usage: /stepup nudges")
    assert "didn't understand" not in message.text


def test_usage_after_unknown_text_shows_it_escaped_on_one_line() -> None:
    message = build_stepup_usage(not_understood=f"do\nthings {EVIL}" + " x" * 500)

    assert_valid_message(message)
    assert_no_raw_sequences(message)
    first = message.blocks[0]["text"]["text"]
    assert first.startswith("I didn't understand “do things &lt;!channel&gt;")
    assert "\n" not in first and first.endswith("…”.")
    assert message.text.startswith("I didn't understand “do things &lt;!channel&gt;")
    assert "@\u2060here" in first  # a bare @here is neutralized too


def test_list_shows_one_line_per_nudge_with_channel_link_state_and_next() -> None:
    message = build_nudge_list(
        [
            nudge(),
            nudge(schedule_id=8, channel_id="C0NIGHTS", enabled=False, disabled_reason="paused"),
            nudge(schedule_id=9, paused_until=dt.date(2026, 12, 4), next_post=None),
        ]
    )

    assert_valid_message(message)
    lines = [block["text"]["text"] for block in message.blocks if block["type"] == "section"]
    assert lines[0] == "*Weekly win nudges in team channels (3)*"
    assert lines[1] == (
        "*#7* <#C0PHARMACY> — Fridays at 3:00 PM (Central) · *on* · next Fri, Nov 27 at 3:00 PM CST"
    )
    assert lines[2] == "*#8* <#C0NIGHTS> — Fridays at 3:00 PM (Central) · *paused*"
    assert "*paused until Fri, Dec 4*" in lines[3]
    assert message.text == ("Channel nudges: #7 Fridays at 3:00 PM (Central), on and 2 more.")


def test_list_escapes_a_disabled_reason_and_a_malformed_channel() -> None:
    message = build_nudge_list(
        [nudge(channel_id="<!channel>", enabled=False, disabled_reason=EVIL, next_post=None)]
    )

    assert_valid_message(message)
    assert_no_raw_sequences(message)
    line = message.blocks[1]["text"]["text"]
    assert line.startswith("*#7* &lt;!channel&gt; — ")
    assert "*disabled: &lt;!channel&gt;" in line
    assert "/stepup nudges resume 7" in line


def test_an_empty_list_says_how_to_add_one() -> None:
    message = build_nudge_list([])

    assert_valid_message(message)
    assert "No team channel nudges yet" in message.text
    assert "/stepup nudges add fri 15:00 America/Chicago" in joined(message)


def test_a_long_list_stays_within_slacks_block_limit() -> None:
    message = build_nudge_list([nudge(schedule_id=n) for n in range(1, 80)])

    assert_valid_message(message)
    assert f"…and {79 - MAX_LISTED} more." in joined(message)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, "on"),
        ({"enabled": False, "disabled_reason": None}, "paused"),
        ({"enabled": False, "disabled_reason": "not_in_channel (at 2026-11-20)"}, "disabled: "),
        ({"paused_until": dt.date(2027, 1, 2)}, "paused until Sat, Jan 2, 2027"),
    ],
)
def test_state_text(changes: dict[str, Any], expected: str) -> None:
    assert nudge(**changes).status.startswith(expected)


def test_added_confirms_the_schedule_and_the_first_nudge() -> None:
    message = build_nudge_added(nudge())

    assert_valid_message(message)
    shown = joined(message)
    assert "<#C0PHARMACY>" in shown
    assert "Fridays at 3:00 PM (Central)" in shown
    assert "Fri, Nov 27 at 3:00 PM CST" in shown
    assert "/stepup nudges pause 7" in shown
    assert message.text == (
        "Nudge #7 set: Fridays at 3:00 PM (Central). The first one: Fri, Nov 27 at 3:00 PM CST."
    )


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ("removed", "Removed nudge #7"),
        ("paused", "Resume it with /stepup nudges resume 7"),
        ("resumed", "Next: Fri, Nov 27 at 3:00 PM CST"),
    ],
)
def test_changed_says_what_happened(change: Any, said: str) -> None:
    message = build_nudge_changed(nudge(), change)

    assert_valid_message(message)
    assert said in message.text
    assert "<#C0PHARMACY>" in joined(message)


def test_preview_shows_the_time_in_the_schedules_zone_and_the_question_escaped() -> None:
    due = dt.datetime(2026, 11, 27, 21, tzinfo=dt.UTC)
    message = build_nudge_preview(nudge(), due_at=due, question=f"What went well? {EVIL}")

    assert_valid_message(message)
    assert_no_raw_sequences(message)
    header, quoted = (b["text"]["text"] for b in message.blocks if b["type"] == "section")
    assert "Next: *Fri, Nov 27 at 3:00 PM CST*" in header
    assert quoted.startswith(">What went well? &lt;!channel&gt;")
    assert message.text.startswith("Nudge #7 next Fri, Nov 27 at 3:00 PM CST: What went well?")


def test_preview_of_a_paused_nudge_says_nothing_is_posted() -> None:
    message = build_nudge_preview(
        nudge(enabled=False, disabled_reason="paused", next_post=None), due_at=NEXT, question="Q?"
    )

    assert "It is paused: nothing is posted" in joined(message)


def test_channel_refused_gives_reason_and_fix_escaped() -> None:
    message = build_channel_refused("C0PHARMACY", f"reason {EVIL}", "fix <@U9>")

    assert_valid_message(message)
    assert_no_raw_sequences(message)
    shown = joined(message)
    assert shown.startswith(":no_entry: I can't post in <#C0PHARMACY>: reason &lt;!channel&gt;")
    assert "*To fix it:* fix &lt;@U9&gt;." in shown
    assert "Nothing was set up" in shown
    assert all("<@U9>" not in text for text in parsed_strings(message))


def test_preview_shows_the_roundup_so_far_as_counts() -> None:
    from bot.nudges.roundup import Roundup, SharedWin

    roundup = Roundup(
        days=7,
        wins=4,
        people=3,
        categories=(("Caught an error", 2),),
        shared=(SharedWin(name=EVIL, what=EVIL),),
    )
    message = build_nudge_preview(nudge(), due_at=NEXT, question="Q?", roundup=roundup)
    assert_valid_message(message)
    assert_no_raw_sequences(message)
    shown = joined(message)
    assert "Roundup so far: Last 7 days: 4 wins logged by 3 people" in shown
    assert "1 shared by their owners." in shown
