"""What kind of firm wrote a document (``sector.v6``): its industry and, for a financial firm, its
sub-sector, read from what the firm says it does.

``sector.v2`` added four keyword features to ``sector.v1``'s 25 (what the firm says it is, its
regulators, financial words of non-financial segments, a financial name); ``sector.v3`` adds 19: the
sub-sector a legal name on the title page says ("Nationwide Building Society" where identity reads
"Nationwide"), what only a financial firm's business has (deposits, loans, policyholders, funds under
management, e-money, "authorised and regulated by"), and per general sector what the firm says it does
("we manufacture", "our factories" against "our stores") and is ("is an oil and gas company");
``sector.v4`` adds 6, read by the sub-sector model too: per sub-sector, what the firm says it is ("as a UK
bank", "is a Lloyd's managing agent", "is an e-money institution"). ``sector.v5`` reads the same features
more strictly (review of v4: one everyday sentence made 107 of 120 retailers "payments firms"): no product
or staff-benefit words as strong terms ("ATMs", "fuel cards", "health insurance", "workplace pensions"),
"is a ... <kind>" with no relation, verb or second article between ("is a portfolio company of a private
equity firm" is not an asset manager), phrases that name no financial firm blanked ("Bank of England",
"food bank", "chain of custody", "Real Estate Investment Trust"), a title-page name only a capitalised one ("Aviva Insurance Limited", not
"health insurance"), and the standardised keyword features clipped (a rare term's single mention was
worth ~2 log-odds). ``sector.v6`` reads what a firm does and is (the general sectors' business cues and
kinds) in its own words only (its opening and self-description sentences, ``own_words``), not anywhere in
the first 20,000 characters, where a supplier section's "platform", "trustees" or "farms" out-voted a
maker's "manufacturing"; it finds more of a maker's self-description ("core business", "is engaged in",
"among the largest ... manufacturers", "our dairies"); and a close call names the runner-up industry. A model
reads exactly the features it was trained on, so a change to ``keyword_features`` is a new name, and a
model whose feature count is not this code's is refused at load (``check_features``).

The model reads a document's *self-description*: its name, its opening, and the sentences in which
it says what it is and does ("X is a retail bank ...", "our principal activity is ...", "authorised
by the Financial Conduct Authority", "we design and manufacture ..."). Two multinomial logistic
regressions over word TF-IDF (1-2 grams) of that text give the industry and the financial
sub-sector; trained with scikit-learn on the hand-labelled documents (train/sector.py) and applied
here with numpy alone (the inference form: vocabulary, idf, coefficients). The sentence that best
supports the answer is the reason a reviewer sees.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from disclosure_check.classify.tfidf import Tfidf
from disclosure_check.errors import DataError, ModelError
from disclosure_check.phrases import standalone_at
from disclosure_check.types import INDUSTRIES, SUBSECTORS, Document, Quote, SectorReading
from disclosure_check.yamlio import load_yaml

NAME = "sector.v6"
# Sentences in which a firm says what it is or does.
SELF_DESCRIPTION = re.compile(
    r"(?i)\b(?:is|are)\s+(?:a|an|one\s+of|the\s+(?:\w+\s+){0,2}(?:largest|leading|uk['’]?s?|world['’]?s?|holding|parent))\b"
    r"|\b(?:principal|main|core)\s+(?:business\s+)?activit|\bour\s+(?:business|businesses|company|group|firm|customers|"
    r"clients|members|products|services|operations)\b|\bprovid(?:es|er\s+of|ing)\b|\bspeciali[sz]\w*\s+in\b|"
    r"\b(?:authori[sz]ed|regulated)\s+by\b|\bwe\s+(?:design|make|manufacture|produce|sell|retail|distribute|lend|insure|"
    r"underwrite|manage|invest|operate|offer|serve|supply|build|develop|process|deliver|run|own)\b|\boperat(?:es|ing)\s+"
    r"(?:in|as|from|across)\b|\bheadquartered\b|\bfounded\b|\bemploy(?:s|ing)\b"
    # sector.v6: what a maker, contractor or adviser says of itself ("Yazaki's core business is built around the
    # manufacturing ...", "Bechtel is engaged in engineering", "among the 10 largest confectionery manufacturers",
    # "our sweets are produced at our production sites", "our five dairies")
    r"|\b(?:primary|core|principal|main)\s+business\b|\b(?:is|are)\s+(?:engaged|active|involved)\s+in\b"
    r"|\b(?:largest|leading|major|biggest)\s+(?:[\w&-]+\s+){0,3}?(?:manufacturers?|producers?|makers?|processors?|"
    r"suppliers?|providers?|retailers?|contractors?|brewers?)\b|\b(?:produced|manufactured|made|built|assembled)\s+"
    r"(?:at|in|by)\s+(?:our|its)\b|\bour\s+(?:[\w-]+\s+){0,2}?(?:factories|factory|plants?|mills?|dairies|"
    r"bakeries|breweries|abattoirs|shipyards?|production\s+sites?|manufacturing\s+(?:sites?|facilities))\b")
OPENING_CHARS = 800
MAX_SENTENCES = 25
SCAN_CHARS = 20_000


TERMS_FILE = "lexicons/sector_terms.yaml"
# The keyword features read where a firm describes itself: about the first 12 pages (a statement is
# rarely longer; 99% of the labelled ones are under 32,000 characters). Counting over 100 pages of an
# annual report read industrial groups' "financial services segment" and payment sections as banks.
TERM_CHARS = 40_000
LEGAL_FORM = r"(?i:plc|limited|ltd|llp|gmbh|ag|s\.a\.|n\.v\.|inc\.?|pty\s+ltd|se)\b"
TITLE_CHARS = 1_500  # the title page, where the full legal name stands
INDUSTRY_ONLY = 17  # the last keyword features (self-identity, regulators, segment terms, name; financial
# business words, what the firm says it does and is per general sector) say financial or not, or which general sector,
# not which financial kind: the sub-sector model does not read them (cross-validated: it did worse with)


UNSURE_RATIO = 0.5  # sector.v6: a runner-up industry with at least half the top one's probability is named in the reason
KEYWORD_CLIP = 3.0  # sector.v5: a standardised keyword feature counts at most this many spreads from its mean


@lru_cache(maxsize=1)
def sector_terms() -> dict:
    """The keyword tables (lexicons/sector_terms.yaml), checked: sub-sectors with name patterns and
    strong terms, financial cues, and terms per general sector."""
    where = f"disclosure_check/{TERMS_FILE}"
    raw = resources.files("disclosure_check").joinpath(TERMS_FILE).read_text(encoding="utf-8")
    data = load_yaml(raw)
    _check_terms(data, where)
    try:
        rules = data["identity"]
        subsectors = {k: {"name": tuple(v["name"]), "strong": tuple(v["strong"])} for k, v in data["subsectors"].items()}
        out = {"subsectors": subsectors, "financial_cues": tuple(data["financial_cues"]),
               "sectors": {k: tuple(v) for k, v in data["sectors"].items()},
               "self_identity": _identity(data["self_identity"], rules),
               "not_financial": re.compile("(?i)" + "|".join(data["not_financial"])),
               "regulators": re.compile("(?i)" + "|".join(data["regulators"])),
               "segment_terms": re.compile("(?i)" + "|".join(data["segment_terms"])),
               "financial_name": re.compile("(?i)" + "|".join(data["financial_name"])),
               "title_name": re.compile(r"\b(?:[A-Z][\w&'’.=-]*\s+){1,4}(?i:" + "|".join(data["title_name_ends"])
                                        + r")\b(?:\s+" + LEGAL_FORM + r")?"),  # sector.v5: a capitalised name, not "health insurance"
               "financial_business": re.compile("(?i)" + "|".join(data["financial_business"])),
               "business_cues": {k: re.compile("(?i)" + "|".join(v)) for k, v in data["business_cues"].items()},
               "sector_identity": {k: _identity(v, rules) for k, v in data["sector_identity"].items()},
               "subsector_identity": {k: _identity(v, rules) for k, v in data["subsector_identity"].items()},
               "version": f"{data['version']}+{hashlib.sha256(raw.encode()).hexdigest()[:12]}"}
    except re.error as exc:
        raise DataError(f"a pattern of the sector terms does not compile ({exc})", where=where,
                        fix="restore the file from git") from None
    except (KeyError, TypeError, AttributeError) as exc:
        raise DataError(f"the sector terms are malformed ({exc})", where=where, fix="restore the file from git") from None
    if set(subsectors) != set(SUBSECTORS) or set(out["subsector_identity"]) != set(SUBSECTORS):
        raise DataError(f"the sector terms name sub-sectors {sorted(subsectors)}, not {sorted(SUBSECTORS)}",
                        where=where, fix="give every sub-sector of types.SUBSECTORS its terms")
    return out


def _identity(kinds: list[str], rules: dict) -> re.Pattern:
    """What a firm says it is: "we are / is / as a(n) / the / one of the", up to six words on the same
    line, none of them a relation, verb or article of ``rules["gap_not"]`` outside a name of ``rules["gap_names"]``
    ("As a Lloyd's of London Managing Agency"), then a kind. "as" only at a
    sentence's start or after a word of ``rules["as_after"]`` ("operating as a bank", not "such as a
    bank" or "we use PayPal as the payment provider"). The kind is a whole word ("Bankers" is not
    "bank"), plural, "-ing" or "-age" ("banking group", "brokerage") allowed."""
    return re.compile(r"(?i)(?:\b(?:we[ \t]+are|is)|(?:(?:^|(?<=[\n.!?;:(]))[ \t]*|\b(?:" + "|".join(rules["as_after"])
                      + r")[ \t]+)as)[ \t]+(?:a|an|the|one[ \t]+of[ \t]+the)[ \t]+(?:(?:" + "|".join(rules["gap_names"])
                      + r")[ \t]+|(?!(?:" + "|".join(rules["gap_not"]) + r")\b)[\w&'’-]+[ \t]+){0,6}?(?:" + "|".join(kinds)
                      + r")(?:s|es|ing|age)?\b")


def _check_terms(data: object, where: str) -> None:
    """A DataError naming the section of the sector terms that is empty, or holds an empty entry or a
    pattern that matches the empty string (it would count at every character)."""
    def walk(value: object, at: str) -> None:
        if isinstance(value, dict):
            if not value:
                raise DataError(f"the sector terms' section {at} is empty", where=where, fix=f"give {at} its entries")
            for key, inner in value.items():
                walk(inner, f"{at}.{key}" if at else str(key))
        elif isinstance(value, list):
            if not value:
                raise DataError(f"the sector terms' list {at} is empty", where=where, fix=f"give {at} its entries")
            for i, inner in enumerate(value):
                walk(inner, f"{at}[{i}]")
        elif not isinstance(value, str) or not value.strip():
            raise DataError(f"the sector terms' entry {at} is not a non-empty string ({value!r})", where=where,
                            fix=f"write a term or pattern at {at}, or remove it")
        elif at != "version":
            try:
                empty = re.fullmatch("(?i)(?:" + value + ")", "") is not None
            except re.error as exc:
                raise DataError(f"the sector terms' pattern {at} does not compile ({exc})", where=where,
                                fix=f"correct the pattern at {at}") from None
            if empty:
                raise DataError(f"the sector terms' pattern {at} ({value!r}) matches the empty string", where=where,
                                fix=f"make the pattern at {at} match at least one character")
    if not isinstance(data, dict):
        raise DataError("the sector terms are not a mapping", where=where, fix="restore the file from git")
    walk(data, "")


def _identities() -> list[re.Pattern]:
    terms = sector_terms()
    return [terms["self_identity"], *terms["subsector_identity"].values(), *terms["sector_identity"].values()]


def blank(text: str) -> str:
    """``text`` with the phrases that name no financial firm of the writer's (``not_financial``: "Bank of
    England", "food bank", "chain of custody") replaced by spaces of the same length."""
    return sector_terms()["not_financial"].sub(lambda m: " " * len(m.group(0)), text)


