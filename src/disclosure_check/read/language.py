"""What language a text is in, and whether a PDF's text layer is text at all.

English is recognised from its function words (spaCy's English stop words make up a third or
more of running English, and little of any other language), which costs nothing. Other text goes
to py3langid (langid.py's naive Bayes over byte n-grams, 97 languages), loaded only then, so an
English statement never pays its start-up. A text layer is garbage (a bad OCR layer, a font
without a Unicode map) when few of its words are words: the share of its longer words found in an
English word list drawn from the real statements in corpus/ (scripts/build_lexicon.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import lzma
import os
import re
import tempfile
import time
import unicodedata
import zipfile
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

_WORD = re.compile(r"[^\W\d_]+")
SCORED_LANGUAGES = frozenset({"en"})  # the classifiers are trained on English statements
_NAMES = {
    "en": "English", "fr": "French", "de": "German", "it": "Italian", "es": "Spanish", "pt": "Portuguese",
    "nl": "Dutch", "da": "Danish", "sv": "Swedish", "no": "Norwegian", "nb": "Norwegian", "fi": "Finnish",
    "pl": "Polish", "cs": "Czech", "sk": "Slovak", "hu": "Hungarian", "ro": "Romanian", "el": "Greek",
    "tr": "Turkish", "ru": "Russian", "uk": "Ukrainian", "bg": "Bulgarian", "hr": "Croatian", "sl": "Slovenian",
    "lt": "Lithuanian", "lv": "Latvian", "et": "Estonian", "ar": "Arabic", "he": "Hebrew", "fa": "Persian",
    "hi": "Hindi", "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "id": "Indonesian", "ms": "Malay",
    "th": "Thai", "vi": "Vietnamese", "ga": "Irish", "cy": "Welsh", "la": "Latin",
}


def language_name(code: str) -> str:
    return _NAMES.get(code, code)
MIN_WORDS = 12  # below this a text is too short to tell its language
# Running prose is a third or more its language's function words, a list of headings or a table row 0.1-0.2
# ("Déclaration relative à l'esclavage moderne Exercice 2019 Politique Fournisseurs ..." 0.12); a block of
# names, addresses and registry numbers about 0. The threshold sits between the two.
MIN_STOP_WORD_SHARE = 0.1
# Chinese, Japanese, Thai, Lao, Khmer and Burmese are written without spaces between words: a run of
# characters is one "word" and spaCy's stop words (separate words) never match, so these are told by
# their characters, not by words or function words.
UNSPACED_LANGUAGES = frozenset({"zh", "ja", "th", "lo", "km", "my"})
_UNSPACED_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0eff\u1780-\u17ff"
                            r"\u1000-\u109f]")
MIN_UNSPACED_CHARS = 40  # about a dozen words' worth: as much text as MIN_WORDS in a spaced script
GOOD_WORD_SHARE = 0.7  # real English pages score 0.8-0.98 (names and figures pull it down); bad OCR less


@lru_cache(maxsize=1)
def _english_stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    text = resources.files("disclosure_check").joinpath("lexicons/en.txt").read_text(encoding="utf-8")
    return frozenset(text.split())


CACHE_OFF = "DISCLOSURE_CHECK_NO_CACHE"  # set (to anything but "" or "0") to keep no cache on disk
STALE_PART_S = 600  # seconds: a temporary copy this old was left by a writer that was killed
_BAD_COPY = (ValueError, KeyError, EOFError, zipfile.BadZipFile, MemoryError)  # what np.load raises on a bad file
log = logging.getLogger(__name__)


class _BadCopy(ValueError):
    """The cached copy holds a model that is not the one it was made from, or not a whole one."""


@lru_cache(maxsize=1)
def _langid():
    """py3langid's identifier, read from the decompressed copy of its model in the user's cache when
    there is one (about 0.05 CPU s instead of 0.4: the model ships LZMA-compressed, 4.5 MB that inflate to
    68 MB on every load), else from the package's own file, leaving the copy for the next process."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    source = MODEL_DIR / MODEL_FILE
    model = None
    # no cache (a read-only home, a full disk, a py3langid of another layout): as before
    with contextlib.suppress(OSError, ImportError):
        model = _cached_model(source)
    if model is None:
        return LanguageIdentifier.from_model_file(MODEL_FILE)
    ptc, pc, classes, nextmove, row, output = model
    return LanguageIdentifier(np.asarray(ptc), np.asarray(pc), classes, nextmove, output, tk_row=row)


