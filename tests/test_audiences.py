"""Training audiences (WikiRate metric): the shipped model, its CV record, and real statements."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from disclosure_check.classify.audience_rules import LABELS, rule_audiences, training_passages
from disclosure_check.train.audiences import audience_metrics, load_wikirate

WIKIRATE = ROOT / "corpus/wikirate/msa_training_labels_with_text.csv"


@pytest.mark.slow
def test_wikirate_labels_load_with_company_groups():
    documents, Y, groups = load_wikirate(WIKIRATE)
    assert len(documents) == Y.shape[0] == 145 and Y.shape[1] == len(LABELS)
    assert (Y.sum(axis=1) >= 1).all()
    assert len(set(groups)) == 132  # several companies have more than one year


def test_shipped_audience_model_records_grouped_cv():
    meta = json.loads((ROOT / "models/default/audiences/meta.json").read_text())
    cv = meta["cv"]
    assert cv["evaluation"] == "company-grouped 5-fold cross-validation"
    assert set(cv["labels"]) == set(LABELS)
    assert cv["exact_match_accuracy"] > cv["baseline_always_none"]


def test_rules_follow_the_metric_definitions_on_real_text():
    # Lloyds Banking Group 2018 (corpus/uk_texts row 418): training for sourcing colleagues, on slavery.
    passages = training_passages([
        "Training and guidance for specialist Group Sourcing and Supplier Manager colleagues on the requirements "
        "of the UK Modern Slavery Act and the risks of slavery and human trafficking.",
    ])
    assert passages and "procurement" in rule_audiences(passages)
    assert rule_audiences([]) == ("none",)
    # Training that is not about modern slavery does not count (same statement: whistleblowing training).
    assert training_passages([
        "All employees are required to review the Code of Responsibility and complete Speak Up (whistleblowing) "
        "training every year as part of the mandatory training curriculum."]) == []


@pytest.mark.slow
def test_real_statements_get_audiences_with_evidence(scored_sample):
    result = scored_sample("lloyds_banking_group_2018")
    audiences = result.training_audiences
    assert "all_employees" in audiences.labels
    assert audiences.model_version.startswith("audiences.v1+")
    assert any(label == "all_employees" and page >= 1 and "colleagues" in text
               for label, page, text in audiences.evidence)
    c18 = next(c for c in result.maturity.criteria if c.id == "C18")
    assert c18.level >= 2


def test_metrics_count_exact_matches():
    import numpy as np

    Y = np.zeros((2, len(LABELS)), dtype=int)
    Y[0, LABELS.index("none")] = 1
    Y[1, LABELS.index("procurement")] = 1
    m = audience_metrics(Y, [("none",), ("none",)])
    assert m["exact_match_accuracy"] == 0.5 and m["labels"]["none"]["precision"] == 0.5
