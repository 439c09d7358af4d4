"""Identity (organisation, entities, company number, year end, year) and sector from statement text."""

from __future__ import annotations

import csv
import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from disclosure_check.assess.identity import (
    document_identity,
    find_company_number,
    find_year_end,
    identity_from,
    organisation_key,
    same_organisation,
    text_to_identity,
    with_fallback,
)
from disclosure_check.present.export import flat_columns, flat_row, result_to_dict, write_results
from disclosure_check.store.store import Store
from disclosure_check.train.documents import text_to_document
from disclosure_check.types import Assessment, Identity, Metadata, Profile


@functools.lru_cache(maxsize=1)
def _scorer():
    from disclosure_check.classify.modelset import load_model_set
    from disclosure_check.pipeline import Scorer
    from disclosure_check.rubric import load_rubric

    return Scorer(load_rubric(None), load_model_set(None))


def profile_of(text: str) -> Profile:
    """The profile scoring gives a text (document kind, the shipped sector model, the laws named)."""
    return _scorer().profile(text_to_document(text))


def named_or_suggested(found: Identity) -> str | None:
    """The name given, or the best candidate offered as a suggestion when the ranker is not sure."""
    assert not (found.organisation and found.suggestion), "a suggestion is only for an unnamed organisation"
    return found.organisation or found.suggestion

APPAREL = """Maison Lumière Group S.p.A.
Modern Slavery Statement 2022

This statement is made pursuant to section 54 of the Modern Slavery Act 2015 by Maison Lumière Group S.p.A.
("Maison Lumière" or "the Group") and covers its UK subsidiary Maison Lumière UK Limited for the
financial year ended 31 December 2022.

Our business
Maison Lumière designs, manufactures and sells luxury apparel, outerwear, footwear and accessories through
240 directly operated stores, e-commerce and selected wholesale partners. Our garments are produced by
specialised suppliers in Italy, Romania and Vietnam. We hold insurance against business interruption and
product liability claims, and our pension funds are managed by third parties. Customer claims are handled by
our stores. Insurance cover is reviewed each year by the Board.

Approved by the Board of Directors of Maison Lumière Group S.p.A. on 20 April 2023.
Marco Bianchi
Chief Executive Officer
"""

BANK = """Slavery and Human Trafficking Statement 2019
Northgate Bank plc

This statement is made on behalf of Northgate Bank plc (company number 02366995) and its subsidiaries
Northgate Mortgages Limited and Northgate Card Services Limited, for the financial year ending
31 December 2019.

Northgate Bank plc is a retail and commercial bank providing banking services, deposits and loans to
1.2 million customers. The Bank is authorised by the Prudential Regulation Authority.

Signed for and on behalf of the Board of Northgate Bank plc
Jane Smith, Chief Executive
"""

INSURER = """ALDERSHOT MUTUAL INSURANCE COMPANY LIMITED
MODERN SLAVERY ACT STATEMENT

This statement is made by Aldershot Mutual Insurance Company Limited ("AMI") in respect of the year ending
31.03.2021. AMI is a mutual insurer underwriting property and liability risks for its policyholders, with
claims handled by our own team. We also reinsure part of our book with Lloyd's syndicates.
Registered in Scotland, company number SC123456.
"""


def test_luxury_apparel_group_is_named_dated_and_not_an_insurer():
    found = text_to_identity(APPAREL)
    assert same_organisation(found.organisation, "Maison Lumière Group")
    assert found.year == 2022 and found.financial_year_end == "2022-12-31"
    assert "Maison Lumière UK Limited" in found.entities
    profile = profile_of(APPAREL)
    assert not profile.financial and profile.subsector is None
    assert profile.industry == "retail_consumer" and "retail" in profile.reason("sector")


def test_bank_statement():
    found = text_to_identity(BANK)
    assert found.organisation == "Northgate Bank plc"
    assert found.company_number == "02366995"
    assert found.financial_year_end == "2019-12-31" and found.year == 2019
    assert {"Northgate Mortgages Limited", "Northgate Card Services Limited"} <= set(found.entities)
    assert dict(found.sources)["organisation"] == "text"
    profile = profile_of(BANK)
    assert profile.financial and profile.subsector == "bank" and profile.industry == "financial"


def test_insurer_in_capitals_with_a_scottish_company_number():
    found = text_to_identity(INSURER)
    assert found.organisation == "Aldershot Mutual Insurance Company Limited"
    assert found.company_number == "SC123456"
    assert found.financial_year_end == "2021-03-31" and found.year == 2021
    assert profile_of(INSURER).subsector == "insurer"


@pytest.mark.parametrize(("text", "number"), [
    ("Registered in England and Wales. Company number: 01234567.", "01234567"),
    ("Acme Limited, registered number 2366995, whose registered office is", "02366995"),
    ("Companies House registration no. OC301234 (a limited liability partnership)", "OC301234"),
    ("Our telephone number is 0121 328 4336.", None),
])
def test_company_numbers(text, number):
    assert find_company_number(text) == number


@pytest.mark.parametrize(("text", "iso"), [
    ("for the financial year ended 31 December 2019.", "2019-12-31"),
    ("for the financial year ending 31st March 2018, and", "2018-03-31"),
    ("with respect to the fiscal year ending December 31, 2015.", "2015-12-31"),
    ("for the year ending 31.03.2021 the Group", "2021-03-31"),
    ("during the financial year ending June 2020 we", "2020-06-30"),
    ("The Modern Slavery Act 2015 came into force in 2015.", None),
])
def test_year_end_formats(text, iso):
    assert find_year_end(text) == iso


@pytest.mark.parametrize(("text", "year"), [
    ("Modern Slavery Statement FY2020\nThis statement sets out what Acme plc did.", 2020),
    ("Acme plc Modern Slavery Statement 2016/17\nWe are a retailer.", 2017),
    ("Slavery and Human Trafficking Statement 2018\nAbout us: Acme Limited makes bricks.", 2018),
])
def test_statement_year_without_a_year_end(text, year):
    assert text_to_identity(text).year == year


def test_the_jsmith_author_is_never_the_organisation():
    meta = Metadata(author="jsmith", title="Microsoft Word - MSA statement v3.docx")
    found = with_fallback(Identity(), "uploads/acme_retail_modern_slavery_statement_2021.pdf", meta)
    # the file name only suggests a name (never the organisation) and never sets the year
    assert found.organisation is None and found.year is None
    assert found.suggestion == "Acme Retail" and found.source("suggestion") == "file name"
    assert identity_from("uploads/acme_retail_modern_slavery_statement_2021.pdf", "jsmith", None) == ("Acme Retail", 2021)
    # a person writing the file is not the organisation either; a legal name is (as a suggestion)
    assert with_fallback(Identity(), "x.pdf", Metadata(author="Jane Smith")).source("suggestion") == "file name"
    legal = with_fallback(Identity(), "x.pdf", Metadata(author="Acme Holdings Limited"))
    assert legal.suggestion == "Acme Holdings Limited" and legal.source("suggestion") == "metadata"


