"""Document type, financial sub-sector and jurisdiction, detected from the text (or set by the user).

Pure keyword evidence, counted per thousand words so long and short documents compare fairly.
"""

from __future__ import annotations

import re

from disclosure_check.types import SUBSECTORS as SUBSECTOR_IDS
from disclosure_check.types import Profile

# Financial sub-sectors. "strong" terms say what the firm is; "weak" ones (insurance, claims, funds,
# loans) also occur in passing in any statement (a retailer's staff insurance, a supplier's claims), so
# alone they never make a firm financial. A name cue ("... Bank plc") decides on its own.
SUBSECTORS: dict[str, dict[str, tuple[str, ...]]] = {
    "building_society": {"name": (r"building society",),
                         "strong": ("building society", "savings and mortgages", "our members' savings")},
    "bank": {"name": (r"\bbank\b", r"\bbanking\b", r"\bbanque\b", r"\blandesbank\b"),
             "strong": ("banking group", "a bank", "the bank", "retail bank", "commercial bank", "investment bank",
                        "banking services", "corporate and investment banking", "retail and commercial banking",
                        "wholesale bank", "capital markets", "banking", "deposit-taking", "deposits and loans")},
    "insurer": {"name": (r"insurance", r"assurance", r"\bre\b", r"reinsurance", r"underwriting", r"syndicate",
                         r"insurance brokers?", r"\blloyd's\b"),
                "strong": ("insurer", "insurers", "reinsurance", "reinsurer", "underwriting", "underwrite",
                           "policyholders", "lloyd's", "insurance company", "insurance group", "insurance broker",
                           "insurance broking", "insurance brokerage", "insurance intermediary", "managing agent",
                           "life insurance", "general insurance", "insurance provider", "insurance products",
                           "insurance and reinsurance", "mutual insurer", "loss adjusting", "run-off")},
    "asset_manager": {"name": (r"asset management", r"investment management", r"investments?\b", r"capital partners",
                               r"\bfunds?\b", r"wealth management", r"investment partners"),
                      "strong": ("asset management", "investment management", "assets under management",
                                 "fund manager", "asset manager", "investment manager", "wealth management",
                                 "fund management", "private equity", "portfolio companies", "our funds",
                                 "the funds we manage", "institutional investors", "alternative asset",
                                 "infrastructure investment", "investment firm", "investment adviser")},
    "lender": {"name": (r"\bloans?\b", r"\blending\b", r"\bfinance\s+(?:limited|ltd|plc)", r"\bleasing\b", r"\bcredit\b"),
               "strong": ("consumer credit", "credit broker", "lender", "lending products", "personal loans", "car finance",
                          "motor finance", "asset finance", "invoice finance", "vehicle leasing", "leasing company",
                          "home credit", "hire purchase", "buy now pay later", "pawnbroker", "specialist lender")},
    "payments": {"name": (r"payments?\b", r"\bpay\b"),
                 "strong": ("payment services", "card payments", "e-money", "payment network", "payment processing",
                            "payments company", "card issuers", "acquirers", "payments technology",
                            "digital payments", "electronic payments", "payments network", "electronic money",
                            "e-money institution", "payment institution", "money transfer", "remittance")},
}
assert tuple(sorted(SUBSECTORS)) == tuple(sorted(SUBSECTOR_IDS)), "every sub-sector needs its terms"
# "financial services" alone is not one: a motorcycle maker has a financial services arm.
FINANCIAL_CUES = ("financial services provider", "financial services group", "financial services company",
                  "financial services firm", "financial services organisation", "financial institution", "prudential regulation authority",
                  "authorised and regulated by the financial conduct authority", "regulated by the financial conduct")
FINANCIAL_MIN_PER_1000 = 1.5  # strong financial terms per 1,000 words to call a firm financial ...
FINANCIAL_MIN_COUNT = 6  # ... or this many in all (long statements dilute the rate)
# General sectors for every organisation; financial is decided above, the rest by keyword rate.
SECTORS: dict[str, tuple[str, ...]] = {
    "retail_consumer": ("retail", "retailer", "stores", "shops", "fashion", "apparel", "clothing", "garments",
                        "luxury", "footwear", "supermarket", "grocery", "food and drink", "restaurants", "hotels",
                        "pubs", "consumer products", "brands", "beauty", "cosmetics", "leisure", "travel",
                        "dealerships", "e-commerce", "online retailer", "jewellery", "furniture"),
    "manufacturing": ("manufacturing", "manufacturer", "manufacture", "factory", "factories", "production sites",
                      "plants", "components", "engineering", "machinery", "chemicals", "automotive", "steel",
                      "packaging", "pharmaceutical", "motorcycles", "vehicles"),
    "technology": ("software", "technology company", "it services", "electronics", "semiconductor", "cloud",
                   "data centres", "telecommunications", "digital services", "hardware", "platform"),
    "public_sector": ("council", "local authority", "university", "nhs", "public sector", "government", "charity",
                      "academy trust", "housing association", "college", "public body"),
    "services": ("recruitment", "staffing", "consultancy", "outsourcing", "facilities management", "logistics",
                 "construction", "professional services", "law firm", "payroll", "security services", "cleaning",
                 "transport", "accident management"),
}
SECTOR_MIN_PER_1000 = 1.0  # below this the text says too little about what the firm does: "other"
LETTER_CUES = ("dear ", "yours sincerely", "yours faithfully", "thank you for your letter", "your letter",
               "in response to your", "anti-slavery commissioner", "dame sara", "commissioner's letter",
               "i am writing", "kind regards")
