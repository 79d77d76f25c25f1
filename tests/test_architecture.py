"""The layers of docs/architecture.md, enforced on the import graph.

The services never import a chat surface (no arrow into Slack or Teams); each foundation
(vocabulary, safety, llm, store) imports only the layers beneath it; Slack and Teams code never
import each other. Every module is parsed with ``ast`` and every ``import`` and ``from … import``
is checked, wherever it stands: at the top, inside a function, under ``if TYPE_CHECKING:``. The
failure names the module and the line of each offending import.

Queries live in one layer: outside ``bot/store/`` (its migrations included) no module builds a
SQL statement (``select``, ``insert``, ``update``, ``delete``, ``text``, a dialect's ``insert``)
or hands one to a session or connection (``execute``, ``scalar``, ``scalars``, ``stream``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SERVICE_PACKAGES = (
    "bot/nudges",
    "bot/coaching",
    "bot/wins",
    "bot/impact",
    "bot/privacy",
    "bot/safety",
    "bot/llm",
)
SERVICES = tuple(package for package in SERVICE_PACKAGES if (ROOT / package).is_dir())
"""The service packages that exist (``bot/llm`` joins when it is created)."""
SURFACES = ("bot.slack", "bot.teams", "slack_sdk", "slack_bolt", "microsoft_teams")


def imported_names(tree: ast.AST, module: str) -> list[tuple[int, str]]:
    """Return ``(line, module name)`` of every import in ``tree``, relative ones resolved."""
    found: list[tuple[int, str]] = []
    package = module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                anchor = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{anchor}.{base}" if base else anchor
            found.append((node.lineno, base))
            # `from bot import slack` imports bot.slack too.
            found.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names)
    return found


def is_surface(name: str) -> bool:
    """Return whether ``name`` is a chat surface or one of its SDKs (or a module inside one)."""
    return any(name == surface or name.startswith(f"{surface}.") for surface in SURFACES)


def surface_imports(package: str) -> list[str]:
    """Return ``path:line imports name`` for every surface import under ``package``."""
    problems: list[str] = []
    for path in sorted((ROOT / package).rglob("*.py")):
        relative = path.relative_to(ROOT)
        module = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(relative))
        problems.extend(
            f"{relative}:{line} imports {name}"
            for line, name in imported_names(tree, module)
            if is_surface(name)
        )
    return problems


@pytest.mark.parametrize("package", SERVICES)
def test_a_service_package_imports_no_chat_surface(package: str) -> None:
    assert surface_imports(package) == []


def imports_of(package: str) -> list[tuple[str, str]]:
    """Return ``(path:line, module name)`` for every import of a module under ``package``."""
    found: list[tuple[str, str]] = []
    for path in sorted((ROOT / package).rglob("*.py")):
        relative = path.relative_to(ROOT)
        module = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(relative))
        found.extend((f"{relative}:{line}", name) for line, name in imported_names(tree, module))
    return found


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(f"{prefix}.") for prefix in prefixes)


FOUNDATIONS: dict[str, tuple[str, ...]] = {
    # package: the parts of ``bot`` it may import (besides itself); see docs/architecture.md
    "bot/vocabulary": (),
    "bot/safety": ("bot.vocabulary", "bot.prompts", "bot.metrics", "bot.errors"),
    "bot/llm": ("bot.metrics", "bot.errors"),
    "bot/store": ("bot.settings", "bot.errors"),
}


@pytest.mark.parametrize("package", sorted(FOUNDATIONS))
def test_a_foundation_imports_only_the_layers_beneath_it(package: str) -> None:
    own = package.replace("/", ".")
    allowed = (own, *FOUNDATIONS[package])
    wrong = [
        f"{where} imports {name}"
        for where, name in imports_of(package)
        if _within(name, ("bot",)) and name != "bot" and not _within(name, allowed)
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("package", "other"),
    [
        ("bot/slack", ("bot.teams", "microsoft_teams")),
        ("bot/teams", ("bot.slack", "slack_sdk", "slack_bolt")),
    ],
)
def test_the_slack_and_teams_surfaces_do_not_import_each_other(
    package: str, other: tuple[str, ...]
) -> None:
    assert [
        f"{where} imports {name}" for where, name in imports_of(package) if _within(name, other)
    ] == []


def test_the_check_sees_imports_in_functions_and_type_checking_blocks() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from slack_sdk.web.async_client import AsyncWebClient\n"
        "def f():\n"
        "    import bot.teams.app\n"
        "    from bot import slack\n"
        "    from ..slack import blocks\n"
        "    import microsoft_teams.apps as apps\n"
        "import bot.slackish\n"
    )
    names = imported_names(ast.parse(source), "bot.nudges.job")
    lines = sorted({line for line, name in names if is_surface(name)})
    assert lines == [3, 5, 6, 7, 8]  # not 9: bot.slackish is not bot.slack


STATEMENT_BUILDERS = frozenset({"select", "insert", "update", "delete", "text"})
STATEMENT_RUNNERS = frozenset({"execute", "scalar", "scalars", "stream", "stream_scalars"})


def _is_sqlalchemy(module: str) -> bool:
    return module == "sqlalchemy" or module.startswith("sqlalchemy.")


def statement_uses(tree: ast.AST) -> list[tuple[int, str]]:
    """Return ``(line, what)`` of every SQL statement built or run in ``tree``.

    Found: a builder imported from SQLAlchemy (``from sqlalchemy import select``, a dialect's
    ``insert``), a builder reached through an imported SQLAlchemy module (``sa.select``,
    ``postgresql.insert``), and a call of ``.execute``/``.scalar``/``.scalars``/``.stream`` with
    an argument, on any object (a session, a connection): only the store runs statements.
    """
    found: list[tuple[int, str]] = []
    modules: set[str] = set()  # names bound to a SQLAlchemy module in this file
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _is_sqlalchemy(alias.name):
                    modules.add(alias.asname or alias.name.partition(".")[0])
        elif isinstance(node, ast.ImportFrom) and _is_sqlalchemy(node.module or ""):
            for alias in node.names:
                if alias.name in STATEMENT_BUILDERS:
                    found.append((node.lineno, f"imports {node.module}.{alias.name}"))
                elif alias.name[:1].islower():  # a module (sql, dialects, postgresql …)
                    modules.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in STATEMENT_BUILDERS
            and _root_name(node.value) in modules
        ):
            found.append((node.lineno, f"uses {ast.unparse(node)}"))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in STATEMENT_RUNNERS
            and (node.args or node.keywords)
        ):
            found.append((node.lineno, f"runs a statement with {ast.unparse(node.func)}"))
    return sorted(found)


def _root_name(node: ast.expr) -> str | None:
    """Return ``a`` of ``a.b.c`` (None when the chain does not start with a name)."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def test_no_module_outside_the_store_builds_or_runs_a_query() -> None:
    problems: list[str] = []
    for path in sorted((ROOT / "bot").rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[:2] == ("bot", "store"):
            continue  # the query layer, its migrations included
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(relative))
        problems.extend(f"{relative}:{line} {what}" for line, what in statement_uses(tree))
    assert problems == []


