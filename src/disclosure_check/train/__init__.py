"""The models' making and measuring: labelled corpora, training the sentence and audience models
with grouped cross-validation, evaluation, reviewed examples, per-pattern evidence precision, and the
rendered sample PDFs tests and benchmarks use."""

from disclosure_check.faces import face

# The names other packages may use, and the module each lives in (imported when first used).
_FACE = {
    "train": "sentences",
    "train_audiences": "audiences",
    "evaluate_file": "evaluate",
    "read_labelled": "corpus",
    "store_to_examples": "reviewed",
    "write_examples": "reviewed",
    "read_examples": "reviewed",
    "measure": "precision",
    "read_reviews": "precision",
}
__all__ = sorted(_FACE)
__getattr__ = face(__name__, _FACE)
