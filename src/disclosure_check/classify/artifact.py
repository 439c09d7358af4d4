"""A saved model directory: the training artefact, the form scoring loads, and metadata.

- ``model.joblib``: the fitted scikit-learn model (and thresholds), as trained. A pickle: load
  only files you trust. ``model_version`` (stored with every result) is its hash, so exporting
  the inference form again never changes it.
- ``inference.json`` + ``inference.npz``: the inference form (classify/inference.py): settings and
  vocabularies, then arrays. No pickle and no scikit-learn, loaded in milliseconds; this is what
  scoring reads. A directory without it (trained before it existed) still loads from the joblib,
  which needs the scikit-learn it was trained with.
- ``meta.json``: versions, labels, training data hash, metrics, and the sha256 of each file above,
  checked on every load.
"""

from __future__ import annotations

import hashlib
import io
import json
import platform
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from disclosure_check.classify.audience_rules import NAME as AUDIENCE_NAME
from disclosure_check.classify.inference import (
    NAME,
    AudienceInference,
    SentenceInference,
    audience_model_to_inference,
    sentence_model_to_inference,
)
from disclosure_check.errors import ModelError
from disclosure_check.files import writing

if TYPE_CHECKING:
    from disclosure_check.classify.audiences import AudienceModel
    from disclosure_check.classify.ml import SentenceModel

MODEL_FILE = "model.joblib"
META_FILE = "meta.json"
METRICS_FILE = "metrics.json"
INFERENCE_SETTINGS = "inference.json"
INFERENCE_ARRAYS = "inference.npz"
INFERENCE_FILES = (INFERENCE_SETTINGS, INFERENCE_ARRAYS)
INFERENCE_FORMAT = 1  # bump when the inference files change shape; loading refuses other formats
T = TypeVar("T")


@dataclass(frozen=True)
class ModelBundle:
    """A sentence model ready to score: its inference form, threshold per element, and metadata."""

    model: SentenceInference
    thresholds: dict[str, float]
    meta: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.meta.get("name", NAME)

    @property
    def version(self) -> str:
        """Stored with every result: the model name plus a hash of the saved joblib."""
        return self.meta.get("model_version", f"{NAME}+unsaved")


def library_versions() -> dict[str, str]:
    import numpy
    import scipy
    import sklearn
    import spacy

    return {"python": platform.python_version(), "scikit-learn": sklearn.__version__,
            "numpy": numpy.__version__, "scipy": scipy.__version__, "spacy": spacy.__version__}


def repo_root() -> Path:
    return Path(__file__).resolve().parents[3]


def save_model(model: SentenceModel, thresholds: dict[str, float], directory: Path, *, meta: dict | None = None,
               metrics: dict | None = None) -> ModelBundle:
    """Save a fitted SentenceModel with its thresholds, inference form and metadata; returns the
    bundle as ``load_model`` will give it."""
    import joblib

    with writing(directory):  # a full disk or a folder that cannot be written: one coded error
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / MODEL_FILE
        joblib.dump({"model": model, "thresholds": thresholds}, path, compress=3)
        digest = _sha256(path.read_bytes())
        form = sentence_model_to_inference(model)
        files = {MODEL_FILE: digest, **_write_inference(directory, NAME, form, {"thresholds": thresholds})}
        meta = {"labels": list(model.labels), **(meta or {}), "name": NAME, "model_version": f"{NAME}+{digest[:12]}",
                "model_sha256": digest,
                "files": files, "libraries": library_versions(), "thresholds": thresholds}
        (directory / META_FILE).write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n")
        if metrics is not None:
            (directory / METRICS_FILE).write_text(json.dumps(metrics, indent=1) + "\n")
    return ModelBundle(form, thresholds, meta)


