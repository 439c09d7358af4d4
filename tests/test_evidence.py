"""Evidence that belongs to its criterion (issue 21), on realistic statement and letter wording: a
sentence a signal brings counts only when it is about the criterion's subject; obligation and plan
wording is never "implemented"; KPIs need a figure; a named risk is a specific risk; a bank's
policy that covers lending counts; greetings and sign-offs are never evidence."""

from __future__ import annotations

import pytest

from disclosure_check.classify.rules import RuleClassifier
from disclosure_check.pipeline import ScoreOptions, Scorer
from disclosure_check.train.documents import text_to_document

BODY = ("Acme Trading Limited is a UK company that buys and sells agricultural commodities. "
        "We employ 120 people at our offices in London and Singapore.")


@pytest.fixture(scope="module")
def score(rubric, models):
    scorers = {}

    def run(text: str, **options):
        key = tuple(sorted(options.items()))
        scorers.setdefault(key, Scorer(rubric, models, ScoreOptions(**options)))
        return scorers[key].score_document(text_to_document(text, "t"))
    return run


def criterion(result, cid):
    return next(c for c in result.maturity.criteria if c.id == cid)


def cited(result, cid) -> set[str]:
    return {e.text for e in criterion(result, cid).evidence}


def test_obligation_wording_cut_at_etc_is_one_planned_sentence(score):
    sentence = ("The Group Directors and Senior Management shall take the responsibility for implementing this "
                "policy statement and its objectives and shall provide adequate resources (training etc.) and "
                "investment to ensure that slavery and human trafficking is not taking place within the organisation "
                "or within its supply chains.")
    result = score(f"Modern Slavery Statement FY 2024/25\n\n{BODY}\n\n{sentence}")
    training = criterion(result, "C18")
    assert training.level <= 1  # "shall" is an obligation, not training given to leaders
    assert all(e.status == "planned" for e in training.evidence if e.text.startswith("The Group Directors"))
    assert sentence in cited(result, "C18")  # whole: not cut after "etc.)"


def test_a_bank_policy_that_covers_lending_is_a_financial_activity_policy(score):
    letter = ("Dear Commissioner,\n\nThank you for your letter of 12 May about the role of the financial sector.\n\n"
              "Modern slavery risk is part of our Environmental and Social Risk Policy, which applies to all corporate "
              "and commercial lending, project finance and underwriting.\n\nYours sincerely,\n\nJane Smith\n\n"
              "Chief Executive Officer")
    result = score(letter, doc_type="letter", sector="bank")
    policies = criterion(result, "C04")
    assert policies.level >= 3 and any("applies to all corporate" in t for t in cited(result, "C04"))
    assert "C04" not in [g.criterion for g in result.maturity.gaps]
    every = {e.text for c in result.maturity.criteria for e in c.evidence}
    every |= {e.text for item in result.maturity.letter for e in item.evidence}
    assert not any(t.startswith(("Dear Commissioner", "Thank you for your letter", "Yours sincerely")) for t in every)


def test_a_named_commodity_and_region_is_a_specific_risk(score):
    risk = ("Recent news reports highlighting the use of forced Uyghur labour in Chinese cotton production have "
            "deeply concerned us.")
    result = score(f"Modern Slavery Statement 2024\n\n{BODY}\n\n{risk}")
    assert criterion(result, "C07").level >= 2 and risk in cited(result, "C07")
    # ... and that sentence is not policy, risk method and supplier due diligence as well
    for other in ("C03", "C06", "C08"):
        assert risk not in cited(result, other)


def test_supplier_vetting_is_supplier_due_diligence(score):
    vetting = ("Rigorous Supplier Vetting: We conduct thorough due diligence on all suppliers and partners to ensure "
               "they meet our stringent standards regarding human rights and labour practices.")
    result = score(f"Modern Slavery Statement 2024\n\n{BODY}\n\n{vetting}")
    assert criterion(result, "C08").level >= 2 and vetting in cited(result, "C08")


def test_effectiveness_without_a_figure_is_not_a_kpi(score):
    vague = ("Continuous Monitoring: We regularly review our supply chains to identify and address any risks related "
             "to modern slavery and human trafficking.")
    counted = "In 2023 we assessed 140 suppliers against our code and 96% of our staff completed the training."
    vague_only = score(f"Modern Slavery Statement 2024\n\n{BODY}\n\n{vague}")
    assert criterion(vague_only, "C19").level <= 1
    both = score(f"Modern Slavery Statement 2024\n\n{BODY}\n\n{vague}\n\n{counted}")
    assert criterion(both, "C19").level >= 2


def _levels(result, cid, text) -> set[int]:
    return {e.level for e in criterion(result, cid).evidence if e.text == text}


