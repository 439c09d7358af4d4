"""The rubric as data: the bundled file, validation errors that name what to fix, custom rubrics."""

from __future__ import annotations

import dataclasses
import textwrap

import pytest

from disclosure_check.classify.rules import RuleClassifier
from disclosure_check.errors import RubricError
from disclosure_check.rubric import ELEMENT_IDS, OPTIONAL_ROLES, load_rubric
from rubric_copies import bundled_data, write_rubric


def write(tmp_path, text: str):
    path = tmp_path / "rubric.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def test_bundled_rubric_has_the_eleven_elements_with_definitions(rubric):
    assert rubric.element_ids == ELEMENT_IDS
    assert rubric.key == "maturity@1.8.1"
    labels = [e.label for e in rubric.elements]
    assert labels[:2] == ["Approval", "Signature"] and labels[-1] == "C6 (consultation)"
    for element in rubric.elements:
        assert element.definition and element.patterns and element.sources
    RuleClassifier(rubric)  # every pattern compiles


def test_maturity_matrix_format_loads(tmp_path):
    data = bundled_data("disclosure")
    data["scale"] = [{"level": i, "id": n, "name": n.title()} for i, n in
                     enumerate(["absent", "aware", "developing", "established", "leading"])]
    data["themes"] = [{"id": "T5", "name": "Remedy", "criteria": ["C16"], "descriptors": {0: "None", 4: "Outcomes"},
                       "sources": ["aims_au"]}]
    data["criteria"] = [{"id": "C16", "name": "Incident response", "theme": "T5", "elements": ["remediation"],
                         "levels": {1: "Plan", 3: "Cases disclosed"}, "sources": ["au_msa_s16"],
                         "recommendation": "Disclose cases and their outcomes."}]
    loaded = load_rubric(write_rubric(tmp_path / "matrix.yaml", data))
    assert loaded.themes[0].criteria == ("C16",)
    assert loaded.criteria[0].levels[3] == "Cases disclosed"


def refused(tmp_path, rubric: str, mutate, message: str) -> None:
    """A copy of a bundled rubric edited by ``mutate`` is refused with ``message``, naming the file."""
    data = bundled_data(rubric)
    mutate(data)
    path = write_rubric(tmp_path / "bad.yaml", data)
    with pytest.raises(RubricError) as info:
        load_rubric(path)
    assert message in info.value.message
    assert str(path) in info.value.message


@pytest.mark.parametrize("mutate,message", [
    (lambda d: d["elements"].append(dict(d["elements"][0])), "duplicate element id 'approval'"),
    (lambda d: d["elements"][2].update(sources=["nowhere"]), "element 'reporting_entity' cites source 'nowhere'"),
    (lambda d: d["elements"][0]["patterns"][0].update(phrases=["x"]), "exactly one of 'phrases' or 'tokens'"),
    (lambda d: d["elements"][1].pop("definition"), "elements[1] (id 'signature').definition"),
    (lambda d: d["elements"][0].update(id="Bad Id"), "elements[0] (id 'Bad Id').id"),
    (lambda d: d.update(criteria=[{"id": "C1", "name": "x", "theme": "T9"}]), "unknown theme 'T9'"),
    (lambda d: d.update(scale=[{"level": 0, "id": "a", "name": "A"}, {"level": 2, "id": "c", "name": "C"}]),
     "without gaps"),
])
def test_invalid_rubrics_name_the_problem(tmp_path, mutate, message):
    refused(tmp_path, "disclosure", mutate, message)


def test_bad_spacy_pattern_is_reported_with_element_and_pattern(tmp_path):
    data = bundled_data("disclosure")
    data["elements"][3]["patterns"][0] = {"id": "structure.bad", "tokens": [{"LOWERCASE": "board"}]}
    path = write_rubric(tmp_path / "bad.yaml", data)
    with pytest.raises(RubricError, match="element 'structure' pattern 'structure.bad'"):
        RuleClassifier(load_rubric(path))


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = write(tmp_path, """
        id: x
        version: "1"
        title: [unclosed
        """)
    with pytest.raises(RubricError, match=r"not valid YAML at line \d+"):
        load_rubric(path)


def test_missing_file_and_non_mapping(tmp_path):
    with pytest.raises(RubricError, match="not found"):
        load_rubric(tmp_path / "nope.yaml")
    with pytest.raises(RubricError, match="mapping at the top level"):
        load_rubric(write(tmp_path, "- a\n- b\n"))


def criterion(data: dict, tag: str) -> dict:
    return next(c for c in data["criteria"] if tag in c.get("tags", []))


def training(data: dict) -> dict:
    return next(c for c in data["criteria"] if any(s["kind"] == "training_audience" for s in c.get("signals", [])))


