"""A model set: the sentence model and the training-audience model that score together, in one
directory, loaded by one function with the same checks for both.

    models/default/
      modelset.json     names each part with its model_version, labels and the sha256 of its meta.json
      sentence/         a sentence model directory (classify/artifact.py: meta.json, inference form, joblib)
      audiences/        a training-audience model directory, the same layout

Each part's meta.json records the hashes of its files, and the manifest records the hash of each
meta.json, so changing any file of either part without rewriting the set is refused. Training a
part into a set (``disclosure-check train --out DIR`` / ``train-audiences --out DIR``) rewrites the
manifest. ``ModelSet.version`` names both parts: it is the ``model_version`` stored with every
result, so a result scored with another sentence *or* audience model is never reused on resume.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from disclosure_check.classify.artifact import (
    META_FILE,
    ModelBundle,
    inference_form,
    load_audience_model,
    load_model,
    repo_root,
)
from disclosure_check.classify.audience_rules import LABELS as AUDIENCE_LABELS
from disclosure_check.classify.audience_rules import NAME as AUDIENCE_NAME
from disclosure_check.classify.inference import NAME as SENTENCE_NAME
from disclosure_check.classify.inference import AudienceInference
from disclosure_check.classify.sector import NAME as SECTOR_NAME
from disclosure_check.classify.sector import SectorInference, check_features, sector_terms
from disclosure_check.errors import ModelError
from disclosure_check.files import writing

SET_FILE = "modelset.json"
SET_FORMAT = 1
DEFAULT_SET = "default"
SENTENCE = "sentence"
AUDIENCES = "audiences"
SECTOR = "sector"
PARTS = (SENTENCE, AUDIENCES, SECTOR)  # each part's subdirectory is named after its role
PART_NAMES = {SENTENCE: SENTENCE_NAME, AUDIENCES: AUDIENCE_NAME, SECTOR: SECTOR_NAME}
RETRAIN = {SENTENCE: "disclosure-check train --out {dir}", AUDIENCES: "disclosure-check train-audiences --out {dir}",
           SECTOR: "disclosure-check train-sector --out {dir}"}


@dataclass(frozen=True)
class ModelSet:
    """The models one Scorer uses. ``audiences`` None: scoring without the audience model, said so
    in ``version`` (only built in code, e.g. ``ModelSet(bundle)``; a set directory needs both)."""

    sentence: ModelBundle
    audiences: AudienceInference | None = None
    audience_meta: dict = field(default_factory=dict)
    directory: str | None = None
    sector: SectorInference | None = None  # None: the sector is not detected (it may still be given)
    sector_meta: dict = field(default_factory=dict)

    @property
    def audience_version(self) -> str:
        return self.audience_meta.get("model_version", "") if self.audiences is not None else "audiences:none"

    @property
    def version(self) -> str:
        """Stored with every result: every part's version, e.g.
        'tfidf-logreg.v1+<h>/audiences.v1+<h>/sector.v6+<h>' (a set without a sector model: two parts)."""
        base = f"{self.sentence.version}/{self.audience_version}"
        return f"{base}/{self.sector_meta.get('model_version', '')}" if self.sector is not None else base


def default_model_dir() -> Path:
    """``$DISCLOSURE_CHECK_MODEL`` if set, else ``./models/default``, else the source checkout's."""
    from disclosure_check.settings import MODEL

    env = MODEL.value()
    if env:
        return Path(env)
    local = Path("models") / DEFAULT_SET
    if (local / SET_FILE).is_file():
        return local
    return repo_root() / "models" / DEFAULT_SET


