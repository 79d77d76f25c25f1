"""``stepup nudges …`` driven through its own parser, as the CLI runs it."""

from __future__ import annotations

import argparse
import asyncio
import io

import pytest

from bot.cli import main
from bot.commands import nudges as nudges_command
from bot.commands.context import CommandContext
from bot.errors import UserError
from bot.settings import load_settings
from tests.fakes.slack_api import DEFAULT_TEAM_ID, TEST_BOT_TOKEN, fake_slack


@pytest.fixture
def run(engine, database_url):
    """Run a command line; return its standard output (after checking it exited 0)."""
    parser = argparse.ArgumentParser(prog="stepup")
    nudges_command.register(parser.add_subparsers(dest="command", required=True))

    async def run_command(*argv: str, workspace: str = "local", **settings: object) -> str:
        args = parser.parse_args(argv)
        out = io.StringIO()
        context = CommandContext(
            settings=load_settings(database_url=database_url, **settings),
            workspace=workspace,
            platform="local" if workspace == "local" else "slack",
            stdout=out,
        )
        try:
            code = await args.handler(args, context)
        finally:
            await context.close()
        assert code == 0
        return out.getvalue()

    return run_command


async def test_add_list_preview_run_due_remove_locally(run):
    out = await run(
        "nudges", "add", "--channel", "C123", "--day", "fri", "--time", "15:00",
        "--tz", "America/Chicago",
    )  # fmt: skip
    assert out.strip() == "Added: #1  channel C123  Fridays at 3:00 PM (Central)"
    assert "#1  channel C123" in await run("nudges", "list")
    preview = await run("nudges", "preview", "1")
    assert "Next: Fri, " in preview and " at 3:00 PM C" in preview and "Text: " in preview
    assert "Roundup: none (shown once the team has 5 or more people)" in preview

    early = await run("nudges", "run-due", "--now", "2026-11-27T14:59-06:00")
    assert early.strip() == "local: 0 sent, 0 failed, 0 skipped, 0 disabled"
    due = await run("nudges", "run-due", "--now", "2026-11-27T15:00:30-06:00")
    lines = due.strip().splitlines()
    assert lines[0].startswith("[local] #C123: ")
    assert lines[-1] == "local: 1 sent, 0 failed, 0 skipped, 0 disabled"
    again = await run("nudges", "run-due", "--now", "2026-11-27T21:05")  # no offset: UTC
    assert again.strip() == "local: 0 sent, 0 failed, 0 skipped, 0 disabled"

    assert (await run("nudges", "remove", "1")).startswith("Removed: #1")
    assert "No channel nudges yet" in await run("nudges", "list")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("add", "--channel", "C1", "--day", "funday", "--time", "15:00"), "mon..sun"),
        (("add", "--channel", "C1", "--day", "fri", "--time", "25:00"), "HH:MM 24-hour"),
        (("add", "--channel", "C1", "--day", "fri", "--time", "15:00", "--tz", "Mars"), "IANA"),
        (("remove", "9"), "no nudge schedule #9"),
        (("run-due", "--now", "friday"), "ISO 8601"),
    ],
)
async def test_mistakes_are_one_line_user_errors(run, argv, message):
    with pytest.raises(UserError, match=message) as raised:
        await run("nudges", *argv)
    assert "\n" not in str(raised.value)


async def test_the_slack_bot_tokens_workspace_is_used_without_workspace(run):
    async with fake_slack() as fake:
        settings = {"slack_bot_token": TEST_BOT_TOKEN, "slack_api_url": fake.url}
        out = await run(
            "nudges", "add", "--channel", "C9", "--day", "mon", "--time", "09:00", **settings
        )
        assert out.startswith("Added: #1  channel C9")
        assert len(fake.calls_to("auth.test")) == 1
        listed = await run("nudges", "list", workspace=DEFAULT_TEAM_ID)
        assert "#1  channel C9" in listed
        assert "No channel nudges yet" in await run("nudges", "list", workspace="T_OTHER")
        due = await run("nudges", "run-due", "--now", "2026-11-30T15:00:10Z", **settings)
    assert "slack: 1 sent" in due
    [announced, post] = fake.calls_to("chat.postMessage")
    assert announced.params["channel"] == post.params["channel"] == "C9"
    assert (
        "Weekly win nudges are on for this channel: Mondays at 9:00 AM" in announced.params["text"]
    )
    assert "Announced in the channel" in out


