"""Verification levels from hand-built decision trails (one per state), and agreement (Cohen's kappa)
against hand-computed figures, edge cases included."""

from __future__ import annotations

from dataclasses import replace

import pytest

from disclosure_check.assess.agreement import by_finding, cohen_kappa, double_reviewed, machine_pairs, pairs
from disclosure_check.assess.decisions import Decision, make_decision, overrides
from disclosure_check.assess.verification import level_counts, resolution, submission, verify
from disclosure_check.errors import DataError

MACHINE = {("criterion", "C1"): "2", ("criterion", "C2"): "1", ("gate", "approval"): "met",
           ("gate", "signature"): None, ("element", "approval"): "yes"}


def d(target: str, decision: str, reviewer: str, role: str = "first", *, level=None, previous=None,
      at: str = "2026-01-01T00:00:00+00:00") -> Decision:
    made = make_decision("doc", target, decision, reviewer=reviewer, level=level, role=role)
    return replace(made, previous_value=previous, created_at=at)


def test_no_decision_is_machine():
    found = verify([], MACHINE)
    assert found.level == "machine"
    assert found.of("criterion", "C1").level == "machine"


def test_a_comment_alone_is_no_decision():
    found = verify([d("criterion:C1", "comment", "ann")], MACHINE)
    assert found.level == "machine"
    assert (found.of("criterion", "C1").level, found.of("criterion", "C1").decisions) == ("machine", 1)


def test_one_reviewer_is_reviewed():
    trail = [d("criterion:C1", "set_level", "ann", level=3, at="2026-01-01T10:00:00+00:00"),
             d("criterion:C1", "confirm", "ann", previous="3", at="2026-01-02T10:00:00+00:00")]
    found = verify(trail, MACHINE)
    c1 = found.of("criterion", "C1")
    assert (found.level, c1.level, c1.shown_value, c1.reviewers, c1.decisions, c1.last_decided_at) == (
        "reviewed", "reviewed", "3", ("ann",), 2, "2026-01-02T10:00:00+00:00")


def test_submitting_a_review_without_a_change_is_reviewed():
    assert verify([submission("doc", "ann")], MACHINE).level == "reviewed"


def test_a_second_reviewer_who_agrees_verifies():
    trail = [d("criterion:C1", "set_level", "ann", level=3), d("criterion:C1", "set_level", "bob", "second", level=3),
             d("gate:approval", "confirm", "ann"), d("gate:approval", "confirm", "bob", "second")]
    found = verify(trail, MACHINE)
    # each finding agreed; the document is verified only once bob submits his second review
    assert (found.level, found.of("criterion", "C1").level, found.of("gate", "approval").level) == (
        "reviewed", "verified", "verified")
    assert found.of("criterion", "C1").reviewers == ("ann", "bob")
    assert verify([*trail, submission("doc", "bob", "second")], MACHINE).level == "verified"
    # a comment in the second role is no second review of the document
    assert verify([d("criterion:C1", "set_level", "ann", level=3), d("criterion:C1", "comment", "bob", "second")],
                  MACHINE).level == "reviewed"


def test_a_confirmed_level_is_the_level_the_reviewer_saw():
    # ann confirmed the machine's 2; bob, blind, saved 2: they agree
    trail = [d("criterion:C1", "confirm", "ann", previous="2"), d("criterion:C1", "set_level", "bob", "second", level=2)]
    assert verify(trail, MACHINE).of("criterion", "C1").level == "verified"


def test_a_second_reviewer_who_disagrees_disputes_and_the_first_value_stays_shown():
    trail = [d("criterion:C1", "set_level", "ann", level=3), d("criterion:C1", "set_level", "bob", "second", level=1)]
    found = verify(trail, MACHINE)
    c1 = found.of("criterion", "C1")
    assert (found.level, c1.level, c1.shown_value, c1.second_value, c1.second_reviewer) == (
        "disputed", "disputed", "3", "1", "bob")
    assert overrides(trail).get("criterion", "C1").level == 3  # what every page applies: ann's level
    assert [f.target for f in found.disputed] == ["criterion:C1"]


