"""Who and where an incoming Teams activity comes from, as Step Up's services name them.

A Teams tenant is a Step Up workspace (``platform="teams"``); a person is the Teams user id
(``29:…``, what the connector needs to open a 1:1 chat); a channel is the channel's conversation
id without the ``;messageid=`` thread suffix, which is also where a proactive post goes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.store.people import PersonRef

PLATFORM = "teams"
UNKNOWN_TENANT = "unknown-tenant"
"""The workspace of activities that carry no tenant (only local tools send such)."""


@dataclass(frozen=True)
class Turn:
    """The parts of an activity every handler needs.

    Attributes:
        who: The person who acted.
        tenant_id: The Teams tenant (Step Up workspace).
        conversation_id: The conversation as the connector names it (with any thread suffix).
        kind: ``personal``, ``channel`` or ``groupChat``.
        channel_id: For a channel, its id without the thread suffix; else None.
        conversation_name: The channel or chat name when Teams sends one.
        team_id: The team of a channel, when Teams sends it.
        team_name: Its name.
        service_url: Where replies and proactive messages for this tenant go.
        client_timezone: The IANA zone the person's Teams client reports, when it does.
    """

    who: PersonRef
    tenant_id: str
    conversation_id: str
    kind: str
    channel_id: str | None
    conversation_name: str | None
    team_id: str | None
    team_name: str | None
    service_url: str
    client_timezone: str | None = None

    @property
    def personal(self) -> bool:
        """True in the person's 1:1 chat with Step Up."""
        return self.kind == "personal"


def _get(value: Any, *names: str) -> Any:
    for name in names:
        if value is None:
            return None
        value = getattr(value, name, None)
    return value


def turn_of(activity: Any) -> Turn:
    """Return the :class:`Turn` of a Teams SDK activity."""
    conversation = activity.conversation
    channel_data = activity.channel_data
    tenant = _get(conversation, "tenant_id") or _get(channel_data, "tenant", "id") or UNKNOWN_TENANT
    kind = str(_get(conversation, "conversation_type") or "personal")
    conversation_id = str(conversation.id)
    channel_id = None
    if kind == "channel":
        channel_id = str(_get(channel_data, "channel", "id") or conversation_id.split(";")[0])
    sender = activity.from_
    who = PersonRef(PLATFORM, str(tenant), str(sender.id), display_name=sender.name or None)
    return Turn(
        who=who,
        tenant_id=str(tenant),
        conversation_id=conversation_id,
        kind=kind,
        channel_id=channel_id,
        conversation_name=_get(channel_data, "channel", "name") or _get(conversation, "name"),
        team_id=_get(channel_data, "team", "id"),
        team_name=_get(channel_data, "team", "name"),
        service_url=str(activity.service_url or ""),
        client_timezone=_client_timezone(activity),
    )


def _client_timezone(activity: Any) -> str | None:
    # Teams clients send {"type": "clientInfo", "timezone": "America/Chicago", …} on messages.
    for entity in getattr(activity, "entities", None) or ():
        if getattr(entity, "type", None) == "clientInfo":
            zone = getattr(entity, "timezone", None)
            if isinstance(zone, str) and zone:
                return zone[:64]
    return None
