import asyncio
import io
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.store.database import create_engine, session_factory
from bot.store.models import CoachingSession, DraftRecord

VENT = (
    "The Pyxis on 4 West was out of heparin flushes AGAIN and nursing blamed us. "
    "We restocked it yesterday. The par levels are just wrong."
)


def chat(*lines: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["chat"], stdout=out, stderr=err, stdin=io.StringIO("".join(f"{x}\n" for x in lines))
    )
    assert err.getvalue() == ""
    return code, out.getvalue()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path}/chat.db"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def _rows(url: str, model: type) -> list:  # type: ignore[type-arg]
    async def fetch() -> list:  # type: ignore[type-arg]
        engine = create_engine(url)
        try:
            async with session_factory(engine)() as session:
                return list(await session.scalars(select(model)))
        finally:
            await engine.dispose()

    return asyncio.run(fetch())


def test_vent_becomes_a_draft_that_can_be_saved(database: str) -> None:
    code, out = chat(VENT, "/save", "/quit")
    assert code == 0
    assert "Problem:" in out
    assert "Proposed fix:" in out
    assert "My role:" in out
    assert "heparin" in out
    assert "Saved as draft #1" in out
    assert out.rstrip().endswith("Your drafts and wins are saved for next time.")


def test_conversation_survives_a_restart(database: str) -> None:
    chat(VENT, "/quit")
    code, out = chat("/manager")  # a new process-level run; end of input leaves cleanly
    assert code == 0
    assert "Picking up where we left off" in out
    assert "Here's a message you can send" in out
    assert "heparin" in out
    assert len(_rows(database, CoachingSession)) == 1


def test_end_of_input_exits_cleanly_with_nothing_half_written(database: str) -> None:
    code, out = chat(VENT)
    assert code == 0
    assert "saved for next time" in out
    assert _rows(database, DraftRecord) == []


def test_unknown_command_and_commands_without_a_draft(database: str) -> None:
    code, out = chat("/dance", "/save", "/edit problem new words", "/edit", "/help")
    assert code == 0
    assert "I don't know /dance. Type /help for the list." in out
    assert out.count("There's no draft in progress.") == 2
    assert "Usage: /edit problem|fix|role NEW TEXT" in out
    assert "/impact [PERIOD]" in out


def test_crisis_gets_resources_and_nothing_is_kept(database: str) -> None:
    code, out = chat(VENT, "I want to kill myself, I have the pills right here")
    assert code == 0
    assert "988" in out
    assert "741741" in out
    assert _rows(database, CoachingSession) == []


def test_a_check_in_asks_with_resources_one_per_line_and_a_no_resumes(database: str) -> None:
    code, out = chat(VENT, "i cant do this anymore", "no, just work")
    assert code == 0
    asked = out[out.index("suicide") :]
    assert "\n- Call or text 988" in asked and "\n- Text HOME to 741741" in asked
    assert "Back to the draft:" in asked
    assert asked.count("Problem:") == 1


def test_edit_and_refine_a_draft(database: str) -> None:
    code, out = chat(
        VENT,
        "/edit fix Review par levels for heparin flushes with the 4 West charge nurse",
        "/shorter",
    )
    assert code == 0
    assert "Updated in your words." in out
    assert "Review par levels for heparin flushes with the 4 West charge nurse" in out
