"""Build Slack requests exactly as Slack sends them, signed, to replay against the app.

Bodies come from Slack's documented payloads in ``tests/data/slack/`` (see its README):
Events API bodies are JSON, slash commands are form-encoded with blank fields kept, and
interactivity payloads are ``payload=<url-encoded JSON>``. Sign the exact bytes you send.

    body = command_body("/win", "trained two new techs on the ADC")
    headers = signed_headers(SIGNING_SECRET, body)
    response = await client.post("/slack/events", content=body, headers=headers)
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from tests.paths import SLACK_FIXTURES

SIGNING_SECRET = "test-signing-secret-not-a-real-one"
"""An obviously fake signing secret for tests."""

DEFAULT_TEAM_ID = "T123ABC456"
"""The workspace of the event fixtures (and of the fake Web API's default ``auth.test``)."""

DEFAULT_USER_ID = "U123ABC456"

JSON_CONTENT_TYPE = "application/json"
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"

# Fields of the Events API envelope; every other override of `event_body` goes to the inner event.
ENVELOPE_FIELDS = frozenset(
    {
        "token",
        "team_id",
        "enterprise_id",
        "api_app_id",
        "event_id",
        "event_time",
        "event_context",
        "authorizations",
        "authed_users",
        "is_ext_shared_channel",
        "context_team_id",
        "context_enterprise_id",
    }
)


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """Return Slack's ``X-Slack-Signature`` for ``body`` sent at ``timestamp``.

    ``v0=`` followed by the hex HMAC-SHA256 of ``v0:{timestamp}:{body}`` keyed with ``secret``.
    """
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(
    secret: str,
    body: bytes,
    *,
    timestamp: int | None = None,
    content_type: str | None = None,
    retry_num: int | None = None,
    retry_reason: str | None = None,
) -> dict[str, str]:
    """Headers Slack sends with ``body``: content type, timestamp, signature, retry headers.

    Args:
        secret: The app's signing secret.
        body: The exact request body.
        timestamp: Unix seconds; defaults to now (a verifier rejects more than 5 minutes off).
        content_type: Defaults to JSON for a body starting with ``{``, otherwise form-encoded.
        retry_num: Adds ``X-Slack-Retry-Num`` (Slack's redelivery of an event).
        retry_reason: ``X-Slack-Retry-Reason``; defaults to ``http_timeout`` with ``retry_num``.
    """
    ts = int(time.time()) if timestamp is None else timestamp
    if content_type is None:
        content_type = JSON_CONTENT_TYPE if body.lstrip().startswith(b"{") else FORM_CONTENT_TYPE
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": sign(secret, ts, body),
    }
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = retry_reason or "http_timeout"
    elif retry_reason is not None:
        headers["X-Slack-Retry-Reason"] = retry_reason
    return headers


def fixture_path(name: str) -> Path:
    """The path of fixture ``name``; ``.json`` may be left out."""
    path = SLACK_FIXTURES / name
    if not path.exists() and not path.suffix:
        path = path.with_suffix(".json")
    if not path.exists():
        raise FileNotFoundError(f"no Slack fixture {name!r} in {SLACK_FIXTURES}")
    return path


def load_fixture(name: str) -> bytes | dict[str, Any]:
    """A fixture: parsed for ``.json`` files, the exact bytes otherwise (``.form``)."""
    path = fixture_path(name)
    if path.suffix == ".json":
        return _load_json(name)
    return path.read_bytes()


