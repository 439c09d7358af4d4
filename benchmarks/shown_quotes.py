"""Which criterion quotes a reviewer sees first (each criterion's top three, as criterion_precision
samples them), before and after a change, and how the labelled ones score.

    PYTHONPATH=<old checkout>/src .venv/bin/python benchmarks/shown_quotes.py dump old.json
    PYTHONPATH=<new checkout>/src .venv/bin/python benchmarks/shown_quotes.py dump new.json
    .venv/bin/python benchmarks/shown_quotes.py compare old.json new.json [--sample 30]

``dump`` scores the seeded draws of criterion_precision (160 UK statements each, seeds 21 and 22)
with the models in ./models/default. ``compare`` gives the precision of the shown quotes that
corpus/reviews/criterion_evidence.csv labels, the quotes shown only before or only after, the
criterion levels that changed, and with ``--sample`` a shuffled draw of changed quotes (which side
each came from hidden) to label by hand, with a key file beside it.
"""

from __future__ import annotations

import argparse
import collections
import csv
import hashlib
import json
import random
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOWN = 3


def shown(result, cap: int):
    """Per criterion of a scored statement: (criterion, [(level counted, evidence)]) for the first SHOWN
    quotes a reviewer sees, negative claims left out (they are flags, not evidence); nothing for a
    document that is not a statement. Shared with labelled_rescore.py."""
    from disclosure_check.assess.maturity import supported_level

    if result.maturity is None or result.maturity.profile.doc_type == "other":
        return []
    return [(c, [(supported_level(e, cap), e) for e in c.evidence[:SHOWN] if e.status != "negative"])
            for c in result.maturity.criteria]


def item_id(criterion: str, level: int, text: str) -> str:
    return hashlib.sha1(f"{criterion}|{level}|{text}".encode()).hexdigest()[:12]


def dump(args) -> None:
    import pandas as pd

    from disclosure_check.classify.modelset import load_model_set
    from disclosure_check.pipeline import Scorer
    from disclosure_check.rubric import load_rubric
    from disclosure_check.train.documents import text_to_document

    rubric = load_rubric()
    scorer = Scorer(rubric, load_model_set(ROOT / "models" / "default"))
    texts = pd.read_csv(ROOT / "corpus/uk_texts/uk_statement_texts.csv")
    cap = rubric.role_level("planned_cap")
    rows, levels = [], {}
    start = time.process_time()
    for seed in (21, 22):
        for row in random.Random(seed).sample(list(texts.itertuples()), 160):
            result = scorer.score_document(text_to_document(str(row.text), f"uk-{row.id}"))
            for c, quotes in shown(result, cap):
                levels[f"{seed}|{row.Index}|{c.id}"] = c.level
                for level, e in quotes:
                    rows.append({"seed": seed, "row": int(row.Index), "criterion": c.id, "level": level,
                                 "item": item_id(c.id, level, e.text), "text": e.text, "source": e.source})
    Path(args.out).write_text(json.dumps({"rows": rows, "levels": levels, "cpu_seconds": time.process_time() - start}))
    print(f"{len(rows)} shown quotes, {time.process_time() - start:.1f} CPU s -> {args.out}")


def compare(args) -> None:
    old, new = (json.loads(Path(p).read_text()) for p in (args.before, args.after))
    labels = {r["item"]: r for r in csv.DictReader((ROOT / "corpus/reviews/criterion_evidence.csv").open())
              if r["about"] in ("yes", "no") and r["meets"] in ("yes", "no")}

    def stats(rows):
        found = [labels[r["item"]] for r in rows if r["item"] in labels]
        ok = sum(x["about"] == "yes" and x["meets"] == "yes" for x in found)
        about = sum(x["about"] == "yes" for x in found)
        return (f"{len(rows)} shown, {len(found)} labelled"
                + (f", precision {ok / len(found):.3f}, about {about / len(found):.3f}" if found else ""))

    def key(r):
        return r["seed"], r["row"], r["criterion"], r["item"]

    before, after = {key(r): r for r in old["rows"]}, {key(r): r for r in new["rows"]}
    gone = [before[k] for k in sorted(before.keys() - after.keys())]
    added = [after[k] for k in sorted(after.keys() - before.keys())]
    print("before:", stats(old["rows"]))
    print("after: ", stats(new["rows"]))
    print("shown only before:", stats(gone))
    print("shown only after: ", stats(added))
    changed = [(k, v, new["levels"].get(k)) for k, v in sorted(old["levels"].items()) if new["levels"].get(k) != v]
    print(f"criterion levels changed: {len(changed)}",
          dict(collections.Counter(f"{k.split('|')[2]} {a}->{b}" for k, a, b in changed)))
    for k, a, b in changed:
        print(f"  {k}: {a} -> {b}")
    if args.sample:
        rng = random.Random(7)
        items = [("before", r) for r in rng.sample(gone, min(args.sample, len(gone)))] + \
                [("after", r) for r in rng.sample(added, min(args.sample, len(added)))]
        rng.shuffle(items)
        out = Path(args.before).with_suffix(".blind.csv")
        with out.open("w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["n", "criterion", "level", "sentence", "ok"])
            w.writerows([n, r["criterion"], r["level"], r["text"], ""] for n, (_, r) in enumerate(items))
        out.with_suffix(".key.json").write_text(json.dumps([side for side, _ in items]))
        print(f"{len(items)} changed quotes to label -> {out} (key: {out.with_suffix('.key.json')})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out")
    d.set_defaults(run=dump)
    c = sub.add_parser("compare")
    c.add_argument("before")
    c.add_argument("after")
    c.add_argument("--sample", type=int, default=0)
    c.set_defaults(run=compare)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
