"""The statutory gate (gate.py): approval, signature and period from realistic statement wording."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from disclosure_check.assess.gate import decide_check, has_name, score_checks, unique_quotes
from disclosure_check.errors import RubricError
from disclosure_check.present.export import flat_row, result_to_dict
from disclosure_check.read.dates import parse_dates
from disclosure_check.rubric import load_rubric, parse_rubric
from disclosure_check.types import GateResult, Quote, Sentence

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"


@pytest.fixture(scope="module")
def checks():
    return {c.decide: c for c in load_rubric().gate}


def sentences(*texts: str, kind: str = "paragraph", filler: int = 0) -> list[Sentence]:
    """``texts`` as the closing sentences of a statement, after ``filler`` ordinary ones."""
    body = ["We expect our suppliers to respect human rights and to comply with our Supplier Code of Conduct."] * filler
    out = [Sentence(index=i, text=t, page=1, start=0, end=0) for i, t in enumerate(body)]
    out += [Sentence(index=len(body) + i, text=t, page=2, start=0, end=0, kind=kind) for i, t in enumerate(texts)]
    return out


def decide(check, *texts, **kw):
    state, reason, _, period = decide_check(check, sentences(*texts, **kw))
    return state, reason, period


# -- approval -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "This statement was approved by the Board of Directors on 20 March 2019.",
    "The board of directors of the Company approved this statement in a duly convened board meeting on August 5, 2020.",
    "Approved by the Board and signed on its behalf by Jane Smith, Chief Executive Officer.",
    "This statement was approved by the members of Actis LLP and Actis GP LLP on 4 June 2019.",
    "This statement has been reviewed and approved by the Trustees.",
    "This statement has been approved by the respective Board of Directors of each of the Reporting Entities.",
])
def test_board_approval_is_met(checks, text):
    state, reason, _ = decide(checks["approval"], text)
    assert state == "met", reason


@pytest.mark.parametrize("text, body", [
    ("This statement was approved by the Audit Committee of the Board on 3 May 2020.", "Audit Committee"),
    ("This statement has been approved by the ESG Committee of the Charterhouse Group.", "ESG Committee"),
    ("This Statement was approved by the Board's Risk Committee.", "Risk Committee"),
    ("This statement was approved by the Group's senior leadership team.", "senior leadership"),
    ("This statement has been approved by our Managing Director and Company Secretary.", "Managing Director"),
])
def test_committee_or_management_approval_is_kept_apart_from_the_board(checks, text, body):
    state, reason, _ = decide(checks["approval"], text)
    assert state == "not_explicit"
    assert body in reason and "not the board" in reason


def test_approval_without_a_body_is_not_explicit(checks):
    state, reason, _ = decide(checks["approval"], "This statement has been approved.")
    assert (state, reason) == ("not_explicit", "approval stated, but no approving body is named")


@pytest.mark.parametrize("text", [
    "The Board approved our Supplier Code of Conduct in 2019.",
    "This statement will be approved by the Board in June.",
    "The statement is recommended to the board for approval each year.",
    "We expect our suppliers to respect human rights.",
])
def test_no_approval_of_the_statement(checks, text):
    # Nothing found is "not_found" (a reader must look), never "not_met": only the text says that.
    assert decide(checks["approval"], text)[0] == "not_found"


def test_board_approval_wins_over_an_executive_committee_in_the_same_statement(checks):
    state, reason, _ = decide(checks["approval"], "This statement has been approved by our Executive Committee.",
                              "It was approved by the Whitbread plc Board on 22nd March 2018.")
    assert state == "met" and "Board" in reason


# -- signature ------------------------------------------------------------------------------------

@pytest.mark.parametrize("lines, kind, signer", [
    (["Signed: Helen Marsh\nHelen Marsh\nChief Executive Officer\nDate: 12 May 2017"], "signature_block",
     "Helen Marsh"),
    (["Signed on behalf of the Board by John Smith, Director"], "paragraph", "John Smith"),
    (["Per: /s/ Shubo Rakhit", "Name: Shubo Rakhit Chair and Director of TRX Gold Corporation May 28, 2024"],
     "paragraph", "Shubo Rakhit"),
    (["DocuSign Envelope ID: 3224DD3A-A028-4446-8A83-036C7F6A5FCE", "Electronically signed by Mary Jones, Group CEO"],
     "paragraph", "Mary Jones"),
    (["GRANT BLACKLEY Chief Executive Officer 19 August 2020"], "paragraph", "GRANT BLACKLEY"),
    (["Managing Director: Peter Brown"], "signature_block", "Peter Brown"),
    (["Signed on behalf of the Board", "Peter Brown Managing Director"], "paragraph", "Peter Brown"),
    (["Mrs Karen Marshall", "Managing Director"], "heading", "Karen Marshall"),
    (["Paul Owers Designated member Date: 6 June 2019"], "paragraph", "Paul Owers"),
])
def test_signature_forms_signed_by_a_director(checks, lines, kind, signer):
    state, reason, _ = decide(checks["signature"], *lines, kind=kind, filler=30)
    assert state == "met", reason
    assert signer in reason


def test_several_signatories_are_each_named(checks):
    state, reason, _ = decide(checks["signature"], "James E. Staley, Group Chief Executive Barclays PLC\n21 February 2019",
                              "John McFarlane, Chairman Barclays PLC\n21 February 2019", kind="signature_block")
    assert state == "met"
    assert "James E Staley" in reason and "John McFarlane" in reason


@pytest.mark.parametrize("lines, expected", [
    (["Jane Doe", "Head of Procurement"], "Head of Procurement"),
    (["Karen Lopreiato Company Secretary Vision Eye Institute Limited"], "Company Secretary"),
    (["Signed: John Smith"], "title is not given"),
    (["Masashi Imamura Executive Vice President and Corporate Executive Officer September 2016"], "no director title"),
])
def test_signer_who_may_not_be_a_director_is_not_explicit(checks, lines, expected):
    state, reason, _ = decide(checks["signature"], *lines, kind="signature_block", filler=30)
    assert state == "not_explicit" and expected in reason


def test_a_statement_with_no_signature(checks):
    state, reason, _ = decide(checks["signature"], "In 2006 we signed the UN Global Compact.",
                              "Our Chief Executive Officer, John Smith, chairs the steering group that oversees this work.",
                              "This statement will be reviewed and updated annually.", filler=30)
    assert state == "not_found" and reason.startswith("no signature block or signing statement found")


def test_a_name_and_title_in_the_prose_of_a_statement_is_not_a_signature(checks):
    texts = sentences("Jane Doe, Chief Executive Officer, leads our modern slavery working group.", filler=0) \
        + sentences(filler=40)[1:]
    texts = [Sentence(index=i, text=s.text, page=1, start=0, end=0) for i, s in enumerate(texts)]
    assert decide_check(checks["signature"], texts)[0] == "not_found"


@pytest.mark.parametrize("line", [
    "GRANT BLACKLEY Chief Executive Officer 19 August 2020",  # AIMS.au: a foreword's signature, first on its page
    "Carl Carrington, CEO 7 August 2023",
    "Peter McCabe Managing Director",
])
def test_a_name_then_title_line_is_a_signature_wherever_it_stands(checks, line):
    texts = sentences(line, filler=0) + sentences(filler=40)[1:]
    texts = [Sentence(index=i, text=s.text, page=1, start=0, end=0) for i, s in enumerate(texts)]
    assert decide_check(checks["signature"], texts)[0] == "met"


def test_a_canadian_attestation_is_a_signature(checks):
    state, reason, _ = decide(checks["signature"], "Trevor Haynes Chairman & CEO, Black Diamond Group Limited Date: "
                              "05/23/2024 I have the authority to bind Black Diamond Group Limited")
    assert state == "met" and "Trevor Haynes" in reason


# -- period ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, period", [
    ("This statement covers the financial year ending 31 December 2019.", (None, "2019-12-31")),
    ("This statement is made for the period 1 April 2019 to 31 March 2020.", ("2019-04-01", "2020-03-31")),
    ("Slavery and Human Trafficking Statement for year ended 31.12.2018", (None, "2018-12-31")),
    ("This statement covers our reporting period 1 July 2019 - 30 June 2020.", ("2019-07-01", "2020-06-30")),
    ("in respect of the financial year ended March 31, 2021", (None, "2021-03-31")),
])
def test_period_dates_are_returned_as_iso(checks, text, period):
    state, reason, found = decide(checks["period"], text)
    assert state == "met" and found == period


@pytest.mark.parametrize("text", ["Modern Slavery Statement (FY17-18)", "This statement covers the 2017 fiscal year."])
def test_period_by_year_is_met_without_dates(checks, text):
    state, _, found = decide(checks["period"], text)
    assert state == "met" and found is None


def test_period_without_a_year_is_not_explicit(checks):
    assert decide(checks["period"], "During the financial year we trained our buyers.")[0] == "not_explicit"


def test_parse_dates_ignores_impossible_dates():
    assert [d for _, _, d in parse_dates("31 February 2019 and 1st of April 2019")] == ["2019-04-01"]


# -- results, rubric and outputs ------------------------------------------------------------------

def test_the_same_sentence_found_twice_is_one_quote():
    q = Quote(3, "This statement was approved by the Board.")
    assert unique_quotes([q, Quote(3, q.text), Quote(4, q.text)]) == (q, Quote(4, q.text))


def test_gate_result_met_follows_state():
    assert GateResult("x", "X", "met", "").met and not GateResult("x", "X", "not_explicit", "").met
    with pytest.raises(ValueError):
        GateResult("x", "X", "maybe", "")


def test_gate_terms_are_validated_on_load():
    data = {"id": "r", "version": "1", "title": "t",
            "gate": [{"id": "board_approval", "name": "Approval", "decide": "approval", "terms": {"verbs": ["approved"]}}]}
    with pytest.raises(RubricError, match="needs non-empty terms"):
        parse_rubric(data, where="test.yaml")


def test_score_checks_uses_jurisdiction_wording_and_states():
    rubric = load_rubric()
    results = score_checks(rubric, sentences("This statement was approved by the Audit Committee."), ("au",), {})
    approval = next(r for r in results if r.id == "board_approval")
    assert approval.state == "not_explicit" and approval.requirement.startswith("s.16(2)")
    assert [j for j, _ in approval.requirements] == ["au"]
    assert [r.state for r in results if r.id != "board_approval"] == ["not_found", "not_found"]
    # a UK and Australian statement carries both laws' wording, the first named leading
    both = next(r for r in score_checks(rubric, sentences("Approved by the Board."), ("uk", "au"), {})
                if r.id == "board_approval")
    assert [j for j, _ in both.requirements] == ["uk", "au"] and both.requirement.startswith("s.54(6)")
    assert both.requirements[1][1].startswith("s.16(2)")
    none_named = next(r for r in score_checks(rubric, sentences("Approved by the Board."), (), {})
                      if r.id == "board_approval")
    assert [j for j, _ in none_named.requirements] == ["uk"]


def test_signature_block_pdf_end_to_end(scorer):
    """The layout fixture: approval sentence, two signature blocks side by side, period in the text."""
    result = scorer.score_file(LAYOUTS / "signature_block.pdf")
    gate = {g.id: g for g in result.maturity.gate}
    assert gate["board_approval"].state == "met"
    assert "Board of Directors" in gate["board_approval"].reason
    signature = gate["director_signature"]
    assert signature.state == "met"
    assert "Helen Marsh" in signature.reason and "Richard Okafor" in signature.reason
    assert all(q.page == 2 and q.boxes for q in signature.evidence)
    assert gate["period_covered"].period == (None, "2016-12-31")
    assert result.maturity.statutory_met is True and result.maturity.statutory_state == "met"
    for check in gate.values():
        texts = [(q.page, q.text) for q in check.evidence]
        assert len(texts) == len(set(texts))  # each sentence once
    item = result_to_dict(result)
    assert item["statutory"]["state"] == "met"
    assert [c["state"] for c in item["statutory"]["checks"]] == ["met", "met", "met"]
    assert item["statutory"]["checks"][2]["period"] == {"start": None, "end": "2016-12-31"}
    row = flat_row(item)
    assert row["statutory_state"] == "met" and row["director_signature_state"] == "met"


def test_the_approving_body_is_named_whole_in_the_reason(checks):
    state, reason, _ = decide(checks["approval"], "This statement was approved by the Board of Liverpool Victoria "
                              "Friendly Society Limited on 20 March 2019.")
    assert state == "met" and reason == "approved by the Board of Liverpool Victoria Friendly Society Limited"


# -- what was seen: met, not explicit, not found, not met (issue 21) ------------------------------

def test_approval_by_the_boards_of_several_group_companies_is_met(checks):
    # Lloyds Banking Group 2016: the boards of several entities approve one statement.
    state, reason, _ = decide(checks["approval"], "This statement was approved by the Boards of Lloyds Banking Group "
                              "plc, Lloyds Bank plc, Bank of Scotland plc and Scottish Widows Limited.")
    assert state == "met" and "Boards of Lloyds Banking Group" in reason


@pytest.mark.parametrize("heading", ["BOARD APPROVAL", "Approval", "Board approval and sign-off"])
def test_an_approval_heading_alone_is_not_approval(checks, heading):
    state, _, _ = decide(checks["approval"], heading, "This statement covers our UK operations.", filler=5)
    assert state == "not_found"


def test_a_statement_that_says_it_was_not_approved_is_not_met_with_that_sentence(checks):
    text = "This statement has not been approved by the board of directors at the time of publication."
    state, reason, _, _ = decide_check(checks["approval"], sentences(text, filler=5))
    assert state == "not_met" and "has not been approved" in reason
    result = next(r for r in score_checks(load_rubric(), sentences(text, filler=5), ("uk",), {})
                  if r.id == "board_approval")
    assert result.state == "not_met" and [q.text for q in result.evidence] == [text]


def test_not_found_carries_the_nearest_sentences_for_the_reader(checks):
    near = "The Board discussed this statement and our modern slavery work at its meeting in June."
    result = next(r for r in score_checks(load_rubric(), sentences(near, "We buy goods from 40 countries.", filler=8),
                                          ("uk",), {}) if r.id == "board_approval")
    assert result.state == "not_found" and result.evidence == ()
    assert [q.text for q in result.candidates] == [near]


@pytest.mark.parametrize("title, shown", [
    ("HSBC Holdings plc Modern Slavery and Human Trafficking Statement 2018", "2018"),
    ("Modern Slavery Statement FY2023/24", "FY2023/24"),
    ("Slavery and Human Trafficking Statement 2019/20", "2019/20"),
])
def test_the_period_in_the_title_is_met_with_the_title_shown(checks, title, shown):
    texts = [Sentence(index=0, text=title, page=1, start=0, end=0, kind="heading")] + \
        [Sentence(index=i, text="We expect our suppliers to respect human rights.", page=1, start=0, end=0)
         for i in range(1, 12)]
    state, reason, indexes, _ = decide_check(checks["period"], texts)
    assert state == "met" and shown in reason and indexes == (0,)


def test_the_year_of_the_act_in_a_title_is_not_the_period(checks):
    texts = [Sentence(index=0, text="Statement under the Modern Slavery Act 2015", page=1, start=0, end=0)] + \
        [Sentence(index=i, text="We expect our suppliers to respect human rights.", page=1, start=0, end=0)
         for i in range(1, 12)]
    assert decide_check(checks["period"], texts)[0] == "not_found"


def test_the_year_to_a_date_gives_the_period(checks):
    state, reason, period = decide(checks["period"], "This statement is for the year to 31 March 2024.")
    assert state == "met" and period == (None, "2024-03-31")


# The period as test5's statements write it (issues 20 and 21): ranges whose first date takes the last
# one's year or names a day past its month's end, "commencing ... and ending ...", a stated end date
# before a named FY, a month range under the title, a two-digit split year in the title, a statement
# named with its year.
@pytest.mark.parametrize("texts, period", [
    (["This statement relates to actions and activities for the financial year 1st January - 31st", "December 2018."],
     ("2018-01-01", "2018-12-31")),
    (["This statement relates to actions and activities during the financial year 1st October 2015 to 31st "
      "September 2016."], ("2015-10-01", "2016-09-30")),
    (["This statement constitutes Minor, Weir & Willis (MWW) slavery and human trafficking statement for the year "
      "commencing 1 January 2017 and ending 31 December 2017."], ("2017-01-01", "2017-12-31")),
    (["This Statement constitutes the Inditex Group Modern Slavery and Human Trafficking Statement for the financial "
      "year 2016, ended on 31st January 2017, (\u201cFY2016\u201d) and refers to Inditex, S.A."], (None, "2017-01-31")),
])
def test_the_period_read_from_ranges_and_end_dates(checks, texts, period):
    state, _, found = decide(checks["period"], *texts)
    assert state == "met" and found == period


@pytest.mark.parametrize("text", [
    "This statement covers our financial year FY2018 and was approved by the Board on 12 June 2019.",
    "This statement relates to the financial year FY2018, and was signed on 1 July 2019.",
    "This statement covers the period FY2017/18, published on 30 September 2018.",
])
def test_a_signing_or_publication_date_after_a_named_fy_is_not_its_end(checks, text):
    # a date after the cue outranks the FY's name only when it ends the period ("the financial year
    # 2016, ended on 31st January 2017"), never the board's approval or the publication date
    state, reason, period = decide(checks["period"], text)
    assert state == "met" and "FY" in reason and period is None


def test_a_range_of_months_under_the_title_is_the_period(checks):
    texts = [Sentence(index=0, text="Modern Slavery and Ethical Trading Statement", page=1, start=0, end=0,
                      kind="heading"),
             Sentence(index=1, text="September 2016 \u2013 August 2017", page=1, start=0, end=0, kind="heading")] + \
        [Sentence(index=i, text="Fresca Group Ltd is a privately-owned company with a variety of holdings.", page=1,
                  start=0, end=0) for i in range(2, 12)]
    state, reason, indexes, period = decide_check(checks["period"], texts)
    assert state == "met" and period == ("2016-09-01", "2017-08-31") and indexes == (0, 1)


def test_a_two_digit_split_year_in_the_title_is_the_period(checks):
    sents = [Sentence(index=0, text="SHIVA HOTELS GROUP LLP", page=1, start=0, end=0, kind="heading"),
             Sentence(index=1, text="MODERN SLAVERY STATEMENT 18/19", page=1, start=0, end=0, kind="heading")] + \
        [Sentence(index=i, text="We expect our suppliers to respect human rights.", page=1, start=0, end=0)
         for i in range(2, 12)]
    state, reason, indexes, _ = decide_check(checks["period"], sents)
    assert state == "met" and "18/19" in reason and indexes == (1,)


@pytest.mark.parametrize("text", [
    "Our Modern Day Slavery Statement for 2017 sets out to detail the steps we have taken to prevent modern day "
    "slavery and our priorities for the next 12 months.",
    "SIGNED BY BOARD This annual statement of the full year 2017 was approved by the Board of The Rezidor Hotel Group.",
])
def test_a_statement_named_with_its_year_gives_the_period(checks, text):
    state, reason, _ = decide(checks["period"], text, filler=12)
    assert state == "met" and "2017" in reason


@pytest.mark.parametrize("text", [
    "Slavery and Human Trafficking Statement for and on the behalf of Argo Managing Agency Limited",
    "Deckers Public Statement for UK Modern Slavery Act 2015 (Transparency in Supply Chains)",
    "Our previous statement for 2016 set out our first steps.",
    # an earlier statement named by what this one does since or with it
    "Since our Modern Slavery Statement for 2017 was published, we have trained all our buyers.",
    "This statement builds on our Statement for 2017 and sets out the progress made with suppliers.",
    "Following our statement for 2017, we extended audits to our second-tier suppliers.",
])
def test_a_statement_for_someone_or_another_statements_year_is_no_period(checks, text):
    assert decide(checks["period"], text, filler=12)[0] != "met"


@pytest.mark.parametrize("line", ["Sustainability Report, pages 24/25", "Modern Slavery Statement | Page 12/13"])
def test_page_numbers_under_the_title_are_no_split_year(checks, line):
    # "18/19" beside a title word is a two-digit split year; "pages 24/25" beside one is where to look
    sents = [Sentence(index=0, text="Modern Slavery Statement", page=1, start=0, end=0, kind="heading"),
             Sentence(index=1, text=line, page=1, start=0, end=0, kind="heading")] + \
        [Sentence(index=i, text="We expect our suppliers to respect human rights.", page=1, start=0, end=0)
         for i in range(2, 12)]
    assert decide_check(checks["period"], sents)[0] != "met"


def test_a_name_under_a_signatures_heading_is_a_signature(checks):
    body = [Sentence(index=i, text="We expect our suppliers to respect human rights.", page=1, start=0, end=0)
            for i in range(20)]
    lines = [Sentence(index=20, text="Bryan McMurdo, Managing Director", page=2, start=0, end=0, heading="Signatures"),
             Sentence(index=21, text="Ian Mcllroy, Managing Director", page=2, start=0, end=0)]
    state, reason, _, _ = decide_check(checks["signature"], body + lines)
    assert state == "met" and "Bryan McMurdo" in reason and "Ian Mcllroy" in reason


def test_the_no_steps_route_is_flagged():
    from disclosure_check.classify.modelset import load_model_set
    from disclosure_check.pipeline import Scorer
    from disclosure_check.train.documents import text_to_document

    text = ("Acme Widgets Limited modern slavery statement 2020\n\nThis statement is made pursuant to section 54 of "
            "the Modern Slavery Act 2015. The company has not taken any steps to ensure that slavery and human "
            "trafficking is not taking place in any of its supply chains or in any part of its own business.\n\n"
            "We sell widgets to customers in the United Kingdom and buy steel from suppliers in Europe.")
    result = Scorer(load_rubric(), load_model_set()).score_document(text_to_document(text, "acme"))
    flags = [f for f in result.maturity.flags if f.startswith("s.54(4)(b)")]
    assert len(flags) == 1 and "has not taken any steps" in flags[0] and "Joint Committee" in flags[0]


# -- issue 21, second round: errors read on the development statements --------------------------

def test_every_approval_in_one_sentence_counts_the_boards_first(checks):
    # Whitbread 2018 (uk_texts row 453): the executive committee's approval comes first in the sentence.
    state, reason, _ = decide(checks["approval"], "This statement covers the period 3rd March 2017 – 1st March 2018 "
                              "and has been approved by our Executive Committee and was approved by the Whitbread plc "
                              "Board on 22nd March 2018.")
    assert state == "met" and "Board" in reason


def test_approval_by_a_person_under_a_delegation_from_the_board_is_not_the_board(checks):
    # Sony 2016 (row 450): the board approved a delegation; two executives approved the statement.
    state, reason, _ = decide(checks["approval"], "Pursuant to the delegation of authority approved by the Board of "
                              "Directors of Sony Corporation, this Statement has been approved by Masashi Imamura, "
                              "Executive Vice President and Corporate Executive Officer.")
    assert state == "not_explicit" and "Masashi Imamura" in reason


@pytest.mark.parametrize("text", [
    # Argo (row 122): "adopted" a policy, in a run-on sentence that also has "report" and "partners"
    "Protecting whistle blowers; Argo has adopted a whistleblowing policy to ensure that all employees feel "
    "comfortable to report any acts of malpractice by their colleagues and our outsourcing partners",
    # Row 735: the board approved risk appetite statements, not this one
    "Like all Banks, we have a formal structure for managing risks, comprising our Board approved Risk Appetite "
    "statements, underpinned by a Risk Management Framework.",
])
def test_an_approval_verb_whose_object_is_something_else_is_not_approval(checks, text):
    assert decide(checks["approval"], text)[0] == "not_found"


def test_a_name_line_then_a_title_line_is_a_signature_before_an_address(checks):
    # Kairos 2017 (row 478): the signature stands above an address block, so not in the last third.
    lines = ["Fabio Bariletti", "Chief Executive Officer", "Kairos Investment Management Limited",
             "10 Portman Square", "London W1H 6AZ United Kingdom", "Authorised and regulated by the FCA"] + \
        [f"Registered office line {i} of the page footer" for i in range(6)]
    texts = sentences(filler=12) + [Sentence(index=12 + i, text=t, page=2, start=0, end=0, kind="heading")
                                    for i, t in enumerate(lines)]
    state, reason, _, _ = decide_check(checks["signature"], texts)
    assert state == "met" and "Fabio Bariletti, Chief Executive Officer" in reason


def test_a_one_word_title_under_a_name_is_read_with_it(checks):
    # Jefferies 2017 (row 244): "Tim Cronin" / "CEO" / company / date, each line its own block.
    state, reason, _ = decide(checks["signature"], "Tim Cronin", "CEO", "Jefferies International Limited",
                              kind="heading", filler=30)
    assert state == "met" and reason == "signed by Tim Cronin, CEO (a director or equivalent)"


def test_a_one_word_signature_block_is_a_sentence():
    from disclosure_check.read.segment import document_to_sentences
    from disclosure_check.types import Block, Document, Metadata, Page

    blocks = [("heading", "Tim Cronin"), ("signature_block", "CEO"), ("paragraph", "7")]
    out, offset = [], 0
    for kind, body in blocks:
        out.append(Block(page=1, kind=kind, text=body, start=offset, end=offset + len(body)))
        offset += len(body) + 2
    text = "\n\n".join(b for _, b in blocks)
    doc = Document(doc_id="d", path="d", metadata=Metadata(), pages=(Page(1, 595.0, 842.0, True, text),),
                   blocks=tuple(out), text=text, language="en")
    # the one-word title in a signature block is a sentence; a lone page number is still dropped
    texts = [(s.kind, s.text) for s in document_to_sentences(doc)]
    assert ("signature_block", "CEO") in texts and all(t != "7" for _, t in texts)


def test_a_functional_compliance_director_is_not_a_company_director(checks):
    state, reason, _ = decide(checks["signature"], "Angela Darling Group Compliance Director 31 December 2018",
                              kind="heading", filler=30)
    assert state == "not_explicit" and "Compliance Director" in reason


@pytest.mark.parametrize("text, period", [
    # Columbia Sportswear (row 166): no period cue, a year-long range in a sentence about the statement
    ("This statement covers January 1, 2016 to December 31, 2016, and has been approved by", ("2016-01-01", "2016-12-31")),
    # Row 636: "financial" lost its ligature in extraction ("nancial year")
    ("This statement relates to the actions and activities during the nancial year 1st April 2016 to the 31st March "
     "2017.", ("2016-04-01", "2017-03-31")),
])
def test_a_year_long_span_of_dates_gives_the_period(checks, text, period):
    state, _, found = decide(checks["period"], text)
    assert state == "met" and found == period


def test_a_short_span_of_dates_is_not_the_period(checks):
    # "report" and "covers" are span words: only the span's length (two months) keeps it from being the period
    assert decide(checks["period"], "This report covers our audit programme which ran from 1 May 2018 to 30 June "
                  "2018.")[0] == "not_found"


@pytest.mark.parametrize("text", [
    "Steps to take during our 2018 financial year",  # Fitch (row 52): next year's plans
    "In FY 2016, JLL’s consolidated revenue exceeded $6.8 billion.",  # JLL (row 8): the firm's figures
])
def test_a_year_for_plans_or_figures_is_not_the_period(checks, text):
    state, reason, _ = decide(checks["period"], text)
    assert state == "not_explicit" and "not as the period" in reason


def test_a_year_beside_employees_is_still_the_period(checks):
    # Lloyds 2018 (row 418): "employees" is not a firm's figure
    state, _, _ = decide(checks["period"], "It applies to Lloyds Banking Group plc, its subsidiaries, employees and "
                         "officers of the Group for the financial year ending 2018.")
    assert state == "met"


def test_a_name_split_off_as_a_glued_capitals_heading_still_signs(checks):
    # AIMS.au statement 248: "GRANT BLACKLEY" was cut from its line as a glued heading.
    texts = sentences(filler=20) + [Sentence(index=20, text="Chief Executive Officer 19 August 2020", page=2, start=0,
                                             end=0, heading="GRANT BLACKLEY", glued_heading=True)] + \
        [Sentence(index=21 + i, text=s.text, page=2, start=0, end=0) for i, s in enumerate(sentences(filler=20))]
    state, reason, _, _ = decide_check(checks["signature"], texts)
    assert state == "met" and "GRANT BLACKLEY" in reason


def _document(blocks):
    from disclosure_check.read.segment import document_to_sentences
    from disclosure_check.types import Block, Document, Metadata, Page

    out, offset = [], 0
    for kind, body, *cells in blocks:
        out.append(Block(page=1, kind=kind, text=body, start=offset, end=offset + len(body),
                         cells=cells[0] if cells else ()))
        offset += len(body) + 2
    text = "\n\n".join(b[1] for b in blocks)
    doc = Document(doc_id="d", path="d", metadata=Metadata(), pages=(Page(1, 595.0, 842.0, True, text),),
                   blocks=tuple(out), text=text, language="en")
    return document_to_sentences(doc)


OPENING = [("heading", "Modern Slavery Statement 2023")] + [("paragraph", "We expect our suppliers to respect human "
                                                              "rights and comply with our Supplier Code of Conduct.")] * 5
CLOSING = [("paragraph", "Our due diligence covers tier one suppliers in all regions where we operate.")] * 30


def test_a_glued_name_heading_signs_its_own_line_through_segmentation(checks):
    texts = _document(OPENING + [("paragraph", "GRANT BLACKLEY Chief Executive Officer 19 August 2020")] + CLOSING)
    state, reason, _, _ = decide_check(checks["signature"], texts)
    assert state == "met" and "GRANT BLACKLEY" in reason


@pytest.mark.parametrize("heading, text", [
    ("Due Diligence", "Chief Executive Officer oversees our modern slavery programme and reports progress quarterly."),
    ("GOVERNANCE STRUCTURE", "Chief Executive Officer oversees our modern slavery programme and reports quarterly."),
    ("Supply Chain", "Director of Procurement oversees our supplier onboarding process."),
])
def test_a_section_heading_over_a_title_is_not_a_signer(checks, heading, text):
    # The reviewer's case: the section heading "Due Diligence" read as a name signing the title line under it.
    texts = _document(OPENING + [("heading", heading), ("paragraph", text)] + CLOSING)
    assert decide_check(checks["signature"], texts)[0] == "not_found"


@pytest.mark.parametrize("lines", [
    ["Jane Smith", "Chief Executive Officer", "Jane joined the Group in 2015 from Unilever, where she led operations."],
    ["Meet our team", "John Brown", "Chairman", "Jane Smith", "Chief Executive Officer"],
    ["Contact us", "Mary Jones", "Director"],
    ["Case Study", "Maria Lopez", "Director, Operations"],
])
def test_a_name_over_a_title_in_the_body_of_a_statement_is_not_a_signature(checks, lines):
    # A board biography, a team page, a contact box and a case study in the middle of a statement.
    texts = sentences(filler=20) + [Sentence(index=20 + i, text=t, page=2, start=0, end=0, kind="heading")
                                    for i, t in enumerate(lines)]
    texts += [Sentence(index=len(texts) + i, text="Our due diligence covers tier one suppliers in all regions.",
                       page=3, start=0, end=0) for i in range(20)]
    assert decide_check(checks["signature"], texts)[0] == "not_found"


def test_a_biography_at_the_end_of_a_statement_is_not_a_signature(checks):
    state, _, _ = decide(checks["signature"], "Jane Smith", "Chief Executive Officer",
                         "Jane joined the Group in 2015 from Unilever, where she led operations.",
                         kind="heading", filler=30)
    assert state == "not_found"


def test_a_working_group_table_is_not_a_signature(checks):
    rows = [("Name", "Role"), ("Jane Smith", "Chief Executive Officer"), ("Tom Brown", "Procurement")]
    texts = _document(OPENING + [("paragraph", "Our modern slavery working group has the following members.")]
                      + [("table_row", " | ".join(r), r) for r in rows] + CLOSING)
    assert decide_check(checks["signature"], texts)[0] == "not_found"


@pytest.mark.parametrize("text", [
    "This statement was approved by the Executive Committee, following the process agreed by the Board.",
    "This statement was approved by the Executive Committee in line with the approach endorsed by the Board.",
    "This statement has been approved by the Modern Slavery Working Group under terms authorised by the Board.",
])
def test_the_board_agreeing_something_else_does_not_make_a_committee_approval_the_boards(checks, text):
    state, reason, _ = decide(checks["approval"], text)
    assert state == "not_explicit" and "not the board itself" in reason


@pytest.mark.parametrize("text", [
    "This statement, together with our policies, was approved by the Board of Directors on 1 June 2023.",
    "The Board approved the policy and this statement on 1 June 2023.",
    "This statement and our Supplier Code were approved by the Board on 1 June 2023.",
    "The Board of Directors approved the Group's policies, including this statement, on 1 June 2023.",
    "The Board approved this statement, as agreed by John Smith.",
])
def test_the_statement_approved_with_other_documents_is_board_approval(checks, text):
    state, reason, _ = decide(checks["approval"], text)
    assert state == "met", reason


def test_a_policy_approved_and_described_in_the_statement_is_not_its_approval(checks):
    assert decide(checks["approval"], "The Board approved the whistleblowing policy, which is described in this "
                  "statement.")[0] == "not_found"


@pytest.mark.parametrize("text", [
    "Our previous statement covered 1 January 2016 to 31 December 2016.",
    "Our supplier contract period runs 1 January 2019 to 31 December 2019.",
    "This statement sets out the actions we will take in the period 1 April 2024 to 31 March 2025.",
])
def test_a_span_of_dates_for_another_statement_a_contract_or_plans_is_not_the_period(checks, text):
    state, reason, period = decide(checks["period"], text)
    assert state != "met" and period is None, reason


def test_a_cue_for_the_period_beats_a_span_of_dates_without_one(checks):
    state, _, _ = decide(checks["period"], "This statement is made for our financial year 2017.",
                         "We expect suppliers to comply with our code.",
                         "Our first statement covered the year 1 January 2016 to 31 December 2016.")
    assert state == "met"
    state, reason, period = decide(checks["period"], "This statement is made for our financial year 2017.",
                                   "We expect suppliers to comply with our code.",
                                   "In 2016 our reporting covered the year 1 January 2016 to 31 December 2016.")
    assert state == "met" and "2017" in reason and period is None


@pytest.mark.parametrize("text, year", [
    ("This statement covers the financial year 2018 and sets out the steps we will take.", "2018"),
    ("This statement is for the financial year 2017/18 and describes actions we have taken and will continue to "
     "take.", "2017/18"),
])
def test_a_plan_word_far_from_the_year_does_not_stop_it_being_the_period(checks, text, year):
    state, reason, _ = decide(checks["period"], text)
    assert state == "met" and year in reason


@pytest.mark.parametrize("text", [
    # UK gate dev row 510: "as approved by" is the statement's approval, not a noun qualified by it
    "This statement is made pursuant to section 54(1) of the Modern Slavery Act 2015 and constitutes our Group's "
    "modern slavery and human trafficking statement for the financial year ending March 31st 2016 as approved by the "
    "Board on June 14th 2016.",
    # dev row 784: the boards, named before a lower-case noun, approve the statement itself
    "The boards of the relevant Zurich UK entities approved this statement between May and June 2019.",
])
def test_real_board_approvals_stay_met(checks, text):
    assert decide(checks["approval"], text)[0] == "met"


def test_a_plan_after_a_dated_period_leaves_the_period(checks):
    # UK gate test row 228 (Majedie)
    state, _, period = decide(checks["period"], "It is made in respect of the financial year ending 30 September 2018 "
                              "and will be reviewed for each subsequent financial year.")
    assert state == "met" and period == (None, "2018-09-30")


def test_a_canadian_attestation_signature_over_its_authority_line_is_kept(checks):
    # AIMS CA SID_357: the name cut over two lines, then the attestation's "I have the authority to bind"
    state, reason, _ = decide(checks["signature"], "John W", "Mather Director April 19, 2024",
                              "I have the authority to bind the Entities", filler=30)
    assert state == "met" and "John W" in reason


# -- issue 21, third round: errors read on dev, test, test2 and the hidden benchmark's findings -----

def _with_heading(check, *lines, heading=None, kind="paragraph", filler=30):
    """``lines`` as the closing sentences under ``heading`` (as segmentation gives them)."""
    texts = sentences(*lines, kind=kind, filler=filler)
    texts = [Sentence(index=s.index, text=s.text, page=s.page, start=0, end=0, kind=s.kind,
                      heading=heading if s.index >= filler else None) for s in texts]
    return decide_check(check, texts)


@pytest.mark.parametrize("text", [
    "BOARD APPROVAL: This statement was signed by the Managing Director on 3 June 2019.",
    "BOARD APPROVAL Ian Mcllroy, Managing Director",
    "Statement approval - This statement will be reviewed every year by our compliance team.",
])
def test_an_approval_heading_glued_to_the_line_under_it_is_not_approval(checks, text):
    # the hidden benchmark: "BOARD APPROVAL" as a heading counted as approval
    assert decide(checks["approval"], text)[0] == "not_found"


@pytest.mark.parametrize("text", [
    "BOARD APPROVAL: This statement was approved by the Board of Directors on 4 June 2019.",
    "Board approval: 4 June 2019",
])
def test_an_approval_under_its_heading_is_still_approval(checks, text):
    assert decide(checks["approval"], text)[0] == "met"


def test_a_board_approval_heading_laid_out_as_a_heading_is_not_approval(checks):
    state, _, _ = decide(checks["approval"], "Approval by the Board", kind="heading")
    assert state == "not_found"


def test_a_name_under_a_signatures_heading_is_a_signer_to_review(checks):
    # the hidden benchmark: "Signatures" / "Bryan McMurdo" was missed (not found)
    state, reason, _, _ = _with_heading(checks["signature"], "Bryan McMurdo", heading="Signatures", kind="heading")
    assert state == "not_explicit" and "Bryan McMurdo" in reason


def test_a_name_under_a_signatures_heading_with_a_title_line_is_met_and_named(checks):
    texts = sentences("Bryan McMurdo", filler=30, kind="heading") + [
        Sentence(index=31, text="Managing Director", page=2, start=0, end=0, kind="signature_block",
                 heading="Bryan McMurdo")]
    texts[30] = Sentence(index=30, text="Bryan McMurdo", page=2, start=0, end=0, kind="heading", heading="Signatures")
    state, reason, indexes, _ = decide_check(checks["signature"], texts)
    assert state == "met" and "Bryan McMurdo, Managing Director" in reason
    assert indexes == (30, 31)  # both lines are the evidence


def test_a_signing_cue_line_names_the_signer_on_the_next_line(checks):
    state, reason, _ = decide(checks["signature"], "Signed:", "Bryan McMurdo", kind="signature_block", filler=30)
    assert state == "not_explicit" and "Bryan McMurdo" in reason


def test_document_control_lines_are_not_a_signer(checks):
    # test2 row 572: "Last Updated: September 2019" / "Next Review: September 2020" / "Signed:"
    state, reason, _ = decide(checks["signature"], "Last Updated: September 2019\nNext Review: September 2020\nSigned:",
                              kind="signature_block", filler=30)
    assert state == "not_explicit" and "Last Updated" not in reason and "Next Review" not in reason


@pytest.mark.parametrize("text", [
    "THIS STATEMENT WAS APPROVED BY THE TUI EXECUTIVE BOARD AND THE TUI GROUP EXECUTIVE COMMITTEE",  # test2 rows 296, 412
    "This statement has been approved by the Board and the Executive Committee of Acme Holdings plc.",
])
def test_a_board_and_a_committee_approving_together_is_the_boards_approval(checks, text):
    state, reason, _ = decide(checks["approval"], text)
    assert state == "met" and "committee" not in reason.lower()


def test_a_board_committee_alone_is_still_the_committee(checks):
    state, _, _ = decide(checks["approval"], "This statement was approved by the Board Audit Committee on 3 May 2020.")
    assert state == "not_explicit"


def test_the_board_adopting_this_declaration_is_approval(checks):
    # test2 row 110 (a French group's "declaration")
    state, _, _ = decide(checks["approval"], "Full powers are given by the Board of Directors to the Chief Executive "
                         "Officer in order to sign a declaration incorporating the terms of this declaration as adopted "
                         "by the Board of Directors.")
    assert state == "met"


@pytest.mark.parametrize("line, title", [
    ("Lisa Bugajski Sr Director, Product Delivery Operations", "Sr Director"),  # test2 row 306
    ("Philippe Warnery Senior Vice-President, General Manager UK & Ireland", "Vice-President"),  # test2 row 546
])
def test_functional_director_and_vice_president_titles_are_not_a_director(checks, line, title):
    state, reason, _ = decide(checks["signature"], line, filler=30)
    assert state == "not_explicit" and title in reason


def test_a_member_of_the_llp_after_another_title_signs(checks):
    # test2 row 572, in the middle of the statement
    texts = sentences("Approved by the Members of the Partnership: 24th September 2019",
                      "Mark Laurence - Chief Operating Officer & Member of the LLP", filler=0) + sentences(filler=40)[2:]
    texts = [Sentence(index=i, text=s.text, page=1, start=0, end=0) for i, s in enumerate(texts)]
    state, reason, _, _ = decide_check(checks["signature"], texts)
    assert state == "met" and "Mark Laurence" in reason


def test_a_year_a_plan_starts_from_is_not_the_period(checks):
    # dev row 184 (Cogeco): the code's roll-out, not the statement's year
    state, reason, _ = decide(checks["period"], "Since October 2015 the Corporation has developed its Supplier Code of "
                              "Conduct, which is being progressively implemented starting in fiscal 2016.")
    assert state == "not_explicit" and "starting point" in reason


def test_a_period_cue_whose_date_runs_on_to_the_next_line(checks):
    # dev row 200 (Munich Re), test row 140: the date cut off by the layout
    state, _, period = decide(checks["period"], "This statement constitutes Munich Re UK Services Limited's slavery and "
                              "human trafficking statement for the financial year ending 31", "December 2018")
    assert state == "met" and period == (None, "2018-12-31")
    state, _, period = decide(checks["period"], "Financial Year Ending 31st December", "2016")
    assert state == "met" and period == (None, "2016-12-31")
    # test3 row 422 (Daiwa Capital Markets): the splitter ran the date line into the signing line under it
    state, _, period = decide(checks["period"], "This statement is made pursuant to section 54(1) of the Modern "
                              "Slavery Act 2015 and constitutes our slavery and human trafficking statement for the "
                              "financial year ending 31", "March 2019.\nKeith Meekins - Chief Executive Officer")
    assert state == "met" and period == (None, "2019-03-31")


@pytest.mark.parametrize("title, year", [
    ("Slavery and human trafficking statement", "2016"),  # test2 row 21
    ("Anti-slavery and Human Trafficking Transparency Statement", "2016 - 2017"),  # test2 row 168
])
def test_the_titles_year_on_a_line_of_its_own_is_the_period(checks, title, year):
    texts = [Sentence(index=0, text=title, page=1, start=0, end=0, kind="heading"),
             Sentence(index=1, text=year, page=1, start=0, end=0)] + \
        [Sentence(index=i, text=s.text, page=1, start=0, end=0) for i, s in enumerate(sentences(filler=20)[2:], 2)]
    state, reason, indexes, _ = decide_check(checks["period"], texts)
    assert state == "met" and year in reason and indexes == (0, 1)


def test_a_year_line_under_a_heading_that_is_no_title_is_not_the_period(checks):
    texts = [Sentence(index=0, text="Our people in numbers", page=1, start=0, end=0, kind="heading"),
             Sentence(index=1, text="2016", page=1, start=0, end=0)] + \
        [Sentence(index=i, text=s.text, page=1, start=0, end=0) for i, s in enumerate(sentences(filler=20)[2:], 2)]
    assert decide_check(checks["period"], texts)[0] == "not_found"


def test_the_gate_wording_lists_are_rubric_data(tmp_path):
    """The plan, other-period, figures and not-a-signature-box words are read from the rubric: a staff
    edit changes the decision, and a rubric without them is refused on load."""
    from disclosure_check.rubric import rubric_to_data

    rubric = load_rubric()
    data = rubric_to_data(rubric)
    period = next(g for g in data["gate"] if g["decide"] == "period")
    text = "Steps to take during our 2018 financial year"
    check = next(g for g in rubric.gate if g.decide == "period")
    assert decide_check(check, sentences(text))[0] == "not_explicit"
    period["terms"]["plans"] = [w for w in period["terms"]["plans"] if w != "steps to take"]
    edited = next(g for g in parse_rubric(data, where="edited.yaml").gate if g.decide == "period")
    assert decide_check(edited, sentences(text))[0] == "met"
    del period["terms"]["other_periods"]
    with pytest.raises(RubricError, match="other_periods"):
        parse_rubric(data, where="edited.yaml")


@pytest.mark.parametrize("line, company", [
    # test2 row 669: the signature an image, the line under it "Chief Executive Officer Ed Broking LLP 14 May 2019"
    ("Chief Executive Officer Ed Broking LLP 14 May 2019 https://www.edbroking.com/slavery-and-human-trafficking-"
     "statement Accessed 23.01.2020", "Ed Broking LLP"),
    ("Director of AIG Europe Limited", "AIG Europe Limited"),  # test2 row 386
])
def test_a_signing_line_with_a_title_and_company_but_no_name_is_signed(checks, line, company):
    state, reason, _ = decide(checks["signature"], line, filler=30)
    assert state == "met" and company in reason and "no name" in reason


@pytest.mark.parametrize("line", [
    "Our Chief Executive Officer chairs the steering group of Acme Holdings plc.",  # prose
    "Director of Procurement, Acme Ltd, is responsible for supplier audits and reports to the board each year.",
])
def test_a_title_and_company_in_prose_is_not_a_signing_line(checks, line):
    assert decide(checks["signature"], line, filler=30)[0] == "not_found"


@pytest.mark.parametrize("lines", [
    ["Jane Smith", "Company Secretary & Director of Legal Services"],
    ["Signed: Jane Smith, Director of Procurement"],
])
def test_a_company_secretary_or_a_functions_director_is_not_a_director(checks, lines):
    # the hidden benchmark: a company secretary is not a director
    state, reason, _ = decide(checks["signature"], *lines, kind="signature_block", filler=30)
    assert state == "not_explicit" and "no director title" in reason


def test_a_director_and_company_secretary_is_a_director(checks):
    state, reason, _ = decide(checks["signature"], "Jane Smith", "Director and Company Secretary", kind="signature_block",
                              filler=30)
    assert state == "met"


def test_a_signature_rule_starts_the_signing_line_run_into_other_text(checks):
    # test2 row 338: a printed web page runs the links above into the signing line
    state, reason, _ = decide(checks["signature"], "Modern Slavery Act Statement 2016 Modern Slavery Act Statement 2017 "
                              "____ Dave Brosnan Chief Executive Officer, CNA Hardy "
                              "https://www.cnahardy.com/site-services/modern-slavery-act-stat...", filler=30)
    assert state == "met" and "Dave Brosnan" in reason


def test_a_blank_signature_form_names_no_signer(checks):
    state, reason, _ = decide(checks["signature"], "Signed: ______________ Date: ____________", filler=30)
    assert state == "not_explicit" and "no signer named" in reason


def test_the_year_under_a_policys_title_is_not_a_period(checks):
    # the Infosys "Human Rights Policy Statement" / "2021" (a policy's version, not a statement's year)
    texts = [Sentence(index=0, text="Human Rights Policy Statement", page=1, start=0, end=0, kind="heading"),
             Sentence(index=1, text="2021", page=1, start=0, end=0)] + \
        [Sentence(index=i, text=s.text, page=1, start=0, end=0) for i, s in enumerate(sentences(filler=20)[2:], 2)]
    assert decide_check(checks["period"], texts)[0] == "not_found"


def test_a_cue_over_a_named_signer_gives_the_signers_reason(checks):
    state, reason, _ = decide(checks["signature"], "By order of the Board", "Jane Smith, Company Secretary", filler=30)
    assert state == "not_explicit" and "Jane Smith, Company Secretary" in reason


def test_a_company_before_the_signing_cue_is_not_the_signer(checks):
    # the Standard Life Aberdeen sample: the company's name is no person's
    state, reason, _ = decide(checks["signature"], "This Statement was approved by the Board of Directors of Standard "
                              "Life Aberdeen plc, and is signed by:",
                              "Keith Skeoch/Martin Gilbert Co-Chief Executives February 2018", filler=30)
    assert state == "met" and "Keith Skeoch" in reason and "Standard Life Aberdeen," not in reason


@pytest.mark.parametrize("where", ["start", "end"])
def test_a_signing_line_run_into_the_next_sentence_is_a_signature(checks, where):
    # the hidden benchmark: the block "Ian Mcllroy, Managing Director" was missed; here the layout joined it
    # to the sentence under it
    line = "Ian Mcllroy, Managing Director This statement was approved by the board on 3 June 2019."
    filler = sentences(filler=30)[:30]
    texts = [line] + [s.text for s in filler] if where == "start" else [s.text for s in filler] + [line]
    texts = [Sentence(index=i, text=t, page=1, start=0, end=0) for i, t in enumerate(texts)]
    state, reason, _, _ = decide_check(checks["signature"], texts)
    assert state == "met" and "Ian Mcllroy" in reason


def test_a_name_and_title_going_on_about_the_person_is_still_prose(checks):
    texts = ["Ian Mcllroy, Managing Director, said the company had trained all its buyers."] + \
        [s.text for s in sentences(filler=30)[:30]]
    texts = [Sentence(index=i, text=t, page=1, start=0, end=0) for i, t in enumerate(texts)]
    assert decide_check(checks["signature"], texts)[0] == "not_found"


# -- review fixes: a committee's name, a board biography, a title-and-company line ------------------

@pytest.mark.parametrize("text", [
    "This statement was approved by the Board's Audit and Risk Committee.",
    "This statement was approved by the Board Audit & Risk Committee on 3 May 2020.",
    "This statement was approved by the Board Risk and Compliance Committee on 3 May 2020.",
])
def test_a_board_committee_whose_name_has_and_in_it_is_the_committee(checks, text):
    state, reason, _ = decide(checks["approval"], text)
    assert state == "not_explicit" and "Committee" in reason


@pytest.mark.parametrize("text", [
    "This statement was approved by the TUI Executive Board and the TUI Group Executive Committee.",
    "This statement was approved by the Board and its Audit Committee on 3 May 2020.",
])
def test_a_board_and_then_a_committee_are_two_bodies(checks, text):
    assert decide(checks["approval"], text)[0] == "met"


@pytest.mark.parametrize("bio", [
    "Jane Smith Chief Executive Officer In her role as Chief Executive, Jane is responsible for the Group's strategy "
    "and has led the business since 2015.",
    "Jane Smith, Chief Executive Officer At the launch of our programme, Jane said that slavery has no place in our "
    "business.",
])
def test_a_board_biography_mid_document_is_not_a_signature(checks, bio):
    filler = "We expect our suppliers to respect human rights and to comply with our Supplier Code of Conduct."
    texts = [filler] * 5 + [bio] + [filler] * 30
    assert decide_check(checks["signature"], sentences(*texts))[0] == "not_found"


@pytest.mark.parametrize("line", [
    "Chair of the Modern Slavery Working Group",
    "Chair of the ESG Steering Group",
    "President, Acme Bank",
    "Trustee, Acme Foundation Trust Group",
    "Chief Executive Officer Group Holdings",
])
def test_a_title_over_a_group_or_team_with_no_legal_form_is_not_a_signing_line(checks, line):
    assert decide(checks["signature"], line, filler=30)[0] == "not_found"


@pytest.mark.parametrize("lines, kind", [
    (("Chief Executive Officer, Acme Group Limited",), "table_row"),
    (("Director, Acme Holdings Limited",), "heading"),
])
def test_a_title_and_company_in_a_table_or_heading_is_not_a_signing_line(checks, lines, kind):
    assert decide(checks["signature"], *lines, kind=kind, filler=30)[0] != "met"


def test_a_title_and_company_heading_over_its_signing_date_is_signed(checks):
    # test2 row 386: "Director of AIG Europe Limited" laid out as a heading, "2017" under it, then the
    # group's boilerplate; the same heading over a section's prose is not a signature
    filler = "We expect our suppliers to respect human rights and to comply with our Supplier Code of Conduct."
    texts = [filler] * 30 + ["Director of AIG Europe Limited", "2017"] + [filler] * 8
    sents = sentences(*texts)
    sents[30] = Sentence(index=30, text=texts[30], page=2, start=0, end=0, kind="heading")
    state, reason, _, _ = decide_check(checks["signature"], sents)
    assert state == "met" and "AIG Europe Limited" in reason
    sents[31] = Sentence(index=31, text=filler, page=2, start=0, end=0)
    assert decide_check(checks["signature"], sents)[0] != "met"


def test_a_title_and_company_line_mid_text_is_not_a_signature(checks):
    filler = "We expect our suppliers to respect human rights and to comply with our Supplier Code of Conduct."
    texts = [filler] * 30 + ["Partner, Acme LLP"] + [filler] * 5
    assert decide_check(checks["signature"], sentences(*texts))[0] == "not_explicit"
    # under a signing cue it signs
    texts = [filler] * 30 + ["Signed on behalf of the partners", "Partner, Acme LLP"] + [filler] * 5
    assert decide_check(checks["signature"], sentences(*texts))[0] == "met"


@pytest.mark.parametrize("lines", [
    ("Slavery and Human Trafficking Statement pursuant to the Modern Slavery Act", "2015"),
    ("Statement under section 54 of the Modern Slavery Act", "2015"),
    ("We will review this statement during the next financial year", "2021"),
])
def test_a_year_line_under_the_act_or_a_plan_is_not_the_period(checks, lines):
    state, _, period = decide(checks["period"], *lines)
    assert state != "met" and period is None


@pytest.mark.parametrize("lines", [
    ("This statement covers the activities of the Group during the financial year.", "12 June 2020",
     "Jane Smith, Director"),
    ("This statement sets out the steps taken during our financial year.", "2023 Highlights"),
])
def test_a_date_line_under_a_finished_period_sentence_is_not_its_date(checks, lines):
    state, _, period = decide(checks["period"], *lines)
    assert state != "met" and period is None


@pytest.mark.parametrize("lines, period", [
    (("This statement is made for the financial year ending 31", "December 2018"), (None, "2018-12-31")),
    (("Financial Year Ending 31st December", "2016"), (None, "2016-12-31")),
])
def test_a_date_line_completing_a_dangling_period_cue_is_its_date(checks, lines, period):
    state, _, found = decide(checks["period"], *lines)
    assert state == "met" and found == period


def test_a_title_year_on_its_own_line_is_still_the_period(checks):
    assert decide(checks["period"], "Modern Slavery Statement", "2016")[0] == "met"


@pytest.mark.parametrize("text", ["Siemens Energy AG", "Banco Santander SA", "Robert Bosch GmbH", "SAP SE", "Acme S.A."])
def test_a_company_with_a_legal_form_is_not_a_persons_name(text):
    assert has_name(text) is None


@pytest.mark.parametrize("lines", [("Siemens Energy AG", "Chief Executive Officer"), ("Banco Santander SA, Director",)])
def test_a_company_name_over_a_title_is_not_a_signer(checks, lines):
    assert decide(checks["signature"], *lines, filler=20)[0] != "met"


def test_a_signer_with_a_company_after_the_title_is_still_named():
    assert has_name("Christian Bruch, President and CEO, Siemens Energy AG") == "Christian Bruch"


@pytest.mark.parametrize("text", [
    "Approved December 2021 by the Board of Management of Grampians Health",  # AIMS AU 7707
    "This statement has been approved by the board of directors of Planit Test Management Solutions on 24th of "
    "November 2022",  # AIMS AU 10959: "Management" in the company's name is not a delegate
])
def test_a_board_of_a_named_company_is_the_board(checks, text):
    assert decide(checks["approval"], text)[0] == "met"


def test_a_signing_line_run_into_the_next_section_is_still_a_signature(checks):
    # AIMS AU 9285: the signing line, the trustee's name and the next section's heading and sentence in one
    line = ("______________________________ Christopher Green Director The Trust Company (Australia) Limited "
            "Consultation This statement was developed in consultation with the investment manager for the Trust")
    state, reason, _ = decide(checks["signature"], line, filler=3)
    assert state == "met" and "Christopher Green" in reason


@pytest.mark.parametrize("text", [
    # test3 rows 712, 722, 826 (labelled "other": approved for the board, not by it)
    "This statement has been approved on behalf of the members of Generation Investment Management LLP.",
    "This statement has been approved on behalf of the Legal & General Group Board and will be submitted for further "
    "ratification at a future Board meeting.",
    "This statement was approved on behalf of the Board of Directors on 22/3/19 by Jeff Brinley, CEO.",
])
def test_approved_on_behalf_of_the_board_is_not_said_to_be_the_boards_own_approval(checks, text):
    state, reason, _ = decide(checks["approval"], text)
    assert state == "not_explicit" and "on behalf of" in reason


@pytest.mark.parametrize("text", [
    "This statement was approved by the Board of Directors on behalf of Rowan Companies plc and applicable UK "
    "subsidiaries.",  # dev row 360
    "This statement was approved by the board of directors of Acme Holdings Limited on behalf of the Group.",
])
def test_the_boards_approval_made_for_a_company_is_still_the_boards(checks, text):
    state, _, _ = decide(checks["approval"], text)
    assert state == "met"


def test_on_behalf_wording_is_rubric_data(checks):
    """The "on behalf of" wording lives in the rubric's gate terms: a rubric that names another wording
    decides by it, one without the list treats the board as the approver."""
    text = "This statement was approved for and in the name of the Board of Directors on 3 May 2021."
    assert decide(checks["approval"], text)[0] == "met"
    named = dataclasses.replace(checks["approval"],
                                terms={**checks["approval"].terms, "on_behalf": ("in the name of",)})
    state, reason, _ = decide(named, text)
    assert state == "not_explicit" and "on behalf of" in reason
    without = dataclasses.replace(checks["approval"],
                                  terms={k: v for k, v in checks["approval"].terms.items() if k != "on_behalf"})
    assert decide(without, "This statement was approved on behalf of the members of Acme Partners LLP.")[0] == "met"


# -- fourth round: test4's errors (rows of uk_gate.csv test4, read after its blind measurement) ----------

def test_a_committees_chair_is_not_a_director_title(checks):
    # test4 row 148: a co-COO who chairs the CSR committee is a signer with another title
    state, reason, _ = decide(checks["signature"], "Ornella Barra Co-Chief Operating Officer Walgreens Boots Alliance, "
                              "Inc. Chairman of the Corporate Social Responsibility Committee", filler=3)
    assert state == "not_explicit" and "no director title" in reason
    state, reason, _ = decide(checks["signature"], "Jane Smith, Chair of the Board's Audit & Risk Committee", filler=3)
    assert state == "not_explicit"


@pytest.mark.parametrize("text", [
    "Philip Harting Chairman of the Board",  # test4 row 74
    "Jane Smith, Chair of the Audit Committee and Director",
    "Hassan Kadbi Chief Executive Officer Executive Committee",  # test4 row 57: no "of", the CEO's own title
])
def test_a_boards_chair_or_a_director_who_also_chairs_a_committee_still_signs(checks, text):
    assert decide(checks["signature"], text, filler=3)[0] == "met"


def test_committee_words_are_rubric_data(checks):
    text = "Jane Smith, Chair of the Ethics Council"
    assert decide(checks["signature"], text, filler=3)[0] == "met"
    named = dataclasses.replace(checks["signature"],
                                terms={**checks["signature"].terms, "committees": ("council",)})
    assert decide(named, text, filler=3)[0] == "not_explicit"


def test_a_chief_finance_officer_signs(checks):
    # test4 row 659: "Chief Finance Officer" is the CFO (a director-equivalent title in the protocol)
    state, reason, _ = decide(checks["signature"], "Mike Larkin Chief Finance Officer For and behalf of Sainsbury’s "
                              "Bank plc and Home Retail Group Card Services Limited 20 June 2019", filler=3)
    assert state == "met" and "Mike Larkin" in reason


def test_a_title_line_taken_for_a_heading_between_name_and_cue_signs(checks):
    # test4 row 660: "Paul McMillan" / "CEO" / "For and on behalf of Acenden Limited": the one-word "CEO"
    # line became the heading of the cue under it and is not a sentence of its own
    body = [Sentence(index=i, text="We expect our suppliers to respect human rights.", page=1, start=0, end=0,
                     heading="FURTHER STEPS") for i in range(3)]
    lines = [Sentence(index=3, text="Paul McMillan", page=1, start=0, end=0, kind="heading", heading="FURTHER STEPS"),
             Sentence(index=4, text="For and on behalf of Acenden Limited", page=1, start=0, end=0, heading="CEO"),
             Sentence(index=5, text="October 2017", page=1, start=0, end=0, kind="heading", heading="CEO")]
    state, reason, indexes, _ = decide_check(checks["signature"], body + lines)
    assert state == "met" and "Paul McMillan, CEO" in reason and indexes == (3, 4)
    # the same cue under a section heading that is not a title stays unnamed
    lines[1] = dataclasses.replace(lines[1], heading="Further steps")
    assert decide_check(checks["signature"], body + lines)[0] == "not_explicit"


def test_an_approval_cut_by_extraction_is_read_with_its_subject(checks):
    # test4 row 677: a two-column page put other lines between "... has" and "been approved by ..."
    texts = ["This modern slavery and human trafficking statement for the financial year ending 31 December 2018 has",
             "About The Savoy, its business and its supply chains",
             "dates back to 1889.",
             "been approved by the board of directors of TSHL on 13 March 2019.\nSean P. Harrison\nDirector"]
    state, reason, indexes, _ = decide_check(checks["approval"], sentences(*texts, filler=3))
    assert state == "met" and "board of directors" in reason and indexes == (3, 6)
    # a fragment with no cut subject before it says nothing about the statement
    assert decide(checks["approval"], "dates back to 1889.", texts[3], filler=3)[0] == "not_found"


@pytest.mark.parametrize("text, state", [
    # test4 row 545: the Managing Director approved it, the board consented to its issue
    ("This statement is issued with the consent of the Board of Directors of Jurys Inn & Leonardo Hotels UK and "
     "Ireland, as represented by the Managing Director, who has duly approved this statement.", "not_explicit"),
    ("This statement was reviewed by the Executive Committee and the Board of Directors, which formally approved this "
     "statement on 3 May 2021.", "met"),
])
def test_a_relative_clauses_approval_is_the_nearest_bodys(checks, text, state):
    assert decide(checks["approval"], text)[0] == state


def test_a_business_year_is_a_period(checks):
    # test4 row 74
    state, reason, _ = decide(checks["period"], "This UK Modern Slavery Act Transparency Statement is made in "
                              "accordance with section 54(1) of the Act by end of business year September 2016 and has "
                              "been duly approved and adopted by the Board of directors.")
    assert state == "met" and "2016" in reason


def test_a_year_closing_the_title_line_is_the_period(checks):
    # test4 row 472
    state, reason, _ = decide(checks["period"], "Statement on Slavery and Human Trafficking 2017",
                              "WD Meats offers the following statement regarding its efforts to prevent slavery.")
    assert state == "met" and "2017" in reason
    # a month before it makes it the date of issue (dev row 184), as before
    state, _, _ = decide(checks["period"], "Statement against Slavery, Forced Labor and Human Trafficking May 2016",
                         "Cogeco Inc. operates in the communications and media sectors.")
    assert state == "not_found"


def test_a_period_date_cut_into_the_next_sentence_is_joined(checks):
    # test4 row 467: the splitter cut "31" / "December 2017 for Man Group plc ..." at the line break
    state, _, period = decide(checks["period"], "This statement is made pursuant to section 54 of the Modern Slavery "
                              "Act 2015 and constitutes the slavery and human trafficking statement for the financial "
                              "year ended 31", 'December 2017 for Man Group plc and its subsidiaries ("Man Group").')
    assert state == "met" and period == (None, "2017-12-31")


def test_a_period_date_put_elsewhere_by_extraction_is_the_one_orphan_date(checks):
    # test4 row 901 (and test2 row 272, the same firm a year later): "... for the financial year ending"
    # and, two columns away, "31st March 2017." over the signature
    cue = ("This statement is made pursuant to section 54(1) of the Modern Slavery Act 2015 and constitutes our "
           "slavery and human trafficking statement for the financial year ending")
    texts = [cue, "DAIWA CAPITAL MARKETS EUROPE LIMITED", "Human Resources.",
             "31st March 2017.\nKeith Meekins - Chief Executive Officer\nDate:"]
    state, _, period = decide(checks["period"], *texts)
    assert state == "met" and period == (None, "2017-03-31")
    # two such lines: which one is the period's is not known
    assert decide(checks["period"], *texts[:3], "1st April 2016.", texts[3])[0] == "not_explicit"
    # a finished sentence does not wait for a date
    assert decide(checks["period"], "We reviewed our suppliers during the financial year.", *texts[1:])[0] \
        == "not_explicit"


def test_a_letterhead_line_of_fields_signs_nothing(checks):
    # test4 row 57, rendered: the footer under the CEO's signing line lists the chairman ("COB") and the CEO;
    # its "Fontana | CEO" is no signer and title
    footer = ("Hapimag AG | Sumpfstrasse 18 | 6312 Steinhausen | Schweiz | COB: Dr. Giatgen Peder Fontana | CEO: "
              "Hassan Kadbi")
    state, reason, _ = decide(checks["signature"], "Hassan Kadbi Chief Executive Officer Executive Committee", footer,
                              filler=3)
    assert state == "met" and "Fontana" not in reason
    assert decide(checks["signature"], footer, filler=3)[0] == "not_found"


# -- review findings: a title's year --------------------------------------------------------------

@pytest.mark.parametrize("lines", [
    ("Modern Slavery Statement", "This statement was approved by our Board of Directors in 2019."),
    ("Modern Slavery Statement", "We have published a modern slavery statement every year since 2016."),
    ("Modern Slavery Statement under the Modern Slavery Act (2015)",),
    ("Slavery and Human Trafficking Statement - Modern Slavery Act, 2015",),
    ("Statement on Modern Slavery – Section 54, MSA 2015",),
    ("Modern Slavery Statement of Acme Limited, incorporated in 2009",),
])
def test_a_sentence_or_the_acts_year_is_no_title_year(checks, lines):
    # a sentence's year (approval, a history) or the Act's own is not the period the statement covers
    state, reason, period = decide(checks["period"], *lines, "We are a manufacturer of industrial pumps based in Leeds.")
    assert state != "met", reason


@pytest.mark.parametrize("texts", [
    ("This statement sets out the policies that have", "Our suppliers", "been approved by the Board and apply to all suppliers."),
    ("Our Anti-Slavery and Human Trafficking Policy, which is referenced throughout this statement, has", "Our business",
     "been approved by the Board of Directors and is reviewed annually."),
    ("The Supplier Code of Conduct described in this statement has", "Our business",
     "been approved by the Board of Directors."),
    ("Each supplier listed in this report was", "Our suppliers", "approved by the Board before onboarding."),
])
def test_a_cut_approval_joins_only_the_statement_as_its_subject(checks, texts):
    # the sentence cut before "been approved" is about policies or suppliers, not the statement
    assert decide(checks["approval"], *texts, filler=3)[0] == "not_found"


def test_a_signing_date_under_the_signer_is_not_the_period_end(checks):
    # the cue waits for its date; the only lone date line is the one under the signer's name and title
    cue = ("This statement is made pursuant to section 54(1) of the Modern Slavery Act 2015 and constitutes our "
           "slavery and human trafficking statement for the financial year ending")
    texts = (cue, "Our business", "We operate in the UK.", "This statement was approved by the Board.",
             "John Smith\nDirector", "12 September 2019.")
    state, reason, period = decide(checks["period"], *texts, filler=3)
    assert state == "not_explicit" and period is None, reason
    # a lone date with no signer above it still closes the cue (a two-column page)
    state, _, period = decide(checks["period"], cue, "Our business", "We operate in the UK.", "31st March 2017.",
                              "We will continue to review our suppliers.", filler=3)
    assert state == "met" and period == (None, "2017-03-31")
    # uk_texts id 253: the date over the signer, under a list item, closes the cue
    state, _, period = decide(checks["period"], cue, "Human Resources.", "Information Security.",
                              "31st March 2017.\nKeith Meekins - Chief Executive Officer\nDate:", filler=3)
    assert state == "met" and period == (None, "2017-03-31")


@pytest.mark.parametrize("lines", [
    ("Our key performance indicators for the financial year are set out in table 2",
     "2020 saw us train 400 staff across our UK sites."),
    ("Our report for the financial year ending", "Market 2020 was a difficult year for our suppliers."),
])
def test_a_year_opening_the_next_sentence_does_not_complete_a_cue(checks, lines):
    # the next line's first words are borrowed only when they make a date with the cue's end
    state, reason, _ = decide(checks["period"], *lines, filler=3)
    assert state == "not_explicit", reason


def test_a_footer_line_of_fields_that_signs_is_read_field_by_field(checks):
    # a line with three "|" is a letterhead only when two of its fields are labelled with officers' titles
    line = "Signed by John Smith, Director | Date: 12 June 2020 | For and on behalf of Acme Ltd | Page 5"
    state, reason, _ = decide(checks["signature"], line, filler=3)
    assert state == "met" and "John Smith" in reason


@pytest.mark.parametrize("text", [
    "This statement is issued with the consent of the Board of Directors of Jurys Inn, as represented by the Managing "
    "Director, who has reviewed and approved this statement.",
    "This statement is issued with the consent of the Board of Directors of Jurys Inn, as represented by the Managing "
    "Director, who on 3 May 2021 approved this statement.",
    "The Board of Directors has delegated this to the Executive Committee, which has considered and approved this "
    "statement.",
    "The Board of Directors has delegated this to the Executive Committee, which, on 3 May, approved this statement.",
    "The Board of Directors has delegated this to the Executive Committee that approved this statement.",
])
def test_a_relative_clause_with_more_words_is_still_the_nearest_bodys(checks, text):
    # "who has reviewed and approved", "which, on 3 May, approved", "that approved": the body it follows approved
    state, reason, _ = decide(checks["approval"], text)
    assert state == "not_explicit", reason


@pytest.mark.parametrize("lines", [
    ("John Smith, Chair of the Board and Nomination Committee",),
    ("Signed by Jane Doe\nChairman of the Board & Nominations Committee",),
])
def test_the_chair_of_the_board_and_a_committee_signs_as_a_director(checks, lines):
    state, reason, _ = decide(checks["signature"], *lines, filler=3)
    assert state == "met", reason


def test_a_board_committees_chair_is_not_explicit_with_its_own_reason(checks):
    # uk_texts id 162 (Sysco): the committee "of the Board of Directors" approved, its chair signed; the chair
    # of a board committee sits on the board, but the protocol's "director" needs a director title (a chair
    # of the board or company), so the signature stays for the reader, with the reason saying why
    state, reason, _ = decide(checks["signature"], "This statement was approved by the Corporate Sustainability "
                              "Committee of the Board of Directors.",
                              "Judith B. Craven\nChair of the Corporate Sustainability Committee", filler=3)
    assert state == "not_explicit" and "committee of the board" in reason
    state, reason, _ = decide(checks["signature"], "Jane Doe\nChair, Audit Committee", filler=3)
    assert state == "not_explicit" and "committee's chair" in reason


def test_an_approval_line_run_into_the_signing_line_above_it_is_read_as_both(checks):
    # test5 row 403 (ICG): the signer's title and the approval line under it came out as one sentence
    line = ("Philip Keller, Chief Finance and Operating Officer Approved by the Board of Directors of INTERMEDIATE "
            "CAPITAL GROUP PLC and the Board of each of its subsidiaries incorporated in England and Wales")
    state, reason, _ = decide(checks["approval"], "Signed", line, filler=30)
    assert state == "met" and "Board of Directors" in reason
    state, reason, _ = decide(checks["signature"], "Signed", line, filler=30)
    assert state == "met" and "Philip Keller, Chief Finance and Operating Officer" in reason and "Approved" not in reason


@pytest.mark.parametrize("text", [
    "OUR SUPPLIER CODE OF CONDUCT WAS APPROVED BY THE BOARD IN 2019.",
    "We expect our suppliers to follow our Supplier Code of Conduct, which was Approved by the Board in 2019.",
])
def test_a_capitalised_approval_verb_in_prose_about_another_document_is_not_the_statements(checks, text):
    assert decide(checks["approval"], text, filler=30)[0] == "not_found"


@pytest.mark.parametrize("lines", [
    # test5 row 180: a functional director, named the other way round from "Director of Legal"
    ("This Modern Slavery and Human Trafficking Statement has been approved and authorised by:",
     "Group Legal Director & General Counsel (Solicitor)"),
    ("Jane Doe\nProcurement Director",),
    ("Signed: John Smith, Sustainability Director",),
])
def test_a_functional_director_signs_as_another_title(checks, lines):
    state, reason, _ = decide(checks["signature"], *lines, kind="signature_block", filler=30)
    assert state == "not_explicit", reason


WEBSITE_AFTER = ["How we tailor-make your fitted living space", "Our qualified team will take care of every detail.",
                 "Interior design ideas and space creating solutions", "BOOK A DESIGN VISIT", "Visit a showroom",
                 "The best way to experience our furniture is to see it for yourself in one of our showrooms.",
                 "FIND NEAREST STORE", "Latest brochures", "DOWNLOAD BROCHURE", "Contact us 0800 021 4360",
                 "CALL ME BACK", "Privacy Policy", "Terms & Conditions", "Careers", "Testimonials", "Partners",
                 "Showroom Directory", "Finance Offers"]


@pytest.mark.parametrize("name, title", [
    # test5 rows 952 and 967: the statement's closing name and title, then a website's pages after it
    ("Mark Hammonds", "Joint Managing Director Hammonds Furniture Ltd Date: July 2017"),
    ("Alasdair Robertson", "Global Managing Partner, Maples Group"),
])
def test_a_name_over_a_title_with_its_company_signs_before_a_websites_pages(checks, name, title):
    body = sentences(filler=30)
    lines = [*(s.text for s in body), "This statement constitutes our slavery and human trafficking statement for the "
             "financial year ending 30 June 2017.", name, title, *WEBSITE_AFTER]
    texts = [Sentence(index=i, text=t, page=1, start=0, end=0, kind="heading" if t in (name, title) else "paragraph")
             for i, t in enumerate(lines)]
    state, reason, _, _ = decide_check(checks["signature"], texts)
    assert state == "met" and name in reason, reason


def test_a_name_over_a_title_in_the_middle_of_a_statement_is_still_not_a_signature(checks):
    # the company on the title line makes the signing context; a name over a bare title line does not
    lines = [*(s.text for s in sentences(filler=30)), "Jane Smith", "Managing Director", *WEBSITE_AFTER]
    texts = [Sentence(index=i, text=t, page=1, start=0, end=0) for i, t in enumerate(lines)]
    assert decide_check(checks["signature"], texts)[0] == "not_found"


@pytest.mark.parametrize("text", [
    # a draft's title-case header: the words before "Approved by" say it is not approved yet
    "Modern Slavery Statement 2020 – Draft To Be Approved by the Board of Directors",
    "This Statement Will Be Approved by the Board of Directors in June 2021",
])
def test_a_title_case_line_saying_the_approval_is_to_come_is_not_approval(checks, text):
    assert decide(checks["approval"], text, filler=30)[0] != "met"


def test_a_title_case_line_saying_the_statement_is_not_approved_is_a_refusal(checks):
    state, _, _ = decide(checks["approval"], "This Statement Has Not Yet Been Approved by the Board of Directors",
                         filler=30)
    assert state == "not_met"


@pytest.mark.parametrize("text", [
    # a policy table's row or a heading over another document: its approval is not the statement's
    "Whistleblowing Policy Approved by the Board on 12 March 2019",
    "Supplier Code of Conduct Approved by the Board of Directors in 2019",
    "Anti-Slavery Policy Adopted by the Board in May 2018",
])
def test_another_documents_title_glued_to_its_approval_is_not_the_statements(checks, text):
    assert decide(checks["approval"], text, filler=30)[0] == "not_found"


def test_the_statements_title_glued_to_its_approval_is_met(checks):
    text = "Modern Slavery Statement Approved by the Board of Directors on 1 June 2020"
    assert decide(checks["approval"], text, filler=30)[0] == "met"


@pytest.mark.parametrize("team", [
    ["Jane Smith", "Managing Director, Acme Group Services", "John Brown", "Head of Procurement"],
    ["Jane Smith", "Managing Director, Acme Bank", "John Brown", "Head of Procurement"],
    ["Jane Smith", "Chief Executive Officer, Acme Holdings Limited"],
])
def test_a_team_listed_in_the_middle_of_a_statement_has_not_signed_it(checks, team):
    # a steering group's members, named over their titles (one with the company on the title line), mid-statement
    body = [s.text for s in sentences(filler=30)]
    lines = [*body[:15], "Our Modern Slavery Steering Group is made up of:", *team, "Mary Jones",
             "Head of Human Resources", *body[15:]]
    texts = [Sentence(index=i, text=t, page=1, start=0, end=0) for i, t in enumerate(lines)]
    assert decide_check(checks["signature"], texts)[0] == "not_found"
