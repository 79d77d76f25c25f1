"""Errors that carry a message meant for the person, not a traceback."""

from __future__ import annotations


class UserError(Exception):
    """A mistake the person can fix; surfaces print ``str(error)`` and nothing else."""