def unwrap(text: str) -> str:
    """``text`` with a line break inside a sentence (a lower-case word or comma before, a lower-case word
    after: a wrapped PDF line) made a space, so that a sentence is read whole."""
    return re.sub(r"(?<=[a-z,;])[ \t]*\n[ \t]*(?=[a-z(])", " ", text)


def _count(text: str, term: str) -> int:
    return len(standalone_at(text, term))


def keyword_features(text: str, organisation: str | None) -> np.ndarray:
    """Per sub-sector: its strong terms per 1,000 words and in all (log), and whether the name says
    it; financial cues likewise; each general sector's terms per 1,000 words (log)."""
    terms = sector_terms()
    whole = text
    raw = unwrap(text[:TERM_CHARS])  # the general sectors' words read the text as it is ("a real estate investment trust")
    text = blank(raw)  # the financial ones without the phrases that name no financial firm of the writer's
    lower = text.lower()
    words = max(len(lower.split()), 1)
    name = (organisation or "").lower()
    out: list[float] = []
    for sub in SUBSECTORS:
        found = sum(_count(lower, term) for term in terms["subsectors"][sub]["strong"])
        out += [math.log1p(found * 1000 / words), math.log1p(found),
                float(bool(name) and any(re.search(p, name) for p in terms["subsectors"][sub]["name"]))]
    cues = sum(_count(lower, term) for term in terms["financial_cues"])
    out += [math.log1p(cues * 1000 / words), math.log1p(cues)]
    for sector_terms_ in terms["sectors"].values():
        out.append(math.log1p(sum(_count(raw.lower(), term) for term in sector_terms_) * 1000 / words))
    # Names on the title page that say a sub-sector ("Nationwide Building Society" where identity reads "Nationwide")
    titles = [m.group(0).lower() for m in terms["title_name"].finditer(text[:TITLE_CHARS])]
    for sub in SUBSECTORS:
        out.append(float(any(re.search(p, t) for t in titles for p in terms["subsectors"][sub]["name"])))
    # sector.v4: the kind of financial firm in its own words ("as a UK bank", "is a Lloyd's managing agent")
    head = text[:SCAN_CHARS]
    out += [math.log1p(len(terms["subsector_identity"][sub].findall(head))) for sub in SUBSECTORS]
    # What the firm says it is and who regulates it, where it describes itself; financial words that
    # non-financial groups use (segments, customer financing, pensions); a name that says financial.
    out += [math.log1p(len(terms["self_identity"].findall(head))), math.log1p(len(terms["regulators"].findall(head))),
            math.log1p(len(terms["segment_terms"].findall(text[:TERM_CHARS]))),
            float(bool(terms["financial_name"].search(organisation or "")))]
    # What only a financial firm's business has; what the firm says it does, per general sector
    out.append(math.log1p(len(terms["financial_business"].findall(head))))
    # sector.v6: read in the firm's own words (its opening and self-description), not anywhere in the first 20,000
    # characters: one "the platform provides a methodology" made a dairy a technology firm, "government" and
    # "trustees" a shipbuilder and a wine supplier public sector, "farms" and "energy" a meat processor "other"
    own = own_words(whole, organisation)
    out += [math.log1p(len(cue.findall(own))) for cue in terms["business_cues"].values()]
    out += [math.log1p(len(kind.findall(own))) for kind in terms["sector_identity"].values()]
    return np.array(out, dtype=float)


