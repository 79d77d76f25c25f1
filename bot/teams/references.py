"""Conversation references: what Step Up must remember to message a Teams conversation later.

Teams lets a bot post proactively (nudges, digests, notices) only into a conversation it already
knows, at that tenant's connector (the ``serviceUrl`` of the activities it receives). Every
inbound activity passes through :func:`remember_conversation`, which keeps one
:class:`~bot.store.models.TeamsConversationRef` row per (tenant, conversation) and writes only
when something changed; the sender finds the rows again with :func:`find_personal`,
:func:`find_conversation` and :func:`tenant_service_url`.

The ``reference`` JSON keeps what the columns do not: ``kind`` (``personal``, ``channel`` or
``groupChat``), the user id and name of a personal chat, and the names of a channel and its team.
The queries live in :mod:`bot.store.teams_conversations`; this module opens the transactions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store import teams_conversations as store
from bot.store.database import transaction
from bot.store.models import TeamsConversationRef, utcnow
from bot.store.people import get_or_create_person, get_or_create_workspace

KINDS = frozenset({"personal", "channel", "groupChat"})


@dataclass(frozen=True)
class ConversationTarget:
    """Where to post a proactive message in Teams.

    Attributes:
        conversation_id: The conversation (``a:…`` personal, ``19:…`` channel or group chat).
        service_url: The connector that serves it.
        kind: ``personal``, ``channel`` or ``groupChat``.
        name: The channel's or chat's name, or the person's for a personal chat (when known).
    """

    conversation_id: str
    service_url: str
    kind: str
    name: str | None


async def remember_conversation(
    sessions: async_sessionmaker[AsyncSession],
    *,
    tenant_id: str,
    conversation_id: str,
    service_url: str,
    kind: str,
    user_id: str | None = None,
    display_name: str | None = None,
    conversation_name: str | None = None,
    team_id: str | None = None,
    team_name: str | None = None,
    timezone: str | None = None,
) -> None:
    """Record (or refresh) how to reach a conversation; called for every inbound activity.

    Names and ids already known are kept when an activity omits them (Teams sends a team's name
    only on some events). A personal chat is tied to its person, created on first sight. When the
    service URL differs from the one stored, every conversation of the tenant moves to the new
    one: Teams serves a tenant from one connector and announces a move this way.

    Args:
        sessions: The session factory.
        tenant_id: The Teams tenant (``conversation.tenantId``).
        conversation_id: ``conversation.id`` of the activity (a thread's suffix is dropped).
        service_url: ``serviceUrl`` of the activity.
        kind: ``conversation.conversationType``: ``personal``, ``channel`` or ``groupChat``.
        user_id: The Teams user id (``29:…``) of a personal chat's person.
        display_name: That person's name.
        conversation_name: The channel's or group chat's name.
        team_id: The team a channel belongs to.
        team_name: That team's name.
        timezone: The IANA zone the person's Teams client reports (``clientInfo``): it becomes
            their timezone when Step Up has none for them yet, so nudges default to their own
            time, as Slack's profile zone does.

    Raises:
        ValueError: ``kind`` is not one of the three conversation types.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown Teams conversation type {kind!r}")
    service_url = service_url.rstrip("/")
    conversation_id = channel_of(conversation_id)
    fresh = {
        "kind": kind,
        "user_id": user_id if kind == "personal" else None,
        "display_name": display_name if kind == "personal" else None,
        "conversation_name": conversation_name,
        "team_id": team_id,
        "team_name": team_name,
        "timezone": _zone(timezone) if kind == "personal" else None,
    }
    # The fast path (nearly every call): the row exists and nothing changed; one read, no write.
    async with transaction(sessions) as session:
        found = await store.find(session, tenant_id=tenant_id, conversation_id=conversation_id)
    if found is not None:
        reference = _merged(found.reference, fresh)
        if (
            found.service_url == service_url
            and reference == found.reference
            and (kind != "personal" or user_id is None or found.person_id is not None)
        ):
            return
    async with transaction(sessions) as session:
        workspace = await get_or_create_workspace(session, store.PLATFORM, tenant_id)
        person_id: int | None = None
        if kind == "personal" and user_id:
            zone = _zone(timezone)
            person = await get_or_create_person(
                session, workspace, user_id, display_name=display_name, timezone=zone
            )
            if person.timezone is None and zone is not None:
                person.timezone = zone
            person_id = person.id
        now = utcnow()
        current = await store.find(session, tenant_id=tenant_id, conversation_id=conversation_id)
        reference = _merged(current.reference if current else {}, fresh)
        # An upsert: two first messages at once may both find no row here.
        await store.upsert(
            session,
            workspace_id=workspace.id,
            conversation_id=conversation_id,
            service_url=service_url,
            reference=reference,
            person_id=person_id,
            now=now,
        )
        if current is None or current.service_url != service_url:
            await store.move_service_url(
                session, workspace_id=workspace.id, service_url=service_url, now=now
            )


def channel_of(conversation_id: str) -> str:
    """Return a conversation id without its thread suffix (``19:…@thread.tacv2;messageid=…``).

    An activity in a channel thread names the thread; proactive posts go to the channel itself.
    """
    return conversation_id.split(";messageid=", 1)[0]


async def find_personal(
    sessions: async_sessionmaker[AsyncSession], *, tenant_id: str, user_id: str
) -> ConversationTarget | None:
    """Return the personal chat between Step Up and a Teams user, or None when there is none."""
    async with transaction(sessions) as session:
        row = await store.find_personal(session, tenant_id=tenant_id, user_id=user_id)
    return None if row is None else _target(row)


async def find_conversation(
    sessions: async_sessionmaker[AsyncSession], *, tenant_id: str, conversation_id: str
) -> ConversationTarget | None:
    """Return a remembered conversation of the tenant (a channel, chat or personal chat)."""
    async with transaction(sessions) as session:
        found = await store.find(
            session, tenant_id=tenant_id, conversation_id=channel_of(conversation_id)
        )
    return None if found is None else _target(found)


async def tenant_service_url(
    sessions: async_sessionmaker[AsyncSession], *, tenant_id: str
) -> str | None:
    """Return the connector URL the tenant's activities came from most recently, or None."""
    async with transaction(sessions) as session:
        return await store.latest_service_url(session, tenant_id=tenant_id)


@dataclass(frozen=True)
class TenantDirectory:
    """Every remembered conversation of one tenant, read in one query (for a scheduler tick).

    Attributes:
        conversations: By conversation id (channels, chats and personal chats).
        personal: Personal chats by the Teams user id of their person (the newest per person).
        service_url: The connector URL of the tenant's most recent activity, or None.
    """

    conversations: dict[str, ConversationTarget]
    personal: dict[str, ConversationTarget]
    service_url: str | None


async def tenant_directory(
    sessions: async_sessionmaker[AsyncSession], *, tenant_id: str
) -> TenantDirectory:
    """Return every remembered conversation of ``tenant_id`` (see :class:`TenantDirectory`)."""
    async with transaction(sessions) as session:
        rows = await store.of_tenant(session, tenant_id=tenant_id)
    conversations: dict[str, ConversationTarget] = {}
    personal: dict[str, ConversationTarget] = {}
    service_url = None
    for row, user_id in rows:  # oldest first: later rows win
        target = _target(row)
        conversations[row.conversation_id] = target
        if user_id is not None:
            personal[user_id] = target
        service_url = row.service_url
    return TenantDirectory(conversations, personal, service_url)


async def forget_conversation(
    sessions: async_sessionmaker[AsyncSession],
    *,
    tenant_id: str,
    conversation_id: str,
    team_id: str | None = None,
) -> int:
    """Forget a conversation (and, given ``team_id``, every channel of that team).

    Used when Step Up is removed from a team: the removal arrives in one channel of the team,
    but the bot can post in none of its channels any more.

    Returns:
        How many conversations were forgotten.
    """
    async with transaction(sessions) as session:
        return await store.forget(
            session,
            tenant_id=tenant_id,
            conversation_id=channel_of(conversation_id),
            team_id=team_id,
        )


def _merged(stored: dict[str, Any] | None, fresh: dict[str, Any]) -> dict[str, Any]:
    """Return ``stored`` updated with the values ``fresh`` knows (None never erases a value)."""
    merged = dict(stored or {})
    merged.update({key: value for key, value in fresh.items() if value is not None})
    return merged


def _target(row: TeamsConversationRef) -> ConversationTarget:
    reference = row.reference or {}
    kind = str(reference.get("kind") or ("personal" if row.person_id else "channel"))
    name = reference.get("display_name") if kind == "personal" else None
    name = name or reference.get("conversation_name")
    return ConversationTarget(
        conversation_id=row.conversation_id,
        service_url=row.service_url,
        kind=kind,
        name=None if name is None else str(name),
    )


def _zone(name: str | None) -> str | None:
    """Return ``name`` when it is a zone this machine knows, else None."""
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name