def test_text_beats_metadata_and_fallback_is_marked():
    found = with_fallback(text_to_identity(BANK), "scan_0001.pdf", Metadata(author="jsmith", title="Annual 2017"))
    assert found.organisation == "Northgate Bank plc" and found.year == 2019 and found.suggestion is None
    assert found.source("organisation") == "text" and found.source("year") == "text"
    assert "Northgate Bank plc" in found.quote("organisation").text
    no_year = with_fallback(text_to_identity("Acme Widgets plc makes widgets. Acme Widgets plc sells them to "
                                             "Acme Widgets plc customers. Acme Widgets plc and its staff."),
                            "statements/acme_2020.pdf", Metadata(title="Acme Widgets plc - Modern Slavery Statement 2020"))
    assert named_or_suggested(no_year) == "Acme Widgets plc"
    assert no_year.year is None  # the title's year is metadata, not what the statement says


def test_names_compare_without_legal_forms():
    assert same_organisation("Barclays", "Barclays PLC")
    assert same_organisation("Lush", "Lush Retail Ltd")
    assert same_organisation("R.M.Curtis & Co.,Limited", "RM Curtis & Co. Limited")
    assert not same_organisation("Toppan Printing", "Toppan Photomasks, Inc.")
    assert organisation_key("THE CO-OPERATIVE BANK PLC") == organisation_key("Co-operative Bank plc")


def _assessment(identity: Identity | None) -> Assessment:
    return Assessment(doc_id="d1", path="in/jsmith_upload.pdf", pages=2, rubric_version="r", model_version="m",
                      elements=(), metadata=Metadata(author="jsmith"), identity=identity)


def test_export_json_csv_and_parquet_carry_identity(tmp_path):
    identity = with_fallback(text_to_identity(BANK), "in/jsmith_upload.pdf", Metadata(author="jsmith"))
    item = result_to_dict(_assessment(identity))
    assert set(item["identity"]) == {"organisation", "entities", "company_number", "financial_year_end", "year"}
    assert item["identity"]["organisation"] == "Northgate Bank plc"
    assert item["identity_sources"]["organisation"] == "text"
    row = flat_row(item)
    assert row["identity_organisation"] == "Northgate Bank plc" and row["identity_year"] == 2019
    assert row["identity_company_number"] == "02366995" and row["identity_organisation_source"] == "text"
    assert "Northgate Mortgages Limited" in row["identity_entities"].split(";")
    assert {"identity_organisation", "identity_year", "identity_financial_year_end"} <= set(flat_columns())
    write_results([item], tmp_path / "out.csv")
    with (tmp_path / "out.csv").open(encoding="utf-8") as handle:
        [written] = list(csv.DictReader(handle))
    assert written["identity_financial_year_end"] == "2019-12-31"
    pq = pytest.importorskip("pyarrow.parquet")
    write_results([item], tmp_path / "out.parquet")
    table = pq.read_table(tmp_path / "out.parquet").to_pylist()[0]
    assert table["identity_year"] == 2019 and table["identity_organisation"] == "Northgate Bank plc"


def test_store_uses_the_identity_and_old_results_still_load(tmp_path):
    identity = with_fallback(text_to_identity(BANK), "in/jsmith_upload.pdf", Metadata(author="jsmith"))
    assert document_identity(_assessment(identity)) == ("Northgate Bank plc", 2019, "text", None)
    # an old result without identity: unknown, the file name (not the Author) only a suggestion
    assert document_identity(_assessment(None)) == (None, None, None, "Jsmith Upload")
    with Store(tmp_path / "r.db") as store:
        store.save(_assessment(identity))
        [item] = store.reviewed_results()
        assert item["organisation"] == "Northgate Bank plc" and item["year"] == 2019
        # a result stored before identity existed has no identity key and still loads
        old = result_to_dict(_assessment(None))
        assert "identity" not in old
        store.conn.execute("UPDATE results SET result_json=?", (json.dumps(old),))
        [item] = store.reviewed_results()
        assert item["organisation"] == "Northgate Bank plc" and flat_row(item)["identity_organisation"] is None


@pytest.mark.parametrize(("text", "organisation"), [
    # a name wrapped at a line end by PDF extraction, with "&" in it
    ("Our values\nWe are a global consumer products group. Church &\nDwight Co., Inc., is the parent company of a number "
     "of companies. Church & Dwight sells household products.\nThis statement is made pursuant to section 54.",
     "Church & Dwight Co., Inc."),
    ("Introduction\nThis statement for the financial year ending 31 December 2017 is made by American Express Services\n"
     "Europe Limited, American Express Payment Services Limited and other UK entities.", "American Express Services Europe Limited"),
    # councils and universities have no company form
    ("Modern Slavery Statement 2020\nTamworth Borough Council is committed to preventing modern slavery. As an employer "
     "and a buyer of services, Tamworth Borough Council reviews its contracts.", "Tamworth Borough Council"),
    ("Anti-Slavery Statement\nModern slavery is a crime. Keele University is committed to improving our practices to "
     "combat slavery. Keele University buys laboratory equipment and catering.", "Keele University"),
])
def test_whole_names_with_ampersands_line_breaks_councils_and_universities(text, organisation):
    # Named when the ranker is sure; a two-line snippet may leave it a suggestion, but never another name.
    assert named_or_suggested(text_to_identity(text)) == organisation


def test_title_only_name():
    text = ("Cisco Statement on the Prevention of Slavery and Human Trafficking\nAt Cisco, labor and human rights are a top "
            "priority. The International Labour Organization (ILO) estimates that 25 million people are in forced labour.")
    assert named_or_suggested(text_to_identity(text)) == "Cisco"


def test_signature_block_name_and_the_company_definition():
    text = ("MODERN SLAVERY STATEMENT\nKuwait Petroleum International Aviation Co. Ltd. (the Company) is committed to ensuring "
            "that there are no acts of modern slavery in its business.\nThe Company markets jet fuel at airports.\n"
            "Fadel al Faraj Managing Director")
    assert named_or_suggested(text_to_identity(text)) == "Kuwait Petroleum International Aviation Co. Limited"
    signed = ("Slavery and human trafficking statement\nWe do not tolerate modern slavery in our supply chain. Our buyers are "
              "trained each year and our suppliers sign our code.\nSigned for and on behalf of Havwoods Global Holdings Limited\n"
              "Edward Eagle, Operations Director")
    assert named_or_suggested(text_to_identity(signed)) == "Havwoods Global Holdings Limited"


def test_acronym_defined_in_the_text_resolves_to_the_full_name():
    text = ("Slavery and Human Trafficking Statement\nThis statement sets out the steps that Paragon Banking Group PLC (‘PBG’) "
            "has taken. PBG is committed to treating people fairly. PBG lends to landlords. PBG trains its staff.")
    assert same_organisation(named_or_suggested(text_to_identity(text)), "Paragon Banking Group PLC")