@pytest.mark.parametrize("mutate,message", [
    (lambda d: d["criteria"][0]["signals"].append({"kind": "press_release", "element": "approval"}),
     "unknown signal kind 'press_release' (known: element, training_audience)"),
    (lambda d: d["criteria"][0]["signals"].append({"kind": "element", "element": "approval"}),
     "signal kind 'element' needs 'level'"),
    (lambda d: d["criteria"][0]["signals"].append({"kind": "element", "element": "approvals", "level": 1}),
     "names unknown element 'approvals'"),
    (lambda d: d["criteria"][0]["signals"].append({"kind": "element", "element": "approval", "level": 1,
                                                  "levels": {"leadership": 3}}),
     "signal kind 'element' does not use 'levels'"),
    (lambda d: training(d)["signals"][0]["levels"].update(interns=2), "signal kind 'training_audience' has no 'interns'"),
    (lambda d: training(d)["signals"][0]["levels"].update(leadership=7), "level 7 is above the scale (max 4)"),
    (lambda d: criterion(d, "financial_lever")["tags"].append("finanical_lever"),
     "has tag 'finanical_lever', which is not declared in 'tags'"),
    (lambda d: [c.update(tags=[t for t in c.get("tags", []) if t != "risk_method"]) for c in d["criteria"]],
     "flag 'low_risk_claim' names tag 'risk_method', which no criterion carries"),
    (lambda d: d["flags"][0]["claim"].update(exclusion="risk_descriptions"),
     "flag 'low_risk_claim' claim names unknown element 'risk_descriptions'"),
    (lambda d: d["flags"][0]["claim"].update(cue="negative"), "give exactly one of 'exclusion'"),
    (lambda d: d["flags"][0].update(acceptable_if={"tag": "risk_method", "level": 9}), "level 9 is not a level"),
    (lambda d: d["tags"]["financial_lever"].update(min_level=6), "tag 'financial_lever' min_level 6"),
    (lambda d: d["scale"][1].update(roles=["planned_cap", "gap_below"]),
     "scale role 'gap_below' (criteria below this level are reported as gaps) must be on exactly one level, "
     "found levels ['aware', 'established']"),
    (lambda d: d["scale"][1].update(roles=[]), "scale role 'planned_cap'"),
    (lambda d: d["scale"][2].update(roles=["target"]), "unknown scale role 'target'"),
    (lambda d: [p.pop("needs") for c in d["criteria"] for p in c.get("patterns", []) if p["id"] == "c04.esg"],
     "'below_level' sentences lack what the pattern 'needs', but it needs nothing"),
])
def test_invalid_roles_signals_tags_and_flags_name_the_problem(tmp_path, mutate, message):
    refused(tmp_path, "maturity", mutate, message)


def test_needs_on_a_pattern_without_a_level_is_refused(tmp_path):
    """Review of rubric 1.4.0: ``needs`` was read only on level patterns and silently ignored elsewhere."""
    data = bundled_data("disclosure")
    data["elements"][0]["patterns"][0]["needs"] = ["slavery"]
    path = write_rubric(tmp_path / "bad.yaml", data)
    with pytest.raises(RubricError) as info:
        load_rubric(path)
    assert "'needs' and 'below_level' only apply to a pattern with a 'level'" in info.value.message
    assert "elements" in info.value.message and str(path) in info.value.message


def test_the_v1_criterion_format_still_loads_as_element_signals(tmp_path, rubric):
    data = bundled_data("maturity")
    for c in data["criteria"]:
        signals = c.pop("signals", [])
        elements = [s for s in signals if s["kind"] == "element"]
        if elements:
            c["elements"] = [s["element"] for s in elements]
            c["element_level"] = elements[0]["level"]
        if len(elements) != len(signals):
            c["signals"] = [s for s in signals if s["kind"] != "element"]
    for level in data["scale"]:
        level.pop("roles", None)  # a v1 scale: roles come from the v1 level ids
    loaded = load_rubric(write_rubric(tmp_path / "v1.yaml", data))
    # The v1 format could not say what a signal needs (a KPI's figure): the same signals otherwise.
    assert [c.signals for c in loaded.criteria] == [tuple(dataclasses.replace(s, needs=None) for s in c.signals)
                                                    for c in rubric.criteria]
    # v1 had no optional roles (a piece of a sentence's cap came with rubric 1.8.0): the rest is the same.
    assert loaded.scale == tuple(dataclasses.replace(lvl, roles=tuple(r for r in lvl.roles if r not in OPTIONAL_ROLES))
                                 for lvl in rubric.scale)


def test_no_criterion_id_or_scale_number_is_written_into_code():
    """Roles come from the rubric: code names tags and roles, never a criterion id or a 0-4 range."""
    import re

    from conftest import ROOT

    files = sorted((ROOT / "src" / "disclosure_check").rglob("*.py")) + sorted((ROOT / "ui").glob("*.py"))
    files.append(ROOT / "app.py")
    criterion_id = re.compile(r"""["']C\d\d["']""")
    scale_literal = re.compile(r"range\(5\)|domain=\[0, 4\]|ESTABLISHED|PLANNED_CAP")
    found = [f"{path.name}:{n}" for path in files for n, line in enumerate(path.read_text().splitlines(), 1)
             if criterion_id.search(line) or scale_literal.search(line)]
    assert not found


