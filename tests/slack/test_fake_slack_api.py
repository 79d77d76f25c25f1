"""The real slack_sdk AsyncWebClient (and Bolt) against the fake Slack Web API over HTTP."""

import asyncio
import time
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler

from tests.fakes.slack_api import TEST_BOT_TOKEN, FakeClock, FakeSlack, fake_slack
from tests.helpers.slack_signing import SIGNING_SECRET, command_body, signed_headers

BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Win logged*"}}]


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with fake_slack() as fake:
        yield fake


def bolt_request(secret: str, body: bytes) -> AsyncBoltRequest:
    headers: dict[str, str | Sequence[str]] = {**signed_headers(secret, body)}
    return AsyncBoltRequest(body=body.decode(), headers=headers)


async def test_url_is_the_api_base_the_client_appends_methods_to(fake: FakeSlack) -> None:
    client = fake.client()

    assert fake.url.startswith("http://127.0.0.1:")
    assert fake.url.endswith("/api/")
    assert client.base_url == fake.url
    await client.auth_test()
    assert fake.calls[0].method == "auth.test"


async def test_auth_test(fake: FakeSlack) -> None:
    response = await fake.client().auth_test()

    assert response["ok"] is True
    assert response["team_id"] == "T123ABC456"
    assert response["user_id"] == "U0BOT"
    assert response["bot_id"] == "B0BOT"
    assert response["url"] == "https://t123abc456.slack.com/"
    assert "chat:write" in response.headers["x-oauth-scopes"].split(",")
    [call] = fake.calls_to("auth.test")
    assert call.token == TEST_BOT_TOKEN
    assert call.headers["authorization"] == f"Bearer {TEST_BOT_TOKEN}"


async def test_auth_test_reports_the_team_a_token_was_registered_for() -> None:
    async with fake_slack(FakeSlack(team_id="T000DEFAULT")) as fake:
        fake.register_token("xoxb-test-other-workspace", team_id="T000OTHER")
        default = await fake.client().auth_test()
        other = await fake.client("xoxb-test-other-workspace").auth_test()

    assert default["team_id"] == "T000DEFAULT"
    assert other["team_id"] == "T000OTHER"


async def test_chat_post_message_is_recorded_with_blocks(fake: FakeSlack) -> None:
    client = fake.client()
    first = await client.chat_postMessage(channel="C123", text="Win logged", blocks=BLOCKS)
    second = await client.chat_postMessage(channel="C123", text="again", thread_ts=first["ts"])

    assert first["channel"] == "C123"
    assert first["ts"] == "1700000000.000100"
    assert second["ts"] == "1700000000.000200"
    assert first["message"]["text"] == "Win logged"
    assert first["message"]["blocks"] == BLOCKS
    assert first["message"]["bot_id"] == "B0BOT"
    assert second["message"]["thread_ts"] == first["ts"]
    call = fake.calls_to("chat.postMessage")[0]
    assert call.params["blocks"] == BLOCKS
    assert call.params["channel"] == "C123"
    assert call.headers["content-type"].startswith("application/json")
    assert call.ok
    assert fake.messages[("C123", first["ts"])]["blocks"] == BLOCKS


async def test_chat_update_and_delete_change_the_stored_message(fake: FakeSlack) -> None:
    client = fake.client()
    posted = await client.chat_postMessage(channel="C1", text="draft")
    updated = await client.chat_update(channel="C1", ts=posted["ts"], text="saved", blocks=BLOCKS)
    assert updated["message"]["text"] == "saved"
    assert fake.messages[("C1", posted["ts"])]["blocks"] == BLOCKS

    deleted = await client.chat_delete(channel="C1", ts=posted["ts"])

    assert deleted["ts"] == posted["ts"]
    assert ("C1", posted["ts"]) not in fake.messages
    # The async client sends `params=` arguments in the query string, even on POST.
    [call] = fake.calls_to("chat.delete")
    assert call.params == {"channel": "C1", "ts": posted["ts"]}