def test_we_and_a_lowercase_topic_word_do_not_become_the_name():
    text = ("U.K. Modern Slavery Act Statement\nWe, Aetna Insurance Company Limited and Aetna Global Benefits (UK) Limited, "
            "support human rights. Our insurance products cover health insurance and travel insurance; insurance claims "
            "are handled in-house and insurance brokers are vetted.\nThis statement was approved by the boards.\n"
            "Damian Lenihan CEO, Aetna Insurance Company Limited and Aetna Global Benefits (UK) Limited 26 June 2019")
    assert named_or_suggested(text_to_identity(text)) == "Aetna Insurance Company Limited"


@pytest.mark.parametrize(("text", "year"), [
    ("Modern Slavery Act 2015 Statement\nMODERN SLAVERY STATEMENT 2016\nThis statement is made for the financial year "
     "ending 2016 and details the steps taken.", 2016),
    ("Barentz B.V.\nModern Slavery statement for financial year 2017/18\nThis statement sets out our steps.", 2018),
    ("Statement under the Modern Slavery Act [2015]\nThis is our statement for the financial year 2019/20.", 2020),
])
def test_act_year_is_not_the_statement_year_and_split_years_end(text, year):
    assert text_to_identity(text).year == year


# The statement year is the calendar year its covered period ends in, with the sentence it was read from:
# a stated end date (or a range of dates) outranks a named year or a title's, the main clause its
# bracketed subsidiary's, and another statement's year never counts (test5 texts, issues 20 and 21).
@pytest.mark.parametrize(("text", "year", "quoted"), [
    # a day past its month's end; the plans below name 2017 more often, and the signing date is 29/03/17
    ("Modern Slavery Act 2015 Statement\nThis statement relates to actions and activities during the financial year "
     "1st October 2015 to 31st September 2016.\nWe will map our full supply chain in early 2017 and train our "
     "buyers by the end of 2017, with all audits done during 2017.\nDate:\n29/03/17", 2016, "1st October 2015"),
    # the main period, not the subsidiary's in brackets; "In 2017" is named earlier in the text
    # (a long sentence: the quote is taken from shortly before the date, so it shows it)
    ("In 2017, Dell had audited 91% of high-risk suppliers. This statement is made pursuant to the requirements of "
     "the California Transparency in Supply Chains Act (SB-657) and section 54(1) of the UK Modern Slavery Act 2015, "
     "and constitutes Dell's slavery and human trafficking statement for the financial year ending 2nd of February, "
     "2018 (and for the financial year ending "
     "31st December 2017 in respect of Dell Bank International Designated Activity Company.", 2018, "2nd of February"),
    # an earlier statement's title in running text is not this statement's year
    ("MODERN SLAVERY & HUMAN TRAFFICKING STATEMENT\nAPRIL 2018\nThis statement covers Unilever PLC. It covers the "
     "period of 12 months ending on 31 December 2017.\nFurther details can be found in our annual report and our "
     "inaugural Modern Slavery and Human Trafficking Statement 2016.", 2017, "12 months ending on 31 December 2017"),
    # a stated end date outranks the named year and the title's "FY2016"
    ("Inditex Group Modern Slavery and Human Trafficking Statement FY2016\nThis Statement constitutes the Inditex "
     "Group Modern Slavery and Human Trafficking Statement for the financial year 2016, ended on 31st January 2017, "
     "(\u201cFY2016\u201d) and refers to Industria de Diseño Textil, S.A.", 2017, "ended on 31st January 2017"),
    # a dotted range of dates after the fiscal year's name
    ("Transparency Statement of Konica Minolta Business Solutions Europe GmbH\nReferring to: Fiscal Year 2015 "
     "(01.04.2015 - 31.03.2016)\nPursuant to the UK Modern Slavery Act 2015.", 2016, "01.04.2015 - 31.03.2016"),
    # a range of months on the line under the title
    ("Modern Slavery and Ethical Trading Statement\nSeptember 2016 \u2013 August 2017\nOrganisational Structure\n"
     "Fresca Group Ltd is a privately-owned company. In 2016 we reviewed our suppliers.", 2017, "August 2017"),
    # "commencing ... and ending ..." outranks a web page's breadcrumb title
    ("Home > Modern Slavery and Human Trafficking Statement 2017/2018\nIntroduction This statement constitutes "
     "Minor, Weir & Willis (MWW) slavery and human trafficking statement for the year commencing 1 January 2017 and "
     "ending 31 December 2017. The Act makes provisions about slavery.", 2017, "ending 31 December 2017"),
    # a range whose first date takes the last one's year
    ("This statement relates to actions and activities for the financial year 1st January - 31st\nDecember 2018.",
     2018, "1st January"),
    # a year named before its kind, and a split year of two digits
    ("SIGNED BY BOARD This annual statement of the full year 2017 was approved by the Board.", 2017, "full year 2017"),
    ("Lenovo confirms we have taken steps during Fiscal Year 16/17 to identify the risk of slavery.", 2017,
     "Fiscal Year 16/17"),
    ("This UK Modern Slavery Act Transparency Statement is made in accordance with section 54(1) of the Act by end "
     "of business year September 2016 and has been duly approved by the Board.", 2016, "business year September 2016"),
    # the title's two-digit split year, not the year of the board's approval
    ("SHIVA HOTELS GROUP LLP\nMODERN SLAVERY STATEMENT 18/19\nShiva Hotels operates a zero tolerance approach. The "
     "Shiva Hotels Modern Slavery Statement was approved by the Shiva Hotels Board of Directors on 8 March 2018.", 2019,
     "STATEMENT 18/19"),
])
def test_the_year_is_the_period_end_with_its_sentence(text, year, quoted):
    found = text_to_identity(text)
    assert found.year == year
    assert quoted in dict(found.evidence)["year"].text


@pytest.mark.parametrize("plans", [
    "Our priorities for the period 1 April 2019 to 31 March 2020 are set out below. During the period 1 April 2019 "
    "to 31 March 2020, we will roll out training to all buyers.",
    "Looking ahead, in the period 1 April 2019 to 31 March 2020 we will extend audits to tier 2. In the period "
    "1 April 2019 to 31 March 2020 we plan to train all buyers.",
])
def test_a_range_of_dates_for_plans_does_not_outvote_the_year_covered(plans):
    # two mentions of next year's plans, each a year-long range, outnumbered the one stated year end
    text = ("Modern Slavery Statement\nThis statement covers the financial year ended 31 March 2019.\n" + plans)
    found = text_to_identity(text)
    assert found.year == 2019 and "31 March 2019" in dict(found.evidence)["year"].text


@pytest.mark.parametrize("earlier", [
    "Since our Modern Slavery Statement 2017 was published, we have trained all our buyers.",
    "This statement builds on our Modern Slavery Statement 2017 and reports our progress.",
    "Following our Slavery and Human Trafficking Statement 2017, we extended audits to tier 2.",
])
def test_an_earlier_statement_named_by_what_this_one_does_since_gives_no_year(earlier):
    # a 2018 statement that states no period: the earlier statement's title is not its year
    text = ("Modern Slavery Statement\nThis statement sets out the steps taken during the year. " + earlier +
            " During 2018 we audited 40 suppliers. In 2018 we joined Sedex.")
    assert text_to_identity(text).year != 2017