def keyword_count() -> int:
    """How many ``keyword_features`` this code computes (it depends on the sector terms' tables)."""
    return int(keyword_features("", None).size)


def own_words(text: str, organisation: str | None) -> str:
    """The self-description sentences of ``text`` and its opening: where a firm says what it does."""
    _, chosen = description(text, organisation)
    return "\n".join([" ".join(text[:OPENING_CHARS].split()), *chosen])


def description(text: str, organisation: str | None = None) -> tuple[str, list[str]]:
    """(the text the model reads, the self-description sentences in it). The organisation's name
    comes first: "... Bank plc" and "... Insurance Ltd" say a good deal."""
    head = unwrap(text[:SCAN_CHARS])
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", head) if 15 <= len(s.strip()) <= 600]
    # sector.v5: and the sentences in which the firm says what kind it is ("As a UK bank with a growing number of
    # international suppliers, ..."), so that the reason can quote them
    kinds = _identities()
    chosen = [s for s in sentences if SELF_DESCRIPTION.search(s) or any(k.search(s) for k in kinds)][:MAX_SENTENCES]
    return "\n".join([organisation or "", " ".join(text[:OPENING_CHARS].split()), *chosen]), chosen


@dataclass(frozen=True, eq=False)
class SectorInference:
    """The sector model in the form scoring uses."""

    tfidf: Tfidf
    industries: tuple[str, ...]
    industry_coef: np.ndarray  # (industries, features)
    industry_intercept: np.ndarray
    subsectors: tuple[str, ...]  # financial sub-sectors, "" for a financial firm of none of them
    subsector_coef: np.ndarray
    subsector_intercept: np.ndarray
    financial_threshold: float  # P(financial) at or above which a firm is called financial
    industry_floor: float  # below this, the industry is unknown
    subsector_floor: float  # below this, a financial firm's sub-sector is unknown
    keyword_mean: np.ndarray  # the keyword features' standardisation, and their weight beside the words
    keyword_scale: np.ndarray
    keyword_weight: float

    def features(self, texts: Sequence[str], keywords: np.ndarray):
        from scipy import sparse

        dense = np.clip((np.atleast_2d(keywords) - self.keyword_mean) / self.keyword_scale, -KEYWORD_CLIP,
                        KEYWORD_CLIP) * self.keyword_weight
        return sparse.hstack([self.tfidf.transform(texts), sparse.csr_matrix(dense)]).tocsr()

    def probabilities(self, texts: Sequence[str], keywords: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(industry probabilities, sub-sector probabilities), one row per text (``keywords``: one
        ``keyword_features`` row per text)."""
        X = self.features(texts, keywords)
        return (_softmax(np.asarray(X @ self.industry_coef.T) + self.industry_intercept),
                _softmax(np.asarray(X @ self.subsector_coef.T) + self.subsector_intercept))

    def best_sentence(self, sentences: Sequence[str], head: str, label: str, any_weight: bool = False) -> int | None:
        """The index of the sentence that most supports ``label`` of ``head`` ("industry" or
        "subsector"), or None when none does (no sentence has a positive weight for it, unless
        ``any_weight``: the sentences are evidence already and the weights only rank them)."""
        if not sentences:
            return None
        labels, coef = ((self.industries, self.industry_coef) if head == "industry"
                        else (self.subsectors, self.subsector_coef))
        if label not in labels:
            return None
        words = coef[labels.index(label), :len(self.tfidf.terms)]
        scores = np.asarray(self.tfidf.transform(sentences) @ words).ravel()
        best = int(np.argmax(scores))
        return best if scores[best] > 0 or any_weight else None

    def arrays(self) -> dict[str, np.ndarray]:
        return {"idf": self.tfidf.idf, "industry_coef": self.industry_coef, "industry_intercept": self.industry_intercept,
                "subsector_coef": self.subsector_coef, "subsector_intercept": self.subsector_intercept,
                "keyword_mean": self.keyword_mean, "keyword_scale": self.keyword_scale}

    def settings(self) -> dict:
        return {"tfidf": self.tfidf.settings(), "industries": list(self.industries), "subsectors": list(self.subsectors),
                "financial_threshold": self.financial_threshold, "industry_floor": self.industry_floor,
                "subsector_floor": self.subsector_floor, "keyword_weight": self.keyword_weight}

    @classmethod
    def from_parts(cls, settings: dict, arrays: dict[str, np.ndarray]) -> SectorInference:
        return cls(tfidf=Tfidf.from_settings(settings["tfidf"], arrays["idf"]),
                   industries=tuple(settings["industries"]), industry_coef=arrays["industry_coef"],
                   industry_intercept=arrays["industry_intercept"], subsectors=tuple(settings["subsectors"]),
                   subsector_coef=arrays["subsector_coef"], subsector_intercept=arrays["subsector_intercept"],
                   financial_threshold=float(settings["financial_threshold"]),
                   industry_floor=float(settings["industry_floor"]), subsector_floor=float(settings["subsector_floor"]),
                   keyword_mean=arrays["keyword_mean"], keyword_scale=arrays["keyword_scale"],
                   keyword_weight=float(settings["keyword_weight"]))


def check_features(model: SectorInference, where: str, fix: str) -> SectorInference:
    """``model`` when it reads the features this code computes; a ModelError naming what it expects
    otherwise (a model trained before ``keyword_features`` or the sector terms changed)."""
    expected, found = keyword_count(), int(model.keyword_mean.size)
    columns = len(model.tfidf.terms) + expected
    if found != expected or model.industry_coef.shape[1] != columns or model.subsector_coef.shape[1] != columns:
        raise ModelError(f"the sector model {NAME} was trained on {found} keyword features, this code computes "
                         f"{expected} (the keyword features or the sector terms changed since it was trained)",
                         where=where, fix=fix)
    return model


LABELS = {"building_society": "building society", "bank": "bank", "insurer": "insurer",
          "asset_manager": "asset manager", "payments": "payments or e-money firm", "lender": "lender",
          "financial": "financial firm", "retail_consumer": "retail and consumer", "manufacturing": "manufacturing",
          "technology": "technology", "public_sector": "public sector", "services": "services", "other": "other"}


def read_sector(model: SectorInference, doc: Document, organisation: str | None, by: str = NAME) -> SectorReading:
    """The model's reading of ``doc`` (``organisation``: the name identity read, or its suggestion)."""
    text, sentences = description(doc.text, organisation)
    keywords = keyword_features(doc.text, organisation)
    industry_p, subsector_p = model.probabilities([text], keywords[None, :])
    ip, sp = industry_p[0], subsector_p[0]
    fin = model.industries.index("financial")
    p_financial = float(ip[fin])
    financial = p_financial >= model.financial_threshold
    subsector = None
    if financial:
        industry: str | None = "financial"
        j = int(np.argmax(sp))
        subsector = model.subsectors[j] or None if sp[j] >= model.subsector_floor else None
        head, label = ("subsector", model.subsectors[j]) if subsector else ("industry", "financial")
        confidence = float(sp[j]) if subsector else p_financial
        what = LABELS[subsector or "financial"]
    else:
        rest = np.where(np.arange(len(ip)) == fin, -1.0, ip)
        j, second = (int(k) for k in np.argsort(-rest)[:2])
        industry = model.industries[j] if rest[j] >= model.industry_floor else None
        head, label, confidence = "industry", model.industries[j], float(rest[j])
        what = LABELS.get(industry or "", "unsure")
        if industry and rest[second] >= UNSURE_RATIO * rest[j]:  # sector.v6: a close call says so
            what += f" (or {LABELS[model.industries[second]]}, {min(float(rest[second]), 0.99):.2f})"
    at = _reason_sentence(model, sentences, head, label, organisation)
    quote = _quote(doc, sentences[at]) if at is not None else None
    reason = (f"{what} (the model's probability {min(confidence, 0.99):.2f}; P(financial) {min(p_financial, 0.99):.2f}, "
              f"called financial from {model.financial_threshold:.2f})"
              + (f", from what it says it does: '{_short(sentences[at])}'" if at is not None
                 else ", from its name and opening; no sentence states what it is"))
    return SectorReading(industry=industry, financial=financial, subsector=subsector, p_financial=round(p_financial, 4),
                         reason=reason, quote=quote, by=by)


def evidence_pattern(head: str, label: str) -> re.Pattern | None:
    """The words a person would point to for ``label`` ("subsector": its strong terms and what the
    firm says it is of that kind; "industry" financial: regulators, financial business and self-identity; another
    industry: what the firm says it does and is in that sector), or None for a label without any."""
    terms = sector_terms()
    if head == "subsector" and label in terms["subsectors"]:
        strong = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in terms["subsectors"][label]["strong"]) + r")\b")
        return _either(strong, terms["subsector_identity"][label])
    if label == "financial":
        return _either(*(terms[k] for k in ("self_identity", "regulators", "financial_business")))
    if label in terms["business_cues"]:
        return _either(terms["business_cues"][label], terms["sector_identity"][label])
    return None


