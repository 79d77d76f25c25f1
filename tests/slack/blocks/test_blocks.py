import datetime as dt
import json
from typing import Any

import pytest

from bot.coaching.models import CoachReply, Draft
from bot.impact.summary import (
    Section,
)
from bot.safety.crisis import CrisisTier, crisis_text
from bot.safety.redaction import Redaction
from bot.slack import ids
from bot.slack.blocks import (
    SUGGESTED_PROMPTS,
    LoggedWin,
    SlackMessage,
    build_clarify_message,
    build_crisis_message,
    build_draft_message,
    build_edit_draft_modal,
    build_greeting_message,
    build_home_view,
    build_impact_message,
    build_manager_message,
    build_note,
    build_nudge_message,
    build_nudge_settings_modal,
    build_out_of_scope_message,
    build_reply_message,
    build_thanks_modal,
    build_thanks_offer_message,
    build_win_logged_message,
    build_win_modal,
    edit_draft_values,
    nudge_settings_values,
    redaction_note,
    thanks_modal_values,
    view_errors,
    win_modal_values,
)
from bot.slack.blocks.home import WHAT_STEP_UP_DOES
from bot.slack.blocks.kit import submitted_text
from bot.slack.mrkdwn import escape, length
from bot.wins.home import HomeData, HomeDraft, HomeGoal, HomeWin, TeamNudge
from bot.wins.preferences import NudgePreferences
from tests.helpers.blocks import (
    EVIL,
    assert_no_raw_sequences,
    assert_valid_message,
    assert_valid_view,
    buttons,
    serialized,
    texts,
    walk,
)
from tests.helpers.impact import entry, impact_summary
from tests.helpers.replies import draft_reply
from tests.paths import SLACK_FIXTURES

# --- what a vent (or a model) could try ---------------------------------------------------------

TODAY = dt.date(2026, 11, 25)
CATEGORIES = [
    ("trained_mentored", "Trained or mentored"),
    ("process_improvement", "Improved a process or reduced errors"),
    ("covered_shortage", "Covered during shortages"),
    ("relationships", "Built relationships with nursing or other departments"),
    ("go_to_person", "Go-to person"),
    ("caught_error", "Caught an error (patient safety)"),
    ("certification_education", "Certification and education"),
    ("involvement", "Involvement (committee, society, conference, presentation)"),
    ("recognition", "Recognition received"),
]


def evil_reply() -> CoachReply:
    return draft_reply(
        acknowledgement=f"Rough night. {EVIL}",
        draft=Draft(problem=f"Problem {EVIL}", proposed_fix=f"Fix {EVIL}", my_role=f"Me {EVIL}"),
        questions=[f"Q1 {EVIL}", f"Q2 {EVIL}", f"Q3 {EVIL}"],
    )


