"""Nudge schedules as a domain API: channel schedules, DM schedules, the week's question.

Channel schedules are ``NudgeSchedule`` rows of kind ``channel`` (add, list, remove, preview). A
person's DM nudge lives on the ``Person`` row (``nudge_dm_enabled`` and friends, edited from the
Home tab); :func:`sync_dm_schedules` mirrors it into a ``dm`` schedule row so deliveries are
claimed per (schedule, week) exactly like channel nudges.

A channel schedule is only stored after its announcement reached the channel (the platform's
:class:`~bot.nudges.ports.ChannelAnnouncer`): the post is the proof that Step Up may post there,
a refusal stores nothing, and if storing then fails the announcement is taken back. Resuming a
schedule that was off posts a "back on" note first, for the same reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.errors import UserError
from bot.nudges.ports import ChannelAnnouncer
from bot.nudges.roundup import Roundup, team_roundups
from bot.nudges.schedule import (
    DAY_FORMS,
    DEFAULT_DM_TIME,
    DEFAULT_DM_WEEKDAY,
    ZONE_FORMS,
    next_post,
    parse_schedule,
    parse_timezone,
)
from bot.nudges.timing import next_due, period_at
from bot.nudges.view import schedule_text
from bot.prompts import PromptError, load_yaml
from bot.store import nudges as store
from bot.store.database import transaction
from bot.store.models import NudgeSchedule, Person
from bot.store.people import get_or_create_workspace

PROMPT_FILE = "nudges.yaml"


def load_questions() -> tuple[str, ...]:
    """Return the nudge questions from ``prompts/nudges.yaml``; call it at start-up.

    Raises:
        PromptError: The file is missing, empty, not YAML, or holds no non-empty question.
    """
    data = load_yaml(PROMPT_FILE)
    questions = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(questions, list):
        raise PromptError(f"prompt file {PROMPT_FILE} needs a `questions:` list")
    cleaned = tuple(str(q).strip() for q in questions if isinstance(q, str) and q.strip())
    if not cleaned:
        raise PromptError(f"prompt file {PROMPT_FILE} has no questions")
    return cleaned


def question_for(questions: Sequence[str], period_key: str, *, salt: str = "") -> str:
    """Return the question of a week: consecutive ISO weeks get different questions.

    The index is the week's number since a fixed Monday, offset by a stable hash of ``salt``
    (the schedule) so channels don't all ask the same thing the same week.
    """
    if not questions:
        raise PromptError("no nudge questions")
    year, _, week = period_key.partition("-W")
    monday = dt.date.fromisocalendar(int(year), int(week), 1)
    weeks = (monday - dt.date(2001, 1, 1)).days // 7
    offset = int.from_bytes(hashlib.sha256(salt.encode()).digest()[:4], "big") if salt else 0
    return questions[(weeks + offset) % len(questions)]


ANNOUNCEMENT = "Weekly win nudges are on for this channel: {when}. {hint}"
RESUMED = "Weekly win nudges are back on for this channel: {when}."


def announcement_text(weekday: int, at: dt.time, timezone: str, *, hint: str = "") -> str:
    """Return the note posted when a channel gets weekly nudges (mentions nobody).

    Args:
        weekday: 0 = Monday … 6 = Sunday.
        at: Local time of the nudge.
        timezone: Its IANA zone.
        hint: How to change or pause the nudges on the channel's platform.
    """
    when = schedule_text(weekday, at, timezone)
    return ANNOUNCEMENT.format(when=when, hint=hint).strip()


def resumed_text(weekday: int, at: dt.time, timezone: str) -> str:
    """Return the note posted when a channel schedule that was off is resumed (mentions nobody)."""
    return RESUMED.format(when=schedule_text(weekday, at, timezone))


@dataclass(frozen=True)
class Preview:
    """What a schedule would post next.

    Attributes:
        schedule: The schedule.
        due_at: The next due instant (aware UTC).
        period_key: Its week.
        text: The question that would be posted.
        roundup: The team roundup as it stands now (None: the team is under five people).
    """

    schedule: NudgeSchedule
    due_at: dt.datetime
    period_key: str
    text: str
    roundup: Roundup | None = None


class NudgesService:
    """Team-channel nudge schedules of a workspace (platform-agnostic)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        questions: Sequence[str] | None = None,
    ) -> None:
        """Keep the session factory; questions default to :func:`load_questions`.

        Raises:
            PromptError: The question file is missing or empty.
        """
        self._sessions = sessions
        self.questions = tuple(questions) if questions is not None else load_questions()
        if not self.questions:
            raise PromptError("no nudge questions")

    async def add(
        self,
        *,
        platform: str,
        workspace: str,
        channel_id: str,
        weekday: str | int,
        local_time: str | dt.time,
        timezone: str,
        created_by: str | None = None,
        announcer: ChannelAnnouncer | None = None,
    ) -> NudgeSchedule:
        """Add a weekly nudge to a team channel, announcing it there first.

        With an ``announcer`` the announcement goes to the channel before anything is stored: a
        refusal stores nothing, and if storing fails the announcement is taken back, so a
        channel never reads "nudges are on" for a schedule that does not exist. Without one
        (the terminal, a workspace whose token we do not hold) nothing is posted.

        Raises:
            UserError: Empty channel, unknown day, time or timezone (the message lists the
                accepted forms).
            ChannelRefused: The platform refused the announcement (nothing was stored).
        """
        channel = channel_id.strip()
        if not channel or " " in channel:
            raise UserError("give the channel's id, e.g. --channel C0123ABCD")
        day, at, zone = parse_schedule(weekday, local_time, timezone)
        ref = None
        if announcer is not None:
            text = announcement_text(day, at, zone, hint=announcer.manage_hint)
            ref = await announcer.announce(channel, text)
        try:
            async with transaction(self._sessions) as session:
                ws = await get_or_create_workspace(session, platform, workspace)
                return await store.add_channel_schedule(
                    session,
                    workspace_id=ws.id,
                    channel_id=channel,
                    weekday=day,
                    local_time=at,
                    timezone=zone,
                    created_by=created_by,
                )
        except BaseException:
            if announcer is not None and ref is not None:
                await announcer.retract(channel, ref)
            raise

    async def list_schedules(self, *, platform: str, workspace: str) -> list[NudgeSchedule]:
        """Return the workspace's channel schedules, oldest first."""
        async with transaction(self._sessions) as session:
            return await store.channel_schedules(session, platform=platform, workspace=workspace)

    async def _get(
        self, session: AsyncSession, *, platform: str, workspace: str, schedule_id: int
    ) -> NudgeSchedule:
        found = await store.find_channel_schedule(
            session, platform=platform, workspace=workspace, schedule_id=schedule_id
        )
        if found is None:
            raise UserError(f"no nudge schedule #{schedule_id} in this workspace")
        return found

    async def remove(self, *, platform: str, workspace: str, schedule_id: int) -> NudgeSchedule:
        """Delete a channel schedule (and its delivery history).

        Raises:
            UserError: No such schedule in this workspace.
        """
        async with transaction(self._sessions) as session:
            schedule = await self._get(
                session, platform=platform, workspace=workspace, schedule_id=schedule_id
            )
            await store.delete_schedule(session, schedule)
            return schedule

    async def get(self, *, platform: str, workspace: str, schedule_id: int) -> NudgeSchedule:
        """Return one channel schedule of the workspace.

        Raises:
            UserError: No such schedule in this workspace.
        """
        async with transaction(self._sessions) as session:
            return await self._get(
                session, platform=platform, workspace=workspace, schedule_id=schedule_id
            )

    async def for_channel(
        self, *, platform: str, workspace: str, channel_id: str
    ) -> NudgeSchedule | None:
        """Return the (oldest) channel schedule posting to ``channel_id``, or None."""
        async with transaction(self._sessions) as session:
            return await store.schedule_for_channel(
                session, platform=platform, workspace=workspace, channel_id=channel_id
            )

    async def update(
        self,
        *,
        platform: str,
        workspace: str,
        schedule_id: int,
        weekday: str | int,
        local_time: str | dt.time,
        timezone: str,
    ) -> NudgeSchedule:
        """Move a channel schedule to another day, time or zone.

        Deliveries already made keep their week, so moving a nudge that already posted this week
        to a later day does not post it twice.

        Raises:
            UserError: No such schedule, or an unknown day, time or timezone.
        """
        day, at, zone = parse_schedule(weekday, local_time, timezone)
        async with transaction(self._sessions) as session:
            schedule = await self._get(
                session, platform=platform, workspace=workspace, schedule_id=schedule_id
            )
            schedule.weekday, schedule.local_time, schedule.timezone = day, at, zone
            await session.flush()
            return schedule

    async def set_enabled(
        self,
        *,
        platform: str,
        workspace: str,
        schedule_id: int,
        enabled: bool,
        announcer: ChannelAnnouncer | None = None,
    ) -> NudgeSchedule:
        """Pause (``enabled=False``) or resume a channel schedule.

        Resuming a schedule that is off posts a "back on" note through ``announcer`` first: a
        channel that removed Step Up refuses it now (and nothing changes) rather than at the
        next nudge. Resuming clears ``disabled_reason`` (e.g. after the bot was invited back to
        a channel it had been removed from). Deliveries already made are kept, so a schedule
        paused and resumed in the same week does not post that week's nudge twice.

        Raises:
            UserError: No such schedule in this workspace.
            ChannelRefused: The platform refused the "back on" note (still off).
        """
        if enabled and announcer is not None:
            current = await self.get(
                platform=platform, workspace=workspace, schedule_id=schedule_id
            )
            if not current.enabled and current.channel_id:
                text = resumed_text(current.weekday, current.local_time, current.timezone)
                await announcer.announce(current.channel_id, text)
        async with transaction(self._sessions) as session:
            schedule = await self._get(
                session, platform=platform, workspace=workspace, schedule_id=schedule_id
            )
            schedule.enabled = enabled
            schedule.disabled_reason = None if enabled else "paused"
            await session.flush()
            return schedule

    async def preview(
        self, *, platform: str, workspace: str, schedule_id: int, now: dt.datetime
    ) -> Preview:
        """Return when a schedule posts next (after any pause) and the question it would post.

        Raises:
            UserError: No such schedule in this workspace.
        """
        async with transaction(self._sessions) as session:
            schedule = await self._get(
                session, platform=platform, workspace=workspace, schedule_id=schedule_id
            )
        # Past a pause, the week it resumes (and that week's question); while off, the next slot.
        due = next_post(schedule, now) or next_due(schedule, now)
        key = period_at(schedule, due).key
        roundups = await team_roundups(self._sessions, [schedule.workspace_id], now=now)
        question = self.question(schedule.id, key)
        return Preview(schedule, due, key, question, roundups.get(schedule.workspace_id))

    def question(self, schedule_id: int, period_key: str) -> str:
        """Return the question schedule ``schedule_id`` posts in week ``period_key``."""
        return question_for(self.questions, period_key, salt=str(schedule_id))


