"""Nudge schedules as a domain API: channel schedules, DM schedules, the week's question.

Channel schedules are ``NudgeSchedule`` rows of kind ``channel`` (add, list, remove, preview). A
person's DM nudge lives on the ``Person`` row (``nudge_dm_enabled`` and friends, edited from the
Home tab); :func:`sync_dm_schedules` mirrors it into a ``dm`` schedule row so deliveries are
claimed per (schedule, week) exactly like channel nudges.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.errors import UserError
from bot.nudges.roundup import Roundup, team_roundups
from bot.nudges.timing import next_due, period_at, resolve_local
from bot.prompts import PromptError, load_yaml
from bot.store.database import transaction
from bot.store.models import NudgeSchedule, Person, Workspace
from bot.store.people import get_or_create_workspace

PROMPT_FILE = "nudges.yaml"
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_FORMS = "mon..sun or monday..sunday (or 0..6, 0 = Monday)"
TIME_FORMS = "HH:MM 24-hour (e.g. 15:00), or 3pm / 3:30pm"
DAY_ALIASES = {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}
ZONE_FORMS = (
    "an IANA name such as America/Chicago, Europe/London or Pacific/Auckland "
    "(or Eastern, Central, Mountain, Pacific, Alaska, Hawaii)"
)
DEFAULT_DM_WEEKDAY = 4  # Friday
DEFAULT_DM_TIME = dt.time(14, 0)


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


def parse_weekday(text: str) -> int:
    """Return 0..6 for ``mon``/``monday``/``0`` (case-insensitive).

    Raises:
        UserError: Anything else; the message lists the accepted forms.
    """
    cleaned = text.strip().lower().rstrip(".")
    if cleaned.isdigit() and 0 <= int(cleaned) <= 6:
        return int(cleaned)
    for word in (cleaned, cleaned.removesuffix("s")):  # "fridays", as people write it
        if word in DAY_ALIASES:
            return DAY_ALIASES[word]
        for index, name in enumerate(DAY_NAMES):
            if word in (name, name[:3]):
                return index
    raise UserError(f"cannot read the day {text!r}: use {DAY_FORMS}")


def parse_time(text: str) -> dt.time:
    """Return the time of ``HH:MM`` (24-hour), ``3pm``, ``3:30 pm``, ``noon`` or ``midnight``.

    Raises:
        UserError: Anything else; the message gives the accepted forms.
    """
    cleaned = "".join(text.lower().split()).replace(".", "")
    named = {"noon": dt.time(12, 0), "midnight": dt.time(0, 0)}
    if cleaned in named:
        return named[cleaned]
    half = cleaned[-2:] if cleaned[-2:] in ("am", "pm") else ""
    clock = cleaned.removesuffix(half) if half else cleaned
    hours, sep, minutes = clock.partition(":")
    if half and not sep:
        minutes = "00"
    digits = hours.isdigit() and minutes.isdigit() and (sep or half)
    if digits and len(minutes) == 2 and 1 <= len(hours) <= 2 and int(minutes) < 60:
        hour = int(hours)
        if half and 1 <= hour <= 12:
            return dt.time(hour % 12 + (12 if half == "pm" else 0), int(minutes))
        if not half and hour < 24:
            return dt.time(hour, int(minutes))
    raise UserError(f"cannot read the time {text!r}: use {TIME_FORMS}")


US_ZONES = {
    **dict.fromkeys(("eastern", "et", "est", "edt"), "America/New_York"),
    **dict.fromkeys(("central", "ct", "cst", "cdt"), "America/Chicago"),
    **dict.fromkeys(("mountain", "mt", "mst", "mdt"), "America/Denver"),
    **dict.fromkeys(("arizona",), "America/Phoenix"),
    **dict.fromkeys(("pacific", "pt", "pst", "pdt"), "America/Los_Angeles"),
    **dict.fromkeys(("alaska", "akst", "akdt"), "America/Anchorage"),
    **dict.fromkeys(("hawaii", "hst"), "Pacific/Honolulu"),
}
"""US time-zone words people type, to the IANA zone that keeps daylight saving right."""


@functools.cache
def _zones_by_lower_name() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def parse_timezone(text: str) -> str:
    """Return the IANA zone ``text`` names: an IANA name (any case) or a US zone word.

    ``Central``, ``CST`` and ``CDT`` all mean America/Chicago, so a nudge set in winter keeps
    its local time through daylight saving.

    Raises:
        UserError: Unknown zone; the message gives the accepted forms.
    """
    cleaned = text.strip()
    alias = US_ZONES.get(cleaned.lower().replace(" time", "").strip())
    if alias is not None:
        return alias
    cleaned = _zones_by_lower_name().get(cleaned.lower(), cleaned)
    try:
        if not cleaned or cleaned != cleaned.strip("/") or ".." in cleaned:
            raise ValueError(cleaned)
        ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError(f"unknown timezone {text!r}: use {ZONE_FORMS}") from None
    return cleaned


def describe(schedule: NudgeSchedule) -> str:
    """Return one line about a schedule (``#3  channel C123  Fridays at 15:00 America/Chicago``)."""
    day = DAY_NAMES[schedule.weekday].capitalize() if 0 <= schedule.weekday <= 6 else "?"
    target = f"channel {schedule.channel_id}" if schedule.kind == "channel" else schedule.kind
    state = "" if schedule.enabled else f"  [disabled: {schedule.disabled_reason or 'off'}]"
    at = schedule.local_time.strftime("%H:%M")
    return f"#{schedule.id}  {target}  {day}s at {at} {schedule.timezone}{state}"


def next_post(schedule: NudgeSchedule, now: dt.datetime) -> dt.datetime | None:
    """Return when a schedule next posts, or None while it is off.

    A ``paused_until`` date skips every nudge due on or before it (in the schedule's zone).
    """
    if not schedule.enabled:
        return None
    after = now
    if schedule.paused_until is not None:
        resume = resolve_local(
            schedule.paused_until + dt.timedelta(days=1), dt.time(0), ZoneInfo(schedule.timezone)
        )
        after = max(now, resume - dt.timedelta(microseconds=1))
    return next_due(schedule, after)


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


def parse_schedule(
    weekday: str | int, local_time: str | dt.time, timezone: str
) -> tuple[int, dt.time, str]:
    """Return a schedule's weekday (0 = Monday), time and IANA zone from what a person wrote.

    Raises:
        UserError: An unknown day, time or timezone; the message lists the accepted forms.
    """
    day = weekday if isinstance(weekday, int) else parse_weekday(weekday)
    if not 0 <= day <= 6:
        raise UserError(f"cannot read the day {weekday!r}: use {DAY_FORMS}")
    at = local_time if isinstance(local_time, dt.time) else parse_time(local_time)
    return day, at, parse_timezone(timezone)


def _channel_schedules(platform: str, workspace: str) -> Select[NudgeSchedule]:
    """Select a workspace's channel schedules, oldest first."""
    return (
        select(NudgeSchedule)
        .join(Workspace, Workspace.id == NudgeSchedule.workspace_id)
        .where(
            Workspace.platform == platform,
            Workspace.external_id == workspace,
            NudgeSchedule.kind == "channel",
        )
        .order_by(NudgeSchedule.id)
    )


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
    ) -> NudgeSchedule:
        """Add a weekly nudge to a team channel.

        Raises:
            UserError: Empty channel, unknown day, time or timezone (the message lists the
                accepted forms).
        """
        channel = channel_id.strip()
        if not channel or " " in channel:
            raise UserError("give the channel's id, e.g. --channel C0123ABCD")
        day, at, zone = parse_schedule(weekday, local_time, timezone)
        async with transaction(self._sessions) as session:
            ws = await get_or_create_workspace(session, platform, workspace)
            schedule = NudgeSchedule(
                workspace_id=ws.id,
                kind="channel",
                channel_id=channel,
                weekday=day,
                local_time=at,
                timezone=zone,
                enabled=True,
                created_by=created_by,
            )
            session.add(schedule)
            await session.flush()
            return schedule

    async def list_schedules(self, *, platform: str, workspace: str) -> list[NudgeSchedule]:
        """Return the workspace's channel schedules, oldest first."""
        async with transaction(self._sessions) as session:
            rows = await session.scalars(_channel_schedules(platform, workspace))
            return list(rows)

    async def _get(
        self, session: AsyncSession, *, platform: str, workspace: str, schedule_id: int
    ) -> NudgeSchedule:
        found = await session.scalar(
            select(NudgeSchedule)
            .join(Workspace, Workspace.id == NudgeSchedule.workspace_id)
            .where(
                NudgeSchedule.id == schedule_id,
                Workspace.platform == platform,
                Workspace.external_id == workspace,
                NudgeSchedule.kind == "channel",
            )
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
            await session.delete(schedule)
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
            return await session.scalar(
                _channel_schedules(platform, workspace)
                .where(NudgeSchedule.channel_id == channel_id)
                .limit(1)
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
        self, *, platform: str, workspace: str, schedule_id: int, enabled: bool
    ) -> NudgeSchedule:
        """Pause (``enabled=False``) or resume a channel schedule.

        Resuming clears ``disabled_reason`` (e.g. after the bot was invited back to a channel
        it had been removed from). Deliveries already made are kept, so a schedule paused and
        resumed in the same week does not post that week's nudge twice.

        Raises:
            UserError: No such schedule in this workspace.
        """
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
        rows = (
            await session.execute(
                select(Person, NudgeSchedule)
                .outerjoin(
                    NudgeSchedule,
                    (NudgeSchedule.person_id == Person.id) & (NudgeSchedule.kind == kind),
                )
                .where(switch.is_(True) | NudgeSchedule.id.is_not(None))
            )
        ).all()
        missing: list[int] = []
        for person, schedule in rows:
            if schedule is None:
                missing.append(person.id)
                continue
            wanted = _personal_fields(person, kind, default_timezone)
            if any(getattr(schedule, name) != value for name, value in wanted.items()):
                await session.execute(
                    update(NudgeSchedule).where(NudgeSchedule.id == schedule.id).values(**wanted)
                )
                changed += 1
    # Lock the people (in id order, so two processes never deadlock), re-check under the lock,
    # then create: a second scheduler process waits here and then finds the rows.
    for start in range(0, len(missing), 500):
        chunk = sorted(missing[start : start + 500])
        async with transaction(sessions) as session:
            locked = list(
                await session.scalars(
                    select(Person)
                    .where(Person.id.in_(chunk), switch.is_(True))
                    .order_by(Person.id)
                    .with_for_update()
                )
            )
            have = set(
                await session.scalars(
                    select(NudgeSchedule.person_id).where(
                        NudgeSchedule.person_id.in_(chunk), NudgeSchedule.kind == kind
                    )
                )
            )
            for person in locked:
                if person.id in have:
                    continue
                session.add(
                    NudgeSchedule(
                        workspace_id=person.workspace_id,
                        kind=kind,
                        person_id=person.id,
                        **_personal_fields(person, kind, default_timezone),
                    )
                )
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
        rows = await session.execute(
            select(NudgeSchedule.id, NudgeSchedule.weekday, NudgeSchedule.timezone).where(
                NudgeSchedule.enabled.is_(True)
            )
        )
        for schedule_id, weekday, zone in rows.all():
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
            await session.execute(
                update(NudgeSchedule)
                .where(NudgeSchedule.id == schedule_id)
                .values(enabled=False, disabled_reason=reason[:200])
            )
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
