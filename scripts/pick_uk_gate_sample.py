"""Print the rows of corpus/uk_texts/uk_statement_texts.csv drawn for corpus/labels/uk_gate.csv.

Both draws take texts of 800-40,000 characters, about a quarter of them with fin_keyword_hits >= 5:
- the first 110 (dev and test halves): 30 financial and 80 others, seed 20261123;
- `test2`, a fresh held-out set: 15 financial and 45 others, seed 20261207, from the rows the first
  draw did not take (computed again here, so the draw reproduces now that uk_gate.csv holds test2 too);
- `test3`, drawn after test2's errors were read (issue 21, third round): 15 financial and 45 others,
  seed 20261208, from the rows neither earlier draw took;
- `test4`, drawn after test3 was measured and read (issue 21, fourth round): 15 financial and 45 others,
  seed 20261209, from the rows no earlier draw took.
- `test5` (issue 21, fifth round): the same 60 texts as documents.csv's `test5`
  (`scripts/pick_document_draw.py --draw test5`: no label file held them, near-copies of labelled texts left
  out), labelled for the gate by two other helpers; no financial text was left to draw.

Run: .venv/bin/python scripts/pick_uk_gate_sample.py [--draw first|test2|test3|test4|test5]
"""

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DRAWS = {  # name: (seed, financial rows, other rows, earlier draws whose rows are left out)
    "first": (20261123, 30, 80, ()),
    "test2": (20261207, 15, 45, ("first",)),
    "test3": (20261208, 15, 45, ("first", "test2")),
    "test4": (20261209, 15, 45, ("first", "test2", "test3")),
}
SHARED = ("test5",)  # draws that take the same rows as scripts/pick_document_draw.py's draw of that name


def draw(name: str) -> list[int]:
    if name in SHARED:
        from pick_document_draw import draw as document_draw
        return document_draw(name)
    seed, n_financial, n_others, earlier = DRAWS[name]
    texts = pd.read_csv(ROOT / "corpus/uk_texts/uk_statement_texts.csv")
    texts["text"] = texts.text.fillna("")
    usable = texts.text.str.len().between(800, 40000)
    for previous in earlier:
        usable &= ~texts.index.isin(draw(previous))
    usable = texts[usable]
    rng = np.random.default_rng(seed)
    financial = rng.choice(usable[usable.fin_keyword_hits >= 5].index.to_numpy(), n_financial, replace=False)
    others = rng.choice(usable.drop(index=financial).index.to_numpy(), n_others, replace=False)
    return sorted(int(r) for r in set(financial) | set(others))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draw", choices=sorted([*DRAWS, *SHARED]), default="first", help="which draw to print")
    parser.add_argument("--test2", action="store_true", help="the same as --draw test2 (kept for old notes)")
    args = parser.parse_args()
    print(draw("test2" if args.test2 else args.draw))


if __name__ == "__main__":
    main()
