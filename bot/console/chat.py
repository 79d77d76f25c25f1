"""``stepup chat``: talk to the coach in a terminal, with the services Slack and Teams use.

Free text goes to the coach; slash commands refine the draft, log wins and build the impact
summary. Ctrl-C or end of input leaves cleanly: every change is written in its own
transaction, so nothing is ever half-written.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Awaitable, Callable
from typing import TextIO

from bot.app import Services
from bot.coaching.models import Refinement
from bot.console.render import render_reply
from bot.errors import UserError
from bot.impact.markdown import render_markdown
from bot.impact.periods import parse_period
from bot.safety import crisis
from bot.store.people import PersonRef
from bot.wins.text import win_line
from bot.wording import wording

WELCOME = (
    "Step Up — your coach after a rough shift.\n"
    "Tell me what happened and I'll help you turn it into a proposal your manager will hear:\n"
    "the problem, a fix we could try, and how you can help. Type /help for commands."
)
HELP = """Commands:
  (any text)            tell me about your shift; answer my follow-up questions
  /shorter /formal      tighten the draft, or make it more formal
  /numbers              ask me which numbers would make the draft stronger
  /edit FIELD TEXT      rewrite a field in your words (FIELD: problem, fix, role)
  /save                 save the draft to your drafts
  /manager              get the draft as a message to send your manager
  /new                  start over with a new situation
  /win TEXT             log a win: what you did, why, and the result
  /wins [PERIOD]        list your wins (PERIOD: 30d, 90d, quarter, year, all)
  /impact [PERIOD]      your impact summary (default: last 90 days)
  /help                 this list
  /quit                 leave (Ctrl-D works too)"""
GOODBYE = "Take care of yourself. Your drafts and wins are saved for next time."
EOF_SENTINEL = None

Command = Callable[[str], Awaitable[str]]


def _not_at_risk(text: str) -> bool:
    """Whether ``text`` may complete a win: neither a crisis nor despair to check in about."""
    assessed = crisis.assess(text)
    return assessed.tier is None and not assessed.check_in


class LineReader:
    """Reads lines on a daemon thread so Ctrl-C never waits for a blocked ``readline``."""

    def __init__(self, stream: TextIO, *, prompt: str | None) -> None:
        """Read from ``stream``; ``prompt`` is shown before each line when reading a terminal."""
        self._stream = stream
        self._prompt = prompt
        self._queue: asyncio.Queue[str | None] = asyncio.Queue()
        self._loop = asyncio.get_running_loop()
        self._wanted = threading.Semaphore(0)
        threading.Thread(target=self._pump, name="stepup-chat-input", daemon=True).start()

    def _pump(self) -> None:
        while True:
            self._wanted.acquire()
            try:
                line: str | None = (
                    input(self._prompt) if self._prompt is not None else self._stream.readline()
                )
                if line == "" and self._prompt is None:
                    line = EOF_SENTINEL
            except EOFError:
                line = EOF_SENTINEL
            self._loop.call_soon_threadsafe(self._queue.put_nowait, line)
            if line is EOF_SENTINEL:
                return

    async def readline(self) -> str | None:
        """Return the next line without its newline, or None at end of input."""
        self._wanted.release()
        line = await self._queue.get()
        return None if line is None else line.rstrip("\n")


class TerminalChat:
    """One person's conversation in a terminal.

    The terminal has no buttons from older drafts: every command acts on the current draft, so
    it passes ``ref=None`` to the conversation service.
    """

    def __init__(self, services: Services, who: PersonRef, *, out: TextIO) -> None:
        """Create the chat for ``who`` writing to ``out``."""
        self.services = services
        self.who = who
        self.out = out
        # The win waiting for its one follow-up answer ("How many? What changed?"), if any.
        self.pending_win: int | None = None
        refine: dict[str, Refinement] = {
            "/shorter": "shorter",
            "/formal": "formal",
            "/numbers": "add_numbers",
        }
        self.commands: dict[str, Command] = {
            "/help": self._help,
            "/edit": self._edit,
            "/save": self._save,
            "/manager": self._manager,
            "/new": self._new,
            "/win": self._win,
            "/wins": self._wins,
            "/impact": self._impact,
        }
        for name, refinement in refine.items():
            self.commands[name] = self._refiner(refinement)

    def say(self, text: str) -> None:
        """Print a reply followed by a blank line."""
        print(text, file=self.out, end="\n\n", flush=True)

    async def handle(self, line: str) -> str | None:
        """Answer one line of input; None means nothing to say (blank line)."""
        text = line.strip()
        if not text:
            return None
        pending, self.pending_win = self.pending_win, None
        if pending is not None and not text.startswith("/") and _not_at_risk(text):
            win = await self.services.wins.complete_followup(self.who, pending, text)
            return f"Updated: {win_line(win)}"
        if text.startswith("/"):
            name, _, rest = text.partition(" ")
            command = self.commands.get(name.lower())
            if command is None:
                return f"I don't know {name}. Type /help for the list."
            try:
                return await command(rest.strip())
            except UserError as exc:
                return str(exc)
        turn = await self.services.conversations.message(self.who, text)
        return render_reply(turn.reply)

    async def run(self, reader: LineReader) -> int:
        """Run until /quit, end of input or Ctrl-C; return the exit code."""
        self.say(WELCOME)
        state = await self.services.conversations.state(self.who)
        if state.draft is not None:
            problem = state.draft.problem
            snippet = problem if len(problem) <= 120 else problem[:119].rstrip() + "…"
            self.say(
                f"Picking up where we left off — your draft about: {snippet}\n"
                "Answer a question to strengthen it, /manager to get it ready to send, "
                "or /new to start fresh."
            )
        while True:
            try:
                line = await reader.readline()
            except asyncio.CancelledError:  # Ctrl-C: asyncio cancels the main task
                self.say(GOODBYE)
                raise
            if line is None or line.strip().lower() in ("/quit", "/exit"):
                self.say(GOODBYE)
                return 0
            answer = await self.handle(line)
            if answer:
                self.say(answer)

    async def _help(self, _: str) -> str:
        return HELP

    def _refiner(self, refinement: Refinement) -> Command:
        async def refine(_: str) -> str:
            turn = await self.services.conversations.refine(self.who, refinement, ref=None)
            return render_reply(turn.reply)

        return refine

    async def _edit(self, rest: str) -> str:
        field, _, text = rest.partition(" ")
        if not field:
            raise UserError("Usage: /edit problem|fix|role NEW TEXT")
        turn = await self.services.conversations.edit(self.who, {field: text}, ref=None)
        return render_reply(turn.reply)

    async def _save(self, _: str) -> str:
        saved = await self.services.conversations.save(self.who, ref=None)
        return (
            f"Saved as draft #{saved.draft_id}. /manager turns it into a message for your manager."
        )

    async def _manager(self, _: str) -> str:
        for_manager = await self.services.conversations.manager_text(self.who, ref=None)
        return f"Here's a message you can send (edit anything first):\n\n{for_manager.text}"

    async def _win(self, rest: str) -> str:
        if not rest:
            raise UserError(
                "What did you do? For example: /win trained 2 new techs on the IV hood this week"
            )
        captured = await self.services.wins.add(self.who, rest, source="chat")
        answer = wording("logged", line=win_line(captured.win))
        if captured.followup:
            self.pending_win = captured.win.id
            answer += f"\n{captured.followup}"
        return answer

    async def _wins(self, rest: str) -> str:
        period = parse_period(rest or "90d", today=dt.date.today())
        wins = await self.services.wins.list_wins(self.who, start=period.start, end=period.end)
        if not wins:
            return "No wins logged in that period yet. Try: /win what you did, why, and the result"
        return "\n".join(win_line(win) for win in wins)

    async def _impact(self, rest: str) -> str:
        summary = await self.services.impact.build(self.who, rest or "90d")
        return render_markdown(summary).strip()

    async def _new(self, _: str) -> str:
        await self.services.conversations.start_over(self.who, ref=None)
        return "Fresh start. What happened?"