def test_this_statement_named_after_following_keeps_its_year():
    text = ("Following approval of this Modern Slavery Statement 2019 by the Board, it was published on our website."
            "\nWe are a retailer.")
    assert text_to_identity(text).year == 2019


def test_a_text_without_sentence_breaks_is_read_in_linear_time():
    # a PDF's table text or a page whose full stops were lost: 120,000 characters, one "sentence", naming
    # other statements' years throughout; each mention re-read the sentence from its start (9 s of CPU)
    import time
    text = "our previous statement 2016 and this statement 2017 " * 2300
    started = time.process_time()
    text_to_identity(text)
    assert time.process_time() - started < 3


@pytest.mark.parametrize("plans", [
    "Over the next 12 months to 31 March 2021 we will train our buyers. Our targets for the next 12 months to "
    "31 March 2021 are set out below.",
    "In the year ending 31 March 2021 we will train our buyers. In the year ending 31 March 2021, we will audit "
    "our second-tier suppliers.",
])
def test_a_year_end_for_plans_does_not_outvote_the_year_covered(plans):
    text = "Modern Slavery Statement\nThis statement is for the financial year ended 31 March 2020. " + plans
    found = text_to_identity(text)
    assert found.year == 2020 and "31 March 2020" in dict(found.evidence)["year"].text


def test_a_period_sentence_that_goes_on_to_plans_keeps_its_year_end():
    text = ("Modern Slavery Statement\nThis statement covers the financial year ended 31 March 2020 and sets out the "
            "steps we will take next. In the period 1 April 2019 to 31 March 2020 we trained 200 buyers.")
    assert text_to_identity(text).financial_year_end == "2020-03-31"


@pytest.mark.parametrize("validity", [
    "Our SA8000 certificate covers the period 1 June 2018 to 31 May 2019.",
    "The framework agreement with our cleaning contractor runs for the period 1 October 2018 to 30 September 2019.",
    "Our Living Wage accreditation is valid for the period 1 August 2018 - 31 July 2019.",
])
def test_a_certificates_or_contracts_validity_is_not_the_period_covered(validity):
    text = ("Modern Slavery Statement 2018\nThis statement sets out the steps we have taken. " + validity +
            " We continue to work with our suppliers.")
    assert text_to_identity(text).year == 2018


def test_this_statements_period_beside_its_contracts_is_the_period():
    text = ("Modern Slavery Statement\nThis statement, which applies to all our contracts, covers the period 1 April "
            "2018 to 31 March 2019.")
    assert text_to_identity(text).year == 2019


def test_a_long_sentences_year_quote_shows_the_date_it_was_read_from():
    text = ("This statement is made pursuant to the requirements of the California Transparency in Supply Chains Act "
            "(SB-657), the Australian Modern Slavery Act 2018 (Cth) and section 54(1) of the UK Modern Slavery Act 2015, "
            "and constitutes the slavery and human trafficking statement of Dell Technologies and of each of its "
            "reporting subsidiaries named in the appendix for the financial year ending 2nd of February, 2018.")
    found = text_to_identity(text)
    assert found.year == 2018 and "2nd of February, 2018" in dict(found.evidence)["year"].text


def test_a_french_reports_financial_year_quotes_the_last_resorts_year():
    text = ("Rapport annuel 2020\nComgest Renaissance Europe\nLe mandat est à échéance à l’issue de l’Assemblée Générale "
            "Ordinaire appelée à statuer sur les comptes de l’exercice clos le 31 décembre 2020, pour une durée de quatre "
            "années. Performance 2020: +12%. Encours au 31/12/2020.")
    found = text_to_identity(text)
    assert found.year == 2020 and "2020" in dict(found.evidence)["year"].text


@pytest.mark.parametrize("text", [
    # a year only mentioned (plans, events, a web archive's capture dates): no sentence says it is the period
    "Modern Slavery Act 2015\nWe will map our supply chain in early 2017. Audits continue into 2017. By 2017 all "
    "staff will be trained.\nSince 2016 we have used Sedex.",
    "7 captures\n20 Mar 2016 - 23 Aug 2017\nBeeswift Limited acknowledge the provisions of the Modern Slavery Act "
    "2015 and will ensure that all its suppliers are transparent.",
    "Modern Slavery Statement\nThis statement was approved by the Board of Directors on 12 June 2018 and signed on "
    "its behalf in June 2018.\nJane Smith, Director",
])
def test_no_year_without_the_sentence_it_came_from(text):
    found = text_to_identity(text)
    assert found.year is None and "year" not in dict(found.evidence)


def test_word_lists_are_data_and_validated():
    from disclosure_check.assess.identity import identity_words
    words = identity_words()
    assert "exploitation" in words["not_names"] and "statement" in words["leading_noise"]
    assert all(w == w.lower() and " " not in w for ws in words.values() for w in ws)


@pytest.mark.parametrize(("text", "organisation"), [
    # a year inside a legal name, and a registration number between the name and its short form
    ("Modern Slavery Statement\nYear ended 31 December 2022 Overview This statement is made pursuant to Part 2 of the "
     "Modern Slavery Act 2018 (Cth)\nIt sets out the approach taken by WEX Australia Newco 2020 Pty Ltd (ACN 638 259 819) "
     "(WEX Australia Newco) and the entities that it owns or control including Optal Limited (ARBN 129 821 290).\n"
     "WEX Australia Newco and its subsidiaries are part of the WEX group.\nWEX Australia Newco and its subsidiaries have "
     "around 200 employees.", "WEX Australia Newco 2020 Pty Ltd"),
    # initials in capitals are part of the name, not a heading run into it
    ("EJ & WA Booth Pty Limited & Associated Entities Modern Slavery Statement\nIntroduction\nEJ & WA Booth Pty Ltd is a "
     "parent entity\nThe group of entities controlled by EJ & WA Booth Pty Ltd comprises the following entities.\nThis "
     "statement was approved by the Board of Directors of EJ & WA Booth Pty Ltd on 16th November 2022",
     "EJ & WA Booth Pty Limited"),
    # a brand that only ever says what it is committed to
    ("STATEMENT AGAINST SLAVERY & HUMAN TRAFFICKING\nEMC is committed to social and environmental responsibility and has "
     "zero tolerance for slavery and human trafficking. As part of this commitment, we have adopted the EICC Code of "
     "Conduct as the EMC Supplier Code of Conduct.\nEMC audits its suppliers. EMC trains its buyers.", "EMC"),
])
def test_names_stated_as_registration_numbers_initials_and_commitments(text, organisation):
    assert same_organisation(named_or_suggested(text_to_identity(text)), organisation)


