"""Conversation references: remembered once per conversation, refreshed only on change."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from bot.store.database import transaction
from bot.store.models import Person, TeamsConversationRef, Workspace
from bot.teams.references import (
    ConversationTarget,
    channel_of,
    find_conversation,
    find_personal,
    forget_conversation,
    remember_conversation,
    tenant_service_url,
)

TENANT = "tenant-1"
URL = "https://smba.trafficmanager.net/amer/"
MOVED = "https://smba.trafficmanager.net/emea/"
CHANNEL = "19:chan@thread.tacv2"


async def rows(sessions):
    async with transaction(sessions) as session:
        return list(
            await session.scalars(select(TeamsConversationRef).order_by(TeamsConversationRef.id))
        )


async def remember_personal(sessions, conversation="a:1ana", user="29:ana", **extra):
    await remember_conversation(
        sessions,
        tenant_id=TENANT,
        conversation_id=conversation,
        service_url=URL,
        kind="personal",
        user_id=user,
        display_name="Ana",
        **extra,
    )


async def test_a_personal_chat_is_found_by_its_user_and_ties_to_a_new_person(sessions):
    await remember_personal(sessions)
    found = await find_personal(sessions, tenant_id=TENANT, user_id="29:ana")
    assert found == ConversationTarget("a:1ana", URL.rstrip("/"), "personal", "Ana")
    async with transaction(sessions) as session:
        person = await session.scalar(select(Person))
        workspace = await session.scalar(select(Workspace))
    assert person is not None and workspace is not None
    assert (workspace.platform, workspace.external_id) == ("teams", TENANT)
    assert (person.platform_user_id, person.display_name) == ("29:ana", "Ana")
    [row] = await rows(sessions)
    assert row.person_id == person.id and row.reference["user_id"] == "29:ana"
    assert await find_personal(sessions, tenant_id=TENANT, user_id="29:bo") is None
    assert await find_personal(sessions, tenant_id="other-tenant", user_id="29:ana") is None


async def test_a_channel_keeps_its_names_when_later_activities_omit_them(sessions):
    await remember_conversation(
        sessions,
        tenant_id=TENANT,
        conversation_id=CHANNEL,
        service_url=URL,
        kind="channel",
        conversation_name="Pharmacy floor",
        team_id="19:team@thread.tacv2",
        team_name="Night shift",
    )
    await remember_conversation(
        sessions,
        tenant_id=TENANT,
        conversation_id=CHANNEL + ";messageid=1700000000123",  # a thread in the channel
        service_url=URL,
        kind="channel",
    )
    [row] = await rows(sessions)
    assert row.conversation_id == CHANNEL and row.person_id is None
    assert row.reference == {
        "kind": "channel",
        "conversation_name": "Pharmacy floor",
        "team_id": "19:team@thread.tacv2",
        "team_name": "Night shift",
    }
    found = await find_conversation(sessions, tenant_id=TENANT, conversation_id=CHANNEL)
    assert found == ConversationTarget(CHANNEL, URL.rstrip("/"), "channel", "Pharmacy floor")
    threaded = await find_conversation(
        sessions, tenant_id=TENANT, conversation_id=CHANNEL + ";messageid=9"
    )
    assert threaded == found


async def test_an_unchanged_activity_writes_nothing(sessions):
    await remember_personal(sessions)
    [before] = await rows(sessions)
    await remember_personal(sessions)
    [after] = await rows(sessions)
    assert after.updated_at == before.updated_at and after.reference == before.reference


async def test_a_new_name_is_written(sessions):
    await remember_personal(sessions)
    await remember_conversation(
        sessions,
        tenant_id=TENANT,
        conversation_id="a:1ana",
        service_url=URL,
        kind="personal",
        user_id="29:ana",
        display_name="Ana María",
    )
    found = await find_personal(sessions, tenant_id=TENANT, user_id="29:ana")
    assert found is not None and found.name == "Ana María"


async def test_a_moved_service_url_moves_the_whole_tenant(sessions):
    await remember_personal(sessions)
    await remember_conversation(
        sessions, tenant_id=TENANT, conversation_id=CHANNEL, service_url=URL, kind="channel"
    )
    await remember_conversation(
        sessions,
        tenant_id="tenant-2",
        conversation_id="a:1zed",
        service_url=URL,
        kind="personal",
        user_id="29:zed",
    )
    assert await tenant_service_url(sessions, tenant_id=TENANT) == URL.rstrip("/")
    await remember_personal(sessions, conversation="a:1ana")  # unchanged
    await remember_conversation(
        sessions, tenant_id=TENANT, conversation_id=CHANNEL, service_url=MOVED, kind="channel"
    )
    assert await tenant_service_url(sessions, tenant_id=TENANT) == MOVED.rstrip("/")
    personal = await find_personal(sessions, tenant_id=TENANT, user_id="29:ana")
    assert personal is not None and personal.service_url == MOVED.rstrip("/")
    other = await find_personal(sessions, tenant_id="tenant-2", user_id="29:zed")
    assert other is not None and other.service_url == URL.rstrip("/")
    assert await tenant_service_url(sessions, tenant_id="nobody") is None


async def test_two_first_messages_at_once_make_one_row(sessions):
    await asyncio.gather(*(remember_personal(sessions) for _ in range(4)))
    await asyncio.gather(
        *(
            remember_conversation(
                sessions,
                tenant_id=TENANT,
                conversation_id=CHANNEL,
                service_url=URL,
                kind="channel",
                conversation_name=f"name {n}",
            )
            for n in range(4)
        )
    )
    async with transaction(sessions) as session:
        people = await session.scalar(select(func.count()).select_from(Person))
        workspaces = await session.scalar(select(func.count()).select_from(Workspace))
    found = await rows(sessions)
    assert (len(found), people, workspaces) == (2, 1, 1)
    assert found[1].reference["conversation_name"].startswith("name ")


async def test_forgetting_a_team_forgets_its_channels_only(sessions):
    team = "19:team@thread.tacv2"
    for channel, team_id in ((team, team), (CHANNEL, team), ("19:x@thread.tacv2", "19:other")):
        await remember_conversation(
            sessions,
            tenant_id=TENANT,
            conversation_id=channel,
            service_url=URL,
            kind="channel",
            team_id=team_id,
        )
    await remember_personal(sessions)
    assert await forget_conversation(sessions, tenant_id="nobody", conversation_id=team) == 0
    assert (
        await forget_conversation(sessions, tenant_id=TENANT, conversation_id=team, team_id=team)
        == 2
    )
    left = {row.conversation_id for row in await rows(sessions)}
    assert left == {"19:x@thread.tacv2", "a:1ana"}
    assert await forget_conversation(sessions, tenant_id=TENANT, conversation_id="a:1ana") == 1
    assert await find_personal(sessions, tenant_id=TENANT, user_id="29:ana") is None


async def test_an_unknown_conversation_type_is_refused(sessions):
    with pytest.raises(ValueError, match="meeting"):
        await remember_conversation(
            sessions, tenant_id=TENANT, conversation_id="x", service_url=URL, kind="meeting"
        )


def test_channel_of_drops_the_thread_suffix():
    assert channel_of(CHANNEL + ";messageid=1") == CHANNEL
    assert channel_of("a:1ana") == "a:1ana"
