"""Redaction before storage: every piece of free text a person typed passes through here."""

from __future__ import annotations

from collections.abc import Callable

from bot.wins.errors import RedactionFailed

Redact = Callable[[str], str]
"""Takes text and returns it with identifiers (PHI) replaced."""


def default_redact(text: str) -> str:
    """Redact ``text`` with the project's redactor (regex layer plus Presidio).

    Raises:
        RedactionFailed: The redactor failed; nothing may be stored (fail closed).
    """
    # Imported here: the redactor sets up Presidio, which is slow and needless for callers
    # that pass their own ``redact`` (tests, benchmarks).
    from bot.safety.redaction import RedactionError, get_redactor

    try:
        return get_redactor().redact(text).text
    except RedactionError:
        raise RedactionFailed() from None


def resolve(redact: Redact | None) -> Redact:
    """Return ``redact``, or the project's redactor when None (looked up now, not at import)."""
    return redact if redact is not None else default_redact
