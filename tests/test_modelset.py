"""One model set: the sentence and audience models load together from one directory with the same
checks, `--model` chooses the set, and the combined version is the key results are resumed under."""

from __future__ import annotations

import json
import shutil

import joblib
import pytest

from conftest import MODELS, SAMPLES, score_into
from disclosure_check.classify.artifact import save_audience_model
from disclosure_check.classify.modelset import load_model_set, write_manifest
from disclosure_check.errors import ModelError
from disclosure_check.pipeline import Scorer, ScorerSpec
from disclosure_check.store.store import Store


@pytest.fixture
def copy(tmp_path):
    target = tmp_path / "set"
    shutil.copytree(MODELS, target)
    return target


def retrain_audiences(directory, threshold: float) -> dict:
    """Save the set's audience model again with another decision threshold: a changed model, as
    `train-audiences --out DIR` leaves it (new files, new hash, manifest rewritten)."""
    part = directory / "audiences"
    meta = json.loads((part / "meta.json").read_text())
    model = joblib.load(part / "model.joblib")
    model.threshold = threshold
    saved = save_audience_model(model, part, {k: meta[k] for k in ("labels", "created", "cv")}, meta["cv"])
    write_manifest(directory)
    return saved


def test_the_shipped_set_loads_both_models_under_one_version(models, rubric):
    manifest = json.loads((MODELS / "modelset.json").read_text())
    assert models.version == manifest["version"] == (f"{models.sentence.version}/{models.audience_meta['model_version']}"
                                                     f"/{models.sector_meta['model_version']}")
    assert models.version.startswith("tfidf-logreg.") and "/audiences.v1+" in models.version
    assert "/sector.v6+" in models.version and models.sector is not None
    scorer = Scorer(rubric, models)
    assert scorer.model_version == models.version
    result = scorer.score_file(SAMPLES / "lv_2018.pdf")
    assert result.model_version == models.version
    assert result.training_audiences.model_version == models.audience_meta["model_version"]


def test_a_missing_or_altered_part_is_refused(copy, tmp_path):
    shutil.rmtree(copy / "audiences")
    with pytest.raises(ModelError, match="audiences model is missing.*train-audiences --out"):
        load_model_set(copy)
    shutil.copytree(MODELS / "audiences", copy / "audiences")
    load_model_set(copy)
    with (copy / "audiences" / "inference.npz").open("ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(ModelError, match="does not match its metadata hash"):
        load_model_set(copy)
    shutil.copy(MODELS / "audiences" / "inference.npz", copy / "audiences" / "inference.npz")
    # A part replaced by hand (another meta.json than the manifest names) is not silently mixed in.
    meta = json.loads((copy / "sentence" / "meta.json").read_text())
    (copy / "sentence" / "meta.json").write_text(json.dumps({**meta, "created": "later"}))
    with pytest.raises(ModelError, match="sentence model is not the one modelset.json names"):
        load_model_set(copy)
    with pytest.raises(ModelError, match="single model directory, not a model set"):
        load_model_set(MODELS / "sentence")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelError, match="no model set here"):
        load_model_set(tmp_path / "empty")
    with pytest.raises(ModelError, match="no such model directory.*models/default"):
        load_model_set(tmp_path / "mistyped")


def test_model_option_chooses_both_models(copy, rubric):
    retrained = retrain_audiences(copy, threshold=0.7)
    scorer = ScorerSpec(model_dir=str(copy)).build()
    assert scorer.audiences[1]["model_version"] == retrained["model_version"] != scorer.models.sentence.version
    assert f"/{retrained['model_version']}/" in scorer.model_version
    assert scorer.model_version != load_model_set(MODELS).version


@pytest.mark.slow
def test_retraining_the_audience_model_makes_stored_results_stale(copy, rubric, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "lv_2018.pdf", folder)
    with Store(tmp_path / "r.db") as store:
        first = score_into(store, [folder], Scorer(rubric, load_model_set(copy)))
        again = score_into(store, [folder], Scorer(rubric, load_model_set(copy)))
        assert (first.scored, again.skipped) == (1, 1)
        retrain_audiences(copy, threshold=0.7)
        after = score_into(store, [folder], Scorer(rubric, load_model_set(copy)))
        assert (after.scored, after.skipped) == (1, 0)  # scored again under the new combined version
        assert len({r["model_version"] for r in store.reviewed_results(apply=False)}) == 2


def test_write_inference_on_a_part_keeps_its_set_loadable(copy):
    from click.testing import CliRunner

    from disclosure_check.cli import main

    before = load_model_set(copy).version
    for name in ("inference.json", "inference.npz"):
        (copy / "audiences" / name).unlink()
    result = CliRunner().invoke(main, ["write-inference", str(copy / "audiences")])
    assert result.exit_code == 0, result.output
    assert load_model_set(copy).version == before  # meta.json changed, the manifest with it; the version did not


def _save_sector(part, name: str, keyword_columns: int) -> None:
    """Rewrite the set's sector part as a model ``name`` that read ``keyword_columns`` keyword features
    (hashes and manifest updated as training leaves them)."""
    import hashlib
    import io

    import numpy as np

    settings = json.loads((part / "inference.json").read_text())
    settings["name"] = name
    with np.load(part / "inference.npz") as npz:
        arrays = {key: npz[key] for key in npz.files}
    terms = len(settings["model"]["tfidf"]["terms"])
    for key in ("industry_coef", "subsector_coef"):
        arrays[key] = arrays[key][:, :terms + keyword_columns]
    for key in ("keyword_mean", "keyword_scale"):
        arrays[key] = arrays[key][:keyword_columns]
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    (part / "inference.json").write_text(json.dumps(settings))
    (part / "inference.npz").write_bytes(buffer.getvalue())
    meta = json.loads((part / "meta.json").read_text())
    meta["files"] = {n: hashlib.sha256((part / n).read_bytes()).hexdigest() for n in ("inference.json", "inference.npz")}
    meta["name"], meta["model_version"] = name, f"{name}+000000000000"
    (part / "meta.json").write_text(json.dumps(meta))
    write_manifest(part.parent)


def test_a_sector_model_of_other_keyword_features_is_refused_with_how_to_retrain(copy):
    """Review: sector.v1 (25 keyword features) loaded beside code that computes 29 and crashed with a
    numpy broadcast error on the first document. It now has another name, and a count that differs is a
    ModelError at load that says what was expected and how to retrain. Round 3: sector.v2 (29 features)
    beside sector.v3's 48 likewise, and sector.v3 (48) beside sector.v4's 54 (round 4). sector.v5 reads the
    same 54 more strictly: a new name, so a v4 model is refused by name; sector.v6 reads what a firm does in
    its own words (not anywhere in its first 20,000 characters): a new name again."""
    from disclosure_check.classify.sector import keyword_count

    assert keyword_count() == 54
    _save_sector(copy / "sector", "sector.v3", 48)  # the model from before round 4's features
    with pytest.raises(ModelError, match=r"'sector.v3'.*expected a 'sector.v6' model.*train-sector --out"):
        load_model_set(copy)
    _save_sector(copy / "sector", "sector.v6", 29)  # named right, trained on other features
    with pytest.raises(ModelError) as info:
        load_model_set(copy)
    message = info.value.message
    assert "sector.v6 was trained on 29 keyword features, this code computes 54" in message
    assert "disclosure-check train-sector --out" in message and str(copy / "sector") in message
