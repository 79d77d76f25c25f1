"""Slack acks under load: many people DM at once while the language model takes seconds to answer.

Three processes besides this one (the load client), so no two share an event loop:

- the fake Slack Web API (``tests.fakes.slack_api.FakeSlack``), which records every reply posted;
- Step Up: ``create_server(create_services(...))`` served by uvicorn exactly like ``stepup run``
  (INFO logs, access log on), on a temporary SQLite database, with the real Bolt app, the real
  dedupe middleware and the real coach stack: ``FallbackCoach(OpenAICoach, OfflineCoach)``, the
  OpenAI SDK's HTTP answered by an ``httpx2.MockTransport`` that waits ``--llm-seconds`` and then
  returns a valid structured completion;
- baseline: a bare Bolt ``AsyncApp`` whose one ``message`` listener only returns, mounted the same
  way (``AsyncSlackRequestHandler`` on FastAPI under the same uvicorn configuration).

Each round sends ``--people`` signed ``message.im`` events (distinct people, event ids and
channels) at once to each server and records each HTTP answer (the ack): its status and latency.
Slack retries an event that is not answered 200 within 3 s, so "no event retried" means every
answer is 200 in under 3 s. For Step Up the round ends when the fake has received one
``chat.postMessage`` per person. Memory is the server process's RSS from ``/proc``: after start-up
and one warm-up event (idle), its high-water mark (peak), and after the last round.

Run: ``.venv/bin/python bench/bench_slack_acks.py [--people 50] [--llm-seconds 5] [--rounds 3]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx2  # noqa: E402
import uvicorn  # noqa: E402
from fastapi import FastAPI, Request  # noqa: E402
from fastapi.responses import Response  # noqa: E402

from tests.fakes.slack_api import TEST_BOT_TOKEN, FakeSlack  # noqa: E402
from tests.helpers.slack_signing import SIGNING_SECRET, event_body, signed_headers  # noqa: E402

SLACK_RETRY_AFTER_S = 3.0
P99_TARGET_MS = 300.0
RATIO_TARGET = 2.0
VENT = (
    "Tonight the Pyxis on West had no heparin flushes again, nursing blamed us, and I spent the "
    "whole shift running doses up instead of checking orders."
)
# What the mocked model answers: a valid draft with no number the vent does not contain.
MODEL_CONTENT = json.dumps(
    {
        "kind": "draft",
        "acknowledgement": "That sounds like an exhausting shift.",
        "draft": {
            "problem": "The Pyxis on West ran out of heparin flushes and doses went up by hand.",
            "proposed_fix": "Review the heparin flush par level for West with nursing.",
            "my_role": "I can keep a tally of the stockouts and bring it to the review.",
        },
        "questions": [],
        "themes": ["adc_stockouts", "nursing_communication"],
    }
)


# ------------------------------------------------------------------------------------------
# Server processes (``--role``)


def _listen() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    return sock


async def _serve(app: Any, port_file: Path, log_level: str) -> None:
    """Serve ``app`` on a fresh localhost port and write the port to ``port_file``."""
    sock = _listen()
    server = uvicorn.Server(uvicorn.Config(app, log_level=log_level, lifespan="on"))
    port_file.write_text(str(sock.getsockname()[1]))
    await server.serve(sockets=[sock])


def _configure_logging() -> None:
    # As `stepup run` does with the default LOG_LEVEL=INFO.
    logging.basicConfig(
        level="INFO", format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True
    )


async def role_fake(port_file: Path) -> None:
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Mount, Route

    fake = FakeSlack()

    async def stats(request: Request) -> JSONResponse:
        since = float(request.query_params.get("since", "0"))
        posts = [c for c in fake.calls_to("chat.postMessage") if c.at >= since]
        return JSONResponse(
            {
                "posts": len(posts),
                "posts_ok": sum(1 for c in posts if c.ok),
                "last_post_at": max((c.at for c in posts), default=None),
                "calls": {
                    method: sum(1 for c in fake.calls if c.method == method and c.at >= since)
                    for method in sorted({c.method for c in fake.calls})
                },
            }
        )

    app = Starlette(routes=[Route("/bench/stats", stats), Mount("/", app=fake.asgi_app())])
    sock = _listen()
    port = sock.getsockname()[1]
    fake._root_url = f"http://127.0.0.1:{port}"
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    port_file.write_text(str(port))
    await server.serve(sockets=[sock])


def _slow_model(llm_seconds: float) -> Callable[[httpx2.Request], Any]:
    body = {
        "id": "chatcmpl-bench",
        "object": "chat.completion",
        "created": 1_767_000_000,
        "model": "bench-model",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": MODEL_CONTENT, "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
    }

    async def handler(request: httpx2.Request) -> httpx2.Response:
        await asyncio.sleep(llm_seconds)
        return httpx2.Response(200, json=body)

    return handler


def llm_settings(llm_seconds: float) -> dict[str, Any]:
    """Return the settings that select the OpenAI coach, answered by the mocked model."""
    return {
        "coach": "openai",
        "openai_api_key": "sk-bench-not-a-real-key",
        "openai_base_url": "http://llm.bench/v1",
        "llm_timeout_s": max(8.0, llm_seconds + 3.0),
    }


def slow_coach(settings: Any, llm_seconds: float) -> Any:
    """Return the production coach stack with the model answering after ``llm_seconds``."""
    from bot.coaching.fallback import FallbackCoach
    from bot.coaching.offline import OfflineCoach
    from bot.coaching.openai_coach import OpenAICoach
    from bot.llm.structured import build_structured_llm

    llm = build_structured_llm(
        api_key="sk-bench-not-a-real-key",
        base_url=settings.openai_base_url,
        model=settings.openai_model,
        timeout_s=settings.llm_timeout_s,
        http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(_slow_model(llm_seconds))),
    )
    return FallbackCoach(
        primary=OpenAICoach(llm=llm), fallback=OfflineCoach(), timeout_s=settings.llm_timeout_s
    )


async def role_stepup(port_file: Path, fake_url: str, database: Path, llm_seconds: float) -> None:
    from bot.app import create_services
    from bot.runtime import open_runtime
    from bot.server import create_server
    from bot.settings import load_settings

    _configure_logging()
    settings = load_settings(
        database_url=f"sqlite:///{database}",
        slack_bot_token=TEST_BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake_url,
        slack_app_token=None,
        slack_client_id=None,
        slack_client_secret=None,
        teams_client_id=None,
        **llm_settings(llm_seconds),
    )
    coach = slow_coach(settings, llm_seconds)
    runtime = await open_runtime(settings)
    try:
        # No slack_client: the Web API client comes from SLACK_API_URL, as in production.
        app = create_server(create_services(runtime, coach=coach))
        await _serve(app, port_file, settings.log_level.lower())
    finally:
        await runtime.close()


async def role_bare(port_file: Path, fake_url: str) -> None:
    # FastAPI resolves the route's annotations from this module's globals (imported above).
    from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    _configure_logging()
    client = AsyncWebClient(token=TEST_BOT_TOKEN, base_url=fake_url)
    bolt = AsyncApp(signing_secret=SIGNING_SECRET, client=client)

    @bolt.event("message")
    async def on_message() -> None:
        return None

    handler = AsyncSlackRequestHandler(bolt)
    server = FastAPI(docs_url=None, redoc_url=None)

    @server.post("/slack/events")
    async def slack_events(request: Request) -> Response:
        return await handler.handle(request)

    await _serve(server, port_file, "info")


# ------------------------------------------------------------------------------------------
# The load client


@dataclass
class Proc:
    name: str
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def memory_kib(self) -> dict[str, int]:
        """VmRSS (now) and VmHWM (peak) of the process, in KiB."""
        values: dict[str, int] = {}
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
        return values

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


async def start(name: str, workdir: Path, *args: str) -> Proc:
    port_file = workdir / f"{name}.port"
    log = workdir / f"{name}.log"
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, __file__, "--role", name, "--port-file", str(port_file), *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=workdir,  # no stray .env is read
            env=env,
        )
    deadline = time.monotonic() + 60
    while not port_file.exists() or not port_file.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{name} did not start:\n{log.read_text()}")
        await asyncio.sleep(0.05)
    url = f"http://127.0.0.1:{port_file.read_text()}"
    async with httpx2.AsyncClient() as http:  # wait until uvicorn answers
        while True:
            try:
                await http.get(url + "/", timeout=1)
                break
            except httpx2.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{name} did not start:\n{log.read_text()}") from None
                await asyncio.sleep(0.05)
    return Proc(name, process, url, log)


@dataclass
class Round:
    latencies_ms: list[float]
    statuses: list[int]
    replies: int | None = None
    last_reply_s: float | None = None
    calls: dict[str, int] = field(default_factory=dict)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p99 of 50 values is the largest but none)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def bodies(tag: str, people: int) -> list[bytes]:
    now = int(time.time())
    return [
        event_body(
            event_id=f"Ev{tag}{i:04d}",
            event_time=now,
            team_id="T123ABC456",
            user=f"U{tag}{i:04d}",
            channel=f"D{tag}{i:04d}",
            text=VENT,
            ts=f"{now}.{i:06d}",
            event_ts=f"{now}.{i:06d}",
        )
        for i in range(people)
    ]


async def burst(url: str, payloads: list[bytes]) -> tuple[list[float], list[int]]:
    """POST every payload at once, each on its own connection; return latencies and statuses."""
    limits = httpx2.Limits(max_connections=len(payloads) + 10, max_keepalive_connections=0)
    async with httpx2.AsyncClient(base_url=url, limits=limits, timeout=30) as http:
        # Sign first so the burst is only sending.
        signed = [(body, signed_headers(SIGNING_SECRET, body)) for body in payloads]
        gate = asyncio.Event()

        async def one(body: bytes, headers: dict[str, str]) -> tuple[float, int]:
            await gate.wait()
            started = time.perf_counter()
            try:
                response = await http.post("/slack/events", content=body, headers=headers)
                status = response.status_code
            except httpx2.HTTPError:
                status = 0
            return (time.perf_counter() - started) * 1000, status

        tasks = [asyncio.create_task(one(body, headers)) for body, headers in signed]
        await asyncio.sleep(0)
        gate.set()
        results = await asyncio.gather(*tasks)
    return [r[0] for r in results], [r[1] for r in results]


async def fake_stats(fake: Proc, since: float) -> dict[str, Any]:
    async with httpx2.AsyncClient() as http:
        response = await http.get(f"{fake.url}/bench/stats", params={"since": since})
        return dict(response.json())


async def wait_replies(fake: Proc, since: float, count: int, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        stats = await fake_stats(fake, since)
        if stats["posts"] >= count or time.monotonic() > deadline:
            return stats
        await asyncio.sleep(0.05)


async def run_round(
    server: Proc, fake: Proc, tag: str, people: int, *, replies: bool, llm_seconds: float
) -> Round:
    payloads = bodies(tag, people)
    since = time.monotonic()
    latencies, statuses = await burst(server.url, payloads)
    result = Round(latencies, statuses)
    if replies:
        stats = await wait_replies(fake, since, people, timeout=llm_seconds + 30)
        result.replies = int(stats["posts_ok"])
        if stats["last_post_at"] is not None:
            result.last_reply_s = float(stats["last_post_at"]) - since
        result.calls = dict(stats["calls"])
    else:
        await asyncio.sleep(0.5)  # let the bare app's (empty) listeners finish
        result.calls = dict((await fake_stats(fake, since))["calls"])
    return result


def metric(text: str, name: str) -> float:
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name) and not line.startswith("#"):
            total += float(line.rsplit(" ", 1)[1])
    return total


def fmt_mib(kib: float) -> str:
    return f"{kib / 1024:.0f} MiB"


async def main(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-slack-") as tmp:
        work = Path(tmp)
        procs: list[Proc] = []
        try:
            fake = await start("fake", work)
            procs.append(fake)
            fake_url = f"{fake.url}/api/"
            stepup = await start(
                "stepup",
                work,
                "--fake-url",
                fake_url,
                "--database",
                str(work / "stepup.db"),
                "--llm-seconds",
                str(args.llm_seconds),
            )
            procs.append(stepup)
            bare = await start("bare", work, "--fake-url", fake_url)
            procs.append(bare)

            # Warm-up: one DM each (Bolt's first request calls auth.test, then caches it).
            await run_round(bare, fake, "WB", 1, replies=False, llm_seconds=args.llm_seconds)
            warm = await run_round(
                stepup, fake, "WS", 1, replies=True, llm_seconds=args.llm_seconds
            )
            if warm.statuses != [200] or warm.replies != 1:
                print(f"warm-up failed: {warm}; see {stepup.log}", file=sys.stderr)
                print(stepup.log.read_text()[-3000:], file=sys.stderr)
                return 1
            idle = {"bare": bare.memory_kib()["VmRSS"], "stepup": stepup.memory_kib()["VmRSS"]}

            rounds: dict[str, list[Round]] = {"bare": [], "stepup": []}
            for n in range(args.rounds):
                rounds["bare"].append(
                    await run_round(bare, fake, f"B{n}", args.people, replies=False, llm_seconds=0)
                )
                rounds["stepup"].append(
                    await run_round(
                        stepup,
                        fake,
                        f"S{n}",
                        args.people,
                        replies=True,
                        llm_seconds=args.llm_seconds,
                    )
                )
            memory = {"bare": bare.memory_kib(), "stepup": stepup.memory_kib()}
            async with httpx2.AsyncClient() as http:
                metrics = (await http.get(f"{stepup.url}/metrics")).text
        finally:
            for proc in reversed(procs):
                proc.stop()
        log_text = stepup.log.read_text() if procs[1:] else ""

    report(args, rounds, idle, memory, metrics, log_text, time.perf_counter() - started)
    return 0


def report(
    args: argparse.Namespace,
    rounds: dict[str, list[Round]],
    idle: dict[str, int],
    memory: dict[str, dict[str, int]],
    metrics: str,
    log_text: str,
    elapsed: float,
) -> None:
    def med(name: str, pick: Callable[[Round], float]) -> float:
        return statistics.median(pick(r) for r in rounds[name])

    print(
        f"{args.people} people DM at once, mocked LLM {args.llm_seconds:g} s per reply, "
        f"{args.rounds} rounds (medians over rounds; nearest-rank percentiles per round)"
    )
    print()
    print("| server | p50 ack | p95 ack | p99 ack | max ack | all 200 in < 3 s |")
    print("|---|---|---|---|---|---|")
    labels = {"bare": "baseline: bare Bolt AsyncApp (ack only)", "stepup": "Step Up"}
    p99: dict[str, float] = {}
    for name in ("bare", "stepup"):
        cells = []
        for p in (50, 95, 99):
            value = med(name, lambda r, p=p: percentile(r.latencies_ms, p))
            cells.append(f"{value:.0f} ms")
            if p == 99:
                p99[name] = value
        cells.append(f"{med(name, lambda r: max(r.latencies_ms)):.0f} ms")
        ok = all(
            all(s == 200 for s in r.statuses) and max(r.latencies_ms) < SLACK_RETRY_AFTER_S * 1000
            for r in rounds[name]
        )
        total = sum(len(r.statuses) for r in rounds[name])
        good = sum(s == 200 for r in rounds[name] for s in r.statuses)
        cells.append(f"{'yes' if ok else 'NO'} ({good}/{total})")
        print(f"| {labels[name]} | " + " | ".join(cells) + " |")
    ratio = p99["stepup"] / p99["bare"]
    print()
    for name in ("bare", "stepup"):
        each = ", ".join(f"{percentile(r.latencies_ms, 99):.0f}" for r in rounds[name])
        print(f"p99 per round, {labels[name]}: {each} ms")
    print(f"p99 Step Up / bare: {ratio:.2f}x (goal <= {RATIO_TARGET:g}x)")
    replies = [r.replies or 0 for r in rounds["stepup"]]
    last = [r.last_reply_s for r in rounds["stepup"] if r.last_reply_s is not None]
    print(
        f"replies delivered (chat.postMessage ok) per round: {replies} of {args.people}; "
        f"time to last reply: {statistics.median(last):.2f} s (median)"
        if last
        else f"replies delivered per round: {replies} of {args.people}"
    )
    fallbacks = metric(metrics, "stepup_coach_fallbacks_total")
    openai_replies = sum(
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith("stepup_coach_replies_total") and 'coach="openai"' in line
    )
    print(
        f"coach: {openai_replies:.0f} replies from the (mocked) OpenAI coach, "
        f"{fallbacks:.0f} fallbacks to offline"
    )
    print(f"Web API calls per Step Up round: {rounds['stepup'][-1].calls}")
    print(f"Web API calls per bare round: {rounds['bare'][-1].calls}")
    duplicates = log_text.count("duplicate event")
    errors = sum(1 for line in log_text.splitlines() if " ERROR " in line or "Traceback" in line)
    print(f"Step Up log: {duplicates} duplicate events ignored, {errors} error lines")
    print()
    print("| server RSS | idle (after warm-up) | peak (high-water mark) | after the last round |")
    print("|---|---|---|---|")
    for name in ("bare", "stepup"):
        print(
            f"| {labels[name]} | {fmt_mib(idle[name])} | {fmt_mib(memory[name]['VmHWM'])} "
            f"| {fmt_mib(memory[name]['VmRSS'])} |"
        )
    print()
    met = p99["stepup"] < P99_TARGET_MS and ratio <= RATIO_TARGET
    print(
        f"target p99 < {P99_TARGET_MS:.0f} ms and ratio <= {RATIO_TARGET:g}x: "
        f"{'met' if met else 'MISSED'}; whole run {elapsed:.0f} s"
    )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--llm-seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--role", choices=("fake", "stepup", "bare"), help=argparse.SUPPRESS)
    parser.add_argument("--port-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--fake-url", help=argparse.SUPPRESS)
    parser.add_argument("--database", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args()


def entry() -> int:
    args = parse_args()
    if args.role == "fake":
        asyncio.run(role_fake(args.port_file))
        return 0
    if args.role == "stepup":
        asyncio.run(role_stepup(args.port_file, args.fake_url, args.database, args.llm_seconds))
        return 0
    if args.role == "bare":
        asyncio.run(role_bare(args.port_file, args.fake_url))
        return 0
    return asyncio.run(main(args))


if __name__ == "__main__":
    sys.exit(entry())
