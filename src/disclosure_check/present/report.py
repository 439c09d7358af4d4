"""A readable report for one scored document: Markdown, HTML or PDF, built from the exported dict.

Pure text building for Markdown and HTML; PDF is drawn with reportlab from the same sections.
Every finding carries its quote and page, so the report can be checked against the statement.

Everything a report shows from the document, the store or the rubric (quotes, names, titles,
errors) is marked as a value where it is put into a sentence (``_v``) and written inert in each
format: backslash-escaped in Markdown (``sanitize.escape_markdown``: no link, image, HTML or
heading survives), entity-escaped in HTML and in reportlab's paragraph markup. The report's own
wording around the values stays readable Markdown. The only links are the rubric's sources (``_link``),
and only when their address is a plain http(s) URL (``methodology.safe_url``); their titles are
escaped like any value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from disclosure_check.files import atomic_path, write_text
from disclosure_check.present.methodology import markdown_link, safe_url
from disclosure_check.rubric import Rubric
from disclosure_check.sanitize import clean_line, escape_html, escape_markdown

FORMATS = ("md", "html", "pdf")
NOTICE = ("Automated assessment: decision support, not a legal opinion. Check each finding against the "
          "statement (every quote gives its page) before you rely on it.")
GATE_LABELS = {"met": "yes", "not_explicit": "NOT EXPLICIT", "not_found": "NOT FOUND (needs review)", "not_met": "NO"}  # a statutory check's state


# A value inside a section's text lies between these two private-use characters (which ``_v``
# removes from the value itself, so no value can end its own marking early).
_OPEN, _CLOSE = "\ue000", "\ue001"
_VALUE = re.compile(f"{_OPEN}([^{_CLOSE}]*){_CLOSE}")
# A link: title and address between three more private-use characters (see ``_link``).
_LINK_OPEN, _LINK_MID, _LINK_CLOSE = "\ue002", "\ue003", "\ue004"
_LINK = re.compile(f"{_LINK_OPEN}([^{_LINK_MID}]*){_LINK_MID}([^{_LINK_CLOSE}]*){_LINK_CLOSE}")
_MARKS = (_OPEN, _CLOSE, _LINK_OPEN, _LINK_MID, _LINK_CLOSE)


def _unmarked(value: object) -> str:
    text = clean_line(str(value))
    for mark in _MARKS:
        text = text.replace(mark, "")
    return text


def _v(value: object) -> str:
    """``value`` (from the document, the store or the rubric) marked for escaping, as one line."""
    return _OPEN + _unmarked(value) + _CLOSE


def _link(title: object, url: str | None) -> str:
    """A rubric source: a link when its address is a plain http(s) URL, else its title as a value."""
    if not safe_url(url):
        return _v(title)
    return _LINK_OPEN + _unmarked(title) + _LINK_MID + str(url) + _LINK_CLOSE


@dataclass(frozen=True)
class Section:
    """Texts are the report's own words with values marked by ``_v``; see ``to_markdown``."""

    title: str
    rows: tuple[tuple[str, ...], ...] = ()  # a table: first row is the header
    items: tuple[str, ...] = ()  # a list
    text: str = ""


def _markdown(text: str) -> str:
    """A section text as Markdown: the values escaped, links as links, the report's own words as they are."""
    text = _LINK.sub(lambda match: markdown_link(match.group(1), match.group(2)), text)
    return _VALUE.sub(lambda match: escape_markdown(match.group(1)), text)


def _plain(text: str) -> str:
    """A section text as plain text: links become their titles."""
    text = _LINK.sub(lambda match: match.group(1), text)
    return text.replace(_OPEN, "").replace(_CLOSE, "")


def _html(text: str) -> str:
    """A section text as HTML (and reportlab markup): everything escaped, links as ``<a href>``."""
    out, start = [], 0
    for match in _LINK.finditer(text):
        out.append(escape_html(_plain(text[start:match.start()])))
        out.append(f'<a href="{escape_html(match.group(2))}">{escape_html(match.group(1))}</a>')
        start = match.end()
    out.append(escape_html(_plain(text[start:])))
    return "".join(out)


def _level_name(rubric: Rubric, level: int | None) -> str:
    return _v(rubric.level_label(level, none="not applicable"))


def _quote(evidence: list[dict], limit: int = 1) -> str:
    """The strongest ``limit`` quotes, each the whole sentence (a cut quote can change what it says)."""
    parts = [f"“{_v(e['text'])}” (p. {_v(e['page'])}{', read by OCR' if e.get('ocr') else ''}"
             f"{', ' + _v(e['status']) if e.get('status') else ''})" for e in evidence[:limit]]
    return " ".join(parts) if parts else "—"