async def test_post_to_a_user_id_goes_to_the_dm_and_ephemeral_needs_a_user(
    fake: FakeSlack,
) -> None:
    client = fake.client()
    posted = await client.chat_postMessage(channel="U777", text="Time to log a win?")
    ephemeral = await client.chat_postEphemeral(channel="C1", user="U777", text="only you")

    assert posted["channel"] == "D777"
    assert ephemeral["message_ts"] > posted["ts"]
    with pytest.raises(SlackApiError) as raised:
        # Through api_call: chat_postMessage without text warns (an error under our filters).
        await client.api_call("chat.postMessage", json={"channel": "C1"})
    assert raised.value.response["error"] == "no_text"


async def test_configured_channels_refuse_posts_the_bot_cannot_make(fake: FakeSlack) -> None:
    fake.add_channel("C0OUTSIDE", name="outside", is_member=False)
    fake.add_channel("C0OLD", name="old", is_archived=True)
    client = fake.client()

    with pytest.raises(SlackApiError) as outside:
        await client.chat_postMessage(channel="C0OUTSIDE", text="hi")
    with pytest.raises(SlackApiError) as old:
        await client.chat_postMessage(channel="C0OLD", text="hi")

    assert outside.value.response["error"] == "not_in_channel"
    assert old.value.response["error"] == "is_archived"


async def test_users_info_has_a_timezone_and_is_configurable(fake: FakeSlack) -> None:
    fake.add_user("U2", real_name="Dana Tech", tz="America/New_York", is_admin=True)
    client = fake.client()

    default = (await client.users_info(user="U1"))["user"]
    configured = (await client.users_info(user="U2"))["user"]

    chicago = datetime.now(ZoneInfo("America/Chicago")).utcoffset()
    assert chicago is not None
    assert default["id"] == "U1"
    assert default["tz"] == "America/Chicago"
    assert default["tz_offset"] == int(chicago.total_seconds())
    assert default["is_admin"] is False
    assert default["is_bot"] is False
    assert configured["real_name"] == "Dana Tech"
    assert configured["profile"]["real_name"] == "Dana Tech"
    assert configured["tz"] == "America/New_York"
    assert configured["is_admin"] is True
    assert fake.calls_to("users.info")[0].http_method == "GET"


async def test_conversations_open_and_info(fake: FakeSlack) -> None:
    fake.add_channel("C0TEAM", name="pharmacy-team", is_private=True)
    client = fake.client()

    opened = await client.conversations_open(users="U42")
    dm = await client.conversations_info(channel=opened["channel"]["id"])
    team = await client.conversations_info(channel="C0TEAM")
    with pytest.raises(SlackApiError) as missing:
        await client.conversations_info(channel="C0NOPE")

    assert opened["channel"]["id"] == "D42"
    assert dm["channel"]["is_im"] is True
    assert dm["channel"]["user"] == "U42"
    assert team["channel"]["name"] == "pharmacy-team"
    assert team["channel"]["is_private"] is True
    assert missing.value.response["error"] == "channel_not_found"


async def test_views_open_update_and_publish(fake: FakeSlack) -> None:
    client = fake.client()
    modal = {
        "type": "modal",
        "callback_id": "log_win",
        "title": {"type": "plain_text", "text": "Log a win"},
        "blocks": BLOCKS,
        "private_metadata": "D1",
    }

    opened = await client.views_open(trigger_id="111.222.valid", view=modal)
    updated = await client.views_update(view_id=opened["view"]["id"], view={**modal, "blocks": []})
    home = await client.views_publish(user_id="U1", view={"type": "home", "blocks": BLOCKS})

    view = opened["view"]
    assert view["id"].startswith("V")
    assert view["callback_id"] == "log_win"
    assert view["private_metadata"] == "D1"
    assert view["state"] == {"values": {}}
    assert view["team_id"] == "T123ABC456"
    assert fake.calls_to("views.open")[0].params["view"] == modal
    assert updated["view"]["id"] == view["id"]
    assert updated["view"]["blocks"] == []
    assert fake.views[view["id"]]["blocks"] == []
    assert home["view"]["type"] == "home"
    assert fake.home_views["U1"]["blocks"] == BLOCKS


