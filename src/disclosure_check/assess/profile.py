"""A document's profile: what it is (``doctype``), what kind of firm wrote it (the sector model's
reading, made in ``classify``), and which laws it says it answers; each with where it came from,
the sentence it rests on and why. Given values (a manifest row, an option, a reviewer) outrank
what the text says, and say so.

Jurisdictions are read here: a statement names the law it answers ("made pursuant to section 54 of
the Modern Slavery Act 2015", "under the Modern Slavery Act 2018 (Cth)", "Fighting Against Forced
Labour and Child Labour in Supply Chains Act"). Each mention scores 1, 2 more when it declares
("pursuant to", "in accordance with", "this statement ...") and 2 more on the title page; "the
Modern Slavery Act" without a year counts for the law the text names most (the UK's when none).
A law is answered when it scores at least 3 and a quarter of the leading one's score, or when it is
the only law named by name, year or section (once is enough). Pure: regular expressions only.
"""

from __future__ import annotations

import re
from dataclasses import replace

from disclosure_check.assess.doctype import DocumentKind
from disclosure_check.types import (
    DOC_TYPES,
    JURISDICTIONS,
    SECTOR_CHOICES,
    Document,
    Given,
    Profile,
    Quote,
    SectorReading,
    sector_choice,
)

PROFILE_CHARS = 300_000  # about 100 pages: a 400-page filing says which law it answers early

LAWS = {
    "uk": re.compile(r"(?i)(?:modern|anti)[\s-]+slavery\s+act\s*(?:of\s*)?\(?2015\)?|\b(?:UK|united\s+kingdom)\s+modern\s+slavery\s+"
                     r"act|\b(?:u\.?k\.?|united\s+kingdom)['’]s\s+modern\s+slavery\s+act|"
                     # "section 54 of the Australian Modern Slavery Act" (a misquote) is not the UK's section 54
                     # (nor "of the Modern Slavery Act 2018"); a year alone ("for FY 2018") is no other law
                     r"(?:section\s+54\b|\bs\.?\s?54\s*(?:\(|of\b))"
                     r"(?![^.]{0,30}?(?:australian|\bact\s*(?:of\s*)?\(?2018|\(cth\)))|"
                     r"\bMSA\s*2015\b|\buk\s*msa\b"),
    # "the Canadian Modern Slavery Act 2018" (a misquote of S-211) is Canada's, not Australia's
    "au": re.compile(r"(?i)(?<!canadian\s)modern\s+slavery\s+act\s*(?:of\s*)?\(?2018\)?(?!\s*\(?nsw)|\(cth\)|"
                     r"commonwealth\s+modern\s+slavery\s+act|australian?\s+modern\s+slavery\s+act|"
                     r"mandatory\s+(?:reporting\s+)?criteria|modern\s+slavery\s+(?:requirements|legislation|laws?)\s+in\s+australia"),
    "ca": re.compile(r"(?i)fighting\s+against\s+forced\s+labou?r|\bs-211\b|supply\s+chains\s+act\b(?!\s+(?:of\s+)?2010)|"
                     r"forced\s+labou?r\s+and\s+child\s+labou?r\s+in\s+supply\s+chains|"
                     r"forced\s+labou?r\s+in\s+canadian\s+supply\s+chains|canadian\s+modern\s+slavery\s+act|"
                     # the Act's own questions, which Canadian reports quote without naming the Act
                     r"reduce\s+the\s+risk\s+that\s+forced\s+labou?r\s+(?:and|or|and/or)\s+child\s+labou?r\s+(?:is|are)\s+used"),
}
# The Act's definition of an entity ("producing, selling or distributing goods in Canada or elsewhere, importing
# goods into Canada"), which Canadian reports quote without naming the Act. One such wording is trade ("we
# import goods into Canada" in a UK statement): it counts only beside another wording of the Act, or where
# two or more of its activities are listed, as the definition does.
CA_ENTITY = re.compile(r"(?i)(produc|sell|distribut|import)\w*\s+goods\s+(?:in|into)\s+(?:and\s+outside\s+)?canada")
assert set(LAWS) == set(JURISDICTIONS), "every jurisdiction needs its law's wording"
LAW_NAMES = {"uk": "the UK Modern Slavery Act 2015", "au": "Australia's Modern Slavery Act 2018",
             "ca": "Canada's Fighting Against Forced Labour and Child Labour in Supply Chains Act"}