def state_from_view(view: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    """Simulate Slack's view.state.values for a view submitted without changes."""
    state: dict[str, dict[str, dict[str, Any]]] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        value: dict[str, Any] = {"type": element["type"]}
        if element["type"] == "plain_text_input":
            value["value"] = element.get("initial_value")
        elif element["type"] in ("static_select", "radio_buttons"):
            value["selected_option"] = element.get("initial_option")
        elif element["type"] == "datepicker":
            value["selected_date"] = element.get("initial_date")
        elif element["type"] == "timepicker":
            value["selected_time"] = element.get("initial_time")
        elif element["type"] == "checkboxes":
            value["selected_options"] = element.get("initial_options", [])
        state[block["block_id"]] = {element["action_id"]: value}
    return state


# --- coaching replies ---------------------------------------------------------------------------


def test_draft_message_is_valid_and_readable() -> None:
    message = build_draft_message(draft_reply(), draft_ref="d-17")

    assert_valid_message(message)
    assert message.text.startswith("That sounds like a brutal shift.")
    assert "ADC on 4 West ran out of heparin flushes" in message.text
    body = "\n".join(texts(message.blocks))
    assert body.index("*Problem*") < body.index("*Proposed fix*") < body.index("*My role*")
    assert "Add a mid-shift par check" in body
    assert "How many times did it run out?" in body


def test_draft_message_buttons_carry_the_draft_ref() -> None:
    message = build_draft_message(draft_reply(), draft_ref="d-17")

    found = buttons(message.blocks)
    assert [button["action_id"] for button in found] == [
        ids.DRAFT_SAVE,
        ids.DRAFT_EDIT,
        ids.DRAFT_SHORTER,
        ids.DRAFT_ADD_NUMBERS,
        ids.DRAFT_COPY_FOR_MANAGER,
        ids.DRAFT_DISCARD,
        ids.FEEDBACK_HELPFUL,
        ids.FEEDBACK_NOT_HELPFUL,
    ]
    assert {button["value"] for button in found} == {"d-17"}
    assert [b["text"]["text"] for b in found if b.get("style") == "primary"] == ["Save"]


def test_draft_message_escapes_every_piece_of_user_and_model_text() -> None:
    message = build_draft_message(evil_reply(), draft_ref="d-1")

    assert_valid_message(message)
    assert_no_raw_sequences(message)
    body = serialized(message)
    assert "&lt;!channel&gt;" in body
    assert "&lt;https://evil.example|click here&gt;" in body
    assert "@here" not in body.replace("@\u2060here", "")


def test_draft_message_turns_off_auto_linking_for_user_text() -> None:
    message = build_draft_message(evil_reply(), draft_ref="d-1")

    carrying_user_text = [
        node
        for node in walk(message.blocks)
        if node.get("type") == "mrkdwn" and "&lt;" in node["text"]
    ]
    assert carrying_user_text
    assert all(node.get("verbatim") is True for node in carrying_user_text)


def test_draft_message_says_which_identifiers_were_removed() -> None:
    message = build_draft_message(draft_reply(), draft_ref="d-1")

    contexts = [block for block in message.blocks if block["type"] == "context"]
    assert any("I removed a name and an MRN before saving anything." in t for t in texts(contexts))


def test_draft_message_without_redactions_has_no_privacy_line() -> None:
    message = build_draft_message(draft_reply(redactions=[]), draft_ref="d-1")

    assert not any("I removed" in text for text in texts(message.blocks))


def test_redaction_note_counts_types_and_never_shows_values() -> None:
    note = redaction_note(
        [
            Redaction(type="NAME"),
            Redaction(type="PHONE"),
            Redaction(type="NAME"),
            Redaction(type="X"),
        ]
    )

    assert note == "I removed two names, a phone number and an identifier before saving anything."
    assert redaction_note([]) is None


def test_draft_message_shows_at_most_three_questions() -> None:
    # CoachReply validates at most three; a listener could still be handed more.
    reply = draft_reply().model_copy(update={"questions": ["One?", "Two?", "Three?", "Four?"]})

    body = "\n".join(texts(build_draft_message(reply, draft_ref="d-1").blocks))

    assert "Three?" in body
    assert "Four?" not in body


def test_draft_message_fits_a_4000_character_draft() -> None:
    long = "The queue backed up again because nobody covered the window. " * 70
    reply = draft_reply(draft=Draft(problem=long, proposed_fix=long, my_role=long))

    message = build_draft_message(reply, draft_ref="d-1")

    assert_valid_message(message)
    assert all(length(text) <= 3000 for text in texts(message.blocks))


def test_draft_message_needs_a_draft_and_a_sane_ref() -> None:
    with pytest.raises(ValueError, match="draft"):
        build_draft_message(draft_reply(kind="clarify", draft=None), draft_ref="d-1")
    with pytest.raises(ValueError, match="button value"):
        build_draft_message(draft_reply(), draft_ref="x" * 2001)


def test_clarify_message_asks_without_buttons() -> None:
    reply = CoachReply(
        kind="clarify",
        acknowledgement=f"Tell me more. {EVIL}",
        questions=["What happened first?", f"Who was there? {EVIL}"],
    )

    message = build_clarify_message(reply)

    assert_valid_message(message)
    assert_no_raw_sequences(message)
    assert "What happened first?" in message.text
    assert not buttons(message.blocks)


def test_out_of_scope_message_offers_what_step_up_does() -> None:
    reply = CoachReply(kind="out_of_scope", acknowledgement="I can't help with recipes.")

    message = build_out_of_scope_message(reply)

    assert_valid_message(message)
    assert message.text == "I can't help with recipes."
    assert [b["action_id"] for b in buttons(message.blocks)] == [ids.WIN_LOG, ids.IMPACT_BUILD]


@pytest.mark.parametrize("tier", list(CrisisTier))
def test_crisis_message_is_resources_only(tier: CrisisTier) -> None:
    text = crisis_text(tier, eap_contact="call 1-800-555-0100 or https://eap.example.org")
    reply = CoachReply(kind="crisis", acknowledgement=text)

    message = build_crisis_message(reply)

    assert_valid_message(message)
    assert all(block["type"] == "section" for block in message.blocks)
    assert not buttons(message.blocks)
    first = message.blocks[0]["text"]["text"]
    assert "988" in first or "911" in first
    body = "\n".join(texts(message.blocks))
    assert "• Call or text 988" in body
    assert "https://eap.example.org" in body
    assert "988" in message.text


def test_reply_message_picks_the_builder_by_kind() -> None:
    crisis = CoachReply(kind="crisis", acknowledgement="Call or text 988.")
    assert not buttons(build_reply_message(crisis, draft_ref="d-1").blocks)
    draft = build_reply_message(draft_reply(), draft_ref="d-9")
    assert {b["value"] for b in buttons(draft.blocks)} == {"d-9"}
    scope = CoachReply(kind="out_of_scope", acknowledgement="Not my area.")
    assert (
        buttons(build_reply_message(scope, draft_ref="d-1").blocks)[0]["action_id"] == ids.WIN_LOG
    )


def test_manager_message_is_copyable_text_with_a_hint() -> None:
    text = "Hi Dana,\n\nThe 4 West ADC ran out of flushes 3 times. <!here> Could we add a check?"

    message = build_manager_message(text)

    assert_valid_message(message)
    assert_no_raw_sequences(message)
    assert "```" not in serialized(message)
    assert "email or DM" in texts(message.blocks)[-1]
    assert "The 4 West ADC ran out of flushes 3 times." in message.text


def test_manager_message_splits_long_text_without_losing_any() -> None:
    paragraph = "We covered the IV room with one tech for the whole evening shift again. "
    text = "\n".join(paragraph * 3 for _ in range(40))  # ~8,800 characters

    message = build_manager_message(text)

    assert_valid_message(message)
    chunks = [b["text"]["text"] for b in message.blocks[1:-1]]
    assert len(chunks) >= 3
    assert "".join(chunks).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(
        " ", ""
    )


def test_note_is_escaped() -> None:
    message = build_note(f"Saved. {EVIL}")

    assert_valid_message(message)
    assert_no_raw_sequences(message)
    assert message.text.startswith("Saved.")


# --- wins ---------------------------------------------------------------------------------------


def logged_win(**changes: Any) -> LoggedWin:
    fields: dict[str, Any] = {
        "what": "Trained 2 new techs on the IV hood",
        "category_label": "Trained or mentored",
        "occurred_on": dt.date(2026, 11, 20),
        "figures": ["2 people trained", "4 hours"],
    }
    fields.update(changes)
    return LoggedWin(**fields)


def test_win_logged_message_says_what_was_understood() -> None:
    message = build_win_logged_message(logged_win(), win_id=42)

    assert_valid_message(message)
    body = "\n".join(texts(message.blocks))
    assert "*Logged:* Trained 2 new techs on the IV hood" in body
    assert "Trained or mentored" in body
    assert "Fri, Nov 20, 2026" in body
    assert "2 people trained, 4 hours" in body
    edit = buttons(message.blocks)
    assert [(b["action_id"], b["value"]) for b in edit] == [(ids.WIN_EDIT, "42")]
    assert message.text.startswith("Logged: Trained 2 new techs on the IV hood — Trained")


def test_win_logged_message_asks_the_followup_once() -> None:
    question = "How many? What changed because of it?"

    with_question = build_win_logged_message(logged_win(figures=[]), win_id=1, followup=question)
    without = build_win_logged_message(logged_win(figures=[]), win_id=1)

    assert question in "\n".join(texts(with_question.blocks))
    assert question in with_question.text
    assert "no numbers yet" in "\n".join(texts(without.blocks))
    assert not any("How many?" in text for text in texts(without.blocks))


def test_win_logged_message_escapes_the_win() -> None:
    message = build_win_logged_message(
        logged_win(what=f"Won {EVIL}", category_label="<!here>", figures=["<@U123> 2"]), win_id=1
    )

    assert_valid_message(message)
    assert_no_raw_sequences(message)


def test_thanks_offer_asks_the_thanked_person() -> None:
    message = build_thanks_offer_message(
        "Maria <!channel>", f"covering my shift {EVIL}", thanks_id=7
    )

    assert_valid_message(message)
    assert_no_raw_sequences(message)
    assert message.text.startswith("Maria &lt;!channel&gt; thanked you: covering my shift")
    found = buttons(message.blocks)
    assert [(b["action_id"], b["value"], b["text"]["text"]) for b in found] == [
        (ids.THANKS_ACCEPT, "7", "Add to my wins"),
        (ids.THANKS_DECLINE, "7", "No thanks"),
    ]


def test_nudge_message_has_a_log_a_win_button() -> None:
    message = build_nudge_message("What's one thing you handled well this week?")

    assert_valid_message(message)
    assert message.text.startswith("What's one thing you handled well this week?")
    assert [(b["action_id"], b["value"]) for b in buttons(message.blocks)] == [
        (ids.WIN_LOG, "nudge")
    ]


# --- impact -------------------------------------------------------------------------------------


def test_impact_message_shows_headline_sections_and_buttons() -> None:
    message = build_impact_message(impact_summary())

    assert_valid_message(message)
    assert_no_raw_sequences(message)
    assert message.blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Your impact: Q4 2026", "emoji": True},
    }
    body = "\n".join(texts(message.blocks))
    assert "*12* wins logged\n+3 vs Q3 2026" in body
    assert "*4* people trained\nsame as Q3 2026" in body
    assert "*$1,200* dollars saved" in body
    assert "win #80" in body  # the biggest section comes first and cites its wins
    assert "Led the ADC par project" in body
    assert "CPhT-Adv: 40% done" in body
    send = buttons(message.blocks)
    assert [(b["action_id"], b["value"]) for b in send] == [
        (ids.IMPACT_SEND_MARKDOWN, "2026-Q4"),
        (ids.IMPACT_SEND_PDF, "2026-Q4"),
    ]
    assert (
        message.text == "Your impact summary for Q4 2026: 12 wins logged, 4 people trained, "
        "$1,200 dollars saved."
    )