def _either(*patterns: re.Pattern) -> re.Pattern:
    """One case-insensitive pattern matching any of ``patterns``."""
    return re.compile("|".join(f"(?:{p.pattern.removeprefix('(?i)')})" for p in patterns), re.IGNORECASE)


def _reason_sentence(model: SectorInference, sentences: Sequence[str], head: str, label: str,
                     organisation: str | None = None) -> int | None:
    """The self-description sentence shown as the reason: among those with the evidence a person uses
    for ``label`` (``evidence_pattern``), the one the model's word weights favour most; else the
    model's best sentence of all (sector.v3's keyword features move weight off the words, and the
    words alone picked "This Statement outlines the steps we have taken" for a bank). For a sub-sector,
    its own words come first, then any financial self-description (sector.v4: "RBC is one of the largest
    banks" was shown as why its subsidiary BlueBay is an asset manager). The last resort (sector.v5) is a
    sentence whose subject is the firm ("we", its name, "the Company/Group"), or None: a sentence about
    something else ("Pension contributions ...") is no reason."""
    tiers = [evidence_pattern(head, label)]
    if head == "subsector":
        tiers.append(sector_terms()["self_identity"])
    for pattern in tiers:
        chosen = [i for i, s in enumerate(sentences) if pattern is not None and pattern.search(blank(s))]
        if chosen:
            best = model.best_sentence([sentences[i] for i in chosen], head, label, any_weight=True)
            return chosen[best] if best is not None else None
    subject = _subject(organisation)
    chosen = [i for i, s in enumerate(sentences) if subject.search(s) and not _PLEDGE.search(s)]
    best = model.best_sentence([sentences[i] for i in chosen], head, label)
    if best is None and head == "industry" and chosen:  # sector.v6: the firm's own words, ranked by the model
        best = model.best_sentence([sentences[i] for i in chosen], head, label, any_weight=True)
    return chosen[best] if best is not None else None


