"""What a document is, who wrote it, what kind of firm and which law it answers (issue 20): read from
real texts with their reasons, given by a register's manifest or an option, and corrected by staff with
the correction carrying through the result, the SQL rows, the overview's figures, search and exports."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from disclosure_check.assess.decisions import apply, apply_given, make_decision, read_decisions_csv
from disclosure_check.assess.doctype import document_kind
from disclosure_check.assess.profile import detect_jurisdictions
from disclosure_check.cli import main
from disclosure_check.errors import ConfigError, DataError
from disclosure_check.present.export import result_to_dict
from disclosure_check.run.manifest import read_manifest
from disclosure_check.store import queries
from disclosure_check.store.queries import Filters
from disclosure_check.store.store import Store
from disclosure_check.train.documents import label_text, read_labels, text_to_document
from disclosure_check.types import Given

LABELS = {label.name: label for label in read_labels()}


def labelled(name: str):
    """A hand-labelled real text (corpus/labels/documents.csv) as a Document, and its label."""
    return text_to_document(label_text(LABELS[name]), name), LABELS[name]


@pytest.fixture(scope="module")
def samples(scored_sample):
    return {name: scored_sample(name) for name in ("ao_world_2018", "lv_2018", "barclays_2019")}


# -- reading -----------------------------------------------------------------------------------
# uk_407 (test4, read after its blind measurement): "Ted Baker’s Ethical Code of Conduct", a supplier code titled
# with its owner's name
@pytest.mark.parametrize("name", ["uk_255", "uk_753", "uk_821", "wikirate_7312185", "uk_582", "uk_407"])
def test_policies_web_pages_and_a_human_rights_statement_are_not_statements(name):
    doc, label = labelled(name)
    assert label.doc_type == "other"
    kind = document_kind(doc)
    assert kind.doc_type == "other", kind.reason
    assert kind.reason and kind.quote is not None and kind.quote.page >= 1


_RETAILER = ("We are a UK retailer. We take modern slavery seriously. Our suppliers are audited for modern slavery and "
             "forced labour risks. We trained 200 staff on modern slavery. We assess modern slavery risks in our supply "
             "chain each year. ") * 6


# reviewer 4: a code's owner is read on the title's own line, and a title naming a statement with the policy is a statement
@pytest.mark.parametrize("title, expected", [
    ("Modern Slavery Statement\nAcme's Ethical Code of Conduct", "statement"),
    ("Acme's Code of Conduct and Modern Slavery Statement", "statement"),
    ("Anti-Slavery Policy and Statement", "statement"),
    ("Modern Slavery Policy & Statement 2023", "statement"),
    ("Acme's Ethical Code of Conduct", "other"),
    ("Modern Slavery Policy", "other"),
])
def test_a_title_naming_a_code_or_policy_with_a_statement(title, expected):
    kind = document_kind(text_to_document(title + "\n\n" + _RETAILER, "t"))
    assert kind.doc_type == expected, kind.reason


# uk_310 (test4) and uk_969: titled "Slavery and Human Trafficking Policy Statement", a statement rather than a policy
@pytest.mark.parametrize("name", ["aims_ca_SID_322", "aims_ca_SID_273", "uk_789", "aims_au_8960", "wikirate_7308648",
                                  "uk_310", "uk_969"])
def test_statements_are_statements_with_the_sentence_that_says_so(name):
    doc, label = labelled(name)
    kind = document_kind(doc)
    assert label.doc_type == "statement" and kind.doc_type == "statement", kind.reason
    assert kind.quote is not None and kind.quote.text


def test_the_laws_a_statement_answers_are_listed_with_none_named_said_as_such():
    # a Canadian "annual report" under S-211; a statement under both the UK and Australian acts
    assert detect_jurisdictions(label_text(LABELS["aims_ca_SID_322"]))[0] == ("ca",)
    assert set(detect_jurisdictions(label_text(LABELS["aims_au_8960"]))[0]) == {"uk", "au"}
    # California's Transparency in Supply Chains Act is not Canada's Supply Chains Act
    assert "ca" not in detect_jurisdictions(label_text(LABELS["wikirate_7271335"]))[0]
    laws, at, why = detect_jurisdictions("We buy coffee and pay our staff fairly. Our suppliers sign our code.")
    assert laws == () and at is None and why == "no modern slavery law is named"


@pytest.mark.parametrize("aside", [
    " The Modern Slavery Act 2018 (Cth) requires large Australian entities to take steps.",
    " Our customer requires that we follow the Modern Slavery Act 2018 (Cth).",
])
def test_an_act_that_requires_someone_else_is_not_the_law_answered(aside):
    """Round 5 review: 'requires' beside any law counted as declaring it; only an Act that requires this
    firm ("requires us to", "requires the Company to") says the statement answers it."""
    filler = " We sell shoes in many towns across Britain and buy leather from tanneries." * 20
    uk = "Modern Slavery Statement 2023. This statement is made pursuant to section 54 of the Modern Slavery Act 2015."
    assert detect_jurisdictions(uk + filler + aside + filler)[0] == ("uk",)
    ours = " The Modern Slavery Act 2018 (Cth) requires Shoe Co Pty Ltd to report, and we do so here."
    assert set(detect_jurisdictions(uk + filler + ours + filler)[0]) == {"uk", "au"}


@pytest.mark.parametrize(("name", "laws"), [
    ("aims_au_14094", {"au"}),  # "Section 54 of the Australian Modern Slavery Act": a misquote, not the UK's s.54
    ("aims_ca_SID_375", {"ca"}),  # quotes S-211's question ("reduce the risk that forced labour ... is used")
    ("aims_ca_SID_243", {"ca"}),  # "Modern Slavery Act Report"; an entity "producing goods in Canada"
    ("uk_804", {"uk"}),  # "section 51(1) of the Modern Slavery Act 2016": the UK Act misquoted
    ("wikirate_7271307", set()),  # one passing mention: posters explain "the Modern Slavery Act 2015"
    ("uk_118", {"uk"}),  # "made pursuant to section 54(1) of the Modern Slavery Act 2015" (label corrected)
])
def test_the_law_a_statement_is_made_under_not_a_law_it_mentions(name, laws):
    assert LABELS[name].split == "dev" and set(LABELS[name].jurisdictions) == laws
    assert set(detect_jurisdictions(label_text(LABELS[name]))[0]) == laws


@pytest.mark.parametrize(("name", "laws"), [
    ("uk_75", {"uk"}),  # "section 54 of the Modern S\ue002lavery Act": private-use glyphs inside the words
    ("uk_895", {"uk"}),
    ("uk_796", {"uk"}),  # "UK ANTI-SLAVERY ACT OF 2015" (and California's, which is not a law known here)
    ("uk_206", {"uk"}),  # "the MSA Act"
    ("uk_542", {"uk"}),  # "made pursuant to section 54(1) of the Modern Slavery Act 2015" (label corrected)
    ("aims_ca_SID_308", {"ca"}),  # "the Canadian Modern Slavery Act 2018": a misquote of S-211, not Australia's Act
    ("aims_ca_SID_349", {"ca"}),  # "Report on Forced Labour in Canadian Supply Chains"
    ("aims_au_14358", {"au"}),  # "our response to Modern Slavery requirements in Australia"
    ("aims_ca_SID_252", {"ca", "uk"}),  # the Acts that "require" the report, listed on its first page
])
def test_the_law_named_in_odd_wording_is_the_law_answered(name, laws):
    """Round 3, from the cross-validated reading of dev and the retired test split."""
    assert LABELS[name].split in ("dev", "test") and set(LABELS[name].jurisdictions) & {"uk", "au", "ca"} == laws
    assert set(detect_jurisdictions(label_text(LABELS[name]))[0]) == laws


def test_the_law_s_sentence_is_quoted_from_the_text_with_its_glyphs():
    text = "Modern S\ue002lavery Statement\n\nThis is the Acme statement pursuant to section 54 of the Modern S\ue002lavery Act of 2015."
    laws, at, _ = detect_jurisdictions(text)
    assert laws == ("uk",) and text[at:].startswith("section 54")


def test_trade_with_canada_is_not_canadas_act_and_a_year_does_not_cancel_section_54():
    """Review of the jurisdiction rules: "goods into Canada" alone is trade, not Canada's Act (the Act's
    definition lists two or more of the activities, or sits beside its other wording); "FY 2018" near
    "section 54" is a year, while "section 54 of the Modern Slavery Act 2018" is still not the UK's."""
    uk = ("Acme Trading Limited Modern Slavery Statement\n\nThis statement is made pursuant to section 54 of the "
          "Modern Slavery Act 2015. Acme Trading Limited is a UK wholesaler of industrial valves. "
          "We import goods into Canada under our licence and sell them to distributors there.")
    laws, _, why = detect_jurisdictions(uk)
    assert laws == ("uk",) and "Canada" not in why
    entity = ("Both entities are located in Canada. SJC and its subsidiaries are involved in producing goods in Canada, "
              "selling goods in and outside Canada, and importing goods into Canada.")
    assert detect_jurisdictions(entity)[0] == ("ca",)
    beside = ("This report is made under the Fighting Against Forced Labour and Child Labour in Supply Chains Act. "
              "We import goods into Canada.")
    assert detect_jurisdictions(beside)[0] == ("ca",)
    fy = "Our statement under section 54 for FY 2018 sets out the steps we have taken. Our supply chains are global."
    assert detect_jurisdictions(fy)[0] == ("uk",)
    misquote = "This statement is made under section 54 of the Modern Slavery Act 2018 (Cth)."
    assert detect_jurisdictions(misquote)[0] == ("au",)