def test_the_query_check_sees_builders_imports_and_statements_run() -> None:
    source = (
        "import sqlalchemy as sa\n"
        "from sqlalchemy import func, select\n"
        "from sqlalchemy.dialects.postgresql import insert as pg_insert\n"
        "from sqlalchemy.dialects import sqlite\n"
        "from sqlalchemy.ext.asyncio import AsyncSession\n"
        "async def f(session: AsyncSession, engine):\n"
        "    from sqlalchemy import text\n"
        "    await session.scalar(sa.select(1))\n"
        "    statement = sqlite.insert(table)\n"
        "    async with engine.connect() as connection:\n"
        "        await connection.execute(statement)\n"
        "    session.add(row)\n"
        "    await session.get(Row, 1)\n"
        "    items.update(more)\n"
        "    return func.count()\n"
    )
    lines = [line for line, _ in statement_uses(ast.parse(source))]
    assert lines == [2, 3, 7, 8, 8, 9, 11]  # add, get, a dict's update and func are no queries


def test_no_test_module_imports_another_test_module_or_a_conftest() -> None:
    tests = ROOT / "tests"
    wrong = []
    for path in sorted(tests.rglob("*.py")):
        relative = path.relative_to(ROOT)
        module = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(relative))
        for line, name in imported_names(tree, module):
            last = name.rpartition(".")[2]
            if name.startswith("tests.") and (last.startswith("test_") or last == "conftest"):
                wrong.append(f"{relative}:{line} imports {name}")
    assert wrong == []
