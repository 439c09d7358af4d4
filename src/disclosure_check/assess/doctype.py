"""What a document is: a modern slavery statement, a letter (to the Commissioner or a regulator), or
something else (an annual report, a filing, an ESG index, a policy, a memo), with the sentence that
says so and, for a statement inside a longer report, the pages it spans.

A statement names itself ("Modern Slavery Statement 2023", "This statement is made pursuant to
section 54 ...", "... under the Modern Slavery Act 2018 (Cth)") and is about modern slavery from end
to end. A report may carry one as a section: then the section's pages are recorded and the document
is scored from them. Anything else is ``other``: kept and searchable, never counted as a statement.
Pure: regular expressions over the document's text and pages.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from disclosure_check.types import Document, Quote

# How a statement names itself: a title ("Modern Slavery Statement", "Slavery and Human Trafficking
# Statement", "Anti-Slavery and Human Trafficking Statement", "Transparency Statement", "Modern Slavery
# Report" (Australia), "Report under the Fighting Against Forced Labour ... Act" (Canada)).
_SUBJECT = (r"(?:modern\s+slavery(?:\s+(?:and|&)\s+human\s+trafficking)?|anti[-\s]?slavery(?:\s+(?:and|&)\s+human"
            r"\s+trafficking)?|slavery\s+(?:and|&)\s+human\s+trafficking|human\s+trafficking\s+(?:and|&)\s+(?:modern\s+)?"
            r"slavery|(?:supply\s+chain\s+)?transparency(?:\s+in\s+supply\s+chains?)?|forced\s+(?:and\s+child\s+)?labou?r)")
STATEMENT_TITLE = re.compile(
    rf"(?i)\b{_SUBJECT}(?:\s+act(?:\s+\(?20(?:15|18)\)?)?)?(?:\s+(?:transparency|annual|joint|group|uk|policy(?:\s+(?:and|&))?))?\s+"
    r"(?:statement|report|disclosure)s?\b"
    r"|\bstatement\s+(?:on|regarding|concerning|against)\s+(?:modern\s+)?slavery"
    r"|\breport\s+(?:under|pursuant\s+to)\s+(?:the\s+)?(?:fighting\s+against\s+forced\s+labou?r|s-211)")
# A policy about modern slavery, or a code, as a document's title: a statement only if it also declares
# itself one ("This statement is made pursuant to section 54 ...").
# ("Slavery and Human Trafficking Policy Statement" names a statement; "Ted Baker’s Ethical Code of Conduct" a code.)
POLICY_TITLE = re.compile(rf"(?i)\b{_SUBJECT}(?:\s+act)?\s+(?:(?:and|&)\s+\w+\s+)?polic(?:y|ies)\b(?!\s+(?:(?:and|&)\s+)?statement)|"
                          rf"\bpolicy\s+(?:on|against|for|regarding)\s+(?:the\s+)?{_SUBJECT}|"
                          # the title's own line only, and not "Acme's Code of Conduct and Modern Slavery Statement"
                          r"^\W*(?:(?:[\w&.\-]+[^\S\n]+){0,3}[\w&.\-]+['’]s[^\S\n]+)?(?:supplier\s+|business\s+|ethical\s+)?"
                          r"code\s+of\s+(?:business\s+)?(?:conduct|ethics)\b(?![^\n]*\bstatement\b)")
# A statement saying what it is and under which law (anywhere in the text).
DECLARATION = re.compile(
    r"(?i)\b(?:this|our|the\s+(?:following|present))\s+(?:joint\s+|annual\s+)?(?:statement|report)\s+"
    r"(?:is\s+|has\s+been\s+|was\s+)?(?:made|published|prepared|approved|issued|submitted|provided)\b"
    r"|\bsection\s+54\b|\bs\.?\s?54\s*\(|\bmodern\s+slavery\s+act\s+2018\b|\(cth\)|\bmandatory\s+(?:reporting\s+)?criteria"
    r"|\bfighting\s+against\s+forced\s+labou?r\b|\bs-211\b"
    r"|\bconstitutes?\s+(?:our|the|its)\s+(?:[\w\s]{0,40})?(?:slavery|trafficking|transparency)\s+statement"
    r"|\b(?:responds?|response)\s+to\s+(?:the\s+)?(?:uk\s+)?modern\s+slavery\s+act"
    r"|\b(?:satisf(?:y|ies)|meets?|fulfils?|complies\s+with)\s+(?:the\s+)?(?:disclosure\s+|reporting\s+)?requirements?\s+"
    r"(?:of|for|under)\s+(?:the\s+)?(?:uk\s*msa|ctsca|(?:uk\s+)?modern\s+slavery\s+act|california\s+transparency)")
MODERN_SLAVERY = re.compile(r"(?i)modern\s+slavery|human\s+trafficking|forced\s+(?:or\s+compulsory\s+)?labou?r|"
                            r"\bslavery\b|servitude|child\s+labou?r|debt\s+bondage")
# A document that names itself as something else (in its first lines).
OTHER_TITLE = re.compile(
    r"(?i)\bform\s+10-[kq]\b|\b10-[kq]\b|\bquarterly\s+report|\bannual\s+report\s+(?:and|&)\s+accounts|"
    r"^\W*(?:\d{4}\s+)?annual\s+report\b|\b(?:consolidated\s+)?financial\s+statements\b|\bsustainability\s+report|"
    r"\besg\s+(?:report|data|reporting)|\breporting\s+index\b|\bclimate\b|\bquestionnaire\b|\bmemorand|"
    r"\bnon-financial\s+statement|\bhuman\s+rights\s+(?:policy\s+)?statement|\bintegrated\s+report|\bprospectus\b|"
    r"\bproxy\s+statement|\bfinanced\s+emissions|\brapport\b|\brelazione\b", re.MULTILINE)
SALUTATION = re.compile(r"(?im)^\s*dear\s+(?:dame|sir|madam|ms\.?|mrs\.?|mr\.?|dr\.?|commissioner|[A-Z][a-z]+)\b")
SIGN_OFF = re.compile(r"(?i)\byours\s+(?:sincerely|faithfully|truly)\b|\b(?:kind|best|warm)\s+regards\b")
ADDRESSEE = re.compile(r"(?i)anti-slavery\s+commissioner|independent\s+anti-slavery|dame\s+sara|commissioner['’]s\s+letter|"
                       r"your\s+letter|in\s+response\s+to\s+your")

OPENING_CHARS = 2500  # where a document names itself: the title page
TITLE_CHARS = 400  # its title: what its first three lines call it ("our Supplier Code of Conduct" further down is a reference)
TITLED_MIN_WORDS = 400  # a text titled as a statement and this long is one (shorter: a page that links to it)
MIN_MENTIONS = 4  # a statement mentions modern slavery more than in passing (a page that only links to one does not)
MIN_DENSITY = 2.0  # modern slavery terms per 1,000 words of a statement, at the least (a statement is about it)
ABOUT_IT = 6.0  # ... and a text this dense with them is one, titled or not (a web page of a statement)
LONG_WORDS = 25_000  # a document this long is a report: it is a statement only through a section that is one
SECTION_MIN_TERMS = 10  # a statement section mentions modern slavery at least this often
SECTION_MAX_PAGES = 30


@dataclass(frozen=True)
class DocumentKind:
    """What the document is, the sentence that shows it, why, and a statement section's pages."""

    doc_type: str  # "statement" | "letter" | "other"
    reason: str
    quote: Quote | None = None
    section: tuple[int, int] | None = None  # first and last page of the statement inside a report


