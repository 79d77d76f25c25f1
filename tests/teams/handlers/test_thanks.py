"""Thanking a colleague in a channel: a private offer in their 1:1 chat, a win if they accept."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.store.models import ThanksOffer, Win
from bot.teams import verbs
from tests.helpers.teams_activities import Sender
from tests.helpers.teams_stack import TeamsStack, card_text, verbs_of

JORDAN = ("29:jordan-lee", "Jordan Lee")
THANKS = "thanks <at>Jordan Lee</at> for covering my Saturday night shift on short notice"


async def _rows(teams: TeamsStack, model: type) -> list[Any]:
    async with teams.runtime.sessions() as session:
        return list(await session.scalars(select(model)))


async def _thank(teams: TeamsStack, text: str = THANKS, mentions=(JORDAN,)) -> dict[str, Any]:
    before = len(teams.connector.calls)
    response = await teams.post(teams.pat.message(text, channel=True, mentions=list(mentions)))
    assert response.status_code == 200
    replies = [
        call.body
        for call in teams.connector.calls[before:]
        if call.conversation_id and call.conversation_id.startswith("19:") and call.body
    ]
    [reply] = replies
    return reply


def _jordan(teams: TeamsStack) -> Sender:
    return Sender(service_url=teams.connector.url, user_id=JORDAN[0], user_name=JORDAN[1])


async def test_a_thanked_colleague_gets_a_private_offer_and_the_win_only_if_they_accept(
    teams: TeamsStack,
) -> None:
    reply = await _thank(teams)
    assert "Sent privately to Jordan Lee" in reply["text"]
    # Jordan's 1:1 chat was opened through the connector and the offer sent there.
    [created] = teams.connector.calls_to("create_conversation")
    assert created.body and created.body["members"] == [{"id": JORDAN[0]}]
    offer_card = teams.connector.cards(created.conversation_id)[-1]
    assert "Pat Lee" in card_text(offer_card) and "Saturday night shift" in card_text(offer_card)
    assert {verbs.THANKS_ACCEPT, verbs.THANKS_DECLINE} <= verbs_of(offer_card)
    [offer] = await _rows(teams, ThanksOffer)
    assert offer.status == "pending" and await _rows(teams, Win) == []

    # Pat cannot accept Jordan's thanks.
    body = await teams.press(verbs.THANKS_ACCEPT, {verbs.THANKS_ID: str(offer.id)})
    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert await _rows(teams, Win) == []

    jordan = _jordan(teams)
    response = await teams.post(
        jordan.execute(verbs.THANKS_ACCEPT, {verbs.THANKS_ID: str(offer.id)})
    )
    card = response.json()["value"]
    assert "Saturday night shift" in card_text(card)
    [win] = await _rows(teams, Win)
    assert win.source == "thanks" and win.category == "recognition"


async def test_declining_keeps_nothing(teams: TeamsStack) -> None:
    await _thank(teams)
    [offer] = await _rows(teams, ThanksOffer)
    jordan = _jordan(teams)
    response = await teams.post(
        jordan.execute(verbs.THANKS_DECLINE, {verbs.THANKS_ID: str(offer.id)})
    )
    assert "isn't in your wins" in card_text(response.json()["value"])
    assert await _rows(teams, Win) == []
    [offer] = await _rows(teams, ThanksOffer)
    assert offer.status == "declined"


async def test_thanks_without_a_colleague_a_reason_or_to_oneself_get_the_usage(
    teams: TeamsStack,
) -> None:
    assert "Mention who to thank" in (await _thank(teams, "thanks for everything", ()))["text"]
    assert "You're welcome" in (await _thank(teams, "thanks!", ()))["text"]
    assert "What are you thanking" in (await _thank(teams, "thanks <at>Jordan Lee</at>"))["text"]
    me = (teams.pat.user_id, teams.pat.user_name)
    reply = await _thank(teams, "thanks <at>Pat Lee</at> for me", (me,))
    assert "yourself" in reply["text"]
    assert await _rows(teams, ThanksOffer) == []


async def test_a_colleague_step_up_cannot_reach_is_named(teams: TeamsStack) -> None:
    teams.connector.fail_create(403, "BotNotInConversationRoster")
    reply = await _thank(teams)
    assert "couldn't reach Jordan Lee" in reply["text"]