async def test_files_upload_v2_end_to_end(fake: FakeSlack) -> None:
    content = b"category,count\ntrained someone,3\n"

    response = await fake.client().files_upload_v2(
        channel="C0TEAM",
        filename="impact.csv",
        title="Impact summary",
        content=content,
        initial_comment="Here is your impact summary",
    )

    [upload] = fake.uploads
    assert upload.content == content
    assert upload.filename == "impact.csv"
    assert upload.title == "Impact summary"
    assert upload.channel == "C0TEAM"
    assert upload.initial_comment == "Here is your impact summary"
    assert upload.completed
    assert response["file"]["id"] == upload.file_id
    assert response["file"]["title"] == "Impact summary"
    [get_url] = fake.calls_to("files.getUploadURLExternal")
    assert get_url.params["length"] == str(len(content))
    [complete] = fake.calls_to("files.completeUploadExternal")
    assert complete.params["files"] == [{"id": upload.file_id, "title": "Impact summary"}]


async def test_unknown_method_is_an_api_error_with_http_200(fake: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as raised:
        await fake.client().api_call("pharmacy.refill")

    assert raised.value.response.status_code == 200
    assert raised.value.response["error"] == "unknown_method"
    assert fake.calls[0].method == "pharmacy.refill"


async def test_missing_invalid_and_revoked_tokens(fake: FakeSlack) -> None:
    errors = []
    for token in (None, "xoxp-test-user-token-not-real", "not-a-token"):
        with pytest.raises(SlackApiError) as raised:
            await fake.client(token).auth_test()
        errors.append(raised.value.response["error"])
    fake.revoke_token(TEST_BOT_TOKEN)
    with pytest.raises(SlackApiError) as revoked:
        await fake.client().chat_postMessage(channel="C1", text="hi")

    assert errors == ["not_authed", "invalid_auth", "invalid_auth"]
    assert revoked.value.response["error"] == "token_revoked"
    assert fake.messages == {}


async def test_a_configured_token_set_refuses_other_bot_tokens() -> None:
    async with fake_slack(FakeSlack(tokens={"xoxb-test-only-this-one"})) as fake:
        await fake.client("xoxb-test-only-this-one").auth_test()
        with pytest.raises(SlackApiError) as raised:
            await fake.client().auth_test()

    assert raised.value.response["error"] == "invalid_auth"


async def test_scripted_failures_answer_the_next_calls_only(fake: FakeSlack) -> None:
    fake.fail_next("chat.postMessage", "channel_not_found")
    fake.fail_next("users.info", "missing_scope", needed="users:read")
    client = fake.client()

    with pytest.raises(SlackApiError) as failed:
        await client.chat_postMessage(channel="C1", text="hi")
    retried = await client.chat_postMessage(channel="C1", text="hi")
    with pytest.raises(SlackApiError) as scope:
        await client.users_info(user="U1")

    assert failed.value.response["error"] == "channel_not_found"
    assert retried["ok"] is True
    assert scope.value.response["needed"] == "users:read"
    assert [call.ok for call in fake.calls_to("chat.postMessage")] == [False, True]


async def test_rate_limit_429_is_honoured_by_slack_sdks_retry_handler() -> None:
    async with fake_slack(FakeSlack(rate_limit_per_channel_per_s=1.0)) as fake:
        client = fake.client(retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=1)])
        await client.chat_postMessage(channel="C1", text="first")
        started = time.monotonic()
        response = await client.chat_postMessage(channel="C1", text="second")
        elapsed = time.monotonic() - started

    assert response["ok"] is True
    first, limited, retried = fake.calls_to("chat.postMessage")
    assert (first.status, limited.status, retried.status) == (200, 429, 200)
    assert limited.response == {"ok": False, "error": "ratelimited"}
    assert limited.response_headers["Retry-After"] == "1"
    assert limited.params["text"] == retried.params["text"] == "second"
    assert retried.at - limited.at >= 1.0
    assert elapsed >= 1.0


