"""Helpers for nudge tests: a recording sender and schedule/person factories."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass, field

from bot.nudges.digest import Digest
from bot.nudges.ports import SendError
from bot.nudges.roundup import ChannelNudge
from bot.store.database import transaction
from bot.store.models import NudgeSchedule, Person
from bot.store.people import get_or_create_workspace

QUESTIONS = ("Q-one?", "Q-two?", "Q-three?")


@dataclass
class RecordingSender:
    """A NudgeSender test double: records sends, can fail on a script, can yield mid-send."""

    fail: dict[str, list[str]] = field(default_factory=dict)
    sent: list[tuple[str, str, str, str]] = field(default_factory=list)
    channel_nudges: list[ChannelNudge] = field(default_factory=list)
    digests: list[Digest] = field(default_factory=list)
    pause: float = 0.0
    ticks: int = 0

    async def _send(self, kind: str, workspace: str, target: str, message: str) -> str:
        if self.pause:
            await asyncio.sleep(self.pause)  # lets a racing worker interleave, not a sync point
        errors = self.fail.get(target)
        if errors:
            raise SendError(errors.pop(0))
        self.sent.append((kind, workspace, target, message))
        return f"ts-{len(self.sent)}"

    def new_tick(self) -> None:
        self.ticks += 1

    async def send_channel(
        self, workspace_external_id: str, channel_id: str, nudge: ChannelNudge
    ) -> str:
        sent = await self._send("channel", workspace_external_id, channel_id, nudge.question)
        self.channel_nudges.append(nudge)
        return sent

    async def notify_disabled(
        self,
        workspace_external_id: str,
        user_id: str,
        *,
        channel_id: str,
        code: str,
        schedule_id: int,
    ) -> None:
        await self._send(
            "notice", workspace_external_id, user_id, f"{channel_id} {code} #{schedule_id}"
        )

    async def send_digest(self, workspace_external_id: str, user_id: str, digest: Digest) -> str:
        sent = await self._send("digest", workspace_external_id, user_id, digest.period_key)
        self.digests.append(digest)
        return sent

    async def send_dm(self, workspace_external_id: str, user_id: str, message: str) -> str:
        return await self._send("dm", workspace_external_id, user_id, message)


async def add_channel_schedule(
    sessions,
    channel: str = "C100",
    *,
    weekday: int = 4,
    at: dt.time = dt.time(15, 0),
    tz: str = "America/Chicago",
    workspace: str = "T1",
    platform: str = "slack",
    paused_until: dt.date | None = None,
    created_by: str | None = None,
) -> int:
    async with transaction(sessions) as session:
        ws = await get_or_create_workspace(session, platform, workspace)
        row = NudgeSchedule(
            created_by=created_by,
            workspace_id=ws.id,
            kind="channel",
            channel_id=channel,
            weekday=weekday,
            local_time=at,
            timezone=tz,
            paused_until=paused_until,
        )
        session.add(row)
        await session.flush()
        return row.id


async def add_person(
    sessions,
    user: str = "U1",
    *,
    enabled: bool = True,
    weekday: int | None = 4,
    at: dt.time | None = dt.time(15, 0),
    tz: str | None = "America/Chicago",
    paused_until: dt.date | None = None,
    workspace: str = "T1",
    digest: bool = False,
    name: str | None = None,
) -> int:
    async with transaction(sessions) as session:
        ws = await get_or_create_workspace(session, "slack", workspace)
        person = Person(
            display_name=name,
            nudge_digest_enabled=digest,
            workspace_id=ws.id,
            platform_user_id=user,
            timezone=tz,
            nudge_dm_enabled=enabled,
            nudge_weekday=weekday,
            nudge_time=at,
            nudge_paused_until=paused_until,
        )
        session.add(person)
        await session.flush()
        return person.id
