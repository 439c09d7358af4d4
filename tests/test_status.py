"""Evidence status on real sentences: implemented, planned or negative."""

from __future__ import annotations

import pytest

from disclosure_check.classify.matches import evidence_status
from disclosure_check.classify.rules import RuleClassifier

# Real sentences: the first from the Lloyds Banking Group 2018 statement (corpus/uk_texts), the rest
# from the AIMS.au / AIMS.ca corpus.
CASES = [
    ("In 2018 we had no reported incidents of human rights breaches, slavery or trafficking.", "negative"),
    ("As a result of these reviews, we have not identified any material risk of modern slavery practices in our "
     "supply chains", "negative"),
    ("Given its limited supply chain activities, the Company has not yet taken any formal actions to assess the "
     "effectiveness of those measures", "negative"),
    ("FURTHER STEPS We will periodically review the effectiveness of the steps we are taking to ensure the risks "
     "of modern slavery in our business, operations or our supply chains are addressed", "planned"),
    ("SCA intends to regularly review our Supplier Code of Conduct, Supplier Questionnaire and risk assessment "
     "processes to ensure they remain up to date and effective in assessing modern slavery risks", "planned"),
    ("The contents of both will be reviewed by our in-house Modern Slavery experts", "planned"),
    # A standing process for a case that may arise is in place: not a plan.
    ("If we discover a case of modern slavery within our supply chain (or indirectly through a suppliers own "
     "supply chain) we will first seek to work with the supplier to implement corrective action", "implemented"),
    ("We will continue reviewing these suppliers in FY2021 to ensure they align with our requirements on "
     "sourcing", "implemented"),
    ("In accordance with the Code, suppliers must not engage or be complicit in any practices of modern slavery "
     "and must complete our Supplier Questionnaire in respect of their operational practices", "implemented"),
]


@pytest.fixture(scope="module")
def rules(rubric):
    return RuleClassifier(rubric)


@pytest.mark.parametrize("sentence,expected", CASES)
def test_status_of_real_sentences(rules, sentence, expected):
    assert evidence_status(rules.match([sentence])[0]) == expected


@pytest.mark.slow
def test_status_reaches_the_output_and_the_store(scored_sample, db_url):
    from disclosure_check.present.export import result_to_dict
    from disclosure_check.store.store import Store

    result = scored_sample("lloyds_banking_group_2018")
    evidence = [ev for e in result.elements for ev in e.evidence]
    statuses = {ev.status for ev in evidence}
    assert statuses <= {"implemented", "planned", "negative"} and "implemented" in statuses
    # A negative claim is kept for the reviewer but never supports its element.
    assert not any("In 2018 we had no reported incidents" in ev.text for ev in evidence)
    negative = [ev for e in result.elements for ev in e.negative if "In 2018 we had no reported incidents" in ev.text]
    assert negative and all(ev.status == "negative" for ev in negative)
    item = result_to_dict(result)
    assert all("status" in ev for e in item["elements"].values() for ev in e["evidence"])
    with Store(db_url) as store:
        store.save(result)
        rows = store.conn.execute("SELECT status, COUNT(*) FROM evidence GROUP BY status").fetchall()
        assert dict(rows).get("negative", 0) >= 1
