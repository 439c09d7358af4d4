"""The rule classifier: rubric patterns compiled into spaCy Matcher and PhraseMatcher.

Named ``rules.v1``. A sentence supports an element when one of the element's patterns matches
and none of its ``exclude`` patterns does. Cue groups (``planned``, ``negative``, ``vague``) are
matched too: they set evidence status and are features of the trained model. Every hit records
the pattern id, so a reviewer sees which rule fired.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from disclosure_check.errors import RubricError
from disclosure_check.read.segment import sentence_pipeline
from disclosure_check.rubric import Pattern, Rubric
from disclosure_check.types import Evidence, Sentence

NAME = "rules.v1"


@dataclass(frozen=True)
class RuleHit:
    element: str
    pattern: str
    score: float
    matched: str  # the matched words, for the explanation


@dataclass(frozen=True)
class LevelHit:
    """A criterion, gate-check or recommendation pattern that matched, with the level it supports."""

    target: str  # criterion id, "gate:<check id>" or "letter:<item id>"
    pattern: str
    level: int
    matched: str


@dataclass(frozen=True)
class RuleMatches:
    """Everything the rules found in one sentence."""

    hits: dict[str, RuleHit] = field(default_factory=dict)  # element -> best hit, after exclusions
    excluded: frozenset[str] = frozenset()  # elements whose exclusion patterns matched
    cues: dict[str, str] = field(default_factory=dict)  # cue group -> first pattern id that matched
    levels: dict[str, LevelHit] = field(default_factory=dict)  # target -> highest-level hit

    @property
    def flags(self) -> tuple[str, ...]:
        """Feature names for the model: ``element``, ``!element`` (excluded), ``cue:group``."""
        return tuple(sorted(self.hits)) + tuple(f"!{e}" for e in sorted(self.excluded)) + tuple(
            f"cue:{c}" for c in sorted(self.cues))


def flag_vocabulary(rubric: Rubric) -> tuple[str, ...]:
    """Every flag ``RuleMatches.flags`` can produce under this rubric, in a fixed order."""
    ids = rubric.element_ids
    return ids + tuple(f"!{e}" for e in ids) + tuple(f"cue:{c}" for c in sorted(rubric.cues))


class RuleClassifier:
    """Compiled rubric patterns. Build once per rubric; ``match`` is safe to call repeatedly."""

    name = NAME

    def __init__(self, rubric: Rubric) -> None:
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
                    self._add(f"{kind}|{element.id}|{pattern.id}", pattern, f"element '{element.id}'")
        for group, patterns in rubric.cues.items():
            for pattern in patterns:
                self._add(f"cue|{group}|{pattern.id}", pattern, f"cue group '{group}'")
        self._levels: dict[str, int] = {}
        targets = [(c.id, c.patterns, f"criterion '{c.id}'") for c in rubric.criteria]
        targets += [(f"gate:{g.id}", g.patterns, f"gate check '{g.id}'") for g in rubric.gate]
        targets += [(f"letter:{a.id}", a.patterns, f"letter item '{a.id}'")
                    for a in rubric.letter.scopes + rubric.letter.recommendations]
        for target, patterns, owner in targets:
            for pattern in patterns:
                key = f"level|{target}|{pattern.id}"
                self._levels[key] = pattern.level or 1
                self._add(key, pattern, owner)

    def _add(self, key: str, pattern: Pattern, owner: str) -> None:
        from spacy.errors import MatchPatternError

        self._scores[key] = pattern.score
        if pattern.max_words:
            self._max_words[key] = pattern.max_words
        if pattern.phrases:
            self._phrases.add(key, [self._tokenizer(p.lower()) for p in pattern.phrases])
            return
        try:
            self._matcher.add(key, [list(pattern.tokens)])
        except (MatchPatternError, ValueError, TypeError) as exc:
            raise RubricError(
                f"{owner} pattern '{pattern.id}' is not a valid spaCy token pattern: {str(exc).strip()}",
                where=self.rubric.key,
                fix="see https://spacy.io/usage/rule-based-matching#adding-patterns-attributes",
            ) from None

    def _raw(self, doc) -> list[tuple[str, int, int]]:
        """(pattern key, start, end) of every match in a tokenized sentence, in text order."""
        strings = self._tokenizer.vocab.strings
        found = []
        for match_id, start, end in sorted(list(self._matcher(doc)) + list(self._phrases(doc)),
                                           key=lambda m: (m[1], m[2])):
            key = strings[match_id]
            if key in self._max_words and len(doc) > self._max_words[key]:
                continue
            found.append((key, start, end))
        return found

    def pattern_matches(self, texts: Sequence[str]) -> list[list[tuple[str, str, str, str]]]:
        """For each text, every pattern that fires as (kind, owner, pattern id, matched words), before
        exclusions and level ranking: what a per-pattern precision review needs."""
        out = []
        for doc in self._tokenizer.pipe(texts, batch_size=256):
            out.append([(*key.split("|", 2), doc[start:end].text) for key, start, end in self._raw(doc)])
        return out

    def match(self, texts: Sequence[str]) -> list[RuleMatches]:
        out: list[RuleMatches] = []
        for doc in self._tokenizer.pipe(texts, batch_size=256):
            best: dict[str, RuleHit] = {}
            excluded: set[str] = set()
            cues: dict[str, str] = {}
            levels: dict[str, LevelHit] = {}
            for key, start, end in self._raw(doc):
                kind, owner, pattern = key.split("|", 2)
                if kind == "level":
                    level = self._levels[key]
                    if owner not in levels or level > levels[owner].level:
                        levels[owner] = LevelHit(owner, pattern, level, doc[start:end].text)
                elif kind == "exclude":
                    excluded.add(owner)
                elif kind == "cue":
                    cues.setdefault(owner, pattern)
                else:
                    score = self._scores[key]
                    if owner not in best or score > best[owner].score:
                        best[owner] = RuleHit(owner, pattern, score, doc[start:end].text)
            out.append(RuleMatches({e: h for e, h in best.items() if e not in excluded}, frozenset(excluded), cues,
                                   levels))
        return out

    def check_examples(self) -> list[str]:
        """Problems with the rubric's own examples: a pattern that no longer matches its example
        sentences, or an element whose rules accept one of its near misses. Empty when all hold."""
        problems = []
        groups = [("include", e.id, e.patterns) for e in self.rubric.elements]
        groups += [("exclude", e.id, e.exclude) for e in self.rubric.elements]
        groups += [("cue", name, patterns) for name, patterns in self.rubric.cues.items()]
        groups += [("level", c.id, c.patterns) for c in self.rubric.criteria]
        groups += [("level", f"gate:{g.id}", g.patterns) for g in self.rubric.gate]
        groups += [("level", f"letter:{a.id}", a.patterns) for a in self.rubric.letter.scopes + self.rubric.letter.recommendations]
        for kind, owner, patterns in groups:
            for pattern in patterns:
                key = f"{kind}|{owner}|{pattern.id}"
                for example in pattern.examples:
                    if key not in {k for k, _, _ in self._raw(self._tokenizer(example))}:
                        problems.append(f"pattern '{pattern.id}' does not match its example: {example[:90]!r}")
        for element in self.rubric.elements:
            for sentence, matches in zip(element.near_misses, self.match(element.near_misses), strict=True):
                if element.id in matches.hits:
                    problems.append(f"element '{element.id}' accepts its near miss: {sentence[:90]!r}")
        return problems

    def hits(self, texts: Sequence[str]) -> list[dict[str, RuleHit]]:
        """For each text, the best hit per element (after exclusions)."""
        return [m.hits for m in self.match(texts)]

    def evidence(self, sentences: Sequence[Sentence], matches: Sequence[RuleMatches] | None = None
                 ) -> list[Evidence]:
        """Evidence records for the rule hits on ``sentences`` (matched here unless given)."""
        from disclosure_check.classify.status import evidence_status

        if matches is None:
            matches = self.match([s.text for s in sentences])
        return [
            Evidence(element=hit.element, sentence_index=sentence.index, text=sentence.text, page=sentence.page,
                     classifier=self.name, score=hit.score, detail=f"rule {hit.pattern} matched '{hit.matched}'",
                     status=evidence_status(m), boxes=sentence.boxes, ocr=sentence.ocr)
            for sentence, m in zip(sentences, matches, strict=True) for hit in m.hits.values()
        ]
