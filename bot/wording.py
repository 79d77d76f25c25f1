"""Wording more than one surface shows, from ``prompts/ui.yaml`` (prompts are data).

``wording("logged", line=…)`` returns the text of a top-level key, its ``{name}`` variables
rendered strictly (a missing or unknown one raises :class:`~bot.prompts.PromptError`).
"""

from __future__ import annotations

from typing import Any

from bot.prompts import PromptError, load_yaml, render_text

UI_FILE = "ui.yaml"


def ui_data() -> dict[str, Any]:
    """Return the parsed ``prompts/ui.yaml`` (cached by the prompt loader)."""
    data = load_yaml(UI_FILE)
    if not isinstance(data, dict):
        raise PromptError(f"{UI_FILE} must be a mapping")
    return data


def wording(key: str, /, **values: object) -> str:
    """Return the text of ``key`` in ``prompts/ui.yaml`` rendered with ``values``.

    Raises:
        PromptError: No such key, it is not text, or the variables do not match.
    """
    text = ui_data().get(key)
    if not isinstance(text, str):
        raise PromptError(f"{UI_FILE} has no text {key!r}")
    return render_text(text, **values)
