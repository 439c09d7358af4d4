"""Print the UK texts drawn for a blind held-out split of corpus/labels/documents.csv.

Each draw takes rows of corpus/uk_texts/uk_statement_texts.csv (texts of 800-60,000 characters) that
documents.csv, uk_sector.csv and uk_identity.csv did not hold when it was made: every remaining row with
fin_keyword_hits >= 5 up to a cap (to have financial firms to measure) and a number of others.

- `test3` (issue 20, third round): up to 40 financial (21 were left) and 80 others, seed 20261207, also
  leaving out the rows uk_gate.csv held then (its dev, test and test2 splits).
- `test4` (issue 20, fourth round, drawn after test3 was measured and read): up to 40 financial (18 were
  left, all of them in uk_gate.csv, whose labels say nothing about the organisation or its sector) and
  62 others, seed 20261209.

A draw is labelled by helpers who never see the tool's output, and measured once.

Run: .venv/bin/python scripts/pick_document_draw.py --draw test3|test4
"""

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "corpus" / "labels"
ORDER = ("test3", "test4")  # later draws' rows are in documents.csv now, so each draw ignores its own and later
DRAWS = {  # name: (seed, financial cap, others, uk_gate.csv splits whose rows are left out too)
    "test3": (20261207, 40, 80, ("dev", "test", "test2")),
    "test4": (20261209, 40, 62, ()),
}


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
    usable = texts[texts.text.str.len().between(800, 60000) & ~texts.index.isin(labelled_rows(name))]
    rng = np.random.default_rng(seed)
    financial_pool = usable[usable.fin_keyword_hits >= 5].index.to_numpy()
    financial = rng.choice(financial_pool, min(n_financial, len(financial_pool)), replace=False)
    others = rng.choice(usable.drop(index=financial).index.to_numpy(), n_others, replace=False)
    return sorted(int(r) for r in set(financial) | set(others))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draw", choices=ORDER, default="test4", help="which draw to print")
    print(draw(parser.parse_args().draw))


if __name__ == "__main__":
    main()
