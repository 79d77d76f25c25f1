import datetime as dt

import pytest

from bot.errors import UserError
from bot.wins.categories import category_ids, label, resolve_category, resolve_leadership
from bot.wins.parsing import (
    extract_numbers,
    guess_category,
    guess_leadership,
    number_answer,
    parse_date,
    parse_win,
    split_parts,
    supported_figures,
)

TODAY = dt.date(2026, 11, 25)  # a Wednesday


def test_the_issue_example_becomes_a_structured_win():
    draft = parse_win("trained 2 new techs on the IV hood this week", today=TODAY)
    assert draft.category == "trained_mentored"
    assert draft.category_matched
    assert draft.numbers == {"people_trained": 2}
    assert draft.occurred_on == TODAY
    assert draft.leadership == "little"
    assert draft.what == "trained 2 new techs on the IV hood this week"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("caught 3 dosing errors", {"errors_caught": 3}),
        (
            "covered 3 extra shifts and stayed 4 hours late",
            {"shifts_covered": 3, "hours_covered": 4},
        ),
        ("reorganized the fridge, saving 2 hours a week", {"hours_saved": 2}),
        ("cut the order cycle and saved 3 days", {"days_saved": 3}),
        ("processed 1,250 orders before noon", {"orders": 1250}),
        ("found $1,200 of expired stock", {"dollars": 1200}),
        ("saved $2.5k on waste", {"dollars": 2500}),
        ("stockouts dropped 40%", {"percent": 40}),
        ("trained two new techs and 3 students", {"people_trained": 5}),
        ("stayed 1.5 hours late", {"hours_covered": 1.5}),
        ("passed my CPhT exam", {"certifications": 1}),
    ],
)
def test_numbers_get_their_kind(text, expected):
    assert extract_numbers(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "trained 2-3 techs on the hood",  # a range
        "trained 2 or 3 techs",
        "trained several techs",  # vague
        "caught a dozen or so errors",
        "caught 1,50 errors",  # malformed
        "caught 12ish errors",
        "fixed 3 things on the carousel",  # no unit: 3 what?
        "cut waste from 20% to 5%",  # which percent would be the figure?
        "worked on 11/3 and 2026-11-04",  # dates are not figures
        "trained 2, then the techs ate lunch",  # the clause ends before the unit
        "stayed 3 hours late",  # hours without "saved" are covered, not saved
    ],
)
def test_numbers_that_cannot_be_read_stay_in_the_text(text):
    numbers = extract_numbers(text)
    assert "people_trained" not in numbers
    assert "errors_caught" not in numbers
    assert "percent" not in numbers
    assert "hours_saved" not in numbers
    draft = parse_win(text, today=TODAY)
    assert draft.what == text  # the words are all still there


def test_percent_is_kept_when_stated_once_but_a_range_never_is():
    assert extract_numbers("wait time down 20%") == {"percent": 20}
    assert extract_numbers("trained 2 to 3 techs") == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("did it today", TODAY),
        ("did it yesterday", dt.date(2026, 11, 24)),
        ("did it this week", TODAY),
        ("did it last week", dt.date(2026, 11, 18)),
        ("did it 3 days ago", dt.date(2026, 11, 22)),
        ("did it last Friday", dt.date(2026, 11, 20)),
        ("did it on Friday", dt.date(2026, 11, 20)),
        ("did it last Wednesday", dt.date(2026, 11, 18)),  # today is Wednesday
        ("did it on Wednesday", TODAY),
        ("did it on 11/3", dt.date(2026, 11, 3)),
        ("did it on 12/24", dt.date(2025, 12, 24)),  # no year: the most recent 12/24
        ("did it on 3/14/2025", dt.date(2025, 3, 14)),
        ("did it on 3/14/25", dt.date(2025, 3, 14)),
        ("did it on 2026-10-01", dt.date(2026, 10, 1)),
        ("did it on 2027-01-01", dt.date(2027, 1, 1)),  # future: the service refuses it
        ("did it on 2026-02-30", None),  # not a real day
        ("did it on 13/40", None),
        ("did it", None),
    ],
)
def test_dates(text, expected):
    assert parse_date(text, today=TODAY) == expected


def test_split_on_why_and_result_cues():
    what, why, result = split_parts(
        "restocked the ICU Pyxis because nurses kept running out, which cut missing-dose calls"
    )
    assert what == "restocked the ICU Pyxis"
    assert why == "nurses kept running out"
    assert result == "cut missing-dose calls"


def test_split_keeps_to_phrases_and_labels():
    what, why, result = split_parts("built a checklist to prevent mix-ups. result: zero mix-ups")
    assert what == "built a checklist"
    assert why == "to prevent mix-ups."
    assert result == "zero mix-ups"


def test_split_result_before_why_and_no_split_at_the_start():
    what, why, result = split_parts("caught a wrong dose, so the patient was safe")
    assert (what, why, result) == ("caught a wrong dose", None, "the patient was safe")
    assert split_parts("because I care") == ("because I care", None, None)


def test_categories_and_weights():
    assert guess_category("the ICU nurse manager thanked me for restocking")[0] == "recognition"
    assert guess_category("caught a wrong-patient label while training new techs")[0] == (
        "caught_error"
    )
    assert guess_category("covered a double during the shortage")[0] == "covered_shortage"
    assert guess_category("presented a poster at the state society")[0] == "involvement"
    assert guess_category("did the thing") == ("process_improvement", False)


def test_leadership():
    assert guess_leadership("I proposed a new par level and led the pilot") == "big"
    assert guess_leadership("showed a float nurse where the override meds are") == "little"


def test_category_and_leadership_options():
    assert resolve_category("trained") == "trained_mentored"
    assert resolve_category("Recognition received") == "recognition"
    assert resolve_category("caught_error") == "caught_error"
    with pytest.raises(UserError, match="trained_mentored"):
        resolve_category("nonsense")
    assert resolve_leadership("Big-L") == "big"
    assert resolve_leadership("l") == "little"
    with pytest.raises(UserError):
        resolve_leadership("medium")
    assert len(category_ids()) == 9
    assert label("covered_shortage") == "Covered during shortages"


def test_supported_figures_drop_claims_the_text_does_not_make():
    text = "trained 2 techs and 3 students on the hood"
    claimed = {"people_trained": 5, "errors_caught": 4, "hours_covered": 2, "made_up": 2}
    assert supported_figures(claimed, text) == {"people_trained": 5, "hours_covered": 2}


def test_number_answer_names_the_unit_of_the_win():
    assert number_answer("trained new techs on the IV hood", "3") == "3 people trained"
    assert number_answer("caught errors in the ICU", "two") == "2 errors caught"
    assert number_answer("trained new techs", "a few") is None
    assert number_answer("helped out", "3") is None
