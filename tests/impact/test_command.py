"""``stepup impact`` driven through its own parser."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from bot.commands import impact as impact_command
from bot.commands import wins as wins_command
from bot.commands.context import CommandContext
from bot.errors import UserError
from bot.settings import load_settings


@pytest.fixture(autouse=True)
def no_redaction(monkeypatch):
    monkeypatch.setattr("bot.safety.gate.default_redact", lambda text: text)


@pytest.fixture
def run(engine, database_url):
    parser = argparse.ArgumentParser(prog="stepup")
    subparsers = parser.add_subparsers(dest="command", required=True)
    wins_command.register(subparsers)
    impact_command.register(subparsers)

    async def run_command(*argv: str) -> str:
        args = parser.parse_args(argv)
        out = io.StringIO()
        context = CommandContext(settings=load_settings(database_url=database_url), stdout=out)
        try:
            code = await args.handler(args, context)
        finally:
            await context.close()
        assert code == 0
        return out.getvalue()

    return run_command


async def test_markdown_goes_to_stdout(run):
    await run("win", "add", "caught 3 dosing errors", "--date", "yesterday")
    out = await run("impact", "--period", "30d")
    assert out.startswith("# Impact summary")
    assert "- 3 errors caught" in out and "win #1" in out


async def test_json_and_csv_to_stdout_or_a_file(run, tmp_path: Path):
    await run("win", "add", "trained 2 new techs")
    out = await run("impact", "--format", "json")
    assert json.loads(out)["headline"][0]["value"] == 1
    target = tmp_path / "wins.csv"
    out = await run("impact", "--format", "csv", "-o", str(target))
    assert out.strip() == f"Wrote the impact summary to {target.resolve()}"
    assert target.read_text().splitlines()[1].startswith("1,")


async def test_pdf_is_written_to_a_default_file(run, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    await run("win", "add", "covered 2 extra shifts")
    out = await run("impact", "--format", "pdf", "--period", "90d")
    written = Path(out.strip().removeprefix("Wrote the impact summary to "))
    assert written.parent == tmp_path and written.name.startswith("impact-")
    assert written.suffix == ".pdf"
    assert 1 <= len(PdfReader(written).pages) <= 2


async def test_an_empty_period_is_not_an_error(run):
    out = await run("impact", "--period", "quarter")
    assert "No wins logged for" in out and "Log your first one" in out


async def test_unknown_period_or_format_prints_the_accepted_forms(run):
    with pytest.raises(UserError, match="use one of md, pdf, csv, json"):
        await run("impact", "--format", "docx")
    with pytest.raises(UserError, match="use one of 30d, 90d, quarter, year, all"):
        await run("impact", "--period", "last-year")


async def test_an_unwritable_output_is_one_line(run, tmp_path: Path):
    with pytest.raises(UserError, match="cannot write"):
        await run("impact", "-o", str(tmp_path / "missing-folder" / "out.md"))