def load_model_set(directory: str | Path | None = None) -> ModelSet:
    """Both models of the set in ``directory`` (default: ``default_model_dir()``), each checked
    against the manifest (meta.json hash, name, version, labels) and its own file hashes."""
    directory = Path(directory) if directory is not None else default_model_dir()
    manifest = _read_manifest(directory)
    metas = {role: _checked_meta(directory, role, manifest) for role in PARTS}
    sentence = load_model(directory / SENTENCE)
    if list(sentence.model.labels) != metas[SENTENCE].get("labels"):
        raise ModelError(f"the sentence model predicts {list(sentence.model.labels)} but its metadata lists "
                         f"{metas[SENTENCE].get('labels')}", where=str(directory / SENTENCE), fix=_retrain(directory, SENTENCE))
    loaded = load_audience_model(directory / AUDIENCES)
    if loaded is None:  # meta.json without model files
        raise ModelError("the audience model's files are missing", where=str(directory / AUDIENCES),
                         fix=_retrain(directory, AUDIENCES))
    audiences, audience_meta = loaded
    if metas[AUDIENCES].get("labels") != list(AUDIENCE_LABELS):
        raise ModelError(f"the audience model's labels {metas[AUDIENCES].get('labels')} are not this version's "
                         f"{list(AUDIENCE_LABELS)}", where=str(directory / AUDIENCES), fix=_retrain(directory, AUDIENCES))
    sector = inference_form(directory / SECTOR, SECTOR_NAME, metas[SECTOR],
                             lambda document, arrays: SectorInference.from_parts(document["model"], arrays))
    check_features(sector, str(directory / SECTOR), _retrain(directory, SECTOR))
    terms = sector_terms()["version"]
    if metas[SECTOR].get("sector_terms") != terms:  # same feature count, other words: a silently different model
        raise ModelError(f"the sector model was trained with the sector terms {metas[SECTOR].get('sector_terms')}, "
                         f"this code reads {terms}", where=str(directory / SECTOR), fix=_retrain(directory, SECTOR))
    return ModelSet(sentence, audiences, audience_meta, str(directory), sector, metas[SECTOR])


def write_manifest(directory: str | Path) -> dict:
    """(Re)write ``modelset.json`` from the parts present in ``directory``; returns it. A missing
    part is left out, and loading the set then says how to train it."""
    directory = Path(directory)
    parts = {}
    for role in PARTS:
        path = directory / role / META_FILE
        if not path.is_file():
            continue
        data = path.read_bytes()
        meta = json.loads(data)
        parts[role] = {"name": meta.get("name"), "model_version": meta.get("model_version"),
                       "labels": meta.get("labels"), "meta_sha256": hashlib.sha256(data).hexdigest()}
    manifest = {"format": SET_FORMAT, "parts": parts}
    if len(parts) == len(PARTS):
        manifest["version"] = "/".join(parts[role]["model_version"] for role in PARTS)
    with writing(directory):  # a full disk or a folder that cannot be written: one coded error
        (directory / SET_FILE).write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


def _read_manifest(directory: Path) -> dict:
    where = str(directory)
    path = directory / SET_FILE
    if not path.is_file():
        if (directory / META_FILE).is_file():
            raise ModelError("this is a single model directory, not a model set", where=where,
                             fix=f"give a model set directory such as models/{DEFAULT_SET} (with {SET_FILE}, "
                                 f"{SENTENCE}/ and {AUDIENCES}/)")
        if not directory.is_dir():
            raise ModelError("no such model directory", where=where,
                             fix=f"check the path; the bundled model set is models/{DEFAULT_SET}")
        raise ModelError("no model set here", where=where,
                         fix=f"run `disclosure-check train --out {directory}` and `disclosure-check train-audiences "
                             f"--out {directory}`, or set --model / DISCLOSURE_CHECK_MODEL")
    try:
        manifest = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"{SET_FILE} unreadable ({exc})", where=where, fix=_retrain(directory, SENTENCE)) from None
    if not isinstance(manifest, dict) or manifest.get("format") != SET_FORMAT or not isinstance(manifest.get("parts"), dict):
        raise ModelError(f"{SET_FILE} is not a format {SET_FORMAT} model set manifest", where=where,
                         fix=_retrain(directory, SENTENCE))
    return manifest


def _checked_meta(directory: Path, role: str, manifest: dict) -> dict:
    """The part's metadata after checking it is the one the manifest names."""
    where = str(directory / role)
    path = directory / role / META_FILE
    part = manifest["parts"].get(role)
    if part is None or not path.is_file():
        raise ModelError(f"the {role} model is missing from the set", where=where, fix=_retrain(directory, role))
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != part.get("meta_sha256"):
        raise ModelError(f"the {role} model is not the one {SET_FILE} names (its {META_FILE} changed)", where=where,
                         fix=_retrain(directory, role) + " (it rewrites the manifest), or restore the set")
    meta = json.loads(data)
    expected = PART_NAMES[role]
    if meta.get("name") != expected or not str(meta.get("model_version", "")).startswith(expected + "+"):
        raise ModelError(f"the {role} part is {meta.get('name')!r} ({meta.get('model_version')!r}), expected a "
                         f"{expected!r} model", where=where, fix=_retrain(directory, role))
    if meta.get("model_version") != part.get("model_version") or meta.get("labels") != part.get("labels"):
        raise ModelError(f"the {role} model's version or labels differ from {SET_FILE}", where=where,
                         fix=_retrain(directory, role))
    return meta


def _retrain(directory: Path, role: str) -> str:
    return "run `" + RETRAIN[role].format(dir=directory) + "`"