def test_the_sector_features_read_what_a_firm_says_it_is_not_its_segments_pages_later():
    from disclosure_check.classify.sector import INDUSTRY_ONLY, TERM_CHARS, keyword_features

    # Aldermore (dev): "As a UK bank with a growing number of international suppliers ..."
    aldermore = keyword_features(label_text(LABELS["uk_522"]), "Aldermore Bank Plc")
    self_identity, regulators, segments, name = aldermore[-INDUSTRY_ONLY:][:4]
    assert self_identity > 0 and name == 1.0 and segments == 0
    # an industrial group: what it is on its first page; its financial segment and the pension scheme
    # of its staff are financial words, counted as such, and nothing past the first pages is read
    opening = ("Siemens AG is a technology company focused on industry, infrastructure and transport. "
               "We design and manufacture trains, factory automation and medical equipment. ") * 20
    later = ("Siemens Financial Services segment provides customer financing. The bank lends to customers; "
             "the insurer, the lender and the asset manager. ") * 40
    report = opening + "Our pension scheme is funded. " + " " * TERM_CHARS + later
    industrial = keyword_features(report, "Siemens AG")
    assert industrial[-INDUSTRY_ONLY:][:4].tolist() == [0.0, 0.0, pytest.approx(0.693, abs=1e-3), 0.0]
    assert (industrial == keyword_features(opening + "Our pension scheme is funded.", "Siemens AG")).all()


