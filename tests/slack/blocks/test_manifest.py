from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.slack import ids
from bot.slack.blocks import SUGGESTED_PROMPTS
from tests.paths import REPO_ROOT

DEPLOY = REPO_ROOT / "deploy" / "slack"
HTTP = DEPLOY / "manifest.yaml"
SOCKET = DEPLOY / "manifest.socket-mode.yaml"
EVENTS_URL = "https://YOUR-HOST/slack/events"


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text())
    assert isinstance(data, dict)
    return data


@pytest.fixture(params=[HTTP, SOCKET], ids=["http", "socket"])
def manifest(request: pytest.FixtureRequest) -> dict[str, Any]:
    path: Path = request.param
    return load(path)


def keys(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from keys(value)
    elif isinstance(node, list):
        for item in node:
            yield from keys(item)


def commands(data: dict[str, Any]) -> list[dict[str, Any]]:
    return list(data["features"]["slash_commands"])


def without_urls(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{key: value for key, value in item.items() if key != "url"} for item in items]


def test_commands_match_ids(manifest: dict[str, Any]) -> None:
    found = [command["command"] for command in commands(manifest)]

    assert sorted(found) == sorted(ids.COMMANDS)
    for command in commands(manifest):
        assert 2 <= len(command["command"]) <= 32
        assert 1 <= len(command["description"]) <= 2000
        assert 1 <= len(command["usage_hint"]) <= 1000


def test_thanks_command_escapes_mentions_into_ids(manifest: dict[str, Any]) -> None:
    escaping = {c["command"]: c["should_escape"] for c in commands(manifest)}

    assert escaping[ids.CMD_THANKS] is True
    assert escaping[ids.CMD_WIN] is False  # a win's text is kept as typed


def test_shortcut_callback_ids_match_ids(manifest: dict[str, Any]) -> None:
    shortcuts = manifest["features"]["shortcuts"]

    assert [s["callback_id"] for s in shortcuts if s["type"] == "global"] == list(
        ids.GLOBAL_SHORTCUTS
    )
    assert [s["callback_id"] for s in shortcuts if s["type"] == "message"] == list(
        ids.MESSAGE_SHORTCUTS
    )
    assert {s["name"] for s in shortcuts} == {"Log a win", "Thank for this"}
    for shortcut in shortcuts:
        assert 1 <= len(shortcut["name"]) <= 24
        assert 1 <= len(shortcut["description"]) <= 150


def test_app_home_and_identity(manifest: dict[str, Any]) -> None:
    info = manifest["display_information"]
    features = manifest["features"]

    assert info["name"] == features["bot_user"]["display_name"] == "Step Up"
    assert len(info["description"]) <= 140
    assert 175 <= len(info["long_description"]) <= 4000
    assert features["app_home"] == {
        "home_tab_enabled": True,
        "messages_tab_enabled": True,
        "messages_tab_read_only_enabled": False,
    }
    assert manifest["settings"]["interactivity"]["is_enabled"] is True


def test_events_and_the_scopes_they_need(manifest: dict[str, Any]) -> None:
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])

    assert events == {"message.im", "app_home_opened", "app_uninstalled", "tokens_revoked"}
    assert "im:history" in scopes  # message.im is delivered only with it
    assert "commands" in scopes  # slash commands and shortcuts
    assert ("assistant:write" in scopes) == ("agent_view" in manifest["features"])
    assert scopes <= {
        "assistant:write",
        "chat:write",
        "commands",
        "files:write",
        "im:history",
        "im:write",
        "users:read",
    }


def test_agent_view_prompts_are_the_bots_suggested_prompts(manifest: dict[str, Any]) -> None:
    agent = manifest["features"]["agent_view"]

    assert agent["agent_description"].strip()
    assert agent["suggested_prompts"] == list(SUGGESTED_PROMPTS)


def test_http_manifest_points_every_request_at_slack_events() -> None:
    data = load(HTTP)

    assert data["settings"]["socket_mode_enabled"] is False
    assert data["settings"]["event_subscriptions"]["request_url"] == EVENTS_URL
    assert data["settings"]["interactivity"]["request_url"] == EVENTS_URL
    assert {command["url"] for command in commands(data)} == {EVENTS_URL}
    assert data["oauth_config"]["redirect_urls"] == ["https://YOUR-HOST/slack/oauth_redirect"]


def test_socket_mode_manifest_has_no_urls() -> None:
    data = load(SOCKET)

    assert data["settings"]["socket_mode_enabled"] is True
    assert not {"url", "request_url", "redirect_urls"} & set(keys(data))


def test_both_manifests_declare_the_same_app() -> None:
    http, socket = load(HTTP), load(SOCKET)

    assert sorted(http["oauth_config"]["scopes"]["bot"]) == sorted(
        socket["oauth_config"]["scopes"]["bot"]
    )
    assert sorted(http["settings"]["event_subscriptions"]["bot_events"]) == sorted(
        socket["settings"]["event_subscriptions"]["bot_events"]
    )
    assert without_urls(commands(http)) == without_urls(commands(socket))
    assert http["features"]["shortcuts"] == socket["features"]["shortcuts"]
    assert http["features"]["agent_view"] == socket["features"]["agent_view"]
    assert http["features"]["app_home"] == socket["features"]["app_home"]
    assert http["display_information"] == socket["display_information"]