def test_impact_message_trims_each_section_and_counts_the_rest() -> None:
    message = build_impact_message(impact_summary())

    section8 = next(t for t in texts(message.blocks) if t.startswith("*Category 8 (13)*"))
    assert section8.count("• ") == 3
    assert "…and 10 more in the full summary" in section8  # 2 not shown + 8 never listed


def test_impact_message_label_and_period_can_be_overridden() -> None:
    message = build_impact_message(
        impact_summary(), period_label="the last 12 months", period="12m"
    )

    assert "Your impact: the last 12 months" in message.blocks[0]["text"]["text"]
    assert {b["value"] for b in buttons(message.blocks)} == {"12m"}


def test_impact_message_stays_under_fifty_blocks() -> None:
    many = [
        Section(category=f"c{i}", label=f"C{i}", total=1, entries=[entry(i, "x")], more=0)
        for i in range(80)
    ]

    message = build_impact_message(impact_summary(sections=many))

    assert_valid_message(message)
    assert message.blocks[-1]["type"] == "actions"


def test_impact_message_for_an_empty_period_explains_how_to_start() -> None:
    hint = 'No wins logged for Q4 2026 yet. Log your first one, e.g. "trained 2 new techs".'
    summary = impact_summary(
        empty=True,
        empty_hint=hint,
        headline=[],
        sections=[],
        leadership=[],
        big_leadership=[],
        growth=[],
        goals_in_progress=[],
        closing=None,
    )

    message = build_impact_message(summary)

    assert_valid_message(message)
    assert message.text == escape(hint)
    assert [(b["action_id"], b["value"]) for b in buttons(message.blocks)] == [
        (ids.WIN_LOG, "impact")
    ]


