"""Build the English word list used to tell a real text layer from OCR garbage.

Run: .venv/bin/python scripts/build_lexicon.py

Words (letters only, lower case, two letters or more) that occur in at least two documents of the
real statement texts in corpus/ (UK statements, AIMS sentences, WikiRate passages). Written to
src/disclosure_check/lexicons/en.txt, one word per line, sorted.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "disclosure_check" / "lexicons" / "en.txt"
WORD = re.compile(r"[^\W\d_]{2,}")


def documents() -> list[str]:
    texts = pd.read_csv(ROOT / "corpus/uk_texts/uk_statement_texts.csv")["text"].dropna().tolist()
    for name in ("aims_au_sentences.csv", "aims_ca_sentences.csv"):
        frame = pd.read_csv(ROOT / "corpus/aims" / name)
        texts += frame.groupby("statement_id")["sentence"].apply(lambda s: " ".join(map(str, s))).tolist()
    wikirate = pd.read_csv(ROOT / "corpus/wikirate/msa_training_labels_with_text.csv")
    texts += wikirate["Text"].dropna().tolist()
    return texts


def main() -> None:
    seen: Counter[str] = Counter()
    for text in documents():
        seen.update({w.lower() for w in WORD.findall(text)})
    words = sorted(w for w, n in seen.items() if n >= 2 and w.isascii())
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} words -> {OUT.relative_to(ROOT)} ({OUT.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
