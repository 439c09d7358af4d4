"""Text normalisation before features: make Australian and Canadian training text look like any
jurisdiction's, so what the model learns carries over to UK statements.

Statute names and sections, company-number formats and legal suffixes differ by country but say
the same thing; digits vary without changing meaning. Each is mapped to one neutral token.
"""

from __future__ import annotations

import re

_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.I), replacement)
    for pattern, replacement in (
        (r"\b(?:UK\s+|Australian\s+|Commonwealth\s+)?Modern\s+Slavery\s+Act(?:\s+of)?(?:\s+\d{4})?"
         r"(?:\s*\((?:Cth|UK|NSW)\))?", " msact "),
        (r"\bFighting\s+Against\s+Forced\s+Labour\s+and\s+Child\s+Labour\s+in\s+Supply\s+Chains\s+Act\b"
         r"(?:\s*\(the\s+\W?Act\W?\))?", " msact "),
        (r"\b(?:Bill\s+)?S-211\b", " msact "),
        (r"\bsections?\s+\d+[A-Z]?(?:\s*\(\d+\))*(?:\s*(?:and|,)\s*\d+[A-Z]?(?:\s*\(\d+\))*)*", " section "),
        (r"\b(?:ABN|ACN|ARBN|CRN|BN|company\s+(?:registration\s+)?(?:number|no\.?)|registered\s+number|"
         r"registration\s+number)\s*:?\s*[\d ]{6,}\d", " companynumber "),
        (r"\bPty\.?\s+(?:Ltd|Limited)\.?|\bplc\b|\bp\.l\.c\.?|\bInc\b\.?|\bLLP\b|\bLtd\b\.?|\bLimited\b|"
         r"\bULC\b|\bCorp\b\.?", " ltd "),
        (r"\b(?:FY|financial\s+year\s+)\d{2,4}\b", " fyear "),
        (r"\d", "0"),
    )
)


def normalize(text: str) -> str:
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text
