import pytest
from sqlalchemy import select

from bot.errors import UserError
from bot.store.models import ThanksOffer, Win
from bot.wins.errors import NotAllowed, NotFound
from bot.wins.identity import PersonRef
from tests.helpers.clock import TODAY

ANA = PersonRef("slack", "T01", "U_ANA")
BEN = PersonRef("slack", "T01", "U_BEN")
CARA = PersonRef("slack", "T01", "U_CARA")


async def _wins_of(sessions):
    async with sessions() as session:
        return list(await session.scalars(select(Win)))


async def test_thanks_become_a_win_only_when_the_thanked_person_accepts(thanks, wins, sessions):
    offer = await thanks.offer(
        ANA, "U_BEN", "thank you for covering my IV room shift", to_name="Ben"
    )
    assert offer.status == "pending" and offer.occurred_on == TODAY
    assert await _wins_of(sessions) == []  # nothing is stored as Ben's yet
    assert [o.id for o in await thanks.pending(BEN)] == [offer.id]
    assert await thanks.pending(ANA) == []

    with pytest.raises(NotAllowed, match="Only the person thanked"):
        await thanks.accept(ANA, offer.id)
    with pytest.raises(NotAllowed):
        await thanks.accept(CARA, offer.id)

    win = await thanks.accept(BEN, offer.id)
    assert win.category == "recognition"
    assert win.source == "thanks"
    assert win.what == "A colleague thanked me: thank you for covering my IV room shift"
    assert [w.id for w in await wins.list_wins(BEN)] == [win.id]
    assert await wins.list_wins(ANA) == []
    with pytest.raises(UserError, match="already accepted"):
        await thanks.accept(BEN, offer.id)
    async with sessions() as session:
        stored = await session.get(ThanksOffer, offer.id)
    assert stored is not None and stored.win_id == win.id and stored.decided_at is not None


async def test_declined_thanks_never_reach_the_log(thanks, wins):
    offer = await thanks.offer(ANA, "U_BEN", "thanks for the help")
    declined = await thanks.decline(BEN, offer.id)
    assert declined.status == "declined"
    assert await wins.list_wins(BEN) == []
    assert await thanks.pending(BEN) == []
    with pytest.raises(UserError, match="already declined"):
        await thanks.accept(BEN, offer.id)


async def test_the_thanker_is_named_when_known(thanks, sessions):
    from bot.store.database import transaction
    from bot.store.people import get_or_create_person, get_or_create_workspace

    async with transaction(sessions) as session:
        workspace = await get_or_create_workspace(session, "slack", "T01")
        await get_or_create_person(session, workspace, "U_ANA", display_name="Ana")
    offer = await thanks.offer(ANA, "U_BEN", "thanks for catching that heparin mix-up")
    win = await thanks.accept(BEN, offer.id)
    assert win.what.startswith("Ana thanked me: ")


async def test_bad_thanks(thanks):
    with pytest.raises(UserError, match="thank them for"):
        await thanks.offer(ANA, "U_BEN", "  ")
    with pytest.raises(UserError, match="log it as a win"):
        await thanks.offer(ANA, "U_ANA", "thanks me")
    with pytest.raises(NotFound):
        await thanks.accept(BEN, 9999)
    other_workspace = PersonRef("slack", "T02", "U_BEN")
    offer = await thanks.offer(ANA, "U_BEN", "thanks!")
    with pytest.raises(NotFound):
        await thanks.accept(other_workspace, offer.id)


async def test_thanks_text_is_redacted(sessions):
    from bot.wins.thanks import ThanksService

    service = ThanksService(sessions, redact=lambda s: s.replace("Mr. Lopez", "[NAME]"))
    offer = await service.offer(ANA, "U_BEN", "thanks for helping Mr. Lopez's family")
    assert offer.text == "thanks for helping [NAME]'s family"
