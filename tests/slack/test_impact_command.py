"""``/impact``: acknowledged at once, a private summary, and exports uploaded to the DM."""

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

from bot.app import create_services
from bot.slack import ids
from bot.store.people import PersonRef
from tests.helpers.slack_signing import command_body, interactivity_body, load_payload
from tests.helpers.slack_stack import SlackStack

TEAM, USER = "T123ABC456", "U2CERLKJA"
WHO = PersonRef("slack", TEAM, USER)
CHANNEL = "G8PSS9T3V"  # the slash command fixture's channel
WIN = "Trained 2 new techs on the IV hood"


async def _seed_win(slack: SlackStack) -> None:
    today = dt.datetime.now(ZoneInfo("America/Chicago")).date()
    services = create_services(slack.runtime)
    await services.wins.add(WHO, WIN, occurred_on=today, category="trained_mentored")


async def _impact(slack: SlackStack, text: str) -> Any:
    response = await slack.send(command_body("/impact", text, user_id=USER, team_id=TEAM))
    assert response.status_code == 200
    return response


def _buttons(blocks: list[dict[str, Any]]) -> dict[str, str]:
    return {
        element["action_id"]: element.get("value", "")
        for block in blocks
        if block["type"] == "actions"
        for element in block["elements"]
    }


async def test_impact_acks_at_once_then_shows_the_summary_privately(slack: SlackStack) -> None:
    await _seed_win(slack)
    response = await _impact(slack, "")
    assert response.text == ""  # a bare ack: the summary follows as an ephemeral message

    [shown] = await slack.fake.wait_for("chat.postEphemeral")
    assert (shown.params["channel"], shown.params["user"]) == (CHANNEL, USER)
    blocks = shown.params["blocks"]
    assert "Your impact: the last 12 months" in json.dumps(blocks)
    assert WIN in json.dumps(blocks)
    assert "win #" in json.dumps(blocks)
    assert _buttons(blocks) == {ids.IMPACT_SEND_MARKDOWN: "year", ids.IMPACT_SEND_PDF: "year"}
    assert slack.fake.uploads == []
    assert slack.fake.calls_to("chat.postMessage") == []


async def test_impact_30d_pdf_uploads_a_pdf_to_the_dm(slack: SlackStack) -> None:
    await _seed_win(slack)
    await _impact(slack, "30d pdf")

    [note] = await slack.fake.wait_for("chat.postEphemeral")
    assert "Sent your PDF summary to our DM" in note.params["text"]
    [opened] = slack.fake.calls_to("conversations.open")
    assert opened.params["users"] == USER
    [upload] = slack.fake.uploads
    assert upload.completed
    assert upload.filename.endswith(".pdf")
    assert upload.content is not None and upload.content.startswith(b"%PDF")
    assert upload.channel == opened.response["channel"]["id"]
    assert upload.title is not None and "the last 30 days" in upload.title


async def test_send_markdown_button_uploads_markdown_for_the_period(slack: SlackStack) -> None:
    await _seed_win(slack)
    payload = load_payload(
        "block_actions.json",
        team=TEAM,
        user=USER,
        action_id=ids.IMPACT_SEND_MARKDOWN,
        value="30d",
    )
    assert (await slack.send(interactivity_body(payload))).status_code == 200

    [_complete] = await slack.fake.wait_for("files.completeUploadExternal")
    [upload] = slack.fake.uploads
    assert upload.filename.endswith(".md")
    assert upload.content is not None
    markdown = upload.content.decode("utf-8")
    assert WIN in markdown
    assert upload.title is not None and "the last 30 days" in upload.title


async def test_an_unknown_period_gets_the_accepted_forms(slack: SlackStack) -> None:
    await _impact(slack, "fortnight")
    [shown] = await slack.fake.wait_for("chat.postEphemeral")
    text = shown.params["text"]
    assert "fortnight" in text
    for form in ("30d", "90d", "quarter", "year", "all", "YYYY-MM", "YYYY-MM-DD..YYYY-MM-DD"):
        assert form in text
    assert slack.fake.uploads == []


async def test_an_empty_period_says_so_and_offers_to_log_a_win(slack: SlackStack) -> None:
    await _impact(slack, "30d")
    [shown] = await slack.fake.wait_for("chat.postEphemeral")
    assert "No wins logged for the last 30 days yet" in shown.params["text"]
    assert ids.WIN_LOG in _buttons(shown.params["blocks"])
    assert "went wrong" not in shown.params["text"]


async def test_an_empty_period_with_a_format_uploads_nothing(slack: SlackStack) -> None:
    await _impact(slack, "90d csv")
    [shown] = await slack.fake.wait_for("chat.postEphemeral")
    assert "No wins logged for the last 90 days yet" in shown.params["text"]
    assert slack.fake.uploads == []
    assert slack.fake.calls_to("files.getUploadURLExternal") == []


async def test_help_and_extra_words_get_usage_in_the_ack(slack: SlackStack) -> None:
    for text in ("help", "30d quarter pdf"):
        response = await _impact(slack, text)
        body = response.json()
        assert body["text"].startswith("Usage: `/impact [period] [md|pdf|csv]`")
    assert slack.fake.calls_to("chat.postEphemeral") == []


async def test_build_button_on_the_home_tab_posts_the_summary_to_the_dm(
    slack: SlackStack,
) -> None:
    await _seed_win(slack)
    payload = load_payload(
        "block_actions.json",
        team=TEAM,
        user=USER,
        action_id=ids.IMPACT_BUILD,
        value="",
        container={"type": "view", "view_id": "V123"},
    )
    payload.pop("channel", None)
    assert (await slack.send(interactivity_body(payload))).status_code == 200
    [posted] = await slack.fake.wait_for("chat.postMessage")
    [opened] = slack.fake.calls_to("conversations.open")
    assert posted.params["channel"] == opened.response["channel"]["id"]
    assert WIN in json.dumps(posted.params["blocks"])
