"""Cards for coaching replies, the saved draft, the message for a manager, and a short note.

A reply is a draft, a clarifying question, out of scope, or a crisis.

Laid out like Slack's DM: one short line of acknowledgement, then Problem / Proposed fix / My
role, the follow-up questions and the buttons. The crisis reply is deliberately plain: the
resources, nothing to click, no draft.

The "Edit" button unfolds the three parts as prefilled text boxes (``Action.ShowCard``) with
their own "Save changes" (:data:`~bot.teams.verbs.DRAFT_EDIT`); a part too long for the card is
prefilled cut short, and the card says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from bot.coaching.models import CoachReply, Draft
from bot.safety.redaction_note import redaction_note
from bot.teams import verbs
from bot.teams.cards.kit import (
    LINE,
    MAX_CARD_BYTES,
    Card,
    Element,
    action_set,
    bullet,
    card,
    card_size,
    container,
    execute,
    label,
    log_win,
    note,
    show_card,
    text_block,
    text_input,
)
from bot.teams.cards.text import escape, fit, json_cost, paragraphs

IN_PROBLEM: Final = "problem"
IN_PROPOSED_FIX: Final = "proposed_fix"
IN_MY_ROLE: Final = "my_role"
"""Input ids of the edit form (named in :data:`bot.teams.verbs.DRAFT_EDIT`'s contract)."""
DRAFT_ID: Final = "draft_id"
"""data key on a saved draft's buttons: the saved draft's id (as a string)."""

MAX_QUESTIONS: Final = 3
ACKNOWLEDGEMENT: Final = 1000
PART_SHOWN: Final = 2500
"""JSON bytes of each draft part shown on the card (the edit form holds more)."""
PART_EDITABLE: Final = (3000, 2000, 1200)
"""JSON bytes of each part prefilled in the edit form, tried in turn until the card fits."""
PART_MAX: Final = 4000
"""Characters a person may type in one part (what the coach accepts as input)."""
MANAGER_TEXT: Final = 20_000
"""JSON bytes of the message for a manager shown on its card."""
BLOCK_OVERHEAD: Final = 40
"""JSON bytes of a TextBlock around its text."""
NOTE: Final = 4000
PARTS: Final = (
    (IN_PROBLEM, "Problem"),
    (IN_PROPOSED_FIX, "Proposed fix"),
    (IN_MY_ROLE, "My role"),
)
CAN_DO: Final = (
    "I can turn a rough shift into a proposal for your manager, log your wins, and build an "
    "impact summary for your next review."
)
MANAGER_HINT: Final = (
    "Copy and paste it into an email or a chat with your manager. Nothing is sent for you."
)


def _part(draft: Draft, name: str) -> str:
    return str(getattr(draft, name))


def _questions(questions: Iterable[str]) -> list[Element]:
    shown = [question.strip() for question in list(questions)[:MAX_QUESTIONS] if question.strip()]
    if not shown:
        return []
    return [label("To make it stronger:"), *(bullet(question) for question in shown)]


def _privacy(reply: CoachReply) -> list[Element]:
    line = redaction_note(reply.redactions)
    return [note(f"🔒 {line}")] if line else []


def _draft_parts(draft: Draft) -> list[Element]:
    blocks: list[Element] = []
    for name, title in PARTS:
        blocks += [
            label(title, separator=name == IN_PROBLEM),
            text_block(_part(draft, name), budget=PART_SHOWN),
        ]
    return blocks


def _edit_form(draft: Draft, draft_ref: str, budget: int) -> Element:
    fields: list[Element] = []
    for name, title in PARTS:
        value = _part(draft, name).strip()
        fields.append(
            text_input(
                name,
                title,
                value=value,
                multiline=True,
                max_length=PART_MAX,
                required=True,
                error_message="This part can't be empty.",
                budget=budget,
            )
        )
        if json_cost(value) > budget:
            fields.append(note("✂️ Shortened to fit this card. Saving keeps the shorter version."))
    inner = card(
        fields,
        [execute("Save changes", verbs.DRAFT_EDIT, {verbs.REF: draft_ref}, style="positive")],
    )
    return show_card("Edit", inner)


def _refine(title: str, refinement: str, draft_ref: str) -> Element:
    return execute(title, verbs.DRAFT_REFINE, {verbs.REF: draft_ref, verbs.REFINEMENT: refinement})


def _draft_card(reply: CoachReply, draft: Draft, draft_ref: str, budget: int) -> Card:
    ref = {verbs.REF: draft_ref}
    body = [
        text_block(reply.acknowledgement, budget=ACKNOWLEDGEMENT),
        *_privacy(reply),
        *_draft_parts(draft),
        *_questions(reply.questions),
        action_set(
            execute("Save", verbs.DRAFT_SAVE, ref, style="positive"),
            _edit_form(draft, draft_ref, budget),
            execute("For my manager", verbs.DRAFT_MANAGER, ref),
        ),
        action_set(
            _refine("Shorter", "shorter", draft_ref),
            _refine("More formal", "formal", draft_ref),
            _refine("Add numbers", "add_numbers", draft_ref),
            execute("Start over", verbs.DRAFT_NEW, ref),
        ),
    ]
    return card(body)


def draft_card(reply: CoachReply, *, draft_ref: str) -> Card:
    """Return the card showing a coaching draft, its follow-up questions and its buttons.

    Args:
        reply: A ``draft`` reply (its ``draft`` must be set).
        draft_ref: The draft version the buttons carry as :data:`~bot.teams.verbs.REF`.

    Raises:
        ValueError: ``reply`` has no draft.
    """
    draft = reply.draft
    if draft is None:
        raise ValueError("a draft card needs a reply with a draft")
    for budget in PART_EDITABLE:
        built = _draft_card(reply, draft, draft_ref, budget)
        if card_size(built) <= MAX_CARD_BYTES:
            break
    return built


def clarify_card(reply: CoachReply) -> Card:
    """Return the card asking follow-up questions before there is enough for a draft."""
    body = [
        text_block(reply.acknowledgement, budget=ACKNOWLEDGEMENT),
        *_questions(reply.questions),
        *_privacy(reply),
    ]
    return card(body)


def out_of_scope_card(reply: CoachReply) -> Card:
    """Return the card for a message Step Up does not coach on, with what it can do instead."""
    body = [text_block(reply.acknowledgement, budget=ACKNOWLEDGEMENT), note(CAN_DO)]
    return card(
        body,
        [
            log_win("form"),
            execute("My impact", verbs.IMPACT_SHOW, {verbs.PERIOD: "90d"}),
        ],
    )


def crisis_card(reply: CoachReply) -> Card:
    """Return the crisis reply (or a check-in): the fixed resources text, plain, nothing to click.

    The acknowledgement of a crisis reply is human-written configuration (``prompts/crisis.md``,
    or ``prompts/check_in.md`` for a check-in; plain text) that starts with the resources; it is
    shown whole, one line per text block so every number stands on its own line, and not
    escaped, so clients may link phone numbers and the EAP contact.
    """
    body: list[Element] = []
    for paragraph in reply.acknowledgement.split("\n\n"):
        lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
        for index, line in enumerate(lines):
            if line.startswith("- "):
                body.append(bullet(line[2:], user=False, budget=LINE * 2))
            else:
                body.append(text_block(line, user=False, spacing="Small" if index else None))
    return card(body or [text_block(reply.acknowledgement, user=False)])


def reply_card(reply: CoachReply, *, draft_ref: str) -> Card:
    """Return the card for any coaching reply, chosen by ``reply.kind``.

    Args:
        reply: The coach's reply.
        draft_ref: Used only for a ``draft`` reply's buttons.
    """
    if reply.kind in ("crisis", "check_in"):
        return crisis_card(reply)
    if reply.kind == "draft" and reply.draft is not None:
        return draft_card(reply, draft_ref=draft_ref)
    if reply.kind == "out_of_scope":
        return out_of_scope_card(reply)
    return clarify_card(reply)


def saved_card(reply: CoachReply, *, draft_id: int, draft_ref: str | None = None) -> Card:
    """Return the draft shown as saved ("Saved as draft #N"), with For my manager and Start over.

    Args:
        reply: The reply whose draft was saved (its ``draft`` must be set).
        draft_id: The saved draft's id, carried by both buttons as :data:`DRAFT_ID`.
        draft_ref: The draft version the buttons carry as :data:`~bot.teams.verbs.REF`, so the
            handler can check the draft is still the current one (omitted when not given).

    Raises:
        ValueError: ``reply`` has no draft.
    """
    draft = reply.draft
    if draft is None:
        raise ValueError("a saved card needs a reply with a draft")
    data: dict[str, str] = {DRAFT_ID: str(draft_id)}
    if draft_ref is not None:
        data[verbs.REF] = draft_ref
    body = [
        text_block(f"✅ **Saved as draft #{draft_id}.**", user=False, color="Good"),
        *_draft_parts(draft),
        note("Only you can see your saved drafts."),
    ]
    return card(
        body,
        [
            execute("For my manager", verbs.DRAFT_MANAGER, data, style="positive"),
            execute("Start over", verbs.DRAFT_NEW, data),
        ],
    )


def _manager_paragraphs(message: str) -> list[Element]:
    # Every line is its own block, so line breaks survive, until the budget is spent.
    blocks: list[Element] = []
    spent = 0
    lines = paragraphs(message).split("\n\n") if message.strip() else []
    for line in lines:
        remaining = MANAGER_TEXT - spent
        whole = escape(line)
        if json_cost(whole) > remaining:
            if remaining > LINE:
                blocks.append(text_block(fit(line, remaining), user=False, budget=remaining))
            blocks.append(note("✂️ Cut short to fit Teams: your draft has every word."))
            break
        blocks.append(text_block(whole, user=False, budget=MANAGER_TEXT))
        spent += json_cost(whole) + BLOCK_OVERHEAD
    return blocks or [text_block("(empty)", user=False)]


def manager_card(text: str, *, draft_ref: str) -> Card:
    """Return the message for a manager in a copyable block, with buttons back to the draft.

    No code block: copying one carries its formatting along, and a manager should get ordinary
    text. The buttons work on the draft the message came from.

    Args:
        text: The ready-to-send message.
        draft_ref: The draft version the buttons carry as :data:`~bot.teams.verbs.REF`.
    """
    ref = {verbs.REF: draft_ref}
    body = [
        label("Ready to send to your manager:"),
        container(_manager_paragraphs(text), style="emphasis"),
        note(MANAGER_HINT),
    ]
    return card(
        body,
        [
            execute("Save draft", verbs.DRAFT_SAVE, ref, style="positive"),
            _refine("Shorter", "shorter", draft_ref),
            _refine("More formal", "formal", draft_ref),
            execute("Start over", verbs.DRAFT_NEW, ref),
        ],
    )


def note_card(text: str) -> Card:
    """Return a card with one short plain note (escaped, cut to :data:`NOTE` bytes)."""
    return card([text_block(text, budget=NOTE)])
