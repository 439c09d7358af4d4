"""The dashboard's reads, as SQL over the store's reviewed tables (never by parsing stored JSON).

The same SQL runs on SQLite and PostgreSQL (``store.conn`` takes ``?`` placeholders on both): flags
are stored as 0/1 integers and counted with ``CASE``, never summed as booleans; the few places that
differ (keyword search, reading one JSON field) ask ``store.dialect``.

Plain functions taking a ``Store`` and returning pandas DataFrames or frozen dataclasses; no
Streamlit. Every value is the reviewed truth: the SQL rows already hold reviewers' decisions.
One row per stored result (a document scored with two rubric versions counts twice, as the
export does).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from disclosure_check.rubric import Rubric
from disclosure_check.store.store import Store
from disclosure_check.store.words import Hit, Term, find, parse, snippet, to_term, tsquery_lexeme, words
from disclosure_check.types import NEEDS_REVIEW

FINANCIAL_LEVER = "financial_lever"  # the rubric tag of the lending, investment and portfolio criteria
NO_SUBSECTOR = "no sub-sector"


@dataclass(frozen=True)
class Filters:
    """What the overview's sidebar narrows to; an empty tuple means no filter."""

    sectors: tuple[str, ...] = ()  # "financial" | "other"
    subsectors: tuple[str, ...] = ()  # NO_SUBSECTOR for results without one
    years: tuple[int, ...] = ()
    doc_types: tuple[str, ...] = ()
    levels: tuple[int, ...] = ()
    origins: tuple[str, ...] = ()
    reviewed: str = "all"  # "all" | "reviewed" | "not reviewed"
    statutory: tuple[str, ...] = ()  # met | not_explicit | not_found | not_met
    industries: tuple[str, ...] = ()  # INDUSTRIES; "unknown" for results without one
    jurisdictions: tuple[str, ...] = ()  # JURISDICTIONS, "none" for results naming no law: any of them
    # Documents that are neither statements nor letters (annual reports, filings, policies) are kept and
    # searchable but never counted in figures: they are left out unless a doc_types filter names "other"
    # or this is set (the document table, where staff correct a document's type).
    include_other: bool = False


def _in(column: str, values: Sequence, clauses: list[str], params: list) -> None:
    if values:
        clauses.append(f"{column} IN ({','.join('?' * len(values))})")
        params.extend(values)


def filter_sql(filters: Filters) -> tuple[str, list]:
    """A WHERE clause (over ``results r JOIN documents d``) for the scored results ``filters`` keep."""
    clauses, params = ["r.status = 'scored'"], []
    if filters.sectors and set(filters.sectors) != {"financial", "other"}:
        clauses.append("COALESCE(r.financial, 0) = ?")
        params.append(int("financial" in filters.sectors))
    if filters.subsectors:
        named = [s for s in filters.subsectors if s != NO_SUBSECTOR]
        parts = []
        if named:
            parts.append(f"r.subsector IN ({','.join('?' * len(named))})")
            params.extend(named)
        if NO_SUBSECTOR in filters.subsectors:
            parts.append("r.subsector IS NULL")
        clauses.append("(" + " OR ".join(parts) + ")")
    _in("d.year", filters.years, clauses, params)
    _in("r.doc_type", filters.doc_types, clauses, params)
    if not filters.doc_types and not filters.include_other:
        clauses.append("COALESCE(r.doc_type, '') <> 'other'")
    if filters.industries:
        named = [i for i in filters.industries if i != "unknown"]
        parts = [f"r.industry IN ({','.join('?' * len(named))})"] if named else []
        params.extend(named)
        if "unknown" in filters.industries:
            parts.append("r.industry IS NULL")
        clauses.append("(" + " OR ".join(parts) + ")")
    if filters.jurisdictions:
        clauses.append("(" + " OR ".join("(';' || COALESCE(r.jurisdictions, 'none') || ';') LIKE ?"
                                         for _ in filters.jurisdictions) + ")")
        params.extend(f"%;{j};%" for j in filters.jurisdictions)
    _in("r.overall_level", filters.levels, clauses, params)
    _in("d.origin", filters.origins, clauses, params)
    _in("r.statutory_state", filters.statutory, clauses, params)
    if filters.reviewed == "reviewed":
        clauses.append("r.decisions > 0")
    elif filters.reviewed == "not reviewed":
        clauses.append("r.decisions = 0")
    return " WHERE " + " AND ".join(clauses), params


