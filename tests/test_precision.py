"""Evidence precision per pattern: sampling, the review file, precision figures and the committed review."""

from __future__ import annotations

import csv
from dataclasses import replace

import pytest
from click.testing import CliRunner

from conftest import ROOT
from disclosure_check.cli import main
from disclosure_check.errors import DataError
from disclosure_check.rubric import load_rubric, parse_rubric
from disclosure_check.train import precision as P
from rubric_copies import bundled_data

REVIEWS = ROOT / "corpus" / "reviews" / "pattern_hits.csv"
TEXTS = ROOT / "corpus" / "uk_texts" / "uk_statement_texts.csv"

# Real UK statement sentences (from corpus/uk_texts) and what they are evidence of.
WHISTLE = "Cenkos also has an established Whistleblowing Policy which provides an opportunity for employees to raise any concerns regarding modern slavery and human trafficking."
COVENANT = "The Universal Declaration of Human Rights, The International Covenant on Civil and Political Rights and The"
JMLIT = ("As a member of the Joint Money Laundering Intelligence Taskforce (JMLIT), we share intelligence on human "
         "trafficking with law enforcement.")  # counted at c13.sharing's level 3 (membership alone is level 2)
LOW_RISK = "Given the nature of our business, we consider the risk of modern slavery to be low."


@pytest.fixture(scope="module")
def finder(rubric):
    return P.HitFinder(rubric)


@pytest.fixture(scope="module")
def statements():
    return P.read_statements(TEXTS)[:40]


def _review(finder, pattern_id, sentence, verdict, round_=1, statement="7"):
    pattern = finder.patterns[pattern_id]
    return P.Review(round_, pattern_id, pattern.target, pattern.level, pattern.fingerprint, statement, sentence,
                    "", verdict, "because")


@pytest.mark.slow
def test_sampling_is_reproducible_and_spread_over_statements(rubric, statements):
    hits = P.find_hits(rubric, statements)
    first = P.sample_hits(hits, per_pattern=5, seed=3)
    assert first == P.sample_hits(hits, per_pattern=5, seed=3)
    assert first != P.sample_hits(hits, per_pattern=5, seed=4)
    by_pattern: dict[str, list[P.Hit]] = {}
    for hit in first:
        by_pattern.setdefault(hit.pattern_id, []).append(hit)
    for pattern_id, picked in by_pattern.items():
        available = {h.statement_id for h in hits if h.pattern_id == pattern_id}
        assert len(picked) <= 5
        # one hit per statement while there are statements left
        assert len({h.statement_id for h in picked}) == min(len(picked), len(available))
    # whistleblowing is named in most statements: the sample is full
    assert len(by_pattern["c15.whistleblowing"]) == 5


@pytest.mark.slow
def test_a_pattern_sample_does_not_depend_on_other_patterns(rubric, statements):
    hits = P.find_hits(rubric, statements)
    alone = P.sample_hits([h for h in hits if h.pattern_id == "c15.whistleblowing"], per_pattern=4)
    together = [h for h in P.sample_hits(hits, per_pattern=4) if h.pattern_id == "c15.whistleblowing"]
    assert alone == together


def test_review_file_round_trip(tmp_path, finder):
    rows = [_review(finder, "c15.whistleblowing", WHISTLE, "right"),
            _review(finder, "c13.sharing", JMLIT, "wrong", round_=2)]
    path = tmp_path / "hits.csv"
    P.write_reviews(path, rows)
    assert P.read_reviews(path) == sorted(rows, key=lambda r: r.pattern_id)


@pytest.mark.parametrize("column,value,message", [
    ("verdict", "", "has no verdict"),
    ("verdict", "maybe", "is not one of"),
    ("reason", "", "needs a short reason"),
    ("sentence", WHISTLE + " edited", "sentence_hash does not match"),
    ("round", "one", "is not a whole number"),
])
def test_review_file_errors_say_what_and_where(tmp_path, finder, column, value, message):
    path = tmp_path / "hits.csv"
    P.write_reviews(path, [_review(finder, "c15.whistleblowing", WHISTLE, "right")])
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0][column] = value
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=P.COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(DataError, match=message) as error:
        P.read_reviews(path)
    assert "line 2" in error.value.message


def test_review_file_without_verdict_column_is_rejected(tmp_path):
    path = tmp_path / "hits.csv"
    path.write_text("pattern_id,sentence\nc15.whistleblowing,x\n")
    with pytest.raises(DataError, match="missing column"):
        P.read_reviews(path)