def test_the_sector_features_read_the_full_name_on_the_title_page_and_what_the_firm_does():
    """Round 3 (sector.v3): identity reads "Nationwide" and "UTB", and the short name says nothing; the
    title page says "Nationwide Building Society" and "United Trust Bank". What a firm says it does
    ("we manufacture", "our factories") against what a seller says ("our stores") is read per sector."""
    from disclosure_check.classify.sector import INDUSTRY_ONLY, keyword_features, sector_terms
    from disclosure_check.types import SUBSECTORS

    title = slice(25, 25 + len(SUBSECTORS))  # after sector.v1's 25 features
    nationwide = keyword_features(label_text(LABELS["uk_577"]), "Nationwide")
    assert nationwide[title].tolist() == [float(sub == "building_society") for sub in SUBSECTORS]
    utb = keyword_features(label_text(LABELS["uk_352"]), "UTB")
    assert utb[title].tolist() == [float(sub == "bank") for sub in SUBSECTORS]
    # a retailer that names its card partner's bank past the title page is not read as a bank by its title
    shop = "Acme Stores Limited Modern Slavery Statement. " + "We sell clothing in our stores. " * 60 + "Acme Bank plc"
    assert keyword_features(shop, "Acme Stores Limited")[title].sum() == 0
    cues = list(sector_terms()["business_cues"])
    maker = keyword_features("We manufacture brakes in our own factories in Wales and Poland.", "Acme Brakes Ltd")
    seller = keyword_features("We sell clothing through our 300 stores and online store.", "Acme Fashion Ltd")
    start = len(maker) - INDUSTRY_ONLY + 5  # after the four of sector.v2 and financial business
    does = slice(start, start + len(cues))
    assert dict(zip(cues, maker[does], strict=True))["manufacturing"] > 0
    assert dict(zip(cues, maker[does], strict=True))["retail_consumer"] == 0
    assert dict(zip(cues, seller[does], strict=True))["retail_consumer"] > 0
    assert dict(zip(cues, seller[does], strict=True))["manufacturing"] == 0
    # what a firm says it is: a financial-sounding name meets "is an oil and gas company"
    kinds = list(sector_terms()["sector_identity"])
    oil = keyword_features("Highwood Asset Management Ltd. Highwood is an oil and gas company in Calgary.",
                           "Highwood Asset Management Ltd")
    assert dict(zip(kinds, oil[start + len(cues):], strict=True))["other"] > 0
    bank = keyword_features("We are authorised by the Prudential Regulation Authority and hold customers' deposits.", "X")
    assert bank[len(bank) - INDUSTRY_ONLY + 4] > 0 and maker[len(maker) - INDUSTRY_ONLY + 4] == 0


