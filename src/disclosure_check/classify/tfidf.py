"""TF-IDF features without scikit-learn: the ``transform`` of a fitted ``TfidfVectorizer``, redone
from its vocabulary, idf weights and settings.

Importing scikit-learn costs about a second, which scoring one file from a cold start cannot
afford; training still fits with scikit-learn and ``tfidf_from_sklearn`` copies what it learned.
Every step follows scikit-learn 1.9's own code (analyzers, counting, sublinear tf, idf, l2 norm,
dtype), so the output is the same matrix; tests hold the two to it on the whole labelled corpus.
Only the settings our models use are supported: anything else is refused at export, never
approximated.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from disclosure_check.classify.sparse import sparse

ANALYZERS = ("word", "char_wb")
WHITE_SPACES = re.compile(r"\s\s+")
DTYPES = ("float32", "float64")
WORD_CACHE = 100_000  # words whose char_wb columns are kept (about 25 MB at most)


@dataclass(frozen=True, eq=False)
class Tfidf:
    """A fitted TF-IDF vectorizer as data: feature ``i`` is ``terms[i]``, weighted by ``idf[i]``."""

    analyzer: str  # "word" (token n-grams) or "char_wb" (character n-grams inside words)
    ngram_range: tuple[int, int]
    token_pattern: str | None  # used by the word analyzer only
    lowercase: bool
    strip_accents: bool  # scikit-learn's strip_accents="unicode"
    sublinear_tf: bool
    l2_norm: bool
    dtype: str  # "float32" or "float64", as the fitted vectorizer's output
    terms: tuple[str, ...]
    idf: np.ndarray

    def __post_init__(self) -> None:
        if self.analyzer not in ANALYZERS:
            raise ValueError(f"unsupported analyzer {self.analyzer!r} (supported: {', '.join(ANALYZERS)})")
        if self.dtype not in DTYPES:
            raise ValueError(f"unsupported dtype {self.dtype!r} (supported: {', '.join(DTYPES)})")
        if self.idf.shape != (len(self.terms),):
            raise ValueError(f"{len(self.terms)} terms but idf has shape {self.idf.shape}")

    @cached_property
    def vocabulary(self) -> dict[str, int]:
        return {term: i for i, term in enumerate(self.terms)}

    def settings(self) -> dict:
        """Everything but the arrays, as JSON-ready values (``terms`` included)."""
        return {"analyzer": self.analyzer, "ngram_range": list(self.ngram_range), "token_pattern": self.token_pattern,
                "lowercase": self.lowercase, "strip_accents": self.strip_accents, "sublinear_tf": self.sublinear_tf,
                "l2_norm": self.l2_norm, "dtype": self.dtype, "terms": list(self.terms)}

    @classmethod
    def from_settings(cls, settings: dict, idf: np.ndarray) -> Tfidf:
        return cls(analyzer=settings["analyzer"], ngram_range=tuple(settings["ngram_range"]),
                   token_pattern=settings["token_pattern"], lowercase=settings["lowercase"],
                   strip_accents=settings["strip_accents"], sublinear_tf=settings["sublinear_tf"],
                   l2_norm=settings["l2_norm"], dtype=settings["dtype"], terms=tuple(settings["terms"]), idf=idf)

    def analyzer_function(self) -> Callable[[str], list[str]]:
        """Text to the terms it contains, repeats included (scikit-learn's ``build_analyzer``)."""
        lowercase, accents = self.lowercase, self.strip_accents
        low, high = self.ngram_range

        def preprocess(text: str) -> str:
            if lowercase:
                text = text.lower()
            return strip_accents_unicode(text) if accents else text

        if self.analyzer == "char_wb":
            return lambda text: char_wb_ngrams(preprocess(text), low, high)
        tokenize = re.compile(self.token_pattern).findall
        return lambda text: word_ngrams(tokenize(preprocess(text)), low, high)

    @cached_property
    def _word_columns(self) -> dict[str, tuple[int, ...]]:
        """char_wb: a word's n-grams depend on the word alone, and words repeat across sentences and
        documents, so each word's known columns are looked up once (the cache is bounded)."""
        return {}

    def known_columns(self, text: str, analyze: Callable[[str], list[str]] | None = None) -> list[int]:
        """The column of every term of ``text`` that is in the vocabulary, repeats included, in the
        order ``analyze`` (``analyzer_function()``) gives them."""
        vocabulary = self.vocabulary
        if self.analyzer != "char_wb":
            analyze = analyze or self.analyzer_function()
            return [c for c in map(vocabulary.get, analyze(text)) if c is not None]
        if self.lowercase:
            text = text.lower()
        if self.strip_accents:
            text = strip_accents_unicode(text)
        low, high = self.ngram_range
        cache = self._word_columns
        if len(cache) > WORD_CACHE:
            cache.clear()
        columns: list[int] = []
        for word in WHITE_SPACES.sub(" ", text).split():
            known = cache.get(word)
            if known is None:
                # a tuple of ints: the garbage collector stops tracking it, so a full cache costs collections nothing
                known = cache[word] = tuple(c for c in map(vocabulary.get, char_wb_ngrams(word, low, high)) if c is not None)
            columns += known
        return columns

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """The TF-IDF matrix of ``texts``: one row each, one column per term, rows of unit length."""
        analyze = self.analyzer_function()
        columns: list[int] = []  # every known term of every text
        lengths = []
        for text in texts:
            known = self.known_columns(text, analyze)
            columns += known
            lengths.append(len(known))
        n_rows, n_terms = len(texts), len(self.terms)
        rows = np.repeat(np.arange(n_rows, dtype=np.int64), lengths)
        cols = np.asarray(columns, dtype=np.int64)
        # Counting (row, column) pairs by sorting them also leaves each row's columns in order.
        pairs, counts = np.unique(rows * n_terms + cols, return_counts=True)
        indptr = np.searchsorted(pairs, np.arange(n_rows + 1, dtype=np.int64) * n_terms)
        X = sparse.csr_matrix((counts.astype(np.intc), (pairs % n_terms).astype(np.int32), indptr.astype(np.int32)),
                              shape=(n_rows, n_terms), dtype=self.dtype)
        if self.sublinear_tf:
            np.log(X.data, X.data)
            X.data += 1.0
        X.data *= self.idf[X.indices]
        if self.l2_norm:
            normalize_rows_l2(X)
        return X


def strip_accents_unicode(text: str) -> str:
    """Decompose accented characters and drop the combining marks (ASCII text is returned as is).

    Character by character, through a table kept between calls: a character's decomposition is its
    own, and the one step NFKD takes across characters, putting combining marks in order, cannot
    change what is left once they are dropped. (The character loop of the whole text was a tenth of
    model classification: curly quotes and dashes make most sentences of a PDF non-ASCII.)"""
    if text.isascii():
        return text
    table = _STRIPPED
    for c in [c for c in set(text) if ord(c) not in table]:  # characters met for the first time
        table[ord(c)] = "".join(d for d in unicodedata.normalize("NFKD", c) if not unicodedata.combining(d))
    return text.translate(table)


# ord(character) -> what strip_accents_unicode makes of it (every character seen so far; bounded by
# the characters that occur in text, a few thousand at most in practice).
_STRIPPED: dict[int, str] = {}


def word_ngrams(tokens: list[str], low: int, high: int) -> list[str]:
    """Token n-grams joined by a space, all ``low``-grams first, then the longer ones in turn."""
    if high == 1:
        return tokens
    out = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        out.extend(" ".join(tokens[i: i + n]) for i in range(len(tokens) - n + 1))
    return out


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """Character n-grams of each whitespace-separated word padded with a space on either side; a
    word no longer than ``n`` gives itself once (scikit-learn's ``_char_wb_ngrams``, loop and all:
    it is the fastest form measured)."""
    out: list[str] = []
    append = out.append
    for word in WHITE_SPACES.sub(" ", text).split():
        word = f" {word} "
        length = len(word)
        for n in range(low, high + 1):
            offset = 0
            append(word[:n])
            while offset + n < length:
                offset += 1
                append(word[offset: offset + n])
            if offset == 0:
                break
    return out


def normalize_rows_l2(X: sparse.csr_matrix) -> None:
    """Scale each row to unit length in place, as scikit-learn's Cython loop does: squares in the
    data's dtype, summed in order in double precision, each value divided in double precision."""
    squares = (X.data * X.data).astype(np.float64)
    norms = np.ones(X.shape[0], dtype=np.float64)
    for row, (start, end) in enumerate(zip(X.indptr[:-1], X.indptr[1:], strict=True)):
        if end > start:
            total = np.add.accumulate(squares[start:end])[-1]  # in order, not numpy's pairwise sum
            if total != 0.0:
                norms[row] = np.sqrt(total)
    X.data[:] = X.data.astype(np.float64) / np.repeat(norms, np.diff(X.indptr))


def tfidf_from_sklearn(vectorizer) -> Tfidf:
    """The fitted scikit-learn ``TfidfVectorizer``'s transform as data (read by attribute: no import).

    Raises ValueError naming the setting that this module does not reproduce."""
    unsupported = {
        "input": ("content",), "preprocessor": (None,), "tokenizer": (None,), "analyzer": ANALYZERS,
        "stop_words": (None,), "strip_accents": (None, "unicode"), "binary": (False,), "use_idf": (True,),
        "norm": ("l2", None),
    }
    for name, allowed in unsupported.items():
        value = getattr(vectorizer, name)
        if value not in allowed:
            raise ValueError(f"TfidfVectorizer setting {name}={value!r} is not supported (supported: {allowed})")
    if vectorizer.analyzer == "word" and re.compile(vectorizer.token_pattern).groups > 1:
        raise ValueError("token_pattern with more than one group is not supported")
    vocabulary = vectorizer.vocabulary_
    terms = [""] * len(vocabulary)
    for term, i in vocabulary.items():
        terms[i] = term
    return Tfidf(analyzer=vectorizer.analyzer, ngram_range=tuple(vectorizer.ngram_range),
                 token_pattern=vectorizer.token_pattern, lowercase=bool(vectorizer.lowercase),
                 strip_accents=vectorizer.strip_accents == "unicode", sublinear_tf=bool(vectorizer.sublinear_tf),
                 l2_norm=vectorizer.norm == "l2", dtype=np.dtype(vectorizer.dtype).name, terms=tuple(terms),
                 idf=np.asarray(vectorizer.idf_))
