"""Waiting out a platform's rate limit: after a 429, a whole workspace or tenant holds off.

Both chat platforms answer a burst with 429 and a ``Retry-After``. The sender that got it keeps
one :class:`HoldOff` for the process, so the other sends in flight (and the next tick's) wait
the same pause instead of each collecting a 429 of their own.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


class HoldOff:
    """When each key (a workspace, a tenant) may send again.

    Args:
        clock: Monotonic seconds (tests pass a fake one).
        sleep: Waits that many seconds (tests pass one that only advances their clock).
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._resume_at: dict[str, float] = {}

    async def wait(self, key: str) -> None:
        """Return once ``key`` may send (at once when it is not held off)."""
        wait = self._resume_at.get(key, 0.0) - self._clock()
        if wait > 0:
            await self._sleep(wait)

    def hold(self, key: str, seconds: float) -> None:
        """Hold ``key`` off for ``seconds`` from now (a longer hold already set stays)."""
        resume = self._clock() + seconds
        self._resume_at[key] = max(self._resume_at.get(key, 0.0), resume)


def retry_after_seconds(value: object, *, default: float, at_least: float = 0.0) -> float:
    """Return a ``Retry-After`` header's seconds, or ``default`` when missing or unreadable."""
    if value is None:
        return default
    try:
        return max(at_least, float(str(value)))
    except ValueError:
        return default
