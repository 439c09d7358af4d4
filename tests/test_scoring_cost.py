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
