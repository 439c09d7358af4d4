"""What a sentence's wording allows it to support, whatever pattern or model found it (issue 21).

A line cut from its sentence by a line or page break ("escalated and reported to the board of
directors.") is no claim a reader can check, and an action item or a commitment ("Develop an action
plan and pre-departure training ...", "Managers ... are responsible for ensuring ...") is a plan:
neither shows the systematic practice a level-3 or level-4 descriptor names. The words that tell them
apart are the rubric's (``Rubric.wording``). Pure: no I/O, no third-party imports.
"""

from __future__ import annotations

import re
from dataclasses import replace

from disclosure_check.rubric import Wording
from disclosure_check.types import CriterionEvidence

# List markers and stray quote marks around a line ("• Ensure that ...", "... training. •").
_EDGE = "•●▪■◦‣∙·○□➢➤►▸–—-*\"'“”‘’ \t\n"
_SENTENCE_END = (".", "!", "?", ";", ")", "”", "’", '"', "'", "]")
_WORDS = re.compile(r"[^\W\d_][\w'’\-]*")
_MIN_WORDS = 3  # the fewest words a quote has (pipeline.MIN_SENTENCE_WORDS)
# A list item's letter or numeral: "a) We audit ...", "(ii) All suppliers ...", "3. Our ..."
_LIST_MARK = re.compile(r"^\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})[.)][ \t]+")
# A brand written in lower case that opens a sentence: "eBay", "easyJet", "iPhone"
_LOWER_BRAND = re.compile(r"[a-z]+[A-Z]")
_LAST_TOKEN = re.compile(r"([\w'’\-%]+)\W*$")


def cut_from_sentence(wording: Wording, text: str) -> bool:
    """Whether ``text`` is a piece of a sentence rather than a sentence: it starts with a lower-case
    letter ("long-term relationships and increase our leverage with certain suppliers."), or it ends
    without a sentence's end on one of the rubric's ``cut_endings`` ("... supplier performance and",
    "... especially in the"). A line ending on a noun without a full stop ("Joined the 'Find it, Fix it,
    Prevent it' investor collaboration") is a list item or a heading, not a cut."""
    stripped = _LIST_MARK.sub("", text.strip(_EDGE))
    words = _WORDS.findall(stripped)
    if len(words) < _MIN_WORDS:
        return False  # a label or a placeholder, not a line of running text
    if stripped[0].islower():
        return not _LOWER_BRAND.match(stripped)
    if stripped.endswith(_SENTENCE_END):
        return False
    # the last word as written: "... in 2019" and "... in May" end on a figure and a name, not on "in" or "may"
    return _LAST_TOKEN.search(stripped).group(1) in wording.cut_endings


def _opener_is_a_subject(wording: Wording, words: list[str]) -> bool:
    """A finite verb soon after the opener makes it a noun or an adjective of the subject ("Review meetings
    are held ...", "Complete supply chain mapping was carried out"), and a participle right after it a noun
    followed by a reduced relative ("Work carried out in 2019 included ..."): the sentence reports, it does
    not instruct (the rubric's ``subject_verbs`` and ``subject_participles``)."""
    return (len(words) > 1 and words[1] in wording.subject_participles) or any(
        w in wording.subject_verbs for w in words[1:5])


def plan_wording(wording: Wording, text: str) -> bool:
    """Whether ``text`` is worded as an action item or a commitment: it opens with one of the
    rubric's ``plan_openers`` (an imperative: "Explore how we can embed worker voice ...") not followed
    by a word that makes it a noun ("Review of ..."), or it holds one of its ``plan_phrases``."""
    opening = _LIST_MARK.sub("", text.strip(_EDGE))[:200]  # "2. Develop ...", "b) Explore ..."
    words = [w.lower() for w in _WORDS.findall(opening)]
    # "Further, we audit ...": an opener before a comma is an adverb or a heading, not an imperative
    if words and words[0] in wording.plan_openers and opening[:1].isupper() and (
            len(words) < 2 or words[1] not in wording.not_after_opener) and \
            not re.match(r"[^\W\d_][\w'’\-]*[ \t]*,", opening) and not _opener_is_a_subject(wording, words):
        return True
    lowered = " ".join(_WORDS.findall(text.lower()))
    return any(re.search(rf"\b{re.escape(p)}\b", lowered) for p in wording.plan_phrases)


def bound_by_wording(wording: Wording, item: CriterionEvidence, cut_cap: int | None) -> CriterionEvidence:
    """``item`` as its wording allows: an implemented sentence worded as a plan is planned, and a
    piece of a sentence supports the ``cut_cap`` level at most (no cap when None)."""
    if item.status == "implemented" and plan_wording(wording, item.text):
        item = replace(item, status="planned")
    if cut_cap is not None and item.level > cut_cap and item.status != "negative" \
            and cut_from_sentence(wording, item.text):
        item = replace(item, level=cut_cap)
    return item
