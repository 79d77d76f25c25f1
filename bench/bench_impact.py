"""Benchmark: the impact summary of a person with 10,000 wins over five years.

Seeds one person (plus a crowd of colleagues, so the wins table is not all theirs) with bulk
inserts in a workspace of its own, then measures repeated rounds of:

- floor: the bare query that fetches the last year's wins (the rows the summary reads);
- md:    the Markdown summary of the last year (query + build + render);
- pdf:   the PDF of the last year (query + build + chart + layout).

It prints the medians, their ratio to the floor, whether each meets its target
(md ≤ 150 ms, pdf ≤ 1.5 s), and the query plan showing the (workspace_id, person_id,
occurred_on) index at work. The bench workspace is deleted at the end (``--keep`` keeps it).

    python bench/bench_impact.py                                  # a temporary SQLite file
    python bench/bench_impact.py --database-url postgresql://user:pw@localhost/stepup_bench
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.impact.markdown import render_markdown
from bot.impact.pdf import render_pdf
from bot.impact.periods import parse_period
from bot.impact.summary import ImpactService
from bot.store import migrate
from bot.store.database import create_engine, session_factory, transaction
from bot.store.models import Win, Workspace
from bot.store.people import get_or_create_person, get_or_create_workspace
from bot.store.wins import wins_query
from bot.wins.identity import PersonRef
from bot.wins.parsing import parse_win

BENCH_WORKSPACE = "bench-impact"
TARGETS_MS = {"md": 150.0, "pdf": 1500.0}
INDEX_NAME = "ix_wins_workspace_id_person_id_occurred_on"

TEMPLATES = [
    "trained {n} new techs on the IV hood because we were short, which means weekend backup",
    "caught {n} dosing errors in the ICU order queue before verification",
    "covered {n} extra shifts during the flu shortage",
    "stayed {n} hours late to finish the chemo batch",
    "reorganized the fridge so that we can find insulin faster, saving {n} hours a week",
    "the ICU nurse manager thanked me for restocking the Pyxis before the code",
    "I proposed a new ADC par level and led the pilot, which cut stockouts by {n}%",
    "presented a poster on IV workflow at the state pharmacy society",
    "everyone asks me about the carousel when it jams; fixed it {n} times this month",
    "processed {n} prior auths for the oncology clinic, result: no missed starts",
    "mentored a pharmacy student through {n} shifts in the cleanroom",
    "built a huddle checklist with the 4 West charge nurse to reduce missing doses",
    "passed my CSPT exam after {n} weeks of study",
    "found ${n}00 of expired stock in the satellite and returned it for credit",
]


def _rows(
    workspace_id: int, person_id: int, count: int, years: int, today: dt.date, seed: int
) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    parsed: dict[str, Any] = {}
    rows = []
    for _ in range(count):
        body = rnd.choice(TEMPLATES).format(n=rnd.randint(1, 9))
        if body not in parsed:
            parsed[body] = parse_win(body, today=today)
        draft = parsed[body]
        rows.append(
            {
                "workspace_id": workspace_id,
                "person_id": person_id,
                "what": draft.what,
                "why": draft.why,
                "result": draft.result,
                "numbers": draft.numbers,
                "category": draft.category,
                "leadership": draft.leadership,
                "occurred_on": today - dt.timedelta(days=rnd.randrange(365 * years)),
                "source": "command",
            }
        )
    return rows


async def _drop_bench_workspace(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with transaction(sessions) as session:
        await session.execute(
            delete(Workspace).where(
                Workspace.platform == "local", Workspace.external_id == BENCH_WORKSPACE
            )
        )


async def seed(
    engine: AsyncEngine,
    sessions: async_sessionmaker[AsyncSession],
    *,
    wins: int,
    years: int,
    others: int,
    other_wins: int,
    today: dt.date,
) -> tuple[PersonRef, int, int]:
    """Insert the bench person's wins (and colleagues'); return who, workspace id, person id."""
    await _drop_bench_workspace(sessions)
    async with transaction(sessions) as session:
        workspace = await get_or_create_workspace(session, "local", BENCH_WORKSPACE)
        person = await get_or_create_person(session, workspace, "bench-person")
        colleagues = [
            await get_or_create_person(session, workspace, f"colleague-{i}") for i in range(others)
        ]
        ids = (workspace.id, person.id, [c.id for c in colleagues])
    workspace_id, person_id, colleague_ids = ids
    started = time.perf_counter()
    batches = [_rows(workspace_id, person_id, wins, years, today, seed=1)]
    batches += [
        _rows(workspace_id, cid, other_wins, years, today, seed=100 + i)
        for i, cid in enumerate(colleague_ids)
    ]
    async with engine.begin() as connection:
        for batch in batches:
            for start in range(0, len(batch), 2000):
                await connection.execute(insert(Win), batch[start : start + 2000])
        # Fresh statistics, as a database in use would have, so the planner sees the data.
        await connection.execute(text("ANALYZE"))
    total = wins + others * other_wins
    print(
        f"seeded {total:,} wins ({wins:,} for the bench person) in "
        f"{time.perf_counter() - started:.1f} s"
    )
    return PersonRef("local", BENCH_WORKSPACE, "bench-person"), workspace_id, person_id


async def explain(engine: AsyncEngine, workspace_id: int, person_id: int, today: dt.date) -> str:
    """Return the database's plan for the summary's query."""
    period = parse_period("year", today=today)
    query = wins_query(workspace_id, person_id, period.start, period.end)
    sql = str(query.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN ANALYZE "
    async with engine.connect() as connection:
        rows = (await connection.exec_driver_sql(prefix + sql)).all()
    if engine.dialect.name == "sqlite":
        return "\n".join(f"  {row[-1]}" for row in rows)
    return "\n".join(f"  {row[0]}" for row in rows)


async def timed(rounds: int, action: Callable[[], Awaitable[Any]]) -> list[float]:
    """Run ``action`` once to warm up, then ``rounds`` times; return milliseconds per round."""
    await action()
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        await action()
        times.append((time.perf_counter() - started) * 1000)
    return times


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--wins", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--others", type=int, default=20, help="colleagues in the workspace")
    parser.add_argument("--other-wins", type=int, default=500, help="wins per colleague")
    parser.add_argument("--rounds", type=int, default=15, help="rounds for floor and md")
    parser.add_argument("--pdf-rounds", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the bench workspace")
    args = parser.parse_args(argv)

    folder = None
    url = args.database_url
    if url is None:
        folder = tempfile.TemporaryDirectory(prefix="stepup-bench-")
        url = f"sqlite:///{Path(folder.name) / 'bench.db'}"
    engine = create_engine(url)
    sessions = session_factory(engine)
    try:
        await migrate.upgrade(engine)
        today = dt.datetime.now(dt.UTC).date()
        who, workspace_id, person_id = await seed(
            engine,
            sessions,
            wins=args.wins,
            years=args.years,
            others=args.others,
            other_wins=args.other_wins,
            today=today,
        )
        service = ImpactService(sessions)
        period = parse_period("year", today=today)
        fetched: list[int] = []

        async def floor() -> None:
            async with sessions() as session:
                rows = (
                    await session.execute(
                        wins_query(workspace_id, person_id, period.start, period.end)
                    )
                ).all()
            fetched.append(len(rows))

        markdown_sizes: list[int] = []

        async def markdown() -> None:
            markdown_sizes.append(len(render_markdown(await service.build(who, "year"))))

        pdf_sizes: list[int] = []

        async def pdf() -> None:
            pdf_sizes.append(len(render_pdf(await service.build(who, "year"))))

        results = {
            "floor": await timed(args.rounds, floor),
            "md": await timed(args.rounds, markdown),
            "pdf": await timed(args.pdf_rounds, pdf),
        }
        plan = await explain(engine, workspace_id, person_id, today)
        async with sessions() as session:
            version = (
                await session.execute(
                    text("SELECT sqlite_version()")
                    if engine.dialect.name == "sqlite"
                    else text("SHOW server_version")
                )
            ).scalar_one()
    finally:
        if not args.keep:
            await _drop_bench_workspace(sessions)
        await engine.dispose()
        if folder is not None:
            folder.cleanup()

    floor_ms = statistics.median(results["floor"])
    print(f"database: {engine.dialect.name} {version}; python {sys.version.split()[0]}")
    print(f"period: the last 12 months ({period.span()}), {fetched[-1]:,} of the person's wins")
    print(f"markdown {markdown_sizes[-1]:,} bytes; pdf {pdf_sizes[-1]:,} bytes")
    print()
    print(f"{'step':<6} {'median ms':>10} {'min ms':>8} {'max ms':>8} {'× floor':>8}  target")
    for name, times in results.items():
        median = statistics.median(times)
        target = TARGETS_MS.get(name)
        verdict = "" if target is None else ("ok" if median <= target else "MISSED")
        limit = "" if target is None else f"≤ {target:,.0f} ms {verdict}"
        print(
            f"{name:<6} {median:>10.1f} {min(times):>8.1f} {max(times):>8.1f} "
            f"{median / floor_ms:>8.1f}  {limit}"
        )
    print()
    print("query plan:")
    print(plan)
    used = INDEX_NAME in plan
    print(f"index {INDEX_NAME} used: {'yes' if used else 'NO'}")
    missed = any(statistics.median(results[name]) > target for name, target in TARGETS_MS.items())
    return 1 if missed or not used else 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