def test_the_sector_features_read_the_kind_of_financial_firm_in_its_own_words():
    """Round 4 (sector.v4): sector.v3 read Aldermore ("As a UK bank") as an insurer and Pembroke ("As a
    Lloyd's of London Managing Agency") as financial of no kind: "what the firm says it is" was one count
    for all financial kinds, read by the industry model only. It is now counted per sub-sector (read by
    the sub-sector model); a partner bank ("in partnership with Barclays Bank") is not what a firm is."""
    from disclosure_check.classify.sector import keyword_features
    from disclosure_check.types import SUBSECTORS

    said = slice(25 + len(SUBSECTORS), 25 + 2 * len(SUBSECTORS))  # after sector.v1's 25 and the title names
    aldermore = keyword_features(label_text(LABELS["uk_522"]), "Aldermore Group plc")
    assert [sub for sub, n in zip(SUBSECTORS, aldermore[said], strict=True) if n > 0] == ["bank"]
    pembroke = keyword_features(label_text(LABELS["uk_876"]), "Pembroke Managing Agency Limited")
    assert [sub for sub, n in zip(SUBSECTORS, pembroke[said], strict=True) if n > 0] == ["insurer"]
    card = keyword_features("Acme Stores is a retailer with a credit card partnership with Barclays Bank.", "Acme Stores")
    assert card[said].sum() == 0
    # a bank that calls itself "the UK's largest lender" is not a lender by its own words
    assert keyword_features("Lloyds is the UK's largest lender to first-time buyers.", "Lloyds")[said].sum() == 0


def test_the_sector_features_read_brands_that_have_others_make_their_goods_and_carriers():
    """Round 4 (GUIDE.md's makers and sellers): "we do not own any factories" counted as a maker's "own
    factories"; a brand whose goods are made in third-party factories says what a retailer says. FedEx's
    annual report ("transportation, e-commerce and business services") read as "other": a carrier's
    words (freight, parcels, logistics) are what a services firm does."""
    from disclosure_check.classify.sector import INDUSTRY_ONLY, keyword_features, sector_terms

    cues = list(sector_terms()["business_cues"])
    start = len(keyword_features("", None)) - INDUSTRY_ONLY + 5
    does = slice(start, start + len(cues))
    brand = dict(zip(cues, keyword_features(
        "We do not own any factories: our products are made by third-party manufacturers.", "Acme Fashion Ltd")[does],
        strict=True))
    assert brand["manufacturing"] == 0 and brand["retail_consumer"] > 0
    carrier = dict(zip(cues, keyword_features(
        "We provide transportation, freight and parcel delivery services through our logistics network.", "Acme")[does],
        strict=True))
    assert carrier["services"] > 0


