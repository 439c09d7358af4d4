"""A renumbered copy of the bundled maturity matrix, for the test and the benchmark that check the
rubric's roles are data: every criterion and theme id changed and both lists shuffled."""

from __future__ import annotations

import random
from importlib import resources
from pathlib import Path

import yaml


def renumbered_matrix(folder: Path, seed: int = 7) -> tuple[Path, dict[str, str], dict[str, str]]:
    """(path of the copy, old -> new criterion id, old -> new theme id)."""
    data = yaml.safe_load(resources.files("disclosure_check").joinpath("rubrics", "maturity.v1.yaml").read_text())
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
    path = Path(folder) / f"renumbered_{seed}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return path, criteria, themes
