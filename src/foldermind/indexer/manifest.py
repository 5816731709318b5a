"""The manifest: one SQLite file with what is indexed (documents, chunks), the full-text index, failures,
and the pending list that keeps Chroma and SQLite in step across a crash.

Every write is one transaction, and SQLite's schema version (`PRAGMA user_version`) numbers migrations.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from foldermind.indexer.normalize import search_form
from foldermind.indexer.records import DocumentRecord, scalar_text


def _initial_schema(db: sqlite3.Connection) -> None:
    """Documents, chunks, their full-text index, failures, and the pending list (see indexer/pipeline.py)."""
    for statement in (
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            ctime REAL NOT NULL,
            sha256 TEXT NOT NULL,
            title TEXT NOT NULL,
            category TEXT NOT NULL,
            file_type TEXT NOT NULL,
            tags TEXT NOT NULL,
            links TEXT NOT NULL,
            metadata TEXT NOT NULL,
            indexed_at REAL NOT NULL
        )
        """,
        "CREATE INDEX documents_sha256 ON documents(sha256)",
        """
        CREATE TABLE chunks (
            id INTEGER PRIMARY KEY,
            chunk_id TEXT NOT NULL UNIQUE,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            text_hash TEXT NOT NULL,
            heading TEXT NOT NULL,
            page INTEGER,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL
        )
        """,
        "CREATE INDEX chunks_document ON chunks(document_id)",
        "CREATE INDEX chunks_text_hash ON chunks(text_hash)",
        """
        CREATE VIRTUAL TABLE chunks_fts USING fts5(
            text, heading, title, path, tokenize = 'unicode61 remove_diacritics 2'
        )
        """,
        """
        CREATE TABLE failures (
            path TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            reason TEXT NOT NULL,
            at REAL NOT NULL
        )
        """,
        "CREATE TABLE pending (chunk_id TEXT PRIMARY KEY)",
    ):
        db.execute(statement)


def _chunk_line(db: sqlite3.Connection) -> None:
    """The line a chunk starts on, so evidence can point at lines (NULL for chunks indexed before)."""
    db.execute("ALTER TABLE chunks ADD COLUMN line INTEGER")


def _training_examples(db: sqlite3.Connection) -> None:
    """The examples of a user's example files, one row per line: its chat, or why it was rejected."""
    db.execute(
        """
        CREATE TABLE examples (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            line INTEGER NOT NULL,
            messages TEXT,
            error TEXT
        )
        """
    )
    db.execute("CREATE INDEX examples_document ON examples(document_id)")


def _reader_version(db: sqlite3.Connection) -> None:
    """Which version of the reading code (extract.reader_version) read each document, or failed on each file,
    so that an upgrade which reads files differently re-reads them; and what reading a document warned of."""
    db.execute("ALTER TABLE documents ADD COLUMN reader INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE documents ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]'")
    db.execute("ALTER TABLE failures ADD COLUMN reader INTEGER NOT NULL DEFAULT 0")


def _search_form(db: sqlite3.Connection) -> None:
    """A chunk's text moves to `chunks.text` (what evidence shows); the full-text index holds its search form
    (normalize.search_form: compatibility forms folded, unspaced scripts split into characters)."""
    db.execute("ALTER TABLE chunks ADD COLUMN text TEXT NOT NULL DEFAULT ''")
    db.execute("UPDATE chunks SET text = (SELECT f.text FROM chunks_fts f WHERE f.rowid = chunks.id)")
    rows = db.execute("SELECT rowid, text, heading, title, path FROM chunks_fts").fetchall()
    db.executemany(
        "UPDATE chunks_fts SET text = ?, heading = ?, title = ?, path = ? WHERE rowid = ?",
        [(*(search_form(value) for value in row[1:]), row[0]) for row in rows],
    )


def _document_files(db: sqlite3.Connection) -> None:
    """The file each document was read from: a file may hold several documents (a mailbox's messages, an
    e-mail's attachments), named `FILE#PART` in `path`; until now every document was its file."""
    db.execute("ALTER TABLE documents ADD COLUMN file TEXT NOT NULL DEFAULT ''")
    db.execute("UPDATE documents SET file = path")
    db.execute("CREATE INDEX documents_file ON documents(file)")


def _record_chunks(db: sqlite3.Connection) -> None:
    """Which chunks hold records (a table's rows, a record file's objects), so a search can look among records
    alone (0 for chunks indexed before: their files are read again, extract.READER_VERSIONS 25)."""
    db.execute("ALTER TABLE chunks ADD COLUMN record INTEGER NOT NULL DEFAULT 0")


