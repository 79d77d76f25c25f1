"""The ``win``, ``wins`` and ``goal`` commands, driven through their own parser."""

from __future__ import annotations

import argparse
import io

import pytest

from bot.commands import wins as wins_command
from bot.commands.context import CommandContext
from bot.errors import UserError
from bot.settings import load_settings
from bot.store.models import Win


class Terminal(io.StringIO):
    """Standard input that claims to be a terminal (so the follow-up is asked)."""

    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def no_redaction(monkeypatch):
    monkeypatch.setattr("bot.safety.gate.default_redact", lambda text: text)


@pytest.fixture
def run(engine, database_url):
    """Run a command line; return its standard output (after checking it exited 0)."""
    parser = argparse.ArgumentParser(prog="stepup")
    wins_command.register(parser.add_subparsers(dest="command", required=True))

    async def run_command(*argv: str, stdin: io.StringIO | None = None) -> str:
        args = parser.parse_args(argv)
        out = io.StringIO()
        context = CommandContext(
            settings=load_settings(database_url=database_url),
            stdout=out,
            stdin=stdin or io.StringIO(""),
        )
        try:
            code = await args.handler(args, context)
        finally:
            await context.close()
        assert code == 0
        return out.getvalue()

    return run_command


async def test_add_list_show_edit_delete(run):
    out = await run("win", "add", "trained", "2", "new", "techs", "on", "the", "IV", "hood")
    assert out.startswith("Logged: #1  ")
    assert "Trained or mentored" in out and "(2 people trained)" in out
    out = await run("wins", "list", "--period", "30d")
    assert "trained 2 new techs" in out and out.rstrip().endswith("1 win · the last 30 days")
    out = await run("win", "edit", "1", "--result", "weekend backup", "--leadership", "big")
    assert "[Big-L]" in out
    out = await run("win", "show", "1")
    assert "Result: weekend backup" in out and "Figures: 2 people trained" in out
    out = await run("win", "delete", "1")
    assert out.strip() == "Deleted win #1."
    out = await run("wins", "list")
    assert out.startswith("No wins for all time.")


async def test_the_followup_is_asked_once_on_a_terminal(run):
    out = await run("win", "add", "trained new techs on the hood", stdin=Terminal("3\n"))
    assert "How many?" in out
    assert "Updated: " in out and "(3 people trained)" in out
    out = await run("win", "add", "fixed the label printer", stdin=Terminal("skip\n"))
    assert "How many?" in out and "Updated" not in out
    out = await run("win", "add", "fixed the fax queue")  # not a terminal: a hint instead
    assert "stepup win edit 3 --result" in out


async def test_bad_input_is_one_line_a_person_can_fix(run):
    with pytest.raises(UserError, match="Tell me what you did"):
        await run("win", "add")
    with pytest.raises(UserError, match="is in the future"):
        await run("win", "add", "covered a shift", "--date", "2999-01-01")
    with pytest.raises(UserError, match="cannot read the date"):
        await run("win", "add", "covered a shift", "--date", "someday")
    with pytest.raises(UserError, match="use one of trained_mentored"):
        await run("wins", "list", "--category", "heroics")
    with pytest.raises(UserError, match="30d, 90d, quarter, year, all"):
        await run("wins", "list", "--period", "fortnight")
    with pytest.raises(UserError, match="nothing to change"):
        await run("win", "edit", "1")
    with pytest.raises(UserError, match="no win #42"):
        await run("win", "delete", "42")


async def test_goals(run):
    out = await run("goal", "add", "cspt", "--target", "2027-03-01", "--progress", "20")
    assert out.startswith("Added goal: #1  CSPT")
    out = await run("goal", "progress", "1", "60")
    assert "60% done, target 2027-03-01" in out
    out = await run("goal", "achieve", "1")
    assert out.startswith("Congratulations! #1  CSPT") and "(1 certification earned)" in out
    out = await run("goal", "list")
    assert out.startswith("No goals yet.")
    out = await run("goal", "list", "--all")
    assert "achieved" in out and "(win #1)" in out
    with pytest.raises(UserError, match="use YYYY-MM-DD"):
        await run("goal", "add", "cpht", "--target", "june")
    with pytest.raises(UserError, match="unknown goal kind"):
        await run("goal", "add", "astronaut")


async def _shared(sessions, win_id: int) -> bool:
    async with sessions() as session:
        win = await session.get(Win, win_id)
    assert win is not None
    return win.shared


async def test_share_a_win_in_the_team_roundup(run, sessions):
    out = await run("win", "add", "--share", "trained 2 new techs on the IV hood")
    assert out.startswith("Logged: #1  ")
    assert "Shared with your team" in out
    assert await _shared(sessions, 1) is True
    out = await run("win", "add", "fixed the label printer", "--result", "no more reprints")
    assert "Shared" not in out
    assert await _shared(sessions, 2) is False
    out = await run("win", "edit", "1", "--no-share")
    assert "Not shared: only you can see this win." in out
    assert await _shared(sessions, 1) is False
    await run("win", "edit", "2", "--share")
    assert await _shared(sessions, 2) is True
    await run("win", "edit", "2", "--result", "no more reprints, saving 5 hours")
    assert await _shared(sessions, 2) is True  # an edit without --share keeps the choice