def _sources(rubric: Rubric, titles: list[str]) -> str:
    """A gap's sources (stored as titles) as links where the rubric gives an address."""
    urls = {source.title: source.url for source in rubric.sources.values()}
    return "; ".join(_link(title, urls.get(title)) for title in titles)


def _check_state(check: dict) -> str:
    return check.get("state") or ("met" if check["met"] else "not_met")


def _statutory(item: dict, rubric: Rubric) -> Section:
    """The legal checks, each with the law's words, the evidence and, unless met, what to do."""
    checks = {c.id: c for c in rubric.gate}
    rows = [("Requirement", "Met", "Evidence", "What the law asks", "What to do")]
    for check in item["statutory"]["checks"]:
        evidence = check["evidence"][0] if check["evidence"] else None
        state = _check_state(check)
        fix = checks[check["id"]].recommendation if check["id"] in checks else ""
        rows.append((_v(check["name"]), GATE_LABELS.get(state, "NO") + (f": {_v(check['reason'])}" if check.get("reason") else ""),
                     f"“{_v(evidence['text'])}” (p. {_v(evidence['page'])}{', OCR' if evidence.get('ocr') else ''})"
                     if evidence else "—", _v(check["requirement"]),
                     "—" if state == "met" else (_v(fix) if fix else "—")))
    return Section("Statutory requirements", rows=tuple(rows))


def _next_level(rubric: Rubric, criterion_id: str, level: int) -> str:
    upper = rubric.next_level(level)
    if upper is None:
        return "Top of the scale."
    return f"{_level_name(rubric, upper)}: {_v(rubric.level_descriptor(criterion_id, upper))}"


def report_title(item: dict) -> str:
    """What the report is about, as a reader names it: the organisation and the year when the
    document (or a reviewer) says them, else the file's name."""
    identity = item.get("identity") or {}
    organisation = item.get("organisation") or identity.get("organisation")
    year = item.get("year") or identity.get("year")
    if organisation:
        return f"{_unmarked(organisation)}{f' {_unmarked(year)}' if year else ''}"
    return _unmarked(Path(str(item["document"])).name) + (f" ({_unmarked(year)})" if year else "")


def report_file_stem(item: dict) -> str:
    """A file name for the report: the title's letters, digits and dashes (never a path)."""
    stem = re.sub(r"[^\w-]+", "-", report_title(item), flags=re.UNICODE).strip("-_")[:80]
    return f"{stem or 'document'}-modern-slavery-assessment"


