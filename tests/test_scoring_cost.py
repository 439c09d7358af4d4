"""Work that scoring no longer repeats, with the same results."""

from __future__ import annotations

import unicodedata

import pytest

from disclosure_check.classify.tfidf import strip_accents_unicode


def nfkd_without_marks(text: str) -> str:
    """scikit-learn's strip_accents_unicode, the definition the model was trained with."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def test_accents_are_stripped_as_the_model_was_trained():
    texts = ["Société Générale’s “modern slavery” statement — 2023", "Nestlé ﬁnancial year ½ Ⅳ ｆｕｌｌ",
             "a\u0323\u0301 e\u0301\u0323 ḉ Å Ω ẛ̣", "한국어 ㄱ", "plain ascii", "x\u0308\u0301", "Ǆ ﬃ ™ ²"]
    for text in texts + texts[::-1]:  # the second time round from the kept table
        assert strip_accents_unicode(text) == nfkd_without_marks(text)



def test_warm_up_leaves_the_language_model_to_the_first_page_that_needs_it(scorer):
    """py3langid's model costs 0.4 CPU s to load, and a plainly English statement never asks for it:
    loading it before workers fork would add that to nearly every short run (measured)."""
    from disclosure_check.read.language import _langid
    from disclosure_check.run.warm import warm_up

    _langid.cache_clear()
    warm_up(scorer)
    assert _langid.cache_info().currsize == 0


LANGUAGE_SAMPLES = ["Le présent rapport décrit les mesures prises par la société pour prévenir l'esclavage moderne.",
                    "Der Bericht beschreibt die Maßnahmen des Unternehmens gegen moderne Sklaverei.",
                    "This statement sets out the steps taken to prevent modern slavery in our supply chains.",
                    "12 345 67 890 ...", ""]


def test_the_language_model_is_read_from_a_decompressed_copy_after_its_first_load(tmp_path, monkeypatch):
    """py3langid's model ships LZMA-compressed and took 0.4 CPU s to inflate in every process that
    met a page not plainly English; the inflated copy in the user's cache is read in about 0.04 s,
    and the identifier built from it is py3langid's own, value for value."""
    import lzma

    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
    from py3langid.modelio import load_model

    from disclosure_check.read import language

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    reference = LanguageIdentifier.from_model_file(MODEL_FILE)
    language._langid.cache_clear()
    try:
        first = language._langid()
        cached = language.langid_cache_path(MODEL_DIR / MODEL_FILE)
        assert cached.parent == tmp_path / "disclosure_check" and cached.exists()
        assert not list(cached.parent.glob("*.part"))
        for ours, theirs in zip(language._cached_model(MODEL_DIR / MODEL_FILE), load_model(MODEL_DIR / MODEL_FILE),
                                strict=True):
            assert type(ours) is type(theirs)
            assert (ours == theirs).all() if hasattr(ours, "shape") else ours == theirs
        language._langid.cache_clear()

        def no_inflating(*args, **kwargs):
            raise AssertionError("the model was inflated again")

        monkeypatch.setattr(lzma, "open", no_inflating)
        second = language._langid()
        for text in LANGUAGE_SAMPLES:
            assert first.classify(text) == second.classify(text) == reference.classify(text)
    finally:
        language._langid.cache_clear()


def test_without_a_writable_cache_the_language_model_loads_as_before(tmp_path, monkeypatch):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from disclosure_check.read import language

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    reference = LanguageIdentifier.from_model_file(MODEL_FILE)
    language._langid.cache_clear()
    try:
        identifier = language._langid()
        assert [identifier.classify(t) for t in LANGUAGE_SAMPLES] == [reference.classify(t) for t in LANGUAGE_SAMPLES]
        assert not list(tmp_path.rglob("*.npz")) and not list(tmp_path.rglob("*.part"))
    finally:
        language._langid.cache_clear()


