"""A saved model: the fitted SentenceModel, thresholds per element and metadata (versions, labels,
training data hash, cross-validated metrics). Load only files you trust: this is a pickle."""

from __future__ import annotations

import hashlib
import json
import platform
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ModelError
from .ml import NAME, SentenceModel

MODEL_FILE = "model.joblib"
META_FILE = "meta.json"
METRICS_FILE = "metrics.json"


@dataclass(frozen=True)
class ModelBundle:
    model: SentenceModel
    thresholds: dict[str, float]
    meta: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.meta.get("name", NAME)

    @property
    def version(self) -> str:
        """Stored with every result: the model name plus a hash of the saved file."""
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


def default_model_dir() -> Path:
    """``$DISCLOSURE_CHECK_MODEL`` if set, else ``./models/<name>``, else the source checkout's."""
    from ..settings import MODEL

    env = MODEL.value()
    if env:
        return Path(env)
    local = Path("models") / NAME
    if (local / MODEL_FILE).is_file():
        return local
    return repo_root() / "models" / NAME


def save_model(bundle: ModelBundle, directory: Path, metrics: dict | None = None) -> ModelBundle:
    import joblib

    directory.mkdir(parents=True, exist_ok=True)
    path = directory / MODEL_FILE
    joblib.dump({"model": bundle.model, "thresholds": bundle.thresholds}, path, compress=3)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    meta = {**bundle.meta, "name": NAME, "model_version": f"{NAME}+{digest[:12]}", "model_sha256": digest,
            "libraries": library_versions(), "thresholds": bundle.thresholds}
    (directory / META_FILE).write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n")
    if metrics is not None:
        (directory / METRICS_FILE).write_text(json.dumps(metrics, indent=1) + "\n")
    return ModelBundle(bundle.model, bundle.thresholds, meta)


def load_model(directory: str | Path | None = None) -> ModelBundle:
    import joblib
    import sklearn

    directory = Path(directory) if directory is not None else default_model_dir()
    path = directory / MODEL_FILE
    where = str(directory)
    if not path.is_file():
        raise ModelError("no trained model here", where=where,
                         fix="run `disclosure-check train`, or set --model / DISCLOSURE_CHECK_MODEL")
    try:
        meta = json.loads((directory / META_FILE).read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"model metadata unreadable ({exc})", where=where,
                         fix="retrain with `disclosure-check train`") from None
    trained_with = meta.get("libraries", {}).get("scikit-learn", "")
    if trained_with.split(".")[:2] != sklearn.__version__.split(".")[:2]:
        raise ModelError(
            f"model was trained with scikit-learn {trained_with}, this install has {sklearn.__version__}",
            where=where, fix="retrain with `disclosure-check train` or install the matching scikit-learn",
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != meta.get("model_sha256"):
        raise ModelError("model file does not match its metadata hash", where=where,
                         fix="retrain with `disclosure-check train`")
    payload = joblib.load(path)
    return ModelBundle(payload["model"], payload["thresholds"], meta)
