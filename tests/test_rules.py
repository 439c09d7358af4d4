"""The rule classifier on real sentences from the AIMS corpus: positives and near misses."""

from __future__ import annotations

import pytest

from disclosure_check.classify.rules import RuleClassifier

# Each: (real sentence, element, expected). Positives are labelled positive by the AIMS experts;
# near misses are real sentences the definitions exclude (committee approval, "low risk" claims).
CASES = [
    ("The board of directors of the Company approved this statement in a duly convened board meeting on "
     "August 5, 2020", "approval", True),
    ("This statement has been endorsed by the Board of Southern Cross Media Group Limited", "approval", True),
    ("The HCL Australia Board of Directors approved this Statement by circular resolution passed on "
     "December 9, 2020", "approval", True),
    ("Each new version of the Code of Conduct is approved by the Group ESG Committee", "approval", False),
    ("ASG has a Risk Committee who are responsible for the effective oversight of all key risk and compliance "
     "issues, the overall control environment and the review and recommendation to the board for approval",
     "approval", False),
    ("Sundaram Sridharan Director", "signature", True),
    ("Robert Thomson CEO, News Corp 5 August, 2020", "signature", True),
    ("We have signed up to the UN Global Compact", "signature", False),
    ("Wimmera Health Care Group does not own or control any other entities", "consultation", True),
    ("If we discover a case of modern slavery within our supply chain we will first seek to work with the "
     "supplier to implement corrective action", "remediation", True),
    ("Remediation was not required as no cases were identified", "remediation", False),
    ("We consider our business to be low risk of modern slavery", "risk_description", False),
    ("Cleaning and security services used at our offices are areas of higher risk", "risk_description", True),
]


@pytest.fixture(scope="module")
def rules(rubric):
    return RuleClassifier(rubric)


@pytest.mark.parametrize("sentence,element,expected", CASES)
def test_rule_decisions_on_real_sentences(rules, sentence, element, expected):
    hits = rules.hits([sentence])[0]
    assert (element in hits) is expected, hits


def test_evidence_names_the_rule_and_match(rules):
    from disclosure_check.types import Sentence

    sentence = Sentence(index=4, text="This Statement was approved by the Board of LV= on 20 March 2019.", page=2,
                        start=0, end=10)
    [evidence] = [e for e in rules.evidence([sentence]) if e.element == "approval"]
    assert evidence.classifier == "rules.v1"
    assert evidence.page == 2 and evidence.sentence_index == 4
    assert evidence.detail == "rule approval.approved_by_board matched 'approved by the Board'"