async def test_scripted_429_carries_retry_after(fake: FakeSlack) -> None:
    fake.fail_next("chat.postMessage", "ratelimited", status=429, retry_after=30)

    with pytest.raises(SlackApiError) as raised:
        await fake.client().chat_postMessage(channel="C1", text="hi")

    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "30"


async def _post_status(client: Any, channel: str) -> tuple[int, str | None]:
    try:
        await client.chat_postMessage(channel=channel, text="nudge")
    except SlackApiError as exc:
        return exc.response.status_code, exc.response.headers.get("Retry-After")
    return 200, None


async def test_rate_limiter_is_deterministic_with_a_fake_clock() -> None:
    clock = FakeClock()
    fake = FakeSlack(rate_limit_per_channel_per_s=1.0, workspace_limit_per_min=3, clock=clock)
    async with fake_slack(fake):
        client = fake.client()
        statuses = [await _post_status(client, "C1"), await _post_status(client, "C1")]
        statuses.append(await _post_status(client, "C2"))
        clock.advance(1.0)
        statuses.append(await _post_status(client, "C1"))
        # Three posts accepted in the last minute: the workspace limit refuses a fourth channel.
        statuses.append(await _post_status(client, "C3"))
        user = await client.users_info(user="U1")
        clock.advance(59.0)
        statuses.append(await _post_status(client, "C3"))

    assert statuses == [
        (200, None),
        (429, "1"),
        (200, None),
        (200, None),
        (429, "59"),
        (200, None),
    ]
    assert user["ok"] is True


async def test_wait_for_wakes_when_matching_calls_arrive(fake: FakeSlack) -> None:
    client = fake.client()

    async def post_later() -> None:
        await client.chat_postMessage(channel="C1", text="one")
        await client.chat_postMessage(channel="C2", text="two")

    task = asyncio.create_task(post_later())
    calls = await fake.wait_for("chat.postMessage", count=2)
    in_c2 = await fake.wait_for("chat.postMessage", where=lambda c: c.params["channel"] == "C2")
    await task

    assert [call.params["text"] for call in calls] == ["one", "two"]
    assert [call.params["text"] for call in in_c2] == ["two"]


async def test_wait_for_times_out_naming_the_calls_seen(fake: FakeSlack) -> None:
    await fake.client().auth_test()

    with pytest.raises(TimeoutError, match=r"views\.open.*auth\.test"):
        await fake.wait_for("views.open", timeout=0.05)


async def test_reset_forgets_calls_but_keeps_configuration(fake: FakeSlack) -> None:
    fake.add_user("U5", real_name="Kept")
    client = fake.client()
    await client.chat_postMessage(channel="C1", text="hi")
    fake.fail_next("auth.test")

    fake.reset()
    await client.auth_test()
    user = await client.users_info(user="U5")

    assert [call.method for call in fake.calls] == ["auth.test", "users.info"]
    assert fake.messages == {}
    assert user["user"]["real_name"] == "Kept"


async def test_form_encoded_body_with_legacy_token_and_json_fields(fake: FakeSlack) -> None:
    form = {
        "token": TEST_BOT_TOKEN,
        "channel": "C1",
        "text": "",
        "blocks": '[{"type": "divider"}]',
    }
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{fake.url}chat.postMessage", data=form) as response,
    ):
        body = await response.json()

    assert response.status == 200
    assert body["ok"] is True
    [call] = fake.calls
    assert call.token == TEST_BOT_TOKEN
    assert call.params == {"channel": "C1", "text": "", "blocks": [{"type": "divider"}]}


