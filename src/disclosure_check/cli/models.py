"""``evaluate``, ``train``, ``train-audiences``, ``train-sector``, ``train-identity`` and ``write-inference``: the trained models."""

from __future__ import annotations

import json
from pathlib import Path

import click

from disclosure_check.cli.base import CORPUS_DEFAULT, main, model_option, rubric_option
from disclosure_check.files import atomic_path, writable_folder


@main.command()
@click.argument("labels", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@click.option("--predictions", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the input rows plus pred_<label> (0/1) and prob_<label> columns to this CSV.")
@rubric_option
@model_option
def evaluate(labels, as_json, predictions, rubric_path, model_dir) -> None:
    """Evaluate the model on a labelled sentence CSV (AIMS format).

    Needs columns statement_id, sentence_index, sentence and any of the label columns
    (Approval, Signature, C1 (reporting entity), ... C6 (consultation)). Each statement's
    sentences, in order, give the context. Reports precision, recall, F1 and support per label
    and the macro F1 over labels that have positives.
    """
    from disclosure_check.classify.modelset import load_model_set
    from disclosure_check.rubric import load_rubric
    from disclosure_check.train.evaluate import evaluate_file

    if predictions:
        writable_folder(predictions.parent)  # refused now, not after the evaluation
    result = evaluate_file(labels, load_model_set(model_dir).sentence, load_rubric(rubric_path))
    if predictions:
        with atomic_path(predictions) as tmp:
            result.predictions.to_csv(tmp, index=False)
    if as_json:
        criteria = {k: {m: v[m] for m in ("precision", "recall", "f1", "support")}
                    for k, v in result.metrics["criteria"].items()}
        click.echo(json.dumps({"criteria": criteria, "macro_f1": result.metrics["macro_f1"]}))
        return
    click.echo(f"{'label':<24}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}")
    for label, m in result.metrics["criteria"].items():
        click.echo(f"{label:<24}{m['precision']:>10.3f}{m['recall']:>10.3f}{m['f1']:>10.3f}{m['support']:>10d}")
    click.echo(f"{'macro F1 (labels with positives)':<44}{result.metrics['macro_f1']:>10.3f}")


@main.command()
@click.option("--data", "data_paths", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Labelled CSV (repeatable). [default: corpus/aims/aims_au_sentences.csv and aims_ca_sentences.csv]")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("models/default"), show_default=True,
              help="Model set directory: the model goes to OUT/sentence and OUT/modelset.json is rewritten.")
@click.option("--reviewed", "reviewed_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Reviewed examples (`disclosure-check review examples`) added to training only.")
@click.option("--reviewed-weight", default=2.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Weight of each reviewed example (a corpus sentence weighs 1).")
@click.option("--folds", default=5, show_default=True, type=click.IntRange(2), help="Cross-validation folds.")
@click.option("--jobs", default=2, show_default=True, type=click.IntRange(1), help="Folds trained in parallel.")
@rubric_option
def train(data_paths, out_dir, reviewed_path, reviewed_weight, folds, jobs, rubric_path) -> None:
    """Train the sentence classifier from the labelled corpus and save it with its metrics.

    Labels a file never marks positive (C1 and C6 in the Canadian set) count as unlabelled, not
    negative. Metrics come from statement-grouped cross-validation with thresholds chosen on
    inner folds; they are saved in OUT/sentence/metrics.json and meta.json. Reviewed examples join
    every training split and are never held out, so they cannot inflate the metrics.
    """
    from disclosure_check.classify.modelset import SENTENCE, write_manifest
    from disclosure_check.rubric import load_rubric
    from disclosure_check.train.sentences import train as train_model

    paths = list(data_paths) or [p for p in CORPUS_DEFAULT]
    writable_folder(out_dir)  # refused now, not after training
    result = train_model(paths, load_rubric(rubric_path), out_dir / SENTENCE, folds=folds, jobs=jobs,
                         reviewed=reviewed_path, reviewed_weight=reviewed_weight,
                         progress=lambda msg: click.echo(msg, err=True))
    write_manifest(out_dir)
    reviewed = result.bundle.meta.get("reviewed_examples", 0)
    click.echo(f"Saved {result.bundle.version} to {out_dir / SENTENCE} in {result.seconds:.0f} s"
               f"{f' with {reviewed} reviewed example(s)' if reviewed else ''}; "
               f"cross-validated macro F1 {result.metrics['macro_f1']:.3f}")
    for label, m in result.metrics["criteria"].items():
        click.echo(f"  {label:<24} P={m['precision']:.3f} R={m['recall']:.3f} F1={m['f1']:.3f} n={m['support']}")


@main.command("train-audiences")
@click.option("--data", "data_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=Path("corpus/wikirate/msa_training_labels_with_text.csv"), show_default=True,
              help="WikiRate 'MSA training (revised)' answers with statement text.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("models/default"), show_default=True,
              help="Model set directory: the model goes to OUT/audiences and OUT/modelset.json is rewritten.")
@click.option("--folds", default=5, show_default=True, type=click.IntRange(2), help="Cross-validation folds.")
def train_audiences_command(data_path, out_dir, folds) -> None:
    """Train the training-audience model (who receives modern slavery training) with company-grouped CV."""
    from disclosure_check.classify.modelset import AUDIENCES, write_manifest
    from disclosure_check.train.audiences import train_audiences

    writable_folder(out_dir)  # refused now, not after training
    meta = train_audiences(data_path, out_dir / AUDIENCES, folds=folds)
    write_manifest(out_dir)
    cv = meta["cv"]
    click.echo(f"Saved {meta['model_version']} to {out_dir / AUDIENCES}; company-grouped CV over {cv['statements']} statements: "
               f"exact-match accuracy {cv['exact_match_accuracy']:.3f} (always 'none': {cv['baseline_always_none']:.3f}), "
               f"label accuracy {cv['label_accuracy']:.3f}, micro F1 {cv['micro_f1']:.3f}, macro F1 {cv['macro_f1']:.3f}")
    for label, m in cv["labels"].items():
        click.echo(f"  {label:<16} P={m['precision']:.3f} R={m['recall']:.3f} F1={m['f1']:.3f} n={m['support']}")


@main.command("write-inference", hidden=True)
@click.argument("model_dirs", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
def write_inference(model_dirs) -> None:
    """Write the inference form of saved models from their model.joblib, without retraining.

    Scoring loads the inference form (no pickle, no scikit-learn); training writes it already, so
    this is for model directories saved before it existed. model_version does not change; a part of a
    model set gets its set's manifest rewritten (meta.json gains the new files' hashes)."""
    from disclosure_check.classify.artifact import export_inference
    from disclosure_check.classify.modelset import SET_FILE, write_manifest

    for directory in model_dirs:
        meta = export_inference(directory)
        if (directory.parent / SET_FILE).is_file():
            write_manifest(directory.parent)
        click.echo(f"Wrote the inference form of {meta['model_version']} to {directory}")


@main.command("train-sector")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("models/default"), show_default=True,
              help="Model set directory: the model goes to OUT/sector and OUT/modelset.json is rewritten.")
@click.option("--max-false-financial", default=0.01, show_default=True, type=click.FloatRange(0, 1),
              help="Share of non-financial firms that cross-validation may call financial; sets the threshold.")
def train_sector_command(out_dir, max_false_financial) -> None:
    """Train the sector model (industry and financial sub-sector) on the dev, test, test3, test4 and test5 splits of
    corpus/labels/documents.csv (never a blind split), with stratified cross-validation;
    run from the repository root."""
    from disclosure_check.classify.modelset import SECTOR, write_manifest
    from disclosure_check.train.sector import train

    writable_folder(out_dir)  # refused now, not after training
    meta = train(out_dir / SECTOR, max_false_financial=max_false_financial)
    write_manifest(out_dir)
    cv = meta["cv"]
    click.echo(f"Saved {meta['model_version']} to {out_dir / SECTOR}; 5-fold CV over {cv['documents']} documents "
               f"({cv['financial']} financial): financial recall {cv['financial_recall']:.3f}, non-financial called "
               f"financial {cv['non_financial_called_financial']:.3f} (threshold {meta['financial_threshold']:.2f}), "
               f"sub-sector right {cv['subsector_right_of_financial']:.3f} of financial firms, industry right "
               f"{cv['industry_right']:.3f}")


@main.command("train-identity")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("src/disclosure_check/lexicons/organisation_ranker.json"), show_default=True,
              help="Where the ranker is written (the package reads it from there).")
@click.option("--max-wrong", default=0.0025, show_default=True, type=click.FloatRange(0, 1),
              help="Share of statements cross-validation may name wrongly; sets the threshold below which "
                   "no organisation is named. The default is a quarter of the 1% target: on held-out "
                   "texts the wrong rate came out about four times the CV figure.")
def train_identity_command(out_path, max_wrong) -> None:
    """Train the organisation ranker on the dev, test, test3, test4 and test5 splits' statements in corpus/labels/documents.csv
    (document-grouped cross-validation chooses its threshold); run from the repository root."""
    from disclosure_check.train.identity import train

    writable_folder(out_path.parent)  # refused now, not after training
    model = train(out_path, max_wrong=max_wrong)
    cv = model["cv"]
    click.echo(f"Saved {model['version']} to {out_path}; 5-fold CV ({cv['repeats']} splits) over {cv['statements']} statements: named right "
               f"{cv['named_right']:.3f}, wrong {cv['wrong']:.3f} (threshold {model['threshold']:.2f})")
