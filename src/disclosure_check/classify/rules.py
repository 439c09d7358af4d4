"""The rule classifier: rubric patterns compiled into spaCy Matcher and PhraseMatcher.

Named ``rules.v1``. A sentence supports an element when one of the element's patterns matches
and none of its ``exclude`` patterns does. Every hit records the pattern id, so a reviewer sees
which rule fired.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import RubricError
from ..rubric import Rubric
from ..segment import sentence_pipeline
from ..types import Evidence, Sentence

NAME = "rules.v1"


@dataclass(frozen=True)
class RuleHit:
    element: str
    pattern: str
    score: float
    matched: str  # the matched words, for the explanation


class RuleClassifier:
    """Compiled rubric patterns. Build once per rubric; ``hits`` is safe to call repeatedly."""

    name = NAME

    def __init__(self, rubric: Rubric) -> None:
        from spacy.errors import MatchPatternError
        from spacy.matcher import Matcher, PhraseMatcher

        self.rubric = rubric
        nlp = sentence_pipeline()
        self._tokenizer = nlp.tokenizer
        self._matcher = Matcher(nlp.vocab, validate=True)
        self._phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._scores: dict[str, float] = {}
        self._max_words: dict[str, int] = {}
        for element in rubric.elements:
            for kind, patterns in (("include", element.patterns), ("exclude", element.exclude)):
                for pattern in patterns:
                    key = f"{kind}|{element.id}|{pattern.id}"
                    self._scores[key] = pattern.score
                    if pattern.max_words:
                        self._max_words[key] = pattern.max_words
                    if pattern.phrases:
                        self._phrases.add(key, [self._tokenizer(p.lower()) for p in pattern.phrases])
                        continue
                    try:
                        self._matcher.add(key, [list(pattern.tokens)])
                    except (MatchPatternError, ValueError, TypeError) as exc:
                        raise RubricError(
                            f"element '{element.id}' pattern '{pattern.id}' is not a valid spaCy "
                            f"token pattern: {str(exc).strip()}",
                            where=rubric.key,
                            fix="see https://spacy.io/usage/rule-based-matching#adding-patterns-attributes",
                        ) from None

    def hits(self, texts: Sequence[str]) -> list[dict[str, RuleHit]]:
        """For each text, the best hit per element (after exclusions)."""
        out: list[dict[str, RuleHit]] = []
        vocab_strings = self._tokenizer.vocab.strings
        for doc in self._tokenizer.pipe(texts, batch_size=256):
            best: dict[str, RuleHit] = {}
            excluded: set[str] = set()
            for match_id, start, end in list(self._matcher(doc)) + list(self._phrases(doc)):
                key = vocab_strings[match_id]
                kind, element, pattern = key.split("|", 2)
                if key in self._max_words and len(doc) > self._max_words[key]:
                    continue
                if kind == "exclude":
                    excluded.add(element)
                    continue
                score = self._scores[key]
                if element not in best or score > best[element].score:
                    best[element] = RuleHit(element, pattern, score, doc[start:end].text)
            out.append({e: h for e, h in best.items() if e not in excluded})
        return out

    def evidence(self, sentences: Sequence[Sentence], hits: Sequence[dict[str, RuleHit]] | None = None
                 ) -> list[Evidence]:
        """Evidence records for the rule hits on ``sentences`` (computed here unless given)."""
        if hits is None:
            hits = self.hits([s.text for s in sentences])
        return [
            Evidence(element=hit.element, sentence_index=sentence.index, text=sentence.text, page=sentence.page,
                     classifier=self.name, score=hit.score, detail=f"rule {hit.pattern} matched '{hit.matched}'")
            for sentence, sentence_hits in zip(sentences, hits, strict=True) for hit in sentence_hits.values()
        ]
