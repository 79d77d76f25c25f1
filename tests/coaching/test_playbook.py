"""The playbook files load, cover every theme, render, and a broken file is reported clearly."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from bot.coaching.models import THEME_IDS
from bot.coaching.playbook import (
    ACKNOWLEDGEMENTS_FILE,
    LANGUAGE_FILE,
    PLAYBOOK_FILE,
    VOCABULARY_FILE,
    PlaybookError,
    build_playbook,
    load_playbook,
    word_tokens,
)
from bot.prompts import load_yaml
from bot.vocabulary.prefilter import Gated
from tests.paths import DATASETS

HERE = Path(__file__).resolve().parent
DEV = DATASETS / "coaching-dev.jsonl"


def documents() -> list[Any]:
    """Fresh, editable copies of the four playbook documents."""
    return [
        copy.deepcopy(load_yaml(name))
        for name in (PLAYBOOK_FILE, LANGUAGE_FILE, VOCABULARY_FILE, ACKNOWLEDGEMENTS_FILE)
    ]


def vents() -> list[str]:
    texts = [json.loads(line)["text"] for line in DEV.read_text().splitlines() if line.strip()]
    extra = (HERE / "vents_extra.jsonl").read_text().splitlines()
    return texts + [json.loads(line)["text"] for line in extra if line.strip()]


def test_every_theme_id_has_a_full_playbook_entry() -> None:
    playbook = load_playbook()

    assert set(playbook.themes) == set(THEME_IDS)
    for theme in playbook.themes.values():
        spec = theme.spec
        assert spec.cues, theme.id
        assert len(spec.problem) >= 2, theme.id
        assert len(spec.fixes) >= 4, theme.id
        assert len(spec.roles) >= 4, theme.id
        assert len(spec.questions) >= 3, theme.id
        assert spec.numbers, theme.id
        assert playbook.acknowledgements.themes[theme.id], theme.id


def test_every_template_renders_without_leftover_braces() -> None:
    playbook = load_playbook()
    values = {"facts": "The Pyxis on 4 West ran out.", "item": "heparin flushes", "place": "4 West"}
    for theme in (playbook.general, *playbook.themes.values()):
        spec = theme.spec
        texts = [p.text for p in spec.problem] + spec.summary + [spec.clarify]
        texts += [o.text for o in spec.fixes] + [o.text for o in spec.roles]
        texts += [q.text for q in spec.questions]
        texts += [n.placeholder for n in spec.numbers] + [n.question for n in spec.numbers]
        for text in texts:
            rendered = text.format_map(values)
            assert "{" not in rendered and "}" not in rendered, (theme.id, text)
            assert rendered.strip()


def test_playbook_texts_hold_no_digits_and_no_blame() -> None:
    playbook = load_playbook()
    for theme in playbook.themes.values():
        for option in (*theme.fixes, *theme.roles, *theme.problem):
            assert not re.search(r"\d", option.text), option.text
            assert not playbook.blame_found(option.text), option.text


def test_cue_words_tokenize_the_way_vents_do() -> None:
    # "short-staffed", "Short Staffed" and "short staffed" are one cue.
    assert word_tokens("Short-Staffed") == word_tokens("short staffed") == ["short", "staffed"]
    assert word_tokens("Where's my med?") == ["wheres", "my", "med"]
    assert "short staffed" in load_playbook().cues.phrases


def test_a_bad_regex_names_the_theme_and_field() -> None:
    playbook, *rest = documents()
    playbook["themes"]["adc_stockouts"]["fixes"][0]["when"] = "(unclosed"

    with pytest.raises(PlaybookError) as error:
        build_playbook(playbook, *rest)

    message = str(error.value)
    assert "playbook.yaml: themes.adc_stockouts.fixes[0].when" in message
    assert "invalid regex" in message


def test_a_missing_theme_is_named() -> None:
    playbook, *rest = documents()
    del playbook["themes"]["process_errors"]

    with pytest.raises(PlaybookError, match=r"themes\.process_errors: missing"):
        build_playbook(playbook, *rest)


def test_an_unknown_theme_is_named() -> None:
    playbook, *rest = documents()
    playbook["themes"]["parking"] = playbook["themes"]["adc_stockouts"]

    with pytest.raises(PlaybookError, match=r"themes\.parking: not a theme id"):
        build_playbook(playbook, *rest)


def test_an_unknown_template_variable_is_named() -> None:
    playbook, *rest = documents()
    playbook["themes"]["workload_queue"]["roles"][1]["text"] = "I can track {plac} for a week."

    with pytest.raises(PlaybookError) as error:
        build_playbook(playbook, *rest)

    assert "themes.workload_queue.roles[1].text" in str(error.value)
    assert "{plac}" in str(error.value)


def test_a_number_in_a_template_is_refused() -> None:
    playbook, *rest = documents()
    playbook["themes"]["staffing_shortage"]["fixes"][2]["text"] = "Hire 3 more techs."

    with pytest.raises(PlaybookError, match=r"staffing_shortage\.fixes\[2\]\.text.*digit"):
        build_playbook(playbook, *rest)


def test_a_reframing_pattern_without_facts_is_refused() -> None:
    playbook, *rest = documents()
    playbook["themes"]["recognition_pay"]["problem"][0] = "Pay is low."

    with pytest.raises(PlaybookError, match=r"recognition_pay\.problem\[0\].*\{facts\}"):
        build_playbook(playbook, *rest)


def test_blame_language_in_a_template_is_refused() -> None:
    playbook, *rest = documents()
    playbook["themes"]["nursing_communication"]["fixes"][3]["text"] = "Stop the lazy calls."

    with pytest.raises(PlaybookError, match=r"nursing_communication\.fixes\[3\].*'lazy'"):
        build_playbook(playbook, *rest)


def test_a_bad_replacement_in_language_is_named() -> None:
    playbook, language, *rest = documents()
    language["rewrites"][0] = {"find": r"\bfoo\b", "replace": r"\2"}

    with pytest.raises(PlaybookError, match=r"language\.yaml: rewrites\[0\].*group"):
        build_playbook(playbook, language, *rest)


def test_missing_acknowledgements_for_a_theme_are_named() -> None:
    *first, acknowledgements = documents()
    del acknowledgements["themes"]["customer_conflict"]

    with pytest.raises(PlaybookError, match=r"acknowledgements\.yaml: .*customer_conflict"):
        build_playbook(*first, acknowledgements)


def test_a_zero_weight_is_refused() -> None:
    playbook, *rest = documents()
    playbook["themes"]["adc_stockouts"]["cues"][0]["weight"] = 0

    with pytest.raises(PlaybookError, match=r"adc_stockouts\.cues\[0\].*weight"):
        build_playbook(playbook, *rest)


def test_a_document_that_is_not_a_mapping_is_refused() -> None:
    _, *rest = documents()

    with pytest.raises(PlaybookError, match=r"playbook\.yaml: expected a mapping"):
        build_playbook(["not", "a", "mapping"], *rest)


def test_the_regex_shortcut_never_skips_a_real_match() -> None:
    # Property: for every compiled rule and cue, on every known vent, a match implies may_match.
    playbook = load_playbook()
    gated: list[Gated] = [g for _, g, _ in playbook.cues.regexes]
    gated += list(playbook.blame_terms) + list(playbook.care_cues)
    for theme in (playbook.general, *playbook.themes.values()):
        gated += [o.when for o in (*theme.problem, *theme.fixes, *theme.roles) if o.when]
    language = playbook.language
    patterns = [r.find for r in language.rewrites + language.identifiers]
    patterns += language.drop_clause + language.injection
    gated += [Gated.of(re.compile(p, re.I | re.M)) for p in patterns]
    texts = vents() + [v.upper() for v in vents()[:40]]
    checked = 0
    for gate in gated:
        for text in texts:
            if gate.pattern.search(text):
                checked += 1
                assert gate.may_match(text.lower()), (gate.pattern.pattern, text)
    assert checked > 200
