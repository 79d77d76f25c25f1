"""Bot Framework activities as the Teams connector posts them to ``/api/messages``.

Shapes follow the Bot Framework REST schema and what Teams sends (``channelData.tenant``,
``conversation.conversationType``, ``<at>`` mentions with a ``mention`` entity, invokes for
``adaptiveCard/action``, ``task/fetch`` and ``task/submit``).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
BOT_ID = "28:stepup-local-dev"
USER_ID = "29:1a2b3c-user-pat"
USER_NAME = "Pat Lee"
TEAM_ID = "19:team-general@thread.tacv2"
CHANNEL_ID = "19:pharmacy-techs@thread.tacv2"
_ids = itertools.count(1)


@dataclass
class Sender:
    """Builds activities from one person, in their 1:1 chat or a channel."""

    service_url: str
    user_id: str = USER_ID
    user_name: str = USER_NAME
    tenant: str = TENANT
    client_timezone: str | None = "America/Phoenix"
    extra: dict[str, Any] = field(default_factory=dict)

    def _base(self, kind: str, conversation_id: str) -> dict[str, Any]:
        conversation: dict[str, Any] = {
            "id": conversation_id,
            "conversationType": kind,
            "tenantId": self.tenant,
        }
        channel_data: dict[str, Any] = {"tenant": {"id": self.tenant}}
        if kind == "channel":
            conversation["isGroup"] = True
            channel_data |= {
                "team": {"id": TEAM_ID, "name": "Pharmacy"},
                "channel": {"id": CHANNEL_ID, "name": "techs"},
            }
        return {
            "id": f"act-{next(_ids)}",
            "channelId": "msteams",
            "serviceUrl": self.service_url,
            "timestamp": "2026-11-26T15:00:00.000Z",
            "from": {
                "id": self.user_id,
                "name": self.user_name,
                "aadObjectId": "aad-" + self.user_id,
            },
            "recipient": {"id": BOT_ID, "name": "Step Up"},
            "conversation": conversation,
            "channelData": channel_data,
            "locale": "en-US",
        }

    @property
    def personal_id(self) -> str:
        return f"a:personal-{self.user_id}"

    def where(self, channel: bool) -> tuple[str, str]:
        if channel:
            return "channel", f"{CHANNEL_ID};messageid=1700000000000"
        return "personal", self.personal_id

    def message(
        self, text: str, *, channel: bool = False, mentions: Sequence[tuple[str, str]] = ()
    ) -> dict[str, Any]:
        """A message; in a channel it @mentions Step Up first, then ``mentions`` (id, name)."""
        kind, conversation_id = self.where(channel)
        activity = self._base(kind, conversation_id) | {"type": "message", "text": text}
        if self.client_timezone:
            activity["entities"] = [
                {
                    "type": "clientInfo",
                    "locale": "en-US",
                    "country": "US",
                    "platform": "Web",
                    "timezone": self.client_timezone,
                }
            ]
        if channel:
            activity["text"] = f"<at>Step Up</at> {text}"
            activity["entities"] = [
                *activity.get("entities", []),
                {
                    "type": "mention",
                    "text": "<at>Step Up</at>",
                    "mentioned": {"id": BOT_ID, "name": "Step Up"},
                },
                *(
                    {
                        "type": "mention",
                        "text": f"<at>{name}</at>",
                        "mentioned": {"id": user, "name": name},
                    }
                    for user, name in mentions
                ),
            ]
        return activity

    def execute(
        self, verb: str, data: dict[str, Any] | None = None, *, channel: bool = False
    ) -> dict[str, Any]:
        """An ``Action.Execute`` press (``adaptiveCard/action``); inputs travel in ``data``."""
        kind, conversation_id = self.where(channel)
        return self._base(kind, conversation_id) | {
            "type": "invoke",
            "name": "adaptiveCard/action",
            "value": {
                "action": {"type": "Action.Execute", "verb": verb, "data": data or {}},
                "trigger": "manual",
            },
        }

    def task(self, name: str, data: dict[str, Any], *, channel: bool = False) -> dict[str, Any]:
        """A dialog invoke: ``task/fetch`` (open) or ``task/submit``."""
        kind, conversation_id = self.where(channel)
        return self._base(kind, conversation_id) | {
            "type": "invoke",
            "name": name,
            "value": {"data": data, "context": {"theme": "default"}},
        }

    def bot_added(self, *, channel: bool = False) -> dict[str, Any]:
        kind, conversation_id = self.where(channel)
        return self._base(kind, conversation_id) | {
            "type": "conversationUpdate",
            "membersAdded": [{"id": BOT_ID}, {"id": self.user_id}],
        }

    def installed(self, action: str = "add", *, channel: bool = False) -> dict[str, Any]:
        kind, conversation_id = self.where(channel)
        return self._base(kind, conversation_id) | {"type": "installationUpdate", "action": action}