def _load_json(name: str) -> dict[str, Any]:
    data = json.loads(fixture_path(name).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise TypeError(f"fixture {name!r} is not a JSON object")
    return data


def _load_bytes(name: str) -> bytes:
    return fixture_path(name).read_bytes()


def event_body(fixture_name: str = "event_message_im.json", **overrides: Any) -> bytes:
    """An Events API body from a fixture, with fields overridden.

    Envelope fields (``event_id``, ``team_id``, ``event_time``, ``authorizations``, … see
    ``ENVELOPE_FIELDS``) override the envelope; any other key overrides the inner ``event``
    (``text``, ``user``, ``channel``, ``ts``, ``bot_id``…). Overriding ``team_id`` also moves the
    ``authorizations`` to that team unless they are overridden too.
    """
    data = _load_json(fixture_name)
    event = data.get("event")
    for key, value in overrides.items():
        if key in ENVELOPE_FIELDS or not isinstance(event, dict):
            data[key] = value
        else:
            event[key] = value
    if "team_id" in overrides and "authorizations" not in overrides:
        for authorization in data.get("authorizations", []):
            authorization["team_id"] = overrides["team_id"]
    return json.dumps(data).encode()


def command_body(
    command: str = "/win",
    text: str = "",
    *,
    user_id: str = DEFAULT_USER_ID,
    team_id: str = DEFAULT_TEAM_ID,
    **fields: str | None,
) -> bytes:
    """A slash-command body, form-encoded exactly like ``slash_command.form``.

    Starts from the fixture's fields in their order (blank ones kept, e.g. ``text=``), sets
    ``command``, ``text``, ``user_id`` and ``team_id``, then ``fields`` (``channel_id``,
    ``trigger_id``, ``response_url``, ``api_app_id``…); a field set to ``None`` is removed.
    """
    values = dict(
        parse_qsl(
            _load_bytes("slash_command.form").decode(), keep_blank_values=True, strict_parsing=True
        )
    )
    values.update(command=command, text=text, user_id=user_id, team_id=team_id)
    for key, value in fields.items():
        if value is None:
            values.pop(key, None)
        else:
            values[key] = value
    return urlencode(values).encode()


def interactivity_body(payload: Mapping[str, Any]) -> bytes:
    """An interactivity body: ``payload=`` followed by the URL-encoded JSON payload."""
    return urlencode({"payload": json.dumps(payload)}).encode()


def plain_text_values(values: Mapping[tuple[str, str], str | None]) -> dict[str, Any]:
    """``view.state.values`` for plain-text inputs, from ``{(block_id, action_id): value}``."""
    state: dict[str, dict[str, Any]] = {}
    for (block_id, action_id), value in values.items():
        state.setdefault(block_id, {})[action_id] = {"type": "plain_text_input", "value": value}
    return state


def load_payload(
    name: str,
    *,
    user: str | Mapping[str, Any] | None = None,
    team: str | Mapping[str, Any] | None = None,
    actions: list[dict[str, Any]] | None = None,
    action_id: str | None = None,
    block_id: str | None = None,
    value: str | None = None,
    callback_id: str | None = None,
    values: Mapping[str, Any] | None = None,
    private_metadata: str | None = None,
    view: Mapping[str, Any] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A decoded interactivity payload (``block_actions.json``, ``view_submission.json``).

    Args:
        name: The fixture.
        user: A user id (keeps the fixture's other user fields) or a whole ``user`` object.
        team: A team id, giving a plain workspace team (the fixture's Enterprise Grid fields are
            dropped) and moving ``user.team_id`` and the view's team fields along; or a whole
            ``team`` object.
        actions: Replaces the ``actions`` list.
        action_id: Sets ``actions[0].action_id``.
        block_id: Sets ``actions[0].block_id``.
        value: Sets ``actions[0].value``.
        callback_id: Sets ``view.callback_id``.
        values: Replaces ``view.state.values`` (see :func:`plain_text_values`).
        private_metadata: Sets ``view.private_metadata``.
        view: Fields merged into ``view``.
        **fields: Top-level fields to set (``trigger_id``, ``container``, ``channel``…).

    Raises:
        ValueError: An action override on a payload without actions, or a view override on a
            payload without a view.
    """
    payload = copy.deepcopy(_load_json(name))
    if user is not None:
        payload["user"] = (
            {**payload.get("user", {}), "id": user} if isinstance(user, str) else dict(user)
        )
    if team is not None:
        if isinstance(team, str):
            domain = payload.get("team", {}).get("domain", "workspace-domain")
            payload["team"] = {"id": team, "domain": domain}
            if isinstance(payload.get("user"), dict):
                payload["user"]["team_id"] = team
            if isinstance(payload.get("view"), dict):
                payload["view"]["team_id"] = team
                payload["view"]["app_installed_team_id"] = team
        else:
            payload["team"] = dict(team)

    if actions is not None:
        payload["actions"] = actions
    action_overrides = {"action_id": action_id, "block_id": block_id, "value": value}
    if any(v is not None for v in action_overrides.values()):
        if not payload.get("actions"):
            raise ValueError(f"{name} has no actions to override")
        first = payload["actions"][0]
        first.update({k: v for k, v in action_overrides.items() if v is not None})

    view_overrides: dict[str, Any] = dict(view or {})
    if callback_id is not None:
        view_overrides["callback_id"] = callback_id
    if private_metadata is not None:
        view_overrides["private_metadata"] = private_metadata
    if view_overrides or values is not None:
        if not isinstance(payload.get("view"), dict):
            raise ValueError(f"{name} has no view to override")
        payload["view"].update(view_overrides)
        if values is not None:
            payload["view"]["state"] = {"values": dict(values)}

    payload.update(fields)
    return payload
