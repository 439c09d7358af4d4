"""A sentence's wording bounds the level it supports (issue 21, rubric 1.8.0 ``wording``): pieces of
sentences cut by a line or page break support level 2 at most, action items and commitments are plans.
The sentences are quotes the issue-21 reviewers saw counted at level 3 or 4 (criterion_evidence.csv)."""

from __future__ import annotations

import pytest

from disclosure_check.assess.maturity import assess_maturity
from disclosure_check.errors import RubricError
from disclosure_check.rubric import load_rubric
from disclosure_check.train.documents import text_to_document
from disclosure_check.types import CriterionEvidence, Origin, Profile
from rubric_copies import bundled_data, write_rubric


def specific_origin(rubric, criterion: str, level: int) -> Origin:
    """A hit of the criterion's own pattern at ``level`` that needs the descriptor's specifics (so one
    sentence may carry the level, ``corroborate_from``), or a training audience where it has none."""
    [found] = [c for c in rubric.criteria if c.id == criterion]
    pattern = next((p.id for p in found.patterns if p.level == level and p.needs), None)
    return Origin("rule", pattern, "rules.v1", pattern) if pattern else Origin("audience", "procurement", "audiences.v1")


def scored(rubric, criterion: str, items: list[CriterionEvidence]):
    result = assess_maturity(rubric, items, Profile(financial=True), present_elements={}, gate_hits={})
    return next(c for c in result.criteria if c.id == criterion)


def level_of(rubric, criterion: str, level: int, text: str) -> tuple[int, str]:
    """The level one sentence found at ``level`` gives ``criterion``, and the status it is shown with."""
    item = CriterionEvidence(criterion, level, "implemented", text, 4, 12, (specific_origin(rubric, criterion, level),))
    result = scored(rubric, criterion, [item])
    return result.level, result.evidence[0].status


@pytest.mark.parametrize(("criterion", "text"), [
    # round 7: the end of "... will manage concerns and ensure they are appropriately" on the line above
    ("C02", "escalated and reported to the board of directors."),
    # round 7: a line of Dell's statement, cut at both ends
    ("C08", 'ranging from audit corrective actions (see "AUDITS," above) to Dell executive review of supplier '
            "performance and"),
    # round 6: cut at a line break before "poor recruitment and labour practices"
    ("C19", "In 2017, there was no change to the methodology devised by Procurement, Internal Audit and Compliance "
            "Legal to identify and engage with suppliers who carry higher risks of poor recruitment and labour "
            "practices, especially in the"),
])
def test_a_piece_of_a_sentence_supports_level_two_at_most(rubric, criterion, text):
    assert level_of(rubric, criterion, 3, text) == (2, "implemented")


@pytest.mark.parametrize(("criterion", "text"), [
    ("C18", "Develop an action plan and pre-departure training to address the root cause of worker exploitation "
            "through the migrant worker recruitment process"),
    ("C09", "Explore how we can embed worker voice and rights in government supply chains, in partnership with "
            "business and worker representative groups."),
    ("C18", "Ensure that all staff responsible for directly recruiting workers are trained to be aware of issues "
            "around third party labour exploitation and signs to look for."),
    # ("Managers at all levels are responsible for ensuring those reporting to them ... are given proper training",
    # labelled wrong at C18 level 3, was a plan by "are responsible for ensuring"; that phrase was dropped from
    # plan_phrases because it also made named owners' duties plans, C02's level-2 evidence, below)
])
def test_an_action_item_or_a_commitment_is_a_plan(rubric, criterion, text):
    assert level_of(rubric, criterion, 3, text) == (1, "planned")