def test_a_second_reviewer_who_left_a_changed_finding_as_scored_disagrees_once_submitted():
    trail = [d("criterion:C1", "set_level", "ann", level=3), submission("doc", "ann")]
    assert verify(trail, MACHINE).of("criterion", "C1").level == "reviewed"  # no second review yet
    found = verify([*trail, submission("doc", "bob", "second")], MACHINE)
    c1 = found.of("criterion", "C1")
    assert (c1.level, c1.second, c1.second_value, c1.second_reviewer) == ("disputed", None, "2", "bob")


def test_a_first_reviewer_who_confirmed_and_a_second_who_left_it_verify():
    trail = [d("gate:approval", "confirm", "ann"), submission("doc", "ann"), submission("doc", "bob", "second")]
    found = verify(trail, MACHINE)
    assert (found.level, found.of("gate", "approval").level) == ("verified", "verified")


def test_a_second_decision_where_the_first_reviewer_decided_nothing():
    agrees = verify([d("criterion:C2", "set_level", "bob", "second", level=1)], MACHINE)
    assert agrees.of("criterion", "C2").level == "reviewed"  # one person agreeing with the machine
    differs = verify([d("criterion:C2", "set_level", "bob", "second", level=3)], MACHINE)
    assert differs.of("criterion", "C2").level == "disputed"  # the machine's value is shown until resolved
    assert overrides([d("criterion:C2", "set_level", "bob", "second", level=3)]).get("criterion", "C2") is None
    open_check = verify([d("gate:signature", "confirm", "bob", "second")], MACHINE)
    assert open_check.of("gate", "signature").level == "disputed"  # not found vs met: someone must decide


def test_one_person_in_both_roles_is_not_a_second_review():
    trail = [d("criterion:C1", "set_level", "ann", level=3), d("criterion:C1", "set_level", "ann", "second", level=1)]
    assert verify(trail, MACHINE).of("criterion", "C1").level == "reviewed"


def test_a_resolution_settles_a_dispute_and_a_later_disagreement_opens_another():
    trail = [d("criterion:C1", "set_level", "ann", level=3), d("criterion:C1", "set_level", "bob", "second", level=1),
             d("criterion:C1", "set_level", "cat", "resolution", level=1)]
    found = verify(trail, MACHINE)
    c1 = found.of("criterion", "C1")
    assert (found.level, c1.level, c1.shown_value, c1.resolution.reviewer) == ("verified", "verified", "1", "cat")
    assert overrides(trail).get("criterion", "C1").level == 1  # the resolution's value is shown
    later = verify([*trail, d("criterion:C1", "set_level", "dan", "second", level=2)], MACHINE)
    assert later.of("criterion", "C1").level == "disputed"
    changed = verify([*trail, d("criterion:C1", "set_level", "ann", level=2)], MACHINE)
    assert changed.of("criterion", "C1").level == "reviewed"  # changed since, by one person


def test_level_counts_list_every_level():
    assert level_counts(["reviewed", "machine", "reviewed"]) == {"machine": 1, "reviewed": 2, "verified": 0,
                                                                 "disputed": 0}


def test_a_role_must_be_known():
    with pytest.raises(DataError, match="review role"):
        make_decision("doc", "criterion:C1", "confirm", reviewer="ann", role="third")


# -- agreement ---------------------------------------------------------------------------------
def test_kappa_against_a_hand_computed_example():
    # 10 documents, levels by two reviewers:
    #   both 1: 4, both 2: 3, (1, 2): 2, (2, 1): 1  -> agreeing 7 of 10, p_o = 0.7
    #   first: 1 six times, 2 four times; second: 1 five times, 2 five times
    #   p_e = 0.6 * 0.5 + 0.4 * 0.5 = 0.5
    #   kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4
    found = cohen_kappa([("1", "1")] * 4 + [("2", "2")] * 3 + [("1", "2")] * 2 + [("2", "1")])
    assert (found.n, found.agreeing) == (10, 7)
    assert found.raw == pytest.approx(0.7)
    assert found.expected == pytest.approx(0.5)
    assert found.kappa == pytest.approx(0.4)


def test_kappa_with_three_categories():
    # (0,0) (1,1) (2,2) (0,1): p_o = 3/4; first 0:2 1:1 2:1, second 0:1 1:2 2:1
    # p_e = (2*1 + 1*2 + 1*1) / 16 = 5/16; kappa = (12/16 - 5/16) / (11/16) = 7/11
    found = cohen_kappa([("0", "0"), ("1", "1"), ("2", "2"), ("0", "1")])
    assert found.kappa == pytest.approx(7 / 11)


