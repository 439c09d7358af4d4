"""Maturity scoring: pure-function properties (hypothesis) and real rendered statements."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SAMPLES, sample_source
from disclosure_check.assess.maturity import assess_maturity, floor_median, supported_level
from disclosure_check.types import CriterionEvidence, Evidence, Origin, Profile, Sentence
from rubric_copies import renumbered_matrix

CRITERIA = [f"C{n:02d}" for n in range(2, 22)]


def evidence_items():
    return st.builds(
        CriterionEvidence,
        criterion=st.sampled_from(CRITERIA),
        level=st.integers(1, 4),
        status=st.sampled_from(["implemented", "planned", "negative"]),
        text=st.sampled_from(["a", "b", "c"]),
        page=st.integers(1, 3),
        sentence_index=st.integers(0, 50),
        origins=st.just((Origin("rule", "x", "rules.v1", "x"),)),
    )


def run(rubric, items, financial=True):
    return assess_maturity(rubric, items, Profile(financial=financial), present_elements={}, gate_hits={})


@settings(max_examples=60, deadline=None)
@given(items=st.lists(evidence_items(), max_size=25), extra=evidence_items())
def test_adding_implemented_evidence_never_lowers_a_level(rubric, items, extra):
    before = run(rubric, items)
    after = run(rubric, items + [CriterionEvidence(**{**extra.__dict__, "status": "implemented"})])
    for b, a in zip(before.criteria, after.criteria, strict=True):
        assert a.level >= b.level
    for b, a in zip(before.themes, after.themes, strict=True):
        assert (a.level or 0) >= (b.level or 0)
    assert after.overall >= before.overall


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(items=st.lists(evidence_items(), max_size=25), seed=st.randoms())
def test_results_do_not_depend_on_evidence_order(rubric, items, seed):
    shuffled = list(items)
    seed.shuffle(shuffled)
    assert run(rubric, items) == run(rubric, shuffled)


@settings(max_examples=40, deadline=None)
@given(items=st.lists(evidence_items(), max_size=25))
def test_plans_cap_at_aware_and_negative_claims_count_for_nothing(rubric, items):
    planned_or_negative = [CriterionEvidence(**{**i.__dict__, "status": s})
                           for i, s in zip(items, ["planned", "negative"] * len(items), strict=False)]
    result = run(rubric, planned_or_negative)
    cap = rubric.role_level("planned_cap")
    assert rubric.levels[0] < cap < rubric.levels[-1]  # else a plan above the cap could not show the cap
    planned = [i for i in planned_or_negative if i.status == "planned"]
    negative = [i for i in planned_or_negative if i.status == "negative"]
    # each criterion stands at its best plan, capped; its negative claims support nothing ...
    assert {c.id: c.level for c in result.criteria} == {
        c.id: max((min(i.level, cap) for i in planned if i.criterion == c.id), default=rubric.levels[0])
        for c in rubric.criteria}
    assert all(supported_level(i, cap) == 0 for i in negative)
    # ... and are flagged on it (unless a plan was read from the same sentence: one sentence is one
    # item, the best supported); without them every level, theme and the overall stay the same
    def sentence(i):
        return i.criterion, i.sentence_index, i.page, i.text

    plans = {sentence(i) for i in planned}
    assert {c.id: set(c.flags) for c in result.criteria} == {
        c.id: {f"negative claim on page {i.page}: {i.text}" for i in negative
               if i.criterion == c.id and sentence(i) not in plans}
        for c in rubric.criteria}
    without = run(rubric, planned)
    assert [c.level for c in without.criteria] == [c.level for c in result.criteria]
    assert without.themes == result.themes and without.overall == result.overall


def test_financial_themes_apply_only_to_financial_firms(rubric):
    theme = next(t for t in rubric.themes if t.applies_to == "financial")
    lever = next(c for c in rubric.criteria if c.id == theme.criteria[0])
    financial_only = {c.id for c in rubric.criteria if c.applies_to == "financial"} | {
        c for t in rubric.themes if t.applies_to == "financial" for c in t.criteria}
    # one sentence is enough (corroborate_from) when it holds what a level-3 pattern needs: its own example
    specific = next(p for p in lever.patterns if p.level == 3 and p.needs and p.examples)
    items = [CriterionEvidence(lever.id, 3, "implemented", specific.examples[0], 1, 0,
                               (Origin("rule", specific.id, "rules.v1", "x"),))]
    bank = run(rubric, items, financial=True)
    [scored] = [c for c in bank.criteria if c.id == lever.id]
    assert scored.applies and scored.level == 3  # the evidence counts for a financial firm ...
    others = [c.level for c in bank.criteria if c.id in theme.criteria and c.id != lever.id and c.applies]
    assert next(t for t in bank.themes if t.id == theme.id).level == floor_median([3, *others])
    assert any(g.criterion in financial_only for g in bank.gaps)  # ... whose other levers are gaps
    other = run(rubric, items, financial=False)
    assert next(t for t in other.themes if t.id == theme.id).level is None  # not for anyone else
    assert not any(c.applies for c in other.criteria if c.id in financial_only)
    assert not any(g.criterion in financial_only for g in other.gaps)
    assert other.overall == floor_median([t.level for t in other.themes if t.level is not None])


def test_floor_median():
    assert floor_median([]) == 0
    assert floor_median([3]) == 3
    assert floor_median([1, 2]) == 1
    assert floor_median([0, 4, 2]) == 2


@pytest.mark.parametrize("name", sorted(p.stem for p in SAMPLES.glob("*.pdf")))
def test_sector_is_detected_on_real_statements(documents, scorer, name):
    expected = sample_source(name)["sector"]
    profile = scorer.profile(documents[name])
    assert profile.doc_type == "statement" and profile.jurisdictions == ("uk",)
    assert profile.source_of("sector") == "text" and profile.reason("sector")
    if expected == "retail":
        assert not profile.financial
    else:
        assert profile.financial and profile.subsector == expected


@pytest.mark.slow
def test_lloyds_statement_maturity(scored_sample):
    result = scored_sample("lloyds_banking_group_2018")
    m = result.maturity
    assert m.statutory_met is True
    assert {g.id: g.met for g in m.gate} == {"board_approval": True, "director_signature": True,
                                            "period_covered": True}
    levels = {c.id: c.level for c in m.criteria}
    # "Continuing our partnership with the Joint Money Laundering Intelligence Taskforce (JMLIT) ..."
    assert levels["C13"] >= 3
    # The statement does not say it covers lending and investment portfolios: the top gap for a bank.
    assert levels["C14"] == 0 and m.gaps[0].criterion in {"C14", "C17"}
    c14 = next(g for g in m.gaps if g.criterion == "C14")
    assert "recommendation 5" in c14.recommendation and c14.sources
    assert all(c.applies for c in m.criteria)
    for c in m.criteria:
        for e in c.evidence:
            assert e.page >= 1 and e.text


def test_non_financial_statement_has_no_financial_levers(scored_sample):
    m = scored_sample("ao_world_2018").maturity
    assert not m.profile.financial
    assert next(t for t in m.themes if t.id == "T4").level is None
    assert not next(c for c in m.criteria if c.id == "C10").applies


@pytest.mark.slow
def test_letter_mode_scores_scopes_and_recommendations_without_a_statutory_verdict(rubric, bundle):
    from disclosure_check.pipeline import ScoreOptions, Scorer

    scorer = Scorer(rubric, bundle, ScoreOptions(doc_type="letter", sector="bank"))
    m = scorer.score_file(SAMPLES / "barclays_2019.pdf").maturity
    # the checks are decided (a reviewer may say it is a statement after all) but a letter has no verdict
    assert m.profile.doc_type == "letter" and m.statutory_met is None and m.statutory_state is None
    assert m.profile.source_of("doc_type") == "option" and m.profile.source_of("sector") == "option"
    items = {i.id: i for i in m.letter}
    assert [i.id for i in m.letter if i.kind == "scope"] == ["own_business", "supply_chains", "lending", "investment"]
    assert [i.id for i in m.letter if i.kind == "recommendation"] == ["R1", "R2", "R3", "R4", "R5"]
    # Barclays 2019: "Continuing our partnership with the Joint Money Laundering Intelligence Taskforce (JMLIT)".
    assert items["R2"].level >= 3


# -- rubric roles as data: a renumbered matrix scores the same ------------------------------------

@pytest.mark.slow
def test_a_renumbered_matrix_scores_the_samples_the_same(tmp_path, rubric, bundle, scorer):
    from disclosure_check.assess.maturity import tag_met
    from disclosure_check.pipeline import Scorer
    from disclosure_check.rubric import load_rubric

    path, criteria, themes = renumbered_matrix(tmp_path)
    renumbered = load_rubric(path)
    assert [c.id for c in renumbered.criteria] != [criteria[c.id] for c in rubric.criteria]  # really shuffled
    other = Scorer(renumbered, scorer.models)
    compared = 0
    for pdf in sorted(SAMPLES.glob("*.pdf")):
        a, b = scorer.score_file(pdf).maturity, other.score_file(pdf).maturity
        levels_b = {c.id: c.level for c in b.criteria}
        assert {criteria[c.id]: c.level for c in a.criteria} == levels_b, pdf.name
        assert {themes[t.id]: t.level for t in a.themes} == {t.id: t.level for t in b.themes}, pdf.name
        assert a.overall == b.overall and a.flags == b.flags
        assert {(criteria[g.criterion], g.level) for g in a.gaps} == {(g.criterion, g.level) for g in b.gaps}
        levers_a = tag_met(rubric, "financial_lever", {c.id: c.level for c in a.criteria if c.applies})
        levers_b = tag_met(renumbered, "financial_lever", {c.id: c.level for c in b.criteria if c.applies})
        assert levers_a == levers_b is not None
        compared += 1
    assert compared == 12
    # The training audiences still reach the targeted-training criterion, under its new id.
    training = criteria["C18"]
    m = other.score_file(SAMPLES / "lloyds_banking_group_2018.pdf").maturity
    assert any("training audience" in e.source for c in m.criteria if c.id == training for e in c.evidence)


# -- evidence semantics on real sentences ---------------------------------------------------------
LOW_RISK = "The majority of our direct suppliers represent a traditionally low risk of modern slavery."
# A lead-in that ends in a colon is a heading, never evidence (issue 21); the method is in the sentence.
METHOD = ("In our risk assessment, the following factors have been assessed: the country of origin, the sector and "
          "the nature of the goods and services supplied.")
NOTHING_FOUND = "In 2018 we had no reported incidents of human rights breaches, slavery or trafficking."
NAMED_RISK = ("As outlined in last year’s statement, where we have suppliers in recognised higher risk service sectors "
              "such as cleaning, catering, property, security and uniform providers we ensure that a dedicated "
              "Supplier Manager supports these relationships.")


def sentences_of(*texts):
    from disclosure_check.types import Sentence

    return [Sentence(index=i, text=t, page=i + 1, start=0, end=len(t)) for i, t in enumerate(texts)]


def model_says(sentences, element, index, score=0.9, status="implemented"):
    from disclosure_check.types import Evidence

    s = sentences[index]
    return Evidence(element=element, sentence_index=s.index, text=s.text, page=s.page, classifier="tfidf-logreg.v1",
                    score=score, status=status)


def mature(rubric, texts, model=()):
    """Rules on real sentences, plus what the model is said to have found; financial firm."""
    from disclosure_check.assess.elements import combine_evidence
    from disclosure_check.classify.rules import RuleClassifier
    from disclosure_check.pipeline import maturity_from_evidence

    sentences = sentences_of(*texts)
    rules = RuleClassifier(rubric)
    matches = rules.match(texts)
    evidence = [model_says(sentences, *m) for m in model]
    elements = combine_evidence(rubric.element_ids, evidence, rules.evidence(sentences, matches), best_scores={})
    return maturity_from_evidence(rubric, sentences, matches, elements, Profile(financial=True)), elements


def by_tag(rubric, result, tag):
    ids = {c.id for c in rubric.tagged(tag)}
    return [c for c in result.criteria if c.id in ids]


def test_a_bare_low_risk_claim_never_supports_a_risk_criterion_and_is_flagged(rubric):
    m, elements = mature(rubric, [LOW_RISK], model=[("risk_description", 0)])
    # The model accepted the sentence as a risk description, but no risk criterion may rest on it.
    assert all(c.level == 0 and not c.evidence for c in by_tag(rubric, m, "risk"))
    assert m.flags == (f"'low risk' claim without a described risk assessment (page 1): {LOW_RISK}",)


def test_a_low_risk_claim_after_a_described_method_is_not_flagged_but_still_supports_nothing(rubric):
    m, _ = mature(rubric, [METHOD, LOW_RISK], model=[("risk_description", 1)])
    method = by_tag(rubric, m, "risk_method")
    assert method and all(c.level >= 2 for c in method)
    assert not m.flags
    for c in by_tag(rubric, m, "risk"):
        assert all(e.text != LOW_RISK for e in c.evidence)


def test_a_named_risk_supports_the_risk_criteria(rubric):
    m, _ = mature(rubric, [NAMED_RISK], model=[("risk_description", 0)])
    uses = [c for c in by_tag(rubric, m, "risk") if "risk_description" in
            next(d for d in rubric.criteria if d.id == c.id).elements]
    assert uses and all(c.level >= 2 and c.evidence[0].text == NAMED_RISK for c in uses)


def test_negative_claims_support_no_element_and_no_criterion(rubric):
    m, elements = mature(rubric, [NOTHING_FOUND], model=[("remediation", 0, 0.96, "negative")])
    remediation = next(e for e in elements if e.element == "remediation")
    assert not remediation.present and remediation.evidence == ()
    assert [e.text for e in remediation.negative] == [NOTHING_FOUND]
    users = [c for c in m.criteria if "remediation" in next(d for d in rubric.criteria if d.id == c.id).elements]
    assert users and all(c.level == 0 for c in users)
    assert all(f"negative claim on page 1: {NOTHING_FOUND}" in c.flags for c in users)  # the whole sentence


def test_one_sentence_found_by_model_and_rule_is_one_evidence_item(rubric):
    m, elements = mature(rubric, [METHOD], model=[("risk_mitigation", 0, 0.8)])
    mitigation = next(e for e in elements if e.element == "risk_mitigation")
    assert len(mitigation.evidence) == 1
    assert set(mitigation.evidence[0].found_by) == {"tfidf-logreg.v1", "rules.v1"}
    assert mitigation.evidence[0].score == 0.8
    # The method criterion gets the sentence from its own pattern and from the element: one item, both sources.
    [method] = by_tag(rubric, m, "risk_method")
    assert len(method.evidence) == 1 and method.level == 2
    assert "rules.v1 " in method.evidence[0].source and "element risk_mitigation" in method.evidence[0].source



# A long climate report: the model accepts many sentences as risk mitigation, nearly all about
# emissions, water and communities; the one about suppliers ranks 15th (BHP's climate change report
# 2020 lost its supplier due diligence criterion this way when the element kept its first 12 only).
CLIMATE_MITIGATION = [
    "We have set a medium-term target to reduce operational greenhouse gas emissions by at least 30 per cent.",
    "Our climate transition action plan commits us to net zero operational emissions by 2050.",
    "We assess physical climate risks at each operated asset and build adaptation into our planning.",
    "Each operated asset must maintain a water balance and report its water withdrawals.",
    "Our Indigenous Peoples Policy Statement guides how we engage with the communities near our operations.",
    "We regularly review our tailings storage facilities against the global industry standard.",
    "Scenario analysis is used to test the resilience of our portfolio to a rapid energy transition.",
    "Executive remuneration is linked to progress against our emissions reduction targets.",
    "We invest in low-emissions technologies for steelmaking with our customers in China and Japan.",
    "Renewable power agreements for our Chilean copper operations began in 2020.",
    "Our Code of Conduct sets out how every employee is expected to act with integrity.",
    "We require closure plans for all operated assets and review them every three years.",
    "Biodiversity management plans are in place at each operated asset with significant habitat.",
    "Our health and safety standards apply to every worker on our sites.",
]
SUPPLIER_MITIGATION = ("We expect our suppliers to uphold human rights and we screen new suppliers in higher-risk "
                       "categories before we engage them.")


def test_a_criterion_sees_an_elements_late_ranked_sentence_on_its_subject(rubric):
    from disclosure_check.assess.elements import MAX_EVIDENCE, assess
    from disclosure_check.types import Document, Metadata

    texts = CLIMATE_MITIGATION + [SUPPLIER_MITIGATION]
    assert len(CLIMATE_MITIGATION) > MAX_EVIDENCE
    # strongest first: the climate sentences from 0.95 down, the supplier sentence last
    model = [("risk_mitigation", i, round(0.95 - 0.02 * i, 2)) for i in range(len(texts))]
    m, elements = mature(rubric, texts, model=model)
    c08 = next(c for c in m.criteria if c.id == "C08")
    assert c08.level == 1
    assert [e.text for e in c08.evidence] == [SUPPLIER_MITIGATION]  # the quote shown is the one that supports it
    # what is stored of the element stays bounded: its strongest MAX_EVIDENCE sentences
    doc = Document(doc_id="d", path="d.pdf", metadata=Metadata(), pages=(), blocks=(), text="")
    result = assess(doc, elements, rubric_version="r", model_version="m",
                    sentences=len(texts))
    stored = next(e for e in result.elements if e.element == "risk_mitigation")
    assert [e.sentence_index for e in stored.evidence] == list(range(MAX_EVIDENCE))
    assert stored.present and stored.confidence == 0.95


def test_signal_evidence_per_criterion_is_bounded_and_cut_in_reading_order_on_ties(rubric):
    from disclosure_check.assess.signals import MAX_SIGNAL_EVIDENCE

    texts = [f"We screen new suppliers of category {n} against modern slavery risks before we engage them."
             for n in range(3 * MAX_SIGNAL_EVIDENCE)]
    model = [("risk_mitigation", i, 0.8) for i in reversed(range(len(texts)))]  # equal scores, any input order
    m, elements = mature(rubric, texts, model=model)
    c08 = next(c for c in m.criteria if c.id == "C08")
    from_element = [e for e in c08.evidence if any(o.kind == "element" for o in e.origins)]
    assert [e.sentence_index for e in from_element] == list(range(MAX_SIGNAL_EVIDENCE))
    assert len(next(e for e in elements if e.element == "risk_mitigation").evidence) == len(texts)


# --- what can be quoted as evidence ---------------------------------------------------------------

@pytest.mark.parametrize("text, kind, expected", [
    ("Supplier spend by category", "paragraph", False),  # a chart title in Barclays' statement
    ("Speak Up", "heading", False),
    ("Customer due diligence and know your customer checks", "heading", False),
    ("Technology Services & Software 31%", "table_row", False),
    ("We audit our suppliers.", "paragraph", True),
    ("Our active supply base comprises approximately 3,500 suppliers", "paragraph", True),
    ("Jane Doe", "signature_block", True),
])
def test_only_readable_sentences_are_quoted_as_evidence(text, kind, expected):
    from disclosure_check.pipeline import quotable

    assert quotable(Sentence(index=0, text=text, page=1, start=0, end=0, kind=kind)) is expected


def test_a_sentence_repeated_as_a_pull_quote_is_quoted_once():
    from disclosure_check.assess.elements import combine_evidence

    full = ("Our active supply base comprises approximately 3,500 suppliers, the majority of which are in "
            "professional services sectors.")
    model = [Evidence("supply_chains", 7, full, 1, "tfidf-logreg.v1", 0.9),
             Evidence("supply_chains", 13, "Our active supply base comprises approximately 3,500 suppliers", 1,
                      "tfidf-logreg.v1", 0.8),
             Evidence("supply_chains", 90, full, 4, "tfidf-logreg.v1", 0.7)]
    [result] = combine_evidence(("supply_chains",), model, [], best_scores={})
    assert [e.sentence_index for e in result.evidence] == [7]


def test_whole_sentences_are_shown_before_fragments_at_the_same_level(rubric):
    """Cut quotes ("to mitigate the risk of ...", a line without its end) were right 0.39-0.47 of
    the time in the issue-21 reviews, whole sentences 0.59-0.61: at the same supported level a whole
    sentence comes first, even when the fragment comes first in the text or has two sources."""
    rule, model = Origin("rule", "c06.method", "rules.v1", "risk assessment"), Origin("element", "risk_mitigation", "m")
    fragment = CriterionEvidence("C06", 2, "implemented", "and the risk assessment of the supplier is updated accordingly",
                                 1, 3, (rule, model))
    whole = CriterionEvidence("C06", 2, "implemented",
                              "We use a supplier questionnaire and the Global Slavery Index in our risk assessment.", 2, 40,
                              (rule,))
    # two level-3 sentences of c06.prioritised (one alone, with no 'needs', would not be level 3: corroborate_from)
    prioritised = Origin("rule", "c06.prioritised", "rules.v1", "prioritise")
    higher = CriterionEvidence("C06", 3, "implemented", "We prioritise high-risk suppliers for audit.", 3, 60,
                               (prioritised,))
    second = CriterionEvidence("C06", 3, "implemented", "Suppliers rated high risk are prioritised for a site visit.",
                               3, 61, (prioritised,))
    [c06] = [c for c in run(rubric, [fragment, whole, higher, second]).criteria if c.id == "C06"]
    # the level still comes first
    assert [e.text for e in c06.evidence] == [higher.text, second.text, whole.text, fragment.text]


# Labelled quotes (corpus/reviews/criterion_evidence.csv, issue 21 rounds 1-7) that a reviewer was shown at a level
# they do not show, and right ones beside them that must keep theirs: (criterion, sentence, highest level it may
# support alone). Rubric 1.7.5.
WRONG_LEVEL = [
    ("C09", "We only use reputable employment agencies to source labour.", 1),  # using agencies is no check
    ("C09", "We use labour Providers to supply a percentage of our workforce.", 1),
    ("C09", "Engaged with the Gangmasters and Labour Abuse Authority (GLAA) to", 0),  # the GLAA named, no licence
    ("C09", "The process was developed in consultation with over fifty internal and external stakeholders, including "
            "suppliers, industry bodies such as the British Retail Consortium and Government bodies and agencies such "
            "as the UK Gangmasters and Labour Abuse Authority.", 0),
    ("C09", "We work closely with other stakeholders in the industry (i.e. employment agencies, brands, hotel management "
            "companies) through the Stop Slavery Hotel Industry Network to ensure that we learn new practices.", 1),
    ("C06", "long-term relationships and increase our leverage with certain suppliers.", 0),  # building leverage
    ("C06", "During the year we started to put in place systems and procedures to: Identify and assess potential risk "
            "areas in our supply chain – using a risk based approach we", 1),  # 'using' the approach names no method
    ("C07", "Modern slavery is a crime resulting in an abhorrent abuse of the human rights of vulnerable workers.", 0),
    ("C07", "With this in mind, we have joined the ETI’s responsible recruitment working group alongside other "
            "stakeholders, with the aim of sharing best practice examples and developing specific actions to mitigate "
            "risks amongst migrant workers.", 0),
    ("C19", "To ensure compliance with our standards, we have implemented an internal audit process and are committed "
            "to providing our suppliers opportunities for learning and development.", 1),
    # Issue 21 round 8 (rubric 1.8.1): JMLIT's own priorities are not the firm's sharing; anonymity with no
    # channel named.
    ("C13", "One of JMLIT’s four key operational priorities is “understanding and disrupting the funding flows linked "
            "to organised immigration crime and human trafficking” and further information and reporting on JMLIT’s "
            "work is available on the UK’s National Crime Agency website.", 0),
    ("C15", "This can be done anonymously.", 1),
    ("C15", "Members of staff are encouraged to pass on feedback via a biennial Employee Opinion Survey and an anonymous "
            "feedback tool.", 1),
]
RIGHT_LEVEL = [
    ("C09", "We use only specified, reputable employment agencies to source labour and always verify the practices of "
            "any new agency we are using before accepting workers from that agency.", 2),
    ("C09", "We ensure our labour providers have a GLA licence and follow the provisions of the Gangmaster Licencing "
            "Act 2004 and accordingly adhere to their main standards.", 2),
    # ("Gangmasters Licensing Authority (GLA) license by checking the GLA Public Register", labelled right at 2, is
    # no longer counted: the c09.glaa pattern that caught it was dropped after 10 of its 10 fresh hits were
    # reviewed wrong, pattern_hits.csv round 10; a labour provider checked against the GLAA still counts, below)
    ("C09", "We only use labour providers licensed by the Gangmasters and Labour Abuse Authority, and we audit them "
            "annually.", 2),
    ("C06", "Using our risk assessment and its multiple criteria, we prioritized the audits of those suppliers most "
            "at-risk for responsible sourcing challenges.", 2),
    ("C06", "In 2017, we reviewed over 1,400 companies using a risk based approach; the program reviews online public "
            "records, including an evaluation of significant litigation.", 2),  # the sources read are the method
    # ("Because the root causes of poor working conditions are varied and complex, our leverage to bring about
    # positive change can be limited.", labelled right at C06 level 4 in round 5, counts nothing since rubric 1.8.1:
    # c06.board_register was dropped after 7 of the 10 hits it counted at level 4 were reviewed wrong, round 12)
    ("C07", "This can involve a low-skilled migrant workforce that may be vulnerable to exploitation by labour "
            "contractors or unscrupulous employers.", 2),
    ("C19", "In the last year, we have appointed a Head of Internal Audit who has a direct reporting line into the "
            "board’s Audit Committee and provides a sourcing and compliance update on our modern slavery programme at "
            "each Audit Committee meeting.", 3),
    ("C13", "HSBC’s work with JMLIT has led to successes including enabling the UK Police to prosecute a criminal "
            "trafficking gang (see below).", 3),
    ("C15", "KAES maintains a guideline service that allows anyone, including Third Parties, to report concerns "
            "anonymously at any time.", 2),
    ("C15", "Such reports may be made anonymously.", 2),
    ("C15", "Grievances can be made anonymously and confidentially to the extent allowed under applicable law.", 2),
]


def criterion_level(rubric, criterion, sentence):
    m, _ = mature(rubric, [sentence])
    return next(c.level for c in m.criteria if c.id == criterion)


@pytest.mark.parametrize("criterion,sentence,most", WRONG_LEVEL)
def test_labelled_wrong_quotes_no_longer_support_their_shown_level(rubric, criterion, sentence, most):
    assert criterion_level(rubric, criterion, sentence) <= most


@pytest.mark.parametrize("criterion,sentence,level", RIGHT_LEVEL)
def test_labelled_right_quotes_keep_their_level(rubric, criterion, sentence, level):
    assert criterion_level(rubric, criterion, sentence) == level


@pytest.mark.parametrize("sentence,level", [
    # How reports "will be investigated" is a standing procedure, level 2 where the model finds the remediation
    # element (planned.will_be_handled, which made it an obligation at level 1, was dropped after 9 of its 10 corpus
    # hits were reviewed wrong, pattern_hits.csv round 11); what was done, and a standing response to a case that
    # may arise (a conditional), keep level 2 too.
    ("Any reported violations of the Code of Conduct will be investigated", 2),
    ("All such reports will be fully investigated and appropriate remedial actions taken.", 2),
    ("Any claims are vigorously investigated and remediation is taken if warranted.", 2),
    ("We investigated all 12 reports and remediated the cases with the suppliers concerned.", 2),
    ("If any concerns are raised, they will be fully investigated and appropriate remedial action taken.", 2),
])
def test_a_response_that_will_be_made_is_a_standing_process(rubric, sentence, level):
    from disclosure_check.classify.matches import evidence_status
    from disclosure_check.classify.rules import RuleClassifier

    status = evidence_status(RuleClassifier(rubric).match([sentence])[0])  # as the pipeline gives model evidence
    m, _ = mature(rubric, [sentence], model=[("remediation", 0, 0.9, status)])
    assert next(c.level for c in m.criteria if c.id == "C16") == level
