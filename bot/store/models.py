"""The domain's tables. Every row belongs to a workspace (a Slack team, a Teams tenant, or local).

Timestamps are timezone-aware UTC. Free text a person wrote (drafts, wins) is stored only after
redaction; vents themselves are never stored.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bot.store import slack_tables

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """Return the current time as an aware UTC datetime."""
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base with a naming convention so migrations name constraints stably."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 (SQLAlchemy reads this class attribute)
        dt.datetime: DateTime(timezone=True),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Timestamped:
    """Created and updated timestamps, set by the application in UTC."""

    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        default=utcnow, onupdate=utcnow, server_default=func.now()
    )


class Workspace(Timestamped, Base):
    """One Slack workspace, one Teams tenant, or the local (CLI / terminal) workspace."""

    __tablename__ = "workspaces"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))  # slack | teams | local
    external_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(200))
    uninstalled_at: Mapped[dt.datetime | None]


class Person(Timestamped, Base):
    """A technician (or colleague) known to Step Up inside one workspace."""

    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("workspace_id", "platform_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    platform_user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str | None] = mapped_column(String(200))
    timezone: Mapped[str | None] = mapped_column(String(64))
    nudge_dm_enabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    nudge_weekday: Mapped[int | None] = mapped_column(Integer)  # 0 = Monday
    nudge_time: Mapped[dt.time | None] = mapped_column(Time)
    nudge_paused_until: Mapped[dt.date | None] = mapped_column(Date)
    nudge_digest_enabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    greeted_at: Mapped[dt.datetime | None]

    workspace: Mapped[Workspace] = relationship(lazy="raise")


class DraftRecord(Timestamped, Base):
    """A problem / proposed fix / my role draft the person chose to save (redacted text)."""

    __tablename__ = "drafts"
    __table_args__ = (Index(None, "workspace_id", "person_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    problem: Mapped[str] = mapped_column(Text)
    proposed_fix: Mapped[str] = mapped_column(Text)
    my_role: Mapped[str] = mapped_column(Text)
    themes: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(16), default="saved")  # saved | sent | archived


class Win(Timestamped, Base):
    """What I did / why / result, with numbers, a category and the date it happened."""

    __tablename__ = "wins"
    __table_args__ = (Index(None, "workspace_id", "person_id", "occurred_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    what: Mapped[str] = mapped_column(Text)
    why: Mapped[str | None] = mapped_column(Text)
    result: Mapped[str | None] = mapped_column(Text)
    numbers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    category: Mapped[str] = mapped_column(String(32))
    leadership: Mapped[str] = mapped_column(String(8), default="little")  # little | big
    occurred_on: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(16), default="command")
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("drafts.id", ondelete="SET NULL"))
    shared: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    """The person chose to show this win (with their name) in team channel roundups."""


class Goal(Timestamped, Base):
    """A certification or education goal with a target date and progress."""

    __tablename__ = "goals"
    __table_args__ = (Index(None, "workspace_id", "person_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))  # CPhT, CSPT, TPV, 340B ACE, CPhT-Adv, degree…
    title: Mapped[str] = mapped_column(String(200))
    target_date: Mapped[dt.date | None] = mapped_column(Date)
    progress: Mapped[int] = mapped_column(Integer, default=0)  # percent
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | achieved | dropped
    achieved_on: Mapped[dt.date | None] = mapped_column(Date)
    win_id: Mapped[int | None] = mapped_column(ForeignKey("wins.id", ondelete="SET NULL"))


class NudgeSchedule(Timestamped, Base):
    """When to prompt a team channel or a person to log wins, in a local timezone."""

    __tablename__ = "nudge_schedules"
    __table_args__ = (Index(None, "enabled", "weekday"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # channel | dm | digest
    channel_id: Mapped[str | None] = mapped_column(String(64))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday
    local_time: Mapped[dt.time] = mapped_column(Time)
    timezone: Mapped[str] = mapped_column(String(64))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    paused_until: Mapped[dt.date | None] = mapped_column(Date)
    created_by: Mapped[str | None] = mapped_column(String(64))
    disabled_reason: Mapped[str | None] = mapped_column(String(200))


class NudgeDelivery(Base):
    """A claim on one (schedule, period): inserted before sending, so nothing is sent twice."""

    __tablename__ = "nudge_deliveries"
    __table_args__ = (UniqueConstraint("schedule_id", "period_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("nudge_schedules.id", ondelete="CASCADE"))
    period_key: Mapped[str] = mapped_column(String(32))  # e.g. 2026-W48
    status: Mapped[str] = mapped_column(
        String(16), default="claimed"
    )  # claimed|sent|failed|skipped
    message_ref: Mapped[str | None] = mapped_column(String(128))
    error: Mapped[str | None] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())
    sent_at: Mapped[dt.datetime | None]


class ProcessedEvent(Base):
    """An event id already handled (Slack retries, Teams activity ids): unique per platform."""

    __tablename__ = "processed_events"
    __table_args__ = (UniqueConstraint("platform", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[str] = mapped_column(String(128))
    received_at: Mapped[dt.datetime] = mapped_column(
        default=utcnow, server_default=func.now(), index=True
    )


class TeamsConversationRef(Timestamped, Base):
    """What Teams needs to message a conversation proactively (nudges, thanks)."""

    __tablename__ = "teams_conversation_refs"
    __table_args__ = (UniqueConstraint("workspace_id", "conversation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    conversation_id: Mapped[str] = mapped_column(String(256))
    service_url: Mapped[str] = mapped_column(String(512))
    reference: Mapped[dict[str, Any]] = mapped_column(default=dict)


class CoachingSession(Timestamped, Base):
    """A person's coaching conversation in progress (redacted), so it survives a restart."""

    __tablename__ = "coaching_sessions"
    __table_args__ = (UniqueConstraint("person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    state: Mapped[dict[str, Any]] = mapped_column(default=dict)


# --- wins & impact (issue 4) ---


class ThanksOffer(Timestamped, Base):
    """A colleague's thanks, waiting for the thanked person to add it to their wins (or not).

    The text is redacted before it is stored. Only an accepted offer becomes a win, and then
    only the thanked person's.
    """

    __tablename__ = "thanks_offers"
    __table_args__ = (Index(None, "workspace_id", "to_person_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    from_person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    to_person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    occurred_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|accepted|declined
    decided_at: Mapped[dt.datetime | None]
    win_id: Mapped[int | None] = mapped_column(ForeignKey("wins.id", ondelete="SET NULL"))


# --- Slack OAuth (slack_sdk's installation and state stores) ---

SLACK_INSTALLATIONS, SLACK_BOTS, SLACK_OAUTH_STATES = slack_tables.declare(Base.metadata)