def test_a_level_needs_what_its_descriptor_names(score):
    """Real quotes the issue-21 reviews (rounds 1-2) found counted above what they show: a level
    pattern or signal ``needs`` the descriptor's substance in the sentence, else it counts lower."""
    kyc = ("These processes include Industry-wide Anti-Money Laundering Know Your Customer (KYC) checks made both at "
           "the point of account opening and periodically throughout the customer relationship.")
    kyc_ms = "Our know your customer checks screen clients for indicators of modern slavery and human trafficking."
    code = ("We drafted and approved a new Supplier Code of Conduct, which we sent to existing suppliers; we now send "
            "this to new suppliers to sign as part of our approvals process.")
    code_ms = ("All our suppliers are required to meet our Ethical Trading Code of Conduct, which includes the provision "
               "that workers are free to choose their place of employment.")
    line = "Credit Suisse is a leading wealth manager with strong investment banking capabilities."
    sanction = "Non-compliance with our standards may result in corrective action or termination."
    bank = score(f"Modern Slavery Statement 2024\n\n{line}\n\n{kyc}\n\n{code}\n\n{sanction}", sector="bank")
    # a financial-crime check (C12), not client ESG or slavery screening: round 3 labelled it no even at level 1
    assert _levels(bank, "C10", kyc) == set() and _levels(bank, "C12", kyc) == {1}
    assert _levels(bank, "C03", code) == {1}  # a supplier code sent, with no modern slavery provision shown
    assert max(_levels(bank, "C05", line), default=1) <= 1  # one business line: a basic description
    assert max(_levels(bank, "C16", sanction), default=1) <= 1  # a sanction, not a response process
    named = score(f"Modern Slavery Statement 2024\n\n{kyc_ms}\n\n{code_ms}", sector="bank")
    assert _levels(named, "C10", kyc_ms) == {2} and criterion(named, "C10").level >= 2
    assert _levels(named, "C03", code_ms) == {2} and criterion(named, "C03").level >= 2


def test_needed_level_and_figures():
    from disclosure_check.rubric import has_number, needed_level

    assert not has_number("We have delivered each of the KPIs set in FY 2017/18.")  # a year, not a figure
    assert has_number("1,600 travel agencies") and has_number("96% of staff") and has_number("three sites")
    needs = ("slavery", "traffick*")
    assert needed_level(2, needs, "KYC checks on human trafficking", 1) == 2
    assert needed_level(2, needs, "KYC checks on every customer", 1) == 1  # down to the planned cap
    assert needed_level(1, needs, "environmental and social risk", 1) == 0  # nothing below it: no evidence
    assert needed_level(3, (), "anything", 1) == 3
    assert needed_level(3, needs, "unannounced supplier audits", 1, lacking=2) == 2  # the pattern's own floor
    assert needed_level(2, needs, "KYC checks on every customer", 1, lacking=0) == 0


def test_round_3_false_hits_support_less(score):
    """Real quotes the issue-21 round-3 labellers found counted where they do not belong: each now supports
    less (or nothing) for that criterion, while the quotes they accepted keep their level."""
    quotes = {
        # C21: a corporate group, a staff team, a securities dealers' association, an award are no collaboration
        "vw": ("As members of the Volkswagen Group, all Bugatti employees undertake to observe the Code of Conduct that "
               "defines the behaviour expected of them towards all business associates in the light of ethical and "
               "environmental standards."),
        "jsda": "CIBC World Markets (Japan) Inc. is a member of the Japanese Securities Dealer Association.",
        "award": ("In November 2017, adidas was announced as the overall winner of the second Thomson Reuters "
                  "Foundation Stop Slavery Award in London."),
        "sedex": ("We are AB members of the Supplier Ethical Data Exchange (SEDEX), a not for profit membership "
                  "organisation dedicated to driving continuous improvements in responsible and ethical business "
                  "practices in global supply chains."),
        # C09: agencies in a list of what the firm buys; cleaners its hotels rely on
        "buys": ("By value, the substantial majority of our suppliers are financial and professional services "
                 "organisations, including banks, lawyers, accountants, consultants, insurers and recruitment agencies."),
        "hotels": "Hotels frequently rely on labour providers to employ outsourced housekeeping and cleaning staff.",
        "agency": ("We use only specified, reputable employment agencies to source labour and always verify the "
                   "practices of any new agency we are using before accepting workers from that agency."),
        # C08: supplier audits without corrective actions, a risk basis or tiers are level 2
        "smeta": ("We updated our standard form of contracts with vendors to require compliance with our Responsible "
                  "Sourcing Policy and the undertaking of an ethical trading audit through a third-party certified "
                  "auditor, following the SMETA protocol."),
        "capa": "Audited suppliers are required to implement corrective actions and are re-assessed to measure compliance.",
        # C18: awareness that is not training
        "aware": "Creating awareness is a small, yet very important step.",
        # C10: KYC run on suppliers; a conditional exit
        "lseg": ("LSEG completes several types of due diligence on our Medium and High Risk suppliers which enables the "
                 "identification of potentially elevated modern slavery risk: checking against our High Risk Country "
                 "List, detailed Know Your Customer review (KYC), agreement to the Supplier Code of Conduct and "
                 "confirmation from the business of no known supplier sanctions or conflicts of interest."),
        "exit": ("If prospective or existing customers do not meet our standards and are not willing to adapt their "
                 "practices in an appropriate timeframe, we may decline financing or exit the relationship."),
    }
    bank = score("Modern Slavery Statement 2024\n\n" + "\n\n".join(quotes.values()), sector="bank")
    assert _levels(bank, "C21", quotes["vw"]) == _levels(bank, "C21", quotes["jsda"]) == set()
    assert _levels(bank, "C21", quotes["award"]) == set() and _levels(bank, "C21", quotes["sedex"]) == {2}
    assert _levels(bank, "C09", quotes["buys"]) == set() and _levels(bank, "C09", quotes["hotels"]) == {1}
    assert _levels(bank, "C09", quotes["agency"]) == {2}
    assert _levels(bank, "C08", quotes["smeta"]) == {2} and _levels(bank, "C08", quotes["capa"]) == {3}
    assert _levels(bank, "C18", quotes["aware"]) == set()
    assert _levels(bank, "C10", quotes["lseg"]) == set() and _levels(bank, "C10", quotes["exit"]) == {1}


