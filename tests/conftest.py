from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
PDF_SAMPLES = Path(__file__).parent / "fixtures" / "pdf_samples"
AIMS = ROOT / "corpus" / "aims"

# The real-world PDFs that cannot be scored, and why (see fixtures/pdf_samples/README.md).
BAD_PDFS = {
    "005-libreoffice-writer-password_libreoffice-writer-password.pdf": "DC102",  # encrypted
    "007-imagemagick-images_imagemagick-images.pdf": "DC104",  # images only
}


def sample_source(name: str) -> dict:
    return json.loads((SAMPLES / f"{name}.source.json").read_text())


@pytest.fixture(scope="session")
def rubric():
    from disclosure_check.rubric import load_rubric

    return load_rubric()


MODELS = ROOT / "models" / "default"  # the shipped model set


@pytest.fixture(scope="session")
def models():
    from disclosure_check.classify.modelset import load_model_set

    return load_model_set(MODELS)


@pytest.fixture(scope="session")
def bundle(models):
    """The shipped sentence model."""
    return models.sentence


@pytest.fixture(scope="session")
def scorer(rubric, models):
    from disclosure_check.pipeline import Scorer

    return Scorer(rubric, models)


@pytest.fixture(scope="session")
def documents():
    """Every rendered sample, extracted once."""
    from disclosure_check.extract import pdf_to_document

    return {pdf.stem: pdf_to_document(pdf) for pdf in sorted(SAMPLES.glob("*.pdf"))}


@pytest.fixture
def mixed_folder(tmp_path: Path) -> Path:
    """Three real statements among the real-world bad PDFs and some broken files."""
    folder = tmp_path / "inbox"
    (folder / "nested").mkdir(parents=True)
    for name in ("lloyds_banking_group_2018", "lv_2018", "bluebay_asset_management_2019"):
        shutil.copy(SAMPLES / f"{name}.pdf", folder / f"{name}.pdf")
    for pdf in PDF_SAMPLES.glob("*.pdf"):
        shutil.copy(pdf, folder / "nested" / pdf.name)
    (folder / "empty.pdf").write_bytes(b"")
    data = (SAMPLES / "travelers_europe_2018.pdf").read_bytes()
    (folder / "truncated.pdf").write_bytes(data[: len(data) // 3])
    (folder / "not_really.pdf").write_text("This is a text file with a .pdf name.\n")
    return folder
