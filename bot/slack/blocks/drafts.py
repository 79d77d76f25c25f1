"""Messages for coaching replies: the draft, a clarifying question, out of scope, crisis.

Laid out for a phone after a shift: one short line of acknowledgement, then Problem / Proposed
fix / My role as separate short sections, the follow-up questions, and the buttons. The crisis
reply is deliberately plain: the resources, nothing to click, no draft.
"""

from __future__ import annotations

from typing import Final

from bot.coaching.models import CoachReply
from bot.errors import UserError
from bot.safety.gate import NeedsCare
from bot.safety.redaction_note import redaction_note
from bot.slack import ids
from bot.slack.blocks.kit import (
    SECTION_TEXT,
    Block,
    SlackMessage,
    actions,
    button,
    context,
    divider,
    fallback,
    labelled,
    section,
)
from bot.slack.mrkdwn import escape, length, one_line, prefix, truncate

MAX_QUESTIONS: Final = 3
SNIPPET: Final = 200
"""Characters of the problem quoted in a draft's notification text."""


def _questions_block(questions: list[str]) -> Block | None:
    shown = [question.strip() for question in questions[:MAX_QUESTIONS] if question.strip()]
    if not shown:
        return None
    per_line = (SECTION_TEXT - 40) // len(shown)
    lines = "\n".join(f"• {truncate(escape(one_line(q)), per_line)}" for q in shown)
    return section(f"*To make it stronger:*\n{lines}", user=False)


def build_draft_message(reply: CoachReply, *, draft_ref: str) -> SlackMessage:
    """Return the DM showing a coaching draft, its follow-up questions and its buttons.

    Args:
        reply: A ``draft`` reply (its ``draft`` must be set).
        draft_ref: What the buttons carry as ``value`` so the listener finds the draft again.

    Raises:
        ValueError: ``reply`` has no draft.
    """
    draft = reply.draft
    if draft is None:
        raise ValueError("a draft message needs a reply with a draft")
    blocks: list[Block] = [section(reply.acknowledgement)]
    note = redaction_note(reply.redactions)
    if note:
        blocks.append(context(f":lock: {note}", user=False))
    blocks += [
        divider(),
        labelled("Problem", draft.problem),
        labelled("Proposed fix", draft.proposed_fix),
        labelled("My role", draft.my_role),
    ]
    questions = _questions_block(reply.questions)
    if questions is not None:
        blocks.append(questions)
    blocks += [
        actions(
            button("Save", ids.DRAFT_SAVE, draft_ref, style="primary"),
            button("Edit", ids.DRAFT_EDIT, draft_ref),
            button("Shorter", ids.DRAFT_SHORTER, draft_ref),
            button("Add numbers", ids.DRAFT_ADD_NUMBERS, draft_ref),
            button("Copy for my manager", ids.DRAFT_COPY_FOR_MANAGER, draft_ref),
            button("Discard", ids.DRAFT_DISCARD, draft_ref),
        ),
        actions(
            button(
                "👍 Helpful",
                ids.FEEDBACK_HELPFUL,
                draft_ref,
                accessibility_label="This draft was helpful",
            ),
            button(
                "👎 Not helpful",
                ids.FEEDBACK_NOT_HELPFUL,
                draft_ref,
                accessibility_label="This draft was not helpful",
            ),
        ),
    ]
    problem = truncate(one_line(draft.problem), SNIPPET)
    return SlackMessage(
        text=fallback(reply.acknowledgement, f"Draft proposal — problem: {problem}"),
        blocks=blocks,
    )


def build_clarify_message(reply: CoachReply) -> SlackMessage:
    """Return the DM asking follow-up questions before there is enough for a draft."""
    blocks: list[Block] = [section(reply.acknowledgement)]
    questions = _questions_block(reply.questions)
    if questions is not None:
        blocks.append(questions)
    note = redaction_note(reply.redactions)
    if note:
        blocks.append(context(f":lock: {note}", user=False))
    asked = " ".join(q.strip() for q in reply.questions[:MAX_QUESTIONS] if q.strip())
    return SlackMessage(text=fallback(reply.acknowledgement, asked), blocks=blocks)


