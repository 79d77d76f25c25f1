import os
from pathlib import Path

import httpx2
import pytest
from sqlalchemy.engine import make_url

from bot.app import create_services
from bot.runtime import open_runtime
from bot.server import create_server
from bot.settings import load_settings
from tests.http import serve
from tests.tcp_proxy import TcpProxy


async def test_health_ready_and_metrics_over_http(database_url: str) -> None:
    runtime = await open_runtime(load_settings(database_url=database_url))
    try:
        app = create_server(create_services(runtime))
        async with serve(app) as base, httpx2.AsyncClient(base_url=base) as client:
            health = await client.get("/healthz")
            ready = await client.get("/readyz")
            metrics = await client.get("/metrics")
    finally:
        await runtime.close()
    assert health.status_code == 200
    assert health.json() == {"status": "ok"}
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"
    assert metrics.status_code == 200
    assert metrics.headers["content-type"].startswith("text/plain")
    assert "stepup_coach_replies_total" in metrics.text


async def test_readyz_is_503_while_migrations_are_pending(tmp_path: Path) -> None:
    runtime = await open_runtime(
        load_settings(database_url=f"sqlite:///{tmp_path}/pending.db"), apply_migrations=False
    )
    try:
        app = create_server(create_services(runtime))
        async with serve(app) as base, httpx2.AsyncClient(base_url=base) as client:
            ready = await client.get("/readyz")
    finally:
        await runtime.close()
    assert ready.status_code == 503
    assert "stepup db upgrade" in ready.json()["reason"]


async def _ready_cycle(database_url: str, go_down, come_back) -> list[int]:  # type: ignore[no-untyped-def]
    runtime = await open_runtime(load_settings(database_url=database_url))
    statuses = []
    try:
        app = create_server(create_services(runtime))
        async with serve(app) as base, httpx2.AsyncClient(base_url=base) as client:
            statuses.append((await client.get("/readyz")).status_code)
            await go_down()
            down = await client.get("/readyz")
            statuses.append(down.status_code)
            assert "unreachable" in down.json()["reason"] or "in time" in down.json()["reason"]
            await come_back()
            statuses.append((await client.get("/readyz")).status_code)
    finally:
        await runtime.close()
    return statuses


@pytest.mark.skipif(
    not os.environ.get("STEPUP_TEST_DATABASE_URL", "").startswith("postgres"),
    reason="the PostgreSQL pass of the suite covers a server going down",
)
async def test_readyz_503_while_postgres_is_down_then_recovers(database_url: str) -> None:
    url = make_url(database_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    try:
        statuses = await _ready_cycle(proxied, proxy.cut, proxy.restore)
    finally:
        await proxy.cut()
    assert statuses == [200, 503, 200]


async def test_readyz_503_when_database_is_unreachable(database_url: str) -> None:
    runtime = await open_runtime(load_settings(database_url=database_url))
    closed = TcpProxy("127.0.0.1", 9)  # never started: its port refuses connections
    await closed.start()
    await closed.cut()
    try:
        from bot.store.database import create_engine

        await runtime.engine.dispose()
        runtime.engine = create_engine(f"postgresql://nobody@127.0.0.1:{closed.port}/none")
        app = create_server(create_services(runtime))
        async with serve(app) as base, httpx2.AsyncClient(base_url=base) as client:
            ready = await client.get("/readyz")
            health = await client.get("/healthz")
    finally:
        await runtime.close()
    assert ready.status_code == 503
    assert ready.json()["reason"].startswith("database unreachable")
    assert health.status_code == 200
