"""The floor plan holds (docs/architecture.md): imports only run down the floors, no module imports
itself round a circle, and every package's face names what it hands on."""

from __future__ import annotations

import ast
import functools
import importlib
from collections import defaultdict
from pathlib import Path

import pytest

from conftest import ROOT

SRC = ROOT / "src" / "disclosure_check"
# The floors of docs/architecture.md: a package may import its own floor's foundation and anything below.
FLOORS = {
    "types": 1, "errors": 1, "settings": 1, "files": 1, "sanitize": 1, "faces": 1, "phrases": 1, "yamlio": 1,
    "rubric": 2, "read": 2,
    "classify": 3, "assess": 3,
    "pipeline": 4, "store": 4, "train": 4,
    "present": 5,
    "run": 6,
    "cli": 7, "__main__": 8, "__init__": 0,
}
PACKAGES = ("read", "classify", "assess", "store", "present", "run", "train")


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(("disclosure_check", *parts)).removesuffix(".__init__")


@functools.cache  # both floor-plan tests read the same parse of the tree
def imports() -> dict[str, frozenset[str]]:
    """Every module's imports of this package's modules, at any depth (function-level included)."""
    modules = {module_name(p): p for p in SRC.rglob("*.py")}
    found: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text())):
            targets = []
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("disclosure_check"):
                targets = [f"{node.module}.{a.name}" for a in node.names] + [node.module]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names if a.name.startswith("disclosure_check")]
            for target in targets:
                while target and target not in modules:  # a name imported from a module: the module
                    target = target.rpartition(".")[0]
                if target and target != name:
                    found[name].add(target)
    return {name: frozenset(targets) for name, targets in found.items()}


def top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_imports_only_run_down_the_floors():
    upward = sorted(f"{source} imports {target}" for source, targets in imports().items() for target in targets
                    if FLOORS[top(target)] > FLOORS[top(source)]
                    or (FLOORS[top(target)] == FLOORS[top(source)] and top(target) != top(source)
                        and FLOORS[top(source)] > 1))
    assert not upward


def test_no_module_imports_itself_round_a_circle():
    graph = imports()
    circles = []

    def visit(node: str, path: list[str], seen: set[str]) -> None:
        for nxt in graph.get(node, ()):
            if nxt.endswith("__init__") or nxt == "disclosure_check":
                continue
            if nxt == path[0]:
                circles.append(" -> ".join([*path, nxt]))
            elif nxt not in seen and nxt > path[0]:  # each circle found once, from its smallest module
                seen.add(nxt)
                visit(nxt, [*path, nxt], seen)

    for module in sorted(graph):
        visit(module, [module], {module})
    assert not circles


@pytest.mark.parametrize("package", PACKAGES)
def test_each_package_face_names_what_it_hands_on(package):
    face = importlib.import_module(f"disclosure_check.{package}")
    assert face.__doc__ and len(face.__doc__.split()) > 10  # says what the package is for
    assert face.__all__
    for name in face.__all__:
        assert getattr(face, name) is not None, name
    with pytest.raises(AttributeError):
        face.no_such_name  # noqa: B018
    lines = (SRC / package / "__init__.py").read_text().splitlines()
    assert len(lines) < 60  # a face: names, not code


def test_every_signal_kind_the_rubric_declares_has_a_collector():
    from disclosure_check.assess.signals import COLLECTORS
    from disclosure_check.rubric import SIGNAL_KINDS

    assert set(COLLECTORS) == set(SIGNAL_KINDS)
