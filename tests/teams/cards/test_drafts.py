"""Coaching reply cards: the draft, clarify, out of scope, crisis, saved, manager and note."""

from __future__ import annotations

import pytest

from bot.coaching.models import CoachReply, Draft
from bot.safety.crisis import CrisisTier, crisis_text
from bot.safety.redaction import Redaction
from bot.teams import cards, verbs
from tests.helpers.cards import (
    HOSTILE,
    actions,
    assert_hostile_escaped,
    assert_valid_card,
    body_text,
    by_verb,
    inputs,
    of_type,
    size,
    texts,
)
from tests.helpers.replies import draft_reply


def hostile_reply() -> CoachReply:
    return draft_reply(
        acknowledgement=f"Rough night. {HOSTILE}",
        draft=Draft(
            problem=f"Problem {HOSTILE}", proposed_fix=f"Fix {HOSTILE}", my_role=f"Me {HOSTILE}"
        ),
        questions=[f"Q1 {HOSTILE}", f"Q2 {HOSTILE}", f"Q3 {HOSTILE}"],
    )


def test_draft_card_shows_the_three_parts_questions_and_privacy_line() -> None:
    card = cards.reply_card(draft_reply(), draft_ref="d-17")

    assert_valid_card(card)
    shown = texts(card)
    assert shown[0] == "That sounds like a brutal shift."
    for label, part in (
        ("Problem", "The ADC on 4 West ran out of heparin flushes three times this week."),
        ("Proposed fix", "Add a mid-shift par check for the 4 West ADC."),
        ("My role", "I can do the 2 pm check and log stockouts for a month."),
    ):
        assert shown[shown.index(label) + 1] == part
    assert "• How many times did it run out?" in shown
    assert "🔒 I removed a name and an MRN before saving anything." in shown


def test_draft_card_buttons_carry_the_draft_ref_and_refinement() -> None:
    card = cards.reply_card(draft_reply(), draft_ref="d-17")

    assert [a["data"] for a in by_verb(card, verbs.DRAFT_SAVE)] == [{verbs.REF: "d-17"}]
    assert [a["data"] for a in by_verb(card, verbs.DRAFT_MANAGER)] == [{verbs.REF: "d-17"}]
    assert [a["data"] for a in by_verb(card, verbs.DRAFT_NEW)] == [{verbs.REF: "d-17"}]
    refinements = {
        a["title"]: a["data"][verbs.REFINEMENT] for a in by_verb(card, verbs.DRAFT_REFINE)
    }
    assert refinements == {
        "Shorter": "shorter",
        "More formal": "formal",
        "Add numbers": "add_numbers",
    }
    assert all(a["data"][verbs.REF] == "d-17" for a in by_verb(card, verbs.DRAFT_REFINE))
    assert all(a["type"] == "Action.Execute" for a in actions(card) if "verb" in a)


def test_draft_card_edit_form_is_prefilled_and_saves_with_draft_edit() -> None:
    reply = draft_reply()
    card = cards.reply_card(reply, draft_ref="d-17")

    [edit] = [a for a in actions(card) if a["type"] == "Action.ShowCard"]
    assert edit["title"] == "Edit"
    fields = inputs(edit["card"])
    assert list(fields) == [cards.IN_PROBLEM, cards.IN_PROPOSED_FIX, cards.IN_MY_ROLE]
    assert list(fields) == ["problem", "proposed_fix", "my_role"]
    assert reply.draft is not None
    assert fields["problem"]["value"] == reply.draft.problem
    assert fields["my_role"]["value"] == reply.draft.my_role
    assert all(f["isMultiline"] and f["isRequired"] for f in fields.values())
    [save] = by_verb(edit["card"], verbs.DRAFT_EDIT)
    assert save["data"] == {verbs.REF: "d-17"}