def test_training_selects_its_splits_by_name_and_never_reads_a_blind_split(monkeypatch, tmp_path):
    """The sector model trains on dev and the retired test, test3 and test4 splits (test4 measured blind and read
    in round 5); a blind split (a synthetic ``test6`` here, as the lead adds one later) is never read, even when
    the labels file holds it, and naming it is refused."""
    from dataclasses import replace

    from disclosure_check.train import documents
    from disclosure_check.train import sector as train_sector
    from disclosure_check.train.documents import labels_of_splits

    monkeypatch.setattr(documents, "BLIND_SPLITS", frozenset({"test6"}))
    labels = list(LABELS.values())[:6]
    retired = [replace(label, split="test4", key=label.key + "_read") for label in labels]
    blind = [replace(label, split="test6", key=label.key + "_blind") for label in labels]
    assert set(train_sector.TRAIN_SPLITS) == {"dev", "test", "test3", "test4", "test5"}
    chosen = labels_of_splits(labels + retired + blind, train_sector.TRAIN_SPLITS)
    assert chosen == labels + retired and all(label.split in ("dev", "test", "test3", "test4", "test5") for label in chosen)
    with pytest.raises(DataError, match="test6 is held out"):
        labels_of_splits(labels + blind, ("dev", "test6"))
    seen = []
    monkeypatch.setattr(train_sector, "read_labels", lambda root=".": labels + blind)

    def rows(found, root="."):
        seen.extend(found)
        raise RuntimeError("stop before fitting")

    monkeypatch.setattr(train_sector, "rows", rows)
    with pytest.raises(RuntimeError, match="stop before fitting"):
        train_sector.train(tmp_path / "sector")
    assert seen == labels


def test_what_a_firm_says_it_is_not_what_it_belongs_to_or_a_clause_about_finance():
    """Review: the self-identity feature counted "As a member of the British Bankers Association" (a bank
    only as a prefix of "Bankers", and membership) and "is a crime that affects the financial services"."""
    from disclosure_check.classify.sector import sector_terms

    says = sector_terms()["self_identity"]
    for text in ("As a member of the British Bankers Association we support the industry's work.",
                 "Modern slavery is a crime that affects the financial services sector as it does any other.",
                 "Acme is a customer of several banks."):
        assert not says.search(text), text
    for text in ("Aldermore is a UK bank with a growing number of international suppliers.",
                 "Aviva is one of the largest insurers in Europe.", "Acme is an independent banking group.",
                 "Marex is a leading global commodities brokerage.", "We are a leading provider of financial services."):
        assert says.search(text), text


def test_payment_firms_are_financial_with_the_sentence_a_reviewer_would_use(scorer):
    for name in ("uk_789", "wikirate_7308648"):  # Visa, American Express
        doc, label = labelled(name)
        profile = scorer.profile(doc)
        assert profile.financial and profile.subsector == "payments", (name, profile.reason("sector"))
        assert profile.source_of("sector") == "text" and "payment" in profile.reason("sector")
        assert profile.quote("sector") is not None


def test_the_sector_reason_is_a_sentence_with_the_evidence_a_person_would_point_to(scorer):
    """Round 3: with sector.v3's keyword features carrying weight, the word weights alone picked "This
    Statement outlines the steps we have taken ..." as why Lloyds is a bank; the reason is now chosen
    among the sentences with the label's evidence words (here the bank's "retail and commercial banking")."""
    from disclosure_check.read.extract import pdf_to_document

    profile = scorer.profile(pdf_to_document(SAMPLES / "lloyds_banking_group_2018.pdf"))
    assert profile.financial and profile.subsector == "bank"
    quote = profile.quote("sector")
    assert quote is not None and "retail and commercial banking" in quote.text, quote
    assert "retail and commercial banking" in profile.reason("sector")


def test_the_sub_sector_reason_is_the_firms_own_words_before_its_parents(scorer):
    """Round 4: with "what the firm says it is" read per sub-sector, the reason for BlueBay (an asset
    manager) came out as "RBC is one of the largest banks in the world": any financial self-description
    counted as evidence. The sub-sector's own words (its strong terms, "is an asset manager") come first."""
    from disclosure_check.read.extract import pdf_to_document

    profile = scorer.profile(pdf_to_document(SAMPLES / "bluebay_asset_management_2019.pdf"))
    assert profile.financial and profile.subsector == "asset_manager"
    quote = profile.quote("sector")
    assert quote is not None and "BlueBay" in quote.text and "largest banks" not in quote.text, quote


