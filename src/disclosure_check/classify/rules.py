"""The rule classifier: rubric patterns compiled into spaCy Matcher and PhraseMatcher.

Named ``rules.v1``. A sentence supports an element when one of the element's patterns matches
and none of its ``exclude`` patterns does. Cue groups (``planned``, ``negative``, ``vague``) are
matched too: they set evidence status and are features of the trained model. Every hit records
the pattern id, so a reviewer sees which rule fired.
"""

from __future__ import annotations

from collections.abc import Sequence

from disclosure_check.classify.gaps import GapMatcher, supports
from disclosure_check.classify.matches import LevelHit, RuleHit, RuleMatches, evidence_status
from disclosure_check.errors import RubricError
from disclosure_check.read.segment import sentence_pipeline
from disclosure_check.rubric import PatternRule, Rubric, needed_level, unless_met
from disclosure_check.types import Evidence, Sentence

NAME = "rules.v1"


def flag_vocabulary(rubric: Rubric) -> tuple[str, ...]:
    """Every flag ``RuleMatches.flags`` can produce under this rubric, in a fixed order."""
    ids = rubric.element_ids
    return ids + tuple(f"!{e}" for e in ids) + tuple(f"cue:{c}" for c in sorted(rubric.cues))


def required_words(tokens) -> tuple[frozenset[str], ...]:
    """The word sets a token pattern cannot match without: one per token that must be there (no
    optional or negated operator) and is pinned by ``LOWER`` (a word, or ``IN`` a list). A sentence
    lacking a word from any set cannot match, whatever the rest of the pattern says."""
    needed = []
    for token in tokens:
        op = str(token.get("OP", "1"))
        if op in ("?", "*", "!") or op.startswith("{0") or op.startswith("{,"):
            continue
        lower = token.get("LOWER")
        if isinstance(lower, str):
            needed.append(frozenset({lower}))
        elif isinstance(lower, dict) and set(lower) == {"IN"} and lower["IN"]:
            needed.append(frozenset(str(w) for w in lower["IN"]))
    return tuple(needed)


