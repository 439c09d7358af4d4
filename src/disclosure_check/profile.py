"""Document type, financial sub-sector and jurisdiction, detected from the text (or set by the user).

Pure keyword evidence, counted per thousand words so long and short documents compare fairly.
"""

from __future__ import annotations

import re

from .types import Profile

SUBSECTOR_TERMS: dict[str, tuple[str, ...]] = {
    "building_society": ("building society", "our members", "mutual", "savings and mortgages"),
    "bank": ("bank", "banking", "lending", "loans", "deposits", "mortgages", "credit cards", "corporate and investment"),
    "insurer": ("insurance", "insurer", "reinsurance", "underwriting", "policyholders", "claims", "lloyd's"),
    "asset_manager": ("asset management", "investment management", "assets under management", "fund manager",
                      "funds", "portfolio management", "investment manager", "asset manager", "pensions",
                      "wealth management", "fund management", "institutional investors", "investment solutions"),
    "payments": ("payments", "payment services", "card payments", "merchants", "e-money", "payment network"),
}
FINANCIAL_MIN_PER_1000 = 2.5  # financial terms per 1,000 words to call a firm financial ...
FINANCIAL_MIN_COUNT = 12  # ... or this many in all (long statements dilute the rate)
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


def detect_profile(text: str, *, doc_type: str | None = None, sector: str | None = None) -> Profile:
    """Detect, unless given: ``doc_type`` ("statement"/"letter") and ``sector`` (a sub-sector id,
    "financial" for an unspecified financial firm, or "other")."""
    lower = text[:PROFILE_CHARS].lower()
    words = max(len(lower.split()), 1)
    scores = {name: sum(_count(lower, t) for t in terms) * 1000 / words for name, terms in SUBSECTOR_TERMS.items()}
    if sector is None:
        counts = {name: sum(_count(lower, t) for t in terms) for name, terms in SUBSECTOR_TERMS.items()}
        best = max(scores, key=scores.get)
        if counts["building_society"] >= 2 and _count(lower, "building society") >= 2:
            best = "building_society"  # a building society also lends and takes deposits
        financial = sum(scores.values()) >= FINANCIAL_MIN_PER_1000 or sum(counts.values()) >= FINANCIAL_MIN_COUNT
        subsector = best if financial and scores[best] > 0 else None
        source = "detected"
    else:
        financial = sector != "other"
        subsector = sector if sector in SUBSECTOR_TERMS else None
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
                   source=source)