def cache_folder() -> Path | None:
    """The project's folder in the user's cache: ``$XDG_CACHE_HOME/disclosure_check`` when that is an
    absolute path (the XDG spec ignores a relative one), else ~/.cache/disclosure_check; None when
    ``DISCLOSURE_CHECK_NO_CACHE`` is set."""
    if os.environ.get(CACHE_OFF, "") not in ("", "0"):
        return None
    base = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "disclosure_check"


def _source_digest(source: Path) -> str:
    return hashlib.sha256(source.read_bytes()).hexdigest()


def langid_cache_path(source: Path, digest: str | None = None) -> Path | None:
    """Where the decompressed copy of py3langid's model ``source`` is kept (see ``cache_folder``),
    named after a hash of the file's content, so an upgraded py3langid gets a copy of its own; None
    when the cache is off."""
    folder = cache_folder()
    if folder is None:
        return None
    return folder / _copy_name(digest or _source_digest(source))


def _copy_name(digest: str) -> str:
    return f"py3langid-{digest[:16]}.npz"


def _cached_model(source: Path) -> tuple | None:
    """py3langid's ``modelio.load_model(source)``, the same six values, read from the decompressed
    copy (written here first when it is missing or bad: to a temporary name, then renamed, so a
    process never reads half a file); None when the cache is off."""
    folder = cache_folder()
    if folder is None:
        return None
    digest = _source_digest(source)
    cached = folder / _copy_name(digest)
    if cached.exists():
        try:
            return _read_copy(cached, digest)
        except (*_BAD_COPY, _BadCopy) as err:
            log.warning("The cached copy of the language model %s cannot be used (%s: %s); writing it again.",
                        cached, type(err).__name__, err)
            cached.unlink(missing_ok=True)
    _write_copy(source, cached, digest)
    _remove_stale(cached)
    return _read_copy(cached, digest)