def build_out_of_scope_message(reply: CoachReply) -> SlackMessage:
    """Return the DM for a message Step Up does not coach on, with what it can do instead."""
    blocks: list[Block] = [
        section(reply.acknowledgement),
        context(
            "I can turn a rough shift into a proposal for your manager, log your wins, "
            "and build an impact summary for your next review.",
            user=False,
        ),
        actions(
            button("Log a win", ids.WIN_LOG, "chat"),
            button("Build my impact summary", ids.IMPACT_BUILD),
        ),
    ]
    return SlackMessage(text=fallback(reply.acknowledgement), blocks=blocks)


def build_crisis_message(reply: CoachReply) -> SlackMessage:
    """Return the crisis reply (or a check-in): the fixed resources text, plain, nothing to click.

    The acknowledgement of a crisis reply is human-written configuration (``prompts/crisis.md``,
    or ``prompts/check_in.md`` for a check-in)
    that already starts with the resources; it is shown whole, paragraph by paragraph, with
    URLs and phone numbers left clickable (it is not user text, so ``verbatim`` stays off).
    """
    paragraphs: list[str] = []
    for part in (part.strip() for part in reply.acknowledgement.split("\n\n")):
        # A lead-in ("…talk to right now:") stays with the list it introduces, so the first
        # block already holds the numbers to call.
        if not part:
            continue
        if paragraphs and paragraphs[-1].endswith(":"):
            paragraphs[-1] += "\n" + part
        else:
            paragraphs.append(part)
    blocks = [
        section(
            "\n".join(
                "• " + line.strip()[2:] if line.strip().startswith("- ") else line.strip()
                for line in escape(paragraph).splitlines()
            ),
            user=False,
            verbatim=False,
        )
        for paragraph in paragraphs[:10]
    ]
    return SlackMessage(text=fallback(reply.acknowledgement), blocks=blocks)


def build_reply_message(reply: CoachReply, *, draft_ref: str) -> SlackMessage:
    """Return the message for any coaching reply, chosen by ``reply.kind``.

    Args:
        reply: The coach's reply.
        draft_ref: Used only for a ``draft`` reply's buttons.
    """
    if reply.kind in ("crisis", "check_in"):
        return build_crisis_message(reply)
    if reply.kind == "draft" and reply.draft is not None:
        return build_draft_message(reply, draft_ref=draft_ref)
    if reply.kind == "out_of_scope":
        return build_out_of_scope_message(reply)
    return build_clarify_message(reply)


def _hard_cut(line: str, limit: int) -> int:
    # Where to cut a line longer than ``limit``: a space in its second half, else mid-word but
    # never inside an HTML entity ("&amp;").
    end = len(prefix(line, limit))
    cut = line.rfind(" ", 0, end)
    if cut > end // 2:
        return cut
    amp = line.rfind("&", 0, end)
    if amp != -1 and ";" not in line[amp:end]:
        return amp or end
    return end


def _chunks(text: str, limit: int) -> list[str]:
    # Split long text at line boundaries (then spaces) so nothing is lost when copying.
    chunks: list[str] = []
    current = ""
    for line in text.splitlines():
        candidate = f"{current}\n{line}" if current else line
        if length(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
        while length(line) > limit:
            cut = _hard_cut(line, limit)
            chunks.append(line[:cut])
            line = line[cut:].lstrip()
        current = line
    if current.strip():
        chunks.append(current)
    return chunks


def build_manager_message(text: str) -> SlackMessage:
    """Return the ready-to-send version of a draft, as plain copyable sections and a hint.

    No code block: copying a code block carries its formatting along, and a manager should get
    ordinary text. Long text is split across sections rather than cut.
    """
    escaped = escape(text.strip())
    body = [
        {"type": "section", "text": {"type": "mrkdwn", "text": chunk, "verbatim": True}}
        for chunk in _chunks(escaped, SECTION_TEXT)[:45]
    ] or [section("(empty)", user=False)]
    blocks: list[Block] = [
        section("*Ready to send to your manager:*", user=False),
        *body,
        context(
            "Copy and paste it into an email or DM to your manager. Nothing is sent for you.",
            user=False,
        ),
    ]
    return SlackMessage(text=fallback("Ready to send to your manager:", text), blocks=blocks)


def build_error_note(error: UserError) -> SlackMessage:
    """Return what a refused request shows: the crisis gate's reply in full, else a small note."""
    if isinstance(error, NeedsCare):
        return build_crisis_message(CoachReply(kind="crisis", acknowledgement=str(error)))
    return build_note(str(error))


def build_note(text: str) -> SlackMessage:
    """Return a small note (usually ephemeral): one section and the same fallback text."""
    return SlackMessage(text=fallback(text), blocks=[section(text or " ")])
