"""The services never import a chat surface: the import graph has no arrow into Slack or Teams.

Every module under the service packages is parsed with ``ast`` and every ``import`` and
``from … import`` is checked, wherever it stands: at the top, inside a function, under
``if TYPE_CHECKING:``. The failure names the module and the line of each offending import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SERVICE_PACKAGES = ("bot/nudges", "bot/coaching", "bot/wins", "bot/impact", "bot/safety", "bot/llm")
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
