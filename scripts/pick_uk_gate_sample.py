"""Print the rows of corpus/uk_texts/uk_statement_texts.csv drawn for corpus/labels/uk_gate.csv.

Both draws take texts of 800-40,000 characters, about a quarter of them with fin_keyword_hits >= 5:
- the first 110 (dev and test halves): 30 financial and 80 others, seed 20261123;
- `test2`, a fresh held-out set: 15 financial and 45 others, seed 20261207, from the rows the first
  draw did not take (computed again here, so the draw reproduces now that uk_gate.csv holds test2 too).

Run: .venv/bin/python scripts/pick_uk_gate_sample.py [--test2]
"""

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DRAWS = {  # name: (seed, financial rows, other rows, leave out the first draw's rows)
    "first": (20261123, 30, 80, False),
    "test2": (20261207, 15, 45, True),
}


def draw(name: str) -> list[int]:
    seed, n_financial, n_others, fresh = DRAWS[name]
    texts = pd.read_csv(ROOT / "corpus/uk_texts/uk_statement_texts.csv")
    texts["text"] = texts.text.fillna("")
    usable = texts.text.str.len().between(800, 40000)
    if fresh:
        usable &= ~texts.index.isin(draw("first"))
    usable = texts[usable]
    rng = np.random.default_rng(seed)
    financial = rng.choice(usable[usable.fin_keyword_hits >= 5].index.to_numpy(), n_financial, replace=False)
    others = rng.choice(usable.drop(index=financial).index.to_numpy(), n_others, replace=False)
    return sorted(int(r) for r in set(financial) | set(others))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--test2", action="store_true", help="the fresh held-out draw, not the first 110")
    print(draw("test2" if parser.parse_args().test2 else "first"))


if __name__ == "__main__":
    main()
