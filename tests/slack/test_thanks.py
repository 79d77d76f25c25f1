"""/thanks: the thanked person is asked privately; only accepting makes it their win."""

from sqlalchemy import select

from bot.slack import ids
from bot.store.models import ThanksOffer, Win
from tests.helpers.slack_signing import command_body, interactivity_body, load_payload
from tests.helpers.slack_stack import SlackStack

TEAM = "T123ABC456"


async def test_thanks_is_offered_privately_and_stored_only_when_accepted(slack: SlackStack) -> None:
    body = command_body(
        "/thanks",
        "<@U0NURSE|dana> for covering my IV room shift on Saturday",
        user_id="U0TECH",
        team_id=TEAM,
    )
    response = await slack.send(body)
    assert response.status_code == 200
    [offer_dm] = await slack.fake.wait_for("chat.postMessage")
    [opened] = slack.fake.calls_to("conversations.open")
    assert opened.params["users"] == "U0NURSE"
    accept = next(
        element
        for block in offer_dm.params["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == ids.THANKS_ACCEPT
    )
    async with slack.runtime.sessions() as session:
        assert list(await session.scalars(select(Win))) == []
        [offer] = list(await session.scalars(select(ThanksOffer)))
        assert offer.status == "pending"

    payload = load_payload(
        "block_actions.json",
        team=TEAM,
        user="U0NURSE",
        action_id=ids.THANKS_ACCEPT,
        value=accept["value"],
    )
    assert (await slack.send(interactivity_body(payload))).status_code == 200
    await slack.fake.wait_for("chat.postMessage", count=2)
    async with slack.runtime.sessions() as session:
        [win] = list(await session.scalars(select(Win)))
    assert win.category == "recognition"
    assert "IV room" in win.what


async def test_only_the_thanked_person_can_accept(slack: SlackStack) -> None:
    await slack.send(
        command_body("/thanks", "<@U0NURSE> for the STAT run", user_id="U0TECH", team_id=TEAM)
    )
    await slack.fake.wait_for("chat.postMessage")
    async with slack.runtime.sessions() as session:
        [offer] = list(await session.scalars(select(ThanksOffer)))
    payload = load_payload(
        "block_actions.json",
        team=TEAM,
        user="U0SOMEONE",
        action_id=ids.THANKS_ACCEPT,
        value=str(offer.id),
    )
    await slack.send(interactivity_body(payload))
    notes = await slack.fake.wait_for(
        "chat.postEphemeral", count=2
    )  # "Sent." to the sender, then this
    refusal = next(note for note in notes if note.params["user"] == "U0SOMEONE")
    assert "thanked" in refusal.params["text"].lower() or "only" in refusal.params["text"].lower()
    async with slack.runtime.sessions() as session:
        assert list(await session.scalars(select(Win))) == []


async def test_thanks_usage_and_self_thanks(slack: SlackStack) -> None:
    usage = await slack.send(
        command_body("/thanks", "great job everyone", user_id="U0TECH", team_id=TEAM)
    )
    assert "Usage: `/thanks @colleague" in usage.text
    await slack.send(command_body("/thanks", "<@U0TECH> for me", user_id="U0TECH", team_id=TEAM))
    [note] = await slack.fake.wait_for("chat.postEphemeral")
    assert "Thanking yourself" in note.params["text"]
