"""The methodology is generated from the rubric (bundled and edited copies), advice follows the firm's
sub-sector as rubric data, and the self-assessment report carries the gate's fixes, every gap and links."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from disclosure_check.cli import main
from disclosure_check.errors import RubricError, upload_message
from disclosure_check.present.export import result_to_dict
from disclosure_check.present.methodology import markdown_link, methodology, to_markdown
from disclosure_check.present.report import report_sections, to_html
from disclosure_check.present.report import to_markdown as report_markdown
from disclosure_check.rubric import load_rubric
from disclosure_check.sanitize import escape_markdown as md
from rubric_copies import bundled_data, renumbered_matrix, write_rubric

SURVIVOR_BANKING = re.compile(r"bank accounts?|suspicious activity report", re.I)


def _plain(markdown: str) -> str:
    """Markdown with its escapes removed, to look for the rubric's words."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u200b", "")


def test_the_bundled_methodology_covers_every_part_of_the_rubric(rubric):
    text = _plain(to_markdown(rubric))
    assert f"version {rubric.version}" in text and rubric.key in text
    for level in rubric.scale:
        assert f"| {level.level} | {level.name} | {level.description} |" in text
    for theme in rubric.themes:
        assert f"### {theme.id} {theme.name}" in text
        for level, descriptor in theme.descriptors.items():
            assert descriptor in text, (theme.id, level)
    for criterion in rubric.criteria:
        assert f"#### {criterion.id} {criterion.name}" in text
        assert criterion.recommendation in text
        for level, descriptor in criterion.levels.items():
            assert descriptor in text, (criterion.id, level)
    for check in rubric.gate:
        assert check.recommendation in text
        for jurisdiction in ("uk", "au", "ca"):
            assert check.requirement[jurisdiction] in text, (check.id, jurisdiction)
    for item in rubric.letter.scopes + rubric.letter.recommendations:
        assert f"{item.id} {item.name}" in text
    for flag in rubric.flags:
        assert flag.message in text
    raw = to_markdown(rubric)
    for source in rubric.sources.values():
        if source.url:
            assert f"]({source.url})" in raw, source.title
    # How levels aggregate, with the roles' levels read from the scale.
    assert "at most level 1 Aware" in text and "below level 3 Established" in text
    assert "rounded down (levels 1, 2, 3, 4 give 2)" in text
    # An example sentence as the evidence that counts, beside the level it supports.
    assert "for example: “Over the past year, HSBC has conducted a trial to deliver a survivor bank account" in text
    # Advice by sub-sector is explained where it applies.
    assert "What to do (banks, building societies, payment firms)" in text
    assert "Not listed as a gap for asset managers" in text
    assert [s.anchor for s in methodology(rubric)] == ["scale", "scoring", "statutory", "criteria", "letters", "flags",
                                                      "sources"]


@pytest.mark.slow
def test_the_methodology_follows_an_edited_rubric(tmp_path):
    data = bundled_data("maturity")
    data["version"] = "9.9.9-test"
    data["scale"][3]["name"] = "Systematic"
    c12 = next(c for c in data["criteria"] if c["id"] == "C12")
    c12["name"] = "Spotting exploitation in payments"
    c12["levels"][2] = "Red flags written into the payments playbook."
    data["gate"][1]["requirement"]["uk"] = "s.54(6)(b): signed by a director, as amended"
    data["sources"]["themis_2021"]["url"] = "https://example.org/themis"
    edited = load_rubric(write_rubric(tmp_path / "edited.yaml", data))
    raw = to_markdown(edited)
    text = _plain(raw)
    assert "version 9.9.9-test" in text and "below level 3 Systematic" in text
    assert "#### C12 Spotting exploitation in payments" in text and "Financial-crime detection" not in text
    assert "Red flags written into the payments playbook." in text
    assert "s.54(6)(b): signed by a director, as amended" in text
    assert "](https://example.org/themis)" in raw

    renumbered, criteria, themes = renumbered_matrix(tmp_path)
    text = _plain(to_markdown(load_rubric(renumbered)))
    assert f"#### {criteria['C17']} Survivor financial inclusion" in text
    assert f"### {themes['T4']} Financial levers" in text
    assert not re.search(r"#### C\d\d ", text)


