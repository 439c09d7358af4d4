"""Statutory gate benchmark: board approval, director signature and period, at statement level.

    PYTHONPATH=src .venv/bin/python benchmarks/gate.py [--split dev|test|test2|test3|test4|test5|all] [--pdf N] [--show-errors]

(a) AIMS AU + CA: a statement has approval/signature when any of its sentences is labelled so;
    the labelled sentences are scored as one document through ``Scorer.score_document``.
(b) corpus/labels/uk_gate.csv (own labels: dev and test halves of the first 110, and test2, 60 drawn
    later and held out; "all" is dev + test, never test2): each UK text is cut into blocks the
    way the sample renderer does (``samples.text_to_blocks``) and scored as a Document; then the
    first ``--pdf`` statements of the split are rendered to PDF and scored through the whole PDF
    pipeline. "not explicit" counts as not met; how often it is used is reported.
(c) the real statement PDFs in /work/shared/real_pdfs, when present: the gate as decided.
Writes benchmarks/results/gate.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pandas as pd

from disclosure_check.classify.modelset import load_model_set
from disclosure_check.pipeline import ScoreOptions, Scorer
from disclosure_check.rubric import load_rubric
from disclosure_check.train.samples import LAYOUTS, render_pdf, text_to_blocks
from disclosure_check.types import Block, Document, Metadata, Page

ROOT = Path(__file__).resolve().parents[1]
REAL = Path("/work/shared/real_pdfs")
REAL_STATEMENTS = ("macrovesta_modern_slavery_statement_2024.pdf", "mtf_holding_modern_slavery_statement_2024.pdf",
                   "rsc_associates_transparency_statement_2017.pdf", "infosys_human_rights_policy_statement_2021.pdf")
KINDS = {"title": "heading", "heading": "heading", "bullet": "list_item", "paragraph": "paragraph",
         "signature": "signature_block"}
CHECKS = {"approval": "board_approval", "signature": "director_signature", "period": "period_covered"}
POSITIVE = {"approval": {"board"}, "signature": {"director"}, "period": {"dated", "year"}}


def blocks_to_document(name: str, blocks: list[tuple[str, str]]) -> Document:
    """A one-page Document from (kind, text) blocks, joined by blank lines as extraction does."""
    out, text, offset = [], [], 0
    for kind, body in blocks:
        out.append(Block(page=1, kind=kind, text=body, start=offset, end=offset + len(body)))
        text.append(body)
        offset += len(body) + 2
    joined = "\n\n".join(text)
    page = Page(number=1, width=595.0, height=842.0, has_text_layer=True, text=joined)
    return Document(doc_id=name, path=name, metadata=Metadata(), pages=(page,), blocks=tuple(out), text=joined,
                    language="en")


def uk_blocks(text: str) -> list[tuple[str, str]]:
    """The renderer's blocks, with consecutive signature lines joined into one block (as layout does)."""
    out: list[tuple[str, str]] = []
    for b in text_to_blocks(text):
        kind = KINDS[b.kind]
        if kind == "signature_block" and out and out[-1][0] == "signature_block":
            out[-1] = (kind, out[-1][1] + "\n" + b.text)
        else:
            out.append((kind, b.text))
    return out


