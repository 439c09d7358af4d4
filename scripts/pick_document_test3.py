"""Print the UK texts drawn for `test3` of corpus/labels/documents.csv: a fresh, blind held-out set.

Issue 20's `test` split was looked at while the organisation threshold was chosen, so it stopped being
held out. `test3` is drawn from the rows of corpus/uk_texts/uk_statement_texts.csv that no label file
holds yet (documents.csv, uk_gate.csv, uk_sector.csv, uk_identity.csv), texts of 800-60,000 characters:
every remaining row with fin_keyword_hits >= 5 up to 40 (to have financial firms to measure) and 80
others, seed 20261207. It is labelled by helpers who never see the tool's output, and measured once.

Run: .venv/bin/python scripts/pick_document_test3.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "corpus" / "labels"
SEED, N_FINANCIAL, N_OTHERS = 20261207, 40, 80


def labelled_rows() -> set[int]:
    """UK text rows that any label file already holds (all were drawn before test3)."""
    documents = pd.read_csv(LABELS / "documents.csv", dtype=str)
    rows = {int(k) for k in documents.loc[documents.source == "uk", "key"]}
    for name in ("uk_gate.csv", "uk_sector.csv", "uk_identity.csv"):
        rows |= set(pd.read_csv(LABELS / name).row.astype(int))
    return rows


def draw() -> list[int]:
    texts = pd.read_csv(ROOT / "corpus/uk_texts/uk_statement_texts.csv")
    texts["text"] = texts.text.fillna("")
    usable = texts[texts.text.str.len().between(800, 60000) & ~texts.index.isin(labelled_rows())]
    rng = np.random.default_rng(SEED)
    financial_pool = usable[usable.fin_keyword_hits >= 5].index.to_numpy()
    financial = rng.choice(financial_pool, min(N_FINANCIAL, len(financial_pool)), replace=False)
    others = rng.choice(usable.drop(index=financial).index.to_numpy(), N_OTHERS, replace=False)
    return sorted(int(r) for r in set(financial) | set(others))


if __name__ == "__main__":
    print(draw())
