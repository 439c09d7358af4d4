"""Print the UK texts drawn for a blind held-out split of corpus/labels/documents.csv.

Each draw takes rows of corpus/uk_texts/uk_statement_texts.csv (texts of 800-60,000 characters) that
documents.csv, uk_sector.csv and uk_identity.csv did not hold when it was made: every remaining row with
fin_keyword_hits >= 5 up to a cap (to have financial firms to measure) and a number of others.

- `test3` (issue 20, third round): up to 40 financial (21 were left) and 80 others, seed 20261207, also
  leaving out the rows uk_gate.csv held then (its dev, test and test2 splits).
- `test4` (issue 20, fourth round, drawn after test3 was measured and read): up to 40 financial (18 were
  left, all of them in uk_gate.csv, whose labels say nothing about the organisation or its sector) and
  62 others, seed 20261209.
- `test5` (issue 20, fifth round, drawn after test4 was measured and read): no financial text was left;
  60 others, seed 20261211, leaving out every row any label file held (uk_gate.csv's too) and every
  near-copy of one (another year of the same firm: word 5-gram Jaccard >= 0.5 with a labelled text),
  since five test4 texts turned out to be near-copies of training texts.

A draw is labelled by helpers who never see the tool's output, and measured once.

Run: .venv/bin/python scripts/pick_document_draw.py --draw test3|test4|test5
"""

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "corpus" / "labels"
ORDER = ("test3", "test4", "test5")  # later draws' rows are in documents.csv now, so each draw ignores its own and later
DRAWS = {  # name: (seed, financial cap, others, uk_gate.csv splits whose rows are left out too)
    "test3": (20261207, 40, 80, ("dev", "test", "test2")),
    "test4": (20261209, 40, 62, ()),
    "test5": (20261211, 40, 60, ("dev", "test", "test2", "test3", "test4")),
}
NEAR_COPY = {"test5": 0.5}  # draws that leave out near-copies of labelled texts: the Jaccard cut


def shingles(text: str, n: int = 5) -> set[int]:
    """Hashes of the text's word n-grams (lower case)."""
    words = text.lower().split()
    return {hash(tuple(words[i:i + n])) for i in range(max(len(words) - n + 1, 1))}


def near_copies(candidates: pd.Series, labelled: pd.Series, cut: float) -> set[int]:
    """Candidate rows whose word 5-gram Jaccard with any labelled text is at least `cut`."""
    done = [shingles(t) for t in labelled]
    found = set()
    for row, text in candidates.items():
        own = shingles(text)
        if any(len(own & other) / len(own | other) >= cut for other in done if own and other):
            found.add(int(row))
    return found


def labelled_rows(name: str) -> set[int]:
    """UK text rows the label files held when the draw `name` was made."""
    documents = pd.read_csv(LABELS / "documents.csv", dtype=str)
    later = set(ORDER[ORDER.index(name):])
    earlier = documents[(documents.source == "uk") & ~documents.split.isin(later)]
    rows = {int(k) for k in earlier.key}
    for file in ("uk_sector.csv", "uk_identity.csv"):
        rows |= set(pd.read_csv(LABELS / file).row.astype(int))
    gate = pd.read_csv(LABELS / "uk_gate.csv")
    return rows | set(gate[gate.split.isin(DRAWS[name][3])].row.astype(int))


def draw(name: str) -> list[int]:
    seed, n_financial, n_others, _ = DRAWS[name]
    texts = pd.read_csv(ROOT / "corpus/uk_texts/uk_statement_texts.csv")
    texts["text"] = texts.text.fillna("")
    labelled = labelled_rows(name)
    usable = texts[texts.text.str.len().between(800, 60000) & ~texts.index.isin(labelled)]
    if name in NEAR_COPY:
        copies = near_copies(usable.text, texts.text[texts.index.isin(labelled)], NEAR_COPY[name])
        usable = usable.drop(index=sorted(copies))
    rng = np.random.default_rng(seed)
    financial_pool = usable[usable.fin_keyword_hits >= 5].index.to_numpy()
    financial = rng.choice(financial_pool, min(n_financial, len(financial_pool)), replace=False)
    others = rng.choice(usable.drop(index=financial).index.to_numpy(), n_others, replace=False)
    return sorted(int(r) for r in set(financial) | set(others))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draw", choices=ORDER, default="test5", help="which draw to print")
    print(draw(parser.parse_args().draw))


if __name__ == "__main__":
    main()
