"""Block Kit checks shared by the Slack block tests: validity, escaping, what a payload shows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from slack_sdk.models.blocks import Block as SdkBlock
from slack_sdk.models.views import View as SdkView

from bot.slack.blocks import (
    SlackMessage,
)
from bot.slack.mrkdwn import length

EVIL = (
    "<!channel> <!here|here> <!everyone> <@U123> <#C123> <!subteam^S1|@leads> "
    "<https://evil.example|click here> @here @channel"
)


RAW_SEQUENCES = ("<!channel", "<!here", "<!everyone", "<@U123", "<#C123", "<!subteam", "<https")


def walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


def assert_valid_blocks(blocks: list[dict[str, Any]], *, max_blocks: int) -> None:
    assert 1 <= len(blocks) <= max_blocks
    block_ids = [block["block_id"] for block in blocks if "block_id" in block]
    assert len(block_ids) == len(set(block_ids))
    for block in blocks:
        # slack_sdk's own models check required fields and most documented limits.
        parsed = SdkBlock.parse(block)
        assert parsed is not None, block
        parsed.validate_json()
        action_ids = [node["action_id"] for node in walk(block) if "action_id" in node]
        assert len(action_ids) == len(set(action_ids)), block
        for node in walk(block):
            kind = node.get("type")
            if kind in ("plain_text", "mrkdwn"):
                assert node["text"].strip(), block
                assert length(node["text"]) <= 3000
            if kind == "button":
                assert length(node["text"]["text"]) <= 75
                assert len(node.get("value", "")) <= 2000
                assert 1 <= len(node["action_id"]) <= 255
            if kind == "header":
                assert length(node["text"]["text"]) <= 150
            if kind == "section" and "fields" in node:
                assert len(node["fields"]) <= 10
                assert all(length(item["text"]) <= 2000 for item in node["fields"])
            if kind == "actions":
                assert 1 <= len(node["elements"]) <= 25
            if kind == "context":
                assert 1 <= len(node["elements"]) <= 10
            if "options" in node:
                assert 1 <= len(node["options"]) <= 100
                for item in node["options"]:
                    assert length(item["text"]["text"]) <= 75
                    assert 1 <= len(item["value"]) <= 150
                if "initial_option" in node:
                    assert node["initial_option"] in node["options"]


def assert_valid_message(message: SlackMessage) -> None:
    assert message.text.strip()
    assert length(message.text) <= 3000
    assert_valid_blocks(message.blocks, max_blocks=50)
    json.dumps(message.as_kwargs())


def assert_valid_view(view: dict[str, Any]) -> None:
    SdkView(**view).validate_json()
    assert_valid_blocks(view["blocks"], max_blocks=100)
    if view["type"] == "modal":
        assert length(view["title"]["text"]) <= 24
        assert len(view.get("private_metadata", "")) <= 3000
        if any(block["type"] == "input" for block in view["blocks"]):
            assert "submit" in view


def serialized(payload: SlackMessage | dict[str, Any]) -> str:
    if isinstance(payload, SlackMessage):
        return json.dumps(payload.as_kwargs(), ensure_ascii=False)
    return json.dumps(payload, ensure_ascii=False)


def parsed_strings(payload: SlackMessage | dict[str, Any]) -> list[str]:
    """Every string Slack parses as mrkdwn: the fallback text and each mrkdwn text object.

    plain_text objects, input values and accessibility labels are shown as typed and never
    parsed, so a vent may appear in them verbatim without becoming a mention or a link.
    """
    blocks = payload.blocks if isinstance(payload, SlackMessage) else payload["blocks"]
    found = [node["text"] for node in walk(blocks) if node.get("type") == "mrkdwn"]
    if isinstance(payload, SlackMessage):
        found.append(payload.text)
    return found


def assert_no_raw_sequences(payload: SlackMessage | dict[str, Any]) -> None:
    for text in parsed_strings(payload):
        for raw in RAW_SEQUENCES:
            assert raw not in text, (raw, text)


def texts(blocks: list[dict[str, Any]]) -> list[str]:
    return [node["text"] for node in walk(blocks) if node.get("type") in ("plain_text", "mrkdwn")]


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [node for node in walk(blocks) if node.get("type") == "button"]