def test_draft_card_escapes_every_piece_of_user_and_model_text() -> None:
    card = cards.reply_card(hostile_reply(), draft_ref="d-1")

    assert_valid_card(card)
    assert_hostile_escaped(card, expected=7)  # acknowledgement, three parts, three questions


def test_edit_form_keeps_text_as_typed_since_inputs_show_no_markdown() -> None:
    card = cards.reply_card(hostile_reply(), draft_ref="d-1")

    assert inputs(card)["problem"]["value"] == f"Problem {HOSTILE}"


def test_draft_card_shows_at_most_three_questions() -> None:
    reply = draft_reply().model_copy(update={"questions": ["A?", "B?", "C?", "D?"]})

    shown = texts(cards.reply_card(reply, draft_ref="d"))

    assert [line for line in shown if line.startswith("• ")] == ["• A?", "• B?", "• C?"]


def test_draft_card_without_redactions_has_no_privacy_line() -> None:
    card = cards.reply_card(draft_reply(redactions=[]), draft_ref="d")

    assert "removed" not in body_text(card)


def test_a_maximal_draft_stays_well_under_the_teams_limit() -> None:
    huge = "word " * 800  # 4,000 characters, the most the coach takes in
    reply = draft_reply(
        acknowledgement=huge,
        draft=Draft(problem=huge, proposed_fix=huge, my_role=huge),
        questions=[huge, huge, huge],
    )

    card = cards.reply_card(reply, draft_ref="d" * 64)

    assert_valid_card(card)
    assert size(card) <= cards.MAX_CARD_BYTES
    assert any(line.endswith("…") for line in texts(card))
    assert "Shortened to fit" in body_text(card)


@pytest.mark.parametrize("fill", ["*", "\\", "<", "é", "😀", '"'])
def test_a_draft_of_characters_that_grow_when_escaped_still_fits(fill: str) -> None:
    huge = fill * 4000
    reply = draft_reply(
        acknowledgement=huge,
        draft=Draft(problem=huge, proposed_fix=huge, my_role=huge),
        questions=[huge, huge, huge],
    )

    card = cards.reply_card(reply, draft_ref="d")

    assert_valid_card(card)
    assert size(card) <= cards.MAX_CARD_BYTES


def test_clarify_card_asks_without_buttons() -> None:
    reply = CoachReply(
        kind="clarify",
        acknowledgement="That sounds hard.",
        questions=["What happened first?", f"And then? {HOSTILE}"],
        redactions=[Redaction(type="RX")],
    )

    card = cards.reply_card(reply, draft_ref="none")

    assert_valid_card(card)
    assert actions(card) == []
    shown = texts(card)
    assert shown[0] == "That sounds hard."
    assert "• What happened first?" in shown
    assert "🔒 I removed an Rx number before saving anything." in shown
    assert_hostile_escaped(card)


def test_out_of_scope_card_offers_what_step_up_does() -> None:
    reply = CoachReply(kind="out_of_scope", acknowledgement="I can't help with the weather.")

    card = cards.reply_card(reply, draft_ref="none")

    assert_valid_card(card)
    assert texts(card)[0] == "I can't help with the weather."
    [log] = by_verb(card, verbs.WIN_OPEN)
    assert log["type"] == "Action.Submit"
    assert log["data"] == {
        "msteams": {"type": "task/fetch"},
        "verb": verbs.WIN_OPEN,
        "source": "form",
    }
    assert [a["data"] for a in by_verb(card, verbs.IMPACT_SHOW)] == [{verbs.PERIOD: "90d"}]


@pytest.mark.parametrize("tier", list(CrisisTier))
def test_crisis_card_is_resources_only(tier: CrisisTier) -> None:
    text = crisis_text(tier, eap_contact="EAP: 1-800-555-0100")
    reply = CoachReply(kind="crisis", acknowledgement=text)

    card = cards.reply_card(reply, draft_ref="d-17")

    assert_valid_card(card)
    assert actions(card) == []
    assert card["actions"] == []
    assert not of_type(card, "Input.Text", "ActionSet")
    shown = body_text(card)
    assert "988" in shown and "741741" in shown and "1-800-555-0100" in shown
    first = texts(card)[0] if tier is CrisisTier.harm_to_others else texts(card)[1]
    assert ("911" if tier is CrisisTier.harm_to_others else "988") in first  # resources first
    assert not any(line.startswith("- ") for line in texts(card))


