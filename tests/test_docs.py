"""The docs stay honest: every command, option, setting and error code is documented."""

from __future__ import annotations

import re

import click

from conftest import ROOT
from disclosure_check import errors
from disclosure_check.cli import main
from disclosure_check.settings import SETTINGS

README = (ROOT / "README.md").read_text()
RUBRIC_DOC = (ROOT / "docs" / "rubric.md").read_text()


def commands(group: click.Group, prefix: str = ""):
    for name, command in group.commands.items():
        full = f"{prefix}{name}"
        yield full, command
        if isinstance(command, click.Group):
            yield from commands(command, full + " ")


def test_every_command_and_option_is_in_the_readme():
    for name, command in commands(main):
        assert f"disclosure-check {name}" in README, f"command '{name}' is not documented"
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt != "--help":
                    assert opt in README, f"option {opt} of '{name}' is not documented"


def test_every_setting_is_in_the_readme():
    for setting in SETTINGS:
        assert setting.env in README, setting.env


def test_every_error_code_is_in_the_readme():
    codes = {cls.code for cls in vars(errors).values()
             if isinstance(cls, type) and issubclass(cls, errors.DisclosureCheckError)}
    for code in codes:
        assert code in README, code


def test_every_rubric_field_is_in_the_rubric_doc():
    from dataclasses import fields

    from disclosure_check import rubric

    for cls in (rubric.Rubric, rubric.Element, rubric.Pattern, rubric.Level, rubric.Theme, rubric.Criterion,
                rubric.Source, rubric.GateCheck, rubric.Aggregate, rubric.LetterRubric, rubric.Signal, rubric.Tag,
                rubric.Flag, rubric.Claim, rubric.Requirement):
        for field in fields(cls):
            assert re.search(rf"`{field.name}`", RUBRIC_DOC), f"{cls.__name__}.{field.name} undocumented"


def test_readme_states_the_two_commands():
    assert "make run" in README and "make test" in README