async def sync_dm_schedules(
    sessions: async_sessionmaker[AsyncSession], *, default_timezone: str
) -> int:
    """Mirror every person's DM nudge and digest preferences into their schedule rows.

    Weekly DM nudges (``nudge_dm_enabled``) become a ``dm`` row and the monthly digest
    (``nudge_digest_enabled``) a ``digest`` row, both at the person's nudge time and zone. Returns
    how many rows were created or changed.
    """
    changed = 0
    for kind, switch in (("dm", Person.nudge_dm_enabled), ("digest", Person.nudge_digest_enabled)):
        changed += await _mirror(sessions, kind, switch, default_timezone=default_timezone)
    return changed


async def _mirror(
    sessions: async_sessionmaker[AsyncSession],
    kind: str,
    switch: Any,
    *,
    default_timezone: str,
) -> int:
    """Mirror one kind of personal schedule.

    A person with the switch on and no row gets one (created under a row lock on the person, so
    two scheduler processes never create two); an existing row follows the person's current
    weekday, time, zone, pause and on/off.
    """
    changed = 0
    async with transaction(sessions) as session:
        rows = await store.people_with_schedules(session, kind=kind, switch=switch)
        missing: list[int] = []
        for person, schedule in rows:
            if schedule is None:
                missing.append(person.id)
                continue
            wanted = _personal_fields(person, kind, default_timezone)
            if any(getattr(schedule, name) != value for name, value in wanted.items()):
                await store.set_schedule_fields(session, schedule.id, wanted)
                changed += 1
    # Lock the people (in id order, so two processes never deadlock), re-check under the lock,
    # then create: a second scheduler process waits here and then finds the rows.
    for start in range(0, len(missing), 500):
        chunk = sorted(missing[start : start + 500])
        async with transaction(sessions) as session:
            locked = await store.lock_people_switched_on(session, chunk, switch=switch)
            have = await store.people_having_schedule(session, chunk, kind=kind)
            for person in locked:
                if person.id in have:
                    continue
                fields = _personal_fields(person, kind, default_timezone)
                store.add_personal_schedule(session, person, kind=kind, fields=fields)
                changed += 1
    return changed


