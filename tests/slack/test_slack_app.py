"""The real Bolt app inside the real server, over HTTP, with Slack's documented payloads."""

import json
import time

import pytest
from sqlalchemy import select

from bot.slack import ids
from bot.store.models import Win, Workspace
from tests.helpers.slack_signing import (
    command_body,
    event_body,
    interactivity_body,
    load_fixture,
    load_payload,
)
from tests.helpers.slack_stack import SlackStack

VENT = (
    "The Pyxis on 4 West was out of heparin flushes AGAIN and nursing blamed us. "
    "We restocked it yesterday. The par levels are just wrong."
)


async def test_url_verification_echoes_the_challenge(slack: SlackStack) -> None:
    body = load_fixture("url_verification.json")
    assert isinstance(body, dict)
    response = await slack.send(json.dumps(body).encode())
    assert response.status_code == 200
    assert response.json() == {"challenge": body["challenge"]}


async def test_ssl_check_is_200_with_an_empty_body(slack: SlackStack) -> None:
    raw = load_fixture("ssl_check.form")
    assert isinstance(raw, bytes)
    response = await slack.send(raw)
    assert (response.status_code, response.text) == (200, "")


async def test_bad_signature_and_stale_timestamp_are_401(slack: SlackStack) -> None:
    body = event_body(text=VENT)
    forged = await slack.send(body, secret="not-the-secret")
    stale = await slack.send(body, timestamp=int(time.time()) - 6 * 60)
    assert forged.status_code == 401
    assert stale.status_code == 401
    assert slack.fake.calls_to("chat.postMessage") == []