def test_reply_card_picks_the_builder_by_kind() -> None:
    draft = cards.reply_card(draft_reply(), draft_ref="d")
    no_draft = cards.reply_card(draft_reply(draft=None), draft_ref="d")

    assert by_verb(draft, verbs.DRAFT_SAVE)
    assert not by_verb(no_draft, verbs.DRAFT_SAVE)  # a "draft" without one is asked about


def test_saved_card_says_saved_and_offers_manager_and_start_over() -> None:
    card = cards.saved_card(draft_reply(), draft_id=42, draft_ref="d-17")

    assert_valid_card(card)
    shown = texts(card)
    assert "Saved as draft #42." in shown[0]
    assert "Problem" in shown and "My role" in shown
    [manager] = by_verb(card, verbs.DRAFT_MANAGER)
    [new] = by_verb(card, verbs.DRAFT_NEW)
    expected = {verbs.REF: "d-17", cards.DRAFT_ID: "42"}
    assert manager["data"] == new["data"] == expected
    assert not by_verb(card, verbs.DRAFT_SAVE)


def test_saved_card_without_a_ref_carries_the_draft_id_only() -> None:
    card = cards.saved_card(draft_reply(), draft_id=42)

    assert by_verb(card, verbs.DRAFT_MANAGER)[0]["data"] == {"draft_id": "42"}


def test_saved_and_draft_cards_need_a_draft() -> None:
    from bot.teams.cards.drafts import draft_card

    with pytest.raises(ValueError, match="draft"):
        cards.saved_card(draft_reply(draft=None), draft_id=1)
    with pytest.raises(ValueError, match="draft"):
        draft_card(draft_reply(draft=None), draft_ref="d")


def test_manager_card_is_copyable_text_with_buttons_back_to_the_draft() -> None:
    text = "Hi Dana,\n\nThe 4 West ADC ran out of flushes.\nI can run a 2 pm par check."

    card = cards.manager_card(text, draft_ref="d-17")

    assert_valid_card(card)
    [box] = of_type(card, "Container")
    assert box["style"] == "emphasis"
    lines = [block["text"] for block in box["items"]]
    assert lines == [
        "Hi Dana,",
        "The 4 West ADC ran out of flushes.",
        "I can run a 2 pm par check.",
    ]
    assert "Nothing is sent for you." in body_text(card)
    assert {a["verb"] for a in actions(card)} == {
        verbs.DRAFT_SAVE,
        verbs.DRAFT_REFINE,
        verbs.DRAFT_NEW,
    }
    assert all(a["data"][verbs.REF] == "d-17" for a in actions(card))


def test_manager_card_escapes_and_cuts_a_huge_message() -> None:
    card = cards.manager_card("\n".join([HOSTILE] * 2000), draft_ref="d")

    assert_valid_card(card)
    assert size(card) <= cards.MAX_CARD_BYTES
    assert_hostile_escaped(card, expected=50)
    assert "Cut short to fit Teams" in body_text(card)


def test_manager_card_for_empty_text_still_renders() -> None:
    card = cards.manager_card("   ", draft_ref="d")

    assert_valid_card(card)
    assert "(empty)" in texts(card)


def test_note_card_is_one_escaped_line_cut_when_huge() -> None:
    assert texts(cards.note_card("Saved as draft #3.")) == ["Saved as draft #3."]
    card = cards.note_card(HOSTILE)
    assert_hostile_escaped(card)
    assert actions(card) == []
    huge = cards.note_card("x" * 100_000)
    assert_valid_card(huge)
    assert size(huge) < 5000