# "California Transparency in Supply Chains Act", "CA Supply Chains Act": California's 2010 law, not Canada's.
NOT_CANADA = re.compile(r"(?i)(?:california|transparency\s+in|\bCA)\W*$")
# "the Modern Slavery Act" without a law's year ("Act 2016", a misquote, counts here too; so does "the MSA Act")
GENERIC = re.compile(r"(?i)\bmodern\s+slavery\s+act\b(?!\s*(?:of\s*)?\(?20(?:15|18))(?!\s*\((?:cth|nsw)\))|\bMSA\s+Act\b")
# Private-use glyphs that some PDF fonts put inside words ("S\ue002lavery"): read past them
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
DECLARE = re.compile(r"(?i)pursuant|in\s+accordance|\bunder\b|\bcompl(?:y|ies|iance|iant|ying)\b|for\s+the\s+purposes?|"
                     r"requirements?\s+of|in\s+line\s+with|made\s+(?:by|on)|reporting\s+entit|prepared|published|"
                     r"constitutes|issued|"
                     r"in\s+response|this\s+(?:joint\s+)?(?:statement|report)|section\s+\d+|s\.?\s?\d+\(|statement|report|"
                     # an Act that "requires us / the Company / Tesco PLC to" report, or "requires certain
                     # businesses to provide disclosures" (the wording of the Acts' scope), answers this firm; one
                     # that requires "large Australian entities to take steps" or "our customer requires that we"
                     # does not (round 5 review)
                     r"requires?\s+(?:us|our|the\s+(?:company|group|firm|bank|business|organi[sz]ation|entity|society|trust)\b|"
                     r"(?-i:[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*)*)\s+to\b|"
                     r"certain\s+\w+\s+to\s+(?:provide|make|publish|prepare|disclose|report|file)\b)")
TITLE_PAGE = 600  # characters: a law named here is the one the document answers
MIN_SCORE = 3
SHARE_OF_LEADING = 0.25
SOLE_LAW_SCORE = 2  # the only law named: two plain mentions, or one beside a declaring word


def _mention_score(text: str, match: re.Match) -> int:
    around = text[max(0, match.start() - 150): match.end() + 100]
    return 1 + 2 * bool(DECLARE.search(around)) + 2 * (match.start() < TITLE_PAGE)


def detect_jurisdictions(text: str) -> tuple[tuple[str, ...], int | None, str]:
    """(the laws ``text`` says it answers, leading first; where the leading one is first named;
    why). Empty when it names none."""
    text = text[:PROFILE_CHARS]
    kept = None
    if PRIVATE_USE.search(text):  # positions are mapped back to ``text``'s
        kept = [i for i, ch in enumerate(text) if not PRIVATE_USE.match(ch)]
        text = PRIVATE_USE.sub("", text)
    scores: dict[str, int] = {}
    first: dict[str, int] = {}
    for law, pattern in LAWS.items():
        for match in pattern.finditer(text):
            if law == "ca" and NOT_CANADA.search(text[max(0, match.start() - 40):match.start()]):
                continue
            scores[law] = scores.get(law, 0) + _mention_score(text, match)
            first.setdefault(law, match.start())
    entity = list(CA_ENTITY.finditer(text))
    if "ca" in scores or len({m.group(1).lower() for m in entity}) >= 2:
        for match in entity:
            scores["ca"] = scores.get("ca", 0) + _mention_score(text, match)
            first["ca"] = min(first.get("ca", match.start()), match.start())
    named = set(scores)  # laws named by name, year or section (not only "the Modern Slavery Act")
    generic = list(GENERIC.finditer(text))
    if generic:
        law = max(scores, key=lambda k: scores[k]) if scores else "uk"
        for match in generic:
            scores[law] = scores.get(law, 0) + _mention_score(text, match)
            first[law] = min(first.get(law, match.start()), match.start())
    if not scores:
        return (), None, "no modern slavery law is named"
    top = max(scores.values())
    leading = max(scores, key=lambda k: (scores[k], -first[k]))
    # A law is answered when it weighs enough beside the leading one; the leading law also when it is
    # the only law and named by name at least twice. One passing mention with no declaring word near it
    # ("posters explain the basic principles of the Modern Slavery Act 2015") is not an answered law.
    laws = tuple(sorted((law for law, s in scores.items() if s >= max(MIN_SCORE, SHARE_OF_LEADING * top)
                         or (law == leading and law in named and len(scores) == 1 and s >= SOLE_LAW_SCORE)),
                        key=lambda law: first[law]))
    if not laws:
        return (), None, "a law is mentioned only in passing: none is said to be answered"
    said = "; ".join(f"{LAW_NAMES[law]} (weight {scores[law]})" for law in laws)
    at = first[laws[0]] if kept is None else kept[first[laws[0]]]
    return laws, at, f"it names {said}"


