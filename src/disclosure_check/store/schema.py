"""The store's migrations for SQLite: ordered, numbered, recorded in ``schema_migrations`` by name.

``postgres_schema.MIGRATIONS`` holds the same steps for PostgreSQL, under the same names. A step is
never edited once released: a change is a new step at the end.
"""

from __future__ import annotations

MIGRATIONS: tuple[tuple[str, str], ...] = (
    ("create documents, results and evidence", """
        CREATE TABLE documents (
            doc_id TEXT PRIMARY KEY,
            path TEXT NOT NULL,
            file_name TEXT NOT NULL,
            title TEXT, author TEXT, producer TEXT, creator TEXT, created TEXT, modified TEXT,
            pages INTEGER,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL
        );
        CREATE TABLE results (
            id INTEGER PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(doc_id),
            rubric_version TEXT NOT NULL,
            model_version TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('scored', 'failed')),
            error_code TEXT,
            error TEXT,
            scored_at TEXT NOT NULL,
            result_json TEXT NOT NULL,
            UNIQUE (doc_id, rubric_version, model_version)
        );
        CREATE TABLE element_results (
            result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
            element TEXT NOT NULL,
            present INTEGER NOT NULL,
            confidence REAL NOT NULL,
            PRIMARY KEY (result_id, element)
        );
        CREATE TABLE evidence (
            id INTEGER PRIMARY KEY,
            result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
            element TEXT NOT NULL,
            sentence_index INTEGER NOT NULL,
            page INTEGER NOT NULL,
            text TEXT NOT NULL,
            classifier TEXT NOT NULL,
            score REAL NOT NULL,
            detail TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX evidence_result ON evidence(result_id, element);
        CREATE INDEX results_status ON results(status);
    """),
    ("evidence status: implemented, planned or negative", """
        ALTER TABLE evidence ADD COLUMN status TEXT NOT NULL DEFAULT 'implemented'
            CHECK (status IN ('implemented', 'planned', 'negative'));
    """),
    ("maturity: profile, overall level, criterion and theme levels", """
        ALTER TABLE results ADD COLUMN doc_type TEXT;
        ALTER TABLE results ADD COLUMN financial INTEGER;
        ALTER TABLE results ADD COLUMN subsector TEXT;
        ALTER TABLE results ADD COLUMN statutory_met INTEGER;
        ALTER TABLE results ADD COLUMN overall_level INTEGER;
        CREATE TABLE criterion_results (
            result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
            criterion TEXT NOT NULL,
            theme TEXT NOT NULL,
            level INTEGER NOT NULL,
            applies INTEGER NOT NULL,
            PRIMARY KEY (result_id, criterion)
        );
        CREATE TABLE theme_results (
            result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
            theme TEXT NOT NULL,
            level INTEGER,
            PRIMARY KEY (result_id, theme)
        );
    """),
    ("reviewer decisions: an append-only audit trail; organisation, year and origin of each document", """
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(doc_id),
            target_kind TEXT NOT NULL CHECK (target_kind IN ('element', 'criterion', 'gate', 'document')),
            target_id TEXT NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN ('confirm', 'reject', 'adjust', 'comment')),
            previous_value TEXT,
            new_value TEXT,
            comment TEXT NOT NULL DEFAULT '',
            reviewer TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX reviews_doc ON reviews(doc_id, target_kind, target_id, id);
        CREATE TRIGGER reviews_append_only_update BEFORE UPDATE ON reviews
            BEGIN SELECT RAISE(ABORT, 'reviews are an audit trail: add a new decision instead'); END;
        CREATE TRIGGER reviews_append_only_delete BEFORE DELETE ON reviews
            BEGIN SELECT RAISE(ABORT, 'reviews are an audit trail: add a new decision instead'); END;
        ALTER TABLE documents ADD COLUMN organisation TEXT;
        ALTER TABLE documents ADD COLUMN year INTEGER;
        ALTER TABLE documents ADD COLUMN origin TEXT NOT NULL DEFAULT 'batch';
    """),
    ("extraction provenance: the document's language, pages read by OCR, and each evidence sentence's boxes", """
        ALTER TABLE results ADD COLUMN language TEXT;
        ALTER TABLE results ADD COLUMN pages_ocr TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE evidence ADD COLUMN boxes TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE evidence ADD COLUMN ocr INTEGER NOT NULL DEFAULT 0;
    """),
    ("the options each result was produced with (whether a password was given, never the password), so a "
     "failure is retried when an option that could have caused it changes", """
        ALTER TABLE results ADD COLUMN options TEXT;
    """),
    ("self-assessment shares wait for staff; staff accounts, sign-in sessions and sign-in throttling", """
        CREATE TABLE shares (
            id INTEGER PRIMARY KEY,
            doc_id TEXT NOT NULL,
            file_name TEXT NOT NULL,
            result_json TEXT NOT NULL,
            shared_at TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
            duplicate INTEGER NOT NULL DEFAULT 0,
            decided_by TEXT,
            decided_at TEXT
        );
        CREATE INDEX shares_status ON shares(status, shared_at);
        CREATE INDEX shares_source ON shares(source, shared_at);
        CREATE TABLE accounts (
            key TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY,
            account TEXT NOT NULL REFERENCES accounts(key) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            expires_at REAL NOT NULL
        );
        CREATE TABLE sign_in_failures (
            key TEXT PRIMARY KEY,
            failures INTEGER NOT NULL,
            last_failure REAL NOT NULL
        );
    """),
    ("reviewer decisions on single evidence sentences (target kind 'evidence', id 'element:index:hash') keep the "
     "sentence text, so they can be exported as training examples; the table is rebuilt because SQLite cannot "
     "alter a CHECK constraint, keeping every row and the append-only triggers", """
        CREATE TABLE reviews_v8 (
            id INTEGER PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(doc_id),
            target_kind TEXT NOT NULL CHECK (target_kind IN ('element', 'criterion', 'gate', 'document', 'evidence')),
            target_id TEXT NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN ('confirm', 'reject', 'adjust', 'comment')),
            previous_value TEXT,
            new_value TEXT,
            comment TEXT NOT NULL DEFAULT '',
            reviewer TEXT NOT NULL,
            created_at TEXT NOT NULL,
            text TEXT
        );
        INSERT INTO reviews_v8 (id, doc_id, target_kind, target_id, decision, previous_value, new_value, comment,
                                reviewer, created_at)
            SELECT id, doc_id, target_kind, target_id, decision, previous_value, new_value, comment, reviewer,
                   created_at FROM reviews;
        DROP TABLE reviews;
        ALTER TABLE reviews_v8 RENAME TO reviews;
        CREATE INDEX reviews_doc ON reviews(doc_id, target_kind, target_id, id);
        CREATE TRIGGER reviews_append_only_update BEFORE UPDATE ON reviews
            BEGIN SELECT RAISE(ABORT, 'reviews are an audit trail: add a new decision instead'); END;
        CREATE TRIGGER reviews_append_only_delete BEFORE DELETE ON reviews
            BEGIN SELECT RAISE(ABORT, 'reviews are an audit trail: add a new decision instead'); END;
    """),
    ("one reviewed truth: reviewers' decisions are applied by re-scoring (decisions.py) and the result's SQL rows "
     "hold the reviewed values (the machine's kept beside them); gate checks and letter items get rows; the "
     "'letter' review kind; each document's text (keyword search) and a stored copy of shared PDFs", """
        ALTER TABLE results ADD COLUMN reviewed_json TEXT;
        ALTER TABLE results ADD COLUMN statutory_state TEXT;
        ALTER TABLE results ADD COLUMN industry TEXT;
        ALTER TABLE results ADD COLUMN decisions INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE results ADD COLUMN gaps INTEGER;
        ALTER TABLE results ADD COLUMN top_gap TEXT;
        ALTER TABLE results ADD COLUMN machine_overall_level INTEGER;
        ALTER TABLE criterion_results ADD COLUMN machine_level INTEGER;
        ALTER TABLE criterion_results ADD COLUMN decision TEXT;
        ALTER TABLE element_results ADD COLUMN machine_present INTEGER;
        ALTER TABLE element_results ADD COLUMN decision TEXT;
        CREATE TABLE gate_results (
            result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
            check_id TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('met', 'not_explicit', 'not_met')),
            machine_state TEXT NOT NULL,
            decision TEXT,
            PRIMARY KEY (result_id, check_id)
        );
        CREATE TABLE letter_results (
            result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
            item TEXT NOT NULL,
            kind TEXT NOT NULL,
            level INTEGER NOT NULL,
            machine_level INTEGER NOT NULL,
            decision TEXT,
            PRIMARY KEY (result_id, item)
        );
        CREATE INDEX criterion_results_criterion ON criterion_results(criterion, level);
        CREATE INDEX results_doc ON results(doc_id, status);
        CREATE TABLE document_texts (
            doc_id TEXT PRIMARY KEY REFERENCES documents(doc_id),
            text TEXT NOT NULL
        );
        CREATE TABLE document_files (
            doc_id TEXT PRIMARY KEY REFERENCES documents(doc_id),
            content BLOB NOT NULL
        );
        ALTER TABLE shares ADD COLUMN content BLOB;
        CREATE TABLE reviews_v9 (
            id INTEGER PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(doc_id),
            target_kind TEXT NOT NULL CHECK (target_kind IN ('element', 'criterion', 'gate', 'document', 'evidence',
                                                             'letter')),
            target_id TEXT NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN ('confirm', 'reject', 'adjust', 'comment')),
            previous_value TEXT,
            new_value TEXT,
            comment TEXT NOT NULL DEFAULT '',
            reviewer TEXT NOT NULL,
            created_at TEXT NOT NULL,
            text TEXT
        );
        INSERT INTO reviews_v9 SELECT id, doc_id, target_kind, target_id, decision, previous_value, new_value, comment,
                                      reviewer, created_at, text FROM reviews;
        DROP TABLE reviews;
        ALTER TABLE reviews_v9 RENAME TO reviews;
        CREATE INDEX reviews_doc ON reviews(doc_id, target_kind, target_id, id);
        CREATE TRIGGER reviews_append_only_update BEFORE UPDATE ON reviews
            BEGIN SELECT RAISE(ABORT, 'reviews are an audit trail: add a new decision instead'); END;
        CREATE TRIGGER reviews_append_only_delete BEFORE DELETE ON reviews
            BEGIN SELECT RAISE(ABORT, 'reviews are an audit trail: add a new decision instead'); END;
    """),
    ("keyword search: a full-text index (SQLite FTS5) over document_texts, kept in step by triggers, texts "
     "stored before indexed once; a covering index of the columns the overview aggregates, so its queries "
     "never read the stored JSON's overflow pages", """
        CREATE VIRTUAL TABLE document_search USING fts5(text, content='document_texts', content_rowid='rowid');
        CREATE TRIGGER document_texts_search_insert AFTER INSERT ON document_texts BEGIN
            INSERT INTO document_search(rowid, text) VALUES (new.rowid, new.text);
        END;
        CREATE TRIGGER document_texts_search_delete AFTER DELETE ON document_texts BEGIN
            INSERT INTO document_search(document_search, rowid, text) VALUES ('delete', old.rowid, old.text);
        END;
        CREATE TRIGGER document_texts_search_update AFTER UPDATE ON document_texts BEGIN
            INSERT INTO document_search(document_search, rowid, text) VALUES ('delete', old.rowid, old.text);
            INSERT INTO document_search(rowid, text) VALUES (new.rowid, new.text);
        END;
        INSERT INTO document_search(document_search) VALUES ('rebuild');
        CREATE INDEX results_scored_at ON results(scored_at);
        CREATE INDEX results_overview ON results(status, scored_at, subsector, overall_level, statutory_state,
                                                 financial, doc_type, decisions, statutory_met, top_gap,
                                                 machine_overall_level, doc_id);
        CREATE INDEX theme_results_levels ON theme_results(result_id, theme, level);
        CREATE INDEX criterion_results_levels ON criterion_results(result_id, criterion, applies, level);
    """),
    ("one decision vocabulary (confirm, reject, set_level, comment: the old 'adjust' rows become set_level, or "
     "confirm/reject on an element, or a comment where no level can be read; an old 'reject' of a criterion is "
     "set_level 0, as it was always read); the rubric each result was scored with, kept as data, so decisions are "
     "applied with it whoever opens the database", """
        CREATE TABLE rubrics (
            key TEXT PRIMARY KEY,
            data TEXT NOT NULL,
            recorded_at TEXT NOT NULL
        );
        CREATE TABLE reviews_v11 (
            id INTEGER PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(doc_id),
            target_kind TEXT NOT NULL CHECK (target_kind IN ('element', 'criterion', 'gate', 'document', 'evidence',
                                                             'letter')),
            target_id TEXT NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN ('confirm', 'reject', 'set_level', 'comment')),
            previous_value TEXT,
            new_value TEXT,
            comment TEXT NOT NULL DEFAULT '',
            reviewer TEXT NOT NULL,
            created_at TEXT NOT NULL,
            text TEXT
        );
        INSERT INTO reviews_v11
            SELECT id, doc_id, target_kind, target_id,
                   CASE WHEN decision = 'adjust' AND target_kind = 'element'
                             THEN CASE WHEN new_value = 'true' THEN 'confirm' ELSE 'reject' END
                        WHEN decision = 'adjust' AND (TRIM(new_value) GLOB '[0-9]' OR TRIM(new_value) GLOB '[0-9][0-9]')
                             THEN 'set_level'
                        WHEN decision = 'adjust' THEN 'comment'
                        WHEN decision = 'reject' AND target_kind = 'criterion' THEN 'set_level'
                        ELSE decision END,
                   previous_value,
                   CASE WHEN decision = 'adjust' AND target_kind = 'element' THEN NULL
                        WHEN decision = 'adjust' AND (TRIM(new_value) GLOB '[0-9]' OR TRIM(new_value) GLOB '[0-9][0-9]')
                             THEN CAST(CAST(TRIM(new_value) AS INTEGER) AS TEXT)
                        WHEN decision = 'reject' AND target_kind = 'criterion' THEN '0'
                        ELSE new_value END,
                   comment, reviewer, created_at, text
            FROM reviews;
        DROP TABLE reviews;
        ALTER TABLE reviews_v11 RENAME TO reviews;
        CREATE INDEX reviews_doc ON reviews(doc_id, target_kind, target_id, id);
        CREATE TRIGGER reviews_append_only_update BEFORE UPDATE ON reviews
            BEGIN SELECT RAISE(ABORT, 'reviews are an audit trail: add a new decision instead'); END;
        CREATE TRIGGER reviews_append_only_delete BEFORE DELETE ON reviews
            BEGIN SELECT RAISE(ABORT, 'reviews are an audit trail: add a new decision instead'); END;
    """),
    ("judgements about a document that staff can correct: a 'set_value' decision (document:doc_type, "
     "organisation, company_number, year, sector, jurisdiction); where each document's organisation came from "
     "and what a fallback only suggests (never stored as the name); the laws each result answers", """
        CREATE TABLE reviews_v12 (
            id INTEGER PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(doc_id),
            target_kind TEXT NOT NULL CHECK (target_kind IN ('element', 'criterion', 'gate', 'document', 'evidence',
                                                             'letter')),
            target_id TEXT NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN ('confirm', 'reject', 'set_level', 'set_value', 'comment')),
            previous_value TEXT,
            new_value TEXT,
            comment TEXT NOT NULL DEFAULT '',
            reviewer TEXT NOT NULL,
            created_at TEXT NOT NULL,
            text TEXT
        );
        INSERT INTO reviews_v12 SELECT id, doc_id, target_kind, target_id, decision, previous_value, new_value, comment,
                                       reviewer, created_at, text FROM reviews;
        DROP TABLE reviews;
        ALTER TABLE reviews_v12 RENAME TO reviews;
        CREATE INDEX reviews_doc ON reviews(doc_id, target_kind, target_id, id);
        CREATE TRIGGER reviews_append_only_update BEFORE UPDATE ON reviews
            BEGIN SELECT RAISE(ABORT, 'reviews are an audit trail: add a new decision instead'); END;
        CREATE TRIGGER reviews_append_only_delete BEFORE DELETE ON reviews
            BEGIN SELECT RAISE(ABORT, 'reviews are an audit trail: add a new decision instead'); END;
        ALTER TABLE documents ADD COLUMN organisation_source TEXT;
        ALTER TABLE documents ADD COLUMN suggestion TEXT;
        ALTER TABLE results ADD COLUMN jurisdictions TEXT;
        UPDATE documents SET organisation_source = (
            SELECT json_extract(r.result_json, '$.identity_sources.organisation') FROM results r
            WHERE r.doc_id = documents.doc_id ORDER BY r.scored_at DESC, r.id DESC LIMIT 1);
    """),
    ("a statutory check that found nothing is 'not_found' (needs review), apart from 'not_met' (the text or a "
     "reviewer says so); stored rows are rewritten from each result after this step", """
        CREATE TABLE gate_results_v13 (
            result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
            check_id TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('met', 'not_explicit', 'not_found', 'not_met')),
            machine_state TEXT NOT NULL,
            decision TEXT,
            PRIMARY KEY (result_id, check_id)
        );
        INSERT INTO gate_results_v13 SELECT result_id, check_id, state, machine_state, decision FROM gate_results;
        DROP TABLE gate_results;
        ALTER TABLE gate_results_v13 RENAME TO gate_results;
    """),
    ("shares: contact details a business may give with its share, for staff to reach it", """
        ALTER TABLE shares ADD COLUMN contact TEXT NOT NULL DEFAULT '';
    """),
    ("verification: each decision's review role (first, a blind second review that checks without changing the "
     "value, or the resolution of a disagreement); staff assign documents to named reviewers for a first or blind "
     "second review (a random sample's seed recorded)", """
        ALTER TABLE reviews ADD COLUMN role TEXT NOT NULL DEFAULT 'first'
            CHECK (role IN ('first', 'second', 'resolution'));
        CREATE TABLE assignments (
            id INTEGER PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(doc_id),
            reviewer TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('first', 'second')),
            assigned_by TEXT NOT NULL,
            assigned_at TEXT NOT NULL,
            sample TEXT NOT NULL DEFAULT '',
            UNIQUE (doc_id, reviewer, role)
        );
        CREATE INDEX assignments_reviewer ON assignments(reviewer, role, doc_id);
    """),
    ("keyword search by stems and prefixes: a second full-text index of Porter stems ('survivors' finds "
     "'survivor'), the word index rebuilt keeping diacritics (as PostgreSQL's); where each page starts in a "
     "stored text, so every hit has its page (texts stored before have none until scored again)", """
        DROP TRIGGER document_texts_search_insert;
        DROP TRIGGER document_texts_search_delete;
        DROP TRIGGER document_texts_search_update;
        DROP TABLE document_search;
        ALTER TABLE document_texts ADD COLUMN pages TEXT;
        CREATE VIRTUAL TABLE document_search USING fts5(text, content='document_texts', content_rowid='rowid',
                                                        tokenize='unicode61 remove_diacritics 0');
        CREATE VIRTUAL TABLE document_stems USING fts5(text, content='document_texts', content_rowid='rowid',
                                                       tokenize='porter unicode61 remove_diacritics 0',
                                                       detail='none');
        CREATE TRIGGER document_texts_search_insert AFTER INSERT ON document_texts BEGIN
            INSERT INTO document_search(rowid, text) VALUES (new.rowid, new.text);
            INSERT INTO document_stems(rowid, text) VALUES (new.rowid, new.text);
        END;
        CREATE TRIGGER document_texts_search_delete AFTER DELETE ON document_texts BEGIN
            INSERT INTO document_search(document_search, rowid, text) VALUES ('delete', old.rowid, old.text);
            INSERT INTO document_stems(document_stems, rowid, text) VALUES ('delete', old.rowid, old.text);
        END;
        CREATE TRIGGER document_texts_search_update AFTER UPDATE OF text ON document_texts BEGIN
            INSERT INTO document_search(document_search, rowid, text) VALUES ('delete', old.rowid, old.text);
            INSERT INTO document_stems(document_stems, rowid, text) VALUES ('delete', old.rowid, old.text);
            INSERT INTO document_search(rowid, text) VALUES (new.rowid, new.text);
            INSERT INTO document_stems(rowid, text) VALUES (new.rowid, new.text);
        END;
        INSERT INTO document_search(document_search) VALUES ('rebuild');
        INSERT INTO document_stems(document_stems) VALUES ('rebuild');
    """),
)

REVIEWED_TRUTH_MIGRATION = 9  # after it, every stored result's reviewed rows are written once
JUDGEMENTS_MIGRATION = 12  # ... and again after this one (the laws each result answers)
GATE_STATES_MIGRATION = 13  # ... and after this one ("not_found")
REFRESH_AFTER = (REVIEWED_TRUTH_MIGRATION, JUDGEMENTS_MIGRATION, GATE_STATES_MIGRATION)
# After it, PostgreSQL's word and stem columns of the texts stored before are filled (store.py): the
# stems are this package's (words.py), which SQL cannot compute.
SEARCH_STEMS_MIGRATION = next(i for i, (name, _) in enumerate(MIGRATIONS, start=1)
                              if name.startswith("keyword search by stems"))