def save_audience_model(model: AudienceModel, directory: Path, meta: dict, metrics: dict) -> dict:
    """Save a fitted AudienceModel with its inference form and metadata; returns the metadata."""
    import joblib

    with writing(directory):  # a full disk or a folder that cannot be written: one coded error
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / MODEL_FILE
        joblib.dump(model, path, compress=3)
        digest = _sha256(path.read_bytes())
        files = {MODEL_FILE: digest, **_write_inference(directory, AUDIENCE_NAME, audience_model_to_inference(model))}
        meta = {"name": AUDIENCE_NAME, "model_version": f"{AUDIENCE_NAME}+{digest[:12]}", "model_sha256": digest,
                **meta, "files": files, "libraries": library_versions()}
        (directory / META_FILE).write_text(json.dumps(meta, indent=1) + "\n")
        (directory / METRICS_FILE).write_text(json.dumps(metrics, indent=1) + "\n")
    return meta


def export_inference(directory: Path | str) -> dict:
    """Write the inference form of an already saved model (sentence or audience) from its joblib,
    without retraining; ``model_version`` and the joblib stay as they are, ``meta.json`` gains the
    new files' hashes. Needs the scikit-learn the model was trained with. Returns the metadata."""
    import joblib

    directory = Path(directory)
    where = str(directory)
    path = directory / MODEL_FILE
    if not path.is_file():
        raise ModelError(f"no {MODEL_FILE} to export from", where=where,
                         fix="give a directory written by `disclosure-check train` or `train-audiences`")
    meta = _read_meta(directory)
    _check_sklearn(meta, where, fix="install the scikit-learn the model was trained with, or retrain")
    digest = meta.get("model_sha256")
    payload = joblib.load(io.BytesIO(_verified(path, digest, where, fix="retrain the model")))
    name = meta.get("name")
    if name == NAME:
        files = _write_inference(directory, NAME, sentence_model_to_inference(payload["model"]),
                                 {"thresholds": payload["thresholds"]})
    elif name == AUDIENCE_NAME:
        files = _write_inference(directory, AUDIENCE_NAME, audience_model_to_inference(payload))
    else:
        raise ModelError(f"unknown model name {name!r} in {META_FILE}", where=where,
                         fix=f"export a {NAME} or {AUDIENCE_NAME} model directory")
    meta["files"] = {MODEL_FILE: digest, **files}
    (directory / META_FILE).write_text(json.dumps(meta, indent=1, sort_keys=name == NAME) + "\n")
    return meta


def load_model(directory: str | Path) -> ModelBundle:
    """The sentence model for scoring, from its inference form (or, failing that, its joblib).
    Scoring loads it as part of a model set (``modelset.load_model_set``)."""
    directory = Path(directory)
    where = str(directory)
    found = _model_files(directory)
    if not found:
        raise ModelError("no trained model here", where=where,
                         fix="run `disclosure-check train`, or set --model / DISCLOSURE_CHECK_MODEL")
    meta = _read_meta(directory)
    if found == INFERENCE_FILES:
        form, thresholds = inference_form(directory, NAME, meta, lambda document, arrays: (
            SentenceInference.from_parts(document["model"], arrays),
            {label: float(t) for label, t in document["thresholds"].items()}))
        return ModelBundle(form, thresholds, meta)
    payload = _load_joblib(directory, meta)
    return ModelBundle(sentence_model_to_inference(payload["model"]), payload["thresholds"], meta)


def load_audience_model(directory: str | Path) -> tuple[AudienceInference, dict] | None:
    """The training-audience model for scoring and its metadata, or None when the directory has
    none (the model is optional). Loaded like ``load_model``."""
    directory = Path(directory)
    found = _model_files(directory)
    if not found:
        return None
    meta = _read_meta(directory)
    if found == INFERENCE_FILES:
        return inference_form(directory, AUDIENCE_NAME, meta,
                               lambda document, arrays: AudienceInference.from_parts(document["model"], arrays)), meta
    return audience_model_to_inference(_load_joblib(directory, meta)), meta


def _model_files(directory: Path) -> tuple[str, ...]:
    """INFERENCE_FILES, or (MODEL_FILE,) when only the joblib is there, or () when neither is.
    Half an inference form is an error: it was copied or exported incompletely."""
    present = tuple(name for name in INFERENCE_FILES if (directory / name).is_file())
    if present == INFERENCE_FILES:
        return present
    if present:
        missing = next(name for name in INFERENCE_FILES if name not in present)
        raise ModelError(f"inference form incomplete: {missing} is missing", where=str(directory),
                         fix=_regenerate(directory))
    return (MODEL_FILE,) if (directory / MODEL_FILE).is_file() else ()


