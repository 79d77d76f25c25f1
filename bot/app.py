"""One factory that wires settings, storage and services for every surface.

Nothing runs at import time; tests pass fakes through the keyword-only overrides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.coaching.conversation import ConversationService
from bot.coaching.pipeline import SafetyPipeline
from bot.coaching.port import Coach
from bot.impact.summary import ImpactService, SummaryPolisher
from bot.nudges.service import NudgesService
from bot.privacy.workspaces import WorkspacesService
from bot.runtime import Runtime
from bot.safety.gate import SafetyGate
from bot.safety.redaction import Redactor, get_redactor
from bot.settings import Settings
from bot.wins.goals import GoalsService
from bot.wins.parsing import WinParser
from bot.wins.service import WinsService
from bot.wins.thanks import ThanksService

if TYPE_CHECKING:
    # Only for annotations: an offline Step Up never loads the OpenAI SDK.
    from bot.llm.structured import StructuredLLM


def build_llm(settings: Settings) -> StructuredLLM | None:
    """Return the model boundary ``COACH`` selects (one SDK client), or None for offline.

    The coach, the win parser and the summary polisher share what this returns.

    Raises:
        bot.errors.UserError: ``COACH=openai`` without ``OPENAI_API_KEY`` or ``OPENAI_BASE_URL``.
    """
    from bot.errors import UserError
    from bot.llm.client import choose_coach_name

    try:
        name = choose_coach_name(
            coach_setting=settings.coach,
            api_key_set=settings.openai_api_key is not None,
            base_url_set=settings.openai_base_url is not None,
        )
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if name == "offline":
        return None
    from bot.llm.structured import build_structured_llm

    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    return build_structured_llm(
        api_key=key,
        base_url=settings.openai_base_url,
        model=settings.openai_model,
        timeout_s=settings.llm_timeout_s,
    )


def build_coach(settings: Settings, *, llm: StructuredLLM | None = None) -> Coach:
    """Return the coach ``COACH`` selects: offline, or OpenAI falling back to offline.

    Args:
        settings: The settings.
        llm: The shared model boundary; None builds it from ``settings`` (offline when
            ``COACH`` selects no model).

    Raises:
        bot.errors.UserError: ``COACH=openai`` without ``OPENAI_API_KEY`` or ``OPENAI_BASE_URL``.
    """
    from bot.coaching.offline import OfflineCoach

    if llm is None:
        llm = build_llm(settings)
    if llm is None:
        return OfflineCoach()
    from bot.coaching.fallback import FallbackCoach
    from bot.coaching.openai_coach import OpenAICoach

    return FallbackCoach(
        primary=OpenAICoach(llm=llm), fallback=OfflineCoach(), timeout_s=settings.llm_timeout_s
    )


def build_wins_llm(
    settings: Settings, *, llm: StructuredLLM | None = None
) -> tuple[WinParser | None, SummaryPolisher | None]:
    """Return the OpenAI win parser and summary polisher when COACH selects OpenAI.

    Returns ``(None, None)`` otherwise: both services then work offline. The parser falls back to
    the offline one on any failure; the polisher keeps the offline wording.

    Args:
        settings: The settings.
        llm: The shared model boundary; None builds it from ``settings``.
    """
    if llm is None:
        llm = build_llm(settings)
    if llm is None:
        return None, None
    from bot.impact.openai_polisher import OpenAISummaryPolisher
    from bot.wins.openai_parser import FallbackWinParser, OpenAIWinParser
    from bot.wins.parsing import OfflineWinParser

    parser = FallbackWinParser(
        primary=OpenAIWinParser(llm=llm),
        fallback=OfflineWinParser(),
        timeout_s=settings.llm_timeout_s,
    )
    polisher = OpenAISummaryPolisher(llm=llm, timeout_s=settings.llm_timeout_s)
    return parser, polisher


def build_pipeline(
    settings: Settings, *, coach: Coach | None = None, redactor: Redactor | None = None
) -> SafetyPipeline:
    """Return the safety pipeline around the configured (or given) coach."""
    gate = SafetyGate(redactor=redactor or get_redactor(), eap_contact=settings.eap_contact)
    return SafetyPipeline(coach=coach or build_coach(settings), gate=gate)


@dataclass
class Services:
    """The platform-agnostic services every surface calls."""

    runtime: Runtime
    pipeline: SafetyPipeline
    conversations: ConversationService
    wins: WinsService
    goals: GoalsService
    thanks: ThanksService
    impact: ImpactService
    nudges: NudgesService
    workspaces: WorkspacesService

    @property
    def settings(self) -> Settings:
        """The settings the services were built with."""
        return self.runtime.settings


def create_services(
    runtime: Runtime, *, coach: Coach | None = None, redactor: Redactor | None = None
) -> Services:
    """Build every service over an open runtime.

    One model boundary (one SDK client) serves the coach, the win parser and the polisher.
    """
    settings = runtime.settings
    llm = build_llm(settings)
    pipeline = build_pipeline(
        settings, coach=coach or build_coach(settings, llm=llm), redactor=redactor
    )
    sessions = runtime.sessions
    tz = settings.default_timezone
    parser, polisher = build_wins_llm(settings, llm=llm)

    # Every text a person types meets the crisis gate, wins, goals and thanks included.
    redact = pipeline.safety.screen
    return Services(
        runtime=runtime,
        pipeline=pipeline,
        conversations=ConversationService(sessions=sessions, pipeline=pipeline),
        wins=WinsService(sessions, parser=parser, redact=redact, default_timezone=tz),
        goals=GoalsService(sessions, redact=redact, default_timezone=tz),
        thanks=ThanksService(sessions, redact=redact, default_timezone=tz),
        impact=ImpactService(sessions, polisher=polisher, default_timezone=tz),
        nudges=NudgesService(sessions),
        workspaces=WorkspacesService(sessions),
    )