def detect_profile(doc: Document, kind: DocumentKind, sector: SectorReading | None,
                   given: Given | None = None) -> Profile:
    """The profile from the document kind, the sector reading (None: no sector model, unknown) and
    the laws the text names; then ``given`` put on top (``given_profile``)."""
    laws, at, why = detect_jurisdictions(doc.text)
    evidence: list[tuple[str, Quote]] = []
    if kind.quote is not None:
        evidence.append(("doc_type", kind.quote))
    if sector is not None and sector.quote is not None:
        evidence.append(("sector", sector.quote))
    if at is not None:
        evidence.append(("jurisdiction", _quote(doc, at)))
    sector_reason = sector.reason if sector is not None else "unknown: the model set has no sector model"
    profile = Profile(
        doc_type=kind.doc_type,
        financial=sector.financial if sector is not None else False,
        subsector=sector.subsector if sector is not None and sector.financial else None,
        jurisdiction=laws[0] if laws else "uk",
        source="detected",
        industry=sector.industry if sector is not None else None,
        jurisdictions=laws,
        section=kind.section,
        sources=(("doc_type", "text"), ("sector", "text"), ("jurisdiction", "text")),
        evidence=tuple(evidence),
        reasons=(("doc_type", kind.reason), ("sector", sector_reason),
                 ("jurisdiction", why if laws else f"{why}: the UK Act's wording is shown")),
    )
    return given_profile(profile, given) if given else profile


def given_profile(profile: Profile, given: Given) -> Profile:
    """``profile`` with what ``given`` sets (document type, sector, jurisdictions) put in place, each
    marked with the given's source and, for a reviewer, who set it. The evidence quote of a given
    value is dropped: the text is not why it holds."""
    changes: dict = {}
    sources, reasons = dict(profile.sources), dict(profile.reasons)
    evidence = dict(profile.evidence)
    said = f"set by {given.source}" + (f" ({given.who})" if given.who else "")
    if given.doc_type is not None:
        if given.doc_type not in DOC_TYPES:
            raise ValueError(f"unknown document type '{given.doc_type}'")
        changes["doc_type"] = given.doc_type
        if given.doc_type != "statement":
            changes["section"] = None
        reasons["doc_type"] = f"{said}; the text read as {profile.doc_type}"
    if given.sector is not None:
        if given.sector not in SECTOR_CHOICES:
            raise ValueError(f"unknown sector '{given.sector}'")
        industry, financial, subsector = sector_choice(given.sector)
        changes.update(industry=industry, financial=financial, subsector=subsector, source="set")
        reasons["sector"] = f"{said}; the text read as {_sector_words(profile)}"
    if given.jurisdictions is not None:
        laws = tuple(dict.fromkeys(j for j in given.jurisdictions if j in JURISDICTIONS))
        changes.update(jurisdictions=laws, jurisdiction=laws[0] if laws else "uk")
        reasons["jurisdiction"] = f"{said}: {', '.join(laws) or 'none named'}"
    for name, value in (("doc_type", given.doc_type), ("sector", given.sector), ("jurisdiction", given.jurisdictions)):
        if value is not None:
            sources[name] = given.source
            evidence.pop(name, None)
    if not changes and sources == dict(profile.sources):
        return profile
    return replace(profile, **changes, sources=tuple(sources.items()), reasons=tuple(reasons.items()),
                   evidence=tuple(evidence.items()))


def _sector_words(profile: Profile) -> str:
    if profile.financial:
        return f"financial ({profile.subsector or 'sub-sector unsure'})"
    return profile.industry or "unsure"


def _quote(doc: Document, at: int) -> Quote:
    """The sentence of ``doc.text`` around character ``at``, with its page."""
    start = max(doc.text.rfind(". ", 0, at) + 2, doc.text.rfind("\n", 0, at) + 1, 0)
    ends = [e for e in (doc.text.find(". ", at), doc.text.find("\n", at)) if e >= 0]
    end = min(ends) + 1 if ends else len(doc.text)
    page = next((b.page for b in doc.blocks if b.start <= at <= b.end), doc.pages[0].number if doc.pages else 1)
    return Quote(page, " ".join(doc.text[start:end].split())[:400])
