"""Package faces: a package's ``__init__`` names what other packages may use and the module each
name lives in; the module is imported the first time the name is used (PEP 562), so naming a face
costs nothing and never ties packages in a circle."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module


def face(package: str, names: Mapping[str, str]) -> Callable[[str], object]:
    """The ``__getattr__`` of ``package``'s face: ``names`` maps each name to its module in the package."""

    def attribute(name: str) -> object:
        if name in names:
            return getattr(import_module(f"{package}.{names[name]}"), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return attribute
