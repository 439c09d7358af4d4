"""Evidence precision per pattern: sample real hits, read reviewed verdicts back, measure.

Every level pattern (criteria and letter items) and every flag pattern (cue groups and element
``exclude`` patterns, except the statutory gate's approval and signature) is reviewed on a seeded
sample of the real UK sentences it fires on. A reviewed hit is keyed by pattern id, statement id and
sentence hash, so it stays attached to its pattern when the YAML is edited; each row also records
the pattern's fingerprint (its wording, target and level) when it was last checked, so an edited
pattern whose sample was not redrawn is visible, and hits a pattern no longer produces are stale.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import random
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from disclosure_check.errors import DataError, RubricError
from disclosure_check.files import write_csv
from disclosure_check.read.segment import sentence_hash
from disclosure_check.rubric import Pattern, PatternRule, Rubric

COLUMNS = ("round", "pattern_id", "target", "level", "fingerprint", "statement_id", "sentence_hash", "sentence",
           "matched", "verdict", "reason")
VERDICTS = ("right", "wrong", "none")  # "none": the pattern fired on no sentence of the corpus
PATTERN_FLOOR = 0.70  # a pattern below this precision is fixed or dropped
FEW = 5  # fewer reviewed hits than this: flagged, the figure is too uncertain to trust
GATE_ELEMENTS = ("approval", "signature")
DROPPED = "dropped:"  # target prefix of reviews whose pattern was removed from the rubric  # their patterns belong to the statutory gate's review


@dataclass(frozen=True)
class ReviewedPattern:
    """A pattern under review: ``target`` is a criterion id, ``letter:<id>``, ``cue:<group>`` or
    ``exclude:<element>``; ``level`` only for level patterns."""

    id: str
    target: str
    level: int | None
    fingerprint: str

    @property
    def kind(self) -> str:
        return "flag" if self.target.startswith(("cue:", "exclude:")) else "level"


@dataclass(frozen=True)
class Hit:
    pattern_id: str
    target: str
    level: int | None
    statement_id: str
    sentence: str
    matched: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.pattern_id, self.statement_id, review_hash(self.sentence))


@dataclass(frozen=True)
class Review:
    """One row of a review file: a hit, the pattern fingerprint it was checked against, the verdict."""

    round: int
    pattern_id: str
    target: str
    level: int | None
    fingerprint: str
    statement_id: str
    sentence: str
    matched: str
    verdict: str  # right, wrong, none, or "" while not yet reviewed
    reason: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.pattern_id, self.statement_id, review_hash(self.sentence))


@dataclass(frozen=True)
class Precision:
    """Reviewed hits of one pattern, target or the whole rubric."""

    name: str
    reviewed: int
    right: int

    @property
    def precision(self) -> float | None:
        return self.right / self.reviewed if self.reviewed else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson(self.right, self.reviewed) if self.reviewed else None


@dataclass(frozen=True)
class PatternPrecision(Precision):
    target: str = ""
    level: int | None = None
    stale: int = 0  # reviewed hits this pattern no longer produces
    unsampled: bool = False  # edited since its sample was drawn: run sample-hits and review
    fired: bool = True  # False when the sampling found no hit in the corpus

    @property
    def flag(self) -> str:
        """Why this pattern needs attention: "" when it does not."""
        if self.unsampled:
            return "EDITED: resample"
        if not self.fired:
            return "no hits in corpus"
        if self.reviewed and self.precision < PATTERN_FLOOR:
            return "LOW"
        if self.reviewed < FEW:
            return f"FEW (<{FEW})"
        return ""


@dataclass(frozen=True)
class PrecisionReport:
    patterns: tuple[PatternPrecision, ...]
    targets: tuple[Precision, ...]
    overall: Precision
    stale: tuple[Review, ...]

    def failures(self, min_overall: float) -> list[str]:
        """What keeps this rubric's reviewed sample from meeting the thresholds."""
        problems = []
        if self.overall.precision is None or self.overall.precision < min_overall:
            problems.append(f"overall precision {_fmt(self.overall.precision)} is below {min_overall:.2f}")
        for p in self.patterns:
            if p.unsampled:
                problems.append(f"pattern '{p.name}' was edited after its sample was drawn")
            elif p.fired and not p.reviewed:
                problems.append(f"pattern '{p.name}' has no reviewed hits")
            elif p.reviewed and p.precision < PATTERN_FLOOR:
                problems.append(f"pattern '{p.name}' precision {p.precision:.2f} is below {PATTERN_FLOOR:.2f}")
        return problems


