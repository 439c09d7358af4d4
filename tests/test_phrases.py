"""The quick tests in phrases.py never change what the regexes they stand before would find."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_check.assess.gate import _compile
from disclosure_check.phrases import PhrasePattern, longest_word, standalone_at
from disclosure_check.rubric import _subject_pattern, load_rubric

# Letters that fold to ASCII under re.I ("İ", "ı", "ſ", the Kelvin sign), other accents, spaces and marks.
TEXT = st.text(alphabet="abdeiknorstBDIKS \n-/:'İıſKéß’.", max_size=60)
PHRASES = st.lists(st.text(alphabet="abdeiknorst -/:'", min_size=1, max_size=12), min_size=1, max_size=5)


@settings(max_examples=800, deadline=None)
@given(PHRASES, TEXT)
def test_gate_terms_find_what_their_regex_finds(phrases, text):
    terms = _compile(tuple(phrases))
    assert terms.spans(text) == [m.span() for m in terms.pattern.finditer(text)]
    assert bool(terms.search(text)) == bool(terms.pattern.search(text))


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(["board*", "director", "steps taken", "polic*", "speak up", "kelvin", "sign-off"]),
                min_size=1, max_size=4, unique=True), TEXT)
def test_subject_patterns_find_what_their_regex_finds(phrases, text):
    subject = _subject_pattern(tuple(phrases))
    assert bool(subject.search(text)) == bool(subject.pattern.search(text))


def test_text_with_a_letter_that_folds_to_ascii_is_never_ruled_out():
    pattern = PhrasePattern(re.compile("kelvin|signed", re.I), ["kelvin", "signed"])
    assert pattern.absent("nothing here")
    assert not pattern.absent("\u212aELVIN") and pattern.search("\u212aELVIN")  # the Kelvin sign is a k under re.I
    assert pattern.search("SIGNED by the Board") and pattern.search("ſigned")


def test_the_rubrics_own_lists_are_tested_by_a_word_of_each_phrase():
    rubric = load_rubric()
    for check in rubric.gate:
        for phrases in check.terms.values():
            assert _compile(tuple(phrases)).absent("") and not _compile(tuple(phrases)).absent(" ".join(phrases))
    assert longest_word("has not taken any steps") == "taken"


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet="abz AZ-.xİ", max_size=40), st.text(alphabet="abz -x", max_size=4))
def test_standalone_at_is_the_look_behind_regex(text, term):
    expected = [m.start() for m in re.finditer(r"(?<![a-z])" + re.escape(term) + r"(?![a-z])", text)]
    assert standalone_at(text, term) == expected