async def test_chat_stream_start_append_stop(fake: FakeSlack) -> None:
    streamer = await fake.client().chat_stream(channel="D1", thread_ts="1700.1", buffer_size=5)
    await streamer.append(markdown_text="Problem: ")
    await streamer.append(markdown_text="ADC stockouts")
    await streamer.stop(blocks=BLOCKS)

    assert streamer.ts is not None
    stream = fake.streams[streamer.ts]
    assert stream.text == "Problem: ADC stockouts"
    assert stream.stopped
    assert stream.thread_ts == "1700.1"
    assert fake.messages[("D1", streamer.ts)]["blocks"] == BLOCKS
    assert [c.method for c in fake.calls] == [
        "chat.startStream",
        "chat.appendStream",
        "chat.stopStream",
    ]
    with pytest.raises(SlackApiError) as again:
        await fake.client().chat_appendStream(channel="D1", ts=streamer.ts, markdown_text="x")
    assert again.value.response["error"] == "message_not_in_streaming_state"


async def test_chat_stream_in_a_channel_needs_a_recipient(fake: FakeSlack) -> None:
    streamer = await fake.client().chat_stream(channel="C1", thread_ts="1700.1")
    with pytest.raises(SlackApiError) as raised:
        await streamer.stop(markdown_text="hello")

    assert raised.value.response["error"] == "missing_recipient_user_id"


async def test_streaming_disabled_fails_so_the_app_can_fall_back() -> None:
    async with fake_slack(FakeSlack(streaming=False)) as fake:
        client = fake.client()
        streamer = await client.chat_stream(channel="D1", thread_ts="1700.1")
        with pytest.raises(SlackApiError) as raised:
            await streamer.stop(markdown_text="hello")
        fallback = await client.chat_postMessage(channel="D1", thread_ts="1700.1", text="hello")

    assert raised.value.response["error"] == "unknown_method"
    assert fallback["ok"] is True
    assert fake.streams == {}


async def test_assistant_thread_status_and_prompts(fake: FakeSlack) -> None:
    client = fake.client()
    prompts = [{"title": "Log a win", "message": "I want to log a win"}]

    await client.assistant_threads_setStatus(
        channel_id="D1", thread_ts="1700.1", status="is thinking..."
    )
    await client.assistant_threads_setSuggestedPrompts(channel_id="D1", prompts=prompts)
    with pytest.raises(SlackApiError) as raised:
        await client.api_call("assistant.threads.setStatus", json={"channel_id": "D1"})

    [status] = fake.calls_to("assistant.threads.setStatus")[:1]
    assert status.params["status"] == "is thinking..."
    assert fake.calls_to("assistant.threads.setSuggestedPrompts")[0].params["prompts"] == prompts
    assert raised.value.response["error"] == "invalid_arguments"


async def test_bolt_app_answers_a_signed_command_through_the_fake(fake: FakeSlack) -> None:
    app = AsyncApp(client=fake.client(), signing_secret=SIGNING_SECRET)

    @app.command("/win")
    async def log_win(ack: Any, body: dict[str, Any], client: Any) -> None:
        await ack()
        await client.chat_postMessage(channel=body["user_id"], text=f"Logged: {body['text']}")

    body = command_body("/win", "trained two new techs", user_id="U777")
    response = await app.async_dispatch(bolt_request(SIGNING_SECRET, body))
    [posted] = await fake.wait_for("chat.postMessage")

    assert response.status == 200
    # Bolt's single-workspace authorization asks auth.test before running the listener.
    assert fake.calls[0].method == "auth.test"
    assert posted.params["channel"] == "U777"
    assert posted.params["text"] == "Logged: trained two new techs"
    assert posted.response["channel"] == "D777"


async def test_bolt_app_rejects_a_command_signed_with_another_secret(fake: FakeSlack) -> None:
    app = AsyncApp(client=fake.client(), signing_secret=SIGNING_SECRET)
    body = command_body("/win", "x")

    response = await app.async_dispatch(bolt_request("wrong-secret", body))

    assert response.status == 401
    assert fake.calls == []