FROM = " FROM results r JOIN documents d ON d.doc_id = r.doc_id"
RESULTS = " FROM results r"


STATEMENTS_AND_LETTERS = "COALESCE(r.doc_type, 'statement') <> 'other'"


def source(filters: Filters) -> str:
    """FROM results, joined to documents only when a filter needs a document's year or origin."""
    return FROM if filters.years or filters.origins else RESULTS


def frame(store: Store, sql: str, params: Sequence = ()) -> pd.DataFrame:
    cursor = store.conn.execute(sql, list(params))
    return pd.DataFrame.from_records(cursor.fetchall(), columns=[c[0] for c in cursor.description])


# -- what the filters offer ------------------------------------------------------------------
@dataclass(frozen=True)
class FilterOptions:
    subsectors: tuple[str, ...]
    years: tuple[int, ...]
    doc_types: tuple[str, ...]
    industries: tuple[str, ...] = ()
    jurisdictions: tuple[str, ...] = ()


def filter_options(store: Store) -> FilterOptions:
    rows = store.conn.execute("SELECT DISTINCT COALESCE(subsector, ?), doc_type, COALESCE(industry, 'unknown'),"
                              " jurisdictions FROM results WHERE status='scored'", (NO_SUBSECTOR,)).fetchall()
    years = store.conn.execute("SELECT DISTINCT year FROM documents WHERE year IS NOT NULL").fetchall()
    laws = {law for r in rows if r[3] for law in r[3].split(";")}
    return FilterOptions(subsectors=tuple(sorted({r[0] for r in rows}, key=lambda s: (s == NO_SUBSECTOR, s))),
                         years=tuple(sorted(int(r[0]) for r in years)),
                         doc_types=tuple(sorted({r[1] for r in rows if r[1]})),
                         industries=tuple(sorted({r[2] for r in rows}, key=lambda s: (s == "unknown", s))),
                         jurisdictions=tuple(sorted(laws, key=lambda s: (s == "none", s))))


# -- headline figures ------------------------------------------------------------------------
@dataclass(frozen=True)
class Summary:
    documents: int  # scored results the filters keep
    failed: int  # failures in the whole store (filters do not apply: a failure has no profile)
    statutory: dict[str, int] = field(default_factory=dict)  # a statement's worst state (types.GATE_STATES) -> count
    financial: int = 0
    covering_lever: int = 0  # financial results whose financial-lever criteria reach the tag's minimum (its rule)
    reviewed: int = 0
    checks: dict[str, dict[str, int]] = field(default_factory=dict)  # check id -> state -> statements

    @property
    def statutory_failures(self) -> int:
        """Statements with a check "not_met": the text says so or a reviewer decided. A check the
        machine did not find ("not_found") or found unclear ("not_explicit") needs review instead."""
        return self.statutory.get("not_met", 0)

    @property
    def needs_review(self) -> int:
        return sum(self.statutory.get(s, 0) for s in NEEDS_REVIEW)

    def failed_checks(self) -> dict[str, int]:
        """Check id -> statements failing it, most first."""
        out = {c: states.get("not_met", 0) for c, states in self.checks.items() if states.get("not_met")}
        return dict(sorted(out.items(), key=lambda kv: -kv[1]))

    @property
    def lever_share(self) -> float:
        return self.covering_lever / self.financial if self.financial else 0.0


def lever_sql(rubric: Rubric) -> tuple[str, list]:
    """An SQL expression (over ``results r``): 1 when a financial result has the criteria tagged as a
    financial lever applying and at the tag's minimum level, every one of them or at least one as the
    tag's ``rule`` says (``maturity.tag_met``), else 0."""
    criteria = [c.id for c in rubric.tagged(FINANCIAL_LEVER)]
    tag = rubric.tags.get(FINANCIAL_LEVER)
    if not criteria or tag is None:
        return "0", []
    needed = 1 if tag.rule == "any" else len(criteria)
    sql = (f"(CASE WHEN COALESCE(r.financial, 0) = 1 AND (SELECT COUNT(*) FROM criterion_results c"
           f" WHERE c.result_id = r.id AND c.applies = 1 AND c.level >= ?"
           f" AND c.criterion IN ({','.join('?' * len(criteria))})) >= ? THEN 1 ELSE 0 END)")
    return sql, [lever_minimum(rubric), *criteria, needed]


