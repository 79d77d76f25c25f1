"""``stepup run`` itself in Socket Mode: a real subprocess against the fake Slack servers.

The fake Web API and the fake Socket Mode server run in this test's event loop; the server runs
as ``python -m bot run`` in a child process, found through ``SLACK_API_URL``. Its output is read
as it comes (so the pipes never fill), and every wait is on a condition with a timeout.
"""

import asyncio
import json
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx2
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.fakes.slack_api import TEST_APP_TOKEN, TEST_BOT_TOKEN, FakeSlack, fake_slack
from tests.fakes.slack_socket import FakeSocketMode, fake_socket_mode
from tests.helpers.slack_signing import event_body
from tests.paths import REPO_ROOT
from tests.processes import Output, free_port

START_TIMEOUT = 120.0  # a cold start loads the redaction models
STEP_TIMEOUT = 30.0
VENT = (
    "The Pyxis on 4 West was out of heparin flushes AGAIN and nursing blamed us. "
    "We restocked it yesterday. The par levels are just wrong."
)


@pytest.fixture
async def fakes() -> AsyncIterator[tuple[FakeSlack, FakeSocketMode]]:
    async with fake_slack() as fake, fake_socket_mode(fake) as socket_mode:
        yield fake, socket_mode


def _env(database_url: str, fake: FakeSlack, port: int) -> dict[str, str]:
    unwanted = ("SLACK_", "TEAMS_", "OPENAI_")
    proxies = {"HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"}
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(unwanted) and key not in proxies
    }
    env.update(
        DATABASE_URL=database_url,
        HOST="127.0.0.1",
        PORT=str(port),
        COACH="offline",
        SLACK_APP_TOKEN=TEST_APP_TOKEN,
        SLACK_BOT_TOKEN=TEST_BOT_TOKEN,
        SLACK_API_URL=fake.url,
        PYTHONPATH=str(REPO_ROOT),
    )
    return env


async def test_stepup_run_answers_a_dm_over_socket_mode_and_stops_on_ctrl_c(
    tmp_path: Path,
    database_url: str,
    engine: AsyncEngine,
    fakes: tuple[FakeSlack, FakeSocketMode],
) -> None:
    fake, socket_mode = fakes
    port = free_port()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=_env(database_url, fake, port),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    out, err = Output(), Output()
    readers = [
        asyncio.create_task(out.read(proc.stdout)),
        asyncio.create_task(err.read(proc.stderr)),
    ]
    try:
        # Step Up says it listens only once it does: /healthz answers right after.
        await out.wait_for(f"Listening on http://127.0.0.1:{port}", START_TIMEOUT)
        await socket_mode.wait_connected(timeout=STEP_TIMEOUT)
        [opened] = fake.calls_to("apps.connections.open")
        assert opened.ok and opened.token == TEST_APP_TOKEN
        async with httpx2.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            assert (await http.get("/healthz")).status_code == 200
            # Socket Mode: nothing is served on /slack/events.
            assert (await http.post("/slack/events", content=b"{}")).status_code in (404, 405)

        envelope_id = await socket_mode.send_event(
            json.loads(event_body(text=VENT, event_id="Ev0RUNSOCKET"))
        )
        ack = await socket_mode.wait_for_ack(envelope_id, timeout=STEP_TIMEOUT)
        assert ack["envelope_id"] == envelope_id
        [posted] = await fake.wait_for("chat.postMessage", timeout=STEP_TIMEOUT)
        assert posted.ok
        assert posted.params["channel"] == "D024BE91L"
        assert "heparin" in posted.params["text"]
        assert posted.token == TEST_BOT_TOKEN

        proc.send_signal(signal.SIGINT)
        async with asyncio.timeout(STEP_TIMEOUT):
            code = await proc.wait()
            await asyncio.gather(*readers)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        for reader in readers:
            reader.cancel()
        await asyncio.gather(*readers, return_exceptions=True)

    assert code == 0, err.text
    assert "Traceback" not in err.text
    assert "Finished server process" in err.text
    assert "Socket Mode" in out.text
    # Ctrl-C closed the WebSocket too.
    await socket_mode.wait_closed(timeout=STEP_TIMEOUT)
    assert socket_mode.connections == 1
