"""Labelled sentence files in the AIMS format: loading, label masks, per-statement grouping."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from disclosure_check.errors import DataError
from disclosure_check.rubric import Rubric

REQUIRED = ("statement_id", "sentence_index", "sentence")


@dataclass(frozen=True)
class LabelledSentences:
    """Sentences of one or more labelled files, with a label matrix aligned to ``labels``.

    ``Y[i, j]`` is 1 or 0, or -1 where the source file does not label element j at all
    (e.g. C1 and C6 in the Canadian set): unlabelled, not negative.
    """

    frame: pd.DataFrame  # columns: group, statement_id, sentence_index, sentence, source
    labels: tuple[str, ...]  # element ids
    Y: np.ndarray

    def statements(self) -> Iterator[tuple[str, np.ndarray]]:
        """(group, row positions in reading order) for each statement."""
        for group, rows in self.frame.groupby("group", sort=False).indices.items():
            order = np.argsort(self.frame["sentence_index"].to_numpy()[rows], kind="stable")
            yield group, rows[order]


def read_labelled(paths: Sequence[str | Path], rubric: Rubric, *, unused_as_unlabelled: bool = True) -> LabelledSentences:
    """Read AIMS-format CSVs; label columns are matched to rubric elements by their ``label``."""
    frames, matrices = [], []
    labels = rubric.element_ids
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise DataError("labelled file not found", where=str(path), fix="check the path")
        try:
            frame = pd.read_csv(path)
        except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
            raise DataError(f"cannot read as CSV: {exc}", where=str(path), fix="save the file as UTF-8 CSV") from None
        missing = [c for c in REQUIRED if c not in frame.columns]
        if missing:
            raise DataError(f"missing column(s) {missing}", where=str(path),
                            fix=f"the file needs columns {list(REQUIRED)} plus label columns")
        present = [e.label for e in rubric.elements if e.label in frame.columns]
        if not present:
            raise DataError("no label columns found", where=str(path),
                            fix=f"add at least one of {[e.label for e in rubric.elements]}")
        Y = np.full((len(frame), len(labels)), -1, dtype=np.int8)
        for j, element in enumerate(rubric.elements):
            if element.label not in frame.columns:
                continue
            column = pd.to_numeric(frame[element.label], errors="coerce")
            if column.isna().any():
                bad = int(column.isna().idxmax())
                raise DataError(f"column '{element.label}' has a non-numeric value at row {bad + 2}",
                                where=str(path), fix="labels must be 0 or 1")
            # A label that a file never marks positive is one it does not use: unlabelled.
            if column.sum() > 0 or not unused_as_unlabelled:
                Y[:, j] = (column.to_numpy() > 0).astype(np.int8)
        out = pd.DataFrame({
            "statement_id": frame["statement_id"].astype(str),
            "sentence_index": pd.to_numeric(frame["sentence_index"], errors="coerce").fillna(0).astype(int),
            "sentence": frame["sentence"].fillna("").astype(str),
            "source": path.name,
        })
        out["group"] = path.stem + ":" + out["statement_id"]
        frames.append(out)
        matrices.append(Y)
    if not frames:
        raise DataError("no labelled files given", fix="pass at least one CSV")
    return LabelledSentences(pd.concat(frames, ignore_index=True), labels, np.vstack(matrices))


def data_hash(paths: Sequence[str | Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(str(p) for p in paths):
        digest.update(Path(path).name.encode())
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()