def lever_minimum(rubric: Rubric) -> int:
    """The level a financial-lever criterion must reach to count (the tag's ``min_level``, else the top)."""
    tag = rubric.tags.get(FINANCIAL_LEVER)
    return tag.min_level if tag is not None and tag.min_level is not None else rubric.levels[-1]


def lever_counts(store: Store, filters: Filters, rubric: Rubric) -> dict[str, int]:
    """Financial-lever criterion id -> financial results (the filters keep) where it applies at the
    tag's minimum level or above: which levers the overview's figure rests on."""
    criteria = [c.id for c in rubric.tagged(FINANCIAL_LEVER)]
    if not criteria:
        return {}
    where, params = filter_sql(filters)
    rows = dict(store.conn.execute(
        "SELECT c.criterion, COUNT(*) FROM criterion_results c WHERE c.applies = 1 AND c.level >= ?"
        f" AND c.criterion IN ({','.join('?' * len(criteria))}) AND c.result_id IN (SELECT r.id"
        + source(filters) + where + " AND COALESCE(r.financial, 0) = 1) GROUP BY c.criterion",
        [lever_minimum(rubric), *criteria, *params]).fetchall())
    return {c: int(rows.get(c, 0)) for c in criteria}


def summary(store: Store, filters: Filters, rubric: Rubric) -> Summary:
    where, params = filter_sql(filters)
    lever, lever_params = lever_sql(rubric)
    row = store.conn.execute(
        f"SELECT COUNT(*), SUM(COALESCE(r.financial, 0)), SUM({lever}),"
        " SUM(CASE WHEN r.decisions > 0 THEN 1 ELSE 0 END)" + source(filters) + where,
        [*lever_params, *params]).fetchone()
    states = dict(store.conn.execute("SELECT r.statutory_state, COUNT(*)" + source(filters) + where
                                     + " AND r.statutory_state IS NOT NULL GROUP BY r.statutory_state", params).fetchall())
    checks: dict[str, dict[str, int]] = {}
    for check, state, count in store.conn.execute(
            "SELECT g.check_id, g.state, COUNT(*) FROM gate_results g WHERE g.result_id IN (SELECT r.id"
            + source(filters) + where + " AND r.statutory_state IS NOT NULL) GROUP BY g.check_id, g.state",
            params).fetchall():
        checks.setdefault(check, {})[state] = int(count)
    failed = store.conn.execute("SELECT COUNT(*) FROM results WHERE status='failed'").fetchone()[0]
    return Summary(documents=row[0], failed=failed, statutory=states, financial=int(row[1] or 0),
                   covering_lever=int(row[2] or 0), reviewed=int(row[3] or 0), checks=checks)


# -- aggregates for the charts ---------------------------------------------------------------
def level_counts(store: Store, filters: Filters, by: str = "subsector") -> pd.DataFrame:
    """Overall level counts per sub-sector (``by='subsector'``) or per document type: columns group,
    level, documents."""
    column = {"subsector": "COALESCE(r.subsector, ?)", "doc_type": "COALESCE(r.doc_type, ?)"}[by]
    where, params = filter_sql(filters)
    return frame(store, f"SELECT {column} AS grp, r.overall_level AS level, COUNT(*) AS documents" + source(filters) + where
                 + " AND r.overall_level IS NOT NULL GROUP BY grp, level ORDER BY grp, level",
                 [NO_SUBSECTOR if by == "subsector" else "unknown", *params]).rename(columns={"grp": "group"})


def statutory_counts(store: Store, filters: Filters) -> pd.DataFrame:
    """Statement results by sub-sector and statutory state: columns group, state, documents."""
    where, params = filter_sql(filters)
    return frame(store, "SELECT COALESCE(r.subsector, ?) AS grp, r.statutory_state AS state, COUNT(*) AS documents"
                 + source(filters) + where + " AND r.statutory_state IS NOT NULL GROUP BY grp, state ORDER BY grp, state",
                 [NO_SUBSECTOR, *params]).rename(columns={"grp": "group"})