def test_a_uk_and_australian_statement_carries_both_laws_wording(scorer):
    doc, _ = labelled("aims_au_8960")
    result = scorer.score_document(doc)
    m = result.maturity
    assert set(m.profile.jurisdictions) == {"uk", "au"}
    for check in m.gate:
        assert {j for j, _ in check.requirements} == {"uk", "au"}, check.id
    assert result_to_dict(result)["jurisdictions"] == list(m.profile.jurisdictions)


def test_an_organisation_the_text_does_not_name_clearly_is_unknown_with_a_suggestion(scorer, tmp_path):
    doc, label = labelled("uk_416")  # a web page capture with navigation only
    result = scorer.score_document(doc)
    assert result.identity.organisation is None
    assert result.maturity.profile.doc_type == "other" and result.maturity.statutory_met is None
    with Store(tmp_path / "r.db") as store:
        store.save(result)
        [(organisation, source, suggestion)] = store.conn.execute(
            "SELECT organisation, organisation_source, suggestion FROM documents").fetchall()
    assert organisation is None and source is None and suggestion  # the file name, as a suggestion only


# -- given: options and manifests ----------------------------------------------------------------
def test_given_values_outrank_the_text_and_say_where_they_came_from(scorer):
    doc, _ = labelled("uk_789")
    given = Given(sector="bank", jurisdictions=("uk", "au"), organisation="Visa Europe Limited", year=2016,
                  company_number="05139966", source="manifest")
    result = scorer.score_document(doc, given)
    p, identity = result.maturity.profile, result.identity
    assert (p.subsector, p.jurisdictions) == ("bank", ("uk", "au"))
    assert p.source_of("sector") == p.source_of("jurisdiction") == "manifest" and p.quote("sector") is None
    assert "set by manifest" in p.reason("sector") and "payments" in p.reason("sector")  # what the text said
    assert (identity.organisation, identity.year, identity.company_number) == ("Visa Europe Limited", 2016, "05139966")
    assert identity.source("organisation") == "manifest" and identity.quote("organisation") is None


def test_manifest_columns_are_checked_and_given_to_scoring(tmp_path, samples):
    shutil_copy = (SAMPLES / "ao_world_2018.pdf").read_bytes()
    (tmp_path / "ao.pdf").write_bytes(shutil_copy)
    manifest = tmp_path / "register.csv"
    manifest.write_text("path,organisation,year,company_number,doc_type,sector,jurisdiction\n"
                        "ao.pdf,AO World plc,2018,05525751,statement,payments,uk;au\n")
    [item] = read_manifest(manifest)
    assert item.given == Given(doc_type="statement", sector="payments", jurisdictions=("uk", "au"),
                               organisation="AO World plc", company_number="05525751", year=2018, source="manifest")
    out = tmp_path / "out.json"
    run = CliRunner().invoke(main, ["score", "--manifest", str(manifest), "--db", str(tmp_path / "r.db"),
                                    "--out", str(out), "-q"])
    assert run.exit_code == 0, run.output
    [row] = json.loads(out.read_text())
    assert row["sector"]["subsector"] == "payments" and row["jurisdictions"] == ["uk", "au"]
    assert row["judgements"]["sector"]["source"] == "manifest"
    assert row["identity"]["company_number"] == "05525751" and row["identity_sources"]["organisation"] == "manifest"
    bad = tmp_path / "bad.csv"
    bad.write_text("path,sector\nao.pdf,bakery\n")
    with pytest.raises(ConfigError, match="line 2.*|column 'sector'"):
        read_manifest(bad)