def document_kind(doc: Document) -> DocumentKind:
    """Decide what ``doc`` is (see the module docstring)."""
    text = _folded(doc.text)
    words = max(len(text.split()), 1)
    mentions = len(MODERN_SLAVERY.findall(text))
    density = mentions * 1000 / words
    opening = text[:OPENING_CHARS]
    letter = _letter(doc, opening, mentions)
    if letter is not None:
        return letter
    title = STATEMENT_TITLE.search(opening)
    declaration = DECLARATION.search(text)
    heading = _heading(text)
    policy = POLICY_TITLE.search(heading)
    other = OTHER_TITLE.search(heading)
    if words < LONG_WORDS:
        if title and title.start() < len(heading) and words >= TITLED_MIN_WORDS and not (policy or other):
            return DocumentKind("statement", f"its title names it a statement ('{title.group(0)}')",
                                _quote(doc, title.start()))
        if mentions < MIN_MENTIONS:
            return DocumentKind("other", f"modern slavery is mentioned {mentions} time{'s' if mentions != 1 else ''} "
                                         "only: not a statement (a page that links to one, a listing)", _quote(doc, 0))
        if other and not (title and title.start() < len(heading)) and not (declaration and declaration.start() < len(heading)):
            # It names itself something else (an ESG index, a sustainability report) and mentions the Act
            # only further on: a statement only through a section that is one. (A Canadian "Annual Report"
            # that names the Act in its heading is the report the Act asks for.)
            section = _section(doc)
            if section is not None:
                return section
            return DocumentKind("other", f"it names itself '{other.group(0)}' and has no statement section "
                                         f"(modern slavery: {mentions} mentions)", _quote(doc, text.find(other.group(0))))
        if declaration:
            return DocumentKind("statement", f"it declares itself a statement ('{declaration.group(0)}'); modern "
                                             f"slavery is mentioned {mentions} times", _quote(doc, declaration.start()))
        if policy:
            return DocumentKind("other", f"it is titled as a policy or code ('{policy.group(0)}') and never declares "
                                         "itself a statement", _quote(doc, text.find(policy.group(0))))
        if other:
            return DocumentKind("other", f"it names itself '{other.group(0)}'", _quote(doc, text.find(other.group(0))))
        if title and (density >= MIN_DENSITY or mentions >= SECTION_MIN_TERMS):
            return DocumentKind("statement", f"it names itself a statement; modern slavery is mentioned {mentions} "
                                             f"times ({density:.0f} per 1,000 words)", _quote(doc, title.start()))
        if density >= ABOUT_IT:
            first = MODERN_SLAVERY.search(text)
            assert first is not None
            return DocumentKind("statement", f"untitled, but about modern slavery throughout ({mentions} mentions, "
                                             f"{density:.0f} per 1,000 words)", _quote(doc, first.start()))
    section = _section(doc)
    if section is not None:
        return section
    named = other or policy
    shown = _quote(doc, text.find(named.group(0))) if named else _quote(doc, 0)
    why = f"it names itself '{named.group(0)}'" if named else "it does not name itself a modern slavery statement"
    return DocumentKind("other", f"{why}, and has no statement section (modern slavery: {mentions} mentions, "
                                 f"{density:.1f} per 1,000 words)", shown)