def test_unknown_pattern_id_is_an_error(rubric, finder):
    review = replace(_review(finder, "c15.whistleblowing", WHISTLE, "right"), pattern_id="c99.typo")
    with pytest.raises(DataError, match="unknown pattern id 'c99.typo'"):
        P.check_reviews(rubric, [review], finder)


def test_precision_per_pattern_target_and_overall(rubric, finder):
    reviews = [_review(finder, "c15.whistleblowing", WHISTLE, "right", statement=str(i)) for i in range(8)]
    reviews += [_review(finder, "c15.whistleblowing", WHISTLE, "wrong", statement=str(i)) for i in (8, 9)]
    reviews += [_review(finder, "c13.sharing", JMLIT, "right"),
                _review(finder, "risk_description.blanket_low_risk", LOW_RISK, "right")]
    report = P.measure(rubric, reviews, finder)
    whistle = next(p for p in report.patterns if p.name == "c15.whistleblowing")
    assert (whistle.reviewed, whistle.right, whistle.precision) == (10, 8, 0.8)
    low, high = whistle.interval
    assert low == pytest.approx(0.490, abs=0.001) and high == pytest.approx(0.943, abs=0.001)
    assert whistle.flag == ""
    sharing = next(p for p in report.patterns if p.name == "c13.sharing")
    assert sharing.flag.startswith("FEW")
    assert next(t for t in report.targets if t.name == "exclude:risk_description").precision == 1.0
    assert (report.overall.reviewed, report.overall.right) == (12, 10)
    failures = report.failures(0.85)
    assert failures[0] == "overall precision 0.83 is below 0.85"
    assert "pattern 'c02.owner' has no reviewed hits" in failures  # it fires in the corpus: review it
    lines = P.report_lines(report)
    assert lines[-1].startswith("Overall precision 0.83 on 12 reviewed hits")


def test_a_pattern_below_the_floor_fails(rubric, finder):
    reviews = [_review(finder, "c13.sharing", JMLIT, verdict, statement=str(i))
               for i, verdict in enumerate(["right"] * 6 + ["wrong"] * 4)]
    report = P.measure(rubric, reviews, finder)
    assert "pattern 'c13.sharing' precision 0.60 is below 0.70" in report.failures(0.5)
    assert next(p for p in report.patterns if p.name == "c13.sharing").flag == "LOW"


def _edited_rubric(edit):
    base, disclosure = bundled_data("maturity"), bundled_data("disclosure")
    base.pop("extends")
    base["elements"], base["cues"] = disclosure["elements"], disclosure["cues"]
    base["sources"] = {**disclosure["sources"], **base["sources"]}
    edit(base)
    return parse_rubric(base, where="edited")


def test_edited_pattern_makes_its_hits_stale_and_asks_for_a_new_sample(finder):
    def narrow(data):
        pattern = next(p for c in data["criteria"] if c["id"] == "C15" for p in c["patterns"]
                       if p["id"] == "c15.whistleblowing")
        pattern["phrases"] = ["whistleblowing hotline"]
        pattern["examples"] = []

    edited = _edited_rubric(narrow)
    reviews = [_review(finder, "c15.whistleblowing", WHISTLE, "right")]
    report = P.measure(edited, reviews)
    assert [r.sentence for r in report.stale] == [WHISTLE]
    whistle = next(p for p in report.patterns if p.name == "c15.whistleblowing")
    assert whistle.unsampled and whistle.flag == "EDITED: resample"
    assert "pattern 'c15.whistleblowing' was edited after its sample was drawn" in report.failures(0.0)


@pytest.mark.slow
def test_dropped_pattern_reviews_are_kept_and_marked_on_resampling(statements):
    rubric = _edited_rubric(lambda data: next(c for c in data["criteria"] if c["id"] == "C13")["patterns"].pop())
    full = load_rubric()
    finder = P.HitFinder(full)
    dropped = full.criteria[[c.id for c in full.criteria].index("C13")].patterns[-1].id
    review = _review(finder, dropped, JMLIT, "right")
    with pytest.raises(DataError, match="unknown pattern id"):
        P.check_reviews(rubric, [review])
    rows = P.update_sample(rubric, statements[:3], [review], per_pattern=1)
    kept = next(r for r in rows if r.pattern_id == dropped)
    assert kept.target == "dropped:C13" and kept.verdict == "right" and kept.round == 1
    assert kept in P.check_reviews(rubric, rows).stale