def test_the_options_set_the_sector_and_laws_for_a_run(tmp_path):
    (tmp_path / "lv.pdf").write_bytes((SAMPLES / "lv_2018.pdf").read_bytes())
    out = tmp_path / "out.csv"
    run = CliRunner().invoke(main, ["score", str(tmp_path / "lv.pdf"), "--db", ":memory:", "--out", str(out), "-q",
                                    "--sector", "lender", "--jurisdiction", "au"])
    assert run.exit_code == 0, run.output
    [row] = list(csv.DictReader(out.open()))
    assert (row["subsector"], row["jurisdictions"], row["sector_source"], row["jurisdiction_source"]) == (
        "lender", "au", "option", "option")


# -- corrections ---------------------------------------------------------------------------------
def test_document_values_are_checked(tmp_path):
    assert make_decision("d", "document:sector", "set_value", reviewer="Dana", value="Asset manager").value == \
        "asset_manager"
    assert make_decision("d", "document:jurisdiction", "set_value", reviewer="Dana", value="UK; au").value == "uk;au"
    for target, value, message in [("document:sector", "bakery", "not a sector"),
                                   ("document:doc_type", "memo", "not a document type"),
                                   ("document:year", "19", "not a year"),
                                   ("document:company_number", "12", "not a company number"),
                                   ("document:colour", "red", "not a judgement a reviewer can set"),
                                   ("document:sector", "", "needs a value")]:
        with pytest.raises(DataError, match=message):
            make_decision("d", target, "set_value", reviewer="Dana", value=value)
    with pytest.raises(DataError, match="'set_level' is not a decision on a document"):
        make_decision("d", "document:sector", "set_level", reviewer="Dana", level=2)


def test_calling_a_retailer_a_bank_brings_the_financial_levers(samples, rubric):
    ao = samples["ao_world_2018"]
    assert not ao.maturity.profile.financial
    financial = {c.id for c in rubric.criteria if c.applies_to == "financial"} | {
        c for t in rubric.themes if t.applies_to == "financial" for c in t.criteria}
    assert financial and not any(c.applies for c in ao.maturity.criteria if c.id in financial)
    decision = make_decision(ao.doc_id, "document:sector", "set_value", reviewer="Dana", value="bank",
                             comment="a bank by its licence")
    reviewed = apply(ao, [decision], rubric)
    m = reviewed.maturity
    assert m.profile.financial and m.profile.subsector == "bank" and m.profile.source_of("sector") == "reviewer"
    assert "Dana: a bank by its licence" in m.profile.reason("sector")
    assert all(c.applies for c in m.criteria if c.id in financial)
    financial_themes = {t.id for t in rubric.themes if t.applies_to == "financial"}
    assert all(t.level is not None for t in m.themes if t.id in financial_themes)
    assert any(g.criterion in financial for g in m.gaps)  # the levers are now gaps to fix
    # and back: a reviewer who says it is a retailer after all
    again = apply(ao, [decision, make_decision(ao.doc_id, "document:sector", "set_value", reviewer="Sam",
                                               value="retail_consumer")], rubric)
    assert not again.maturity.profile.financial and again.maturity.themes == ao.maturity.themes