def _folded(text: str) -> str:
    """Compatibility characters folded ("ﬁ" -> "fi", full-width letters), as words are written."""
    return unicodedata.normalize("NFKC", text) if not text.isascii() else text


def _heading(text: str) -> str:
    """A document's first few lines: where it says what it is."""
    lines = [line for line in text[:OPENING_CHARS].splitlines() if line.strip()]
    return "\n".join(lines[:3])[:TITLE_CHARS]


def _letter(doc: Document, opening: str, mentions: int) -> DocumentKind | None:
    """A letter: a salutation at the top and a sign-off, addressed to the Commissioner (or answering
    a letter), about modern slavery."""
    salutation = SALUTATION.search(opening)
    if salutation is None or not SIGN_OFF.search(doc.text) or mentions < 2:
        return None
    if not ADDRESSEE.search(doc.text[:OPENING_CHARS * 2]) and len(doc.pages) > 6:
        return None
    return DocumentKind("letter", "it opens with a salutation and closes with a sign-off, as a letter does",
                        _quote(doc, salutation.start()))


def _section(doc: Document) -> DocumentKind | None:
    """A statement inside a longer document: a page whose text carries a statement title, and the
    pages after it that keep mentioning modern slavery (a page without any mention ends it)."""
    for page in doc.pages:
        page_text = _folded(page.text)
        for match in STATEMENT_TITLE.finditer(page_text):
            line = _line(page_text, match.start())
            if len(line.split()) > 14:
                continue  # a sentence that mentions a statement, not its heading
            first = last = page.number
            mentions = len(MODERN_SLAVERY.findall(page_text[match.start():]))
            for later in doc.pages[page.number:page.number - 1 + SECTION_MAX_PAGES]:
                found = len(MODERN_SLAVERY.findall(_folded(later.text)))
                if not found:
                    break
                last, mentions = later.number, mentions + found
            if mentions >= SECTION_MIN_TERMS:
                return DocumentKind("statement", f"a statement section, '{line.strip()}', on page{'s' if last > first else ''} "
                                                 f"{first}{f'-{last}' if last > first else ''} ({mentions} mentions of "
                                                 "modern slavery)", Quote(page.number, line.strip()), (first, last))
    return None


def _line(text: str, at: int) -> str:
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return text[start:end if end >= 0 else len(text)]


def _quote(doc: Document, at: int) -> Quote:
    """The line of ``doc.text`` at character ``at``, with its page."""
    page = next((b.page for b in doc.blocks if b.start <= at <= b.end), doc.pages[0].number if doc.pages else 1)
    return Quote(page, _line(_folded(doc.text), at).strip()[:300])
