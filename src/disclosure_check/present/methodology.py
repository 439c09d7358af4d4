"""The methodology, generated from the rubric: what is scored, what each level means, what evidence
counts, what the law asks, how levels add up, and who asks for it.

Nothing here is written by hand about a particular criterion: change the rubric and the methodology
follows. Sections are Markdown (no Streamlit): the dashboard's methodology page shows them, and
``disclosure-check rubric describe`` writes them to a file. Rubric text is escaped
(``sanitize.escape_markdown``); the only links are sources' http(s) addresses (``markdown_link``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from disclosure_check.assess.maturity import floor_median
from disclosure_check.rubric import Criterion, Pattern, Rubric, Signal
from disclosure_check.sanitize import escape_markdown as md

JURISDICTIONS = {"uk": "UK (Modern Slavery Act 2015)", "au": "Australia (Modern Slavery Act 2018)",
                 "ca": "Canada (Fighting Against Forced Labour and Child Labour in Supply Chains Act)"}
SUBSECTOR_NAMES = {"bank": "banks", "building_society": "building societies", "insurer": "insurers",
                   "asset_manager": "asset managers", "payments": "payment firms"}
GATE_STATES = {"met": "the statement says it plainly",
               "not_explicit": "wording was found but it is ambiguous (a committee's approval, a signer who may "
                               "not be a director, a year without dates)",
               "not_found": "nothing was found: the nearest sentences are shown and a reader must look; never "
                            "counted as a legal failure",
               "not_met": "the statement says so (it was not approved), or a reviewer decided"}
_SAFE_URL = re.compile(r"^https?://[^\s<>()\[\]\"'`\\|]+$")
PHRASES_SHOWN = 6


@dataclass(frozen=True)
class MethodSection:
    """One part of the methodology: ``anchor`` is stable (a page tab, a link target)."""

    anchor: str
    title: str
    markdown: str


def _code(text: str) -> str:
    """An id as inline code (escapes would show literally inside it; ids never hold a backtick)."""
    return "`" + str(text).replace("`", "'") + "`"


def safe_url(url: str | None) -> bool:
    """Whether ``url`` is a plain http(s) address that can be written into a link as it is."""
    return bool(url and _SAFE_URL.match(url))


def markdown_link(title: str, url: str | None) -> str:
    """A source as a Markdown link when its address is a plain http(s) URL; otherwise its title as text."""
    if safe_url(url):
        return f"[{md(title)}]({url})"
    return md(title)


def source_links(rubric: Rubric, ids: tuple[str, ...] | list[str]) -> list[str]:
    """The rubric's sources ``ids`` as Markdown links (unknown ids are skipped)."""
    return [markdown_link(rubric.sources[s].title, rubric.sources[s].url) for s in ids if s in rubric.sources]


def links_for_titles(rubric: Rubric, titles: tuple[str, ...] | list[str]) -> list[str]:
    """Sources named by title (as gaps store them) as Markdown links where the rubric gives an address."""
    urls = {source.title: source.url for source in rubric.sources.values()}
    return [markdown_link(title, urls.get(title)) for title in titles]


def level_text(rubric: Rubric, level: int) -> str:
    return f"{level} {rubric.level_name(level)}".strip()


def describe_pattern(pattern: Pattern) -> str:
    """What evidence a pattern finds, in words: its phrases (a few), else its note or an example."""
    if pattern.phrases:
        shown = ", ".join(f"“{md(p)}”" for p in pattern.phrases[:PHRASES_SHOWN])
        more = len(pattern.phrases) - PHRASES_SHOWN
        text = "wording such as " + shown + (f" (and {more} more)" if more > 0 else "")
    elif pattern.note:
        text = md(pattern.note)
    else:
        text = "a word pattern"
    if pattern.examples:
        text += f"; for example: “{md(pattern.examples[0])}”"
    return text


def describe_signal(rubric: Rubric, signal: Signal, level: int) -> list[str]:
    """What a signal contributes at ``level``, in words."""
    if signal.kind == "element" and signal.level == level and signal.element:
        return [f"the disclosure element “{md(rubric.name_of(signal.element) or signal.element)}” found in the statement"]
    if signal.kind == "training_audience":
        audiences = [a.replace("_", " ") for a, lvl in signal.levels.items() if lvl == level]
        if audiences:
            planned = [a.replace("_", " ") for a in signal.planned]
            text = "training given to: " + ", ".join(md(a) for a in audiences)
            return [text + (f" (plans count as {md(level_text(rubric, rubric.role_level('planned_cap')))} at most: "
                            f"{', '.join(md(p) for p in planned)})" if planned else "")]
    return []


def _scale(rubric: Rubric) -> str:
    rows = ["| Level | Name | What it means |", "|---|---|---|"]
    rows += [f"| {lvl.level} | {md(lvl.name)} | {md(lvl.description)} |" for lvl in sorted(rubric.scale, key=lambda x: x.level)]
    return "\n".join(rows)


