"""Microsoft Teams under load: vents at once with a slow language model, and a tick of nudges.

Processes besides this one (the load client), so no two share an event loop:

- the fake Bot Framework connector (``tests.fakes.teams_connector.FakeConnector``), which records
  every activity sent to it and answers a small stats route for this script;
- Step Up: ``create_server(create_services(...))`` served by uvicorn exactly like ``stepup run``
  (INFO logs, access log on), on a temporary SQLite database, with the real Teams SDK app in local
  mode (``TEAMS_DEV_UNAUTHENTICATED=true``), the real handlers and the real coach stack:
  ``FallbackCoach(OpenAICoach, OfflineCoach)``, the OpenAI SDK's HTTP answered by an
  ``httpx2.MockTransport`` that waits ``--llm-seconds`` and then returns a valid draft;
- inbound baseline: a bare Teams SDK ``App`` (built by the same ``create_teams_app``, mounted on
  FastAPI the same way, same uvicorn configuration) whose one ``on_message`` handler sends one
  text reply;
- nudge tick: ``run_tick`` through ``TeamsNudgeSender`` on its own SQLite database seeded with
  ``--nudges`` Teams channel schedules, all due at once, each channel's conversation remembered;
- nudge baseline: the same number of nudge cards posted straight through the SDK's ``app.send``
  with the same concurrency (no database, no claiming, planning or recording).

Inbound: each round ``--people`` distinct people each send a vent to ``POST /api/messages`` at
once. The SDK answers the connector's POST only after the handler ran, so each latency covers
Step Up's whole turn: the typing indicator and the draft card sent to the connector. The
connector gives up on a bot that has not answered in 15 s; every answer must be 200 in less.
Memory is the server process's RSS from ``/proc``: after start-up and a warm-up vent (idle), its
high-water mark (peak), and after the last round; CPU is the server's user + system time during
each burst, per request (also from ``/proc``).

Nudges: one warm-up round, then ``--nudge-rounds`` rounds alternating which side goes first;
each tick round is a new week, so every schedule is due again. The fake's record must show each
channel got exactly one card per round (a second tick a minute later must send nothing).

Prints tables, then a JSON summary; exits non-zero when a check fails. The mocked model, the
vent, percentiles and the process handle are shared with ``bench_slack_acks.py``.

Run: ``.venv/bin/python bench/bench_teams.py [--people 50] [--llm-seconds 5] [--rounds 3]
[--nudges 1000] [--nudge-rounds 3] [--concurrency 50]``
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx2  # noqa: E402
from fastapi import FastAPI, Request  # noqa: E402

from bench.bench_slack_acks import (  # noqa: E402
    VENT,
    Proc,
    _configure_logging,
    _serve,
    fmt_mib,
    llm_settings,
    metric,
    percentile,
    slow_coach,
)
from tests.helpers.teams_activities import Sender  # noqa: E402

if TYPE_CHECKING:
    from bot.settings import Settings

CONNECTOR_GIVES_UP_S = 15.0
NUDGE_TENANT = "bench-nudge-tenant"
DUE = dt.datetime(2026, 11, 27, 21, 0, 10, tzinfo=dt.UTC)  # Friday 15:00 America/Chicago
DRAFT_MARK = "Proposed fix"  # a heading only the draft card carries
BARE_REPLY = "Thanks, got it."
RESULT_PREFIX = "BENCH "


def _user(tag: str, i: int) -> str:
    return f"29:bench-{tag}-{i:04d}"


def _channel(n: int) -> str:
    return f"19:bench-{n:05d}@thread.tacv2"


def _local_teams_settings(**overrides: Any) -> Settings:
    from bot.settings import load_settings

    # Explicit Nones: no Slack surface and no Azure registration, whatever the environment says.
    return load_settings(
        slack_bot_token=None,
        slack_signing_secret=None,
        slack_app_token=None,
        slack_client_id=None,
        slack_client_secret=None,
        teams_client_id=None,
        teams_client_secret=None,
        teams_tenant_id=None,
        teams_dev_unauthenticated=True,
        **overrides,
    )


# ------------------------------------------------------------------------------------------
# Server processes (``--role``)


async def role_fake(port_file: Path) -> None:
    import uvicorn
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Mount, Route

    from bench.bench_slack_acks import _listen
    from tests.fakes.teams_connector import ADAPTIVE_CARD, DELIVERED, FakeConnector

    fake = FakeConnector()

    async def mark(request: Request) -> JSONResponse:
        return JSONResponse({"calls": len(fake.calls)})

    async def stats(request: Request) -> JSONResponse:
        """What was delivered since call number ``start``, per conversation starting ``prefix``."""
        calls = fake.calls[int(request.query_params.get("start", "0")) :]
        prefix = request.query_params.get("prefix", "")
        needle = request.query_params.get("needle")
        per: dict[str, Counter[str]] = {}
        for call in calls:
            cid = call.conversation_id or ""
            if not call.ok or call.operation not in DELIVERED or not cid.startswith(prefix):
                continue
            body = call.body or {}
            cards = [
                a.get("content") or {}
                for a in body.get("attachments") or []
                if a.get("contentType") == ADAPTIVE_CARD
            ]
            counts = per.setdefault(cid, Counter())
            if cards:
                counts["card"] += len(cards)
                if needle and any(needle in json.dumps(card) for card in cards):
                    counts["marked_card"] += 1
            elif body.get("type") == "message":
                counts["text"] += 1
            else:
                counts[str(body.get("type"))] += 1
        return JSONResponse(
            {
                "calls": len(calls),
                "failed": sum(1 for c in calls if not c.ok),
                "operations": dict(Counter(c.operation for c in calls)),
                "conversations": {cid: dict(counts) for cid, counts in per.items()},
            }
        )

    app = Starlette(
        routes=[
            Route("/bench/mark", mark),
            Route("/bench/stats", stats),
            Mount("/", app=fake.asgi_app()),
        ]
    )
    sock = _listen()
    port = sock.getsockname()[1]
    fake._root_url = f"http://127.0.0.1:{port}"
    # Idle connections stay open for minutes at the real connector; uvicorn's default 5 s would
    # close pooled connections between rounds, and a send racing that close fails with ReadError.
    config = uvicorn.Config(app, log_level="warning", lifespan="on", timeout_keep_alive=300)
    server = uvicorn.Server(config)
    port_file.write_text(str(port))
    await server.serve(sockets=[sock])


async def role_stepup(port_file: Path, database: Path, llm_seconds: float) -> None:
    from bot.app import create_services
    from bot.runtime import open_runtime
    from bot.server import create_server

    _configure_logging()
    settings = _local_teams_settings(
        database_url=f"sqlite:///{database}", **llm_settings(llm_seconds)
    )
    coach = slow_coach(settings, llm_seconds)
    runtime = await open_runtime(settings)
    try:
        app = create_server(create_services(runtime, coach=coach))
        await _serve(app, port_file, settings.log_level.lower())
    finally:
        await runtime.close()


async def role_bare(port_file: Path) -> None:
    from microsoft_teams.api.activities.message.message import MessageActivity
    from microsoft_teams.apps import ActivityContext

    from bot.teams.app import create_teams_app

    _configure_logging()
    server = FastAPI(docs_url=None, redoc_url=None)
    teams = create_teams_app(_local_teams_settings(), server)

    @teams.on_message
    async def on_message(ctx: ActivityContext[MessageActivity]) -> None:
        await ctx.send(BARE_REPLY)

    await _serve(server, port_file, "info")


# --- nudge workers: driven over stdin, one JSON line per round on stdout ---


def _emit(result: dict[str, Any]) -> None:
    sys.stdout.write(RESULT_PREFIX + json.dumps(result) + "\n")
    sys.stdout.flush()


async def _worker_loop(run: Callable[[int], Awaitable[dict[str, Any]]]) -> None:
    _emit({"ready": True})
    while True:
        line = (await asyncio.to_thread(sys.stdin.readline)).split()
        if not line or line[0] != "round":
            return
        _emit(await run(int(line[1])))


async def _seed_channels(sessions: Any, service_url: str, count: int) -> None:
    from sqlalchemy import insert

    from bot.store.database import transaction
    from bot.store.models import NudgeSchedule, TeamsConversationRef, Workspace

    async with transaction(sessions) as session:
        workspace = Workspace(platform="teams", external_id=NUDGE_TENANT, name="bench")
        session.add(workspace)
        await session.flush()
        await session.execute(
            insert(NudgeSchedule),
            [
                {
                    "workspace_id": workspace.id,
                    "kind": "channel",
                    "channel_id": _channel(n),
                    "weekday": 4,
                    "local_time": dt.time(15, 0),
                    "timezone": "America/Chicago",
                    "enabled": True,
                    "created_by": "29:bench-admin",
                }
                for n in range(count)
            ],
        )
        # As remember_conversation leaves them after Step Up saw each channel once.
        await session.execute(
            insert(TeamsConversationRef),
            [
                {
                    "workspace_id": workspace.id,
                    "conversation_id": _channel(n),
                    "service_url": service_url.rstrip("/"),
                    "reference": {
                        "kind": "channel",
                        "conversation_name": f"techs {n}",
                        "team_id": f"19:team-{n}@thread.tacv2",
                        "team_name": "Pharmacy",
                    },
                }
                for n in range(count)
            ],
        )


async def role_tick(fake_url: str, database: Path, nudges: int, concurrency: int) -> None:
    from sqlalchemy import func, select

    from bot.nudges.tick import run_tick
    from bot.runtime import open_runtime
    from bot.store.database import transaction
    from bot.store.models import NudgeDelivery
    from bot.teams.app import create_teams_app, ready
    from bot.teams.sender import TeamsNudgeSender

    _configure_logging()
    settings = _local_teams_settings(database_url=f"sqlite:///{database}")
    runtime = await open_runtime(settings)
    sessions = runtime.sessions
    await _seed_channels(sessions, fake_url, nudges)
    # As the scheduler builds it (bot.teams.sender.build_teams_sender): one per process.
    sender = TeamsNudgeSender(await ready(create_teams_app(settings)), sessions)

    async def sent_rows() -> int:
        async with transaction(sessions) as session:
            query = select(func.count()).select_from(NudgeDelivery)
            return int(await session.scalar(query.where(NudgeDelivery.status == "sent")) or 0)

    async def run(n: int) -> dict[str, Any]:
        now = DUE + dt.timedelta(weeks=n)
        before = await sent_rows()
        started = time.perf_counter()
        report = await run_tick(
            sessions,
            sender,
            now=now,
            worker_id="bench",
            platforms=("teams",),
            concurrency=concurrency,
        )
        seconds = time.perf_counter() - started
        again = await run_tick(
            sessions,
            sender,
            now=now + dt.timedelta(minutes=1),
            worker_id="bench-2",
            platforms=("teams",),
            concurrency=concurrency,
        )
        return {
            "seconds": seconds,
            "planning_s": report.planning_s,
            "due": report.due,
            "claimed": report.claimed,
            "sent": report.sent,
            "failed": report.failed,
            "errors": report.errors[:5],
            "rows_sent": await sent_rows() - before,
            "retick_sent": again.sent,
            "retick_claimed": again.claimed,
        }

    try:
        await _worker_loop(run)
    finally:
        await runtime.close()


async def role_sendbase(fake_url: str, nudges: int, concurrency: int) -> None:
    from microsoft_teams.api.activities.message.message import MessageActivityInput
    from microsoft_teams.api.models.attachment.attachment import Attachment

    from bot.nudges.service import load_questions
    from bot.teams.app import create_teams_app, ready
    from bot.teams.cards import card_attachment, nudge_card

    _configure_logging()
    app = await ready(create_teams_app(_local_teams_settings()))
    attachment = Attachment.model_validate(card_attachment(nudge_card(load_questions()[0])))
    service_url = fake_url.rstrip("/")

    async def run(n: int) -> dict[str, Any]:
        gate = asyncio.Semaphore(concurrency)

        async def one(k: int) -> None:
            async with gate:
                activity = MessageActivityInput().add_attachments(attachment)
                await app.send(_channel(k), activity, service_url=service_url)

        started = time.perf_counter()
        results = await asyncio.gather(*(one(k) for k in range(nudges)), return_exceptions=True)
        seconds = time.perf_counter() - started
        failures = [r for r in results if isinstance(r, BaseException)]
        return {
            "seconds": seconds,
            "sent": nudges - len(failures),
            "failed": len(failures),
            "errors": sorted({type(e).__name__ for e in failures}),
        }

    await _worker_loop(run)


# ------------------------------------------------------------------------------------------
# The load client


@dataclass
class Worker:
    """A nudge worker process, given one round at a time."""

    name: str
    process: asyncio.subprocess.Process
    log: Path

    async def result(self, timeout: float) -> dict[str, Any]:
        assert self.process.stdout is not None
        async with asyncio.timeout(timeout):
            while True:
                line = (await self.process.stdout.readline()).decode()
                if not line:
                    raise RuntimeError(f"{self.name} exited:\n{self.log.read_text()[-3000:]}")
                if line.startswith(RESULT_PREFIX):
                    return dict(json.loads(line.removeprefix(RESULT_PREFIX)))

    async def round(self, n: int, timeout: float) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(f"round {n}\n".encode())
        await self.process.stdin.drain()
        return await self.result(timeout)

    async def stop(self) -> None:
        if self.process.returncode is not None:
            return
        if self.process.stdin is not None and not self.process.stdin.is_closing():
            self.process.stdin.write(b"quit\n")
            self.process.stdin.close()
        try:
            await asyncio.wait_for(self.process.wait(), 10)
        except TimeoutError:
            self.process.terminate()
            try:
                await asyncio.wait_for(self.process.wait(), 10)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()


async def start(name: str, workdir: Path, *args: str) -> Proc:
    """Start a server role of this script; return once uvicorn answers on its port."""
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
    proc = Proc(name, process, "", log)
    try:
        deadline = time.monotonic() + 120
        while not port_file.exists() or not port_file.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start:\n{log.read_text()}")
            await asyncio.sleep(0.05)  # start-up only, never inside a measurement
        proc.url = f"http://127.0.0.1:{port_file.read_text()}"
        async with httpx2.AsyncClient() as http:
            while True:
                try:
                    await http.get(proc.url + "/healthz", timeout=1)
                    break
                except httpx2.TransportError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"{name} did not start:\n{log.read_text()}") from None
                    await asyncio.sleep(0.05)
    except BaseException:
        proc.stop()
        raise
    return proc


async def start_worker(name: str, workdir: Path, *args: str) -> Worker:
    log = workdir / f"{name}.log"
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    with log.open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            __file__,
            "--role",
            name,
            *args,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=out,
            cwd=workdir,  # no stray .env is read
            env=env,
        )
    worker = Worker(name, process, log)
    try:
        await worker.result(timeout=120)  # {"ready": true} once seeded and initialized
    except BaseException:
        await worker.stop()
        raise
    return worker


async def fake_mark(fake: Proc) -> int:
    async with httpx2.AsyncClient() as http:
        return int((await http.get(f"{fake.url}/bench/mark")).json()["calls"])


async def fake_stats(
    fake: Proc, start: int, prefix: str, needle: str | None = None
) -> dict[str, Any]:
    params = {"start": str(start), "prefix": prefix}
    if needle:
        params["needle"] = needle
    async with httpx2.AsyncClient(timeout=30) as http:
        return dict((await http.get(f"{fake.url}/bench/stats", params=params)).json())


@dataclass
class InboundRound:
    latencies_ms: list[float]
    statuses: list[int]
    delivered: dict[str, dict[str, int]]
    people: int
    cpu_s: float
    """CPU time (user + system) the server process used during the burst."""


def cpu_seconds(proc: Proc) -> float:
    """User + system CPU seconds the process has used so far (``/proc/PID/stat``)."""
    fields = Path(f"/proc/{proc.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def burst(url: str, activities: list[dict[str, Any]]) -> tuple[list[float], list[int]]:
    """POST every activity at once, each on its own connection; return latencies and statuses."""
    limits = httpx2.Limits(max_connections=len(activities) + 10, max_keepalive_connections=0)
    bodies = [json.dumps(a).encode() for a in activities]  # serialized first: the burst only sends
    headers = {"content-type": "application/json"}
    async with httpx2.AsyncClient(base_url=url, limits=limits, timeout=60) as http:
        gate = asyncio.Event()

        async def one(body: bytes) -> tuple[float, int]:
            await gate.wait()
            started = time.perf_counter()
            try:
                response = await http.post("/api/messages", content=body, headers=headers)
                status = response.status_code
            except httpx2.HTTPError:
                status = 0
            return (time.perf_counter() - started) * 1000, status

        tasks = [asyncio.create_task(one(body)) for body in bodies]
        await asyncio.sleep(0)  # let every task reach the gate
        gate.set()
        results = await asyncio.gather(*tasks)
    return [r[0] for r in results], [r[1] for r in results]


async def inbound_round(
    server: Proc, fake: Proc, service_url: str, tag: str, people: int
) -> InboundRound:
    activities = [
        Sender(service_url=service_url, user_id=_user(tag, i), user_name=f"Tech {i}").message(VENT)
        for i in range(people)
    ]
    start_at = await fake_mark(fake)
    cpu_before = cpu_seconds(server)
    latencies, statuses = await burst(server.url, activities)
    cpu = cpu_seconds(server) - cpu_before
    # The SDK answers only after the handler's sends were answered: nothing is left to wait for.
    stats = await fake_stats(fake, start_at, f"a:personal-29:bench-{tag}-", DRAFT_MARK)
    return InboundRound(latencies, statuses, stats["conversations"], people, cpu)


def replies_ok(r: InboundRound, want: dict[str, int]) -> int:
    """How many of the round's people got exactly ``want`` (e.g. one typing, one draft card)."""
    return sum(1 for counts in r.delivered.values() if counts == want)


