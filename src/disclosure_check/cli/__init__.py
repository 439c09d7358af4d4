"""The ``disclosure-check`` command: a thin layer that parses options, calls the library, prints.

One module per command group; each adds its commands to ``main`` (``base.py``). Exit codes: 0
success; 1 some documents failed (they are still stored and exported); 2 a usage, configuration,
rubric, model or data error, or an input path that does not exist (one line on stderr says what and
how to fix); 130 stopped by Ctrl-C (``score`` first says how many documents are stored and how many
are left: the same command resumes).
"""

from disclosure_check.cli import models, report, results, review, rubric, shares, staff, verify  # noqa: F401 (commands)
from disclosure_check.cli.base import main

__all__ = ["main"]