# --- App Home -----------------------------------------------------------------------------------


def full_home(**changes: Any) -> HomeData:
    fields: dict[str, Any] = {
        "display_name": "Sam <!here>",
        "wins_this_month": 3,
        "wins_this_quarter": 8,
        "streak_weeks": 4,
        "recent_wins": [
            HomeWin(
                id=n,
                occurred_on=dt.date(2026, 11, n),
                what=f"Win {n} {EVIL}",
                category_label="Go-to person",
            )
            for n in range(1, 9)
        ],
        "saved_drafts": [HomeDraft(id=n, problem=f"Problem {n} {EVIL}") for n in range(1, 8)],
        "goals": [HomeGoal(title="CPhT", progress=60, target_date=dt.date(2027, 3, 1))],
        "settings": NudgePreferences(
            enabled=True, weekday=4, time=dt.time(14, 0), timezone="America/Chicago"
        ),
        "is_admin": False,
        "team_nudges": [
            TeamNudge(
                schedule_id=5,
                channel_id="C0PHARM",
                weekday=0,
                time=dt.time(9, 30),
                timezone="America/New_York",
            ),
            TeamNudge(
                schedule_id=6,
                channel_id="C0NIGHT",
                weekday=6,
                time=dt.time(22, 0),
                timezone="America/New_York",
                enabled=False,
            ),
        ],
        "today": TODAY,
    }
    fields.update(changes)
    return HomeData(**fields)