async def test_a_payload_that_fails_to_parse_is_400(slack: SlackStack) -> None:
    response = await slack.send(
        b'{"type": "event_callback", "event": ', content_type="application/json"
    )
    broken = await slack.send(
        b"payload=%7Bnot-json", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert broken.status_code == 400


async def test_a_dm_vent_gets_a_draft_with_buttons_and_a_fallback(slack: SlackStack) -> None:
    response = await slack.send(event_body(text=VENT))
    assert response.status_code == 200
    [posted] = await slack.fake.wait_for("chat.postMessage")
    assert posted.params["channel"] == "D024BE91L"
    assert "heparin" in posted.params["text"]
    blocks_json = json.dumps(posted.params["blocks"])
    assert "Problem" in blocks_json
    for action_id in (ids.DRAFT_SAVE, ids.DRAFT_EDIT, ids.DRAFT_SHORTER, ids.DRAFT_DISCARD):
        assert action_id in blocks_json


async def test_a_retried_event_is_processed_once(slack: SlackStack) -> None:
    body = event_body(text=VENT)
    assert (await slack.send(body)).status_code == 200
    await slack.fake.wait_for("chat.postMessage")
    retry = await slack.send(body, retry_num=1, retry_reason="http_timeout")
    assert retry.status_code == 200
    other = event_body(
        text="We had no tech on the IV hood for 3 hours", event_id="Ev0OTHER1", user="U0OTHER"
    )
    assert (await slack.send(other)).status_code == 200
    await slack.fake.wait_for("chat.postMessage", count=2)
    texts = [call.params["text"] for call in slack.fake.calls_to("chat.postMessage")]
    assert len(texts) == 2
    assert "heparin" in texts[0] and "heparin" not in texts[1]


async def test_messages_from_bots_and_edits_are_ignored(slack: SlackStack) -> None:
    await slack.send(event_body(text="I am a bot", bot_id="B0BOT", event_id="Ev0BOT"))
    await slack.send(event_body(text="edited", subtype="message_changed", event_id="Ev0EDIT"))
    await slack.send(event_body(text=VENT, event_id="Ev0REAL"))
    [posted] = await slack.fake.wait_for("chat.postMessage")
    assert "heparin" in posted.params["text"]
    assert len(slack.fake.calls_to("chat.postMessage")) == 1


async def test_an_emoji_only_dm_gets_a_gentle_prompt(slack: SlackStack) -> None:
    await slack.send(event_body(text=":sob: :sob:"))
    [posted] = await slack.fake.wait_for("chat.postMessage")
    assert "I can only read text" in posted.params["text"]


async def test_a_crisis_dm_gets_resources_and_no_buttons(slack: SlackStack) -> None:
    await slack.send(event_body(text="I want to kill myself tonight"))
    [posted] = await slack.fake.wait_for("chat.postMessage")
    blocks_json = json.dumps(posted.params["blocks"])
    assert "988" in blocks_json
    assert '"actions"' not in blocks_json


async def test_a_check_in_mid_draft_asks_and_a_no_brings_the_draft_back(slack: SlackStack) -> None:
    await slack.send(event_body(text=VENT))
    await slack.fake.wait_for("chat.postMessage")

    await slack.send(event_body(text="i cant do this anymore", event_id="Ev0CHECK1"))
    [_, asked] = await slack.fake.wait_for("chat.postMessage", count=2)
    asked_json = json.dumps(asked.params["blocks"])
    assert "suicide" in asked.params["text"] and "988" in asked_json
    assert '"actions"' not in asked_json

    await slack.send(event_body(text="no, just work", event_id="Ev0CHECK2"))
    [*_, resumed] = await slack.fake.wait_for("chat.postMessage", count=3)
    resumed_json = json.dumps(resumed.params["blocks"])
    assert "Back to the draft" in resumed.params["text"] and "heparin" in resumed_json
    assert ids.DRAFT_SAVE in resumed_json


async def test_win_command_logs_a_win_and_answers_ephemerally(slack: SlackStack) -> None:
    body = command_body("/win", "trained 2 new techs on the IV hood this week", channel_id="C111")
    response = await slack.send(body)
    assert response.status_code == 200
    [ephemeral] = await slack.fake.wait_for("chat.postEphemeral")
    assert ephemeral.params["user"] == "U123ABC456"
    assert ids.WIN_EDIT in json.dumps(ephemeral.params["blocks"])
    async with slack.runtime.sessions() as session:
        [win] = list(await session.scalars(select(Win)))
    assert win.numbers == {"people_trained": 2}


async def test_a_win_that_says_goodbye_gets_crisis_resources_and_is_not_stored(
    slack: SlackStack,
) -> None:
    text = "covered the night shift for the last time, ive been saving oxy from the returns bin"
    await slack.send(command_body("/win", text, channel_id="C111"))
    [ephemeral] = await slack.fake.wait_for("chat.postEphemeral")
    assert "988" in json.dumps(ephemeral.params["blocks"])
    assert ids.WIN_EDIT not in json.dumps(ephemeral.params["blocks"])
    async with slack.runtime.sessions() as session:
        assert list(await session.scalars(select(Win))) == []


async def test_a_win_about_a_caught_overdose_is_logged(slack: SlackStack) -> None:
    text = "caught a tenfold morphine overdose in verification before it went up to 4 West"
    await slack.send(command_body("/win", text, channel_id="C111"))
    [ephemeral] = await slack.fake.wait_for("chat.postEphemeral")
    assert ids.WIN_EDIT in json.dumps(ephemeral.params["blocks"])
    async with slack.runtime.sessions() as session:
        [win] = list(await session.scalars(select(Win)))
    assert win.category == "caught_error"


async def test_win_command_without_text_gets_usage(slack: SlackStack) -> None:
    response = await slack.send(command_body("/win", ""))
    assert response.status_code == 200
    assert "Tell me what you did" in response.text


async def test_a_button_on_a_draft_that_no_longer_exists_gets_a_note(slack: SlackStack) -> None:
    payload = load_payload(
        "block_actions.json",
        team="T123ABC456",
        user="U2147483697",
        action_id=ids.DRAFT_SAVE,
        value="gone",
    )
    response = await slack.send(interactivity_body(payload))
    assert response.status_code == 200
    [note] = await slack.fake.wait_for("chat.postEphemeral")
    assert "isn't the current one" in note.params["text"]


async def test_save_button_saves_the_current_draft(slack: SlackStack) -> None:
    await slack.send(event_body(text=VENT))
    [posted] = await slack.fake.wait_for("chat.postMessage")
    save = next(
        element
        for block in posted.params["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == ids.DRAFT_SAVE
    )
    payload = load_payload(
        "block_actions.json",
        team="T123ABC456",
        user="U2147483697",
        action_id=ids.DRAFT_SAVE,
        value=save["value"],
    )
    await slack.send(interactivity_body(payload))
    [note] = await slack.fake.wait_for("chat.postEphemeral")
    assert "Saved as draft #" in note.params["text"]


async def test_app_uninstalled_marks_the_workspace(slack: SlackStack) -> None:
    await slack.send(event_body(text=VENT, team_id="TXXXXXXXX", event_id="Ev0FIRST"))
    await slack.fake.wait_for("chat.postMessage")
    raw = load_fixture("event_app_uninstalled.json")
    assert isinstance(raw, dict)
    assert (await slack.send(json.dumps(raw).encode())).status_code == 200
    await slack.send(json.dumps(load_fixture("event_generic_envelope.json")).encode())
    async with slack.runtime.sessions() as session:
        workspace = await session.scalar(
            select(Workspace).where(Workspace.external_id == "TXXXXXXXX")
        )
    assert workspace is not None
    assert workspace.uninstalled_at is not None


def _button(posted: object, action_id: str) -> dict[str, str]:
    return next(
        element
        for block in posted.params["blocks"]  # type: ignore[attr-defined]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == action_id
    )


async def _press(slack: SlackStack, action_id: str, value: str) -> None:
    payload = load_payload(
        "block_actions.json",
        team="T123ABC456",
        user="U2147483697",
        action_id=action_id,
        value=value,
    )
    assert (await slack.send(interactivity_body(payload))).status_code == 200


async def test_shorter_copy_and_discard_buttons(slack: SlackStack) -> None:
    await slack.send(event_body(text=VENT))
    [first] = await slack.fake.wait_for("chat.postMessage")
    await _press(slack, ids.DRAFT_SHORTER, _button(first, ids.DRAFT_SHORTER)["value"])
    shorter = (await slack.fake.wait_for("chat.postMessage", count=2))[1]
    assert len(shorter.params["text"]) <= len(first.params["text"])
    # The first message's buttons are now stale; the new ones work.
    await _press(slack, ids.DRAFT_COPY_FOR_MANAGER, _button(first, ids.DRAFT_SAVE)["value"])
    [note] = await slack.fake.wait_for("chat.postEphemeral")
    assert "isn't the current one" in note.params["text"]
    await _press(slack, ids.DRAFT_COPY_FOR_MANAGER, _button(shorter, ids.DRAFT_SAVE)["value"])
    copied = (await slack.fake.wait_for("chat.postMessage", count=3))[2]
    assert "Here's what's not working" in json.dumps(copied.params["blocks"])
    await _press(slack, ids.DRAFT_DISCARD, _button(shorter, ids.DRAFT_SAVE)["value"])
    discarded = (await slack.fake.wait_for("chat.postEphemeral", count=2))[1]
    assert "Discarded" in discarded.params["text"]


async def test_a_retry_reaching_another_replica_is_not_processed_again(slack: SlackStack) -> None:
    import httpx2

    from bot.app import create_services
    from bot.server import create_server
    from tests.helpers.slack_signing import SIGNING_SECRET, signed_headers
    from tests.http import serve

    body = event_body(text=VENT)
    await slack.send(body)
    await slack.fake.wait_for("chat.postMessage")
    # A second replica: same database, its own (empty) memory of recent events.
    replica = create_server(create_services(slack.runtime), slack_client=slack.fake.client())
    other = event_body(
        text="The IV hood was down for 3 hours", event_id="Ev0OTHER2", user="U0OTHER"
    )
    async with serve(replica) as base, httpx2.AsyncClient(base_url=base) as http:
        retry = signed_headers(SIGNING_SECRET, body, retry_num=1)
        assert (await http.post("/slack/events", content=body, headers=retry)).status_code == 200
        headers = signed_headers(SIGNING_SECRET, other)
        assert (await http.post("/slack/events", content=other, headers=headers)).status_code == 200
        await slack.fake.wait_for("chat.postMessage", count=2)
    texts = [call.params["text"] for call in slack.fake.calls_to("chat.postMessage")]
    assert len(texts) == 2
    assert sum("heparin" in text for text in texts) == 1


async def test_a_failing_listener_tells_the_person_briefly_and_logs_no_text(
    slack: SlackStack, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.coaching.conversation import ConversationService

    async def broken(self: object, who: object, text: str) -> None:
        raise RuntimeError(f"could not handle {text}")

    monkeypatch.setattr(ConversationService, "message", broken)
    secret = "Pt John Smith MRN 00482913 missed his heparin"
    await slack.send(event_body(text=secret))
    [note] = await slack.fake.wait_for("chat.postEphemeral")
    assert note.params["user"] == "U2147483697"
    assert "Something went wrong on my side" in note.params["text"]
    assert "00482913" not in caplog.text
    assert "John Smith" not in caplog.text
    assert "RuntimeError" in caplog.text