def test_a_possessive_heading_a_copyright_tail_and_words_after_a_legal_form_are_not_the_name():
    from disclosure_check.assess.identity import _clean

    assert _clean("Aston Lark’s Structure") == "Aston Lark"
    assert _clean("McDonald’s Restaurants Limited") == "McDonald’s Restaurants Limited"  # a legal name keeps it
    assert _clean("General Mills Inc. All Rights Reserved") == "General Mills Inc"
    assert _clean("Intel Corporation A Anti") == "Intel Corporation"
    assert _clean("CHINA CONSTRUCTION BANK CORPORATION LONDON BRANCH").startswith("CHINA CONSTRUCTION BANK")


def test_names_compare_across_accents_possessives_and_spacing():
    assert same_organisation("BayernLB", "Bayern LB")
    assert same_organisation("Nestlé UK Ltd", "Nestle UK")
    assert same_organisation("Sainsbury’s", "Sainsbury plc")
    assert not same_organisation("Lancashire County Council", "Lancashire Teaching Hospitals NHS Foundation Trust")


def test_a_term_and_its_acronym_are_not_the_maker_defining_itself():
    # an emissions paper and an Italian fund report define terms, not who wrote them
    text = ("Financed emissions targets\nWe use the IEA Announced Pledges Scenario (APS) and the Net Zero Emissions "
            "Scenario (NZE) as references. The Announced Pledges Scenario assumes governments meet their pledges.\n"
            "Our portfolio alignment uses the Announced Pledges Scenario for power and steel.")
    assert text_to_identity(text).organisation != "Announced Pledges Scenario"
    fondo = ("Relazione di gestione del fondo\nIl fondo promuove caratteristiche ambientali ai sensi del Regolamento (UE) "
             "2019/2088. Regolamento (UE) 2019/2088 art. 8. Il Consiglio ha modificato il Regolamento Unico dei fondi.")
    assert text_to_identity(fondo).organisation != "Regolamento"


def test_the_ranker_trains_on_the_named_splits_and_never_on_a_blind_one(monkeypatch, tmp_path):
    """A blind split added to documents.csv later (a synthetic ``test6`` here) must not reach training or the
    threshold's CV, and naming it is refused; ``test3`` and ``test4``, measured and read in rounds 3 and 4, are
    training data."""
    from disclosure_check.errors import DataError
    from disclosure_check.train import documents
    from disclosure_check.train.documents import labels_of_splits, read_labels
    from disclosure_check.train.identity import TRAINING_SPLITS, training_labels

    monkeypatch.setattr(documents, "BLIND_SPLITS", frozenset({"test6"}))
    source = Path("corpus/labels/documents.csv").read_text(encoding="utf-8").splitlines()
    header, dev_row = source[0], next(line for line in source[1:] if ",dev," in line)
    blind = dev_row.replace(",dev,", ",test6,", 1)
    read = dev_row.replace(",dev,", ",test4,", 1)
    other = dev_row.replace(",dev,", ",test,", 1).replace(",statement,", ",other,", 1)
    (tmp_path / "corpus" / "labels").mkdir(parents=True)
    (tmp_path / "corpus" / "labels" / "documents.csv").write_text("\n".join([header, dev_row, blind, read, other]) + "\n",
                                                                  encoding="utf-8")
    labels = read_labels(root=tmp_path)
    assert [label.split for label in labels] == ["dev", "test6", "test4", "test"]
    chosen = training_labels(labels)
    assert [label.split for label in chosen] == ["dev", "test4"]  # not the blind row, not an "other" document
    assert set(TRAINING_SPLITS) == {"dev", "test", "test3", "test4", "test5"}
    with pytest.raises(DataError, match="test6 is held out"):
        labels_of_splits(labels, ("dev", "test6"))


@pytest.mark.parametrize(("text", "organisation"), [
    # a short name defined together with "we", without quotes (a Canadian report)
    ("SCHEDULE A\nFIGHTING AGAINST FORCED LABOUR AND CHILD LABOUR IN SUPPLY CHAINS FISCAL YEAR 2023 REPORT Introduction "
     "This report is made in accordance with the Fighting Against Forced Labour and Child Labour in Supply Chain Act for "
     "LeafFilter North of Canada, Inc (LeafFilter, we or us)\nLeafFilter is a home improvement company.\nLeafFilter is "
     "part of a broader group of companies, known as the Leaf Home group of companies (Leaf Home)\nAs LeafFilter is part "
     "of Leaf Home, all of Leaf Homes procedures and policies apply to LeafFilter. In 2023, Leaf Home conducted an "
     "internal assessment. Leaf Home trains its buyers.", "LeafFilter North of Canada, Inc"),
    # "It constitutes X's statement", with the parent defined in the next paragraph
    ("Modern slavery statement\nThis statement is made pursuant to section 54 of the Modern Slavery Act 2015. It "
     "constitutes Jelf Insurance Brokers Ltd t/a Marsh Commercial, its subsidiaries and associate companies slavery and "
     "human trafficking statement in respect of the financial year ending 31 December 2018.\nGroup Structure\nThe "
     "Company is part of the Marsh & McLennan Companies, Inc. (“MMC”) group which is a global professional services "
     "firm. The Company uses a central procurement process operated by MMC.\nJ V Barker Chairman Jelf Insurance Brokers "
     "Ltd t/a Marsh Commercial", "Jelf Insurance Brokers Ltd"),
])
def test_the_maker_is_not_the_parent_its_statement_names(text, organisation):
    found = text_to_identity(text)
    assert same_organisation(named_or_suggested(found), organisation)
    assert found.organisation is None or same_organisation(found.organisation, organisation)


def test_a_postcode_and_a_bodys_short_form_are_not_the_maker():
    from disclosure_check.assess.identity import _is_name, organisation_candidates

    assert not _is_name("London EC1N 2HT")
    text = ("Modern Slavery Statement\nWe commit to work with our Contract Growers to ensure compliance with the British "
            "Poultry Council (BPC) Poultry Supply Chain Ethical Compliance Code. The BPC code covers farms.\n"
            "For and on behalf of P D Hook Group & Hook2Sisters Ltd.")
    council = next(c for c in organisation_candidates(text) if c.name == "British Poultry Council")
    assert council.features["kind_defined"] == 0  # a body named with its initials, not the maker defining itself


def test_a_provision_of_the_act_is_never_the_maker():
    # test3 row 484 (Shimadzu): "under\nArticle 54 of the Modern Slavery Act" was named as the organisation
    from disclosure_check.assess.identity import _is_name

    for provision in ("Article 54", "Section 54", "Schedule 1", "Part 6"):
        assert not _is_name(provision)
    assert _is_name("Partners Capital LLP") and _is_name("Sectional Doors Limited")
    text = ("Modern Slavery Statement\nThe purpose of this statement is to disclose activities of our company to prevent "
            "slavery and human trafficking in our business activities and supply chain for the fiscal year ended March 31, "
            "2016 under\nArticle 54 of the Modern Slavery Act enforced in U.K.\n1. About our group companies\nOur company "
            "opposes slavery and human trafficking.")
    assert text_to_identity(text).organisation != "Article 54"


