"""Prompts are data: Markdown and YAML files under ``prompts/`` rendered with named variables.

A template names its variables as ``{name}``; rendering raises when one is missing or unknown,
so a typo in a prompt file fails a test instead of reaching a person. Literal braces are written
``{{`` and ``}}``.
"""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"


class PromptError(ValueError):
    """A prompt file is missing, empty, or rendered with the wrong variables."""


def prompts_dir() -> Path:
    """Return the folder holding prompt files (``prompts/`` beside the package)."""
    return PROMPTS_DIR


@cache
def load_text(name: str) -> str:
    """Return the text of ``prompts/NAME`` (cached), refusing a missing or empty file."""
    path = PROMPTS_DIR / name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise PromptError(f"prompt file {path} is missing") from exc
    if not text.strip():
        raise PromptError(f"prompt file {path} is empty")
    return text


@cache
def load_yaml(name: str) -> Any:
    """Return the parsed YAML of ``prompts/NAME`` (cached)."""
    try:
        return yaml.safe_load(load_text(name))
    except yaml.YAMLError as exc:
        raise PromptError(f"prompt file {PROMPTS_DIR / name} is not valid YAML: {exc}") from exc


def variables(template: str) -> set[str]:
    """Return the variable names a template uses."""
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def render_text(template: str, /, **values: object) -> str:
    """Render ``template`` with exactly the variables it names.

    Raises:
        PromptError: A variable the template names was not given, or one given is not used.
    """
    wanted = variables(template)
    missing = wanted - values.keys()
    if missing:
        raise PromptError(f"prompt needs {', '.join(sorted(missing))}")
    unused = values.keys() - wanted
    if unused:
        raise PromptError(f"prompt does not use {', '.join(sorted(unused))}")
    return template.format(**values)


def render(name: str, /, **values: object) -> str:
    """Render the prompt file ``prompts/NAME`` with ``values``."""
    return render_text(load_text(name), **values)