async def test_add_in_the_tokens_workspace_announces_before_storing(run):
    async with fake_slack() as fake:
        settings = {"slack_bot_token": TEST_BOT_TOKEN, "slack_api_url": fake.url}
        out = await run(
            "nudges", "add", "--channel", "C0PHARMACY", "--day", "fri", "--time", "15:00",
            "--tz", "America/Chicago", workspace=DEFAULT_TEAM_ID, **settings,
        )  # fmt: skip
    [announced] = fake.calls_to("chat.postMessage")
    assert announced.ok and announced.params["channel"] == "C0PHARMACY"
    text = announced.params["text"]
    assert "Fridays at 3:00 PM (Central)" in text
    assert "<@" not in text and "<!" not in text
    assert out.startswith("Added: #1  channel C0PHARMACY")


@pytest.mark.parametrize(
    ("channel", "error", "fix"),
    [
        (
            {"is_member": False},
            "not_in_channel",
            "invite me first (in that channel: /invite @Step Up)",
        ),
        ({"is_archived": True}, "is_archived", "unarchive it or pick another channel"),
    ],
)
async def test_add_to_a_channel_the_bot_cannot_post_in_is_refused(run, channel, error, fix):
    async with fake_slack() as fake:
        fake.add_channel("C0SECRET", **channel)
        settings = {"slack_bot_token": TEST_BOT_TOKEN, "slack_api_url": fake.url}
        with pytest.raises(UserError) as raised:
            await run(
                "nudges", "add", "--channel", "C0SECRET", "--day", "fri", "--time", "15:00",
                **settings,
            )  # fmt: skip
        listed = await run("nudges", "list", workspace=DEFAULT_TEAM_ID)
    message = str(raised.value)
    assert message.startswith("cannot post in channel C0SECRET: ")
    assert f"({error}); {fix}" in message and "\n" not in message
    assert "No channel nudges yet" in listed
    [refused] = fake.calls_to("chat.postMessage")
    assert not refused.ok


async def test_bad_arguments_are_refused_before_anything_is_posted(run):
    async with fake_slack() as fake:
        settings = {"slack_bot_token": TEST_BOT_TOKEN, "slack_api_url": fake.url}
        with pytest.raises(UserError, match="IANA"):
            await run(
                "nudges", "add", "--channel", "C9", "--day", "fri", "--time", "15:00",
                "--tz", "Mars/Base", **settings,
            )  # fmt: skip
    assert fake.calls == []


async def test_another_workspace_is_stored_unchecked_and_says_so(run):
    async with fake_slack() as fake:
        settings = {"slack_bot_token": TEST_BOT_TOKEN, "slack_api_url": fake.url}
        out = await run(
            "nudges", "add", "--channel", "C9", "--day", "fri", "--time", "15:00",
            workspace="T0OTHER", **settings,
        )  # fmt: skip
    assert out.startswith("Added: #1  channel C9")
    assert "Not checked" in out
    assert fake.calls_to("chat.postMessage") == []


def test_the_command_line_refusal_is_one_line_on_stderr_and_exit_1(
    database_url, engine, monkeypatch
):
    async def scenario() -> tuple[int, str, str, list[str]]:
        async with fake_slack() as fake:
            fake.add_channel("C0SECRET", is_member=False)
            monkeypatch.setenv("SLACK_BOT_TOKEN", TEST_BOT_TOKEN)
            monkeypatch.setenv("SLACK_API_URL", fake.url)
            monkeypatch.setenv("DATABASE_URL", database_url)
            out, err = io.StringIO(), io.StringIO()
            argv = ["nudges", "add", "--channel", "C0SECRET", "--day", "fri", "--time", "15:00"]
            code = await asyncio.to_thread(main, argv, stdout=out, stderr=err)
            listed = io.StringIO()
            await asyncio.to_thread(
                main, ["--workspace", DEFAULT_TEAM_ID, "nudges", "list"], stdout=listed
            )
            return code, out.getvalue(), err.getvalue(), [listed.getvalue()]

    code, out, err, [listed] = asyncio.run(scenario())
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("stepup: cannot post in channel C0SECRET: I'm not a member of it")
    assert "/invite @Step Up" in err
    assert "No channel nudges yet" in listed


async def test_preview_shows_the_roundup_as_it_stands(run, sessions):
    from bot.store.database import transaction
    from bot.store.models import Person, Win, utcnow
    from bot.store.people import get_or_create_workspace

    await run("nudges", "add", "--channel", "C9", "--day", "mon", "--time", "09:00")
    async with transaction(sessions) as session:
        ws = await get_or_create_workspace(session, "local", "local")
        people = [Person(workspace_id=ws.id, platform_user_id=f"tech{n}") for n in range(5)]
        session.add_all(people)
        await session.flush()
        session.add(
            Win(
                workspace_id=ws.id,
                person_id=people[0].id,
                what="caught a look-alike mix-up",
                category="caught_error",
                occurred_on=utcnow().date(),
                created_at=utcnow(),
            )
        )
    preview = await run("nudges", "preview", "1")
    assert "Roundup, as of now: Last 7 days: 1 win logged by 1 person" in preview
    assert "look-alike" not in preview  # not shared: counts only