# In order; SQLite's `PRAGMA user_version` is how many have run. Add new ones at the end, never edit old ones.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _initial_schema,
    _chunk_line,
    _training_examples,
    _reader_version,
    _search_form,
    _document_files,
    _record_chunks,
]


def manifest_path(data_dir: Path) -> Path:
    """Where the manifest of a data folder lives; the index and the trainer open it from here."""
    return data_dir / "index" / "manifest.sqlite"


DOCUMENT_COLUMNS = {"path", "file", "title", "category", "file_type"}
UNFINISHED = 0  # the reader of a file's documents written before its last one: the file is read again
MAX_ID = 2**63 - 1  # ids are SQLite rowids: a larger one cannot exist (and overflows a query parameter)


@dataclass(frozen=True)
class DocState:
    id: int
    size: int
    mtime_ns: int
    sha256: str
    reader: int  # the reader_version of its type that read it; UNFINISHED while only some of its documents are written


@dataclass(frozen=True)
class Failure:
    path: str
    size: int
    mtime_ns: int
    reason: str
    at: float
    reader: int  # the reader_version of its type that failed on it


class Manifest:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.execute("PRAGMA busy_timeout = 10000")
        self._migrate()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction():
                migration(self.db)
                self.db.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()

    # meta -------------------------------------------------------------------------------------------
    def get_meta(self, key: str) -> Any:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def set_meta(self, key: str, value: Any) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, json.dumps(value)))

    # reading ----------------------------------------------------------------------------------------
    def documents_state(self) -> dict[str, DocState]:
        """What is indexed of each file, by the file's path: the documents of one file share their state, but
        for the reader, whose least is taken (SQLite fills the other columns from the row that has it)."""
        rows = self.db.execute("SELECT file, id, size, mtime_ns, sha256, min(reader) FROM documents GROUP BY file")
        return {row[0]: DocState(*row[1:]) for row in rows}

    def failures(self) -> dict[str, Failure]:
        rows = self.db.execute("SELECT path, size, mtime_ns, reason, at, reader FROM failures ORDER BY path")
        return {row[0]: Failure(*row) for row in rows}

    def chunk_ids_of(self, files: Iterable[str]) -> list[str]:
        """The chunk ids of every document read from these files."""
        ids: list[str] = []
        for file in files:
            rows = self.db.execute(
                "SELECT c.chunk_id FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.file = ?",
                (file,),
            )
            ids.extend(row[0] for row in rows)
        return ids

    def chunks_by_text_hash(self, hashes: Iterable[str]) -> dict[str, str]:
        """An indexed chunk id for each text hash already embedded, so the same text is embedded once."""
        found: dict[str, str] = {}
        for text_hash in set(hashes):
            row = self.db.execute("SELECT chunk_id FROM chunks WHERE text_hash = ? LIMIT 1", (text_hash,))
            hit = row.fetchone()
            if hit:
                found[text_hash] = hit[0]
        return found

    def counts(self) -> dict[str, int]:
        one = self.db.execute
        return {
            "documents": one("SELECT count(*) FROM documents").fetchone()[0],
            "chunks": one("SELECT count(*) FROM chunks").fetchone()[0],
            "failures": one("SELECT count(*) FROM failures").fetchone()[0],
            "ocr_pages": one(
                "SELECT count(*) FROM (SELECT DISTINCT document_id, page FROM chunks"
                " WHERE heading = 'OCR' OR heading LIKE '% > OCR')"
            ).fetchone()[0],
        }

    def type_counts(self) -> dict[str, int]:
        """Indexed documents by file type ("pdf", "eml"), most first."""
        rows = self.db.execute("SELECT file_type, count(*) FROM documents GROUP BY file_type ORDER BY 2 DESC, 1")
        return {row[0]: row[1] for row in rows}

    def warnings(self) -> dict[str, list[str]]:
        """What reading each indexed document left out or doubted (a bad line, a malformed part), by path."""
        rows = self.db.execute("SELECT path, warnings FROM documents WHERE warnings != '[]' ORDER BY path")
        return {row[0]: json.loads(row[1]) for row in rows}

    def all_chunk_ids(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT chunk_id FROM chunks")}

    # writing ----------------------------------------------------------------------------------------
    def add_pending(self, chunk_ids: Iterable[str]) -> None:
        with self.transaction():
            self.db.executemany("INSERT OR IGNORE INTO pending VALUES (?)", ((i,) for i in chunk_ids))

    def pending(self) -> tuple[set[str], set[str]]:
        """Pending chunk ids split into (committed: in the manifest, orphaned: not in it)."""
        rows = self.db.execute(
            "SELECT p.chunk_id, c.id IS NOT NULL FROM pending p LEFT JOIN chunks c ON c.chunk_id = p.chunk_id"
        ).fetchall()
        return {row[0] for row in rows if row[1]}, {row[0] for row in rows if not row[1]}

    def clear_pending(self, chunk_ids: Iterable[str]) -> None:
        with self.transaction():
            self.db.executemany("DELETE FROM pending WHERE chunk_id = ?", ((i,) for i in chunk_ids))

    def _delete_file(self, file: str) -> None:
        """Every document read from the file, with its chunks and their full-text entries."""
        self.db.execute(
            "DELETE FROM chunks_fts WHERE rowid IN "
            "(SELECT c.id FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.file = ?)",
            (file,),
        )
        self.db.execute("DELETE FROM documents WHERE file = ?", (file,))

    def write_documents(self, documents: list[DocumentRecord]) -> None:
        """Write the documents and their chunks, and settle their pending ids, all in one transaction. The first
        document of a file in a pass (`replaces`) removes what was indexed of the file before; the last
        (`completes`) marks all of the file's documents read, so a file cut short by a crash is read again."""
        now = time.time()
        with self.transaction():
            for doc in documents:
                if doc.replaces:
                    self._delete_file(doc.file)
                self.db.execute("DELETE FROM failures WHERE path = ?", (doc.file,))
                cursor = self.db.execute(
                    "INSERT INTO documents (path, size, mtime_ns, ctime, sha256, title, category, file_type,"
                    " tags, links, metadata, indexed_at, reader, warnings, file)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        doc.path,
                        doc.size,
                        doc.mtime_ns,
                        doc.ctime,
                        doc.sha256,
                        doc.title,
                        doc.category,
                        doc.file_type,
                        json.dumps(doc.tags),
                        json.dumps(doc.links),
                        json.dumps(doc.metadata, default=str),
                        now,
                        doc.reader if doc.completes else UNFINISHED,
                        json.dumps(doc.warnings),
                        doc.file,
                    ),
                )
                document_id = cursor.lastrowid
                self.db.executemany(
                    "INSERT INTO examples (document_id, line, messages, error) VALUES (?, ?, ?, ?)",
                    [
                        (document_id, e.line, json.dumps(e.messages) if e.messages else None, e.error)
                        for e in doc.examples
                    ],
                )
                for record in doc.chunks:
                    heading = " > ".join(record.chunk.heading)
                    row = self.db.execute(
                        "INSERT INTO chunks (chunk_id, document_id, position, text_hash, heading, page, start,"
                        " end, line, text, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            record.chunk_id,
                            document_id,
                            record.position,
                            record.text_hash,
                            heading,
                            record.chunk.page,
                            record.chunk.start,
                            record.chunk.end,
                            record.line,
                            record.chunk.text,
                            record.chunk.record,
                        ),
                    ).lastrowid
                    self.db.execute(
                        "INSERT INTO chunks_fts (rowid, text, heading, title, path) VALUES (?, ?, ?, ?, ?)",
                        (row, *(search_form(value) for value in (record.chunk.text, heading, doc.title, doc.path))),
                    )
                    self.db.execute("DELETE FROM pending WHERE chunk_id = ?", (record.chunk_id,))
                if doc.completes:
                    self.db.execute("UPDATE documents SET reader = ? WHERE file = ?", (doc.reader, doc.file))

    def delete_documents(self, files: Iterable[str]) -> None:
        """Remove every document read from these files."""
        with self.transaction():
            for file in files:
                self._delete_file(file)

    def read_again(self, file_types: list[str]) -> None:
        """Mark the files that hold documents of these types ("ogg", "pdf") unfinished and forget the failures
        of files of these types, so the next index reads them again (within the caller's transaction)."""
        for file_type in file_types:
            self.db.execute(
                "UPDATE documents SET reader = ? WHERE file IN (SELECT file FROM documents WHERE file_type = ?)",
                (UNFINISHED, file_type),
            )
            self.db.execute("DELETE FROM failures WHERE lower(path) LIKE ?", (f"%.{file_type}",))

    def touch(self, file: str, size: int, mtime_ns: int) -> None:
        """Same content, new timestamp (a `touch` or a copy over itself): nothing to re-index."""
        with self.transaction():
            self.db.execute("UPDATE documents SET size = ?, mtime_ns = ? WHERE file = ?", (size, mtime_ns, file))

    def record_failure(self, path: str, size: int, mtime_ns: int, reason: str, reader: int) -> None:
        with self.transaction():
            self._delete_file(path)
            self.db.execute(
                "INSERT OR REPLACE INTO failures (path, size, mtime_ns, reason, at, reader) VALUES (?, ?, ?, ?, ?, ?)",
                (path, size, mtime_ns, reason, time.time(), reader),
            )

    def forget_failures(self, paths: Iterable[str]) -> None:
        with self.transaction():
            self.db.executemany("DELETE FROM failures WHERE path = ?", ((p,) for p in paths))

    def reset(self) -> None:
        """Drop every document (used when the embedding model or chunk settings change)."""
        with self.transaction():
            for table in ("chunks_fts", "chunks", "documents", "failures", "pending"):
                self.db.execute(f"DELETE FROM {table}")

    # search -----------------------------------------------------------------------------------------
    def _filter_sql(self, where: dict[str, str]) -> tuple[str, list[str]]:
        clauses: list[str] = []
        params: list[str] = []
        for key, value in where.items():
            if key in DOCUMENT_COLUMNS:
                clauses.append(f"d.{key} = ?")
            elif key == "tag":
                clauses.append("EXISTS (SELECT 1 FROM json_each(d.tags) WHERE json_each.value = ?)")
            else:
                clauses.append("metadata_text(d.metadata, ?) = ?")
                params.append(key)
            params.append(value)
        return (" AND " + " AND ".join(clauses)) if clauses else "", params

    def matching(self, chunk_ids: list[str], where: dict[str, str]) -> set[str]:
        """Those of the chunks whose document matches the filter."""
        if not chunk_ids:
            return set()
        self.db.create_function("metadata_text", 2, _metadata_text, deterministic=True)
        filter_sql, params = self._filter_sql(where)
        marks = ",".join("?" * len(chunk_ids))
        rows = self.db.execute(
            "SELECT c.chunk_id FROM chunks c JOIN documents d ON d.id = c.document_id"
            f" WHERE c.chunk_id IN ({marks}){filter_sql}",
            [*chunk_ids, *params],
        )
        return {row[0] for row in rows}

    def chunk_ids_where(self, where: dict[str, str], limit: int) -> list[str]:
        """Ids of the chunks whose document matches the filter, at most `limit` of them."""
        self.db.create_function("metadata_text", 2, _metadata_text, deterministic=True)
        filter_sql, params = self._filter_sql(where)
        rows = self.db.execute(
            f"SELECT c.chunk_id FROM chunks c JOIN documents d ON d.id = c.document_id WHERE 1{filter_sql} LIMIT ?",
            [*params, limit],
        )
        return [row[0] for row in rows]

    def words_from(self, prefix: str) -> list[str]:
        """The words of the keyword index (in search form) that begin with `prefix` (FTS5's vocabulary)."""
        self.db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocabulary USING fts5vocab(main, chunks_fts, row)")
        end = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        rows = self.db.execute("SELECT term FROM temp.vocabulary WHERE term >= ? AND term < ?", (prefix, end))
        return [row[0] for row in rows]

    def keyword_search(
        self, match: str, limit: int, where: dict[str, str], records: bool = False
    ) -> list[tuple[str, float]]:
        """(chunk id, bm25 score: higher is better) for an FTS5 MATCH expression; with `records`, among the chunks
        that hold records alone."""
        self.db.create_function("metadata_text", 2, _metadata_text, deterministic=True)
        filter_sql, params = self._filter_sql(where)
        if records:
            filter_sql += " AND c.record = 1"
        rows = self.db.execute(
            "SELECT c.chunk_id, -bm25(chunks_fts, 1.0, 0.5, 2.0, 0.5) AS score FROM chunks_fts"
            " JOIN chunks c ON c.id = chunks_fts.rowid JOIN documents d ON d.id = c.document_id"
            f" WHERE chunks_fts MATCH ?{filter_sql} ORDER BY score DESC LIMIT ?",
            [match, *params, limit],
        )
        return [(row[0], row[1]) for row in rows]

    def chunk_details(self, chunk_ids: list[str]) -> dict[str, sqlite3.Row]:
        details: dict[str, sqlite3.Row] = {}
        for chunk_id in chunk_ids:
            row = self.db.execute(
                "SELECT c.chunk_id, c.position, c.heading, c.page, c.start, c.end, c.line, c.text, d.id AS document_id,"
                " d.path, d.title, d.category, d.file_type, d.tags, d.metadata FROM chunks c"
                " JOIN documents d ON d.id = c.document_id"
                " WHERE c.chunk_id = ?",
                (chunk_id,),
            ).fetchone()
            if row is not None:
                details[chunk_id] = row
        return details

    def chunk_before(self, chunk_id: str) -> tuple[str, int] | None:
        """(text, start offset) of the chunk just before this one in its document: evidence looks there for the
        heading line of a passage its chunk cut off."""
        return self._chunk_beside(chunk_id, -1)

    def chunk_after(self, chunk_id: str) -> tuple[str, int] | None:
        """(text, start offset) of the chunk just after this one in its document: evidence reads there the end of
        a sentence its chunk cut off."""
        return self._chunk_beside(chunk_id, 1)

    def _chunk_beside(self, chunk_id: str, step: int) -> tuple[str, int] | None:
        row = self.db.execute(
            "SELECT p.text, p.start FROM chunks c"
            " JOIN chunks p ON p.document_id = c.document_id AND p.position = c.position + ? WHERE c.chunk_id = ?",
            (step, chunk_id),
        ).fetchone()
        return (row[0], row[1]) if row else None

    # browsing ---------------------------------------------------------------------------------------
    def list_documents(self, where: dict[str, str] | None = None) -> list[sqlite3.Row]:
        """Every document (or those matching the filter, as search filters them), by path, with its chunk count."""
        self.db.create_function("metadata_text", 2, _metadata_text, deterministic=True)
        filter_sql, params = self._filter_sql(where or {})
        return self.db.execute(
            "SELECT d.id, d.path, d.title, d.category, d.file_type, d.size, d.mtime_ns, d.tags, d.indexed_at,"
            " (SELECT count(*) FROM chunks c WHERE c.document_id = d.id) AS chunks FROM documents d"
            f" WHERE 1{filter_sql} ORDER BY d.path",
            params,
        ).fetchall()

    def documents_newest_first(self) -> list[sqlite3.Row]:
        """What the trainer reads: id, path, title and metadata, most recently changed first."""
        return self.db.execute(
            "SELECT id, path, title, file_type, metadata FROM documents ORDER BY mtime_ns DESC, path"
        ).fetchall()

    def document(self, document_id: int) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM documents WHERE id = ?", (document_id,)).fetchone()

    def document_at(self, path: str) -> sqlite3.Row | None:
        """The document indexed at this path (relative to the context folder, with / between parts; `FILE#PART`
        for one of the documents of a mailbox or an e-mail's attachment)."""
        return self.db.execute("SELECT * FROM documents WHERE path = ?", (path,)).fetchone()

    def training_examples(self) -> list[sqlite3.Row]:
        """Every line of the users' example files (path, line, messages JSON or NULL, error or NULL), in order."""
        return self.db.execute(
            "SELECT d.path, d.metadata, e.line, e.messages, e.error FROM examples e "
            "JOIN documents d ON d.id = e.document_id ORDER BY d.path, e.line"
        ).fetchall()

    def document_chunks(self, document_id: int) -> list[sqlite3.Row]:
        return self.db.execute(
            "SELECT chunk_id, position, heading, page, start, end, line, text FROM chunks"
            " WHERE document_id = ? ORDER BY position",
            (document_id,),
        ).fetchall()

    def document_text(self, document_id: int) -> str:
        """The document's text put back together from its chunks (each chunk's overlap with the one before left
        out, sections apart by an empty line), for a document that is not a file of its own."""
        pieces: list[str] = []
        end: int | None = None
        for chunk in self.document_chunks(document_id):
            overlap = 0
            if end is not None:
                overlap = max(0, end - chunk["start"])
                if chunk["start"] > end:
                    pieces.append("\n\n")
            pieces.append(chunk["text"][overlap:])
            end = chunk["end"] if end is None else max(end, chunk["end"])
        return "".join(pieces)


def _metadata_text(metadata: str, key: str) -> str | None:
    value = json.loads(metadata).get(key)
    return None if value is None else scalar_text(value)