def test_risk_method_and_supplier_signals_need_their_substance(score):
    """Round 3: a sentence the risk-mitigation classifier finds supports the risk method (C06) only when it
    says risk is assessed, identified, monitored or rated, and supplier due diligence (C08) only when it says
    what suppliers are required or checked for: not training, reporting duties or a CEO's message to staff."""
    training = ("To ensure a high level of understanding of the risks of modern slavery and human trafficking in our "
                "supply chains and our business, we provide training to our managers and raise awareness to all "
                "employees through our induction and employee handbook.")
    method = ("Connect Group periodically evaluates and reviews the nature and extent of its exposure to the risk of "
              "modern slavery occurring in its supply chain by means of a risk assessment exercise conducted by senior "
              "management within each business division.")
    message = ("In Fiscal Year 2017/2018, I once again have expressly addressed the topic of modern slavery, and how to "
               "detect signs of modern slavery, in a special message to all employees and reminded them to remain "
               "alert and vigilant at all times and report any suspected or actual violations within our supply "
               "chain without hesitation.")
    result = score(f"Modern Slavery Statement 2024\n\n{training}\n\n{method}\n\n{message}")
    assert _levels(result, "C06", training) == set() and _levels(result, "C06", method) == {2}
    assert _levels(result, "C08", message) == set()


def test_round_4_level_claims_need_the_practice_their_descriptor_names(score):
    """Round 4: a level-3 pattern's words alone (transaction monitoring, JMLIT, an audit committee,
    'financing and investment activities') counted at level 3 without the practice
    the descriptor names; such a sentence now counts at the level it supports. Quotes that name the
    practice keep level 3."""
    quotes = {
        # C12: transaction monitoring with no modern slavery, typology or red flag named is general AML, not level 3
        "svb": ("SVB’s Financial Crime team review both new and existing clients by monitoring relationships for areas "
                "of risk or concern and by conducting media screenings for any adverse reports and ongoing transaction "
                "monitoring."),
        "typologies": ("To combat this, Barclays Financial Intelligence Unit has partnered with law enforcement agencies "
                       "to developed specific account and behavioural typologies to track and identify potential "
                       "suspicious activity of clients and customers."),
        # C13: JMLIT named for money laundering is membership of a financial-crime group (2)
        "jmlit": "We are a founding member of, and active participant in, the Joint Money Laundering Intelligence Taskforce (JMLIT).",
        "jmlit_ht": ("Our Financial Crime team attends regular meetings of the Joint Money Laundering Intelligence "
                     "Taskforce’s Human Trafficking and Organised Immigration Crime working group."),
        # C14: mitigating rights risk from financing acknowledges portfolio risk (2); a business description is
        # not portfolios mentioned in the statement (nothing)
        "financing": ("BNP Paribas strives to mitigate any potential violation of social or environmental rights, "
                      "including human rights, from its financing and investment activities."),
        "business": ("Bridgepoint is an international private equity group focused on investing in market-leading "
                     "mid-market businesses, working with management teams to create and realise value within its "
                     "portfolio companies for the benefits of its investors."),
        # C02: a committee overseeing the programme is an owner (2); regular reporting is oversight (3)
        "committee": ("Smiths Ethics & Compliance programme, including the human rights element of the programme, is "
                      "overseen by the Audit Committee on behalf of Smiths Group Board of Directors."),
        "reporting": ("The Sourcing Risk Council reports to the Audit Committee on a regular basis, and the Audit "
                      "Committee reports periodically on these issues to the full Board of Directors."),
        # C11: a bank's E&S exclusion list applied through client KYC is not investment screening
        "kyc": ("Amongst the assessed entities, about three-quarters declared that they have implemented controls "
                "relating to E&S aspects through the KYC or controls relating to the application of the E&S watch list "
                "and E&S exclusion list."),
        "nam": ("NAM believes in the regional management of investment portfolios, which results in numerous cross "
                "border delegation arrangements whereby the local office delegates the management of non-regional "
                "mandates to the relevant regional entity."),
        # C04: a working group on the Equator Principles is collaboration, not lending policy
        "ep_group": ("We also participate in the Equator Principles Social Risks Working Group and the Thun Group, an "
                     "informal group of European banks."),
    }
    bank = score("Modern Slavery Statement 2024\n\n" + "\n\n".join(quotes.values()), sector="bank")
    # its "Financial Crime team" is still a named financial-crime team (c12.named, level 2)
    # typologies alone no longer make level 3: c12.typologies was dropped after its corpus hits were reviewed
    # (2 of 6 right, pattern_hits.csv round 8)
    assert _levels(bank, "C12", quotes["svb"]) == {2} and 3 not in _levels(bank, "C12", quotes["typologies"])
    assert _levels(bank, "C13", quotes["jmlit"]) == {2} and _levels(bank, "C13", quotes["jmlit_ht"]) == {3}
    assert _levels(bank, "C14", quotes["financing"]) == {2} and _levels(bank, "C14", quotes["business"]) == set()
    assert _levels(bank, "C02", quotes["committee"]) == {2} and _levels(bank, "C02", quotes["reporting"]) == {3}
    assert _levels(bank, "C11", quotes["kyc"]) == set() and _levels(bank, "C11", quotes["nam"]) == set()
    assert _levels(bank, "C14", quotes["nam"]) == set()
    assert _levels(bank, "C04", quotes["ep_group"]) == set()


