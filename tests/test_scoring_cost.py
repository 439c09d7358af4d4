"""Work that scoring no longer repeats, with the same results."""

from __future__ import annotations

import unicodedata

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
