"""Re-score the statements that hold labelled criterion-evidence rows (every round of
corpus/reviews/criterion_evidence.csv) and see which labelled quotes a reviewer is still shown (each
criterion's top three), at what level, before and after a change. In-sample: the labelled rounds are
development data once read; the honest figure is a fresh blind round (criterion_precision.py sample).

    PYTHONPATH=<old checkout>/src .venv/bin/python benchmarks/labelled_rescore.py dump before.json
    PYTHONPATH=src .venv/bin/python benchmarks/labelled_rescore.py dump after.json
    .venv/bin/python benchmarks/labelled_rescore.py compare before.json after.json

``compare`` prints, per criterion and per round, the labelled rows still shown at their labelled level or
lower ("ok" if labelled right; a row shown lower and labelled about-but-not-meeting is counted in the upper
figure, unknown until relabelled), the rows no longer shown, and the criterion levels that changed.
"""

from __future__ import annotations

import argparse
import collections
import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "corpus/reviews/criterion_evidence.csv"


def dump(args) -> None:
    import pandas as pd
    from shown_quotes import item_id, shown  # the quotes a reviewer sees, as shown_quotes.py dumps them

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
    for index in sorted(set(pd.read_csv(LABELS)["statement_row"])):
        row = texts.iloc[index]
        result = scorer.score_document(text_to_document(str(row.text), f"uk-{row.id}"))
        for c, quotes in shown(result, cap):
            levels[f"{index}|{c.id}"] = c.level
            for level, e in quotes:
                rows.append({"row": int(index), "criterion": c.id, "level": level, "text": e.text, "source": e.source,
                             "status": e.status, "item": item_id(c.id, level, e.text)})
    Path(args.out).write_text(json.dumps({"rows": rows, "levels": levels}))
    print(f"{len(rows)} shown quotes, {time.process_time() - start:.1f} CPU s -> {args.out}")


def _state(shown: dict | None, level: int) -> str:
    if shown is None:
        return "gone"
    return "same" if shown["level"] == level else "lower" if shown["level"] < level else "higher"


def compare(args) -> None:
    import pandas as pd

    before, after = (json.loads(Path(p).read_text()) for p in (args.before, args.after))
    shown_before = {(r["row"], r["criterion"], r["text"]): r for r in before["rows"]}
    shown_after = {(r["row"], r["criterion"], r["text"]): r for r in after["rows"]}
    labels = pd.read_csv(LABELS).fillna("")
    labels = labels[labels["about"].isin(["yes", "no"]) & labels["meets"].isin(["yes", "no"])]
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    changed = []
    for r in labels.itertuples():
        key = (r.statement_row, r.criterion, r.sentence)
        ok = r.about == "yes" and r.meets == "yes"
        state = _state(shown_after.get(key), r.level)
        for group in ("all", r.criterion, f"round {r.round}"):
            counts[group][(state, ok)] += 1
        if state != _state(shown_before.get(key), r.level):
            changed.append(f"{r.criterion} round {r.round} {'right' if ok else 'wrong'}: "
                           f"{_state(shown_before.get(key), r.level)} -> {state}: {r.sentence[:110]}")
    print("group | labelled rows still shown: right / n (precision, upper) | no longer shown right/wrong")
    for group in ["all", *sorted(g for g in counts if g.startswith("C")), *sorted(g for g in counts if g.startswith("r"))]:
        c = counts[group]
        right = c[("same", True)] + c[("lower", True)]
        n = right + c[("same", False)] + c[("lower", False)]
        print(f"{group} | {right}/{n} ({right / max(n, 1):.2f}, up to {(right + c[('lower', False)]) / max(n, 1):.2f})"
              f" | {c[('gone', True)]}/{c[('gone', False)]}")
    print("\n".join(["", "labelled rows whose state changed:", *sorted(changed)]))
    moved = collections.Counter((k.split("|")[1], before["levels"].get(k), v) for k, v in after["levels"].items()
                                if before["levels"].get(k) != v)
    print(f"\ncriterion levels changed: {sum(moved.values())}: "
          + ", ".join(f"{c} {a}->{b} x{n}" for (c, a, b), n in moved.most_common()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out")
    d.set_defaults(run=dump)
    c = sub.add_parser("compare")
    c.add_argument("before")
    c.add_argument("after")
    c.set_defaults(run=compare)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
