import pytest

from bot.slack.mrkdwn import (
    ELLIPSIS,
    WORD_JOINER,
    channel_mention,
    escape,
    fit,
    length,
    one_line,
    plain,
    truncate,
    user_mention,
)

# Everything in Slack's control syntax starts with "<": escaped, none of it can remain.
ADVERSARIAL = [
    "<!channel>",
    "<!here|here>",
    "<!everyone>",
    "<@U123>",
    "<@W0ABC|boss>",
    "<#C123>",
    "<#C123|general>",
    "<!subteam^S0614TZR7|@pharmacy-leads>",
    "<https://evil.example|click>",
    "<mailto:ceo@example.com|email me>",
    "<!date^1392734382^{date_num}|Feb 18>",
]


@pytest.mark.parametrize("text", ADVERSARIAL)
def test_escape_leaves_no_control_sequence(text: str) -> None:
    escaped = escape(f"before {text} after")

    assert "<" not in escaped
    assert ">" not in escaped
    assert escaped.startswith("before &lt;")
    assert "&gt; after" in escaped


def test_escape_uses_slacks_three_entities() -> None:
    assert escape("a & b < c > d") == "a &amp; b &lt; c &gt; d"


def test_escape_escapes_an_existing_entity_again() -> None:
    # The person typed "&lt;" literally: Slack must show "&lt;", not "<".
    assert escape("&lt;") == "&amp;lt;"
    assert escape("&amp;") == "&amp;amp;"


@pytest.mark.parametrize("word", ["@here", "@channel", "@everyone", "@HERE", "@Channel"])
def test_escape_defuses_bare_special_mentions(word: str) -> None:
    escaped = escape(f"hey {word}, look")

    assert word not in escaped
    assert escaped == f"hey @{WORD_JOINER}{word[1:]}, look"


def test_escape_keeps_other_at_words_and_emails() -> None:
    assert escape("ask @maria or mail tech@here.org") == "ask @maria or mail tech@here.org"
    assert escape("@heretofore") == "@heretofore"


def test_escape_keeps_mrkdwn_formatting_and_bare_urls() -> None:
    text = "*bold* _italic_ ~strike~ `code` https://example.org/path?a=1"

    assert escape(text) == text


def test_length_counts_astral_characters_twice() -> None:
    assert length("abc") == 3
    assert length("💊") == 2
    assert length("é") == 1


def test_truncate_returns_short_text_unchanged() -> None:
    assert truncate("short text", 10) == "short text"


def test_truncate_cuts_at_a_word_boundary_with_an_ellipsis() -> None:
    cut = truncate("the quick brown fox jumps over the lazy dog", 20)

    assert cut == "the quick brown fox…"
    assert length(cut) <= 20


def test_truncate_drops_trailing_punctuation_before_the_ellipsis() -> None:
    assert truncate("first part, second part here", 13) == "first part…"


def test_truncate_cuts_a_long_word_when_there_is_no_space() -> None:
    cut = truncate("x" * 50, 10)

    assert cut == "x" * 9 + ELLIPSIS


def test_truncate_never_splits_an_entity() -> None:
    escaped = escape("a" * 8 + "<<<<")  # "aaaaaaaa&lt;&lt;&lt;&lt;"

    cut = truncate(escaped, 14)

    assert cut == "aaaaaaaa&lt;" + ELLIPSIS
    assert not cut.removesuffix(ELLIPSIS).endswith(("&", "&l", "&lt"))


def test_truncate_counts_emoji_as_two_units() -> None:
    cut = truncate("💊" * 10, 7)

    assert cut == "💊" * 3 + ELLIPSIS
    assert length(cut) <= 7


def test_truncate_rejects_a_zero_limit() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        truncate("text", 0)


def test_fit_trims_4000_characters_to_the_section_limit() -> None:
    vent = ("The ADC on 4 West was empty again and nobody restocked it. " * 70)[:4000]

    fitted = fit(vent, 3000)

    assert length(fitted) <= 3000
    assert fitted.endswith(ELLIPSIS)
    assert fitted.startswith("The ADC on 4 West")


def test_fit_measures_the_escaped_text() -> None:
    # 1,000 "<" become 4,000 characters once escaped; the escaped form must fit.
    fitted = fit("<" * 1000, 3000)

    assert length(fitted) <= 3000
    assert "<" not in fitted


def test_plain_trims_without_escaping() -> None:
    assert plain("  <b> & co  ", 75) == "<b> & co"
    assert plain("word " * 30, 24).endswith(ELLIPSIS)
    assert length(plain("word " * 30, 24)) <= 24


def test_one_line_collapses_whitespace() -> None:
    assert one_line("a\n\n b\t c ") == "a b c"


def test_mentions_only_for_well_formed_ids() -> None:
    assert user_mention("U012AB3CD") == "<@U012AB3CD>"
    assert user_mention("<!channel>") == "&lt;!channel&gt;"
    assert channel_mention("C012AB3CD") == "<#C012AB3CD>"
    assert channel_mention("general>|<!here") == "general&gt;|&lt;!here"
