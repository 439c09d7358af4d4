"""How pages word things: levels with their names, organisations with where the name came from,
sub-sectors, statutory states, search snippets, and the pages of a long list of gaps."""

from __future__ import annotations

import math
import re

from disclosure_check.sanitize import escape_markdown
from ui.data import rubric

FINANCIAL_LEVER = "financial_lever"  # the rubric tag of the lending, investment and portfolio criteria
ORIGINS = {"batch": "batch-scored", "self-assessment": "shared by the business (self-assessment), accepted by staff"}
FALLBACK_SOURCE = "metadata or file name"


def identity_label(organisation: str, source: str | None) -> str:
    """An organisation as the pages show it: marked when it is not the statement's own words."""
    return organisation if source == "text" else f"{organisation} ({source or FALLBACK_SOURCE})"


INDUSTRY_LABELS = {"financial": "financial", "retail_consumer": "retail and consumer", "manufacturing": "manufacturing",
                   "technology": "technology", "public_sector": "public sector", "services": "services",
                   "other": "other industry", "unknown": "unknown"}
JURISDICTION_LABELS = {"uk": "UK Modern Slavery Act 2015", "au": "Australian Modern Slavery Act 2018",
                       "ca": "Canadian Supply Chains Act (S-211)", "none": "none named"}
DOC_TYPE_LABELS = {"statement": "modern slavery statement", "letter": "CEO letter response",
                   "other": "not a statement (report, filing, policy, ...)"}


def industry_label(value: object) -> str:
    return INDUSTRY_LABELS.get(str(value), str(value))


def jurisdiction_label(value: object) -> str:
    return JURISDICTION_LABELS.get(str(value), str(value))


def doc_type_label(value: object) -> str:
    return DOC_TYPE_LABELS.get(str(value), str(value))


def financial_lever_help() -> str:
    """What 'covering lending and investment' means under the loaded rubric, from its tags."""
    criteria = rubric().tagged(FINANCIAL_LEVER)
    tag = rubric().tags.get(FINANCIAL_LEVER)
    if not criteria or tag is None:
        return "The rubric tags no criterion as a financial lever."
    minimum = tag.min_level if tag.min_level is not None else scale_levels()[-1]
    names = ", ".join(f"{c.name} ({c.id})" for c in criteria)
    if tag.rule == "any":
        return f"the rule: at least one of {names} at '{level_label(minimum)}' or above."
    return f"the rule: {names}, every one at '{level_label(minimum)}' or above."


def level_label(level: int | None) -> str:
    """'2 Developing': a level with its name from the loaded rubric's scale."""
    return rubric().level_label(level, none="n/a")


def scale_levels() -> list[int]:
    """The loaded rubric's level numbers, lowest first (for pickers, filters and chart domains)."""
    return list(rubric().levels)


def subsector_label(value: object) -> str:
    """A sub-sector as pages show it: 'bank', 'building society'; never 'nan'."""
    from disclosure_check.store.queries import NO_SUBSECTOR

    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return NO_SUBSECTOR
    return str(value).replace("_", " ")


# A statement's statutory state as pages show it: "not found" and "not explicit" need a reader;
# only "not met" (the text says so, or a reviewer decided) is a legal failure.
STATUTORY_STATES = {"met": "met", "not_explicit": "not explicit", "not_found": "not found (needs review)",
                    "not_met": "not met"}
STATUTORY_COLOURS = ["#2a9d8f", "#e9c46a", "#adb5bd", "#e76f51"]  # in STATUTORY_STATES' order


def marked(snippet: str) -> str:
    """A search snippet (terms marked [[ ]]) as safe Markdown with the terms in bold."""
    parts = re.split(r"\[\[|\]\]", " ".join((snippet or "").split()))
    out = []
    for i, part in enumerate(parts):
        text = escape_markdown(part)  # strips the ends: put the spaces back outside the bold
        text = f"**{text}**" if i % 2 and text else text
        out.append((" " if part[:1].isspace() else "") + text + (" " if part[-1:].isspace() else ""))
    return "".join(out)


# -- explain ----------------------------------------------------------------------------------
METHODOLOGY_PAGE = "ui/methodology.py"
GAPS_PER_PAGE = 8


def gap_page_bounds(total: int, page: int, per_page: int = GAPS_PER_PAGE) -> tuple[int, int, int]:
    """(first index, end index, number of pages) of page ``page`` (from 0, clamped) of ``total`` gaps."""
    pages = max(1, -(-total // per_page))
    page = min(max(page, 0), pages - 1)
    return page * per_page, min(total, (page + 1) * per_page), pages
