"""Shared wording: every text of prompts/ui.yaml renders, and a wrong variable is refused."""

from __future__ import annotations

import pytest

from bot.prompts import PromptError, variables
from bot.wording import ui_data, wording


def test_every_shared_text_renders_with_the_variables_it_names() -> None:
    texts = {key: value for key, value in ui_data().items() if isinstance(value, str)}
    assert {"logged", "updated", "shared_note", "pick_weekday"} <= texts.keys()
    for key, text in texts.items():
        rendered = wording(key, **{name: "x" for name in variables(text)})
        assert rendered.strip(), key


def test_a_missing_key_or_variable_is_refused() -> None:
    assert wording("logged", line="#1 win") == "Logged: #1 win"
    with pytest.raises(PromptError):
        wording("logged")
    with pytest.raises(PromptError):
        wording("no_such_text")