STEPUP_WANT = {"typing": 1, "card": 1, "marked_card": 1}
BARE_WANT = {"text": 1}


async def run_inbound(args: argparse.Namespace, work: Path, fake: Proc) -> dict[str, Any]:
    service_url = fake.url
    procs: list[Proc] = []
    try:
        stepup = await start(
            "stepup",
            work,
            "--database",
            str(work / "stepup.db"),
            "--llm-seconds",
            str(args.llm_seconds),
        )
        procs.append(stepup)
        bare = await start("bare", work)
        procs.append(bare)

        # Warm-up: one message each (the SDK app initializes on its first request).
        warm_bare = await inbound_round(bare, fake, service_url, "WB", 1)
        warm = await inbound_round(stepup, fake, service_url, "WS", 1)
        if warm.statuses != [200] or replies_ok(warm, STEPUP_WANT) != 1:
            raise RuntimeError(f"Step Up warm-up failed: {warm}\n{stepup.log.read_text()[-3000:]}")
        if warm_bare.statuses != [200] or replies_ok(warm_bare, BARE_WANT) != 1:
            raise RuntimeError(f"bare warm-up failed: {warm_bare}\n{bare.log.read_text()[-3000:]}")
        idle = {"bare": bare.memory_kib()["VmRSS"], "stepup": stepup.memory_kib()["VmRSS"]}

        rounds: dict[str, list[InboundRound]] = {"bare": [], "stepup": []}
        for n in range(args.rounds):
            bare_round = await inbound_round(bare, fake, service_url, f"B{n}", args.people)
            rounds["bare"].append(bare_round)
            rounds["stepup"].append(
                await inbound_round(stepup, fake, service_url, f"S{n}", args.people)
            )
        memory = {"bare": bare.memory_kib(), "stepup": stepup.memory_kib()}
        async with httpx2.AsyncClient() as http:
            metrics = (await http.get(f"{stepup.url}/metrics")).text
    finally:
        for proc in reversed(procs):
            proc.stop()
    log_lines = stepup.log.read_text().splitlines()
    return {
        "rounds": rounds,
        "idle": idle,
        "memory": memory,
        "metrics": metrics,
        "errors": sum(1 for line in log_lines if " ERROR " in line or "Traceback" in line),
    }