# A sentence about the statement or the firm's commitment, not what the firm is or does ("We are committed to
# preventing modern slavery ..."): never the reason for an industry.
_PLEDGE = re.compile(r"(?i)\b(?:committed|commitment|slavery|trafficking|this\s+statement|zero[- ]tolerance|policy|policies)\b")


def _subject(organisation: str | None) -> re.Pattern:
    """The firm as a sentence's subject: "we", "the Company/Group/Bank/Firm", or its name's first word."""
    first = re.escape(organisation.split()[0]) if organisation and organisation.split() else None
    name = rf"|{first}\b" if first and len(first) > 2 else ""
    return re.compile(rf"^(?:(?i:we|our\s+(?:company|group|business|firm)|the\s+(?:company|group|firm|bank|society|business)){name})\b")


def keyword_sector(doc: Document, organisation: str | None) -> SectorReading:
    """Without a sector model: keyword counts (the strong terms of each sub-sector, a name that says
    it). Weaker than the model (see docs/judgements.md); used only when a model set has no sector part."""
    terms = sector_terms()
    lower = doc.text[:TERM_CHARS].lower()
    words = max(len(lower.split()), 1)
    name = (organisation or "").lower()
    strong = {sub: sum(_count(lower, t) for t in terms["subsectors"][sub]["strong"]) for sub in SUBSECTORS}
    by_name = [sub for sub in SUBSECTORS if name and any(re.search(p, name) for p in terms["subsectors"][sub]["name"])]
    total = sum(strong.values()) + sum(_count(lower, c) for c in terms["financial_cues"])
    if by_name or total * 1000 / words >= 1.5 or total >= 6:
        sub = by_name[0] if by_name else max(strong, key=strong.get)
        sub = sub if by_name or strong[sub] > 0 else None
        why = f"its name ('{organisation}')" if by_name else f"{total} financial terms"
        return SectorReading("financial", True, sub, 1.0, f"{LABELS[sub or 'financial']} by keywords: {why}", by="keywords")
    rates = {k: sum(_count(lower, t) for t in v) * 1000 / words for k, v in terms["sectors"].items()}
    best = max(rates, key=rates.get)
    industry = best if rates[best] >= 1.0 and best in INDUSTRIES else "other"
    return SectorReading(industry, False, None, 0.0, f"{LABELS[industry]} by keywords ({rates[best]:.1f} per 1,000 words)",
                         by="keywords")


def _short(sentence: str, limit: int = 160) -> str:
    sentence = " ".join(sentence.split())
    return sentence if len(sentence) <= limit else sentence[:limit - 1].rsplit(" ", 1)[0] + "…"


def _quote(doc: Document, sentence: str) -> Quote:
    """``sentence`` (a line of ``doc.text``) with its page."""
    at = doc.text.find(sentence)
    at = doc.text.find(sentence[:40]) if at < 0 else at  # a sentence joined from wrapped lines
    page = next((b.page for b in doc.blocks if b.start <= at <= b.end), doc.pages[0].number if doc.pages else 1) \
        if at >= 0 else (doc.pages[0].number if doc.pages else 1)
    return Quote(page, " ".join(sentence.split())[:400])


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
