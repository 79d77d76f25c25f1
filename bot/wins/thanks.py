"""Thanks from colleagues: offered by one person, kept as a win only if the thanked one says so.

A colleague thanks someone through the bot (``offer``); the thanked person is asked privately
by their surface and either ``accept``s — the thanks becomes a *recognition received* win of
theirs — or ``decline``s. Until then nothing is in their log, and nobody but the thanked
person can decide.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.errors import UserError
from bot.safety.gate import Redact, resolve_redact
from bot.store import thanks as store
from bot.store.database import transaction
from bot.store.models import Person, ThanksOffer, Win, utcnow
from bot.store.wins import add_win
from bot.wins.categories import RECOGNITION
from bot.wins.errors import NotAllowed, NotFound
from bot.wins.identity import Clock, PersonRef, resolve_person, today_for

MAX_THANKS_CHARS = 2_000


class ThanksService:
    """Offer, accept and decline thanks between people of one workspace.

    Args:
        sessions: The session factory.
        redact: Applied to the thanks text before it is stored (default: the project's redactor).
        clock: Current time (tests fix it).
        default_timezone: For people whose timezone is unknown.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        redact: Redact | None = None,
        clock: Clock = utcnow,
        default_timezone: str = "UTC",
    ) -> None:
        self._sessions = sessions
        self._redact = resolve_redact(redact)
        self._clock = clock
        self._default_timezone = default_timezone

    async def offer(
        self, sender: PersonRef, to_user: str, text: str, *, to_name: str | None = None
    ) -> ThanksOffer:
        """Record ``sender``'s thanks to ``to_user`` (same platform and workspace), pending.

        Args:
            sender: The colleague saying thanks.
            to_user: Platform user id of the person thanked.
            text: What they are thanked for.
            to_name: Display name of the person thanked, stored if they are new.

        Raises:
            UserError: Empty or overlong text, or thanking oneself.
        """
        stripped = (text or "").strip()
        if not stripped:
            raise UserError("What would you like to thank them for?")
        if len(stripped) > MAX_THANKS_CHARS:
            raise UserError(f"Please keep thanks under {MAX_THANKS_CHARS:,} characters.")
        if to_user == sender.user:
            raise UserError("Thanks to yourself go in your wins log: log it as a win instead.")
        redacted = self._redact(stripped).strip() or stripped
        async with transaction(self._sessions) as session:
            giver = await resolve_person(session, sender)
            receiver = await resolve_person(
                session, PersonRef(sender.platform, sender.workspace, to_user)
            )
            if to_name and not receiver.display_name:
                receiver.display_name = to_name
            offer = ThanksOffer(
                workspace_id=giver.workspace_id,
                from_person_id=giver.id,
                to_person_id=receiver.id,
                text=redacted,
                occurred_on=today_for(
                    giver, clock=self._clock, default_timezone=self._default_timezone
                ),
                status="pending",
            )
            await store.add_offer(session, offer)
        return offer

    async def pending(self, who: PersonRef) -> list[ThanksOffer]:
        """Return the thanks waiting for ``who`` to accept or decline, oldest first."""
        async with transaction(self._sessions) as session:
            person = await resolve_person(session, who)
            return await store.pending_for(session, person)

    async def _pending_for(
        self, session: AsyncSession, who: PersonRef, thanks_id: int
    ) -> tuple[ThanksOffer, Person]:
        person = await resolve_person(session, who)
        offer = await store.get_offer(session, thanks_id)
        if offer is None or offer.workspace_id != person.workspace_id:
            raise NotFound(f"There is no thanks #{thanks_id}.")
        if offer.to_person_id != person.id:
            raise NotAllowed("Only the person thanked can add these thanks to their wins.")
        if offer.status != "pending":
            raise UserError(f"Thanks #{thanks_id} was already {offer.status}.")
        return offer, person

    async def accept(self, who: PersonRef, thanks_id: int) -> Win:
        """Add the thanks to ``who``'s wins as *recognition received*.

        Raises:
            NotFound: No such thanks in this workspace.
            NotAllowed: ``who`` is not the person thanked.
            UserError: The thanks was already accepted or declined.
        """
        async with transaction(self._sessions) as session:
            offer, person = await self._pending_for(session, who, thanks_id)
            giver = await store.giver_of(session, offer)
            name = (giver.display_name if giver else None) or "A colleague"
            win = Win(
                workspace_id=person.workspace_id,
                person_id=person.id,
                what=f"{name} thanked me: {offer.text}",
                why=None,
                result=None,
                numbers={},
                category=RECOGNITION,
                leadership="little",
                occurred_on=offer.occurred_on,
                source="thanks",
            )
            await add_win(session, win)
            offer.status, offer.win_id, offer.decided_at = "accepted", win.id, utcnow()
            await session.flush()
        return win

    async def decline(self, who: PersonRef, thanks_id: int) -> ThanksOffer:
        """Leave the thanks out of ``who``'s wins.

        Raises:
            NotFound: No such thanks in this workspace.
            NotAllowed: ``who`` is not the person thanked.
            UserError: The thanks was already accepted or declined.
        """
        async with transaction(self._sessions) as session:
            offer, _person = await self._pending_for(session, who, thanks_id)
            offer.status, offer.decided_at = "declined", utcnow()
            await session.flush()
        return offer
