import json
import time
from urllib.parse import parse_qs, parse_qsl

import pytest
from slack_sdk.signature import Clock, SignatureVerifier

from tests.helpers.slack_signing import (
    SIGNING_SECRET,
    command_body,
    event_body,
    interactivity_body,
    load_fixture,
    load_payload,
    plain_text_values,
    sign,
    signed_headers,
)
from tests.paths import REPO_ROOT, SLACK_FIXTURES

# Slack's official test vector: https://docs.slack.dev/authentication/verifying-requests-from-slack/
VECTOR_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
VECTOR_TIMESTAMP = 1531420618
VECTOR_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"


class FrozenClock(Clock):
    """The verifier's clock fixed at the test vector's timestamp, as slack_sdk's own test does."""

    def now(self) -> float:
        return VECTOR_TIMESTAMP


def vector_body() -> bytes:
    body = load_fixture("slash_command.form")
    assert isinstance(body, bytes)
    return body


def test_fixtures_live_inside_the_repository() -> None:
    assert SLACK_FIXTURES.is_relative_to(REPO_ROOT)
    assert (SLACK_FIXTURES / "slash_command.form").is_file()


def test_sign_matches_slacks_official_test_vector() -> None:
    assert sign(VECTOR_SECRET, VECTOR_TIMESTAMP, vector_body()) == VECTOR_SIGNATURE


def test_slack_sdk_verifier_with_frozen_clock_accepts_the_vector() -> None:
    verifier = SignatureVerifier(VECTOR_SECRET, clock=FrozenClock())
    headers = signed_headers(VECTOR_SECRET, vector_body(), timestamp=VECTOR_TIMESTAMP)

    assert headers["X-Slack-Signature"] == VECTOR_SIGNATURE
    assert verifier.generate_signature(timestamp=str(VECTOR_TIMESTAMP), body=vector_body()) == (
        VECTOR_SIGNATURE
    )
    assert verifier.is_valid_request(vector_body(), headers)
    assert not verifier.is_valid_request(vector_body() + b"&text=x", headers)
    assert not SignatureVerifier("another-secret", clock=FrozenClock()).is_valid_request(
        vector_body(), headers
    )


def test_slack_sdk_verifier_with_real_clock_rejects_the_vector_as_stale() -> None:
    headers = {
        "X-Slack-Request-Timestamp": str(VECTOR_TIMESTAMP),
        "X-Slack-Signature": VECTOR_SIGNATURE,
    }
    assert not SignatureVerifier(VECTOR_SECRET).is_valid_request(vector_body(), headers)


def test_signed_headers_default_to_now_and_pass_the_real_verifier() -> None:
    body = event_body()
    before = int(time.time())
    headers = signed_headers(SIGNING_SECRET, body)

    assert before <= int(headers["X-Slack-Request-Timestamp"]) <= int(time.time())
    assert headers["Content-Type"] == "application/json"
    assert "X-Slack-Retry-Num" not in headers
    assert SignatureVerifier(SIGNING_SECRET).is_valid_request(body, headers)
    assert not SignatureVerifier(SIGNING_SECRET).is_valid_request(body.replace(b"H", b"J"), headers)


def test_signed_headers_for_a_stale_timestamp_fail_the_real_verifier() -> None:
    body = command_body()
    headers = signed_headers(SIGNING_SECRET, body, timestamp=int(time.time()) - 6 * 60)
    assert not SignatureVerifier(SIGNING_SECRET).is_valid_request(body, headers)


def test_signed_headers_pick_the_content_type_and_add_retry_headers() -> None:
    form = signed_headers(SIGNING_SECRET, command_body())
    retried = signed_headers(SIGNING_SECRET, event_body(), retry_num=1)
    explicit = signed_headers(
        SIGNING_SECRET, b"{}", content_type="text/plain", retry_num=2, retry_reason="http_error"
    )

    assert form["Content-Type"] == "application/x-www-form-urlencoded"
    assert retried["X-Slack-Retry-Num"] == "1"
    assert retried["X-Slack-Retry-Reason"] == "http_timeout"
    assert explicit["Content-Type"] == "text/plain"
    assert (explicit["X-Slack-Retry-Num"], explicit["X-Slack-Retry-Reason"]) == ("2", "http_error")


def test_command_body_reproduces_the_fixture_byte_for_byte() -> None:
    body = command_body("/webhook-collect", "", user_id="U2CERLKJA", team_id="T1DC2JH3J")
    assert body == vector_body()
    assert sign(VECTOR_SECRET, VECTOR_TIMESTAMP, body) == VECTOR_SIGNATURE


