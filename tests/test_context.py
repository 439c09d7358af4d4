"""What the sentence classifier sees around a sentence: its section, found the same way in
labelled CSVs (one sentence a line) and in segmented PDFs (heading blocks are sentences too)."""

from __future__ import annotations

from disclosure_check.classify.context import build_contexts, heading_like, section_headings

# Lines as they stand in AIMS.au statement 14055 (Sanofi Australia, 2022), one sentence a line.
SANOFI = [
    "Modern Slavery Statement, June 2023",
    "Our Structure",
    "Sanofi Australia consists of the following Sanofi companies",
    "Sanofi-Aventis Australia Pty Ltd",
    "Sanofi-Aventis Healthcare Pty Ltd",
    "We are a part of the Sanofi Group and our ultimate parent company is Sanofi S.A",
    "Modern Slavery Statement, June 2023",
    "Our supply chains",
    "Sanofi Australia is part of a global supply chain involved in the manufacture of active pharmaceutical ingredients",
    "In 2022, we spent around $200M AUD with over 450 suppliers",
    "Modern Slavery Statement, June 2023",
    "Due diligence processes for slavery",
    "All employees who work for Sanofi Australia have their work rights as well as their work history verified",
]


def test_headings_are_told_from_short_sentences_names_and_page_marks():
    assert all(heading_like(t) for t in ("Our Supply Chains", "RISK ASSESSMENT", "Due diligence",
                                        "Effectiveness of Actions", "Consultation Process"))
    assert not any(heading_like(t) for t in (
        "We are a company", "In 2022, we spent around $200M AUD with over 450 suppliers",
        "Sanofi-Aventis Australia Pty Ltd", "Further Steps and Remediation 10", "Working Hours and",
        "Position: Chief Operating Officer", "Page 3 of 5", "Reports can be made anonymously."))


def test_each_sentence_carries_its_section_and_running_headers_start_none():
    sections = section_headings(SANOFI)
    assert sections[2:6] == ["Our Structure"] * 4
    assert sections[8:10] == ["Our supply chains"] * 2
    # The running header repeats on every page: it never replaces the section it interrupts.
    assert sections[7] == "Our Structure" and sections[12] == "Due diligence processes for slavery"
    assert sections[0] == "" and sections[1] == ""


def test_contexts_carry_the_section():
    contexts = build_contexts(SANOFI)
    assert contexts[9].section == "Our supply chains"
    assert contexts[9].prev.startswith("Sanofi Australia is part")


def test_section_smoothing_pulls_a_sentence_towards_its_sections_mean():
    import numpy as np

    from disclosure_check.classify.inference import smooth_by_section

    sections = [c.section for c in build_contexts(SANOFI)]
    P = np.zeros((len(SANOFI), 2))
    # Under "Our supply chains": two sentences, the running header and the next heading line.
    assert sections[8:12] == ["Our supply chains"] * 4
    P[8, 0], P[9, 0] = 0.9, 0.3
    P[2, 1] = 0.8
    out = smooth_by_section(P, sections, np.array([0.5, 0.0]))
    assert np.allclose(out[8:12, 0], [0.45 + 0.15, 0.15 + 0.15, 0.15, 0.15])  # the section's mean is 0.3
    assert np.allclose(out[:, 1], P[:, 1])  # weight 0: the column is left alone
    assert np.allclose(out[2:6, 0], 0.0)  # another section's scores do not leak in


def test_scoring_applies_the_models_section_smoothing(bundle, rubric):
    """A model carrying smoothing weights scores each sentence with its section's help, the same
    way whether the weights came from training or from the saved inference form."""
    from dataclasses import replace

    import numpy as np

    from disclosure_check.classify.artifact import ModelBundle
    from disclosure_check.classify.inference import SentenceInference
    from disclosure_check.classify.rules import RuleClassifier
    from disclosure_check.pipeline import Scorer
    from disclosure_check.types import Sentence

    form = replace(bundle.model, section_smoothing={"supply_chains": 0.4})
    saved = SentenceInference.from_parts(form.settings(), form.arrays())
    assert saved.section_smoothing == {"supply_chains": 0.4}
    assert "section_smoothing" not in bundle.model.settings()  # the shipped files stay as they were
    sentences = [Sentence(index=i, text=t, page=1, start=0, end=len(t)) for i, t in enumerate(SANOFI)]
    plain = Scorer(rubric, bundle).classify(sentences)
    smoothed = Scorer(rubric, ModelBundle(saved, bundle.thresholds, bundle.meta)).classify(sentences)
    contexts = build_contexts(SANOFI, None, [m.flags for m in RuleClassifier(rubric).match(SANOFI)])
    P = bundle.model.predict_proba(contexts)
    j = bundle.model.labels.index("supply_chains")
    expected = saved.smooth(P, [c.section for c in contexts])[:, j]
    scores = {ev.sentence_index: ev.score for ev in smoothed.model_evidence if ev.element == "supply_chains"}
    assert scores and all(abs(scores[i] - round(expected[i], 4)) < 1e-9 for i in scores)
    others = [(ev.element, ev.sentence_index, ev.score) for ev in plain.model_evidence if ev.element != "supply_chains"]
    assert others == [(ev.element, ev.sentence_index, ev.score) for ev in smoothed.model_evidence
                      if ev.element != "supply_chains"]
    assert not np.allclose(expected, P[:, j])