class RuleClassifier:
    """Compiled rubric patterns. Build once per rubric; ``match`` is safe to call repeatedly."""

    name = NAME

    def __init__(self, rubric: Rubric) -> None:
        nlp = sentence_pipeline()  # first: it imports spaCy without its command-line interface
        from spacy.attrs import LOWER
        from spacy.matcher import Matcher, PhraseMatcher

        self.rubric = rubric
        self._tokenizer = nlp.tokenizer
        self._new_matcher = lambda: Matcher(nlp.vocab, validate=True)
        self._matcher = self._new_matcher()  # patterns every sentence is matched against
        # Patterns with words they cannot match without, each in its own matcher, run only on a
        # sentence that holds those words: a pattern with wide gaps ({0,14} tokens) multiplies the
        # matcher's states on every token, and most sentences hold none of its words.
        # (The words are kept as the vocabulary's hashes: a sentence's are read in one array, not
        # by making a Token object of each of its words.)
        self._guarded: list[tuple[tuple[frozenset[int], ...], object]] = []
        self._lower = LOWER
        self._phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._rules: dict[str, PatternRule] = {}  # the matcher's label -> the pattern's record
        self._planned_cap = rubric.role_level("planned_cap") if rubric.criteria else 1
        for rule in rubric.pattern_rules():
            self._add(rule)

    def _add(self, rule: PatternRule) -> None:
        from spacy.errors import MatchPatternError

        self._rules[rule.key] = rule
        pattern = rule.pattern
        if pattern.phrases:
            self._phrases.add(rule.key, [self._tokenizer(p.lower()) for p in pattern.phrases])
            return
        try:
            needed = required_words(pattern.tokens)
            if needed:
                matcher = self._new_matcher()
                matcher.add(rule.key, [list(pattern.tokens)])  # spaCy validates it either way
                if supports(pattern.tokens):  # gaps: matched without spaCy's walk of every way through them
                    matcher = GapMatcher(self._tokenizer.vocab, rule.key, pattern.tokens)
                strings = self._tokenizer.vocab.strings
                self._guarded.append((tuple(frozenset(strings[w] for w in group) for group in needed), matcher))
            else:
                self._matcher.add(rule.key, [list(pattern.tokens)])
        except (MatchPatternError, ValueError, TypeError) as exc:
            raise RubricError(
                f"{rule.where} pattern '{pattern.id}' is not a valid spaCy token pattern: {str(exc).strip()}",
                where=self.rubric.key,
                fix="see https://spacy.io/usage/rule-based-matching#adding-patterns-attributes",
            ) from None

    def _raw(self, doc) -> list[tuple[PatternRule, int, int]]:
        """(pattern, start, end) of every match in a tokenized sentence, in text order."""
        strings = self._tokenizer.vocab.strings
        matches = list(self._phrases(doc)) + (list(self._matcher(doc)) if len(self._matcher) else [])
        if self._guarded:
            words = set(doc.to_array(self._lower).tolist())
            for needed, matcher in self._guarded:
                if all(not words.isdisjoint(group) for group in needed):
                    matches += matcher(doc)
        found = []
        for match_id, start, end in sorted(matches, key=lambda m: (m[1], m[2])):
            rule = self._rules[strings[match_id]]
            if rule.pattern.max_words and len(doc) > rule.pattern.max_words:
                continue
            found.append((rule, start, end))
        return found

    @property
    def planned_cap(self) -> int:
        """The highest level a planned sentence (or one without what its pattern needs) supports."""
        return self._planned_cap

    def pattern_level(self, rule: PatternRule, text: str) -> int:
        """The level a level pattern's hit supports in ``text``: none under its ``unless``, lower (or
        none) without what it ``needs``."""
        pattern = rule.pattern
        if unless_met(pattern.unless, text):
            return 0
        return needed_level(pattern.level or 1, pattern.needs, text, self._planned_cap, pattern.lacking)

    def pattern_matches(self, texts: Sequence[str]) -> list[list[tuple[PatternRule, str]]]:
        """For each text, every pattern that fires with the words it matched, before exclusions and
        level ranking: what a per-pattern precision review needs."""
        return [[(rule, doc[start:end].text) for rule, start, end in self._raw(doc)]
                for doc in self._tokenizer.pipe(texts, batch_size=256)]

    def match(self, texts: Sequence[str]) -> list[RuleMatches]:
        out: list[RuleMatches] = []
        for doc in self._tokenizer.pipe(texts, batch_size=256):
            best: dict[str, RuleHit] = {}
            excluded: set[str] = set()
            cues: dict[str, str] = {}
            levels: dict = {}
            for rule, start, end in self._raw(doc):
                pattern, owner = rule.pattern, rule.owner
                if rule.target is not None:
                    level = self.pattern_level(rule, doc.text)
                    if not level:
                        continue  # a pattern at the planned cap without what it needs ("ESG factors", no finance named);
                        # one above it is capped there instead ("KYC" without slavery named: level 1)
                    if rule.target not in levels or level > levels[rule.target].level:
                        levels[rule.target] = LevelHit(rule.target, pattern.id, level, doc[start:end].text)
                elif rule.kind == "exclude":
                    excluded.add(owner)
                elif rule.kind == "cue":
                    cues.setdefault(owner, pattern.id)
                elif owner not in best or pattern.score > best[owner].score:
                    best[owner] = RuleHit(owner, pattern.id, pattern.score, doc[start:end].text)
            out.append(RuleMatches({e: h for e, h in best.items() if e not in excluded}, frozenset(excluded), cues,
                                   levels))
        return out

    def check_examples(self) -> list[str]:
        """Problems with the rubric's own examples: a pattern that no longer matches its example
        sentences, a level pattern whose example lacks what it ``needs`` (so supports less than its
        level) or whose ``below_level`` sentence reaches it, or an element whose rules accept one of its
        near misses. Empty when all hold."""
        problems = []
        for rule in self.rubric.pattern_rules():
            pattern = rule.pattern
            for example in pattern.examples + pattern.below_level:
                if rule.key not in {r.key for r, _, _ in self._raw(self._tokenizer(example))}:
                    problems.append(f"pattern '{pattern.id}' does not match its example: {example[:90]!r}")
                    continue
                if pattern.level is None:
                    continue
                level = self.pattern_level(rule, example)
                if example in pattern.examples and level < pattern.level:
                    problems.append(f"pattern '{pattern.id}' gives its example level {level}, not {pattern.level}, "
                                    f"as it lacks what the pattern needs (move it to 'below_level', or change "
                                    f"'needs'): {example[:90]!r}")
                elif example in pattern.below_level and level >= pattern.level:
                    problems.append(f"pattern '{pattern.id}' gives its below_level sentence level {level}: it "
                                    f"holds what the pattern needs (move it to 'examples'): {example[:90]!r}")
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
        if matches is None:
            matches = self.match([s.text for s in sentences])
        return [
            Evidence(element=hit.element, sentence_index=sentence.index, text=sentence.text, page=sentence.page,
                     classifier=self.name, score=hit.score, detail=f"rule {hit.pattern} matched '{hit.matched}'",
                     status=evidence_status(m), boxes=sentence.boxes, ocr=sentence.ocr)
            for sentence, m in zip(sentences, matches, strict=True) for hit in m.hits.values()
        ]
