"""Criterion evidence precision: are the quotes a reviewer sees for a criterion about that criterion,
and do they meet the level they are counted at?

    .venv/bin/python benchmarks/criterion_precision.py sample --out corpus/reviews/criterion_evidence.csv
    .venv/bin/python benchmarks/criterion_precision.py score corpus/reviews/criterion_evidence.csv \
        --json benchmarks/results/criterion_precision.json

``sample`` scores a seeded draw of real UK statement texts (corpus/uk_texts) with the bundled rubric
and models, takes the quotes each criterion shows first (its top three, best supported first, every
source: rule patterns and signals alike) and draws up to ``--per-criterion`` of them per criterion.
Rows already labelled in ``--keep`` (same criterion, sentence and level) keep their verdicts; rows in
an ``--exclude`` file are left out, so a fresh round draws only quotes no earlier round labelled. The
labeller fills ``about`` (yes/no: is the sentence about this criterion's subject?) and ``meets``
(yes/no: does it meet the descriptor of the level it is counted at, taking "planned" into account?),
with a ``reason``; protocol in corpus/reviews/README.md.

``score`` gives per criterion: precision (about = yes and meets = yes) with a Wilson 95% interval,
the share "about" alone, and the same for the quotes counted at level 3 or above. Target (issue 21):
>= 0.85 per criterion; every level >= 3 backed by a sentence that meets that level's descriptor.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
from collections import defaultdict
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from disclosure_check.assess.maturity import supported_level  # noqa: E402
from disclosure_check.classify.modelset import load_model_set  # noqa: E402
from disclosure_check.pipeline import Scorer  # noqa: E402
from disclosure_check.rubric import load_rubric  # noqa: E402
from disclosure_check.train.documents import text_to_document  # noqa: E402

COLUMNS = ["item", "round", "criterion", "criterion_name", "level", "status", "level_descriptor", "subject",
           "source", "statement_row", "sentence", "about", "meets", "reason", "labeller"]
SHOWN = 3  # the quotes a reviewer sees first for a criterion


def _key(criterion: str, sentence: str, level: int) -> str:
    return hashlib.sha1(f"{criterion}|{level}|{sentence}".encode()).hexdigest()[:12]


def sample(args) -> None:
    rubric = load_rubric()
    scorer = Scorer(rubric, load_model_set())
    texts = pd.read_csv(ROOT / "corpus/uk_texts/uk_statement_texts.csv")
    rng = random.Random(args.seed)
    chosen = rng.sample(list(texts.itertuples()), args.statements)
    cap = rubric.role_level("planned_cap")
    pool: dict[str, list[dict]] = defaultdict(list)
    definitions = {c.id: c for c in rubric.criteria}
    for row in chosen:
        result = scorer.score_document(text_to_document(str(row.text), f"uk-{row.id}"))
        if result.maturity is None or result.maturity.profile.doc_type == "other":
            continue
        for c in result.maturity.criteria:
            for e in c.evidence[:SHOWN]:
                if e.status == "negative":
                    continue
                level = supported_level(e, cap)
                pool[c.id].append({
                    "item": _key(c.id, e.text, level), "round": args.round, "criterion": c.id,
                    "criterion_name": definitions[c.id].name, "level": level, "status": e.status,
                    "level_descriptor": rubric.level_descriptor(c.id, level),
                    "subject": definitions[c.id].description, "source": e.source, "statement_row": int(row.Index),
                    "sentence": e.text, "about": "", "meets": "", "reason": "", "labeller": ""})
    kept = pd.read_csv(args.keep).fillna("") if args.keep and Path(args.keep).exists() else pd.DataFrame(columns=COLUMNS)
    kept_items = set(kept["item"]) if len(kept) else set()
    # --exclude: rows labelled in earlier rounds are left out of a fresh draw (and not counted)
    for path in args.exclude or ():
        kept_items |= set(pd.read_csv(path)["item"])
    rows = kept.to_dict("records") if len(kept) else []
    for criterion in sorted(pool):
        items = list({i["item"]: i for i in pool[criterion]}.values())
        random.Random(f"{args.seed}-{criterion}").shuffle(items)
        have = sum(1 for r in rows if r["criterion"] == criterion)
        for item in items:
            if have >= args.per_criterion:
                break
            if item["item"] not in kept_items:
                rows.append(item)
                have += 1
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame.to_csv(args.out, index=False)
    print(f"{len(frame)} rows ({len(frame) - len(kept)} new) from {args.statements} statements -> {args.out}")


def wilson(hits: int, n: int) -> tuple[float, float]:
    if not n:
        return 0.0, 0.0
    z = 1.96
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return round(centre - half, 3), round(centre + half, 3)


def score(args) -> None:
    frame = pd.read_csv(args.labels).fillna("")
    if args.round:
        frame = frame[frame["round"].astype(str) == str(args.round)]
    frame = frame[frame["about"].isin(["yes", "no"]) & frame["meets"].isin(["yes", "no"])]
    frame = frame.assign(ok=(frame["about"] == "yes") & (frame["meets"] == "yes"), on=frame["about"] == "yes")
    out: dict = {"labelled": len(frame), "criteria": {}}
    for criterion, group in frame.groupby("criterion"):
        high = group[group["level"] >= 3]
        out["criteria"][criterion] = {
            "n": len(group), "precision": round(group["ok"].mean(), 3), "ci95": wilson(int(group["ok"].sum()), len(group)),
            "about": round(group["on"].mean(), 3), "level3_n": len(high),
            "level3_precision": round(high["ok"].mean(), 3) if len(high) else None}
    out["overall"] = {"precision": round(frame["ok"].mean(), 3), "ci95": wilson(int(frame["ok"].sum()), len(frame)),
                      "about": round(frame["on"].mean(), 3)}
    high = frame[frame["level"] >= 3]
    out["level3"] = {"n": len(high), "precision": round(high["ok"].mean(), 3) if len(high) else None}
    out["below_target"] = sorted(c for c, v in out["criteria"].items() if v["precision"] < 0.85)
    print(json.dumps(out, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sample")
    s.add_argument("--out", required=True)
    s.add_argument("--keep", help="an earlier labels file whose verdicts are kept")
    s.add_argument("--statements", type=int, default=160)
    s.add_argument("--per-criterion", type=int, default=15)
    s.add_argument("--seed", type=int, default=21)
    s.add_argument("--round", type=int, default=1)
    s.add_argument("--exclude", action="append", help="a labels file whose rows are left out of this draw (repeatable)")
    s.set_defaults(run=sample)
    c = sub.add_parser("score")
    c.add_argument("labels")
    c.add_argument("--round", help="only this round's rows")
    c.add_argument("--json")
    c.set_defaults(run=score)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