async def run_nudges(args: argparse.Namespace, work: Path, fake: Proc) -> dict[str, Any]:
    common = ["--fake-url", fake.url, "--nudges", str(args.nudges)]
    common += ["--concurrency", str(args.concurrency)]
    workers: list[Worker] = []
    results: dict[str, list[dict[str, Any]]] = {"tick": [], "sendbase": []}
    timeout = max(120.0, args.nudges / 5)
    try:
        workers.append(
            await start_worker("tick", work, *common, "--database", str(work / "nudges.db"))
        )
        workers.append(await start_worker("sendbase", work, *common))
        tick, base = workers
        for n in range(args.nudge_rounds + 1):  # round 0 warms both up and is not counted
            for worker in (tick, base) if n % 2 else (base, tick):
                start_at = await fake_mark(fake)
                result = await worker.round(n, timeout)
                stats = await fake_stats(fake, start_at, "19:bench-")
                counts = stats["conversations"]
                result["channels"] = len(counts)
                result["exactly_once"] = sum(1 for c in counts.values() if c == {"card": 1})
                result["connector_failed"] = stats["failed"]
                result["round"] = n
                if n:
                    results[worker.name].append(result)
    finally:
        for worker in reversed(workers):
            await worker.stop()
    return results


async def main(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-teams-") as tmp:
        work = Path(tmp)
        fake = await start("fake", work)
        try:
            inbound = await run_inbound(args, work, fake)
            nudges = await run_nudges(args, work, fake)
        finally:
            fake.stop()
    return report(args, inbound, nudges, time.perf_counter() - started)


def _ms(values: list[float]) -> dict[str, float]:
    return {
        "p50": percentile(values, 50),
        "p99": percentile(values, 99),
        "max": max(values),
        "min": min(values),
    }


def report(
    args: argparse.Namespace,
    inbound: dict[str, Any],
    nudges: dict[str, list[dict[str, Any]]],
    elapsed: float,
) -> int:
    rounds: dict[str, list[InboundRound]] = inbound["rounds"]
    labels = {"bare": "baseline: bare Teams SDK App (one text reply)", "stepup": "Step Up"}
    wants = {"bare": BARE_WANT, "stepup": STEPUP_WANT}
    checks: dict[str, bool] = {}
    summary: dict[str, Any] = {"people": args.people, "llm_seconds": args.llm_seconds}

    print(
        f"{args.people} people send a vent at once, mocked LLM {args.llm_seconds:g} s per reply, "
        f"{args.rounds} rounds (medians over rounds; nearest-rank percentiles per round)"
    )
    print()
    print("| server | p50 | p99 | max | all 200 in < 15 s | replies as expected |")
    print("|---|---|---|---|---|---|")
    for name in ("bare", "stepup"):
        per_round = [_ms(r.latencies_ms) for r in rounds[name]]
        med = {k: statistics.median(p[k] for p in per_round) for k in ("p50", "p99", "max")}
        total = sum(len(r.statuses) for r in rounds[name])
        good = sum(
            1
            for r in rounds[name]
            for s, ms in zip(r.statuses, r.latencies_ms, strict=True)
            if s == 200 and ms < CONNECTOR_GIVES_UP_S * 1000
        )
        replied = sum(replies_ok(r, wants[name]) for r in rounds[name])
        checks[f"inbound_{name}_all_200_under_15s"] = good == total
        checks[f"inbound_{name}_replies_delivered"] = replied == total
        print(
            f"| {labels[name]} | {med['p50']:.0f} ms | {med['p99']:.0f} ms | {med['max']:.0f} ms "
            f"| {good}/{total} | {replied}/{total} |"
        )
        summary[name] = {
            "p50_ms": med["p50"],
            "p99_ms": med["p99"],
            "max_ms": med["max"],
            "per_round": per_round,
            "answered_200_under_15s": good,
            "requests": total,
            "replies_as_expected": replied,
            "cpu_ms_per_request": statistics.median(
                r.cpu_s * 1000 / len(r.statuses) for r in rounds[name]
            ),
            "idle_rss_mib": inbound["idle"][name] / 1024,
            "peak_rss_mib": inbound["memory"][name]["VmHWM"] / 1024,
            "last_rss_mib": inbound["memory"][name]["VmRSS"] / 1024,
        }
    floor_ms = args.llm_seconds * 1000 + summary["bare"]["p50_ms"]
    ratio = summary["stepup"]["p50_ms"] / floor_ms
    summary["p50_over_llm_plus_bare_p50"] = ratio
    print()
    for name in ("bare", "stepup"):
        each = "; ".join(
            f"{p['min']:.0f}/{p['p50']:.0f}/{p['p99']:.0f}/{p['max']:.0f}"
            for p in summary[name]["per_round"]
        )
        print(f"min/p50/p99/max per round, {labels[name]}: {each} ms")
    print(
        f"Step Up p50 / (LLM {args.llm_seconds:g} s + bare p50 {summary['bare']['p50_ms']:.0f} ms)"
        f": {ratio:.3f}x; Step Up adds {summary['stepup']['p50_ms'] - floor_ms:.0f} ms at p50"
    )
    print(
        "server CPU per request (user + system, median over rounds): "
        + ", ".join(
            f"{labels[name]} {summary[name]['cpu_ms_per_request']:.1f} ms"
            for name in ("bare", "stepup")
        )
    )
    fallbacks = metric(inbound["metrics"], "stepup_coach_fallbacks_total")
    openai_replies = sum(
        float(line.rsplit(" ", 1)[1])
        for line in inbound["metrics"].splitlines()
        if line.startswith("stepup_coach_replies_total") and 'coach="openai"' in line
    )
    vents = args.people * args.rounds + 1
    checks["inbound_every_reply_from_the_llm"] = openai_replies == vents and fallbacks == 0
    print(
        f"coach: {openai_replies:.0f} of {vents} replies from the (mocked) OpenAI coach, "
        f"{fallbacks:.0f} fallbacks to offline; Step Up log: {inbound['errors']} error lines"
    )
    checks["inbound_no_error_lines"] = inbound["errors"] == 0
    summary["coach"] = {"openai_replies": openai_replies, "fallbacks": fallbacks}
    print()
    print("| server RSS | idle (after warm-up) | peak (high-water mark) | after the last round |")
    print("|---|---|---|---|")
    for name in ("bare", "stepup"):
        print(
            f"| {labels[name]} | {fmt_mib(inbound['idle'][name])} "
            f"| {fmt_mib(inbound['memory'][name]['VmHWM'])} "
            f"| {fmt_mib(inbound['memory'][name]['VmRSS'])} |"
        )

    print()
    print(
        f"{args.nudges} Teams channel nudges due in one tick, {args.concurrency} sends in flight, "
        f"{args.nudge_rounds} rounds after a warm-up (medians)"
    )
    print()
    print("| path | time | nudges/s | delivered exactly once |")
    print("|---|---|---|---|")
    nudge_labels = {
        "sendbase": "baseline: SDK app.send alone (same cards, same concurrency)",
        "tick": "run_tick through TeamsNudgeSender",
    }
    nudge_summary: dict[str, Any] = {"nudges": args.nudges, "concurrency": args.concurrency}
    for name in ("sendbase", "tick"):
        results = nudges[name]
        seconds = statistics.median(r["seconds"] for r in results)
        once = sum(r["exactly_once"] for r in results)
        total = args.nudges * len(results)
        clean = all(
            r["exactly_once"] == args.nudges
            and r["channels"] == args.nudges
            and r["sent"] == args.nudges
            and r["failed"] == 0
            and r["connector_failed"] == 0
            for r in results
        )
        if name == "tick":
            clean = clean and all(
                r["rows_sent"] == args.nudges and r["retick_sent"] == 0 and r["retick_claimed"] == 0
                for r in results
            )
        checks[f"nudges_{name}_exactly_once"] = clean
        print(
            f"| {nudge_labels[name]} | {seconds:.2f} s | {args.nudges / seconds:.0f} "
            f"| {once}/{total} |"
        )
        nudge_summary[name] = {
            "seconds": seconds,
            "per_second": args.nudges / seconds,
            "per_round_s": [r["seconds"] for r in results],
            "rounds": results,
        }
    tick_ratio = nudge_summary["tick"]["seconds"] / nudge_summary["sendbase"]["seconds"]
    nudge_summary["tick_over_baseline"] = tick_ratio
    print()
    for name in ("sendbase", "tick"):
        each = ", ".join(f"{s:.2f}" for s in nudge_summary[name]["per_round_s"])
        print(f"per round, {nudge_labels[name]}: {each} s")
    planning = statistics.median(r["planning_s"] for r in nudges["tick"]) * 1000
    print(
        f"tick / baseline: {tick_ratio:.2f}x; tick planning {planning:.0f} ms (median); "
        "a second tick a minute later sent "
        f"{sum(r['retick_sent'] for r in nudges['tick'])} in all"
    )
    summary["nudges"] = nudge_summary
    ok = all(checks.values())
    print()
    failed = [name for name, passed in checks.items() if not passed]
    print(f"checks: {'all passed' if ok else 'FAILED: ' + ', '.join(failed)}; run {elapsed:.0f} s")
    print()
    summary |= {"checks": checks, "ok": ok, "elapsed_s": elapsed}
    print(json.dumps(summary, indent=2))
    return 0 if ok else 1


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--llm-seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--nudges", type=int, default=1_000)
    parser.add_argument("--nudge-rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=50, help="nudge sends in flight")
    roles = ("fake", "stepup", "bare", "tick", "sendbase")
    parser.add_argument("--role", choices=roles, help=argparse.SUPPRESS)
    parser.add_argument("--port-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--fake-url", help=argparse.SUPPRESS)
    parser.add_argument("--database", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args()


def entry() -> int:
    args = parse_args()
    if args.role == "fake":
        asyncio.run(role_fake(args.port_file))
    elif args.role == "stepup":
        asyncio.run(role_stepup(args.port_file, args.database, args.llm_seconds))
    elif args.role == "bare":
        asyncio.run(role_bare(args.port_file))
    elif args.role == "tick":
        asyncio.run(role_tick(args.fake_url, args.database, args.nudges, args.concurrency))
    elif args.role == "sendbase":
        asyncio.run(role_sendbase(args.fake_url, args.nudges, args.concurrency))
    else:
        return asyncio.run(main(args))
    return 0


if __name__ == "__main__":
    sys.exit(entry())