def report_sections(item: dict, rubric: Rubric, *, today: date | None = None) -> list[Section]:
    """The report's content, format-independent: the statutory checks first (with what to fix), then
    levels with what each means and what the next needs, every gap, the evidence quoted with pages.
    The title names the organisation and year; the first lines say when the report was made, from
    which file, and that it is an automated assessment to check before relying on it."""
    name = _v(Path(str(item["document"])).name)
    title = f"Modern slavery assessment: {_v(report_title(item))}"
    made = f"Report made {_v((today or date.today()).isoformat())} from {name}" + (
        f", scored {_v(str(item['scored_at'])[:10])}" if item.get("scored_at") else "") + "."
    if item["status"] != "scored":
        return [Section(title, items=(NOTICE, made),
                        text=f"Not scored: [{_v(item['error_code'])}] {_v(item['error'])}")]
    sections: list[Section] = []
    identity = item.get("identity") or {}
    organisation = item.get("organisation") or identity.get("organisation")
    who = (f"Organisation: {_v(organisation)}{'' if str(organisation).endswith('.') else '.'}" if organisation else
           f"Organisation: not identified with confidence (suggested: {_v(item['identity_suggestion'])})."
           if item.get("identity_suggestion") else "Organisation: not identified from the text.")
    summary = [NOTICE, made, who,
               f"Pages: {_v(item['pages'])}; sentences analysed: {_v(item.get('sentences', 0))}.",
               f"Rubric {_v(item['rubric_version'])}; model {_v(item['model_version'])}."]
    if item.get("pages_ocr"):
        summary.append("Read by OCR (no usable text layer): " + ", ".join(
            f"p. {_v(p['page'])} (confidence {_v(format(float(p['confidence']), '.0f'))}%)" for p in item["pages_ocr"]) + ".")
    if item.get("pages_other_language"):
        summary.append("Not scored, in another language: " + ", ".join(
            f"p. {_v(p['page'])} ({_v(p['language'])})" for p in item["pages_other_language"]) + ".")
    if item.get("pages_hidden_text"):
        summary.append("Left out, as a reader cannot see it (never evidence): " + ", ".join(
            f"p. {_v(h['page'])} ({_v(h['words'])} words: {_v(', '.join(h.get('how') or ()))})"
            for h in item["pages_hidden_text"]) + ".")
    if "criteria" in item:
        sector = item["sector"]
        organisation = _v(sector["subsector"] or "financial firm") if sector["financial"] else "not a financial firm"
        summary.insert(3, f"Document type: {_v(item['doc_type'])}; sector: {organisation}"
                          f" ({_v(sector['source'])}); jurisdiction: {_v(str(sector['jurisdiction']).upper())}.")
        summary.insert(4, f"Overall maturity: {_level_name(rubric, item['overall'])}.")
    if item.get("statutory"):
        checks = item["statutory"]["checks"]
        met = sum(_check_state(c) == "met" for c in checks)
        met_all = item["statutory"]["met"]
        verdict = "met" if met_all else "NOT MET" if met_all is False else "NEEDS REVIEW (not every check was found)"
        summary.insert(3, f"Statutory requirements: {verdict} ({met} of {len(checks)} checks met; "
                          "see the first section for what to fix).")
    sections.append(Section(title, items=tuple(summary)))
    if item.get("statutory"):
        sections.append(_statutory(item, rubric))
    if item.get("letter"):
        rows = [("Item", "Kind", "Level", "Strongest evidence")]
        rows += [(_v(rubric.label(i["id"]) if rubric.name_of(i["id"]) else i["name"]), _v(i["kind"]),
                  _level_name(rubric, i["level"]), _quote(i.get("evidence", []))) for i in item["letter"]]
        sections.append(Section("Response to the Commissioner: scopes and recommendations", rows=tuple(rows)))
    if "themes" in item:
        themes = {t.id: t for t in rubric.themes}
        rows = [("Theme", "Level", "What this level looks like")]
        for t in item["themes"]:
            theme = themes.get(t["id"])
            meaning = theme.descriptors.get(t["level"], "") if theme is not None and t["level"] is not None else ""
            rows.append((_v(rubric.label(t["id"])), _level_name(rubric, t["level"]), _v(meaning) if meaning else "—"))
        sections.append(Section("Maturity by theme", rows=tuple(rows)))
        rows = [("Criterion", "Level", "What this level means", "Next level", "Strongest evidence")]
        for c in item["criteria"]:
            if not c["applies"]:
                continue
            rows.append((_v(rubric.label(c["id"])), _level_name(rubric, c["level"]),
                         _v(rubric.level_descriptor(c["id"], c["level"])), _next_level(rubric, c["id"], c["level"]),
                         _quote(c["evidence"])))
        sections.append(Section("Criteria", rows=tuple(rows)))
        gaps = []
        for gap in item["gaps"]:
            next_text = gap["next_level_description"] or rubric.level_descriptor(gap["criterion"], gap["next_level"])
            line = (f"{_v(rubric.label(gap['criterion']))} — now {_level_name(rubric, gap['level'])}. "
                    f"Next level, {_level_name(rubric, gap['next_level'])}: {_v(next_text)} "
                    f"What to do: {_v(gap['recommendation'])}")
            gaps.append(line + (f" Sources: {_sources(rubric, gap['sources'])}." if gap["sources"] else ""))
        threshold = next((lvl for lvl in rubric.scale if "gap_below" in lvl.roles), None)
        none_below = (f"No criterion below {_level_name(rubric, threshold.level)}." if threshold is not None
                      else "No gaps.")
        sections.append(Section(f"Gaps and recommendations ({len(gaps)})" if gaps else "Gaps and recommendations",
                                items=tuple(gaps) or (none_below,)))
    names = {e.id: e.name for e in rubric.elements}
    rows = [("Disclosure element", "Found", "Confidence", "Evidence")]
    for element, entry in item["elements"].items():
        rows.append((_v(names.get(element, element)), "yes" if entry["present"] else "no",
                     _v(f"{float(entry['confidence']):.2f}"), _quote(entry["evidence"])))
    sections.append(Section("Disclosure elements", rows=tuple(rows)))
    if item.get("training_audiences"):
        audiences = item["training_audiences"]
        lines = [f"Audiences: {_v(', '.join(audiences['labels']))} ({_v(audiences['model_version'])})."]
        lines += [f"{_v(e['audience'])}: “{_v(e['text'])}” (p. {_v(e['page'])})" for e in audiences["evidence"]]
        sections.append(Section("Who receives modern slavery training", items=tuple(lines)))
    negative = [f"{_v(names.get(element, element))}: negative claim, not counted as evidence: “{_v(e['text'])}” "
                f"(p. {_v(e['page'])})" for element, entry in item["elements"].items() for e in entry.get("negative", [])]
    if item.get("flags") or negative:
        sections.append(Section("Flags for the reviewer",
                                items=tuple(_v(flag) for flag in item.get("flags", [])) + tuple(negative)))
    links = [_link(source.title, source.url) for source in rubric.sources.values() if safe_url(source.url)]
    if links:
        sections.append(Section("Sources and methodology", text=(
            f"Levels, gaps and advice come from the rubric {_v(rubric.title)} ({_v(rubric.key)}); "
            "the Methodology page of the dashboard explains how they are worked out. Sources: " + "; ".join(links) + ".")))
    return sections


