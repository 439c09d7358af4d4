"""What the document viewer shows: every finding's sentences by page, the document's sentences read
again (find-in-document, opening at a sentence, re-pointing evidence), and the hits of a search.

A result keeps the boxes of each evidence sentence, not every sentence of the document; the viewer
needs them all (a reviewer re-points evidence to a sentence the machine did not pick). They are
read again from the PDF by the same extraction and segmentation that scored it, on the same pages
(a statement inside a longer report: its section; pages in another language left out), so each
sentence has the index, text, page and boxes it had when scored; ``misaligned`` checks that
against the stored evidence. Pure apart from ``document_sentences`` (which reads the PDF).
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from disclosure_check.read.segment import sentence_hash
from disclosure_check.types import Assessment, Box, Sentence

# How each kind of finding is drawn (RGB), in the order that picks a sentence's colour when it
# belongs to several kinds: a reviewer's addition first, then a statutory check, an element, a criterion.
KIND_ORDER = ("added", "gate", "element", "criterion")
COLOURS = {"added": (20, 140, 60), "gate": (205, 40, 40), "element": (25, 100, 210), "criterion": (140, 70, 175),
           "hit": (235, 130, 0), "chosen": (70, 70, 70)}
KIND_NAMES = {"added": "added by a reviewer", "gate": "statutory check", "element": "disclosure element",
              "criterion": "criterion", "hit": "find-in-document hit", "chosen": "the sentence opened or picked"}


@dataclass(frozen=True, order=True)
class FindingRef:
    """A finding a marked sentence belongs to: a statutory check, an element or a criterion;
    ``added``: a reviewer added the sentence as its evidence."""

    kind: str  # "gate" | "element" | "criterion"
    id: str
    added: bool = False


@dataclass(frozen=True)
class Mark:
    """One sentence that some finding quotes, with every finding it belongs to."""

    page: int
    text: str
    sentence_index: int  # -1: not known (a statutory check's quote carries none)
    boxes: tuple[Box, ...]
    findings: tuple[FindingRef, ...]

    @property
    def kind(self) -> str:
        """The kind it is drawn in (``KIND_ORDER``)."""
        kinds = {"added" if f.added else f.kind for f in self.findings}
        return next(k for k in KIND_ORDER if k in kinds)

    @property
    def pages(self) -> frozenset[int]:
        return frozenset(b.page for b in self.boxes) or frozenset((self.page,))

    def top(self, page: int) -> float:
        return min((b.top for b in self.boxes if b.page == page), default=0.0)


def finding_marks(result: Assessment) -> tuple[Mark, ...]:
    """Every sentence quoted by a finding (element evidence, the evidence of each criterion that
    applies, statutory checks' quotes), one mark per sentence with all its findings, in page order."""
    found: dict[tuple, dict] = {}

    def add(kind: str, finding: str, page: int, text: str, index: int, boxes, added: bool = False) -> None:
        key = (sentence_hash(text), index if index >= 0 else None, page)
        if index < 0:  # a quote without its index: the sentence already marked with that text on that page
            key = next((k for k in found if k[0] == key[0] and k[2] == page), key)
        entry = found.setdefault(key, {"page": page, "text": text, "index": index, "boxes": tuple(boxes),
                                       "findings": {}})
        if not entry["boxes"] and boxes:
            entry["boxes"] = tuple(boxes)
        ref = FindingRef(kind, finding, added)
        entry["findings"].setdefault((kind, finding), ref)
        if added:
            entry["findings"][(kind, finding)] = ref

    m = result.maturity
    for e in result.elements:
        for ev in e.evidence:
            add("element", e.element, ev.page, ev.text, ev.sentence_index, ev.boxes, ev.classifier == "reviewer")
    if m is not None:
        for c in m.criteria:
            if c.applies:
                for ev in c.evidence:
                    if ev.status != "negative":
                        add("criterion", c.id, ev.page, ev.text, ev.sentence_index, ev.boxes,
                            any(o.by == "reviewer" for o in ev.origins))
        for check in m.gate:  # after the rest: a quote (no index) joins the sentence marked with its text
            for q in check.evidence:
                add("gate", check.id, q.page, q.text, -1, q.boxes)
    marks = [Mark(page=v["page"], text=v["text"], sentence_index=v["index"], boxes=v["boxes"],
                  findings=tuple(sorted(v["findings"].values(), key=lambda f: (KIND_ORDER.index(f.kind), f.id))))
             for v in found.values()]
    return tuple(sorted(marks, key=lambda mk: (mk.page, mk.top(mk.page), mk.sentence_index, mk.text)))


def page_marks(marks: Sequence[Mark], page: int, *, kinds: Sequence[str] = KIND_ORDER,
               finding: tuple[str, str] | None = None) -> list[Mark]:
    """The marks with a box on ``page``, top to bottom, of the ``kinds`` shown (a mark shows when any
    of its findings is of a shown kind; "added" shows reviewers' additions), or of one ``finding``
    (kind, id) only."""
    out = []
    for mk in marks:
        if page not in mk.pages:
            continue
        if finding is not None:
            if not any((f.kind, f.id) == finding for f in mk.findings):
                continue
        elif not any(f.kind in kinds or (f.added and "added" in kinds) for f in mk.findings):
            continue
        out.append(mk)
    return sorted(out, key=lambda mk: (mk.top(page), mk.sentence_index))


def pages_with_findings(marks: Sequence[Mark]) -> dict[int, int]:
    """Page -> how many marked sentences it has."""
    out: dict[int, int] = {}
    for mk in marks:
        for page in mk.pages:
            out[page] = out.get(page, 0) + 1
    return dict(sorted(out.items()))


def scored_pages(result: Assessment) -> set[int] | None:
    """The pages whose sentences were scored (None: all), as ``Scorer.score_document`` chose them."""
    pages = None
    if result.pages_other_language:
        pages = set(range(1, result.pages + 1)) - {p for p, _ in result.pages_other_language}
    section = result.maturity.profile.section if result.maturity is not None else None
    if section is not None:
        pages = set(range(section[0], section[1] + 1)) & (pages if pages is not None else set(range(1, result.pages + 1)))
    return pages


def document_sentences(source: str | Path | bytes, result: Assessment) -> tuple[Sentence, ...]:
    """The document's sentences as they were scored (``result``: the machine's result, whose pages
    and OCR tell how): read again from the PDF (a path, or the stored copy's bytes). Raises the
    extraction's ``InputError`` when the file cannot be read (an encrypted PDF without its password)."""
    from disclosure_check.read.extract import DEFAULT_MAX_PAGES, pdf_to_document
    from disclosure_check.read.segment import document_to_sentences

    def read(path: Path) -> tuple[Sentence, ...]:
        doc = pdf_to_document(path, doc_id=result.doc_id, ocr=bool(result.pages_ocr),
                              max_pages=max(DEFAULT_MAX_PAGES, result.pages), max_bytes=2**40)
        return document_to_sentences(doc, pages=scored_pages(result))

    if isinstance(source, bytes):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "document.pdf"
            path.write_bytes(source)
            return read(path)
    return read(Path(source))


def misaligned(sentences: Sequence[Sentence], result: Assessment) -> int:
    """How many stored evidence sentences name, by their index, another text in ``sentences`` (0:
    the sentences are the ones scored, and an index names the same sentence in both)."""
    by_index = {s.index: s.text for s in sentences}
    return sum(1 for e in result.elements for ev in e.evidence + e.negative
               if ev.classifier != "reviewer" and by_index.get(ev.sentence_index) != ev.text)


def find_sentences(sentences: Sequence[Sentence], query: str) -> list[Sentence]:
    """The sentences that match ``query`` as keyword search matches a document (``store.words``):
    a word finds its other endings ("survivors" finds "survivor"), ``word*`` any word that begins
    so, "quoted words" those words in that order; a sentence matches when every term does, and a
    hit the search page links to (one term) is found here too. In reading order."""
    from disclosure_check.store.words import find, parse

    terms = parse(query)
    if not terms:
        return []
    return [s for s in sentences if all(find(s.text, (term,)) for term in terms)]


def page_sentences(sentences: Sequence[Sentence], page: int) -> list[Sentence]:
    """The sentences with a box (or, without boxes, their start) on ``page``, in reading order."""
    return [s for s in sentences if page in ({b.page for b in s.boxes} or {s.page})]