def test_home_view_shows_numbers_wins_drafts_goals_and_settings() -> None:
    view = build_home_view(full_home())

    assert_valid_view(view)
    assert_no_raw_sequences(view)
    assert view["type"] == "home"
    body = "\n".join(texts(view["blocks"]))
    assert "*3*\nwins this month" in body
    assert "*8*\nwins this quarter" in body
    assert "4 weeks in a row" in body
    assert "CPhT" in body and "60%" in body and "target Mon, Mar 1, 2027" in body
    assert "Weekly DM reminder: *on* — Fridays at 2:00 PM (America/Chicago)" in body
    found = buttons(view["blocks"])
    assert [b["value"] for b in found if b["action_id"] == ids.WIN_EDIT] == [
        "1",
        "2",
        "3",
        "4",
        "5",
    ]
    assert [b["value"] for b in found if b["action_id"] == ids.DRAFT_OPEN] == [
        "1",
        "2",
        "3",
        "4",
        "5",
    ]
    actions_ = {b["action_id"] for b in found}
    assert {ids.WIN_LOG, ids.IMPACT_BUILD, ids.NUDGE_SETTINGS_OPEN} <= actions_


def test_home_view_hides_team_nudges_from_non_admins() -> None:
    view = build_home_view(full_home(is_admin=False))

    assert "Team nudges" not in texts(view["blocks"])
    assert ids.TEAM_NUDGE_TOGGLE not in {b["action_id"] for b in buttons(view["blocks"])}


def test_home_view_shows_team_nudges_to_admins() -> None:
    view = build_home_view(full_home(is_admin=True))

    assert_valid_view(view)
    assert "Team nudges" in texts(view["blocks"])
    body = "\n".join(texts(view["blocks"]))
    assert "<#C0PHARM> — Mondays at 9:30 AM (Eastern) · *on*" in body
    assert "<#C0NIGHT> — Sundays at 10:00 PM (Eastern) · *paused*" in body
    toggles = [
        (b["value"], b["text"]["text"])
        for b in buttons(view["blocks"])
        if b["action_id"] == ids.TEAM_NUDGE_TOGGLE
    ]
    assert toggles == [("5", "Pause"), ("6", "Resume")]


def test_home_view_admin_cannot_inject_through_a_channel_id() -> None:
    nudge = TeamNudge(
        schedule_id=1, channel_id="C1>|<!channel", weekday=0, time=dt.time(9), timezone="UTC"
    )

    view = build_home_view(full_home(is_admin=True, team_nudges=[nudge]))

    assert_no_raw_sequences(view)
    assert "C1&gt;|&lt;!channel" in "\n".join(texts(view["blocks"]))