@pytest.mark.parametrize(("criterion", "level", "text"), [
    # whole claims the reviewers judged right at their level: a list item opening with a gerund or a past
    # tense, a heading-like line ending on a noun, a sentence followed by a stray bullet
    ("C18", 3, " Ensuring that all relevant employees involved directly in supply chains and procurement undertake "
               "training regarding modern slavery."),
    ("C02", 3, " Produced quarterly reports to the Board assessing the risks from suppliers, employees and any other "
               "areas which could be affected by Modern Slavery"),
    ("C11", 4, "Joined the “Find it, Fix it, Prevent it” investor collaboration"),
    ("C18", 3, "Senior Managers attend the Stronger Together hidden labour official training. •"),
    ("C21", 3, "We have embraced the Stronger Together Programme across our sites and are Stronger Together"),
    ("C08", 3, "We follow up with each audited supplier to develop corrective action plans and close out audit "
               "findings."),
])
def test_whole_claims_keep_their_level(rubric, criterion, level, text):
    assert level_of(rubric, criterion, level, text) == (level, "implemented")


def test_a_line_cut_from_its_sentence_in_a_statement_is_no_level_three_evidence(scorer):
    """End to end, from a statement's text with its line breaks (as the UK corpus holds it)."""
    text = ("Modern Slavery Statement\n"
            "Our Legal team, together with Sanlam's Risk Management and the senior managers in the relevant\n"
            "business areas responsible for procurement will manage concerns and ensure they are appropriately\n"
            "escalated and reported to the board of directors. Sanlam's whistleblowing procedures are designed\n"
            "to allow staff to raise concerns in confidence.\n")
    result = scorer.score_document(text_to_document(text, "sanlam"))
    [c02] = [c for c in result.maturity.criteria if c.id == "C02"]
    assert c02.level <= 2
    assert all(e.level <= 2 for e in c02.evidence if e.text.startswith("escalated"))


def test_wording_is_validated_with_the_field_named(tmp_path):
    data = bundled_data("maturity")
    data["wording"]["plan_openers"] = [*data["wording"]["plan_openers"], "Develop"]
    with pytest.raises(RubricError) as info:
        load_rubric(write_rubric(tmp_path / "upper.yaml", data))
    assert "wording.plan_openers" in info.value.message and "lower case" in info.value.message
    data = bundled_data("maturity")
    data["wording"]["cut_endings"] = [*data["wording"]["cut_endings"], "the"]
    with pytest.raises(RubricError) as info:
        load_rubric(write_rubric(tmp_path / "twice.yaml", data))
    assert "duplicate word 'the'" in info.value.message


HELPLINE = ("The group’s whistleblowing helpline ‘Safecall’ is a 24-hour whistleblowing helpline operated by an "
            "independent third party to ensure impartiality and confidentiality.")


def hit(criterion: str, pattern: str, text: str, index: int, level: int = 3) -> CriterionEvidence:
    return CriterionEvidence(criterion, level, "implemented", text, 2, index,
                             (Origin("rule", pattern, "rules.v1", pattern),))


def test_one_sentence_without_the_specifics_is_not_level_three(rubric):
    """c15.independent needs nothing beyond its words: an independent helpline, with no languages or
    reports named (issue 21 rounds 4, 5, 7), supports level 2 alone ..."""
    assert scored(rubric, "C15", [hit("C15", "c15.independent", HELPLINE, 40)]).level == 2
    # ... and level 3 when a second sentence supports it too
    second = hit("C15", "c15.independent", "Reports to the independently operated helpline can be made in 12 "
                 "languages, and 31 reports were received in 2018.", 41)
    assert scored(rubric, "C15", [hit("C15", "c15.independent", HELPLINE, 40), second]).level == 3
    # the same sentence found twice (two sources, or repeated on another page) is one claim
    again = hit("C15", "c15.independent", HELPLINE, 90)
    assert scored(rubric, "C15", [hit("C15", "c15.independent", HELPLINE, 40), again]).level == 2


def test_one_sentence_that_holds_the_specifics_is_level_three(rubric):
    text = ("We follow up with each audited supplier to develop corrective action plans and close out audit "
            "findings.")
    assert scored(rubric, "C08", [hit("C08", "c08.audits", text, 7)]).level == 3  # c08.audits needs them