def test_a_question_is_no_evidence(score):
    """Round 4: a supplier questionnaire's item and a Q&A heading share a criterion's words but claim
    nothing; the answer after them is still evidence."""
    asked = "Are you a signatory to the Living Wage Foundation?"
    heading = ("DO YOU CONDUCT AUDITS OF SUPPLIERS TO EVALUATE SUPPLIER COMPLIANCE WITH COMPANY STANDARDS FOR "
               "TRAFFICKING AND SLAVERY IN SUPPLY CHAINS?")
    answer = ("We conduct unannounced social audits of our high-risk suppliers and track their corrective actions "
              "to closure.")
    result = score(f"Modern Slavery Statement 2024\n\n{asked}\n\n{heading}\n\n{answer}")
    for cid in ("C08", "C09", "C21"):
        assert not cited(result, cid) & {asked, heading}
    assert _levels(result, "C08", answer) == {3}


def test_a_claim_ending_in_a_bracketed_question_is_still_evidence(score):
    """A cross-reference to a Q&A section ("(see What do we do next?)") does not make the claim a question."""
    from disclosure_check.pipeline import question

    claim = ("Supplier audits: we audit all tier 2 suppliers annually and track corrective actions "
             "(see What do we do next?)")
    assert not question(claim)
    assert question("Are you a signatory to the Living Wage Foundation?")
    assert question('"Do you audit your suppliers?"') and question("(Do you audit your suppliers?)")


def test_lacking_and_unless_are_validated(rubric):
    """``lacking`` needs ``needs`` and a level above it; ``unless`` needs a level: a rubric that breaks
    either is refused with the pattern named, not silently read."""
    from disclosure_check.errors import RubricError
    from disclosure_check.rubric import parse_rubric, rubric_to_data

    data = rubric_to_data(rubric)
    pattern = next(p for c in data["criteria"] if c["id"] == "C21" for p in c["patterns"] if p["id"] == "c21.member")
    pattern["lacking"] = 2
    with pytest.raises(RubricError, match="c21.member"):
        parse_rubric(data, where="edited")


def test_a_third_party_or_a_section_number_is_no_figure(rubric):
    """Review of rubric 1.4.0: "a third party" and numbers that name a provision, standard or tier are not
    the figures an engagement programme or a KPI needs ("a third of suppliers" and counts still are)."""
    from disclosure_check.classify.rules import RuleClassifier
    from disclosure_check.rubric import has_number

    for text in ("We use a third party proxy voting provider.", "audited by a third-party auditor",
                 "Our proxy voting policy reflects section 54 of the Modern Slavery Act 2015.", "made under s.54",
                 "certified to ISO 14001:2015", "our tier 1 suppliers", "ILO Convention No. 29", "SA8000"):
        assert not has_number(text), text
    for text in ("a third of our suppliers", "two thirds of staff", "over 300 tier 1 suppliers were audited",
                 "We voted on 1,200 resolutions.", "£2.5 million"):
        assert has_number(text), text
    provider = ("We use a third party proxy voting provider to help us vote on environmental, social and "
                "governance matters.")
    section = "Our proxy voting policy reflects section 54 of the Modern Slavery Act 2015."
    voted = "In 2019 we engaged with 42 companies on modern slavery through proxy voting."
    classifier = RuleClassifier(rubric)
    levels = [{t.id: h.level for t, h in m.levels.items()} for m in classifier.match([provider, section, voted])]
    assert levels[0].get("C11") == 1 and levels[1].get("C11") == 1  # a proxy-voting policy: level 1 at most
    assert levels[2].get("C11") == 3  # an engagement programme with a figure


def test_the_subject_of_a_criterion_is_data(rubric):
    c08 = next(c for c in rubric.criteria if c.id == "C08")
    assert c08.about("We conduct due diligence on all suppliers.")
    assert not c08.about("Recent news reports have deeply concerned us.")
    assert next(c for c in rubric.criteria if c.id == "C04").about("anything")  # no subject: every sentence


