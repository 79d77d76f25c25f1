"""The one error handler: log without message text, tell the person briefly.

Listeners are registered through :func:`guarded_app`, which runs each one inside :func:`guard`:
a failure is reported here and never raised into Bolt. Bolt's async runner (with
``process_before_response=False``) resets ``ack``'s response when a listener raises after it
acked; if that happens before its ack poller has looked (a listener failing within about 10 ms
of ``ack()``), Slack gets a 404 three seconds later and shows the person an error icon. The
``@app.error`` handler stays for failures outside listeners (middleware).
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any, cast

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.app import Services
from bot.errors import UserError
from bot.slack import blocks
from bot.wording import wording

log = logging.getLogger(__name__)

SORRY = wording("something_went_wrong")


def _where(body: dict[str, Any]) -> tuple[str | None, str | None]:
    event = body.get("event") or {}
    user = event.get("user") or body.get("user_id") or (body.get("user") or {}).get("id")
    channel = (
        event.get("channel")
        or body.get("channel_id")
        or (body.get("channel") or {}).get("id")
        or (body.get("container") or {}).get("channel_id")
    )
    return user, channel


async def report(error: Exception, body: dict[str, Any], client: AsyncWebClient | None) -> None:
    """Log a listener's failure (type and place only) and tell the person briefly.

    A :class:`UserError` is shown as it is; anything else gets :data:`SORRY`. The note is
    ephemeral where the action happened, or a DM when there is no channel (the Home tab).
    """
    user, channel = _where(body)
    message = str(error) if isinstance(error, UserError) else SORRY
    if not isinstance(error, UserError):
        # Type and location only: exception messages can quote what the person wrote.
        tb = error.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        where = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}" if tb else "?"
        log.error("slack listener failed: %s at %s", type(error).__name__, where)
    if not user or client is None:
        return
    note = blocks.build_note(message).as_kwargs()
    try:
        if channel:
            await client.chat_postEphemeral(channel=channel, user=user, **note)
        else:
            await client.chat_postMessage(channel=user, **note)
    except SlackApiError:
        log.warning("slack: could not tell the person about the error")


Listener = Callable[..., Awaitable[Any]]
_NEEDED = ("ack", "body", "client")


def guard(func: Listener) -> Listener:
    """Return ``func`` wrapped so that a failure is reported (and acked) instead of raised.

    Bolt passes a listener the arguments its signature names; the wrapper's signature adds
    ``ack``, ``body`` and ``client`` when ``func`` does not name them, and hands ``func`` only
    its own.
    """
    signature = inspect.signature(func)
    own = set(signature.parameters)
    # Bolt passes what getfullargspec(...).args names: plain parameters, so the extra ones are
    # plain too (with a default, placed before any *args, keyword-only or **kwargs).
    plain = inspect.Parameter.POSITIONAL_OR_KEYWORD
    params = list(signature.parameters.values())
    cut = next((i for i, p in enumerate(params) if p.kind > plain), len(params))
    extra = [inspect.Parameter(name, plain, default=None) for name in _NEEDED if name not in own]
    merged = [*params[:cut], *extra, *params[cut:]]

    async def run(**kwargs: Any) -> Any:
        mine = {name: value for name, value in kwargs.items() if name in own}
        try:
            return await func(**mine)
        except Exception as error:  # every failure is reported here, none raised into Bolt
            ack = kwargs.get("ack")
            if ack is not None and getattr(ack, "response", None) is None:
                await ack()
            await report(error, kwargs.get("body") or {}, kwargs.get("client"))
            return None

    # Bolt reads argument names with getfullargspec(unwrap(f)): no __wrapped__, an explicit
    # signature instead.
    run.__signature__ = signature.replace(parameters=merged)  # type: ignore[attr-defined]
    run.__name__ = getattr(func, "__name__", "listener")
    run.__qualname__ = getattr(func, "__qualname__", run.__name__)
    run.__doc__ = func.__doc__
    return run


_DECORATORS = frozenset({"action", "command", "event", "message", "options", "shortcut", "view"})


class _GuardedApp:
    """An ``AsyncApp`` whose listener decorators wrap each listener in :func:`guard`."""

    def __init__(self, app: AsyncApp) -> None:
        self._app = app

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._app, name)
        if name not in _DECORATORS:
            return attribute

        @functools.wraps(attribute)
        def decorator(*args: Any, **kwargs: Any) -> Callable[[Listener], Listener]:
            register = attribute(*args, **kwargs)

            def apply(func: Listener) -> Listener:
                register(guard(func))
                return func

            return apply

        return decorator


def guarded_app(app: AsyncApp) -> AsyncApp:
    """Return ``app`` as seen by listener modules: every listener registered runs guarded."""
    return cast(AsyncApp, _GuardedApp(app))


def register(app: AsyncApp, services: Services) -> None:
    """Register the error handler for failures outside listeners (middleware)."""

    @app.error
    async def on_error(error: Exception, body: dict[str, Any], client: AsyncWebClient) -> None:
        await report(error, body, client)
