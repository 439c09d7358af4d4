"""Document-level labels (corpus/labels/documents.csv): what each real document is, who wrote it, for
which year, what kind of firm and which law, with the labeller's quotes; and the texts they label.

The texts come from the corpus: ``uk`` rows of corpus/uk_texts (by position), ``wikirate`` answers by
their Answer ID, ``aims_au``/``aims_ca`` statements by statement_id (their sentences in order). A
text becomes a ``Document`` of pages of about ``PAGE_CHARS`` characters (cut at paragraph breaks),
so the judgements run on it as on a PDF's text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from disclosure_check.errors import DataError
from disclosure_check.types import Block, Document, Metadata, Page

LABELS = Path("corpus/labels/documents.csv")
PAGE_CHARS = 3500  # about a page of a statement
# Splits held out for a blind measurement by the lead: no training or cross-validation may read them,
# whatever split names a caller asks for. None at present: ``test5`` (issue 20 round 6: 60 UK texts, no
# near-copies of labelled ones) was measured blind by the lead and then read, like ``test4`` and ``test3``
# before it; the next blind split is named here when it is added to documents.csv.
BLIND_SPLITS: frozenset[str] = frozenset()
# The splits the sector model and the organisation ranker are trained and cross-validated on (issue 20:
# ``test`` retired as held out in round 3, ``test3`` in round 4, ``test4`` in round 5, ``test5`` in round 6,
# each once measured and read); named, so a split added later is never trained on by default.
TRAINING_SPLITS = ("dev", "test", "test3", "test4", "test5")


@dataclass(frozen=True)
class DocumentLabel:
    """One labelled document (the CSV's columns; see corpus/labels/README.md for what each means)."""

    source: str
    key: str
    split: str  # "dev" | "test" | "test3" | "test4" | "test5" (all trainable: test3 since round 4, test4 since 5, test5 since 6)
    doc_type: str
    organisation: str  # "unknown" when the text never says
    aliases: tuple[str, ...]
    organisation_quote: str
    company_number: str
    year: int | None
    title_year: int | None
    industry: str  # "" when the labeller could not tell
    financial: bool | None
    subsector: str
    jurisdictions: tuple[str, ...]  # () for "none"
    confidence: str
    notes: str

    @property
    def name(self) -> str:
        return f"{self.source}_{self.key}"


def read_labels(path: str | Path = LABELS, *, root: str | Path = ".") -> list[DocumentLabel]:
    path = Path(root) / path
    if not path.is_file():
        raise DataError("document labels not found", where=str(path), fix="run from the repository root")
    out = []
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                out.append(DocumentLabel(
                    source=row["source"], key=row["key"], split=row["split"], doc_type=row["doc_type"],
                    organisation=row["organisation"].strip(),
                    aliases=tuple(a.strip() for a in row["aliases"].split("|") if a.strip()),
                    organisation_quote=row["organisation_quote"], company_number=row["company_number"].strip(),
                    year=_year(row["year"]), title_year=_year(row["title_year"]),
                    industry=row["industry"].strip(),
                    financial={"yes": True, "no": False}.get(row["financial"].strip()),
                    subsector=row["subsector"].strip(),
                    jurisdictions=tuple(j.strip() for j in row["jurisdictions"].split(";")
                                        if j.strip() and j.strip() != "none"),
                    confidence=row["confidence"].strip(), notes=row["notes"]))
            except (KeyError, ValueError) as exc:
                raise DataError(f"line {line} cannot be read ({exc})", where=str(path),
                                fix="see corpus/labels/README.md for the columns") from None
    return out


def labels_of_splits(labels: Iterable[DocumentLabel], splits: Iterable[str]) -> list[DocumentLabel]:
    """The labels of the named ``splits`` (for training and cross-validation); a DataError when a
    blind split is named. Splits are chosen by name, never "all but one", so a split added later
    (``test4``) is left out until someone names it."""
    splits = tuple(splits)
    blind = sorted(set(splits) & BLIND_SPLITS)
    if blind:
        raise DataError(f"split {', '.join(blind)} is held out for a blind measurement and cannot be trained on",
                        where=str(LABELS), fix=f"train on other splits (not {', '.join(sorted(BLIND_SPLITS))})")
    return [label for label in labels if label.split in splits]


def _year(value: str) -> int | None:
    value = (value or "").strip()
    return int(value[:4]) if value[:4].isdigit() else None


@lru_cache(maxsize=4)
def _texts(root: str) -> dict[str, str]:
    import pandas as pd

    base = Path(root) / "corpus"
    csv.field_size_limit(1 << 30)
    out: dict[str, str] = {}
    uk = pd.read_csv(base / "uk_texts" / "uk_statement_texts.csv", keep_default_na=False)
    for position, text in enumerate(uk["text"]):
        out[f"uk_{position}"] = str(text)
    wikirate = pd.read_csv(base / "wikirate" / "msa_training_labels_with_text.csv", keep_default_na=False)
    for answer, text in zip(wikirate["Answer ID"], wikirate["Text"], strict=True):
        out[f"wikirate_{answer}"] = str(text)
    for source in ("aims_au", "aims_ca"):
        sentences = pd.read_csv(base / "aims" / f"{source}_sentences.csv", keep_default_na=False)
        for statement, group in sentences.groupby("statement_id"):
            out[f"{source}_{statement}"] = "\n".join(group.sort_values("sentence_index")["sentence"].astype(str))
    return out


def label_text(label: DocumentLabel, root: str | Path = ".") -> str:
    """The text a label was written for."""
    texts = _texts(str(Path(root).resolve()))
    if label.name not in texts:
        raise DataError(f"no text for {label.name}", where="corpus/", fix="check the label's source and key")
    return texts[label.name]


def text_to_document(text: str, name: str = "text") -> Document:
    """A plain text as a Document: pages of about ``PAGE_CHARS`` characters, cut at paragraph breaks,
    each paragraph a block (headings are not known: short lines stay paragraphs)."""
    paragraphs = [p.strip() for p in text.replace("\r", "").split("\n") if p.strip()]
    pages: list[list[str]] = [[]]
    size = 0
    for paragraph in paragraphs:
        if size > PAGE_CHARS and pages[-1]:
            pages.append([])
            size = 0
        pages[-1].append(paragraph)
        size += len(paragraph)
    blocks, page_objects, parts = [], [], []
    offset = 0
    for number, page in enumerate(pages, start=1):
        for paragraph in page:
            blocks.append(Block(page=number, kind="paragraph", text=paragraph, start=offset, end=offset + len(paragraph)))
            parts.append(paragraph)
            offset += len(paragraph) + 2
        page_objects.append(Page(number=number, width=595, height=842, has_text_layer=True, text="\n".join(page)))
    return Document(doc_id=name, path=f"{name}.txt", metadata=Metadata(), pages=tuple(page_objects),
                    blocks=tuple(blocks), text="\n\n".join(parts), language="en")


def labelled_documents(labels: Iterable[DocumentLabel], root: str | Path = ".") -> Iterator[tuple[DocumentLabel, Document]]:
    for label in labels:
        yield label, text_to_document(label_text(label, root), label.name)
