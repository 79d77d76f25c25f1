"""Plain-text rendering of coaching replies for the terminal (pure functions)."""

from __future__ import annotations

import textwrap

from bot.coaching.models import CoachReply

WIDTH = 88


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, width=WIDTH, initial_indent=indent, subsequent_indent=indent)


def render_reply(reply: CoachReply) -> str:
    """Return a coaching reply as terminal text: acknowledgement, draft, questions, hints.

    A crisis reply or a check-in is fixed text with a list of numbers to call: it is shown with
    its own line breaks, each line wrapped on its own.
    """
    if reply.kind in ("crisis", "check_in"):
        return "\n".join(
            textwrap.fill(line, width=WIDTH) if line.strip() else ""
            for line in reply.acknowledgement.splitlines()
        )
    lines = [textwrap.fill(reply.acknowledgement, width=WIDTH)]
    if reply.draft is not None:
        lines += [
            "",
            "Problem:",
            _wrap(reply.draft.problem),
            "Proposed fix:",
            _wrap(reply.draft.proposed_fix),
            "My role:",
            _wrap(reply.draft.my_role),
        ]
    if reply.questions:
        lines += ["", "To make it stronger:"]
        lines += [_wrap(f"- {question}") for question in reply.questions]
    if reply.redactions:
        kinds = sorted({item.type for item in reply.redactions})
        lines += ["", f"(I removed {', '.join(kinds)} before keeping or sending anything.)"]
    if reply.kind == "draft":
        lines += [
            "",
            "Answer a question, or: /shorter /formal /numbers /edit problem|fix|role TEXT "
            "/save /manager /new",
        ]
    return "\n".join(lines)
