"""Helpers for tests that run ``stepup`` as a child process: a free port and its output."""

from __future__ import annotations

import asyncio
import socket

import pytest


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Output:
    """Collects a child's output line by line and wakes waiters on each line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.closed = False
        self._changed = asyncio.Condition()

    async def read(self, stream: asyncio.StreamReader) -> None:
        """Read ``stream`` until it ends."""
        while line := await stream.readline():
            async with self._changed:
                self.lines.append(line.decode(errors="replace"))
                self._changed.notify_all()
        async with self._changed:
            self.closed = True
            self._changed.notify_all()

    async def wait_for(self, text: str, timeout: float) -> None:
        """Wait until a line contains ``text``; fail at once if the stream ended without it."""

        def seen() -> bool:
            return any(text in line for line in self.lines)

        try:
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait_for(lambda: self.closed or seen())
        except TimeoutError:
            pytest.fail(f"waited {timeout}s for {text!r}; output so far:\n{self.text}")
        if not seen():
            pytest.fail(f"the process ended before printing {text!r}:\n{self.text}")

    @property
    def text(self) -> str:
        """Everything read so far."""
        return "".join(self.lines)
