"""Replies in AI agent threads are streamed; without streaming they are posted as before."""

import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import httpx2
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import create_services
from bot.coaching.models import CoachReply, Draft
from bot.runtime import open_runtime
from bot.server import create_server
from bot.settings import load_settings
from bot.slack import ids
from bot.slack.listeners.message_im import reply_markdown
from bot.slack.mrkdwn import WORD_JOINER
from tests.fakes.slack_api import TEST_BOT_TOKEN, FakeSlack, fake_slack
from tests.helpers.slack_signing import SIGNING_SECRET, event_body
from tests.helpers.slack_stack import SlackStack
from tests.http import serve

THREAD = "1700000000.000001"
VENT = (
    "The Pyxis on 4 West was out of heparin flushes AGAIN and nursing blamed us. "
    "We restocked it yesterday. The par levels are just wrong."
)

Stack = Callable[[FakeSlack], AbstractAsyncContextManager[SlackStack]]


@pytest.fixture
def stack(database_url: str, engine: AsyncEngine) -> Stack:
    """The server with the real Bolt app, talking to a FakeSlack the test configures."""

    @asynccontextmanager
    async def running(fake: FakeSlack) -> AsyncIterator[SlackStack]:
        async with fake_slack(fake):
            settings = load_settings(
                database_url=database_url,
                slack_bot_token=TEST_BOT_TOKEN,
                slack_signing_secret=SIGNING_SECRET,
                slack_api_url=fake.url,
                coach="offline",
            )
            runtime = await open_runtime(settings)
            try:
                app = create_server(create_services(runtime), slack_client=fake.client())
                async with serve(app) as base, httpx2.AsyncClient(base_url=base) as http:
                    yield SlackStack(fake=fake, http=http, runtime=runtime)
            finally:
                await runtime.close()

    return running


def _action_ids(blocks: object) -> set[str]:
    return {
        element["action_id"]
        for block in blocks  # type: ignore[attr-defined]
        if block["type"] == "actions"
        for element in block["elements"]
    }


async def test_a_vent_in_an_agent_thread_is_streamed_with_buttons_at_the_end(
    stack: Stack,
) -> None:
    async with stack(FakeSlack(streaming=True)) as slack:
        await slack.send(event_body(text=VENT, thread_ts=THREAD))
        [stopped] = await slack.fake.wait_for("chat.stopStream")
        [started] = slack.fake.calls_to("chat.startStream")
        assert started.params["thread_ts"] == THREAD
        assert started.params["recipient_user_id"] == "U2147483697"
        assert started.params["recipient_team_id"] == "T123ABC456"
        [stream] = slack.fake.streams.values()
        assert stream.stopped
        assert "**Problem**" in stream.text and "**My role**" in stream.text
        assert "heparin" in stream.text
        assert stream.blocks is not None
        assert {ids.DRAFT_SAVE, ids.DRAFT_DISCARD} <= _action_ids(stream.blocks)
        # The whole text is streamed, the buttons arrive only with the stop.
        assert all(block["type"] in ("actions", "context") for block in stream.blocks)
        assert stopped.ok
        assert slack.fake.calls_to("chat.postMessage") == []


async def test_without_streaming_the_reply_is_posted_with_every_block(stack: Stack) -> None:
    async with stack(FakeSlack(streaming=False)) as slack:
        await slack.send(event_body(text=VENT, thread_ts=THREAD))
        [posted] = await slack.fake.wait_for("chat.postMessage")
        assert [call.ok for call in slack.fake.calls_to("chat.startStream")] == [False]
        assert posted.params["thread_ts"] == THREAD
        blocks_json = json.dumps(posted.params["blocks"])
        assert "Problem" in blocks_json and "heparin" in posted.params["text"]
        assert {ids.DRAFT_SAVE, ids.DRAFT_EDIT} <= _action_ids(posted.params["blocks"])
        assert slack.fake.streams == {}


async def test_a_stream_that_fails_half_way_becomes_the_whole_message(stack: Stack) -> None:
    async with stack(FakeSlack(streaming=True)) as slack:
        slack.fake.fail_next("chat.stopStream", "message_not_in_streaming_state")
        await slack.send(event_body(text=VENT, thread_ts=THREAD))
        [updated] = await slack.fake.wait_for("chat.update")
        [stream] = slack.fake.streams.values()
        assert updated.params["ts"] == stream.ts
        assert ids.DRAFT_SAVE in json.dumps(updated.params["blocks"])
        assert slack.fake.calls_to("chat.postMessage") == []


async def test_a_crisis_in_an_agent_thread_is_never_streamed(stack: Stack) -> None:
    async with stack(FakeSlack(streaming=True)) as slack:
        await slack.send(event_body(text="I want to kill myself tonight", thread_ts=THREAD))
        [posted] = await slack.fake.wait_for("chat.postMessage")
        assert "988" in json.dumps(posted.params["blocks"][0])
        assert '"actions"' not in json.dumps(posted.params["blocks"])
        assert slack.fake.calls_to("chat.startStream") == []


async def test_a_dm_outside_a_thread_is_posted_not_streamed(stack: Stack) -> None:
    async with stack(FakeSlack(streaming=True)) as slack:
        await slack.send(event_body(text=VENT))
        [posted] = await slack.fake.wait_for("chat.postMessage")
        assert "thread_ts" not in posted.params
        assert slack.fake.calls_to("chat.startStream") == []


def test_streamed_markdown_escapes_user_and_model_text() -> None:
    reply = CoachReply(
        kind="draft",
        acknowledgement="That sounds rough <!channel>",
        draft=Draft(
            problem="Stockouts & <@U999> blame",
            proposed_fix="See [the policy](https://evil.example) @here",
            my_role="I restock",
        ),
        questions=["How often?", "  "],
    )
    text = "".join(reply_markdown(reply))
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text
    assert "&amp; &lt;@U999&gt;" in text
    assert "](https" not in text and f"]{WORD_JOINER}(https" in text
    assert "@here" not in text
    assert text.count("\n- ") == 1