def test_only_plain_http_addresses_become_links():
    assert markdown_link("Act", "https://www.legislation.gov.uk/ukpga/2015/30/section/54") == \
        "[Act](https://www.legislation.gov.uk/ukpga/2015/30/section/54)"
    for url in ("javascript:alert(1)", "https://evil.example/x) [y](https://z", "data:text/html,x", None):
        assert "](" not in markdown_link("Act", url)


def test_rubric_describe_writes_the_same_markdown_and_refuses_other_formats(tmp_path, rubric):
    out = tmp_path / "methodology.md"
    result = CliRunner().invoke(main, ["rubric", "describe", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text() == to_markdown(rubric)
    result = CliRunner().invoke(main, ["rubric", "describe", "--out", str(tmp_path / "methodology.docx")])
    assert result.exit_code == 2 and "[DC600]" in result.output and ".md" in result.output
    assert not (tmp_path / "methodology.docx").exists()


@pytest.fixture(scope="module")
def samples(scored_sample):
    return {name: scored_sample(name) for name in ("lv_2018", "barclays_2019", "visa_2016")}


@pytest.mark.slow
def test_an_insurer_gets_no_survivor_banking_advice_and_a_bank_does(samples):
    insurer, bank = samples["lv_2018"].maturity, samples["barclays_2019"].maturity
    assert insurer.profile.subsector == "insurer" and bank.profile.subsector == "bank"
    levels = {c.id: c.level for c in insurer.criteria}
    assert levels["C17"] == 0 and levels["C12"] == 0  # the levels are the same for every sub-sector
    insurer_gaps = {g.criterion: g for g in insurer.gaps}
    assert not [g.criterion for g in insurer.gaps if SURVIVOR_BANKING.search(g.recommendation)]
    assert "claims" in insurer_gaps["C12"].recommendation  # the insurer's own advice for financial crime
    assert "claims and customer-service staff" in insurer_gaps["C17"].recommendation
    bank_gaps = {g.criterion: g for g in bank.gaps}
    assert "access to bank accounts" in bank_gaps["C17"].recommendation
    assert "FAST Survivor Inclusion Initiative" in bank_gaps["C17"].sources


def test_advice_names_only_known_sub_sectors(tmp_path):
    data = bundled_data("maturity")
    next(c for c in data["criteria"] if c["id"] == "C17")["advice_for"] = ["bank", "insurers"]
    with pytest.raises(RubricError, match="criterion 'C17' names unknown sub-sector 'insurers'"):
        load_rubric(write_rubric(tmp_path / "typo.yaml", data))


@pytest.mark.slow
def test_the_report_puts_the_gate_first_with_the_missing_signature_fix(samples, rubric):
    result = samples["visa_2016"]
    gate = {g.id: g for g in result.maturity.gate}
    assert gate["director_signature"].state == "not_found"
    item = result_to_dict(result)
    item["document"] = "visa_2016.pdf"
    sections = report_sections(item, rubric)
    assert sections[1].title == "Statutory requirements"
    assert sections[0].items[0].startswith("Automated assessment: decision support")  # the notice leads
    verdict = next(i for i in sections[0].items if i.startswith("Statutory requirements:"))
    assert verdict.startswith("Statutory requirements: NEEDS REVIEW")
    assert sections[0].items.index(verdict) < next(n for n, i in enumerate(sections[0].items) if i.startswith("Document type"))
    signature = next(row for row in sections[1].rows if "Signed by a director" in row[0])
    assert "Have a director sign the statement, with name, title and date." in signature[-1]
    text = report_markdown(sections)
    gaps = next(s for s in sections if s.title.startswith("Gaps and recommendations"))
    assert gaps.title == f"Gaps and recommendations ({len(result.maturity.gaps)})"
    assert len(gaps.items) == len(result.maturity.gaps) > 8  # every gap, not the first eight
    for gap in result.maturity.gaps:
        assert md(rubric.label(gap.criterion)) in text
    assert "](https://www.fastinitiative.org/implementation/survivor-inclusion/)" in text  # a payment firm: C17 advice
    assert '<a href="https://www.antislaverycommissioner.co.uk/' in to_html(sections)


def test_upload_failures_are_told_in_plain_words():
    message = upload_message("DC102")
    assert message == "This PDF is password-protected. Save a copy without a password and upload that."
    for code in [f"DC10{n}" for n in range(10)] + ["DC999"]:
        assert "--" not in upload_message(code) and "[DC" not in upload_message(code)