def _write_copy(source: Path, cached: Path, digest: str) -> None:
    cached.parent.mkdir(parents=True, exist_ok=True)
    with lzma.open(source) as inflated, np.load(io.BytesIO(inflated.read()), allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    arrays["source_sha256"] = np.array(digest)
    with tempfile.NamedTemporaryFile(dir=cached.parent, prefix=cached.name, suffix=".part", delete=False) as out:
        try:
            np.savez(out, **arrays)
        except BaseException:
            out.close()
            os.unlink(out.name)
            raise
    os.replace(out.name, cached)


def _read_copy(cached: Path, digest: str) -> tuple:
    from py3langid.modelio import _to_array

    with np.load(cached, allow_pickle=False) as data:
        if str(data["source_sha256"]) != digest:
            raise _BadCopy(f"made from another model file than {digest[:16]}")
        ptc, pc, classes = data["ptc"], data["pc"], data["classes"]
        nextmove, row, out_feat = data["nextmove"], data["nextmove_row"], data["out_feat"]
    if not (ptc.ndim == 2 and pc.ndim == classes.ndim == nextmove.ndim == row.ndim == out_feat.ndim == 1
            and ptc.shape[1] == len(pc) == len(classes) and nextmove.size % 256 == 0 and len(row) == len(out_feat)
            and ptc.dtype == np.float16 and pc.dtype == np.float32 and classes.dtype.kind == "U"
            and nextmove.dtype.kind == row.dtype.kind == "u" and out_feat.dtype == np.int32
            and (not len(row) or int(row.max()) < nextmove.size // 256)):
        raise _BadCopy("arrays of inconsistent shapes or types")
    return ptc, pc, classes.tolist(), _to_array(nextmove), _to_array(row), out_feat.tolist()


def _remove_stale(cached: Path) -> None:
    """Other copies of the model (an older py3langid's) and temporary files left by killed writers."""
    now = time.time()
    for other in cached.parent.glob("py3langid-*"):
        with contextlib.suppress(FileNotFoundError):
            if other.name.endswith(".part"):
                if now - other.stat().st_mtime > STALE_PART_S:
                    other.unlink()
            elif other.suffix == ".npz" and other != cached:
                other.unlink()


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def english_share(tokens: list[str]) -> float:
    stop = _english_stop_words()
    return sum(1 for t in tokens if t in stop) / len(tokens) if tokens else 0.0


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when there is too little text to tell (few
    words, or few of the named language's own function words: spaCy's stop words)."""
    tokens = words(text)
    unspaced = len(_UNSPACED_CHAR.findall(text[:20000]))
    if len(tokens) < MIN_WORDS and unspaced < MIN_UNSPACED_CHARS:
        return None
    if english_share(tokens) >= 0.2:
        return "en"
    code, _score = _langid().classify(text[:20000])
    if code in UNSPACED_LANGUAGES:
        # no spaces, so no function words to count: enough of the script's own characters tells it
        return code if unspaced >= MIN_UNSPACED_CHARS else None
    if code == "zxx" or len(tokens) < MIN_WORDS or _stop_word_share(tokens, code) < MIN_STOP_WORD_SHARE:
        # names, addresses and registry numbers ("Hapimag AG | Sumpfstrasse 18 | 6312 Steinhausen |
        # Handelsregister Kanton Zug ..." under an English signing line): no running text in any language
        return None
    return code


def word_share(text: str) -> float | None:
    """Share of the text's words of three letters or more that are English words (None when the
    text has fewer than 15 of them)."""
    return _english_share(text, min_letters=3, min_words=15)


def readable_share(text: str) -> float | None:
    """Share of the text's words (two letters or more) that are English words; None under four words.
    Tells words OCR read from a page from shapes it took for letters (a pattern of stars: "KK Ke")."""
    return _english_share(text, min_letters=2, min_words=4)


def _english_share(text: str, *, min_letters: int, min_words: int) -> float | None:
    tokens = [t for t in words(text) if len(t) >= min_letters]
    if len(tokens) < min_words:
        return None
    lexicon = english_words()
    stop = _english_stop_words()
    return sum(1 for t in tokens if t in lexicon or t in stop) / len(tokens)


def is_garbage(text: str, *, hidden: bool = False) -> bool:
    """A text layer that reads as noise: mostly unprintable or private-use characters, or few real
    words.

    A hidden layer (``hidden``: the invisible text OCR software lays over a scan) is garbage when
    under 70% of its words are English words, unless it is another language (recognised by that
    language's own function words: spaCy's stop words for the language py3langid names). Visible
    text set in real fonts is trusted more: only when the identifier finds no language in it at all."""
    distinct = set(text)  # each distinct character looked at once, counted only when it matters
    visible = len(text) - sum(text.count(ch) for ch in distinct if ch.isspace())
    if not visible:
        return False
    odd = sum(text.count(ch) for ch in distinct if not ch.isspace() and (
        unicodedata.category(ch) in ("Co", "Cn", "Cc", "Cs") or ch == "\ufffd"))
    if odd > 0.3 * visible or _scrambled(distinct, visible, text):
        return True
    share = word_share(text)
    if share is None or share >= GOOD_WORD_SHARE:
        return False
    code, _score = _langid().classify(text[:20000])
    if not hidden:
        return share < 0.3 and code == "zxx"
    return code in ("en", "zxx") or _stop_word_share(words(text), code) < 0.15


def _scrambled(distinct: set[str], visible: int, text: str) -> bool:
    """A font whose codes map to the wrong characters (a Type 3 font without a usable Unicode map):
    under 60% of the marks are letters or digits and hardly any word has four letters
    ("#(*$7 :S P*5%&#%$, #ST P*5(7,&"). Real pages, tables of figures included, score 0.78 or more."""
    if visible < 40 or sum(text.count(ch) for ch in distinct if ch.isalnum()) >= 0.6 * visible:
        return False
    tokens = words(text)
    return sum(1 for t in tokens if len(t) >= 4) < 0.1 * len(tokens) if tokens else True


def _stop_word_share(tokens: list[str], code: str) -> float:
    try:
        module = __import__(f"spacy.lang.{code}.stop_words", fromlist=["STOP_WORDS"])
    except ImportError:
        return 1.0  # spaCy has no word list for this language: trust the identifier
    stop = module.STOP_WORDS
    return sum(1 for t in tokens if t in stop) / len(tokens) if tokens else 0.0
