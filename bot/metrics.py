"""Prometheus metrics: one registry per process, content-free counters only.

Nothing here ever carries message text or identifiers, only counts and coarse labels.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

REGISTRY = CollectorRegistry(auto_describe=True)

COACH_REPLIES = Counter(
    "stepup_coach_replies_total",
    "Coaching replies by kind and by the coach that answered.",
    ["kind", "coach"],
    registry=REGISTRY,
)
COACH_FALLBACKS = Counter(
    "stepup_coach_fallbacks_total",
    "LLM replies replaced by the offline coach, by reason.",
    ["reason"],
    registry=REGISTRY,
)
CRISIS_ROUTED = Counter(
    "stepup_crisis_routed_total",
    "Messages routed to crisis resources, by tier (no content is kept).",
    ["tier"],
    registry=REGISTRY,
)
REDACTIONS = Counter(
    "stepup_redactions_total",
    "Identifiers removed before storage or any LLM call, by type.",
    ["type"],
    registry=REGISTRY,
)
LLM_LATENCY = Histogram(
    "stepup_llm_seconds",
    "Time spent waiting for the LLM.",
    registry=REGISTRY,
)


def render_latest() -> bytes:
    """Return the registry in the Prometheus text exposition format."""
    return bytes(generate_latest(REGISTRY))


COACH_FEEDBACK = Counter(
    "stepup_coach_feedback_total",
    "Helpful / not helpful presses on coaching drafts.",
    ["helpful"],
    registry=REGISTRY,
)
