"""Print the 110 rows of corpus/uk_texts/uk_statement_texts.csv labelled in corpus/labels/uk_gate.csv.

Run: .venv/bin/python scripts/pick_uk_gate_sample.py  (30 rows with fin_keyword_hits >= 5, 80 others; seeded)
"""

from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    texts = pd.read_csv(ROOT / "corpus/uk_texts/uk_statement_texts.csv")
    texts["text"] = texts.text.fillna("")
    usable = texts[texts.text.str.len().between(800, 40000)]
    rng = np.random.default_rng(20261123)
    financial = rng.choice(usable[usable.fin_keyword_hits >= 5].index.to_numpy(), 30, replace=False)
    others = rng.choice(usable.drop(index=financial).index.to_numpy(), 80, replace=False)
    print(sorted(int(r) for r in set(financial) | set(others)))


if __name__ == "__main__":
    main()
