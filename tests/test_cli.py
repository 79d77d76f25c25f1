import io
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx2
import pytest

from bot.cli import build_parser, main
from tests.paths import REPO_ROOT


def run_cli(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        code = main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(stdin))
    except SystemExit as exc:  # argparse exits on usage errors
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_unknown_command_prints_usage_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run_cli("fly")
    err = capsys.readouterr().err
    assert code == 2
    assert "usage: stepup" in err
    assert "invalid choice: 'fly'" in err
    assert "Traceback" not in err


def test_unknown_option_prints_usage_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run_cli("db", "upgrade", "--frobnicate")
    err = capsys.readouterr().err
    assert code == 2
    assert "unrecognized arguments: --frobnicate" in err


def test_every_command_has_help_text() -> None:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    helps = {action.dest: action.help for action in subparsers._choices_actions}
    assert {"run", "scheduler", "chat", "coach", "db"} <= helps.keys()
    assert all(text and len(text) > 10 for text in helps.values())


def test_db_upgrade_then_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    code, out, _ = run_cli("db", "upgrade")
    assert code == 0
    assert out.startswith("Database upgraded to")
    code, out, _ = run_cli("db", "upgrade")
    assert code == 0
    assert out.startswith("Database already at")
    code, out, _ = run_cli("db", "check")
    assert (code, out.strip()) == (0, "Models and migrations agree.")


def test_malformed_setting_is_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEFAULT_TIMEZONE", "Central Time")
    code, _, err = run_cli("db", "upgrade")
    assert code == 2
    assert err.strip().splitlines() == [
        "stepup: DEFAULT_TIMEZONE: unknown timezone 'Central Time': use an IANA name such as "
        "America/Chicago"
    ]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_database_is_one_line_naming_database_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"postgresql://nobody@127.0.0.1:{_closed_port()}/x")
    code, _, err = run_cli("db", "check")
    lines = err.strip().splitlines()
    assert code == 1
    assert len(lines) == 1
    assert lines[0].startswith("stepup: DATABASE_URL: cannot use the database (")
    assert "Traceback" not in err


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TEAMS_", "OPENAI_"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path}/run.db", HOST="127.0.0.1", **extra)
    return env


def test_run_serves_health_with_no_credentials_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    port = _closed_port()
    with subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=_env(tmp_path, PORT=str(port), PYTHONPATH=str(REPO_ROOT)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stderr is not None
        seen = []
        try:
            # uvicorn logs this line once the socket is listening.
            for line in proc.stderr:
                seen.append(line)
                if "Uvicorn running on" in line:
                    break
            else:
                pytest.fail("server did not start:\n" + "".join(seen))
            with httpx2.Client(base_url=f"http://127.0.0.1:{port}") as client:
                assert client.get("/healthz").status_code == 200
                ready = client.get("/readyz")  # pending migrations were applied at start
                assert ready.status_code == 200, ready.text
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    # Ctrl-C shuts down gracefully: connections closed, no traceback, exit code 0.
    assert proc.returncode == 0
    assert "Traceback" not in err
    assert "Finished server process" in err
    assert "no chat platform is connected yet" in out
    assert "stepup chat" in out
    assert "SLACK_BOT_TOKEN" in out


def test_debug_logging_never_turns_on_the_sdks_payload_logs() -> None:
    import logging

    from bot.commands.run import PAYLOAD_LOGGERS, configure_logging
    from bot.settings import load_settings

    names = ["", *PAYLOAD_LOGGERS]
    saved = {name: logging.getLogger(name).level for name in names}
    try:
        configure_logging(load_settings(log_level="DEBUG"))
        assert logging.getLogger("bot.teams.handlers").isEnabledFor(logging.DEBUG)
        for name in ("microsoft_teams.apps.app_process", "slack_bolt.App", "openai._base_client"):
            assert not logging.getLogger(name).isEnabledFor(logging.DEBUG), name
            assert logging.getLogger(name).isEnabledFor(logging.INFO), name
        configure_logging(load_settings(log_level="WARNING"))
        assert not logging.getLogger("microsoft_teams").isEnabledFor(logging.INFO)
    finally:
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


def test_teams_channel_nudges_from_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    from bot.runtime import open_runtime
    from bot.settings import load_settings
    from bot.teams.references import remember_conversation

    url = f"sqlite:///{tmp_path}/teams.db"
    monkeypatch.setenv("DATABASE_URL", url)
    channel = "19:pharmacy-techs@thread.tacv2"
    add = ("--workspace", "teams:tenant-1", "nudges", "add", "--channel", channel)
    when = ("--day", "fri", "--time", "15:00", "--tz", "America/Chicago")
    code, out, err = run_cli(*add, *when)
    assert code != 0 and out == ""
    assert "has not been in the Teams channel" in err and "@Step Up nudges" in err
    assert "Traceback" not in err

    async def remember() -> None:
        runtime = await open_runtime(load_settings(database_url=url))
        try:
            await remember_conversation(
                runtime.sessions,
                tenant_id="tenant-1",
                conversation_id=channel,
                service_url="https://smba.trafficmanager.net/amer/",
                kind="channel",
                conversation_name="techs",
            )
        finally:
            await runtime.close()

    asyncio.run(remember())
    code, out, err = run_cli(*add, *when)
    assert (code, err) == (0, "")
    assert f"channel {channel}" in out and "Fridays at 3:00 PM (Central)" in out
    code, out, _ = run_cli("--workspace", "teams:tenant-1", "nudges", "list")
    assert channel in out
    code, out, _ = run_cli("nudges", "list")  # the local workspace has none
    assert channel not in out


@pytest.mark.parametrize("argv", [("wins", "list"), ("--help",), ("impact", "--format", "csv")])
def test_a_closed_pipe_ends_the_command_quietly(tmp_path: Path, argv: tuple[str, ...]) -> None:
    env = _env(tmp_path, PYTHONPATH=str(REPO_ROOT))
    for n in range(3):
        subprocess.run(
            [sys.executable, "-m", "bot", "win", "add", f"trained {n + 2} new techs on the hood"],
            cwd=tmp_path,
            env=env,
            check=True,
            capture_output=True,
        )
    # The reader is gone before the command writes a byte: every write fails with EPIPE.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot", *argv],
            cwd=tmp_path,
            env=env,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert "Traceback" not in done.stderr
    assert "BrokenPipeError" not in done.stderr
    assert done.returncode in (0, 141)


def test_a_win_in_crisis_is_not_stored_and_the_cli_shows_the_resources() -> None:
    code, out, err = run_cli("win", "add", "im going to kill myself after this shift")
    assert code == 1
    assert "988" in err
    code, out, _ = run_cli("wins", "list")
    assert code == 0 and out.startswith("No wins")