def theme_counts(store: Store, filters: Filters) -> pd.DataFrame:
    """Theme level counts per sub-sector: columns group, theme, level, documents."""
    where, params = filter_sql(filters)
    return frame(store, "SELECT COALESCE(r.subsector, ?) AS grp, t.theme, t.level, COUNT(*) AS documents"
                 + source(filters) + " JOIN theme_results t ON t.result_id = r.id" + where
                 + " AND t.level IS NOT NULL GROUP BY grp, t.theme, t.level", [NO_SUBSECTOR, *params]
                 ).rename(columns={"grp": "group"})


def criterion_counts(store: Store, filters: Filters) -> pd.DataFrame:
    """Level counts per criterion (where it applies): columns criterion, level, documents."""
    where, params = filter_sql(filters)
    return frame(store, "SELECT c.criterion, c.level, COUNT(*) AS documents" + source(filters)
                 + " JOIN criterion_results c ON c.result_id = r.id" + where
                 + " AND c.applies = 1 GROUP BY c.criterion, c.level", params)


def weighted_median(counts: pd.DataFrame, keys: list[str], value: str = "level", weight: str = "documents") -> pd.DataFrame:
    """The median of ``value`` per ``keys`` from a frame of value counts (the lower median on a tie)."""
    rows = []
    for key, group in counts.sort_values(value).groupby(keys, sort=True):
        cumulative = group[weight].cumsum()
        half = group[weight].sum() / 2
        rows.append((*((key,) if isinstance(key, str) else key), group[value].iloc[int((cumulative >= half).argmax())],
                     int(group[weight].sum())))
    return pd.DataFrame(rows, columns=[*keys, "median", "documents"])


# -- the document table ----------------------------------------------------------------------
DOCUMENT_COLUMNS = ("doc_id", "organisation", "year", "file", "origin", "doc_type", "subsector", "statutory_state",
                    "overall_level", "decisions", "top_gap", "scored_at")


def document_count(store: Store, filters: Filters) -> int:
    where, params = filter_sql(filters)
    return store.conn.execute("SELECT COUNT(*)" + source(filters) + where, params).fetchone()[0]


def documents(store: Store, filters: Filters, rubric: Rubric, *, limit: int | None = 200, offset: int = 0,
              criteria: bool = False) -> pd.DataFrame:
    """The filtered results, newest first, one row each: document fields, statutory state, overall
    level, each theme's level (``<theme>_level``), with ``criteria`` each criterion's, reviewed,
    the top gap and its name. ``limit=None``: every row (downloads)."""
    where, params = filter_sql(filters)
    lever, lever_params = lever_sql(rubric)
    page = "" if limit is None else f" LIMIT {int(limit)} OFFSET {int(offset)}"
    table = frame(store, "SELECT r.id AS result_id, r.doc_id, d.organisation, d.organisation_source, d.suggestion,"
                  " d.year, d.file_name AS file, d.origin, r.doc_type, r.financial, r.subsector, r.industry,"
                  " r.jurisdictions, r.statutory_state, r.statutory_met, r.overall_level,"
                  f" r.machine_overall_level, r.decisions, r.top_gap, r.scored_at, {lever} AS covers_lever"
                  + FROM + where + " ORDER BY r.scored_at DESC, r.id DESC" + page, [*lever_params, *params])
    table["reviewed"] = table["decisions"] > 0
    table["financial"] = table["financial"].astype("boolean")
    table["statutory_met"] = table["statutory_met"].map({1: True, 0: False}).astype("boolean")
    table["covers_lever"] = table["covers_lever"].astype(bool)
    table["top_gap_name"] = table["top_gap"].map(lambda c: rubric.label(c) if isinstance(c, str) else None)
    table["overall_label"] = table["overall_level"].map(
        lambda v: rubric.level_label(int(v)) if pd.notna(v) else None)
    ids = [int(i) for i in table["result_id"]]
    levels = _pivot(store, "theme_results", "theme", ids, [t.id for t in rubric.themes])
    if criteria:
        levels = levels.join(_pivot(store, "criterion_results", "criterion", ids, [c.id for c in rubric.criteria],
                                    applies=True), how="outer")
    table = table.join(levels, on="result_id")
    return table


