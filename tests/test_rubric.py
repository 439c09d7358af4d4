"""The rubric as data: the bundled file, validation errors that name what to fix, custom rubrics."""

from __future__ import annotations

import textwrap

import pytest
import yaml

from disclosure_check.classify.rules import RuleClassifier
from disclosure_check.errors import RubricError
from disclosure_check.rubric import ELEMENT_IDS, load_rubric


def write(tmp_path, text: str):
    path = tmp_path / "rubric.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def bundled_data() -> dict:
    from importlib import resources

    return yaml.safe_load(resources.files("disclosure_check").joinpath("rubrics", "disclosure.v1.yaml").read_text())


def test_bundled_rubric_has_the_eleven_elements_with_definitions(rubric):
    assert rubric.element_ids == ELEMENT_IDS
    assert rubric.key == "maturity@1.0.0"
    labels = [e.label for e in rubric.elements]
    assert labels[:2] == ["Approval", "Signature"] and labels[-1] == "C6 (consultation)"
    for element in rubric.elements:
        assert element.definition and element.patterns and element.sources
    RuleClassifier(rubric)  # every pattern compiles


def test_maturity_matrix_format_loads(tmp_path):
    data = bundled_data()
    data["scale"] = [{"level": i, "id": n, "name": n.title()} for i, n in
                     enumerate(["absent", "aware", "developing", "established", "leading"])]
    data["themes"] = [{"id": "T5", "name": "Remedy", "criteria": ["C16"], "descriptors": {0: "None", 4: "Outcomes"},
                       "sources": ["aims_au"]}]
    data["criteria"] = [{"id": "C16", "name": "Incident response", "theme": "T5", "elements": ["remediation"],
                         "levels": {1: "Plan", 3: "Cases disclosed"}, "sources": ["au_msa_s16"],
                         "recommendation": "Disclose cases and their outcomes."}]
    path = tmp_path / "matrix.yaml"
    path.write_text(yaml.safe_dump(data))
    loaded = load_rubric(path)
    assert loaded.themes[0].criteria == ("C16",)
    assert loaded.criteria[0].levels[3] == "Cases disclosed"


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
    data = bundled_data()
    mutate(data)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(RubricError) as info:
        load_rubric(path)
    assert message in info.value.message
    assert str(path) in info.value.message


def test_bad_spacy_pattern_is_reported_with_element_and_pattern(tmp_path):
    data = bundled_data()
    data["elements"][3]["patterns"][0] = {"id": "structure.bad", "tokens": [{"LOWERCASE": "board"}]}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
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