def test_corrections_carry_through_the_store_figures_search_and_export(db_url, samples, rubric, tmp_path):
    ao, lv, barclays = samples["ao_world_2018"], samples["lv_2018"], samples["barclays_2019"]
    with Store(db_url) as store:
        for result in samples.values():
            store.save(result, rubric=rubric)
        before = queries.summary(store, Filters(), rubric)
        store.add_review(ao.doc_id, "document", "sector", "set_value", reviewer="Dana", value="bank")
        store.add_review(lv.doc_id, "document", "doc_type", "set_value", reviewer="Dana", value="other",
                         comment="an annual report")
        store.add_review(barclays.doc_id, "document", "organisation", "set_value", reviewer="Sam",
                         value="Barclays Bank UK PLC")
        store.add_review(barclays.doc_id, "document", "year", "set_value", reviewer="Sam", value="2020")
        store.add_review(barclays.doc_id, "document", "jurisdiction", "set_value", reviewer="Sam", value="none")
        after = queries.summary(store, Filters(), rubric)
        assert after.documents == before.documents - 1  # the "annual report" leaves the figures
        assert after.financial == before.financial  # ao became a bank, lv (financial) left
        assert queries.summary(store, Filters(doc_types=("other",)), rubric).documents == 1
        assert queries.summary(store, Filters(industries=("financial",)), rubric).financial == after.financial
        assert queries.document_count(store, Filters(jurisdictions=("none",))) == 1
        table = queries.documents(store, Filters(include_other=True), rubric)
        assert set(table["doc_id"]) == {ao.doc_id, lv.doc_id, barclays.doc_id}
        row = table.set_index("doc_id").loc[barclays.doc_id]
        assert (row["organisation"], row["year"], row["organisation_source"]) == ("Barclays Bank UK PLC", 2020, "reviewer")
        assert table.set_index("doc_id").loc[ao.doc_id, "subsector"] == "bank"
        assert pd_isna(table.set_index("doc_id").loc[lv.doc_id, "statutory_state"])
        assert lv.doc_id not in set(queries.peer_results(store, "insurer", [], rubric)["doc_id"])
        found = queries.search(store, ["slavery"], filters=Filters(include_other=True))
        assert lv.doc_id in set(found.rows["doc_id"])  # kept and searchable
        assert lv.doc_id not in set(queries.search(store, ["slavery"]).rows["doc_id"])
        [stored] = store.stored(doc_id=barclays.doc_id)
        assert stored.result.identity.organisation == "Barclays Bank UK PLC"
        assert stored.result.identity.source("year") == "reviewer"
        assert stored.result.maturity.profile.jurisdictions == ()
        trail = [(d.target, d.decision, d.value) for d in store.decisions(barclays.doc_id)]
        assert ("document:organisation", "set_value", "Barclays Bank UK PLC") in trail
    out = tmp_path / "export.csv"
    run = CliRunner().invoke(main, ["export", "--db", str(db_url), "--out", str(out)])
    assert run.exit_code == 0, run.output
    rows = {r["doc_id"]: r for r in csv.DictReader(out.open())}
    assert rows[ao.doc_id]["subsector"] == "bank" and rows[ao.doc_id]["sector_source"] == "reviewer"
    assert rows[lv.doc_id]["doc_type"] == "other" and rows[lv.doc_id]["statutory_state"] == ""
    assert rows[barclays.doc_id]["organisation"] == "Barclays Bank UK PLC"


def pd_isna(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_review_import_takes_document_targets_with_a_value_column(tmp_path, samples, rubric):
    ao = samples["ao_world_2018"]
    path = tmp_path / "decisions.csv"
    path.write_text("doc_id,target,decision,level,reviewer,comment,value\n"
                    f"{ao.doc_id},document:sector,set_value,,Dana,licence,insurer\n"
                    f"{ao.doc_id},document:company_number,set_value,,Dana,,05525751\n")
    db = tmp_path / "r.db"
    with Store(db) as store:
        store.save(ao, rubric=rubric)
    run = CliRunner().invoke(main, ["review", "import", str(path), "--db", str(db)])
    assert run.exit_code == 0, run.output
    with Store(db) as store:
        [stored] = store.stored(doc_id=ao.doc_id)
    assert stored.result.maturity.profile.subsector == "insurer"
    assert stored.result.identity.company_number == "05525751"
    trail = tmp_path / "trail.csv"
    assert CliRunner().invoke(main, ["review", "export", "--db", str(db), "--out", str(trail)]).exit_code == 0
    assert [d.value for d in read_decisions_csv(trail)] == ["insurer", "05525751"]
    path.write_text("doc_id,target,decision,level,reviewer,comment,value\n"
                    f"{ao.doc_id},document:sector,set_value,,Dana,,bakery\n")
    run = CliRunner().invoke(main, ["review", "import", str(path), "--db", str(db)])
    assert run.exit_code == 2 and "line 2" in run.output and "not a sector" in run.output


def test_a_letter_switch_derives_the_letter_items_from_the_criteria(samples, rubric):
    lv = samples["lv_2018"]
    assert lv.maturity.letter == () and lv.maturity.statutory_met is not None
    letter = apply_given(lv, Given(doc_type="letter", source="reviewer"), rubric).maturity
    assert letter.profile.doc_type == "letter" and letter.statutory_met is None
    by_id = {c.id: c.level for c in letter.criteria}
    for item in letter.letter:
        if item.criteria:
            assert item.level == max(by_id[c] for c in item.criteria)