def test_two_organisations_that_each_look_like_the_maker_lower_the_confidence_in_either():
    """A fund report: the fund defines itself, its management company heads every page. The best name's score is
    lowered by the likeliest other organisation, not by another form of its own name."""
    from disclosure_check.assess.identity import Candidate, Ranker, Tree, best_candidate

    # one stump: many votes -> 0.88, few -> 0.12 (learning rate 1, no prior)
    ranker = Ranker(features=("votes",), trees=(Tree((0, -1, -1), (3.0, 0.0, 0.0), (1, -1, -1), (2, -1, -1), (0.0, -2.0, 2.0)),),
                    init=0.0, learning_rate=1.0, threshold=0.7, rival_weight=0.3)
    fund = Candidate("scor funds", "Scor Funds", {"votes": 7.5}, 0)
    manager = Candidate("scor investment partners", "SCOR Investment Partners SE", {"votes": 6.0}, 0)
    own_form = Candidate("scor funds sicav", "SCOR Funds SICAV", {"votes": 6.0}, 0)
    minor = Candidate("luxembourg", "Luxembourg", {"votes": 0.3}, 0)
    alone, _ = best_candidate([fund, own_form, minor], ranker)
    doubted, _ = best_candidate([fund, manager, minor], ranker)
    assert round(alone, 2) == round(0.8808 * (1 - 0.3 * 0.1192), 2) > ranker.threshold  # only a weak rival
    assert doubted < ranker.threshold < alone  # two strong organisations: neither is named


def test_a_name_wrapped_across_a_blank_line_is_one_name_and_the_signers_firm_follows_the_last_title():
    from disclosure_check.assess.identity import _clean, organisation_candidates

    text = ("MODERN SLAVERY ACT\n\nINTRODUCTION\n\nThis statement is made pursuant to s54 of the Modern Slavery Act 2015 "
            "for the financial year ending 24 November 2016, and sets out the steps that Hand Picked\n\nHotels Limited "
            "(\"HPH\") has taken and is continuing to take to ensure that modern slavery is not taking place.")
    names = {c.name for c in organisation_candidates(text)}
    assert "Hand Picked Hotels Limited" in names and "Hotels Limited" not in names
    assert _clean("Chairman & Managing Director\n\nReliance Industries Limited") == "Reliance Industries Limited"


def test_a_subsidiarys_short_form_does_not_swallow_the_group_that_lists_it():
    text = ("MTF HOLDING LIMITED\n\nREG NO. 09127578\n\nModern Slavery Act Statement FY 2024/25\n\nMTF Holding Limited "
            "(The Group) acknowledges its responsibility to the Modern Slavery Act 2015 and is committed to ensuring "
            "transparency within the organisation.\n\nThe Group will not support any business involved in slavery.\n\n"
            "Group Companies are:\n\nMarla Tube Fittings Ltd (MTF)\n\nPromat BD Limited\n\nSteadfast Engineering Limited")
    found = text_to_identity(text)
    assert same_organisation(named_or_suggested(found), "MTF Holding Limited")


def test_a_copyright_line_alone_does_not_name_the_maker():
    # a shop's web page whose statement text is missing: the copyright holder owns the site
    text = ("MODERN SLAVERY ACT POLICY STATEMENT\nPRINT (PDF) VERSION\nVENDOR CODE OF CONDUCT\nFREE UK SHIPPING\n"
            "JOIN OUR EMAIL LIST\nCUSTOMER CARE\nSHOPPING\nCopyright © 2019 PEI Licensing, Inc. All rights reserved.\n"
            "This site uses cookies to offer you the best shopping experience.")
    assert text_to_identity(text).organisation is None


def test_a_name_that_repeats_its_first_word_keeps_it():
    # "AEGIS Managing Agency AEGIS London Holdings Limited" is a heading run into the name; "Johnson & Johnson"
    # and "Walker & Walker" are names that repeat a word themselves
    from disclosure_check.assess.identity import _clean

    assert _clean("AEGIS Managing Agency AEGIS London Holdings Limited") == "AEGIS London Holdings Limited"
    text = ("Modern Slavery Statement 2023\n\nThis statement is made by Johnson & Johnson Medical Limited for the "
            "financial year ended 31 December 2023. We supply medical devices to hospitals across the UK.")
    assert same_organisation(named_or_suggested(text_to_identity(text)), "Johnson & Johnson Medical Limited")
    assert _clean("Walker & Walker Limited") == "Walker & Walker Limited"


def test_an_aside_in_brackets_with_we_does_not_name_the_maker():
    text = ("Modern Slavery Statement 2023\n\nAt Greggs we take our responsibilities seriously. We buy ingredients "
            "from suppliers in many countries. (In Bangladesh, we audited 12 factories.) (Since January, we have "
            "trained 400 colleagues.) (However, we do not audit tier 2 suppliers.) Greggs expects its suppliers to "
            "respect human rights.")
    found = text_to_identity(text)
    assert named_or_suggested(found) not in ("Bangladesh", "Since January", "However")
    aside = ("Modern Slavery Statement\n\nWe buy food from suppliers around the world. (However, we do not audit "
             "tier 2 suppliers.) We expect our suppliers to respect human rights.")
    assert text_to_identity(aside).organisation is None
    # a name's own short form defined with "we" still names it
    leaf = ("Modern Slavery Statement\n\nThis statement is made under the Act for LeafFilter North of Canada, Inc "
            "(LeafFilter, we or us). LeafFilter sells gutter protection.")
    assert same_organisation(named_or_suggested(text_to_identity(leaf)), "LeafFilter North of Canada, Inc.")


def test_a_heading_above_a_blank_line_is_not_joined_to_the_name_below():
    text = ("Modern Slavery Statement 2023\n\nIntroduction from our partner Unseen UK\n\nAcme Foods Limited (Acme, we "
            "or us) is committed to preventing modern slavery in its supply chains. Acme sells chilled food.")
    assert named_or_suggested(text_to_identity(text)) == "Acme Foods Limited"
    members = ("Modern Slavery Statement 2023\n\nWe are members of Stronger Together\n\nAcme Foods Limited sets out "
               "the steps it has taken to prevent modern slavery. Acme Foods Limited sells chilled food.")
    assert named_or_suggested(text_to_identity(members)) == "Acme Foods Limited"


def test_a_title_word_inside_the_firms_name_is_not_cut():
    from disclosure_check.assess.identity import _clean

    assert _clean("Director Channel Partner Services Limited") == "Channel Partner Services Limited"
    assert _clean("Chief Executive Officer Hotel Manager Holdings Limited") == "Hotel Manager Holdings Limited"
    assert _clean("Jane Smith Director Acme Limited") == "Acme Limited"