def _read_meta(directory: Path) -> dict:
    try:
        return json.loads((directory / META_FILE).read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"model metadata unreadable ({exc})", where=str(directory),
                         fix="retrain with `disclosure-check train`") from None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _verified(path: Path, expected: str | None, where: str, fix: str) -> bytes:
    """The file's bytes, read once, after checking them against the recorded hash."""
    data = path.read_bytes()
    if expected is None:
        raise ModelError(f"{META_FILE} records no hash for {path.name}", where=where, fix=fix)
    if _sha256(data) != expected:
        raise ModelError(f"model file {path.name} does not match its metadata hash", where=where, fix=fix)
    return data


def _write_inference(directory: Path, name: str, form: SentenceInference | AudienceInference,
                     extra: dict | None = None) -> dict[str, str]:
    """Write the inference files; returns their sha256 by file name."""
    document = {"format": INFERENCE_FORMAT, "name": name, **(extra or {}), "model": form.settings()}
    settings = (json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
    arrays = io.BytesIO()
    np.savez(arrays, **form.arrays())  # uncompressed: 10 MB loads in 5 ms, compressed in 35 ms
    out = {}
    with writing(directory):  # a full disk or a folder that cannot be written: one coded error
        for file_name, data in ((INFERENCE_SETTINGS, settings), (INFERENCE_ARRAYS, arrays.getvalue())):
            (directory / file_name).write_bytes(data)
            out[file_name] = _sha256(data)
    return out


def _read_inference(directory: Path, name: str, meta: dict) -> tuple[dict, dict[str, np.ndarray]]:
    where = str(directory)
    fix = _regenerate(directory) + " (it records the hashes), or retrain"
    hashes = meta.get("files", {})
    settings = _verified(directory / INFERENCE_SETTINGS, hashes.get(INFERENCE_SETTINGS), where, fix)
    arrays = _verified(directory / INFERENCE_ARRAYS, hashes.get(INFERENCE_ARRAYS), where, fix)
    try:
        document = json.loads(settings)
        with np.load(io.BytesIO(arrays), allow_pickle=False) as npz:
            loaded = {key: npz[key] for key in npz.files}
    except (ValueError, OSError, zipfile.BadZipFile) as exc:
        raise ModelError(f"inference form unreadable ({exc})", where=where, fix=fix) from None
    if document.get("format") != INFERENCE_FORMAT or document.get("name") != name:
        raise ModelError(f"inference form is {document.get('name')!r} format {document.get('format')!r}, expected "
                         f"{name!r} format {INFERENCE_FORMAT}", where=where, fix=fix)
    return document, loaded


def inference_form(directory: Path, name: str, meta: dict, build: Callable[[dict, dict[str, np.ndarray]], T]) -> T:
    """``build`` applied to the verified inference files; a shape or field it cannot use is a ModelError."""
    document, arrays = _read_inference(directory, name, meta)
    try:
        return build(document, arrays)
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"inference form malformed ({exc})", where=str(directory),
                         fix=_regenerate(directory)) from None


def _regenerate(directory: Path | str) -> str:
    return f"run `disclosure-check write-inference {directory}`"


def _check_sklearn(meta: dict, where: str, fix: str) -> None:
    import sklearn

    trained_with = meta.get("libraries", {}).get("scikit-learn", "")
    if trained_with.split(".")[:2] != sklearn.__version__.split(".")[:2]:
        raise ModelError(f"model was trained with scikit-learn {trained_with}, this install has {sklearn.__version__}",
                         where=where, fix=fix)


def _load_joblib(directory: Path, meta: dict):
    """The training artefact, for a directory without the inference form: needs scikit-learn."""
    import joblib

    where = str(directory)
    _check_sklearn(meta, where, fix=f"retrain with `disclosure-check train` or install the matching scikit-learn; "
                                    f"then {_regenerate(directory)} so scoring no longer needs it")
    expected = meta.get("files", {}).get(MODEL_FILE, meta.get("model_sha256"))
    data = _verified(directory / MODEL_FILE, expected, where, fix="retrain with `disclosure-check train`")
    return joblib.load(io.BytesIO(data))
