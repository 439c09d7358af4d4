"""Evidence confidence (issue 21, structural lever): can a small learned model of P(about and meets)
pick the criterion quotes a reviewer should see first, where five rounds of pattern fixes did not carry?

    .venv/bin/python benchmarks/evidence_confidence.py --json benchmarks/results/evidence_confidence.json
    .venv/bin/python benchmarks/evidence_confidence.py --context   # + how many criteria the sentence supports

Labels: ``corpus/reviews/criterion_evidence.csv`` (rounds 1-5, protocol in corpus/reviews/README.md);
a row is right when ``about`` and ``meets`` are both yes. Features are what the scorer has for a quote:
criterion, counted level (and the pair), planned status, origin kinds, rule pattern ids, element ids and
which classifier found them, sentence length, digits, fragment marks, cue words (first person,
organisation subject, modal/plan words, commitment words, past actions, slavery words, "all/every",
supplier), and the sentence's words. ``--context`` re-scores each statement with the current code for
the number of criteria the same sentence supports (1 where the quote is no longer found).

Evaluation: leave one round out. For test round k, a logistic regression is trained on the other
rounds; its C (log loss) and its cut are chosen by an inner leave-one-round-out over those rounds only:
the cut keeps ``--coverage`` of the inner out-of-fold quotes of rounds 3+ (the rubric's recent form).
Reported per round: the cut, precision of the quotes at or above it, coverage (share kept), AUC, and
the "as designed" view where a quote below the cut is only capped at level 1 (level-1 quotes keep
their level). Ship rule (issue 21 follow-up): rounds 4 and 5 precision >= 0.83 with coverage >= 0.70.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss, roc_auc_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from disclosure_check.types import Origin  # noqa: E402

RULE = re.compile(r"^(\S+) (\S+) matched '(.*)'$", re.S)
ELEMENT = re.compile(r"^element (\S+) \((.*)\)$")
AUDIENCE = re.compile(r"^training audience (\S+) \((.*)\)$")
WORD = re.compile(r"[a-z][a-z'\-]+")
CUES = {
    "first_person": re.compile(r"\b(we|our|us)\b", re.I),
    "organisation": re.compile(r"\b(the|our) (company|group|firm|organi[sz]ation|business|bank|board)\b", re.I),
    "modal": re.compile(r"\b(will|shall|aims?|plans?|intends?|seeks? to|strives?|endeavou?rs?|expects?|should|may|"
                        r"could|would|continue to|going forward|next year|aspire)\b", re.I),
    "commitment": re.compile(r"\b(committed|commitment|zero[- ]tolerance|values|integrity|ethical(ly)?|respect|"
                             r"believe|recogni[sz]e|responsible)\b", re.I),
    "action": re.compile(r"\b(we have|conducted|completed|carried out|undertook|undertaken|introduced|launched|"
                         r"implemented|trained|audited|identified|reviewed|assessed|mapped|visited|delivered|"
                         r"established|appointed|rolled out)\b", re.I),
    "slavery": re.compile(r"\b(modern slavery|slavery|trafficking|forced (labour|labor)|child (labour|labor)|"
                          r"servitude|exploitation)\b", re.I),
    "all": re.compile(r"\b(all|every|each)\b", re.I),
    "supplier": re.compile(r"\bsuppl(y|ier|iers)\b", re.I),
}
CS = (0.03, 0.1, 0.3, 1.0)


def source_to_origins(source: str) -> tuple[Origin, ...]:
    """The exported ``source`` (origin labels joined by " + ") back to origins."""
    out = []
    for part in source.split(" + "):
        if m := ELEMENT.match(part):
            out.append(Origin("element", m[1], m[2]))
        elif m := AUDIENCE.match(part):
            out.append(Origin("audience", m[1], m[2]))
        elif m := RULE.match(part):
            out.append(Origin("rule", m[2], m[1], m[3]))
        else:
            out.append(Origin("other", part))
    return tuple(out)


def quote_features(criterion: str, level: int, status: str, origins, text: str, supports: int | None) -> dict:
    n_words = len(text.split())
    stripped = text.strip()
    band = min(level, 3)
    f = {f"criterion={criterion}": 1.0, f"level={band}": 1.0, f"criterion_level={criterion}:{band}": 1.0,
         "planned": float(status == "planned"), "log_words": math.log1p(n_words), "short": float(n_words < 8),
         "long": float(n_words > 60), "digits": float(bool(re.search(r"\d", text))),
         "percent": float("%" in text or "per cent" in text.lower()), "lower_start": float(stripped[:1].islower()),
         "no_end": float(not stripped.endswith((".", "!", "?", ";", ")"))), "question": float("?" in text),
         "colon": float(":" in text), "kinds": float(len({o.kind for o in origins}))}
    if supports is not None:
        f["supports"] = math.log(max(supports, 1))
        f["supports_many"] = float(supports >= 3)
    for name, cue in CUES.items():
        f[name] = float(bool(cue.search(text)))
    for o in origins:
        f[f"kind={o.kind}"] = 1.0
        if o.kind == "element":
            f[f"element_by={o.by.split('.')[0]}"] = 1.0
        f[f"{o.kind}={o.name}"] = 1.0
    for w in set(WORD.findall(text.lower())):
        f[f"w={w}"] = 1.0
    return f


def sentence_supports(frame: pd.DataFrame) -> dict[tuple[int, str], int]:
    """(statement row, sentence) -> how many criteria the current scorer counts that sentence for."""
    from disclosure_check.classify.modelset import load_model_set
    from disclosure_check.pipeline import Scorer
    from disclosure_check.rubric import load_rubric
    from disclosure_check.train.documents import text_to_document

    texts = pd.read_csv(ROOT / "corpus/uk_texts/uk_statement_texts.csv")
    scorer = Scorer(load_rubric(), load_model_set())
    out: dict[tuple[int, str], set] = {}
    for i in sorted(set(frame["statement_row"].astype(int))):
        result = scorer.score_document(text_to_document(str(texts.iloc[i].text), f"uk-{texts.iloc[i].id}"))
        for c in result.maturity.criteria if result.maturity is not None else ():
            for e in c.evidence:
                out.setdefault((i, e.text), set()).add(c.id)
    return {k: len(v) for k, v in out.items()}


def evaluate(frame: pd.DataFrame, X: np.ndarray, coverage: float) -> dict:
    y = ((frame["about"] == "yes") & (frame["meets"] == "yes")).astype(int).to_numpy()
    rounds = frame["round"].astype(int).to_numpy()
    levels = frame["level"].astype(int).to_numpy()

    def fit_predict(train, test, C):
        vec = DictVectorizer()
        model = LogisticRegression(C=C, max_iter=2000).fit(vec.fit_transform(X[train]), y[train])
        return model.predict_proba(vec.transform(X[test]))[:, 1]

    out = {}
    for k in (3, 4, 5):
        others = [r for r in sorted(set(rounds)) if r != k]
        train = np.isin(rounds, others)
        oof = {C: np.zeros(len(y)) for C in CS}
        for C in CS:
            for r in others:
                inner_test = rounds == r
                oof[C][inner_test] = fit_predict(np.isin(rounds, [q for q in others if q != r]), inner_test, C)
        C = min(CS, key=lambda c: log_loss(y[train], oof[c][train]))
        recent = np.isin(rounds, [r for r in others if r >= 3])
        cut = float(np.quantile(oof[C][recent], 1 - coverage))
        test = rounds == k
        p, yt, lv = fit_predict(train, test, C), y[test], levels[test]
        kept = p >= cut
        designed = kept | (lv == 1)
        out[k] = {"rows": int(test.sum()), "before_precision": round(yt.mean(), 3), "C": C, "cut": round(cut, 3),
                  "precision": round(yt[kept].mean(), 3), "coverage": round(kept.mean(), 3),
                  "auc": round(roc_auc_score(yt, p), 3),
                  "as_designed_precision": round(yt[designed].mean(), 3),
                  "as_designed_coverage": round(designed.mean(), 3),
                  "level2plus_precision_before": round(yt[lv >= 2].mean(), 3),
                  "level2plus_precision_kept": round(yt[(lv >= 2) & kept].mean(), 3)}
    ships = all(out[k]["precision"] >= 0.83 and out[k]["coverage"] >= 0.70 for k in (4, 5))
    return {"coverage_target": coverage, "rounds": out, "ships": ships}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", default=str(ROOT / "corpus/reviews/criterion_evidence.csv"))
    parser.add_argument("--coverage", type=float, action="append",
                        help="share of inner out-of-fold quotes the cut keeps (repeatable) [0.6, 0.72, 0.8]")
    parser.add_argument("--context", action="store_true", help="re-score the statements for sentence_supports")
    parser.add_argument("--json")
    args = parser.parse_args()
    frame = pd.read_csv(args.labels).fillna("")
    frame = frame[frame["about"].isin(["yes", "no"]) & frame["meets"].isin(["yes", "no"])].reset_index(drop=True)
    supports = sentence_supports(frame) if args.context else None
    X = np.array([quote_features(r.criterion, int(r.level), r.status, source_to_origins(r.source), r.sentence,
                                 None if supports is None else supports.get((int(r.statement_row), r.sentence), 1))
                  for r in frame.itertuples()], dtype=object)
    results = [evaluate(frame, X, c) for c in args.coverage or (0.6, 0.72, 0.8)]
    print(f"{'cov target':>10} {'round':>5} {'before':>7} {'cut':>6} {'precision':>9} {'coverage':>8} {'auc':>6}"
          f" {'designed p':>10} {'designed cov':>12}")
    for res in results:
        for k, v in res["rounds"].items():
            print(f"{res['coverage_target']:>10} {k:>5} {v['before_precision']:>7} {v['cut']:>6} {v['precision']:>9}"
                  f" {v['coverage']:>8} {v['auc']:>6} {v['as_designed_precision']:>10} {v['as_designed_coverage']:>12}")
        print(f"{'':>10} ships (rounds 4 and 5 >= 0.83 at >= 0.70 coverage): {res['ships']}")
    if args.json:
        Path(args.json).write_text(json.dumps({"context": args.context, "results": results}, indent=1) + "\n")


if __name__ == "__main__":
    main()
