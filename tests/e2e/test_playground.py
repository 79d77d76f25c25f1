"""Step Up in a real Teams client: the Microsoft 365 Agents Playground talking to ``stepup run``.

``stepup run`` runs as a child process in local Teams mode (``TEAMS_DEV_UNAUTHENTICATED``) on
its own SQLite file. ``node e2e/playground.mjs`` starts the Playground against its
``/api/messages``, types in the Playground's web UI in headless Chromium, clicks a card button,
and prints what the chat showed as JSON. Every wait is on a condition with a timeout: the server
is ready when uvicorn says it listens, and the script waits on the page's own state.

Needs Node.js, ``npm ci --prefix e2e`` and Debian's Chromium (``.ci/run`` installs them). Outside
CI the test is skipped, saying what is missing (Node.js, ``e2e/node_modules``, Chromium); in CI a
missing piece fails it.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import sqlite3
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any

import pytest

from tests.paths import REPO_ROOT
from tests.processes import Output, free_port

E2E = REPO_ROOT / "e2e"
SCRIPT = E2E / "playground.mjs"
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# Bounds, together under two minutes; a good run takes about 10 s (the conversation about 5 s).
START_TIMEOUT = 35.0  # a cold start loads the redaction recognizers
PLAYGROUND_TIMEOUT = 60  # the script's own bound on the whole conversation, in seconds
STOP_TIMEOUT = 10.0
VENT = (
    "Three people called out tonight and it was just me and one pharmacist for the whole hospital."
)
COMMANDS = ("help", "settings", "win", "wins", "impact", "new")

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("STEPUP_TEST_DATABASE_URL")),
    reason="starts its own server on a SQLite file: it runs in the SQLite pass, not per database",
)


def _require_tools() -> str:
    """Return the path of ``node``; skip (outside CI) or fail (in CI) when something is missing."""
    in_ci = bool(os.environ.get("CI"))
    missing = []
    node = shutil.which("node")
    if node is None:
        missing.append("Node.js (`node`)")
    if not (E2E / "node_modules" / "playwright-core").is_dir():
        missing.append("e2e/node_modules (`npm ci --prefix e2e`)")
    if not CHROMIUM.exists():
        missing.append(f"Chromium at {CHROMIUM} (`apt-get install chromium`)")
    if missing and not in_ci:
        pytest.skip("the Teams end-to-end test needs " + ", ".join(missing))
    if missing or node is None:
        pytest.fail("the Teams end-to-end test needs " + ", ".join(missing))
    return node


def _env(**settings: str) -> dict[str, str]:
    """The environment for the children: no Slack, Teams, OpenAI or proxy settings but ours."""
    unwanted = ("SLACK_", "TEAMS_", "OPENAI_", "DATABASE_URL", "COACH")
    proxies = {"HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"}
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(unwanted) and key not in proxies
    }
    env.update(settings)
    return env


async def _stop(proc: asyncio.subprocess.Process) -> None:
    """Kill ``proc`` and everything it started (its own process group), then reap it."""
    if proc.returncode is None:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        await proc.wait()


@asynccontextmanager
async def stepup_run(tmp_path: Path, database: Path) -> AsyncIterator[tuple[str, Output]]:
    """Run ``stepup run`` in local Teams mode; yield its base URL and its stderr once it listens.

    On leaving, Ctrl-C stops it (and must stop it cleanly); it is killed if it does not.
    """
    port = free_port()
    env = _env(
        TEAMS_DEV_UNAUTHENTICATED="true",
        DATABASE_URL=f"sqlite:///{database}",
        COACH="offline",
        HOST="127.0.0.1",
        PORT=str(port),
        PYTHONPATH=str(REPO_ROOT),
        PYTHONUNBUFFERED="1",  # its lines as it prints them, not when a pipe buffer fills
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    out, err = Output(), Output()
    readers = [
        asyncio.create_task(out.read(proc.stdout)),
        asyncio.create_task(err.read(proc.stderr)),
    ]
    try:
        # uvicorn logs this once its socket listens.
        await err.wait_for("Uvicorn running on", START_TIMEOUT)
        await out.wait_for("Teams is in local mode", STOP_TIMEOUT)
        yield f"http://127.0.0.1:{port}", err
        proc.send_signal(signal.SIGINT)
        try:
            async with asyncio.timeout(STOP_TIMEOUT):
                code = await proc.wait()
                await asyncio.gather(*readers)
        except TimeoutError:
            pytest.fail(f"stepup run did not stop on Ctrl-C within {STOP_TIMEOUT}s:\n{err.text}")
        assert code == 0, err.text
    finally:
        await _stop(proc)
        for reader in readers:
            reader.cancel()
        await asyncio.gather(*readers, return_exceptions=True)


async def _talk(node: str, endpoint: str, shots: Path, *steps: str) -> dict[str, Any]:
    """Run the Playground script; return its transcript, or fail with what it printed."""
    proc = await asyncio.create_subprocess_exec(
        node,
        str(SCRIPT),
        "--endpoint",
        endpoint,
        "--timeout",
        str(PLAYGROUND_TIMEOUT),
        "--screenshots",
        str(shots),
        *steps,
        env=_env(),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,  # the Playground and Chromium are its children: killed with it
    )
    try:
        async with asyncio.timeout(PLAYGROUND_TIMEOUT + STOP_TIMEOUT):
            stdout, stderr = await proc.communicate()
    except TimeoutError:
        pytest.fail(f"playground.mjs did not stop within its own {PLAYGROUND_TIMEOUT}s bound")
    finally:
        await _stop(proc)
    if proc.returncode != 0:
        pytest.fail(f"playground.mjs exited {proc.returncode}:\n{stderr.decode(errors='replace')}")
    transcript: dict[str, Any] = json.loads(stdout)
    return transcript


def _cards(messages: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for message in messages:
        assert message["from"] == "bot", message
        yield from message["cards"]


def _section(card: dict[str, Any], heading: str) -> str:
    """The text block right after ``heading`` in ``card``."""
    texts: list[str] = card["texts"]
    assert heading in texts, f"no {heading!r} in the card: {texts}"
    after = texts[texts.index(heading) + 1 :]
    assert after, f"nothing after {heading!r} in the card: {texts}"
    return after[0]


def _words(text: str) -> str:
    return " ".join(text.split())


async def test_a_technician_vents_in_teams_and_saves_the_draft(tmp_path: Path) -> None:
    node = _require_tools()
    database = tmp_path / "e2e.db"
    async with stepup_run(tmp_path, database) as (base_url, server_log):
        transcript = await _talk(
            node,
            f"{base_url}/api/messages",
            tmp_path / "screenshots",
            "--say",
            "help",
            "--say",
            VENT,
            "--click",
            "Save",
        )
    help_step, vent_step, save_step = transcript["steps"]

    # `help`: one help card that lists the commands.
    assert help_step["say"] == "help" and help_step["status"] == 200
    [help_card] = _cards(help_step["replies"])
    for command in COMMANDS:
        assert re.search(rf"\b{command}\b", help_card["text"]), (command, help_card["text"])

    # A vent: a draft card with the three parts, and buttons to work on it.
    assert vent_step["status"] == 200
    [draft_card] = _cards(vent_step["replies"])
    problem = _section(draft_card, "Problem")
    for heading in ("Proposed fix", "My role"):
        assert _section(draft_card, heading)
    assert "called out" in problem.lower(), problem
    assert {"Save", "Shorter"} <= set(draft_card["buttons"]), draft_card["buttons"]

    # Save (Action.Execute): the same card now says it was saved; no new message.
    assert save_step["activity"] == "invoke" and save_step["status"] == 200
    assert save_step["clicked_message"] == vent_step["replies"][0]["index"]
    [saved_card] = save_step["updated"]["cards"]
    assert "saved" in saved_card["text"].lower(), saved_card["text"]
    assert save_step["replies"] == []

    # The drafts table has exactly the draft the card showed.
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT problem, proposed_fix, my_role, status FROM drafts").fetchall()
    assert len(rows) == 1, rows
    saved_problem, saved_fix, saved_role, status = rows[0]
    assert status == "saved"
    assert _words(saved_problem) == _words(problem)
    assert _words(saved_fix) == _words(_section(draft_card, "Proposed fix"))
    assert _words(saved_role) == _words(_section(draft_card, "My role"))

    # Nothing went wrong on the server along the way (a failing handler still answers 200).
    assert "Traceback" not in server_log.text, server_log.text
    assert " ERROR " not in server_log.text, server_log.text
