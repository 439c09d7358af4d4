"""Sentence-classifier benchmark: cross-validated accuracy per element, cross-jurisdiction transfer,
statement-level accuracy, training time and prediction speed. Writes benchmarks/results/classifier.json
and the report benchmarks/classifier.md.

Run: .venv/bin/python benchmarks/classifier_benchmark.py [--retrain]

Without --retrain it reads the cross-validated metrics recorded with the shipped model
(models/default/sentence/metrics.json; `disclosure-check train` reproduces them) and measures the rest.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models/default/sentence"
AU = ROOT / "corpus/aims/aims_au_sentences.csv"
CA = ROOT / "corpus/aims/aims_ca_sentences.csv"
PUBLISHED = {"DistilBERT (AIMS.au, no context)": 0.670, "BERT (AIMS.au, no context)": 0.665,
             "DistilBERT (AIMS.au, ±100 words)": 0.702, "BERT (AIMS.au, ±100 words)": 0.718}
TARGET_MACRO, TARGET_FLOOR, TARGET_TRAIN_S, TARGET_SPS = 0.72, 0.55, 600, 500
TARGET_CV_10, TARGET_TRANSFER_10 = 0.66, 0.62  # issue 10: nested-CV macro F1, and trained AU -> tested CA
VARIANTS = ROOT / "benchmarks/results/classifier_variants.json"
VARIANT_NOTES = {  # what each variant of benchmarks/classifier_variants.py changes
    "v1": "tfidf-logreg.v1 as shipped before issue 10 (rerun by the variant script)",
    "uk-vocab": "word and character vocabulary and idf fitted on AIMS + 300 unlabelled UK statements",
    "nb0.5": "NB-SVM log-count-ratio feature scaling, strength 0.5",
    "nb1": "NB-SVM log-count-ratio feature scaling, strength 1",
    "nb2": "NB-SVM log-count-ratio feature scaling, strength 2",
    "unweighted": "no class weights (thresholds still tuned)",
    "C4": "C = 4 instead of 8",
    "nb1-uk-vocab": "NB scaling 1 + UK vocabulary",
    "self-train": "self-training: confident pseudo-labels (p ≥ 0.9 / ≤ 0.02) on 300 UK statements, weight 0.3",
}


def prediction_speed(rubric, bundle) -> dict:
    from disclosure_check.classify.rules import RuleClassifier
    from disclosure_check.train.corpus import read_labelled
    from disclosure_check.train.sentences import corpus_contexts

    data = read_labelled([AU, CA], rubric)
    rules = RuleClassifier(rubric)
    started = time.perf_counter()
    contexts = corpus_contexts(data, rules)  # includes rule matching and context building
    bundle.model.predict_proba(contexts)
    seconds = time.perf_counter() - started
    return {"sentences": len(contexts), "seconds": round(seconds, 2),
            "sentences_per_second": round(len(contexts) / seconds)}


def transfer_au_to_ca(rubric, params: dict) -> dict:
    """Train on the 50 Australian statements only (thresholds from their own 5-fold CV), test on Canada."""
    from disclosure_check.classify.artifact import save_model
    from disclosure_check.classify.ml import SentenceModel
    from disclosure_check.classify.rules import RuleClassifier, flag_vocabulary
    from disclosure_check.train.corpus import read_labelled
    from disclosure_check.train.evaluate import evaluate_file
    from disclosure_check.train.sentences import _oof, choose_thresholds, corpus_contexts

    data = read_labelled([AU], rubric)
    contexts = corpus_contexts(data, RuleClassifier(rubric))
    params = {**params, "labels": data.labels, "flags": flag_vocabulary(rubric)}
    P = _oof(contexts, data.Y, data.frame["group"].to_numpy(), params, 5)
    thresholds = choose_thresholds(P, data.Y, data.labels)
    model = SentenceModel(**params).fit(contexts, data.Y)
    with tempfile.TemporaryDirectory() as tmp:
        bundle = save_model(model, thresholds, Path(tmp), meta={"name": "tfidf-logreg.v1"})
        return evaluate_file(CA, bundle, rubric).metrics


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--retrain", action="store_true", help="retrain models/default/sentence first (timed)")
    parser.add_argument("--report-only", action="store_true",
                        help="rewrite benchmarks/classifier.md from the recorded results (e.g. after new variants)")
    args = parser.parse_args(argv)
    if args.report_only:
        (ROOT / "benchmarks/classifier.md").write_text(report(json.loads((ROOT / "benchmarks/results/classifier.json").read_text())))
        return 0
    from disclosure_check.classify.artifact import load_model
    from disclosure_check.rubric import load_rubric

    rubric = load_rubric()
    if args.retrain:
        from disclosure_check.train.sentences import train

        train([AU, CA], rubric, MODEL, progress=print)
    bundle = load_model(MODEL)
    metrics = json.loads((MODEL / "metrics.json").read_text())
    speed = prediction_speed(rubric, bundle)
    transfer = transfer_au_to_ca(rubric, {k: v for k, v in bundle.meta["params"].items() if k != "flags"})
    result = {"model_version": bundle.version, "cv": {k: v for k, v in metrics.items() if k != "folds"},
              "train_seconds": bundle.meta["train_seconds"], "prediction": speed, "transfer_au_to_ca": transfer}
    out = ROOT / "benchmarks/results/classifier.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n")
    (ROOT / "benchmarks/classifier.md").write_text(report(result))
    print(report(result))
    return 0


def report(r: dict) -> str:
    cv = r["cv"]
    f1s = {k: v["f1"] for k, v in cv["criteria"].items()}
    lines = [
        "# Sentence classifier benchmark",
        "",
        f"Model `{r['model_version']}` (models/default/sentence). Reproduce: "
        "`.venv/bin/disclosure-check train` (cross-validation, recorded in metrics.json) and "
        "`.venv/bin/python benchmarks/classifier_benchmark.py` (speed, transfer, this report).",
        "",
        f"Data: {cv['statements']} statements, {cv['sentences']} sentences (AIMS.au gold 50 + AIMS.ca 50). "
        f"Evaluation: {cv['evaluation']}. No statement is split across folds.",
        "",
        "## Targets",
        "",
        "| target | result | met |",
        "|---|---|---|",
        f"| macro F1 ≥ {TARGET_MACRO} | {cv['macro_f1']:.3f} | {'yes' if cv['macro_f1'] >= TARGET_MACRO else 'no: ' + format(TARGET_MACRO - cv['macro_f1'], '.3f') + ' short'} |",
        f"| no element below {TARGET_FLOOR} | lowest {min(f1s.values()):.3f} ({min(f1s, key=f1s.get)}) | "
        f"{'yes' if min(f1s.values()) >= TARGET_FLOOR else 'no: ' + ', '.join(k for k, v in f1s.items() if v < TARGET_FLOOR)} |",
        f"| training ≤ 10 min on 2 cores | {r['train_seconds']:.0f} s (with nested CV) | {'yes' if r['train_seconds'] <= TARGET_TRAIN_S else 'no'} |",
        f"| issue 10: CV macro F1 ≥ {TARGET_CV_10} | {cv['macro_f1']:.3f} | "
        f"{'yes' if cv['macro_f1'] >= TARGET_CV_10 else 'no: ' + format(TARGET_CV_10 - cv['macro_f1'], '.3f') + ' short'} |",
        f"| issue 10: trained AU → tested CA ≥ {TARGET_TRANSFER_10} | {r['transfer_au_to_ca']['macro_f1']:.3f} | "
        f"{'yes' if r['transfer_au_to_ca']['macro_f1'] >= TARGET_TRANSFER_10 else 'no: ' + format(TARGET_TRANSFER_10 - r['transfer_au_to_ca']['macro_f1'], '.3f') + ' short'} |",
        f"| prediction ≥ {TARGET_SPS} sentences/s | {r['prediction']['sentences_per_second']} sentences/s "
        f"(rules + context + model, {r['prediction']['sentences']} sentences) | "
        f"{'yes' if r['prediction']['sentences_per_second'] >= TARGET_SPS else 'no'} |",
        "",
        "## Per element (sentence level, cross-validated)",
        "",
        "| element | precision | recall | F1 | support | F1 AU | F1 CA | F1 trained AU → tested CA |",
        "|---|---|---|---|---|---|---|---|",
    ]
    au = cv["by_source"].get("aims_au_sentences.csv", {}).get("criteria", {})
    ca = cv["by_source"].get("aims_ca_sentences.csv", {}).get("criteria", {})
    tr = r["transfer_au_to_ca"]["criteria"]
    def f1_of(d: dict, label: str) -> str:
        return f"{d[label]['f1']:.3f}" if label in d and d[label]["support"] else "–"

    for label, m in cv["criteria"].items():
        lines.append(f"| {label} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['support']} | "
                     f"{f1_of(au, label)} | {f1_of(ca, label)} | {f1_of(tr, label)} |")
    lines += [
        f"| **macro** | | | **{cv['macro_f1']:.3f}** | | {cv['by_source']['aims_au_sentences.csv']['macro_f1']:.3f} | "
        f"{cv['by_source']['aims_ca_sentences.csv']['macro_f1']:.3f} | {r['transfer_au_to_ca']['macro_f1']:.3f} |",
        "",
        "## Statement level (an element is present when any sentence passes its threshold)",
        "",
        "| element | statements | with element | accuracy | precision | recall |",
        "|---|---|---|---|---|---|",
    ]
    for element, m in cv["documents"].items():
        lines.append(f"| {element} | {m['statements']} | {m['with_element']} | {m['accuracy']:.2f} | "
                     f"{m['precision']:.2f} | {m['recall']:.2f} |")
    lines += [
        "",
        "## Against the published baselines",
        "",
        "Published macro F1 on the AIMS.au gold test set (models fine-tuned on ~5,700 statements on GPUs): "
        + "; ".join(f"{k} {v:.3f}" for k, v in PUBLISHED.items()) + ". "
        f"Ours on the same 50 Australian statements, trained on the other folds of 100 statements: "
        f"{cv['by_source']['aims_au_sentences.csv']['macro_f1']:.3f}. The settings differ (their training data is "
        "57 times larger and noisier; our numbers are cross-validated), so this is a comparison of scale, not a "
        "head-to-head test.",
        "",
        "## What was tried (out-of-fold macro F1 with per-element best thresholds, 5 statement-grouped folds)",
        "",
        "| variant | macro F1 |",
        "|---|---|",
        "| word TF-IDF + ±1 context + rules, C=4 (first version) | 0.623 |",
        "| same, C=16 | 0.630 |",
        "| + character 3–5-grams | 0.647 |",
        "| + normalised statute names, company numbers, legal suffixes, digits (shipped) | 0.650 |",
        "| ±2 sentences of context | 0.650 (no gain) |",
        "| two-stage stacking on neighbours' predicted probabilities (LR or gradient boosting) | 0.607–0.608 (worse) |",
        "| per-element C chosen with hindsight (upper bound of tuning C) | 0.651 |",
        "| shipped parameters (`benchmarks/embedding_experiment.py --score`) | 0.646 |",
        "| all-MiniLM-L6-v2 sentence embeddings + context + rules, LR (same script) | 0.597 |",
        "| blend of shipped TF-IDF model (0.7) and MiniLM (0.3) (same script) | 0.654 (+0.007, for torch and 140 sentences/s) |",
        "",
        "The embedding model did not earn its cost (a PyTorch install, 4x slower than the 500 sentences/s target "
        "on its own), so it is not shipped, not even as an extra. `benchmarks/embedding_experiment.py` reruns it.",
        "",
    ]
    return "\n".join(lines + variant_lines())


def variant_lines() -> list[str]:
    """The issue 10 variants table, from benchmarks/results/classifier_variants.json."""
    if not VARIANTS.is_file():
        return []
    results = json.loads(VARIANTS.read_text())
    lines = [
        "## What was tried for issue 10 (`benchmarks/classifier_variants.py VARIANT`)",
        "",
        "Every figure is measured as the shipped model is: statement-grouped 5-fold CV on AU + CA with thresholds "
        "chosen on an inner 3-fold CV of each outer training split (never on the test fold), and trained on all "
        "50 Australian statements (thresholds from their own 5-fold CV) tested on the 50 Canadian ones. Threshold "
        "smoothing s: F1 averaged over s grid steps either side before the best threshold is taken (2 was shipped). "
        "Document accuracy: mean over elements of statement-level presence accuracy (CV, s = 2).",
        "",
        "| variant | what changes | CV macro F1 (s=0 / 2 / 4) | AU → CA (s=0 / 2 / 4) | document accuracy | minutes |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        cv = " / ".join(f"{r[f'cv_smooth{k}']['macro_f1']:.3f}" for k in (0, 2, 4))
        tr = " / ".join(f"{r[f'au_to_ca_smooth{k}']:.3f}" for k in (0, 2, 4))
        lines.append(f"| {name} | {VARIANT_NOTES.get(name, '')} | {cv} | {tr} | "
                     f"{r['cv_smooth2']['document_accuracy']:.3f} | {r['seconds'] / 60:.0f} |")
    return lines + [""]


if __name__ == "__main__":
    sys.exit(main())