def test_home_view_for_a_new_person_explains_and_offers_three_starts() -> None:
    view = build_home_view(HomeData(display_name="Sam"))

    assert_valid_view(view)
    body = "\n".join(texts(view["blocks"]))
    assert "Welcome to Step Up, Sam" in body
    assert WHAT_STEP_UP_DOES in body
    assert "Recent wins" not in body
    starts = [b["action_id"] for b in buttons(view["blocks"])]
    assert starts[:3] == [ids.START_VENT, ids.WIN_LOG, ids.IMPACT_BUILD]
    assert ids.NUDGE_SETTINGS_OPEN in starts
    assert "Weekly DM reminder: *off*" in body


def test_home_view_for_a_new_admin_still_shows_the_team_section() -> None:
    view = build_home_view(HomeData(is_admin=True))

    body = "\n".join(texts(view["blocks"]))
    assert "Team nudges" in body
    assert "stepup nudges add" in body


def test_home_view_shows_a_pause_only_while_it_lasts() -> None:
    paused = NudgePreferences(enabled=True, weekday=0, paused_until=dt.date(2026, 12, 1))
    over = NudgePreferences(enabled=True, weekday=0, paused_until=dt.date(2026, 11, 1))

    assert "Paused until Tue, Dec 1" in "\n".join(
        texts(build_home_view(full_home(settings=paused))["blocks"])
    )
    assert "Paused until" not in "\n".join(
        texts(build_home_view(full_home(settings=over))["blocks"])
    )


# --- greeting and suggested prompts ------------------------------------------------------------


def test_suggested_prompts_have_the_assistant_shape() -> None:
    assert [prompt["title"] for prompt in SUGGESTED_PROMPTS] == [
        "Turn a rough shift into a proposal",
        "Log a win",
        "Build my impact summary",
    ]
    assert len(SUGGESTED_PROMPTS) <= 4  # setSuggestedPrompts takes up to four
    assert all(set(prompt) == {"title", "message"} for prompt in SUGGESTED_PROMPTS)
    assert all(prompt["message"].strip() for prompt in SUGGESTED_PROMPTS)


def test_greeting_message_introduces_step_up() -> None:
    message = build_greeting_message("Sam <!channel>")

    assert_valid_message(message)
    assert_no_raw_sequences(message)
    assert message.text.startswith("Hi Sam &lt;!channel&gt;, I'm Step Up.")
    assert [(b["action_id"], b.get("value")) for b in buttons(message.blocks)] == [
        (ids.START_VENT, "greeting"),
        (ids.WIN_LOG, "greeting"),
        (ids.IMPACT_BUILD, None),
    ]


# --- modals -------------------------------------------------------------------------------------


def test_edit_draft_modal_prefills_the_three_parts() -> None:
    draft = Draft(problem=f"P {EVIL}", proposed_fix="F", my_role="R" * 5000)

    view = build_edit_draft_modal(draft, draft_ref="d-3")

    assert_valid_view(view)
    assert view["callback_id"] == ids.VIEW_EDIT_DRAFT
    assert view["private_metadata"] == "d-3"
    inputs = [block for block in view["blocks"] if block["type"] == "input"]
    assert [block["block_id"] for block in inputs] == list(ids.DRAFT_BLOCKS.values())
    assert all(block["element"]["multiline"] for block in inputs)
    assert inputs[0]["element"]["initial_value"] == f"P {EVIL}"  # plain text: shown as typed
    assert length(inputs[2]["element"]["initial_value"]) <= 3000
    notes = [t for t in texts(view["blocks"]) if "Shortened to fit this form" in t]
    assert len(notes) == 1  # only "my role" was too long


def test_win_modal_warns_when_a_long_win_is_shortened() -> None:
    view = build_win_modal(
        initial={"what": "word " * 2000, "why": "short"}, categories=CATEGORIES, today=TODAY
    )

    assert_valid_view(view)
    blocks = view["blocks"]
    what_at = next(i for i, b in enumerate(blocks) if b.get("block_id") == ids.WIN_WHAT_BLOCK)
    assert "Shortened to fit this form (3,000 characters)" in texts([blocks[what_at + 1]])[0]
    assert sum("Shortened" in t for t in texts(blocks)) == 1


