"""Benchmark: 10,000 people and 1,000 channels due in the same minute.

Seeds one Slack workspace with ``--people`` people who turned weekly DM nudges on and
``--channels`` channel schedules, all due at the same instant, then:

- planning: times the pure planning step (``plan``) over every schedule row, and the tick's own
  planning phase (queries included); target ≤ 500 ms for 10,000 schedules;
- delivery: one ``run_tick`` through the real Slack sender against the local fake Slack Web API
  with one message per second per channel and ``--workspace-limit`` messages per minute for the
  workspace, answered with 429 + Retry-After. Checks every nudge was delivered exactly once and
  compares the wall time with the minimum the limits allow (target ≤ 1.25×).

    python bench/bench_nudges.py                       # planning + delivery on a temp SQLite
    python bench/bench_nudges.py --planning-only
    python bench/bench_nudges.py --database-url postgresql://stepup@127.0.0.1:55432/stepup_bench
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select, text  # noqa: E402

from bot.nudges.roundup import ChannelNudge  # noqa: E402
from bot.nudges.service import sync_dm_schedules  # noqa: E402
from bot.nudges.tick import load_rows, plan, run_tick  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from bot.slack.app import build_client  # noqa: E402
from bot.slack.nudge_sender import SlackNudgeSender  # noqa: E402
from bot.store import migrate  # noqa: E402
from bot.store.database import create_engine, session_factory, transaction  # noqa: E402
from bot.store.models import Base, NudgeDelivery, NudgeSchedule, Person, Workspace  # noqa: E402
from tests.fakes.slack_api import DEFAULT_TEAM_ID, TEST_BOT_TOKEN, FakeSlack, fake_slack  # noqa: E402

DUE = dt.datetime(2026, 11, 27, 21, 0, 10, tzinfo=dt.UTC)  # Friday 15:00 America/Chicago
PLANNING_TARGET_S = 0.5
RATIO_TARGET = 1.25


async def seed(sessions, *, people: int, channels: int) -> None:
    async with transaction(sessions) as session:
        workspace = Workspace(platform="slack", external_id=DEFAULT_TEAM_ID, name="bench")
        session.add(workspace)
        await session.flush()
        ws = workspace.id
        await session.execute(
            insert(Person),
            [
                {
                    "workspace_id": ws,
                    "platform_user_id": f"U{n:06d}",
                    "timezone": "America/Chicago",
                    "nudge_dm_enabled": True,
                    "nudge_weekday": 4,
                    "nudge_time": dt.time(15, 0),
                }
                for n in range(people)
            ],
        )
        await session.execute(
            insert(NudgeSchedule),
            [
                {
                    "workspace_id": ws,
                    "kind": "channel",
                    "channel_id": f"C{n:06d}",
                    "weekday": 4,
                    "local_time": dt.time(15, 0),
                    "timezone": "America/Chicago",
                    "enabled": True,
                }
                for n in range(channels)
            ],
        )
    # DM schedule rows are created once, when people turn nudges on; not part of a tick's cost.
    await sync_dm_schedules(sessions, default_timezone="America/Chicago")


async def bench_planning(sessions, rounds: int = 7) -> tuple[float, float, int]:
    async with transaction(sessions) as session:
        rows = await load_rows(session)
    pure, with_query = [], []
    planned = []
    for _ in range(rounds):
        started = time.perf_counter()
        planned = plan(rows, DUE, grace=dt.timedelta(hours=6))
        pure.append(time.perf_counter() - started)
        started = time.perf_counter()
        async with transaction(sessions) as session:
            again = await load_rows(session)
        plan(again, DUE, grace=dt.timedelta(hours=6))
        with_query.append(time.perf_counter() - started)
    return statistics.median(pure), statistics.median(with_query), len(planned)


def minimum_seconds(total: int, per_min: int | None) -> float:
    # A sliding 60 s window admitting `per_min` posts: the last batch starts a whole number of
    # windows after the first. (Each channel gets one message, so 1/s per channel never binds.)
    if per_min is None:
        return 0.0
    return ((total - 1) // per_min) * 60.0


async def main(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        engine = create_engine(url)
        await migrate.upgrade(engine)
        async with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                names = ", ".join(t.name for t in Base.metadata.sorted_tables)
                await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        sessions = session_factory(engine)
        started = time.perf_counter()
        await seed(sessions, people=args.people, channels=args.channels)
        total = args.people + args.channels
        print(
            f"seeded {args.people} people + {args.channels} channels in "
            f"{time.perf_counter() - started:.1f} s ({engine.dialect.name})"
        )

        pure, with_query, due = await bench_planning(sessions)
        ok = "OK" if pure <= PLANNING_TARGET_S else "MISSED"
        print(
            f"planning {due} due of {total}: pure {pure * 1000:.0f} ms, "
            f"with the schedule query {with_query * 1000:.0f} ms "
            f"(target ≤ {PLANNING_TARGET_S * 1000:.0f} ms) {ok}"
        )
        if args.planning_only:
            await engine.dispose()
            return 0 if pure <= PLANNING_TARGET_S else 1

        fake = FakeSlack(
            rate_limit_per_channel_per_s=1.0, workspace_limit_per_min=args.workspace_limit
        )
        async with fake_slack(fake):
            client = build_client(load_settings(slack_api_url=fake.url), token=TEST_BOT_TOKEN)
            client.proxy = None
            started = time.perf_counter()
            report = await run_tick(
                sessions,
                SlackNudgeSender(client),
                now=DUE,
                worker_id="bench",
                concurrency=args.concurrency,
            )
            elapsed = time.perf_counter() - started
        posts = [c for c in fake.calls_to("chat.postMessage") if c.ok]
        refused = len(fake.calls_to("chat.postMessage")) - len(posts)
        per_channel = collections.Counter(c.params["channel"] for c in posts)
        async with transaction(sessions) as session:
            sent_rows = await session.scalar(
                select(func.count())
                .select_from(NudgeDelivery)
                .where(NudgeDelivery.status == "sent")
            )
        exactly_once = len(per_channel) == total and set(per_channel.values()) == {1}
        floor = minimum_seconds(total, args.workspace_limit)
        print(
            f"tick: {report.sent} sent, {report.failed} failed, "
            f"planning {report.planning_s * 1000:.0f} ms"
        )
        print(
            f"delivered {len(posts)} posts ({refused} answered 429), {sent_rows} rows sent, "
            f"exactly once: {exactly_once}"
        )
        ratio = elapsed / floor if floor else float("nan")
        verdict = "OK" if floor and ratio <= RATIO_TARGET else ("n/a" if not floor else "MISSED")
        print(
            f"delivery {elapsed:.1f} s vs minimum {floor:.0f} s allowed by the limits: "
            f"{ratio:.2f}x (target ≤ {RATIO_TARGET}x) {verdict}"
        )
        if not args.no_baseline:
            baseline = await bare_sender(total, args.workspace_limit, args.concurrency)
            print(
                f"baseline (same sender, same fake and limits, no database): {baseline:.1f} s; "
                f"the tick took {elapsed / baseline:.2f}x that"
            )
        await engine.dispose()
        return 0 if exactly_once and report.failed == 0 else 1


async def bare_sender(total: int, workspace_limit: int, concurrency: int) -> float:
    """Post ``total`` nudges with the Slack sender alone (no database, no tick), same limits."""
    fake = FakeSlack(rate_limit_per_channel_per_s=1.0, workspace_limit_per_min=workspace_limit)
    async with fake_slack(fake):
        client = build_client(load_settings(slack_api_url=fake.url), token=TEST_BOT_TOKEN)
        client.proxy = None
        sender = SlackNudgeSender(client)
        gate = asyncio.Semaphore(concurrency)
        nudge = ChannelNudge("What went well this week?")

        async def one(n: int) -> None:
            async with gate:
                await sender.send_channel(DEFAULT_TEAM_ID, f"C{n:06d}", nudge)

        started = time.perf_counter()
        await asyncio.gather(*(one(n) for n in range(total)))
        return time.perf_counter() - started


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--channels", type=int, default=1_000)
    parser.add_argument("--workspace-limit", type=int, default=6_000, help="posts per minute")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--planning-only", action="store_true")
    parser.add_argument("--no-baseline", action="store_true", help="skip the bare-sender run")
    sys.exit(asyncio.run(main(parser.parse_args())))
