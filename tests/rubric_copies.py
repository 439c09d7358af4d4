"""Edited copies of the bundled rubrics for tests: the bundled YAML as data, written back, and a
renumbered copy of the maturity matrix for the test and the benchmark that check the rubric's roles
are data (every criterion and theme id changed and both lists shuffled). YAML is read and written
with libyaml where it is installed, as the library reads it: the pure-Python parser and emitter
took a second per copy of the matrix, a fifth of the fast suite."""

from __future__ import annotations

import random
from importlib import resources
from pathlib import Path

import yaml

from disclosure_check.yamlio import YAML_LOADER

LOADER = YAML_LOADER
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def bundled_data(name: str = "maturity") -> dict:
    """A bundled rubric file (``maturity`` or ``disclosure``) as plain data, to edit."""
    text = resources.files("disclosure_check").joinpath("rubrics", f"{name}.v1.yaml").read_text()
    return yaml.load(text, Loader=LOADER)


def write_rubric(path: Path, data: dict) -> Path:
    """``data`` written to ``path`` as rubric YAML, in its own key order."""
    Path(path).write_text(yaml.dump(data, Dumper=DUMPER, sort_keys=False, allow_unicode=True))
    return Path(path)


def renumbered_matrix(folder: Path, seed: int = 7) -> tuple[Path, dict[str, str], dict[str, str]]:
    """(path of the copy, old -> new criterion id, old -> new theme id)."""
    data = bundled_data("maturity")
    rng = random.Random(seed)
    old_criteria = [c["id"] for c in data["criteria"]]
    new_numbers = rng.sample(range(100, 999), len(old_criteria))
    criteria = {old: f"Q{n}" for old, n in zip(old_criteria, new_numbers, strict=True)}
    themes = {t["id"]: f"area_{chr(ord('a') + i)}" for i, t in enumerate(reversed(data["themes"]))}
    for theme in data["themes"]:
        theme["id"] = themes[theme["id"]]
        theme["criteria"] = [criteria[c] for c in theme["criteria"]]
    for criterion in data["criteria"]:
        criterion["id"] = criteria[criterion["id"]]
        criterion["theme"] = themes[criterion["theme"]]
    for group in data["letter"]["scopes"] + data["letter"]["recommendations"]:
        group["criteria"] = [criteria[c] for c in group.get("criteria", [])]
    rng.shuffle(data["criteria"])
    rng.shuffle(data["themes"])
    return write_rubric(Path(folder) / f"renumbered_{seed}.yaml", data), criteria, themes
