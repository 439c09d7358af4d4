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