def _aggregation(rubric: Rubric) -> str:
    lines = []
    if rubric.description:
        lines += [md(rubric.description), ""]
    lines.append("- **Criterion level**: the highest level that the statement's evidence supports. Each rule "
                 "(wording the rubric looks for) supports one level; so does evidence from other stages "
                 "(a disclosure element found, who receives training).")
    lines.append("- **Only what a reader sees is read**: text drawn invisibly, in the page's own colour or "
                 "transparent, clipped away, covered by an image or box drawn over it, or under 1.5 pt is left "
                 "out (a scan's hidden OCR text is kept: it is what the page image shows), so it can never meet "
                 "a check; the result says on which pages and how many words.")
    if rubric.criteria:
        cap = rubric.role_level("planned_cap")
        gap = rubric.role_level("gap_below")
        lines.append(f"- **Plans count for less**: evidence that is only planned (\"we will\", \"we intend to\") "
                     f"supports at most level {md(level_text(rubric, cap))}; so does an action item or a duty "
                     f"(\"Develop an action plan ...\", \"suppliers are expected to ensure ...\").")
        cut = rubric.optional_role_level("cut_cap")
        if cut is not None:
            lines.append(f"- **A piece of a sentence is not a claim**: a line cut from its sentence by a line or page "
                         f"break (it starts in lower case or stops on \"and\", \"the\") supports at most level "
                         f"{md(level_text(rubric, cut))}.")
        corroborate = rubric.optional_role_level("corroborate_from")
        if corroborate is not None:
            lines.append(f"- **Level {md(level_text(rubric, corroborate))} and above need the specifics**: one "
                         "sentence counts when it holds what the level's description names (a rule that asks for "
                         "it, or the role trained); otherwise two different sentences must say it.")
        lines.append("- **Negative claims support nothing**: sentences such as \"no cases were found\" or "
                     "\"we are low risk\" are not evidence; they are shown to the reviewer as flags.")
        example = [1, 2, 3, 4]
        lines.append(f"- **Theme level**: the median of the levels of the theme's criteria that apply, rounded "
                     f"down (levels {', '.join(map(str, example))} give {floor_median(example)}).")
        lines.append("- **Overall level**: the median of the levels of the themes that apply, rounded down.")
        lines.append("- **Financial firms only**: themes and criteria marked so apply to banks, building "
                     "societies, insurers, asset managers and payment firms; for any other organisation they "
                     "are left out of the medians.")
        lines.append(f"- **Gaps**: criteria below level {md(level_text(rubric, gap))} are listed as gaps, with "
                     "what the next level needs and what to do (advice chosen for the firm's sub-sector where "
                     "the rubric gives it).")
        lines.append("- **Statutory requirements** are checked separately (see that section) and are not part "
                     "of the levels: a statement can be mature and still fail the law, or the other way round.")
    for name, tag in rubric.tags.items():
        criteria = ", ".join(md(rubric.label(c.id)) for c in rubric.tagged(name))
        if tag.description and criteria:
            lines.append(f"- **Role {_code(name)}** ({criteria}): {md(tag.description)}")
    return "\n".join(lines)


def _gate(rubric: Rubric) -> str:
    if not rubric.gate:
        return "This rubric has no statutory checks."
    lines = ["Statements only (not CEO letters). The statutory requirements are met when every check is met. "
             "Each check is one of:", ""]
    lines += [f"- **{state.replace('_', ' ')}**: {text}" for state, text in GATE_STATES.items()]
    for check in rubric.gate:
        lines += ["", f"### {md(check.name)}", ""]
        for jurisdiction, wording in check.requirement.items():
            lines.append(f"- {md(JURISDICTIONS.get(jurisdiction, jurisdiction.upper()))}: {md(wording)}")
        if check.element:
            lines.append(f"- Found by the disclosure element “{md(rubric.name_of(check.element) or check.element)}”.")
        if check.recommendation:
            lines.append(f"- **If it is missing**: {md(check.recommendation)}")
        links = source_links(rubric, check.sources)
        if links:
            lines.append("- Sources: " + "; ".join(links))
    return "\n".join(lines)


def _criterion(rubric: Rubric, criterion: Criterion) -> list[str]:
    lines = ["", f"#### {md(rubric.label(criterion.id))}", ""]
    if criterion.description:
        lines += [md(criterion.description), ""]
    if criterion.applies_to == "financial":
        lines += ["*Financial firms only.*", ""]
    lines += ["| Level | What it needs | Evidence that counts |", "|---|---|---|"]
    for level in rubric.levels[1:]:
        evidence = [describe_pattern(p) for p in criterion.patterns if p.level == level]
        evidence += [text for s in criterion.signals for text in describe_signal(rubric, s, level)]
        lines.append(f"| {md(level_text(rubric, level))} | {md(rubric.level_descriptor(criterion.id, level))} | "
                     f"{' · '.join(evidence) or '—'} |")
    lines.append("")
    if criterion.recommendation:
        who = (f" ({md(', '.join(SUBSECTOR_NAMES.get(s, s) for s in criterion.advice_for))})"
               if criterion.advice_for else "")
        lines.append(f"- **What to do{who}**: {md(criterion.recommendation)}")
    for advice in criterion.advice:
        who = ", ".join(SUBSECTOR_NAMES.get(s, s) for s in advice.subsectors)
        lines.append(f"- **What to do ({md(who)})**: {md(advice.text)}")
    if criterion.advice_for:
        advised = set(criterion.advice_for) | {s for a in criterion.advice for s in a.subsectors}
        left = [SUBSECTOR_NAMES.get(s, s) for s in SUBSECTOR_NAMES if s not in advised]
        if left:
            lines.append(f"- Not listed as a gap for {md(', '.join(left))}: the rubric has no advice for them here.")
    links = source_links(rubric, criterion.sources)
    if links:
        lines.append("- Sources: " + "; ".join(links))
    return lines