def to_markdown(sections: list[Section]) -> str:
    out = []
    for i, section in enumerate(sections):
        out.append(("# " if i == 0 else "## ") + _markdown(section.title))
        out.append("")
        if section.text:
            out += [_markdown(section.text), ""]
        out += [f"- {_markdown(line)}" for line in section.items]
        if section.items:
            out.append("")
        if section.rows:
            header, *body = section.rows
            out.append("| " + " | ".join(_markdown(h) for h in header) + " |")
            out.append("|" + "---|" * len(header))
            out += ["| " + " | ".join(_markdown(cell.replace("|", "/")) for cell in row) + " |" for row in body]
            out.append("")
    return "\n".join(out)


def to_html(sections: list[Section]) -> str:
    e = _html
    body = []
    for i, section in enumerate(sections):
        body.append(f"<h{1 if i == 0 else 2}>{e(section.title)}</h{1 if i == 0 else 2}>")
        if section.text:
            body.append(f"<p>{e(section.text)}</p>")
        if section.items:
            body.append("<ul>" + "".join(f"<li>{e(line)}</li>" for line in section.items) + "</ul>")
        if section.rows:
            header, *rows = section.rows
            body.append("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in header) + "</tr></thead><tbody>"
                        + "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows)
                        + "</tbody></table>")
    style = ("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;line-height:1.4;color:#222}"
             "table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{border:1px solid #ccc;"
             "padding:.35rem .5rem;vertical-align:top;text-align:left;font-size:.9rem}th{background:#f3f3f3}")
    # No script, no remote resource: the page shows only the text above, whatever a quote says.
    policy = "default-src 'none'; style-src 'unsafe-inline'"
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\"><title>"
            f"{e(sections[0].title)}</title><style>{style}</style></head><body>" + "".join(body) + "</body></html>\n")


def require_pdf_support() -> None:
    """PDF reports need reportlab, an optional extra: say so before any work is done."""
    import importlib.util

    from disclosure_check.errors import ConfigError

    if importlib.util.find_spec("reportlab") is None:
        raise ConfigError("PDF reports need reportlab, which is not installed",
                          fix="pip install 'disclosure-check[report]', or write .md or .html instead")


def to_pdf(sections: list[Section], path: Path) -> None:
    require_pdf_support()
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    cell = styles["BodyText"].clone("cell", fontSize=8, leading=10)
    e = _html  # reportlab's paragraphs read a little HTML: escaped, a quote's tags and links are text
    story: list = []
    for i, section in enumerate(sections):
        story.append(Paragraph(e(section.title), styles["Title" if i == 0 else "Heading2"]))
        if section.text:
            story.append(Paragraph(e(section.text), styles["BodyText"]))
        for line in section.items:
            story.append(Paragraph("• " + e(line), styles["BodyText"]))
        if section.rows:
            data = [[Paragraph(e(c), cell) for c in row] for row in section.rows]
            table = Table(data, repeatRows=1, hAlign="LEFT", colWidths=[(A4[0] - 30 * mm) / len(section.rows[0])] * len(section.rows[0]))
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                                       ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                                       ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story.append(table)
        story.append(Spacer(1, 6))
    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                      bottomMargin=18 * mm, title=_plain(sections[0].title), creator="disclosure_check",
                      ).build(story, canvasmaker=_numbered_canvas(_plain(sections[0].title)))


def _numbered_canvas(title: str):
    """A reportlab canvas that writes "page N of M", the report's title and the notice at the foot
    of every page (M is known only once every page is laid out, so pages are kept until the end)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont("Helvetica", 7)
                self.setFillGray(0.35)
                self.drawString(15 * mm, 10 * mm, f"{title[:90]} · automated assessment: decision support, "
                                                  "check before you rely on it")
                self.drawRightString(A4[0] - 15 * mm, 10 * mm, f"page {self._pageNumber} of {len(self._pages)}")
                super().showPage()
            super().save()

    return NumberedCanvas


def write_report(item: dict, rubric: Rubric, path: Path, fmt: str) -> Path:
    """Write the report in ``fmt`` (md, html or pdf) to ``path``, atomically: an interrupted run
    leaves the previous report (or none), never half of one."""
    sections = report_sections(item, rubric)
    if fmt == "md":
        write_text(path, to_markdown(sections))
    elif fmt == "html":
        write_text(path, to_html(sections))
    else:
        with atomic_path(path) as tmp:
            to_pdf(sections, tmp)
    return Path(path)