def test_a_name_wrapped_at_a_common_word_stays_one_name():
    text = ("STATEMENT ON MODERN SLAVERY\n\nIntroduction\n\nThis statement on slavery and human trafficking is published "
            "on behalf of Direct Line\n\nInsurance Group plc and its wholly owned subsidiaries. We provide motor and "
            "home insurance to millions of customers.")
    assert named_or_suggested(text_to_identity(text)) != "Insurance Group plc"


def test_a_broken_identity_lexicon_fails_the_call_that_reads_it_not_the_import():
    # the word lists are read on first use: a bad lexicons/identity.yaml must not break every import
    code = ("import yaml\n"
            "real = yaml.load\n"
            "yaml.load = lambda text, Loader=None: {'not_names': []} if 'title_modifiers' in text else real(text, Loader)\n"
            "import disclosure_check.assess.identity as identity\n"
            "from disclosure_check.errors import DataError\n"
            "try:\n"
            "    identity.identity_words()\n"
            "except DataError as error:\n"
            "    print('DataError', error)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")})
    assert done.returncode == 0, done.stderr[-2000:]
    assert "DataError" in done.stdout and "not_names" in done.stdout


# -- round 5: test4's organisation misses (read after its blind measurement), short statements that name their
# maker plainly but scored under the threshold ------------------------------------------------------------------
ROUND5 = {
    # uk_885: a legal form in lower case with points was no name at all ("p.l.c." is neither capitalised nor a
    # connector), and "the steps taken by X" was no cue
    "dotted_plc": ("A.G.BARR p.l.c. SOFT DRINKS\nWestfield House\n4 Mollins Road\nCumbernauld\nModern Slavery Statement 2017\n"
                   "This statement sets out the steps taken by A.G. BARR p.l.c. to ensure that our business and supply chain "
                   "are free from slavery and human trafficking.\nSummary\nWe are committed to ensuring that we supply high "
                   "quality products that are sourced in a fair and ethical way. We have a zero tolerance approach to "
                   "modern slavery of any kind within our operations and supply chain.\nOur supply chain\nOur supply chain "
                   "is global and includes over 40 direct material suppliers. We buy from these suppliers on a direct basis "
                   "and also through UK based supply agencies.\nThis statement was approved by the A.G.BARR p.l.c. board of "
                   "directors on 31 May 2017.\nSignature of Roger White\nChief Executive", "A.G. BARR p.l.c."),
    # uk_182: "At" after a heading run into the line ("Introduction At Argent Foods Limited, we"), read as part of the
    # name, so the name was split in two that each looked mentioned in passing
    "heading_at_we": ("Modern Slavery Act Statement\nIntroduction At Argent Foods Limited, we are committed to operating "
                      "our business in a transparent and responsible manner. This includes reducing the risks of modern "
                      "slavery throughout our business and our supply chain. This statement relates to our actions during "
                      "the financial year ending 31st December 2016.\nOrganisational structure and supply chains Argent Foods "
                      "Limited is a diverse group operating a number of businesses within food and food related industries. "
                      "We supply a broad range of customers in retail and food service. We work closely with our suppliers "
                      "to mitigate these risks.\nBoard Approval This statement has been approved by the board of directors, "
                      "who will review and update it annually.\nName: David Gray Date: April 2017", "Argent Foods Limited"),
    # uk_310: "J O Sims" as the subject of its sentences; its mentions were not counted ("jo sims" is the key)
    "initials_subject": ("Slavery and Human Trafficking Policy Statement\nIn accordance with the UK’s Modern Slavery Act 2015 "
                         "and our Partnership with “Stronger Together” J O Sims is committed to maintaining and improving "
                         "systems and processes to avoid complicity in human rights violations.\nAs a member of SEDEX we take "
                         "our commitment to human rights seriously.\nJ O Sims undergoes Ethical (SMETA) Audits every 2 years "
                         "using external auditors.\nJ O Sims recognises that slavery and human trafficking can occur in many "
                         "forms.\nJ O Sims expects its suppliers to follow the same standards.\nSupplier audits are scheduled "
                         "with the supplier in advance.\nTraining\nTechnical and Field Managers will attend training with the "
                         "GLA.\nMarch 2017\nJ O Sims Limited, Pudding Lane, Pinchbeck, Spalding. Registration No. 2084187",
                         "J O Sims Limited"),
    # uk_874: a trading name is the maker's other name, not a rival lowering the confidence in it
    "trading_as": ("MODERN SLAVERY ACT STATEMENT\nA. Our business and supply chains\nThis statement is made on behalf of HPI "
                   "UK Holding Ltd trading as Rosewood London (\"The Hotel\"). HPI UK Holding Ltd is the ownership company "
                   "of Rosewood London which is a luxury hotel in central London. The hotel is managed by Rosewood Hotel "
                   "Group on behalf of HPI UK Holding Ltd. The Hotel has over 500 employees in the UK. This statement is made "
                   "on behalf of HPI only and constitutes HPI's slavery and human trafficking statement for the financial "
                   "year ending 31st December 2018.\nB. Our commitment\nRosewood London is committed to ensuring that it "
                   "conducts its business ethically. Rosewood London is committed to ensuring that no such behaviour takes "
                   "place in connection with the company.\n\nPeter Voit Director – HPI UK Holding Ltd\n\nMichael Bonsor "
                   "Managing Director – Rosewood London", "HPI UK Holding Ltd"),
    # uk_443 (named the parent): the parent's own short form defined after "division of" is not the maker defining
    # itself, and "the steps AB Agri Ltd is taking" names the maker
    "parent_defined": ("Modern slavery statement\nThis statement is in response to the United Kingdom’s (UK) Modern Slavery "
                       "Act 2015 and highlights the steps AB Agri Ltd is taking to ensure that slavery and human trafficking "
                       "is not taking place in our supply chains.\nAbout AB Agri\nAB Agri is the agricultural division of "
                       "Associated British Foods Plc (ABF). Within the division we have business areas across the agri-food "
                       "chain.\nOur Policies\nAs part of ABF Plc there are several group-wide policies in which we work, "
                       "including the ABF Whistleblowing Policy. This year AB Agri has introduced a Human Rights Policy. AB "
                       "Agri complies with all employment laws of the country in which it operates.\nABF sets out procurement "
                       "expectations through its business principles. ABF has a group-wide Supplier Code of Conduct.\nDavid "
                       "Yiend CEO", "AB Agri Ltd"),
}


@pytest.mark.parametrize("case", sorted(ROUND5))
def test_short_statements_that_state_their_maker_plainly_are_named(case):
    text, organisation = ROUND5[case]
    found = text_to_identity(text)
    assert found.organisation is not None and same_organisation(found.organisation, organisation), found