def _themes(rubric: Rubric) -> str:
    criteria = {c.id: c for c in rubric.criteria}
    lines: list[str] = []
    for theme in rubric.themes:
        lines += ["", f"### {md(rubric.label(theme.id))}", ""]
        if theme.applies_to == "financial":
            lines += ["*Financial firms only.*", ""]
        lines.append("Criteria: " + ", ".join(md(rubric.label(c)) for c in theme.criteria) + ".")
        if theme.descriptors:
            lines += ["", "| Theme level | What it looks like |", "|---|---|"]
            lines += [f"| {md(level_text(rubric, lvl))} | {md(text)} |" for lvl, text in sorted(theme.descriptors.items())]
        links = source_links(rubric, theme.sources)
        if links:
            lines += ["", "Sources: " + "; ".join(links)]
        for criterion_id in theme.criteria:
            lines += _criterion(rubric, criteria[criterion_id])
    return "\n".join(lines).strip()


def _letter(rubric: Rubric) -> str:
    lines = ["CEO letters (responses to the Commissioner) are scored on the same criteria, then grouped: a "
             "scope's or a recommendation's level is the highest level among its criteria, or, where it has "
             "its own rules, the highest level its own evidence supports. Letters have no statutory checks."]
    for title, items in (("Scopes", rubric.letter.scopes), ("The CEO review's recommendations", rubric.letter.recommendations)):
        if not items:
            continue
        lines += ["", f"### {title}", ""]
        for item in items:
            parts = [f"- **{md(rubric.label(item.id))}**"]
            if item.description:
                parts.append(f": {md(item.description)}")
            if item.criteria:
                parts.append(" Criteria: " + ", ".join(md(rubric.label(c)) for c in item.criteria) + ".")
            for pattern in item.patterns:
                parts.append(f" Level {md(level_text(rubric, pattern.level or 0))}: {describe_pattern(pattern)}.")
            links = source_links(rubric, item.sources)
            if links:
                parts.append(" Sources: " + "; ".join(links))
            lines.append("".join(parts))
    return "\n".join(lines)


def _flags(rubric: Rubric) -> str:
    if not rubric.flags:
        return "This rubric raises no flags."
    lines = ["Flags are shown to the reviewer; they do not change a level."]
    for flag in rubric.flags:
        text = f"- **{md(flag.message)}**"
        if flag.acceptable_if is not None:
            criteria = ", ".join(md(rubric.label(c.id)) for c in rubric.tagged(flag.acceptable_if.tag))
            text += (f": not raised once {criteria} reaches level "
                     f"{md(level_text(rubric, flag.acceptable_if.level))}")
        if flag.never_supports:
            criteria = ", ".join(md(rubric.label(c.id)) for tag in flag.never_supports for c in rubric.tagged(tag))
            text += f". Such a sentence is never evidence for {criteria}"
        lines.append(text + ".")
    return "\n".join(lines)


def _sources(rubric: Rubric) -> str:
    lines = []
    for source_id, source in rubric.sources.items():
        note = f" — {md(source.note)}" if source.note else ""
        lines.append(f"- {markdown_link(source.title, source.url)} ({_code(source_id)}){note}")
    return "\n".join(lines) or "This rubric cites no sources."


def methodology(rubric: Rubric) -> tuple[MethodSection, ...]:
    """The methodology of ``rubric``, section by section."""
    about = (f"Rubric **{md(rubric.title)}**, id {_code(rubric.id)}, version {md(rubric.version)} "
             f"(results are stored under {_code(rubric.key)}). Everything below is generated from this rubric file.")
    return (
        MethodSection("scale", "The scale", about + "\n\n" + _scale(rubric)),
        MethodSection("scoring", "How levels are worked out", _aggregation(rubric)),
        MethodSection("statutory", "Statutory requirements", _gate(rubric)),
        MethodSection("criteria", "Themes and criteria", _themes(rubric)),
        MethodSection("letters", "CEO letters", _letter(rubric)),
        MethodSection("flags", "Flags", _flags(rubric)),
        MethodSection("sources", "Sources", _sources(rubric)),
    )


def to_markdown(rubric: Rubric) -> str:
    """The whole methodology as one Markdown document."""
    out = [f"# Methodology: {md(rubric.title)}", ""]
    for section in methodology(rubric):
        out += [f"## {section.title}", "", section.markdown, ""]
    return "\n".join(out)