def test_kappa_is_undefined_when_everyone_agrees_on_one_category():
    found = cohen_kappa([("met", "met")] * 5)
    assert (found.n, found.raw, found.kappa) == (5, 1.0, None)
    assert "undefined" in found.note and "met" in found.note


def test_kappa_of_no_pairs_is_undefined():
    found = cohen_kappa([])
    assert (found.n, found.raw, found.kappa) == (0, None, None)
    assert found.note


def test_kappa_can_be_negative():
    # always disagreeing on two balanced categories: p_o = 0, p_e = 0.5, kappa = -1
    assert cohen_kappa([("1", "2"), ("2", "1")]).kappa == pytest.approx(-1.0)


def test_pairs_take_each_reviewers_coding_else_the_machines():
    trail = [d("criterion:C1", "set_level", "ann", level=3), submission("doc", "ann"),
             d("criterion:C2", "set_level", "bob", "second", level=0), submission("doc", "bob", "second")]
    assert double_reviewed(trail) == ("ann", "bob")
    found = pairs(trail, MACHINE)
    # C1: ann 3, bob left the machine's 2; C2: ann left 1, bob 0; approval met by both; signature open: left out
    assert found == {("criterion", "C1"): ("3", "2"), ("criterion", "C2"): ("1", "0"), ("gate", "approval"): ("met", "met")}
    assert pairs(trail[:2], MACHINE) == {}  # no second review
    assert pairs(trail[:3], MACHINE) == {}  # a second review not yet submitted is not compared
    per = by_finding([found, {("criterion", "C1"): ("3", "3")}])
    assert per[("criterion", "C1")].n == 2 and per[("criterion", "C1")].raw == pytest.approx(0.5)


def test_machine_pairs_compare_the_machine_with_the_value_shown():
    shown = {**MACHINE, ("criterion", "C1"): "3"}
    assert machine_pairs(shown, MACHINE) == {("criterion", "C1"): ("2", "3"), ("criterion", "C2"): ("1", "1"),
                                             ("gate", "approval"): ("met", "met")}


def test_a_resolution_decision_carries_the_value_chosen_and_its_role():
    trail = [d("criterion:C1", "set_level", "ann", level=3), d("criterion:C1", "set_level", "bob", "second", level=1)]
    c1 = verify(trail, MACHINE).of("criterion", "C1")
    made = resolution("doc", c1, "1", "cat", "bob read the policy right")
    assert (made.decision, made.level, made.role, made.reviewer) == ("set_level", 1, "resolution", "cat")
    assert verify([*trail, made], MACHINE).of("criterion", "C1").level == "verified"
    gate = verify([d("gate:approval", "confirm", "ann"), d("gate:approval", "reject", "bob", "second")],
                  MACHINE).of("gate", "approval")
    assert gate.level == "disputed"
    assert resolution("doc", gate, "not_met", "cat").decision == "reject"


def test_a_sentence_a_reviewer_added_is_checked_by_the_second_review_and_kept_by_its_resolution():
    """The machine never offered the sentence: a second reviewer who submits without adding it
    disagrees (not "verified" by default), and resolving with "yes" keeps where the sentence is."""
    from disclosure_check.assess.decisions import evidence_location, evidence_target

    text = "We screen every new supplier for forced labour risks before onboarding."
    target = "evidence:" + evidence_target("risk_mitigation", 41, text)
    added = make_decision("doc", target, "confirm", reviewer="ann", text=text,
                          value=evidence_location(3, [[3, 50.0, 100.0, 300.0, 112.0]]))
    trail = [added, submission("doc", "ann"), submission("doc", "bob", "second")]
    found = verify(trail, MACHINE)
    finding = found.of("evidence", target.partition(":")[2])
    assert (finding.shown_value, finding.second_value, finding.level, found.level) == ("yes", "no", "disputed",
                                                                                       "disputed")
    settled = resolution("doc", finding, "yes", "cat")
    assert settled.value == added.value and settled.role == "resolution"
    after = verify([*trail, settled], MACHINE)
    assert (after.level, overrides([*trail, settled]).get("evidence", target.partition(":")[2]).value) == (
        "verified", added.value)