# -- advice and sources that fit the firm ---------------------------------------------------------

RECRUITER = ("Acme Staffing Limited Modern Slavery Statement 2023\n\nAcme Staffing Limited is a recruitment agency "
             "that supplies temporary workers to warehouses and hotels in the United Kingdom. This statement is made "
             "under section 54 of the Modern Slavery Act 2015.\n\nWe have a modern slavery policy.")


def gap(result, cid):
    return next(g for g in result.maturity.gaps if g.criterion == cid)


def test_lending_and_investment_advice_goes_only_to_firms_that_lend_or_invest(score):
    recruiter = score(RECRUITER)
    assert not recruiter.maturity.profile.financial
    for g in recruiter.maturity.gaps:
        assert "lending" not in g.recommendation and "investment portfolio" not in g.recommendation, g.criterion
    bank = score(RECRUITER.replace("Acme Staffing Limited is a recruitment agency that supplies temporary workers to "
                                   "warehouses and hotels", "Acme Bank plc is a retail bank that lends to households "
                                   "and businesses"), sector="bank")
    assert "lending and investment portfolios" in gap(bank, "C06").recommendation


def test_a_uk_statement_is_pointed_to_uk_guidance_not_other_laws_papers_or_code(score, rubric):
    result = score(RECRUITER)
    assert result.maturity.profile.jurisdictions == ("uk",)
    titles = {t for g in result.maturity.gaps for t in g.sources}
    australian, canadian = rubric.sources["au_msa_s16"].title, rubric.sources["ca_s211"].title
    not_advice = {s.title for s in rubric.sources.values() if s.kind in ("research", "data")}
    assert australian not in titles and canadian not in titles and not titles & not_advice
    assert rubric.sources["ho_guidance_2025"].title in titles
    risk = gap(result, "C06").recommendation
    assert "UK statutory guidance (Home Office, March 2025" in risk and "Level 1 (foundational)" in risk
    assert "Level 2 (enhanced)" in risk


def test_an_australian_statement_gets_its_own_law_and_not_the_uk_guidance(score, rubric):
    text = RECRUITER.replace("This statement is made under section 54 of the Modern Slavery Act 2015.",
                             "This statement is made under the Modern Slavery Act 2018 (Cth).")
    result = score(text)
    assert result.maturity.profile.jurisdictions == ("au",)
    titles = {t for g in result.maturity.gaps for t in g.sources}
    assert rubric.sources["ho_guidance_2025"].title not in titles
    assert all("UK statutory guidance" not in g.recommendation for g in result.maturity.gaps)


def test_board_monitoring_and_sharing_need_regular_reporting_or_modern_slavery(score):
    """Round 5 review: 'annual*' met in "Annual Report", any 'receives'/'reviews' counted as regular
    reporting, bare 'indicators' (of fraud) and bare 'exploitation' (by scams) met the modern slavery
    that C12 and C13 level 3 need."""
    annual = "Further details of the Audit Committee are set out in our Annual Report and Accounts."
    terms = "The Audit Committee receives its terms of reference from the Board."
    pay = "Jane Smith, Chair of the Audit Committee, also reviews the remuneration policy."
    regular = "The Audit Committee receives quarterly reports on modern slavery risks and reviews the statement annually."
    fraud = "Our transaction monitoring uses indicators of fraud."
    ms = "Our transaction monitoring uses indicators of modern slavery and human trafficking."
    scams = "We are sharing intelligence on fraud and exploitation of vulnerable customers through scams."
    jmlit = "We are sharing intelligence on labour exploitation with other banks through JMLIT."
    result = score("Modern Slavery Statement 2024\n\n" + "\n\n".join(
        [annual, terms, pay, regular, fraud, ms, scams, jmlit]))
    for sentence in (annual, terms, pay):
        assert 3 not in _levels(result, "C02", sentence)
    assert 3 in _levels(result, "C02", regular)
    assert 3 not in _levels(result, "C12", fraud) and 3 in _levels(result, "C12", ms)
    assert 3 not in _levels(result, "C13", scams) and 3 in _levels(result, "C13", jmlit)