@pytest.mark.slow
def test_committed_review_file_meets_the_thresholds_for_the_current_rubric(rubric, finder):
    """Fails when a level or flag pattern is edited without its new hits being reviewed."""
    reviews = P.read_reviews(REVIEWS)
    report = P.measure(rubric, reviews, finder)
    assert report.failures(0.85) == []
    assert report.overall.precision >= 0.85 and report.overall.reviewed >= 500
    fired = [p for p in report.patterns if p.fired]
    assert all(p.reviewed for p in fired)
    # the first round's verdicts stay in the file, so the before/after is visible
    before = P.measure_round(reviews, 1)["overall"]
    assert before.reviewed >= 600 and before.precision < 0.70


@pytest.mark.slow
def test_cli_validate_reports_precision_and_fails_below_the_minimum(tmp_path, finder):
    result = CliRunner().invoke(main, ["rubric", "validate", "--reviews", str(REVIEWS), "--min-precision", "0.85"])
    assert result.exit_code == 0, result.output
    assert "c13.sharing" in result.output and "Overall precision" in result.output
    path = tmp_path / "low.csv"
    P.write_reviews(path, [_review(finder, "c13.sharing", JMLIT, "wrong")])
    result = CliRunner().invoke(main, ["rubric", "validate", "--reviews", str(path), "--min-precision", "0.85"])
    assert result.exit_code == 2
    assert "precision check(s) failed" in result.output
    assert CliRunner().invoke(main, ["rubric", "validate", "--reviews", str(path)]).exit_code == 0


def test_cli_sample_hits_writes_rows_to_review(tmp_path):
    texts = tmp_path / "texts.csv"
    with texts.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "fin_keyword_hits"])
        writer.writerows([["1", WHISTLE + "\n" + JMLIT, "0"], ["2", LOW_RISK + "\n" + COVENANT, "0"]])
    out = tmp_path / "hits.csv"
    result = CliRunner().invoke(main, ["rubric", "sample-hits", "--out", str(out), "--texts", str(texts)])
    assert result.exit_code == 0, result.output
    rows = P.read_reviews(out, reviewed=False)
    todo = {r.pattern_id for r in rows if not r.verdict}
    assert {"c15.whistleblowing", "c13.sharing", "risk_description.blanket_low_risk"} <= todo
    assert not any(r.sentence == COVENANT for r in rows)  # no pattern takes "Covenant" for a loan condition any more


def test_review_files_written_with_the_earlier_hash_still_read(tmp_path):
    import csv
    import hashlib

    rows = list(csv.DictReader(REVIEWS.open(newline="", encoding="utf-8")))[:5]
    for row in rows:  # as files were written before the project's one sentence hash
        row["sentence_hash"] = hashlib.sha1(" ".join(row["sentence"].split()).encode()).hexdigest()[:12]
    old = tmp_path / "old.csv"
    with old.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert [r.key for r in P.read_reviews(old)] == [r.key for r in P.read_reviews(REVIEWS)[:5]]


def test_a_review_sees_only_hits_counted_at_the_patterns_level(finder):
    """Reviews judge what the scorer counts (issue 21): a sentence a pattern's words fire on but that its `needs`
    leave at a lower level, its `unless` voids, or plan wording caps, is no hit at the pattern's level to review.
    Before, such sentences were reviewed as level-3 claims the scorer never made (JMLIT membership alone)."""
    membership = "We are a founding member of, and active participant in, the Joint Money Laundering Intelligence Taskforce (JMLIT)."
    assert "c13.sharing" not in [h.pattern_id for h in finder.hits("x", [membership])]  # needs unmet: level 2
    assert "c13.sharing" in [h.pattern_id for h in finder.hits("x", [JMLIT])]
    priorities = ("One of JMLIT's key operational priorities is understanding and disrupting the funding flows linked to "
                  "human trafficking, and we share intelligence with it.")
    assert "c13.sharing" not in [h.pattern_id for h in finder.hits("x", [priorities])]  # unless
    plan = "The next phase of our work is to share intelligence on human trafficking through JMLIT."
    assert "c13.sharing" not in [h.pattern_id for h in finder.hits("x", [plan])]  # plan wording: level 1 at most