def test_a_pattern_whose_words_are_the_specifics_needs_no_second_sentence(rubric, tmp_path):
    text = ("Over the past year, HSBC has conducted a trial to deliver a survivor bank account, which has been "
            "considered successful.")  # issue 21 round 6, right at level 3
    assert scored(rubric, "C17", [hit("C17", "c17.access", text, 30)]).level == 3  # c17.access is 'specific'
    data = bundled_data("maturity")
    [c04] = [c for c in data["criteria"] if c["id"] == "C04"]
    [with_needs] = [p for p in c04["patterns"] if p["id"] == "c04.in_lending"]
    with_needs["specific"] = True
    with pytest.raises(RubricError) as info:
        load_rubric(write_rubric(tmp_path / "both.yaml", data))
    assert "(id 'c04.in_lending'): 'specific'" in info.value.message


def test_cut_cap_is_optional_but_on_one_level_at_most(tmp_path):
    data = bundled_data("maturity")
    for lvl in data["scale"]:
        lvl["roles"] = [r for r in lvl.get("roles", []) if r != "cut_cap"]
    loaded = load_rubric(write_rubric(tmp_path / "none.yaml", data))
    assert loaded.optional_role_level("cut_cap") is None
    assert level_of(loaded, "C02", 3, "escalated and reported to the board of directors.")[0] == 3  # no cap
    for lvl in data["scale"]:
        if lvl["level"] in (1, 2):
            lvl["roles"] = [*lvl["roles"], "cut_cap"]
    with pytest.raises(RubricError) as info:
        load_rubric(write_rubric(tmp_path / "two.yaml", data))
    assert "scale role 'cut_cap'" in info.value.message


def test_a_lower_level_source_on_the_same_sentence_holds_no_level_three_specifics(rubric):
    """The element signal that also found the sentence (risk_mitigation, level 1, whose 'needs' a
    supplier requirement meets) names level 1's specifics, not level 4's: one sentence from a pattern
    that needs nothing stays below level 3 (``corroborate_from``), whichever sources agreed on it."""
    text = ("We regularly review our own purchasing practices and require our suppliers to comply with our "
            "Supplier Code of Conduct.")
    rule = hit("C08", "c08.collaborative", text, 12, level=4)
    element = CriterionEvidence("C08", 1, "implemented", text, 2, 12,
                                (Origin("element", "risk_mitigation", "tfidf-logreg.v1"),))
    assert scored(rubric, "C08", [rule]).level == 2
    assert scored(rubric, "C08", [rule, element]).level == 2


@pytest.mark.parametrize(("criterion", "text"), [
    # a brand written in lower case opens a whole sentence (eBay's, easyJet's statements)
    ("C08", "eBay follows up with each audited supplier to develop corrective action plans and close out audit "
            "findings."),
    ("C08", "easyJet follows up with each audited supplier to develop corrective action plans and close out audit "
            "findings."),
    # a lettered or numbered list item
    ("C08", "a) We follow up with each audited supplier to develop corrective action plans and close out audit "
            "findings."),
    ("C08", "ii. We follow up with each audited supplier to develop corrective action plans and close out audit "
            "findings."),
    # a list item that ends on a figure or a month, not on its preposition
    ("C08", "Followed up with each audited supplier to develop corrective action plans and close out audit findings "
            "in 2019"),
    ("C08", "Corrective action plans agreed with each audited supplier and audit findings closed out by 31 March"),
    ("C08", "Corrective action plans agreed with each audited supplier and audit findings closed out in May"),
])
def test_whole_sentences_that_look_cut_keep_their_level(rubric, criterion, text):
    assert level_of(rubric, criterion, 3, text) == (3, "implemented")


@pytest.mark.parametrize(("criterion", "text"), [
    # "Further," opens a statement of fact: an adverb, not the imperative "Further the aims of ..."
    ("C08", "Further, we follow up with each audited supplier to develop corrective action plans and close out "
            "audit findings."),
    ("C08", "Review, follow-up and close-out of audit findings with each audited supplier is carried out through "
            "corrective action plans."),
])
def test_an_opener_followed_by_a_comma_is_no_action_item(rubric, criterion, text):
    assert level_of(rubric, criterion, 3, text) == (3, "implemented")