def test_round_5_plans_places_typologies_and_supplier_training(score):
    """Rounds 4-5 review (rubric 1.7.0): plan wording the cue missed ("We will do this using", "The next
    stage is", "are updating its policies", "will have completed") counted as done; "have yet to" as a
    KPI; a group of workers with no place as a level-3 risk (level 3 needs groups and locations);
    typologies shared at an NGO hub as the firm's transaction monitoring; suppliers' leaders trained as
    training for high-risk roles; gangmasters named in a report to the authorities as labour-provider checks."""
    quotes = {
        "toolkit": ("We will do this using the Toolkit for Tackling Human Trafficking, developed by the Thomson "
                    "Reuters Foundation and the European Bank Alliance."),
        "next_stage": ("The next stage is a supplier engagement project to engage with these high risk suppliers "
                       "and ask them to complete a questionnaire to assess their labour practices and capabilities "
                       "in relation to modern slavery risk."),
        "updating": ("Presently, sgfleet and Fleet Hire are updating its policies and procedures and the in house "
                     "training provided to employees to specifically reference the prohibition of human trafficking "
                     "and slavery and also to the Modern Slavery Helpline."),
        "will_have": "All employees will have completed the relevant training, as referenced above.",
        "yet_to": ("We have yet to set formal performance indicators to track our progress on modern slavery risks "
                   "across our businesses, but this is something we will continue to review in 2019."),
        "no_place": ("This can involve a low-skilled migrant workforce that may be vulnerable to exploitation by "
                     "labour contractors or unscrupulous employers."),
        "place": ("In November we partnered with Verité and travelled to Thailand to conduct an in-depth audit "
                  "focusing specifically on the risk of migrant labour."),
        "hub": ("The Hub brings together international law enforcement agencies, NGOs and financial institutions to "
                "share information on modern slavery typologies."),
        "supplier_leaders": ("We help suppliers establish responsibility teams, train leaders, and enhance internal "
                             "monitoring and remediation."),
        "buyers": ("Provided additional training on our Supplier Code of Conduct to select Estee Lauder employees "
                   "responsible for engaging with suppliers."),
        "managers": ("We have given, and will continue to give, extra training to colleagues who regularly work with "
                     "and have a level of operational responsibility for managing our third party suppliers on the "
                     "Modern Slavery Act."),
        "gla": ("Adoption of a proactive approach to reporting suspicions of hidden worker exploitation to the "
                "Gangmasters Licensing Authority, police or relevant authorities."),
    }
    result = score("Modern Slavery Statement 2024\n\n" + "\n\n".join(quotes.values()), sector="bank")

    def counted(cid, text):  # the level a quote is counted at: a plan supports level 1 at most
        return {min(e.level, 1) if e.status == "planned" else e.level
                for e in criterion(result, cid).evidence if e.text == text}
    def statuses(cid, text):
        return {e.status for e in criterion(result, cid).evidence if e.text == text}
    # each quote is cited, as a plan (or a negative) counted at level 1 at most, not merely left out
    assert counted("C21", quotes["toolkit"]) == {1}
    assert counted("C06", quotes["next_stage"]) == {1} and statuses("C06", quotes["next_stage"]) == {"planned"}
    # the national Modern Slavery Helpline named in training is not the firm's channel: no C15 quote at all since
    # rubric 1.8.1 (c15.open lost "modern slavery helpline" after its hits were reviewed, pattern_hits.csv round 11)
    assert counted("C15", quotes["updating"]) == set()
    assert counted("C18", quotes["will_have"]) == {1} and statuses("C18", quotes["will_have"]) == {"planned"}
    assert statuses("C19", quotes["yet_to"]) == {"negative"}
    assert _levels(result, "C07", quotes["no_place"]) == {2} and _levels(result, "C07", quotes["place"]) == {3}
    assert _levels(result, "C12", quotes["hub"]) == set()
    assert _levels(result, "C18", quotes["supplier_leaders"]) == {1}  # training for suppliers: level 1
    # staff who deal with suppliers: the four level-3 patterns for them were dropped after review (15 of 39
    # corpus hits right, pattern_hits.csv round 8), so such training is level 1 unless a role pattern names them
    assert _levels(result, "C18", quotes["buyers"]) == {1} and _levels(result, "C18", quotes["managers"]) <= {1}
    assert _levels(result, "C09", quotes["gla"]) == set()


