"""``stepup nudges …`` driven through its own parser, as the CLI runs it."""

from __future__ import annotations

import argparse
import io

import pytest

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
    assert out.strip() == "Added: #1  channel C123  Fridays at 15:00 America/Chicago"
    assert "#1  channel C123" in await run("nudges", "list")
    preview = await run("nudges", "preview", "1")
    assert "Next: Fri " in preview and "CST" in preview and "Text: " in preview

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
        (("add", "--channel", "C1", "--day", "fri", "--time", "3pm"), "HH:MM 24-hour"),
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
    [post] = fake.calls_to("chat.postMessage")
    assert post.params["channel"] == "C9"