async def audit_schedules(sessions: async_sessionmaker[AsyncSession]) -> list[str]:
    """Disable every enabled schedule that can never fire, and say why (run at start-up).

    A weekday outside 0..6 or a timezone this machine does not know (a row written by an older
    version, or by hand) would otherwise only show up as a warning at the minute it was due.
    Each one is disabled with the reason, which admins see in the schedule list, and the
    reasons are returned so the caller can log them at start-up.
    """
    problems: list[str] = []
    async with transaction(sessions) as session:
        for schedule_id, weekday, zone in await store.enabled_triggers(session):
            reason = None
            if not 0 <= weekday <= 6:
                reason = f"invalid weekday {weekday}: use {DAY_FORMS}"
            else:
                try:
                    parse_timezone(zone)
                except UserError:
                    reason = f"unknown timezone {zone!r}: use {ZONE_FORMS}"
            if reason is None:
                continue
            problems.append(f"nudge schedule #{schedule_id} disabled: {reason}")
            await store.disable_schedule(session, schedule_id, reason=reason[:200])
    return problems


def _personal_fields(person: Person, kind: str, default_timezone: str) -> dict[str, object]:
    zone = person.timezone or default_timezone
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = default_timezone
    return {
        "weekday": DEFAULT_DM_WEEKDAY if person.nudge_weekday is None else person.nudge_weekday,
        "local_time": person.nudge_time or DEFAULT_DM_TIME,
        "timezone": zone,
        "enabled": person.nudge_dm_enabled if kind == "dm" else person.nudge_digest_enabled,
        "paused_until": person.nudge_paused_until,
    }