def review_hash(sentence: str) -> str:
    """The one sentence hash (``read.segment.sentence_hash``) of the sentence with its whitespace
    normalised, so a review keeps matching its hit when a line break moves."""
    return sentence_hash(" ".join(sentence.split()))


def _legacy_hash(sentence: str) -> str:
    """How review files written before the one sentence hash named a sentence (accepted on reading)."""
    return hashlib.sha1(" ".join(sentence.split()).encode("utf-8")).hexdigest()[:12]


def wilson(right: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval for ``right`` successes in ``n``."""
    p = right / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _fingerprint(pattern: Pattern, target: str) -> str:
    data = {"target": target, "level": pattern.level, "phrases": sorted(p.lower() for p in pattern.phrases),
            "tokens": pattern.tokens, "max_words": pattern.max_words}
    return hashlib.sha1(json.dumps(data, sort_keys=True).encode()).hexdigest()[:10]


def review_target(rule: PatternRule) -> str | None:
    """The review file's ``target`` of a pattern whose hits are reviewed here: a criterion id,
    ``letter:<id>``, ``cue:<group>`` or ``exclude:<element>``; None for the patterns reviewed elsewhere
    (elements' own include patterns, measured against AIMS labels; the statutory gate's patterns and
    the approval and signature exclusions, reviewed with the gate)."""
    if rule.target is not None:
        return {"criterion": rule.owner, "letter": f"letter:{rule.owner}"}.get(rule.target.kind)
    if rule.kind == "cue":
        return f"cue:{rule.owner}"
    if rule.kind == "exclude" and rule.owner not in GATE_ELEMENTS:
        return f"exclude:{rule.owner}"
    return None


def reviewed_patterns(rubric: Rubric) -> dict[str, ReviewedPattern]:
    """The patterns whose hits are reviewed, by id: criterion and letter level patterns, cue groups
    and element exclusions (the gate's own patterns and approval/signature are reviewed elsewhere)."""
    out: dict[str, ReviewedPattern] = {}
    for rule in rubric.pattern_rules():
        target = review_target(rule)
        if target is None:
            continue
        pattern = rule.pattern
        if pattern.id in out:
            raise RubricError(f"pattern id '{pattern.id}' is used twice ({out[pattern.id].target} and {target})",
                              where=rubric.key, fix="give every pattern its own id: reviews are keyed by it")
        level = (pattern.level or 1) if rule.kind == "level" else None
        out[pattern.id] = ReviewedPattern(pattern.id, target, level, _fingerprint(pattern, target))
    return out


class HitFinder:
    """Every reviewed pattern that fires on a sentence, with the words it matched."""

    def __init__(self, rubric: Rubric) -> None:
        from disclosure_check.classify.rules import RuleClassifier

        self.patterns = reviewed_patterns(rubric)
        self._rules = RuleClassifier(rubric)
        self._rubric = rubric
        self._cut_cap = rubric.optional_role_level("cut_cap") if rubric.criteria else None

    def _counted_level(self, rule: PatternRule, sentence: str, status: str) -> int:
        """The level the scorer counts a criterion pattern's hit at in this sentence: the pattern's own
        level as its ``unless`` and ``needs`` allow (``RuleClassifier.pattern_level``), bounded by the
        sentence's wording (``bound_by_wording``: a plan, a piece of a sentence) and its status
        (``supported_level``: the planned cap, nothing for a negative claim), as maturity scoring does."""
        from disclosure_check.assess.maturity import supported_level
        from disclosure_check.assess.wording import bound_by_wording
        from disclosure_check.types import CriterionEvidence

        item = CriterionEvidence(rule.owner, self._rules.pattern_level(rule, sentence), status, sentence, 0, 0, ())
        return supported_level(bound_by_wording(self._rubric.wording, item, self._cut_cap), self._rules.planned_cap)

    def hits(self, statement_id: str, sentences: Sequence[str]) -> list[Hit]:
        from disclosure_check.classify.matches import RuleMatches, evidence_status

        out = []
        for sentence, found in zip(sentences, self._rules.pattern_matches(sentences), strict=True):
            # the sentence's status from the cue patterns among the same matches (as RuleClassifier.match
            # gathers them), so the sentences are not tokenized and matched a second time
            cues: dict[str, str] = {}
            for rule, _ in found:
                if rule.kind == "cue":
                    cues.setdefault(rule.owner, rule.pattern.id)
            status = evidence_status(RuleMatches(cues=cues))
            seen = set()
            for rule, matched in found:
                target = review_target(rule)
                pattern_id = rule.pattern.id
                if target is None or pattern_id not in self.patterns or pattern_id in seen:
                    continue
                if rule.target is not None and self._counted_level(rule, sentence, status) < (rule.pattern.level or 1):
                    # the scorer does not count it at the pattern's level here: not a hit at that level to review
                    # (issue 21: a review judges what is counted, so plans and pieces capped lower are left out)
                    continue
                seen.add(pattern_id)
                pattern = self.patterns[pattern_id]
                out.append(Hit(pattern_id, target, pattern.level, statement_id, sentence, matched))
        return out

    def fires(self, pattern_id: str, sentence: str) -> bool:
        return any(h.pattern_id == pattern_id for h in self.hits("", [sentence]))


def statement_sentences(text: str) -> list[str]:
    """A plain statement text (lines as paragraphs) segmented with the project's sentence splitter."""
    from disclosure_check.read.segment import texts_to_sentences

    return [s.text for s in texts_to_sentences([line for line in text.split("\n") if line.strip()])]


def read_statements(path: str | Path) -> list[tuple[str, str]]:
    """(id, text) of each statement in a CSV with ``id`` and ``text`` columns (corpus/uk_texts)."""
    path = Path(path)
    if not path.is_file():
        raise DataError("statement texts not found", where=str(path), fix="pass the uk_statement_texts.csv path")
    csv.field_size_limit(1 << 28)
    with path.open(newline="", encoding="utf-8") as handle, _reading_csv(path):
        reader = csv.DictReader(handle)
        if not {"id", "text"} <= set(reader.fieldnames or ()):
            raise DataError("missing column 'id' or 'text'", where=str(path), fix="use corpus/uk_texts format")
        rows = list(reader)
    return [(row["id"], row["text"] or "") for row in rows]


@contextmanager
def _reading_csv(path: Path) -> Iterator[None]:
    """A CSV that is not UTF-8 text, or not CSV, as a DataError naming it."""
    try:
        yield
    except UnicodeDecodeError:
        raise DataError("the file is not UTF-8 text (UTF-16, Latin-1, or not text at all?)", where=str(path),
                        fix="save it as 'CSV UTF-8'") from None
    except csv.Error as exc:
        raise DataError(f"the file is not valid CSV ({exc})", where=str(path), fix="save it again as CSV") from None


def find_hits(rubric: Rubric, statements: Iterable[tuple[str, str]]) -> list[Hit]:
    """All hits of the reviewed patterns on the statements' sentences."""
    finder = HitFinder(rubric)
    return [hit for sid, text in statements for hit in finder.hits(sid, statement_sentences(text))]


def sample_hits(hits: Sequence[Hit], per_pattern: int = 10, seed: int = 0,
                exclude: Iterable[tuple[str, str, str]] = (), have: dict[str, int] | None = None) -> list[Hit]:
    """Up to ``per_pattern`` hits per pattern (less ``have[pattern]`` already reviewed), one per
    statement while statements last, a distinct sentence each. Seeded per pattern, so a pattern's
    sample does not change when another pattern is edited."""
    excluded = set(exclude)
    have = have or {}
    by_pattern: dict[str, list[Hit]] = defaultdict(list)
    for hit in hits:
        by_pattern[hit.pattern_id].append(hit)
    chosen = []
    for pattern_id in sorted(by_pattern):
        want = per_pattern - have.get(pattern_id, 0)
        if want <= 0:
            continue
        rng = random.Random(f"{seed}:{pattern_id}")
        by_statement: dict[str, list[Hit]] = defaultdict(list)
        for hit in sorted(by_pattern[pattern_id], key=lambda h: (h.statement_id, h.sentence)):
            by_statement[hit.statement_id].append(hit)
        statements = sorted(by_statement)
        rng.shuffle(statements)
        for sid in statements:
            rng.shuffle(by_statement[sid])
        sentences: set[str] = set()
        picked: list[Hit] = []
        while len(picked) < want and any(by_statement.values()):  # round robin over statements
            for sid in statements:
                while by_statement[sid]:
                    hit = by_statement[sid].pop()
                    digest = review_hash(hit.sentence)
                    if hit.key not in excluded and digest not in sentences:
                        sentences.add(digest)
                        picked.append(hit)
                        break
                if len(picked) == want:
                    break
        chosen += picked
    return chosen


def read_reviews(path: str | Path, *, reviewed: bool = True) -> list[Review]:
    """Read and check a review file; ``reviewed=False`` allows rows still waiting for a verdict."""
    path = Path(path)
    if not path.is_file():
        raise DataError("review file not found", where=str(path), fix="run `disclosure-check rubric sample-hits`")
    with path.open(newline="", encoding="utf-8") as handle, _reading_csv(path):
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise DataError(f"missing column(s) {missing}", where=str(path), fix=f"the columns are {list(COLUMNS)}")
        rows = list(reader)
    out, seen = [], set()
    for number, row in enumerate(rows, start=2):
        where = f"{path}, line {number}"
        verdict = (row["verdict"] or "").strip().lower()
        if not verdict and reviewed:
            raise DataError(f"hit of '{row['pattern_id']}' has no verdict", where=where,
                            fix="mark it right or wrong with a reason")
        if verdict and verdict not in VERDICTS:
            raise DataError(f"verdict {row['verdict']!r} is not one of {list(VERDICTS)}", where=where,
                            fix="write right or wrong")
        if verdict in ("right", "wrong") and not (row["reason"] or "").strip():
            raise DataError("a verdict needs a short reason", where=where, fix="say why the hit is right or wrong")
        if (verdict == "none") != (not (row["sentence"] or "").strip()):
            raise DataError("verdict 'none' goes with an empty sentence, and only with one", where=where,
                            fix="'none' records a pattern with no hit in the corpus")
        try:
            round_ = int(row["round"])
            level = int(row["level"]) if (row["level"] or "").strip() else None
        except ValueError:
            raise DataError(f"round {row['round']!r} or level {row['level']!r} is not a whole number", where=where,
                            fix="write numbers like 1") from None
        if round_ < 1:
            raise DataError("round must be 1 or more", where=where, fix="number review rounds from 1")
        if row["sentence"] and row["sentence_hash"] not in (review_hash(row["sentence"]), _legacy_hash(row["sentence"])):
            raise DataError("sentence_hash does not match the sentence (edited by hand?)", where=where,
                            fix="restore the sentence as sampled; review hits, do not edit them")
        review = Review(round_, row["pattern_id"], row["target"], level, row["fingerprint"], row["statement_id"],
                        row["sentence"], row["matched"], verdict, (row["reason"] or "").strip())
        if (review.key, review.round) in seen:
            raise DataError(f"hit of '{review.pattern_id}' is listed twice", where=where, fix="delete the copy")
        seen.add((review.key, review.round))
        out.append(review)
    return out


def write_reviews(path: str | Path, reviews: Iterable[Review]) -> None:
    write_csv(path, COLUMNS, ([r.round, r.pattern_id, r.target, "" if r.level is None else r.level, r.fingerprint,
                               r.statement_id, review_hash(r.sentence) if r.sentence else "", r.sentence, r.matched,
                               r.verdict, r.reason]
                              for r in sorted(reviews, key=lambda r: (r.pattern_id, r.round, r.statement_id,
                                                                       r.sentence))))


@dataclass(frozen=True)
class Checked:
    current: tuple[Review, ...]  # verdicts that still hold for the current patterns
    stale: tuple[Review, ...]  # hits a pattern no longer produces (dropped, retargeted or narrowed)


def check_reviews(rubric: Rubric, reviews: Sequence[Review], finder: HitFinder | None = None) -> Checked:
    """Split reviews into current and stale by re-matching each reviewed sentence (fast: no corpus).

    A pattern id the rubric does not know is an error (another rubric's file, or a typo) unless
    resampling marked it dropped (target ``dropped:<target>``): then its reviews are stale."""
    finder = finder or HitFinder(rubric)
    current, stale = [], []
    for review in reviews:
        pattern = finder.patterns.get(review.pattern_id)
        if pattern is None:
            if not review.target.startswith(DROPPED):
                raise DataError(f"unknown pattern id '{review.pattern_id}' (round {review.round})", where=rubric.key,
                                fix="check the review file belongs to this rubric; after dropping a pattern, run "
                                    "`rubric sample-hits` to mark its reviews as dropped")
            stale.append(review)
        elif (review.target, review.level) != (pattern.target, pattern.level):
            stale.append(review)
        elif review.verdict == "none" or finder.fires(review.pattern_id, review.sentence):
            current.append(review)
        else:
            stale.append(review)
    return Checked(tuple(current), tuple(stale))


def measure(rubric: Rubric, reviews: Sequence[Review], finder: HitFinder | None = None) -> PrecisionReport:
    """Precision per pattern, per target and overall over the reviews that still hold."""
    finder = finder or HitFinder(rubric)
    checked = check_reviews(rubric, reviews, finder)
    by_pattern: dict[str, list[Review]] = defaultdict(list)
    for review in checked.current:
        by_pattern[review.pattern_id].append(review)
    stale_count: dict[str, int] = defaultdict(int)
    for review in checked.stale:
        stale_count[review.pattern_id] += 1
    patterns = []
    for pattern in finder.patterns.values():
        rows = by_pattern.get(pattern.id, [])
        judged = [r for r in rows if r.verdict in ("right", "wrong")]
        unsampled = bool(rows) and all(r.fingerprint != pattern.fingerprint for r in rows) or (
            not rows and stale_count.get(pattern.id, 0) > 0)
        fired = not any(r.verdict == "none" for r in rows if r.fingerprint == pattern.fingerprint)
        patterns.append(PatternPrecision(pattern.id, len(judged), sum(r.verdict == "right" for r in judged),
                                         target=pattern.target, level=pattern.level,
                                         stale=stale_count.get(pattern.id, 0), unsampled=unsampled, fired=fired))
    targets: dict[str, list[PatternPrecision]] = defaultdict(list)
    for p in patterns:
        targets[p.target].append(p)
    target_rows = tuple(Precision(t, sum(p.reviewed for p in ps), sum(p.right for p in ps))
                        for t, ps in targets.items())
    overall = Precision("overall", sum(p.reviewed for p in patterns), sum(p.right for p in patterns))
    return PrecisionReport(tuple(patterns), target_rows, overall, checked.stale)


def measure_round(reviews: Sequence[Review], round_: int) -> dict[str, Precision]:
    """Precision per pattern as reviewed in one round, against the patterns of that time ("before")."""
    by_pattern: dict[str, list[Review]] = defaultdict(list)
    for review in reviews:
        if review.round == round_ and review.verdict in ("right", "wrong"):
            by_pattern[review.pattern_id].append(review)
    out = {pid: Precision(pid, len(rows), sum(r.verdict == "right" for r in rows)) for pid, rows in by_pattern.items()}
    out["overall"] = Precision("overall", sum(p.reviewed for p in out.values()), sum(p.right for p in out.values()))
    return out


def update_sample(rubric: Rubric, statements: Iterable[tuple[str, str]], reviews: Sequence[Review] = (),
                  per_pattern: int = 10, seed: int = 0) -> list[Review]:
    """The review file after (re)sampling for the current rubric: earlier rows kept (verdicts that
    still hold re-stamped with the current pattern fingerprint), fresh unreviewed hits added so each
    pattern has up to ``per_pattern`` current reviewed hits, and a 'none' row for a pattern that
    fires nowhere."""
    finder = HitFinder(rubric)
    reviews = [r if r.pattern_id in finder.patterns or r.target.startswith(DROPPED)
               else replace(r, target=DROPPED + r.target) for r in reviews]
    checked = check_reviews(rubric, reviews, finder) if reviews else Checked((), ())
    fingerprints = {p.id: p.fingerprint for p in finder.patterns.values()}
    kept = [r if r.fingerprint == fingerprints[r.pattern_id] else replace(r, fingerprint=fingerprints[r.pattern_id])
            for r in checked.current if r.verdict != "none"]
    have: dict[str, int] = defaultdict(int)
    for r in kept:
        have[r.pattern_id] += 1
    hits = [hit for sid, text in statements for hit in finder.hits(sid, statement_sentences(text))]
    new_round = max((r.round for r in reviews), default=0) + 1
    fresh = sample_hits(hits, per_pattern, seed, exclude={r.key for r in reviews}, have=have)
    rows = list(checked.stale) + kept
    rows += [Review(new_round, h.pattern_id, h.target, h.level, fingerprints[h.pattern_id], h.statement_id,
                    h.sentence, h.matched, "", "") for h in fresh]
    fired = {h.pattern_id for h in hits}
    rows += [Review(new_round, p.id, p.target, p.level, p.fingerprint, "", "", "", "none",
                    "fires on no sentence of the corpus") for p in finder.patterns.values() if p.id not in fired]
    return rows


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def report_lines(report: PrecisionReport) -> list[str]:
    """The precision table `rubric validate --reviews` prints."""
    lines = [f"{'pattern':<34} {'target':<24} {'lvl':>3} {'n':>3} {'prec':>5}  {'95% CI':<11} flag"]
    for p in sorted(report.patterns, key=lambda p: (p.target, p.name)):
        ci = f"{p.interval[0]:.2f}-{p.interval[1]:.2f}" if p.interval else "-"
        stale = f" ({p.stale} stale)" if p.stale else ""
        level = "" if p.level is None else str(p.level)
        lines.append(f"{p.name:<34} {p.target:<24} {level:>3} {p.reviewed:>3} {_fmt(p.precision):>5}  {ci:<11} "
                     f"{p.flag}{stale}".rstrip())
    o = report.overall
    ci = f" (95% CI {o.interval[0]:.2f}-{o.interval[1]:.2f})" if o.interval else ""
    low = sum(1 for p in report.patterns if p.flag == "LOW")
    lines.append(f"Overall precision {_fmt(o.precision)} on {o.reviewed} reviewed hits{ci}; {low} pattern(s) below "
                 f"{PATTERN_FLOOR:.2f}; {len(report.stale)} stale review(s)")
    return lines