def prf(truth: list[bool], predicted: list[bool]) -> dict:
    tp = sum(t and p for t, p in zip(truth, predicted, strict=True))
    fp = sum(p and not t for t, p in zip(truth, predicted, strict=True))
    fn = sum(t and not p for t, p in zip(truth, predicted, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"n": len(truth), "positives": tp + fn, "tp": tp, "fp": fp, "fn": fn, "precision": round(precision, 3),
            "recall": round(recall, 3), "f1": round(f1, 3)}


def gate_states(result) -> dict[str, tuple[str, str]]:
    return {g.id: (g.state, g.reason) for g in result.maturity.gate}


def agreement(results: dict) -> dict:
    """Checks whose met / not met agrees with the labels, and the machine's own "not met" count."""
    checks = [results[key] for key in CHECKS if key in results]
    n = sum(c["n"] for c in checks)
    wrong = sum(c["fp"] + c["fn"] for c in checks)
    return {"checks": n, "agree": n - wrong, "share": round((n - wrong) / max(n, 1), 3),
            "machine_not_met": sum(c["states"].get("not_met", 0) for c in checks)}


def aims(scorer: Scorer, show_errors: bool = False) -> dict:
    out = {}
    for jurisdiction in ("au", "ca"):
        frame = pd.read_csv(ROOT / f"corpus/aims/aims_{jurisdiction}_sentences.csv")
        truth = {"approval": [], "signature": []}
        predicted = {"approval": [], "signature": []}
        states: dict[str, Counter] = {"approval": Counter(), "signature": Counter()}
        for sid, group in frame.sort_values(["statement_id", "sentence_index"]).groupby("statement_id", sort=True):
            doc = blocks_to_document(f"aims-{jurisdiction}-{sid}",
                                     [("paragraph", str(s)) for s in group.sentence if str(s).strip()])
            got = gate_states(scorer.score_document(doc))
            for key, column in (("approval", "Approval"), ("signature", "Signature")):
                truth[key].append(bool(group[column].max() > 0))
                state, reason = got[CHECKS[key]]
                predicted[key].append(state == "met")
                states[key][state] += 1
                if show_errors and truth[key][-1] != (state == "met"):
                    print("aims", jurisdiction, json.dumps({"statement": str(sid), "check": key, "label": truth[key][-1],
                                                            "state": state, "reason": reason}), file=sys.stderr)
        out[jurisdiction] = {key: {**prf(truth[key], predicted[key]), "states": dict(states[key])} for key in truth}
        out[jurisdiction]["agreement"] = agreement(out[jurisdiction])
    return out


def uk(scorer: Scorer, split: str, pdf: int, show_errors: bool) -> dict:
    labels = pd.read_csv(ROOT / "corpus/labels/uk_gate.csv")
    labels = labels[labels.split.isin(["dev", "test"] if split == "all" else [split])]
    texts = pd.read_csv(ROOT / "corpus/uk_texts/uk_statement_texts.csv")["text"].fillna("")
    results = {}
    for mode in ("text", "pdf"):
        chosen = labels if mode == "text" else labels.head(pdf)
        if mode == "pdf" and not pdf:
            continue
        truth = {k: [] for k in CHECKS}
        predicted = {k: [] for k in CHECKS}
        states = {k: Counter() for k in CHECKS}
        errors = []
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            for i, row in enumerate(chosen.itertuples()):
                if mode == "text":
                    result = scorer.score_document(blocks_to_document(f"uk-{row.row}", uk_blocks(texts[row.row])))
                else:
                    path = Path(tmp) / f"uk_{row.row}.pdf"
                    render_pdf(text_to_blocks(texts[row.row]), path, layout=LAYOUTS[i % len(LAYOUTS)],
                               title=f"UK statement row {row.row}", author="benchmark")
                    result = scorer.score_file(path)
                got = gate_states(result)
                for key, check in CHECKS.items():
                    label = getattr(row, key)
                    state, reason = got[check]
                    truth[key].append(label in POSITIVE[key])
                    predicted[key].append(state == "met")
                    states[key][state] += 1
                    if (label in POSITIVE[key]) != (state == "met"):
                        errors.append({"row": int(row.row), "check": key, "label": label, "state": state,
                                       "reason": reason, "label_reason": row.reason})
        results[mode] = {
            "statements": len(chosen),
            "seconds": round(time.perf_counter() - started, 1),
            **{key: {**prf(truth[key], predicted[key]), "states": dict(states[key]),
                     "not_explicit_share": round(states[key]["not_explicit"] / max(len(chosen), 1), 3)}
               for key in CHECKS},
        }
        results[mode]["agreement"] = agreement(results[mode])
        if show_errors:
            for e in errors:
                print(mode, json.dumps(e, ensure_ascii=False), file=sys.stderr)
    return results


def real(scorer: Scorer) -> dict:
    out = {}
    for name in REAL_STATEMENTS:
        path = REAL / name
        if not path.is_file():
            continue
        result = scorer.score_file(path)
        if getattr(result, "maturity", None) is None:
            out[name] = {"status": getattr(result, "code", "no maturity")}
            continue
        out[name] = {g.id: {"state": g.state, "reason": g.reason, "period": g.period,
                            "evidence": [f"p.{q.page}: {q.text[:120]}" for q in g.evidence]}
                     for g in result.maturity.gate}
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="dev", choices=["dev", "test", "test2", "test3", "test4", "test5", "all"])
    parser.add_argument("--pdf", type=int, default=20, help="statements of the split also rendered to PDF")
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--skip-aims", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results/gate.json"))
    args = parser.parse_args()
    scorer = Scorer(load_rubric(), load_model_set().sentence, ScoreOptions(doc_type="statement"))
    report = {"split": args.split}
    if not args.skip_aims:
        report["aims"] = aims(scorer, args.show_errors)
    report["uk"] = uk(scorer, args.split, args.pdf, args.show_errors)
    report["real_pdfs"] = real(scorer)
    text = json.dumps(report, indent=1, ensure_ascii=False)
    print(text)
    out = Path(args.out)
    previous = json.loads(out.read_text()) if out.is_file() else {}
    previous[args.split] = report
    out.write_text(json.dumps(previous, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