def test_a_names_mentions_are_counted_across_and_initials_and_a_trading_name():
    from disclosure_check.assess.identity import _mentions, organisation_candidates

    text = "Marks and Spencer Group plc. Marks & Spencer is a retailer. J.O. Sims and J O Sims Limited. marks and spencer"
    assert len(_mentions(text.lower(), "marks spencer", text)) == 2  # not the one in lower case
    assert len(_mentions(text.lower(), "jo sims", text)) == 2
    found = {c.key: c for c in organisation_candidates(ROUND5["trading_as"][0])}
    assert "rosewood london" not in found and found["hpi"].features["acts"] >= 1
    # uk_942: the maker reporting its own steps
    branch = ("ANNUAL STATEMENT ON MODERN SLAVERY\nChiba Bank Ltd, London Branch is an overseas branch of a Japanese "
              "regional bank.\nThe Chiba Bank London Branch has taken the following steps during the year to 31 March "
              "2019 to ensure that slavery and human trafficking are not taking place in any of its supply chains.")
    found = {c.key: c for c in organisation_candidates(branch)}
    # alone, a name said to take steps is not strong evidence (an auditor or a membership body may be said so) ...
    assert found["chiba bank london branch"].features["kind_steps_reported"] == 1
    assert found["chiba bank london branch"].features["strong"] == 0
    # ... with another cue naming the same name as the maker it is
    found = {c.key: c for c in organisation_candidates(branch + "\nThis statement is made by The Chiba Bank London Branch.")}
    assert found["chiba bank london branch"].features["kind_has_taken_steps"] == 1
    assert found["chiba bank london branch"].features["strong"] == 2


_REVIEW4_BODY = ("\nWe are a property company. We are committed to preventing slavery. We train our staff. "
                 "We audit our suppliers.\n")


@pytest.mark.parametrize("text, wrong", [
    # an auditor acting on the maker ("our controls") is not the maker reporting its own steps
    ("Modern Slavery Statement 2023\n" + _REVIEW4_BODY + "KPMG has undertaken a number of steps to review our "
     "controls. KPMG is our internal auditor.\nApproved by the board of Harlow Estates Limited.\n", "KPMG"),
    # a membership body said to take steps, with nothing else naming it as the maker
    ("Modern Slavery Statement 2023\n" + _REVIEW4_BODY + "Sedex Limited has taken the following steps to support "
     "members.\nThis statement was approved by the directors of Harlow Estates Limited on 1 June 2023.\n", "Sedex Limited"),
    # a subsidiary adopting its parent's statement: the parent's steps do not make the parent the maker
    ("Modern Slavery Statement 2023\n" + _REVIEW4_BODY + "As a subsidiary of Orion Industrial Holdings plc, we have "
     "adopted the group statement, which sets out the steps taken by Orion Industrial Holdings plc to prevent modern "
     "slavery in its business and supply chains.\nSigned on behalf of Fenwick Components Limited\nDirector\n",
     "Orion Industrial Holdings plc"),
])
def test_steps_said_of_an_auditor_a_body_or_a_parent_do_not_name_it(text, wrong):
    assert text_to_identity(text).organisation != wrong


def test_every_data_file_is_read_with_the_one_yaml_loader(monkeypatch, rubric):
    # the loader choice (libyaml's when there is one) is made in one place, for rubrics and lexicons alike
    import yaml

    from disclosure_check import yamlio
    from disclosure_check.assess.identity import identity_words
    from disclosure_check.classify.sector import sector_terms
    from disclosure_check.rubric import load_rubric

    read = []

    class Counting(yamlio.YAML_LOADER):
        def __init__(self, stream):
            read.append(stream[:40] if isinstance(stream, str) else stream)
            super().__init__(stream)

    monkeypatch.setattr(yamlio, "YAML_LOADER", Counting)
    assert yamlio.YAML_LOADER.__mro__[1] is getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    identity_words.cache_clear()
    sector_terms.cache_clear()
    try:
        identity_words()
        sector_terms()
        load_rubric()
    finally:
        identity_words.cache_clear()
        sector_terms.cache_clear()
    assert len(read) >= 3


def test_a_short_name_inside_a_longer_candidates_mention_is_not_its_mention():
    from disclosure_check.assess.identity import organisation_candidates

    # uk 576 (reviewer 4): "Siemens" counted inside every "Siemens Bank GmbH" raised the group over the bank
    text = ("Modern Slavery Statement\nThis statement is made by Siemens Bank GmbH. Siemens Bank GmbH is a bank. "
            "Siemens Bank GmbH has a London branch. Siemens Bank GmbH trains its staff. Siemens is a technology group.")
    found = {c.key: c for c in organisation_candidates(text)}
    assert found["siemens"].features["recurrence"] == 1.0
    assert found["siemens bank"].features["recurrence"] == 2.0


# A hotel group's policy printed from its website (test5 uk_883): the page heading repeats the topic, the
# board signs "on behalf of the board of Directors." above the site's menu line, and only the copyright line
# gives a name the patterns can read.
HOTEL_WEB_POLICY = """7/3/2019

Modern Day Slavery

Offers

Book

Modern Day Slavery

Modern Day Slavery and Human Trafficking Policy

POLICY STATEMENT

Modern slavery is a crime and a violation of fundamental human rights. It takes various forms, such as slavery, \
forced and compulsory labour and human trafficking.

Moorland Inns & Sons (Hoteliers) ltd has a zero-tolerance approach to modern slavery and we are committed to acting \
ethically and with integrity in all our business dealings and relationships.

1/3

We expect the same high standards from all our contractors, suppliers and other business partners.

Signed on behalf of the board of Directors.

Privacy Policy Careers Moorland Apprenticeship Academy Vouchers Terms Of Use Environmental Policy News
© Copyright Moorland Inns 2019

3/3
"""


def test_the_statements_own_topic_a_menu_line_and_a_page_number_are_never_the_name():
    from disclosure_check.assess.identity import _is_name, organisation_candidates

    keys = {c.key for c in organisation_candidates(HOTEL_WEB_POLICY)}
    assert not any("slavery" in k or k.startswith("modern day") or "privacy" in k for k in keys), keys
    assert not _is_name("Modern Day Slavery") and not _is_name("1/3")
    found = text_to_identity(HOTEL_WEB_POLICY)
    assert found.organisation is None or same_organisation(found.organisation, "Moorland Inns")
    assert same_organisation(named_or_suggested(found), "Moorland Inns")


def test_a_short_name_defined_after_a_list_of_entities_names_the_lists_head():
    # test5 uk_197: the definition closes the list, whose last entity is not what "Urban Outfitters" abbreviates
    text = ("MODERN SLAVERY ACT (TRANSPARENCY IN SUPPLY CHAINS) STATEMENT\nHarbour Outfitters, Inc. and its affiliated "
            "companies including, without limitation, Harbour Outfitters West LLC, HO.com LLC, Harbour Outfitters "
            "Wholesale, Inc., HRBR UK Limited and HO Merchandise, Inc. (“Harbour Outfitters” or the “Company”) are "
            "committed to conducting business in a lawful, ethical and responsible manner. The Company prohibits its "
            "Suppliers from engaging in forced labour.\nAs a condition of doing business with Harbour Outfitters, each "
            "Supplier must agree to our Code of Conduct. Harbour Outfitters audits its Suppliers.")
    assert same_organisation(named_or_suggested(text_to_identity(text)), "Harbour Outfitters, Inc.")