def _fresh_copy(tmp_path, monkeypatch):
    """A good cached copy in a cache folder of its own, and its path."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    from disclosure_check.read import language

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    language._langid.cache_clear()
    language._langid()
    language._langid.cache_clear()
    return language.langid_cache_path(MODEL_DIR / MODEL_FILE)


def _huge_header(path):
    import io
    import zipfile

    from numpy.lib import format as npy

    with zipfile.ZipFile(path, "w") as bomb:
        header = io.BytesIO()
        npy.write_array_header_1_0(header, {"descr": "<f2", "fortran_order": False, "shape": (10**7, 10**6)})
        bomb.writestr("ptc.npy", header.getvalue() + b"\0" * 100)
        bomb.writestr("source_sha256.npy", header.getvalue() + b"\0" * 100)


def _planted(path):
    import numpy as np

    with open(path, "wb") as out:  # a whole, valid model of two languages that py3langid never shipped
        np.savez(out, ptc=np.zeros((3, 2), np.float16), pc=np.zeros(2, np.float32), classes=np.array(["en", "fr"]),
                 nextmove=np.zeros(256, np.uint16), nextmove_row=np.zeros(1, np.uint16),
                 out_feat=np.array([0], np.int32))


def _flipped(path):
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # a CRC error in the middle of the zip
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["truncated", "empty", "crc", "huge_header", "planted", "wrong_source"])
def test_a_bad_cached_copy_of_the_language_model_is_written_again_once(tmp_path, monkeypatch, caplog, damage):
    """A cut-off, empty or corrupt copy, one whose header claims an array of terabytes, a valid model
    that py3langid never shipped, or a copy of another model file: each would have cost every later
    run the 0.4 s inflation (or a MemoryError, or wrong languages). It is written again, once, with
    one warning, and the identifier is py3langid's own."""
    import logging
    import lzma

    import numpy as np
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from disclosure_check.read import language

    cached = _fresh_copy(tmp_path, monkeypatch)
    if damage == "truncated":
        with open(cached, "r+b") as out:
            out.truncate(1_000_000)
    elif damage == "empty":
        cached.write_bytes(b"")
    elif damage == "crc":
        _flipped(cached)
    elif damage == "huge_header":
        _huge_header(cached)
    elif damage == "planted":
        _planted(cached)
    else:
        with np.load(cached) as data:
            arrays = {key: data[key] for key in data.files}
        arrays["source_sha256"] = np.array("0" * 64)
        with open(cached, "wb") as out:
            np.savez(out, **arrays)
    reference = LanguageIdentifier.from_model_file(MODEL_FILE)
    try:
        with caplog.at_level(logging.WARNING, logger="disclosure_check.read.language"):
            identifier = language._langid()
        assert [identifier.classify(t) for t in LANGUAGE_SAMPLES] == [reference.classify(t) for t in LANGUAGE_SAMPLES]
        assert len([r for r in caplog.records if "cannot be used" in r.getMessage()]) == 1
        language._langid.cache_clear()

        def no_inflating(*args, **kwargs):
            raise AssertionError("the model was inflated again")

        monkeypatch.setattr(lzma, "open", no_inflating)
        language._langid()  # the copy written again is good
    finally:
        language._langid.cache_clear()


def test_writing_the_copy_clears_what_killed_writers_and_older_models_left(tmp_path, monkeypatch):
    import os
    import time

    from disclosure_check.read import language

    folder = tmp_path / "disclosure_check"
    folder.mkdir()
    old_part, new_part = folder / "py3langid-abc.npzxyz.part", folder / "py3langid-abc.npzuvw.part"
    older_model = folder / "py3langid-0123456789abcdef.npz"
    for path in (old_part, new_part, older_model):
        path.write_bytes(b"x" * 1000)
    hour_ago = time.time() - 3600
    os.utime(old_part, (hour_ago, hour_ago))
    cached = _fresh_copy(tmp_path, monkeypatch)
    assert sorted(p.name for p in folder.iterdir()) == sorted([cached.name, new_part.name])
    language._langid.cache_clear()


def test_the_cache_can_be_turned_off_and_a_relative_cache_home_is_ignored(tmp_path, monkeypatch):
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    from disclosure_check.read import language

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")  # the XDG spec: a relative path is invalid, ignore it
    assert language.cache_folder() == tmp_path / "home" / ".cache" / "disclosure_check"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("DISCLOSURE_CHECK_NO_CACHE", "1")
    language._langid.cache_clear()
    try:
        assert language.langid_cache_path(MODEL_DIR / MODEL_FILE) is None
        assert language._langid().classify(LANGUAGE_SAMPLES[0])[0] == "fr"
        assert not list(tmp_path.rglob("*.npz")) and not (tmp_path / "relative").exists()
    finally:
        language._langid.cache_clear()


def test_the_tests_keep_out_of_the_users_cache():
    import os
    from pathlib import Path

    assert Path(os.environ["XDG_CACHE_HOME"]).name == "xdg_cache"