@pytest.mark.parametrize("field", ["cut_endings", "plan_openers", "not_after_opener", "subject_verbs",
                                   "subject_participles"])
def test_a_phrase_where_the_wording_reads_one_word_is_refused_with_the_field_named(tmp_path, field):
    """A sentence's first, second or last word is matched against these lists: "work with" would never match."""
    data = bundled_data("maturity")
    data["wording"][field] = [*data["wording"][field], "work with"]
    with pytest.raises(RubricError) as info:
        load_rubric(write_rubric(tmp_path / "phrase.yaml", data))
    assert f"wording.{field}" in info.value.message and "one word" in info.value.message


@pytest.mark.parametrize("text", [
    "2. Develop an action plan and pre-departure training to address the root cause of worker exploitation through "
    "the migrant worker recruitment process.",
    "b) Develop an action plan and pre-departure training to address the root cause of worker exploitation through "
    "the migrant worker recruitment process.",
])
def test_a_numbered_or_lettered_action_item_is_a_plan(rubric, text):
    assert level_of(rubric, "C18", 3, text) == (1, "planned")


@pytest.mark.parametrize("text", [
    # uk corpus (ASOS 2015-16): governance, a named owner
    "The Chief Executive and ASOS Executive Committee are responsible for ensuring ASOS meets its human rights "
    "responsibilities.",
    "The Modern Slavery Steering Group is responsible for ensuring that our modern slavery programme is implemented "
    "across the Group.",
])
def test_a_named_owners_responsibility_is_c02_evidence_not_a_plan(rubric, text):
    assert level_of(rubric, "C02", 2, text) == (2, "implemented")


@pytest.mark.parametrize("text", [
    "Work carried out in 2019 included follow-up with each audited supplier to develop corrective action plans and "
    "close out audit findings.",
    "Review meetings are held with each audited supplier to develop corrective action plans and close out audit "
    "findings.",
])
def test_an_opener_used_as_a_noun_is_no_action_item(rubric, text):
    assert level_of(rubric, "C08", 3, text) == (3, "implemented")


def test_every_level_three_pattern_example_keeps_its_level_under_the_wording(rubric):
    from disclosure_check.assess.wording import cut_from_sentence, plan_wording

    capped = [(p.id, e[:60]) for c in rubric.criteria for p in c.patterns if (p.level or 0) >= 3 for e in p.examples
              if cut_from_sentence(rubric.wording, e) or plan_wording(rubric.wording, e)]
    assert not capped, capped


@pytest.mark.parametrize(("criterion", "pattern", "text", "audience"), [
    # issue 21 round 7, labelled right at level 3 (c06.prioritised's own example)
    ("C06", "c06.prioritised", "We used the Global Slavery Index to help prioritise high-risk destinations, as well as "
     "taking into consideration product and industry risks, supply chain complexity and workforce characteristics.",
     None),
    # uk corpus: the team trained is in the pattern's words, whatever audience the model read
    ("C18", "c18.training_roles", "Ethical procurement training has been completed by procurement staff in the UK.",
     "not_specified"),
])
def test_a_pattern_whose_words_name_the_level_needs_no_second_sentence(rubric, criterion, pattern, text, audience):
    """These patterns carried level 3 alone only while a lower-level source on the same sentence (the
    risk_mitigation element, the 'not_specified' audience) was taken for the specifics: they are ``specific``."""
    origins = (Origin("rule", pattern, "rules.v1", pattern),
               *((Origin("audience", audience, "audiences.v1"),) if audience else ()))
    item = CriterionEvidence(criterion, 3, "implemented", text, 2, 30, origins)
    assert scored(rubric, criterion, [item]).level == 3


@pytest.mark.parametrize("text", [
    # still imperatives: the opener is followed by its object, not by the subject's verb
    "Develop a supplier risk assessment process covering all tier 1 suppliers by the end of 2020.",
    "Review our Supplier Code of Conduct and roll it out to all new suppliers.",
])
def test_an_opener_followed_by_its_object_is_still_an_action_item(rubric, text):
    from disclosure_check.assess.wording import plan_wording

    assert plan_wording(rubric.wording, text)