def _pivot(store: Store, table: str, key: str, ids: list[int], codes: list[str], *, applies: bool = False) -> pd.DataFrame:
    """``<code>_level`` columns for the results ``ids`` (None where a criterion does not apply)."""
    columns = [f"{code}_level" for code in codes]
    if not ids:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="result_id"))
    level = "CASE WHEN applies = 1 THEN level END" if applies else "level"
    out = []
    for start in range(0, len(ids), 30000):  # SQLite's bound-parameter limit
        chunk = ids[start:start + 30000]
        out.append(frame(store, f"SELECT result_id, {key} AS code, {level} AS level FROM {table}"
                         f" WHERE result_id IN ({','.join('?' * len(chunk))})", chunk))
    long = pd.concat(out, ignore_index=True)
    wide = long.pivot_table(index="result_id", columns="code", values="level", aggfunc="first", dropna=False)
    wide.columns = [f"{c}_level" for c in wide.columns]
    return wide.reindex(columns=columns).astype("Int64")


# -- failures --------------------------------------------------------------------------------
def failures(store: Store, code: str | None = None) -> pd.DataFrame:
    """Every failed document, newest first: doc_id, file, path, error_code, error, scored_at."""
    sql = ("SELECT r.doc_id, d.file_name AS file, d.path, r.error_code, r.error, r.scored_at" + FROM
           + " WHERE r.status = 'failed'" + (" AND r.error_code = ?" if code else "")
           + " ORDER BY r.scored_at DESC, r.id DESC")
    return frame(store, sql, [code] if code else [])


def failure_codes(store: Store) -> dict[str, int]:
    return dict(store.conn.execute("SELECT COALESCE(error_code, ''), COUNT(*) FROM results WHERE status='failed'"
                                   " GROUP BY error_code ORDER BY COUNT(*) DESC").fetchall())


# -- keyword search --------------------------------------------------------------------------
MATCHING_RULE = ('A word also finds its other endings ("survivors" finds survivor, survivors and survivor\'s: '
                 'Porter stemming); `word*` finds every word that begins so (`traffick*`: trafficked, '
                 'trafficking, traffickers); a "quoted phrase" finds those exact words in that order. '
                 'Case does not matter.')


@dataclass(frozen=True)
class DocumentHits:
    """Every place one document mentions the terms searched for."""

    hits: tuple[Hit, ...]
    snippets: tuple[str, ...]  # one per hit, the hit marked [[ ]]
    pages_known: bool  # False: the text was stored before its pages were (score it again to add them)


@dataclass(frozen=True)
class SearchResult:
    searched: int  # statements with text that the filters keep
    matching: int  # of those, how many mention the include terms and none of the exclude terms
    without_text: int  # scored statements the filters keep whose text was not stored
    rows: pd.DataFrame  # matching statements: doc_id, organisation, year, file, subsector, overall_level, snippet, hits
    full_text: bool  # answered by the full-text indexes (SQLite FTS5, PostgreSQL GIN), else by reading every text
    hits: dict[str, DocumentHits] = field(default_factory=dict)  # the first matching documents' hits, by doc_id
    terms: tuple[Term, ...] = ()  # the include terms, as read

    @property
    def not_matching(self) -> int:
        return self.searched - self.matching


def parse_terms(text: str) -> tuple[str, ...]:
    """Terms from what a person types (``words.parse``), as typed."""
    return tuple(t.text for t in parse(text))


def _terms(given: Sequence[str | Term]) -> list[Term]:
    terms = [t if isinstance(t, Term) else to_term(t) for t in given]
    return [t for t in terms if t is not None]


def has_full_text(store: Store) -> bool:
    if store.dialect.postgres:  # the word and stem columns' GIN indexes
        return store.conn.execute("SELECT 1 FROM pg_catalog.pg_indexes WHERE schemaname = current_schema()"
                                  " AND indexname = 'document_stems'").fetchone() is not None
    return store.conn.table_exists("document_stems")


def _fts5(term: Term) -> tuple[str, str]:
    """The FTS5 table and query for a term: stems for a word, the word index for the rest."""
    if term.kind == "word":
        return "document_stems", f'"{term.words[0]}"'
    quoted = '"' + " ".join(term.words) + '"'
    return "document_search", quoted + ("*" if term.kind == "prefix" else "")


def _phrase_regex(term: Term) -> str:
    """A phrase in a PostgreSQL text: its words in order with only non-word characters between."""
    return r"(^|[^[:alnum:]])" + r"[^[:alnum:]]+".join(term.words) + r"([^[:alnum:]]|$)"


