"""Maturity scoring: pure-function properties (hypothesis) and real rendered statements."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SAMPLES, sample_source
from disclosure_check.maturity import assess_maturity, floor_median, supported_level
from disclosure_check.profile import detect_profile
from disclosure_check.types import CriterionEvidence, Profile

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
        source=st.just("rules.v1 x"),
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
    assert all(c.level <= cap for c in result.criteria)
    assert all(supported_level(i, cap) == 0 for i in planned_or_negative if i.status == "negative")


def test_financial_themes_apply_only_to_financial_firms(rubric):
    items = [CriterionEvidence("C12", 3, "implemented", "x", 1, 0, "rules.v1 x")]
    assert next(t for t in run(rubric, items, financial=True).themes if t.id == "T4").level == 0
    other = run(rubric, items, financial=False)
    assert next(t for t in other.themes if t.id == "T4").level is None
    assert not any(g.criterion in {"C10", "C11", "C12", "C13", "C14", "C17", "C04"} for g in other.gaps)


def test_floor_median():
    assert floor_median([]) == 0
    assert floor_median([3]) == 3
    assert floor_median([1, 2]) == 1
    assert floor_median([0, 4, 2]) == 2


@pytest.mark.parametrize("name", sorted(p.stem for p in SAMPLES.glob("*.pdf")))
def test_sector_is_detected_on_real_statements(documents, name):
    expected = sample_source(name)["sector"]
    profile = detect_profile(documents[name].text)
    assert profile.doc_type == "statement" and profile.jurisdiction == "uk"
    if expected == "retail":
        assert not profile.financial
    else:
        assert profile.financial and profile.subsector == expected


def test_lloyds_statement_maturity(scorer):
    result = scorer.score_file(SAMPLES / "lloyds_banking_group_2018.pdf")
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


def test_non_financial_statement_has_no_financial_levers(scorer):
    m = scorer.score_file(SAMPLES / "ao_world_2018.pdf").maturity
    assert not m.profile.financial
    assert next(t for t in m.themes if t.id == "T4").level is None
    assert not next(c for c in m.criteria if c.id == "C10").applies


def test_letter_mode_scores_scopes_and_recommendations_without_a_gate(rubric, bundle):
    from disclosure_check.pipeline import ScoreOptions, Scorer

    scorer = Scorer(rubric, bundle, ScoreOptions(doc_type="letter", sector="bank"))
    m = scorer.score_file(SAMPLES / "barclays_2019.pdf").maturity
    assert m.profile.doc_type == "letter" and m.gate == () and m.statutory_met is None
    items = {i.id: i for i in m.letter}
    assert [i.id for i in m.letter if i.kind == "scope"] == ["own_business", "supply_chains", "lending", "investment"]
    assert [i.id for i in m.letter if i.kind == "recommendation"] == ["R1", "R2", "R3", "R4", "R5"]
    # Barclays 2019: "Continuing our partnership with the Joint Money Laundering Intelligence Taskforce (JMLIT)".
    assert items["R2"].level >= 3