def test_edit_draft_values_reads_the_submission() -> None:
    view = build_edit_draft_modal(Draft(problem="P", proposed_fix="F", my_role="R"), draft_ref="d")

    assert edit_draft_values(state_from_view(view)) == Draft(
        problem="P", proposed_fix="F", my_role="R"
    )


def test_win_modal_has_every_field_with_defaults() -> None:
    view = build_win_modal(initial=None, categories=CATEGORIES, today=TODAY)

    assert_valid_view(view)
    assert view["callback_id"] == ids.VIEW_WIN
    assert view["title"]["text"] == "Log a win"
    inputs = {block["block_id"]: block for block in view["blocks"] if block["type"] == "input"}
    assert list(inputs) == list(ids.WIN_BLOCKS.values())
    assert inputs[ids.WIN_WHAT_BLOCK]["optional"] is False
    assert all(inputs[ids.WIN_BLOCKS[name]]["optional"] for name in ("why", "result", "numbers"))
    category = inputs[ids.WIN_CATEGORY_BLOCK]["element"]
    assert [o["value"] for o in category["options"]] == [c for c, _ in CATEGORIES]
    assert "initial_option" not in category
    assert inputs[ids.WIN_DATE_BLOCK]["element"]["initial_date"] == "2026-11-25"
    leadership = inputs[ids.WIN_LEADERSHIP_BLOCK]["element"]
    assert leadership["initial_option"]["value"] == "little"


def test_win_modal_round_trips_initial_values() -> None:
    initial = {
        "what": "Caught a wrong dose",
        "why": "Night shift",
        "result": "Patient safe",
        "numbers": "1 error caught",
        "category": "caught_error",
        "date": "2026-11-02",
        "leadership": "big",
        "shared": True,
    }

    view = build_win_modal(
        initial=initial, categories=CATEGORIES, today=TODAY, private_metadata="win:9", editing=True
    )

    assert_valid_view(view)
    assert view["title"]["text"] == "Edit win"
    assert view["private_metadata"] == "win:9"
    assert win_modal_values(state_from_view(view)) == {
        **initial,
        "date": dt.date(2026, 11, 2),
    }


def test_win_modal_values_of_an_empty_submission() -> None:
    state = {ids.WIN_WHAT_BLOCK: {ids.WIN_WHAT_INPUT: {"type": "plain_text_input", "value": "  "}}}

    values = win_modal_values(state)

    assert values["what"] is None
    assert values["date"] is None
    assert values["category"] is None


def test_win_modal_shows_errors_under_their_fields() -> None:
    view = build_win_modal(
        initial={"what": "x"},
        categories=CATEGORIES,
        today=TODAY,
        errors={"date": "2026-12-01 is in the future.", "what": "Tell me <!here> more."},
    )

    assert_valid_view(view)
    assert_no_raw_sequences(view)
    blocks = view["blocks"]
    date_at = next(i for i, b in enumerate(blocks) if b.get("block_id") == ids.WIN_DATE_BLOCK)
    assert blocks[date_at + 1]["type"] == "context"
    assert "2026-12-01 is in the future." in blocks[date_at + 1]["elements"][0]["text"]
    what_at = next(i for i, b in enumerate(blocks) if b.get("block_id") == ids.WIN_WHAT_BLOCK)
    assert "Tell me" in blocks[what_at + 1]["elements"][0]["text"]


def test_win_modal_refuses_metadata_slack_would_reject() -> None:
    with pytest.raises(ValueError, match="private_metadata"):
        build_win_modal(
            initial=None, categories=CATEGORIES, today=TODAY, private_metadata="x" * 3001
        )


def test_view_errors_maps_fields_to_block_ids() -> None:
    response = view_errors({"what": "Tell me what you did."}, ids.WIN_BLOCKS)

    assert response == {
        "response_action": "errors",
        "errors": {ids.WIN_WHAT_BLOCK: "Tell me what you did."},
    }
    with pytest.raises(ValueError, match="colour"):
        view_errors({"colour": "no"}, ids.WIN_BLOCKS)