def _condition(store: Store, term: Term) -> tuple[str, list]:
    """SQL true where ``t`` (document_texts) mentions ``term``, answered by an index."""
    if not store.dialect.postgres:
        table, query = _fts5(term)
        return f"t.rowid IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)", [query]
    if term.kind == "word":
        return "t.stems @@ ?::tsquery", [tsquery_lexeme(term.stem)]
    if term.kind == "prefix":
        return "t.words @@ ?::tsquery", [tsquery_lexeme(term.words[0], prefix=True)]
    return ("(t.words @@ ?::tsquery AND t.text ~* ?)",
            [" & ".join(tsquery_lexeme(w) for w in dict.fromkeys(term.words)), _phrase_regex(term)])


def mentions(text: str, term: Term) -> bool:
    """Whether a text mentions a term, read in Python (no index): what the indexes answer."""
    return bool(find(text, [term])) if term.kind == "phrase" else any(term.matches(w) for w in set(words(text)))


def search(store: Store, include: Sequence[str | Term], exclude: Sequence[str | Term] = (),
           filters: Filters = Filters(), *, match_all: bool = True, limit: int = 200,
           hits_for: int = 20) -> SearchResult:
    """Statements that mention ``include`` (all, or any with ``match_all=False``; nothing to include:
    every statement) and none of ``exclude``: terms as ``words.Term`` or as typed (``MATCHING_RULE``).
    The first ``hits_for`` matching statements come with every hit (``DocumentHits``)."""
    inc, exc = _terms(include), _terms(exclude)
    where, params = filter_sql(filters)
    kept = f"SELECT r.doc_id{FROM}{where}"
    searched = store.conn.execute(f"SELECT COUNT(*) FROM document_texts WHERE doc_id IN ({kept})", params).fetchone()[0]
    scored = store.conn.execute(f"SELECT COUNT(DISTINCT r.doc_id){FROM}{where}", params).fetchone()[0]
    full_text = has_full_text(store)
    if full_text:
        clauses, args = [f"t.doc_id IN ({kept})"], list(params)
        if inc:
            parts = [_condition(store, term) for term in inc]
            clauses.append("(" + (" AND " if match_all else " OR ").join(sql for sql, _ in parts) + ")")
            args.extend(a for _, part in parts for a in part)
        for term in exc:
            sql, part = _condition(store, term)
            clauses.append(f"NOT {sql}")
            args.extend(part)
        condition = " AND ".join(clauses)
        found = store.conn.execute(f"SELECT t.doc_id, COUNT(*) OVER () FROM document_texts t WHERE {condition}"
                                   f" ORDER BY t.doc_id LIMIT {int(limit)}", args).fetchall()  # one pass: count and first
        matching, ids = (found[0][1] if found else 0), [r[0] for r in found]
    else:  # no index: every kept text read here, with the same rule
        texts = store.conn.execute(f"SELECT doc_id, text FROM document_texts WHERE doc_id IN ({kept}) ORDER BY doc_id",
                                   params).fetchall()
        every = all if match_all else any
        found = [d for d, text in texts if (not inc or every(mentions(text, t) for t in inc))
                 and not any(mentions(text, t) for t in exc)]
        matching, ids = len(found), found[:limit]
    hits = document_hits(store, ids[:hits_for], inc) if inc else {}
    if ids:
        about = frame(store, "SELECT r.doc_id, d.organisation, d.suggestion, d.year, d.file_name AS file, r.doc_type,"
                      " r.subsector, r.overall_level"
                      + FROM + f" WHERE r.status='scored' AND r.doc_id IN ({','.join('?' * len(ids))})"
                      " ORDER BY r.scored_at DESC", ids).drop_duplicates("doc_id")
        rows = about.merge(pd.DataFrame({"doc_id": ids}), on="doc_id", how="right")
    else:
        rows = pd.DataFrame(columns=["doc_id", "organisation", "suggestion", "year", "file", "doc_type", "subsector",
                                     "overall_level"])
    rows["hits"] = [len(hits[d].hits) if d in hits else None for d in rows["doc_id"]]
    rows["snippet"] = [hits[d].snippets[0] if d in hits and hits[d].snippets else None for d in rows["doc_id"]]
    return SearchResult(searched=searched, matching=matching, without_text=max(scored - searched, 0), rows=rows,
                        full_text=full_text, hits=hits, terms=tuple(inc))


