"""``scipy.sparse`` for scoring, imported without the numpy modules SciPy's array-API layer drags in.

Importing ``scipy.sparse`` imports ``scipy._lib.array_api_compat.numpy``, which copies every name
``numpy`` lists (``from numpy import *`` and ``dir(numpy)``), and so imports numpy's lazily loaded
``f2py`` (with charset_normalizer), ``ma`` and ``testing``: about 0.15 s of every cold start, for
modules scoring never uses. While SciPy imports here, numpy lists them only when they are already
imported; afterwards the array-API namespace gets them on first use instead (a module
``__getattr__``), so nothing that asks for them sees a difference.
"""

from __future__ import annotations

import sys

HEAVY = ("f2py", "ma", "testing")  # numpy's lazily imported submodules that array_api_compat would import
COMPAT = "scipy._lib.array_api_compat.numpy"


def import_sparse():
    """The ``scipy.sparse`` module (imported as above when it is not imported yet)."""
    if "scipy.sparse" in sys.modules:
        return sys.modules["scipy.sparse"]
    import numpy

    skip = {name for name in HEAVY if f"numpy.{name}" not in sys.modules}
    original_dir, original_all = numpy.__dir__, numpy.__all__
    numpy.__dir__ = lambda: [name for name in original_dir() if name not in skip]
    numpy.__all__ = [name for name in original_all if name not in skip]
    try:
        import scipy.sparse
    finally:
        numpy.__dir__, numpy.__all__ = original_dir, original_all
    compat = sys.modules.get(COMPAT)
    if skip and compat is not None and not hasattr(compat, "__getattr__"):
        def on_first_use(name: str):
            if name in skip:
                value = getattr(numpy, name)
                setattr(compat, name, value)
                return value
            raise AttributeError(f"module {COMPAT!r} has no attribute {name!r}")

        compat.__getattr__ = on_first_use
    return scipy.sparse


sparse = import_sparse()
