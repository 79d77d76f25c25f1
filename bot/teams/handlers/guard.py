"""Every Teams handler runs guarded: failures are logged and the person is told briefly.

A failure is logged by type and place only, and nothing reaches the SDK, which would answer the
connector with a 500.

A :class:`~bot.errors.UserError` is shown as written; anything else gets :data:`SORRY`.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from bot.errors import UserError
from bot.teams.handlers.replies import dialog_done, toast
from bot.wording import wording

log = logging.getLogger(__name__)

SORRY = wording("something_went_wrong")

R = TypeVar("R")
Handler = Callable[[Any], Awaitable[R]]


def describe_failure(error: BaseException) -> str:
    """Return the innermost frame of ``error`` as ``file:line`` (never the message text)."""
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}" if tb else "?"


def _log(error: Exception) -> None:
    # Type and location only: exception messages can quote what the person wrote.
    log.error("teams handler failed: %s at %s", type(error).__name__, describe_failure(error))


def message_handler(func: Handler[None]) -> Handler[None]:
    """Guard a handler that answers by sending messages."""

    @functools.wraps(func)
    async def guarded(ctx: Any) -> None:
        try:
            await func(ctx)
        except UserError as exc:
            await _say(ctx, str(exc))
        except Exception as exc:
            _log(exc)
            await _say(ctx, SORRY)

    return guarded


async def _say(ctx: Any, text: str) -> None:
    try:
        await ctx.send(text)
    except Exception as exc:  # the connector itself failed: nothing more to tell anyone
        log.warning("teams: could not send the error note: %s", type(exc).__name__)


def _answering(answer: Callable[[str], Any]) -> Callable[[Handler[Any]], Handler[Any]]:
    """Return a guard for invoke handlers whose failures are answered with ``answer(note)``."""

    def guard(func: Handler[Any]) -> Handler[Any]:
        @functools.wraps(func)
        async def guarded(ctx: Any) -> Any:
            try:
                return await func(ctx)
            except UserError as exc:
                return answer(str(exc))
            except Exception as exc:
                _log(exc)
                return answer(SORRY)

        return guarded

    return guard


card_action_handler = _answering(toast)
"""Guard an ``Action.Execute`` handler: failures become a short message on the card."""

dialog_handler = _answering(dialog_done)
"""Guard a dialog (``task/fetch``, ``task/submit``) handler: failures close it with a note."""