def document_hits(store: Store, doc_ids: Sequence[str], terms: Sequence[str | Term]) -> dict[str, DocumentHits]:
    """Every hit of ``terms`` in each document's stored text, with its page where the pages were
    stored (the document viewer's find-in-document reads the same)."""
    terms = _terms(terms)
    if not doc_ids or not terms:
        return {}
    out: dict[str, DocumentHits] = {}
    for doc_id, text, pages in store.conn.execute(
            f"SELECT doc_id, text, pages FROM document_texts WHERE doc_id IN ({','.join('?' * len(doc_ids))})",
            list(doc_ids)).fetchall():
        starts = [tuple(p) for p in json.loads(pages)] if pages else None
        found = find(text, terms, starts)
        out[doc_id] = DocumentHits(tuple(found), tuple(snippet(text, h, pages=starts) for h in found), starts is not None)
    return out


# -- Compare ---------------------------------------------------------------------------------
def organisations(store: Store) -> pd.DataFrame:
    """Every organisation with a scored statement: organisation, statements (results), latest year."""
    return frame(store, "SELECT d.organisation, COUNT(*) AS statements, MAX(d.year) AS latest_year" + FROM
                 + f" WHERE r.status='scored' AND d.organisation IS NOT NULL AND {STATEMENTS_AND_LETTERS}"
                 " GROUP BY d.organisation"
                 " ORDER BY lower(d.organisation), d.organisation")


def firm_results(store: Store, names: Sequence[str], rubric: Rubric) -> pd.DataFrame:
    """The scored results of the organisations written as ``names``, oldest first, with theme and
    criterion levels."""
    placeholders = ",".join("?" * len(names))
    ids = [r[0] for r in store.conn.execute(
        "SELECT r.id" + FROM + f" WHERE r.status='scored' AND {STATEMENTS_AND_LETTERS} AND d.organisation IN"
        f" ({placeholders})", list(names))]
    return _results_by_id(store, ids, rubric, criteria=True).sort_values(["year", "scored_at"], na_position="first")


def peer_results(store: Store, subsector: str | None, exclude: Sequence[str], rubric: Rubric) -> pd.DataFrame:
    """The latest scored statement of every other organisation in ``subsector`` (None: results
    without one), one row per organisation however many years it has, with theme levels. Only
    statements of a named organisation: a letter, a report or a filing is no peer."""
    condition = ("r.subsector = ?" if subsector else "r.subsector IS NULL") + \
        " AND r.doc_type = 'statement' AND d.organisation IS NOT NULL"
    excluded = ",".join("?" * len(exclude))
    rows = store.conn.execute(
        "SELECT id FROM (SELECT r.id, ROW_NUMBER() OVER (PARTITION BY d.organisation ORDER BY d.year DESC NULLS LAST,"
        " r.scored_at DESC, r.id DESC) AS n" + FROM + f" WHERE r.status='scored' AND {condition}"
        + (f" AND d.organisation NOT IN ({excluded})" if exclude else "") + ") AS ranked WHERE n = 1",
        ([subsector] if subsector else []) + list(exclude)).fetchall()
    return _results_by_id(store, [r[0] for r in rows], rubric)


def _results_by_id(store: Store, ids: list[int], rubric: Rubric, *, criteria: bool = False) -> pd.DataFrame:
    if not ids:
        return pd.DataFrame(columns=["result_id", "doc_id", "organisation", "year", "file", "origin", "subsector",
                                     "overall_level", "scored_at"])
    table = frame(store, "SELECT r.id AS result_id, r.doc_id, d.organisation, d.year, d.file_name AS file, d.origin,"
                  " r.subsector, r.statutory_state, r.overall_level, r.scored_at" + FROM
                  + f" WHERE r.id IN ({','.join('?' * len(ids))})", ids)
    levels = _pivot(store, "theme_results", "theme", ids, [t.id for t in rubric.themes])
    if criteria:
        levels = levels.join(_pivot(store, "criterion_results", "criterion", ids, [c.id for c in rubric.criteria],
                                    applies=True), how="outer")
    return table.join(levels, on="result_id")