def test_command_body_sets_fields_and_keeps_blank_ones() -> None:
    body = command_body(
        "/win",
        "trained 2 new techs & cut queue 30%",
        user_id="U777",
        channel_id="D777",
        api_app_id="A123ABC456",
        user_name=None,
    )
    empty = command_body("/impact")
    fields = dict(parse_qsl(body.decode(), keep_blank_values=True))
    names = [name for name, _ in parse_qsl(body.decode(), keep_blank_values=True)]

    assert fields["command"] == "/win"
    assert fields["text"] == "trained 2 new techs & cut queue 30%"
    assert (fields["user_id"], fields["team_id"]) == ("U777", "T123ABC456")
    assert fields["channel_id"] == "D777"
    assert names[-1] == "api_app_id"
    assert "user_name" not in fields
    assert b"&text=&" in empty
    assert b"text=trained+2+new+techs+%26+cut+queue+30%25" in body


def test_interactivity_body_is_a_single_url_encoded_payload_field() -> None:
    payload = load_payload("block_actions.json")
    body = interactivity_body(payload)
    form = parse_qs(body.decode(), keep_blank_values=True)

    assert body.startswith(b"payload=%7B%22type%22")
    assert list(form) == ["payload"]
    assert json.loads(form["payload"][0]) == payload
    assert signed_headers(SIGNING_SECRET, body)["Content-Type"] == (
        "application/x-www-form-urlencoded"
    )


def test_event_body_overrides_inner_event_and_envelope_fields() -> None:
    body = json.loads(
        event_body(
            "event_message_im", text="rough shift", user="U999", event_id="Ev42", team_id="T9"
        )
    )
    untouched = json.loads(event_body())

    assert body["event"]["text"] == "rough shift"
    assert body["event"]["user"] == "U999"
    assert body["event"]["channel_type"] == "im"
    assert body["event_id"] == "Ev42"
    assert "event_id" not in body["event"]
    assert body["team_id"] == "T9"
    assert body["authorizations"][0]["team_id"] == "T9"
    assert untouched["event"]["text"] == "Hello hello can you hear me?"
    assert untouched["event_id"] == "Ev0PV52K21"


def test_event_body_for_a_fixture_without_an_inner_event() -> None:
    body = json.loads(event_body("url_verification.json", challenge="abc"))
    assert body == {
        "token": "Jhj5dZrVaK7ZwHHjRyZWjbDl",
        "challenge": "abc",
        "type": "url_verification",
    }


def test_load_payload_overrides_a_block_action() -> None:
    payload = load_payload(
        "block_actions.json", action_id="save_draft", value="42", user="U1", team="T123ABC456"
    )
    pristine = load_payload("block_actions.json")

    assert payload["actions"][0]["action_id"] == "save_draft"
    assert payload["actions"][0]["value"] == "42"
    assert payload["actions"][0]["block_id"] == "b"
    assert payload["user"] == {
        "id": "U1",
        "username": "primary-owner",
        "name": "primary-owner",
        "team_id": "T123ABC456",
    }
    assert payload["team"] == {"id": "T123ABC456", "domain": "workspace-domain"}
    assert pristine["actions"][0]["action_id"] == "a"
    assert pristine["team"]["enterprise_id"] == "E111"


def test_load_payload_overrides_a_view_submission() -> None:
    values = plain_text_values({("win", "what"): "Covered two shifts", ("win", "numbers"): None})
    payload = load_payload(
        "view_submission.json",
        callback_id="log_win",
        values=values,
        private_metadata='{"channel": "D1"}',
        team="T123ABC456",
        trigger_id="999.888.valid",
    )

    assert payload["view"]["callback_id"] == "log_win"
    assert payload["view"]["state"]["values"] == {
        "win": {
            "what": {"type": "plain_text_input", "value": "Covered two shifts"},
            "numbers": {"type": "plain_text_input", "value": None},
        }
    }
    assert payload["view"]["private_metadata"] == '{"channel": "D1"}'
    assert payload["view"]["team_id"] == "T123ABC456"
    assert payload["trigger_id"] == "999.888.valid"


def test_load_payload_refuses_overrides_that_do_not_apply() -> None:
    with pytest.raises(ValueError, match="no view"):
        load_payload("block_actions.json", callback_id="x")
    with pytest.raises(ValueError, match="no actions"):
        load_payload("view_submission.json", action_id="x")