def test_round_6_evidence_needs_its_criterion_subject(score):
    """Round 6 review (rubric 1.7.0): the sentence model's elements and rule patterns counted sentences
    that lack the criterion's subject: bare staff discipline as incident response (C16); audits'
    longevity, a response to allegations, a working group's audit method and a business KPI as
    effectiveness measures (C19); "we undertook a risk assessment" with no method as a method (C06
    level 2) and high-risk suppliers' audits as risk assessment; a bare list of financial-crime
    headings as AML (C12); a national helpline's call statistics as the firm's channel (C15);
    participation in a forum as a collaboration with activity (C21 level 3). Real round-6 sentences."""
    q = {
        "discipline": ("Failure to comply with any of the requirements of this policy is a disciplinary offence and "
                       "may result in disciplinary action being taken under the Company’s disciplinary procedure."),
        "violate": ("Employees who violate laws or policies are subject to disciplinary action which in certain "
                    "cases can lead to dismissal."),
        "longevity": "These audits have been in place for a number of years.",
        "allegations": ("If we learn of any allegations of human trafficking or slavery through our whistleblowing "
                        "system, our supplier audits or any other means, we will act promptly and effectively in the "
                        "best interests of the workers affected."),
        "callout": ("Our service team of over forty engineers are employed directly by us, and they each cover a "
                    "geographical region, ensuring that call out times are under twenty four hours and we target "
                    "ourselves with a ninety five percent first time fix KPI."),
        "undertaken": ("We have increased our focus on modern slavery and have undertaken a risk assessment to "
                       "determine where the risks of modern slavery and human trafficking could arise."),
        "conducted": ("In addition to the analysis of specific suppliers set out at section 1.4 above, we conducted a "
                      "risk assessment of our suppliers to inform areas of focus for further investigation and due "
                      "diligence."),
        "audit": ("Estee Lauder requires its high-risk suppliers to undergo an audit conducted by an independent, "
                  "third-party auditor at least every two years."),
        "headings": "Money laundering – Terrorist financing – Sanctions compliance – Fraud – Bribery and corruption",
        "helpline": ("In its first year the UK-wide Modern Slavery Helpline, operated by modern slavery charity "
                     "Unseen, has taken 3,710 calls indicating 4,886 potential victims."),
        "forum": ("HSBC has continued to participate in the Business against Slavery Forum – chaired by the UK Home "
                  "Secretary – which brings together business leaders in the UK, committed to joining pioneering "
                  "industry action to eradicate modern slavery from supply chains."),
        # what still counts (labelled right in rounds 5-6)
        "method": ("Using our risk assessment and its multiple criteria, we prioritized the audits of those "
                   "suppliers most at-risk for responsible sourcing challenges."),
        "terminate": ("Workspace may also terminate its relationship with any supplier that is in breach or fails to "
                      "cooperate with remedying a breach."),
        "kpi": ("Lastly, number of suppliers onboarded to our responsible sourcing due diligence system is no longer "
                "a relevant KPI due to new systems being introduced."),
        "unseen": ("Working closely with Unseen allows us not only to assist victims but also to gain extra insight "
                   "into the manifestations of Modern Slavery in the UK."),
    }
    result = score("Modern Slavery Statement 2024\n\n" + BODY + "\n\n" + "\n\n".join(q.values()), sector="bank")
    for key in ("discipline", "violate"):
        assert _levels(result, "C16", q[key]) == set(), key
    for key in ("longevity", "allegations", "callout"):
        assert _levels(result, "C19", q[key]) == set(), key
    for key in ("undertaken", "conducted"):
        assert 2 not in _levels(result, "C06", q[key]), key
    assert _levels(result, "C06", q["audit"]) == set()
    assert _levels(result, "C12", q["headings"]) == set()
    assert _levels(result, "C15", q["helpline"]) == set()
    assert 3 not in _levels(result, "C21", q["forum"]) and _levels(result, "C21", q["forum"]) <= {2}
    assert 2 in _levels(result, "C06", q["method"])
    assert _levels(result, "C16", q["terminate"])
    assert _levels(result, "C19", q["kpi"])
    assert 3 in _levels(result, "C21", q["unseen"])


def test_review_of_rubric_1_7_0_places_typologies_supplier_staff_and_exclusions(score):
    """A cold review of rubric 1.7.0: a 16-word gap to "supply" made any training sentence level-3
    supplier-facing training; "takes into account" made typologies transaction monitoring; the Act's
    name or "our UK website" made a group of workers a located risk; and "enforcement bodies", "working
    group" or "roundtable" anywhere in a sentence voided a labour-provider check or a risk found."""
    q = {
        "want_to_learn": ("Training is available to any colleagues who want to learn more about how modern "
                          "slavery can affect supply chains."),
        "work_in": "All colleagues who work in procurement and sourcing received targeted modern slavery training this year.",
        "team": "We delivered face-to-face training to employees working in our supply chain team.",
        "staff": "We trained 120 supply chain staff on identifying indicators of forced labour.",
        "into_account": ("Our risk assessment takes into account typologies of modern slavery published by NGOs such "
                         "as Anti-Slavery International."),
        "ilo": ("Our human rights team reviewed typologies of forced labour identified by the ILO and took these into "
                "account when updating our supplier questionnaire."),
        "fiu": ("Our Financial Intelligence Unit uses modern slavery typologies developed with law enforcement to "
                "identify suspicious transactions."),
        "accounts": ("We use typologies published by the Joint Money Laundering Intelligence Taskforce to detect human "
                     "trafficking in customer accounts."),
        "act": "As required by the UK Modern Slavery Act, our risk assessment considers the vulnerability of low-skilled workers.",
        "website": ("Our risk assessment identified temporary agency workers as vulnerable to exploitation, and this "
                    "statement is published on our UK website."),
        "in_the_uk": ("Construction workers in the UK are known to be vulnerable to exploitation due to reliance on low "
                      "skilled migrant labour."),
        "leicester": ("Our risk assessment identified migrant workers in our tier 1 apparel factories in Leicester as the "
                      "group most at risk of exploitation."),
        "glaa": ("We only use labour providers licensed by the Gangmasters and Labour Abuse Authority, we audit them "
                 "annually, and we share intelligence with the police and other enforcement bodies."),
        "working_group": ("Our internal Modern Slavery Working Group carried out a risk assessment which identified "
                          "migrant workers on palm oil plantations in Malaysia as vulnerable to exploitation."),
        "roundtable": ("Following a supplier roundtable, our risk assessment identified forced labour risks in cotton "
                       "from Xinjiang."),
    }
    result = score("Modern Slavery Statement 2024\n\n" + "\n\n".join(q.values()), sector="bank")
    assert _levels(result, "C18", q["want_to_learn"]) == {1}  # training offered, no role named
    for key in ("work_in", "team", "staff"):
        assert _levels(result, "C18", q[key]) == {3}, key
    assert _levels(result, "C12", q["into_account"]) == set() and _levels(result, "C12", q["ilo"]) == set()
    # suspicious transactions with modern slavery typologies stay level 3 (c12.monitoring); typologies on
    # accounts alone no longer are (c12.typologies dropped after review, pattern_hits.csv round 8)
    assert _levels(result, "C12", q["fiu"]) == {3} and 3 not in _levels(result, "C12", q["accounts"])
    assert _levels(result, "C07", q["act"]) == {2} and _levels(result, "C07", q["website"]) == {2}
    assert _levels(result, "C07", q["in_the_uk"]) == {3} and _levels(result, "C07", q["leicester"]) == {3}
    assert _levels(result, "C09", q["glaa"]) == {2}
    assert _levels(result, "C07", q["working_group"]) == {3}
    assert _levels(result, "C07", q["roundtable"]) == {2}