STATEMENT_CUES = ("slavery and human trafficking statement", "modern slavery statement", "this statement",
                  "section 54", "transparency statement", "modern slavery act statement")
JURISDICTION_CUES = {
    "au": (r"modern slavery act 2018", r"\(cth\)", r"\babn\b", r"mandatory criteri"),
    "ca": (r"fighting against forced labour", r"\bs-211\b", r"supply chains act"),
    "uk": (r"modern slavery act 2015", r"section 54", r"\bs\.?\s?54\b", r"companies house"),
}


PROFILE_CHARS = 300_000  # about 100 pages: who the organisation is shows early; a 400-page filing need not be read twice


def _count(text: str, term: str) -> int:
    return len(re.findall(r"(?<![a-z])" + re.escape(term) + r"(?![a-z])", text))


def detect_profile(text: str, *, doc_type: str | None = None, sector: str | None = None,
                   organisation: str | None = None) -> Profile:
    """Detect, unless given: ``doc_type`` ("statement"/"letter") and ``sector`` (a sub-sector id,
    "financial" for an unspecified financial firm, or "other"). ``organisation`` (from the text's
    identity) lets a name such as "Acme Bank plc" decide the sub-sector."""
    lower = text[:PROFILE_CHARS].lower()
    if sector is None:
        industry, subsector = detect_sector(lower, organisation)
        financial = industry == "financial"
        source = "detected"
    else:
        financial = sector != "other"
        subsector = sector if sector in SUBSECTORS else None
        industry = "financial" if financial else None
        source = "set"
    if doc_type is None:
        letter = sum(_count(lower, c) for c in LETTER_CUES)
        statement = sum(_count(lower, c) for c in STATEMENT_CUES)
        doc_type = "letter" if letter >= 2 and letter > statement / 2 else "statement"
    else:
        source = "set"
    hits = {j: sum(len(re.findall(p, lower)) for p in pats) for j, pats in JURISDICTION_CUES.items()}
    jurisdiction = max(hits, key=hits.get) if any(hits.values()) else "uk"
    return Profile(doc_type=doc_type, financial=financial, subsector=subsector, jurisdiction=jurisdiction,
                   source=source, industry=industry)


def detect_sector(lower: str, organisation: str | None = None) -> tuple[str, str | None]:
    """(general sector, financial sub-sector or None) from lower-cased text and the organisation's name."""
    words = max(len(lower.split()), 1)
    name = (organisation or "").lower()
    strong = {sub: sum(_count(lower, t) for t in terms["strong"]) for sub, terms in SUBSECTORS.items()}
    by_name = [sub for sub, terms in SUBSECTORS.items() if name and any(re.search(p, name) for p in terms["name"])]
    cues = sum(_count(lower, c) for c in FINANCIAL_CUES)
    total = sum(strong.values()) + cues
    financial = bool(by_name) or total * 1000 / words >= FINANCIAL_MIN_PER_1000 or total >= FINANCIAL_MIN_COUNT
    if financial:
        if by_name:
            return "financial", by_name[0]  # the order of SUBSECTORS: a building society's name wins over "bank"
        if strong["building_society"] >= 2:
            return "financial", "building_society"  # a building society also lends and takes deposits
        best = max(strong, key=strong.get)
        if best == "asset_manager" and strong["bank"] * 2 >= strong["asset_manager"]:
            best = "bank"  # a bank describes its wealth and asset management arms at length
        return "financial", best if strong[best] > 0 else None
    rates = {name: sum(_count(lower, t) for t in terms) * 1000 / words for name, terms in SECTORS.items()}
    best = max(rates, key=rates.get)
    return (best if rates[best] >= SECTOR_MIN_PER_1000 else "other"), None