def test_every_signal_kind_and_scale_role_is_documented():
    from conftest import ROOT
    from disclosure_check.rubric import SCALE_ROLES, SIGNAL_KINDS

    doc = (ROOT / "docs" / "rubric.md").read_text()
    for name in [*SIGNAL_KINDS, *SCALE_ROLES]:
        assert f"`{name}`" in doc, name


def test_codes_have_names_and_levels_have_meanings_for_every_page(rubric):
    assert rubric.label("C12").startswith("C12 ") and len(rubric.label("C12")) > 6
    assert rubric.label("board_approval") != "board_approval" and rubric.label("no-such-code") == "no-such-code"
    top = rubric.levels[-1]
    assert rubric.next_level(top) is None and rubric.next_level(rubric.levels[0]) == rubric.levels[1]
    for criterion in rubric.criteria:
        for level in rubric.levels[1:]:
            assert rubric.level_descriptor(criterion.id, level), (criterion.id, level)


def _pattern(data: dict, pattern_id: str) -> dict:
    return next(p for c in data["criteria"] for p in c.get("patterns", []) if p["id"] == pattern_id)


@pytest.mark.parametrize("mutate,message", [
    # an ``unless`` phrase the pattern's own words hold: it never fires (check_examples blamed 'needs')
    (lambda d: _pattern(d, "c08.audits")["unless"].append("supplier audits"),
     "'unless' phrase 'supplier audits' is in the pattern's own phrase 'supplier audits', so the pattern never "
     "supports anything: drop it from 'unless'"),
    (lambda d: _pattern(d, "c08.audits")["unless"].append("re-assessed"),
     "'unless' phrase 're-assessed' is in the pattern's own example 'Audited suppliers are required"),
    (lambda d: _pattern(d, "c08.audits")["unless"].append("follow-up"),
     "'unless' phrase 'follow-up' is in the pattern's 'needs' phrase 'follow-up'"),
    # ``lacking`` is a whole-number level, not whatever lax parsing reads as 1
    (lambda d: _pattern(d, "c08.audits").update(lacking=True), "'lacking' must be a whole-number level"),
    (lambda d: _pattern(d, "c08.audits").update(lacking=1.0), "not 1.0"),
    (lambda d: _pattern(d, "c08.audits").update(lacking="1"), "not '1'"),
    (lambda d: _pattern(d, "c08.audits").update(lacking=3), "give 'needs' and a 'level' above it"),
    (lambda d: _pattern(d, "c08.audits").update(lacking=-1), ".lacking: Input should be greater than or equal to 0"),
    # a '*' that is not last looks for an asterisk and never matches
    (lambda d: _pattern(d, "c08.audits")["needs"].append("supplier**"),
     "phrase 'supplier**' has a '*' that is not its last character, so it never matches"),
    (lambda d: _pattern(d, "c08.audits")["unless"].append("sup*plier"),
     "(id 'c08.audits').unless[11]: phrase 'sup*plier' has a '*'"),
    (lambda d: d["criteria"][0].setdefault("signals", []).append(
        {"kind": "element", "element": "approval", "level": 1, "needs": ["report* to"]}),
     "phrase 'report* to' has a '*' that is not its last character"),
    # a blank or bare-'*' phrase would hold in every sentence
    (lambda d: _pattern(d, "c08.audits")["needs"].append("  "), "phrase '' has no letter or digit"),
    (lambda d: _pattern(d, "c08.audits")["needs"].append(" *"), "phrase '*' has no letter or digit"),
    (lambda d: _pattern(d, "c08.audits")["unless"].append("- "), "phrase '-' has no letter or digit"),
])
def test_bad_needs_unless_and_lacking_are_refused_with_what_to_fix(tmp_path, mutate, message):
    """Review of rubric 1.5.0: each of these loaded and silently changed what a pattern supports."""
    refused(tmp_path, "maturity", mutate, message)


def test_unless_may_be_one_phrase_as_needs_may(tmp_path):
    data = bundled_data("maturity")
    _pattern(data, "c21.named")["unless"] = "award"
    loaded = load_rubric(write_rubric(tmp_path / "one.yaml", data))
    pattern = next(p for c in loaded.criteria for p in c.patterns if p.id == "c21.named")
    assert pattern.unless == ("award",)


def test_a_remediation_reported_to_someone_meets_what_c16_needs(rubric):
    """'report* to' in the C16 remediation signal looked for an asterisk, so 'reported to' never counted."""
    from disclosure_check.rubric import needs_met

    [signal] = [s for c in rubric.criteria for s in c.signals if s.element == "remediation" and s.needs]
    assert needs_met(signal.needs, "Any suspected case is reported to our Head of Compliance.")