def test_review_of_rubric_1_7_0_practice_is_not_a_plan_nor_nothing_done(score, rubric):
    """Plan and negative cues of rubric 1.7.0 that demoted practice: "will in turn" (suppliers expected
    to hold their own suppliers to the standards), "the next stage of each audit", "currently reviewing
    all new suppliers", "concerns raised will be directed to"; "have yet to identify any instances" is
    nothing found, not a practice not yet done."""
    q = {
        # corpus statement 75
        "in_turn": ("The Company also expects the same high standards from its suppliers, contractors and other "
                    "business partners and, as part of its contracting processes, it includes specific prohibitions "
                    "against the use of modern slavery, and expects that its suppliers will in turn hold their own "
                    "suppliers to the same standards."),
        "code": ("Our Supplier Code of Conduct requires all suppliers to prohibit forced labour, and Acme expects that "
                 "its suppliers will in turn hold their own suppliers to the same standards."),
        "next_stage": ("During the year we audited 45 high-risk suppliers; the next stage of each audit is a corrective "
                       "action plan agreed with the supplier and verified by a follow-up visit."),
        "reviewing": ("We are currently reviewing all new suppliers against our modern slavery risk criteria before "
                      "onboarding."),
        "directed": ("All procurement staff complete modern slavery training, and any concerns raised will be directed "
                     "to our Head of Compliance for investigation."),
    }
    result = score("Modern Slavery Statement 2024\n\n" + "\n\n".join(q.values()))
    evidence = [e for c in result.maturity.criteria for e in c.evidence]
    for key, text in q.items():
        assert {e.status for e in evidence if e.text == text} == {"implemented"}, key
    assert _levels(result, "C08", q["next_stage"]) == {3} and _levels(result, "C08", q["reviewing"]) == {2}
    assert _levels(result, "C18", q["directed"]) == {3}
    [nothing, not_set, framework, resources] = RuleClassifier(rubric).match([
        "We have yet to identify any instances of modern slavery in our operations or supply chains.",
        "We have yet to set formal performance indicators to track our progress on modern slavery risks.",
        "The Group is currently reviewing the FSQS risk framework to introduce additional questions.",
        "As part of our audit process, suppliers will be directed to training resources related to an audit finding."])
    assert nothing.cues["negative"] == "negative.nothing_found"
    assert not_set.cues["negative"] == "negative.yet_to"
    # "will be directed to training resources" describes a standing audit process (planned.directed dropped after
    # its corpus hit was reviewed wrong, pattern_hits.csv round 8)
    assert "planned" in framework.cues and "planned" not in resources.cues


def test_review_4_effectiveness_counts_indicators_numbers_and_shares_not_business_kpis(score):
    """Reviewer 4 on rubric 1.7.3: C19's subject had lost "indicator*" and read only "the number of" and
    "percent"; "our KPIs" let a business KPI through. Now "indicator*" (not "indicators of forced labour"),
    "number of" (not "a number of"), "%" and "proportion" are the subject, and a KPI must be about the work."""
    q = {
        "indicators": "Indicators we use: number of grievances raised (4), suppliers audited (22).",
        "share": "In 2023, 98% of our suppliers signed our code.",
        "business": "Our KPIs are revenue growth and customer satisfaction.",
        "forced": "Our auditors look for indicators of forced labour, such as retained passports, in 30 sites.",
        "years": "These audits have been in place for a number of years.",
    }
    result = score("Modern Slavery Statement 2024\n\n" + BODY + "\n\n" + "\n\n".join(q.values()), sector="bank")
    for key in ("indicators", "share"):
        assert _levels(result, "C19", q[key]), key
    for key in ("business", "forced", "years"):
        assert _levels(result, "C19", q[key]) == set(), key


def test_c19_subject_reads_number_of_shares_and_indicators_but_not_their_other_senses(rubric):
    c19 = next(c for c in rubric.criteria if c.id == "C19")
    for text in ("The proportion of suppliers visited rose.", "40% of suppliers signed.", "The number of grievances fell.",
                 "Indicators we use are set out below."):
        assert c19.about(text), text
    for text in ("These audits have been in place for a number of years.",
                 "Auditors look for indicators of forced labour.", "We look for indicators of modern slavery."):
        assert not c19.about(text), text
