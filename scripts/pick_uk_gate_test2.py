"""Print the 60 rows of corpus/uk_texts/uk_statement_texts.csv drawn as the `test2` split of
corpus/labels/uk_gate.csv: a fresh held-out set, drawn the same way as the first 110
(scripts/pick_uk_gate_sample.py: texts 800-40,000 characters, about a quarter with fin_keyword_hits >= 5)
from the rows not already labelled, with a new seed.

Run: .venv/bin/python scripts/pick_uk_gate_test2.py  (15 rows with fin_keyword_hits >= 5, 45 others; seeded)
"""

from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    texts = pd.read_csv(ROOT / "corpus/uk_texts/uk_statement_texts.csv")
    texts["text"] = texts.text.fillna("")
    taken = set(pd.read_csv(ROOT / "corpus/labels/uk_gate.csv").row)
    usable = texts[texts.text.str.len().between(800, 40000) & ~texts.index.isin(taken)]
    rng = np.random.default_rng(20261207)
    financial = rng.choice(usable[usable.fin_keyword_hits >= 5].index.to_numpy(), 15, replace=False)
    others = rng.choice(usable.drop(index=financial).index.to_numpy(), 45, replace=False)
    print(sorted(int(r) for r in set(financial) | set(others)))


if __name__ == "__main__":
    main()