def test_submitted_text_reads_slacks_view_submission_fixture() -> None:
    payload = json.loads((SLACK_FIXTURES / "view_submission.json").read_text())

    assert submitted_text(payload["view"]["state"]["values"], "hspI", "maBWU") == "test"
    assert submitted_text(payload["view"]["state"]["values"], "missing", "maBWU") is None


def test_nudge_settings_modal_round_trips() -> None:
    settings = NudgePreferences(
        enabled=True,
        weekday=2,
        time=dt.time(7, 45),
        timezone="Asia/Tokyo",
        paused_until=dt.date(2026, 12, 24),
        digest_enabled=True,
    )

    view = build_nudge_settings_modal(settings)

    assert_valid_view(view)
    assert view["callback_id"] == ids.VIEW_NUDGE_SETTINGS
    timezone = next(b for b in view["blocks"] if b.get("block_id") == ids.NUDGE_TIMEZONE_BLOCK)
    assert timezone["element"]["options"][0]["value"] == "Asia/Tokyo"  # added: not in the list
    assert nudge_settings_values(state_from_view(view)) == settings


def test_nudge_settings_modal_defaults_for_someone_new() -> None:
    view = build_nudge_settings_modal(NudgePreferences(), default_timezone="America/Chicago")

    values = nudge_settings_values(state_from_view(view))

    assert values == NudgePreferences(
        enabled=False, weekday=4, time=dt.time(14, 0), timezone="America/Chicago"
    )


def test_thanks_modal_names_the_colleague_and_round_trips() -> None:
    view = build_thanks_modal(
        to_user_id="U0MARIA", initial_text="Thanks for covering!", private_metadata="U0MARIA"
    )

    assert_valid_view(view)
    assert view["callback_id"] == ids.VIEW_THANKS
    assert "Thanking <@U0MARIA>" in texts(view["blocks"])
    assert thanks_modal_values(state_from_view(view)) == "Thanks for covering!"


def test_thanks_modal_does_not_trust_a_malformed_user_id() -> None:
    view = build_thanks_modal(to_user_id="<!channel>")

    assert_no_raw_sequences(view)


# --- all builders together ----------------------------------------------------------------------


def test_no_builder_lets_a_vent_become_a_mention_or_link() -> None:
    outputs: list[SlackMessage | dict[str, Any]] = [
        build_draft_message(evil_reply(), draft_ref="d"),
        build_clarify_message(CoachReply(kind="clarify", acknowledgement=EVIL, questions=[EVIL])),
        build_out_of_scope_message(CoachReply(kind="out_of_scope", acknowledgement=EVIL)),
        build_crisis_message(CoachReply(kind="crisis", acknowledgement=EVIL)),
        build_manager_message(EVIL),
        build_note(EVIL),
        build_win_logged_message(logged_win(what=EVIL), win_id=1, followup=EVIL),
        build_thanks_offer_message(EVIL, EVIL, thanks_id=1),
        build_nudge_message(EVIL),
        build_greeting_message(EVIL),
        build_home_view(full_home()),
        build_win_modal(
            initial={"what": EVIL}, categories=CATEGORIES, today=TODAY, errors={"what": EVIL}
        ),
    ]

    for output in outputs:
        assert_no_raw_sequences(output)


def test_admins_see_why_a_team_nudge_was_turned_off() -> None:
    nudges = [
        TeamNudge(1, "C0PAUSED", 4, dt.time(15, 0), "UTC", enabled=False, disabled_reason="paused"),
        TeamNudge(
            2,
            "C0GONE",
            4,
            dt.time(15, 0),
            "UTC",
            enabled=False,
            disabled_reason="is_archived (at 2026-11-27) <!channel>",
        ),
    ]
    view = build_home_view(full_home(is_admin=True, team_nudges=nudges))
    assert_no_raw_sequences(view)
    body = "\n".join(texts(view["blocks"]))
    assert "*paused*" in body
    assert "off: is_archived (at 2026-11-27) &lt;!channel&gt;" in body
