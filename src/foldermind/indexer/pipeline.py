"""Indexing, top-down: scan -> read and chunk what changed -> embed in batches -> write -> remove the gone.

Writes follow one protocol that keeps Chroma and the manifest equal across a crash at any moment:
  1. record every chunk id about to be written or dropped as pending (committed to SQLite);
  2. upsert the new vectors into Chroma;
  3. in one SQLite transaction, replace the documents' rows and full-text entries, settling the new ids;
  4. delete the dropped vectors from Chroma and settle their ids.
A rerun (`Index.recover`) deletes every pending id the manifest does not hold.
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import os
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from weakref import WeakKeyDictionary

import numpy as np

from foldermind.config import IndexerConfig
from foldermind.errors import EMPTY_FILE, ExtractionError, FoldermindError
from foldermind.indexer.chunk import Chunk, chunk_document
from foldermind.indexer.extract import Part, file_type, is_slow, is_streamed, read_parts, reader_version
from foldermind.indexer.extract.base import Interrupted, Media, yielding_to
from foldermind.indexer.index import Index
from foldermind.indexer.manifest import DocState, Failure
from foldermind.indexer.records import (
    ChunkRecord,
    DocumentRecord,
    chunk_id_for,
    part_path,
    sha256_hex,
    shadowed_keys,
)
from foldermind.indexer.scan import (
    FileStat,
    IgnoreRules,
    add_ignore_rule,
    category_of,
    display_path,
    scan_folder,
    within,
)

log = logging.getLogger(__name__)

ProgressHook = Callable[[int], AbstractContextManager[Callable[[str], None]]]


@dataclass
class IndexReport:
    indexed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    chunks_embedded: int = 0
    chunks_reused: int = 0
    rebuilt: bool = False
    seconds: float = 0.0
    deferred: list[str] = field(default_factory=list)  # slow files left for a pass after the changes waiting


class Skip(Exception):
    """This file is left for the next pass (it vanished or changed while being read)."""


def read_file(path: str, stat: FileStat, known: DocState | None, index: Index) -> Iterator[DocumentRecord]:
    """The file's documents with their chunks, as they are read: one for most files, one per message and
    readable attachment of a mailbox or an e-mail (named `FILE#PART`, records.part_path). The first `replaces`
    what was indexed of the file, the last `completes` it. Nothing when only its timestamp changed.

    Raises ExtractionError (a reason for `status`) and Skip (the file vanished or changed while being read)."""
    pure = PurePosixPath(path)
    limit = index.config.indexer.max_file_mb
    if stat.size > limit * 1024 * 1024 and not is_streamed(pure):
        raise ExtractionError(
            f"the file is {stat.size / 1048576:.1f} MB, over max_file_mb = {limit}; raise it in config.toml "
            "or move the file out of the folder"
        )
    try:
        file = stat.real_path.open("rb")
    except FileNotFoundError as exc:
        raise Skip("deleted while being read") from exc
    except PermissionError as exc:
        raise ExtractionError("permission denied; make the file readable (chmod u+r) to index it") from exc
    except OSError as exc:
        raise ExtractionError(f"cannot read the file: {exc.strerror or exc}") from exc
    with file:
        sha256 = hashlib.file_digest(file, "sha256").hexdigest()
        if known is not None and known.sha256 == sha256 and known.reader == reader_version(pure):
            index.manifest.touch(path, stat.size, stat.mtime_ns)
            return
        file.seek(0)
        held: DocumentRecord | None = None  # the last one read is held back: it is last only if the file is unchanged
        names: set[str] = set()
        for part in read_parts(file, pure, int(limit * 1024 * 1024), media_of(index.config.indexer)):
            if held is not None:
                yield held
            name = _unique(part.name, names)
            held = _document(path, stat, sha256, replace(part, name=name), index, first=held is None)
    after = _stat(stat.real_path)
    if after is None or (after.st_size, after.st_mtime_ns) != (stat.size, stat.mtime_ns):
        raise Skip("changed while being read")
    if held is None:
        raise ExtractionError("no text found in the file")
    held.completes = True
    yield held


def media_of(config: IndexerConfig) -> Media:
    """What the readers of pictures and recordings take of the [indexer] settings."""
    return Media(config.speech_model, config.ocr_engine, config.ocr_language)


def _unique(name: str, taken: set[str]) -> str:
    """The part's name, numbered where the file already had one of it (two attachments called scan.pdf)."""
    unique, number = name, 1
    while unique in taken:
        number += 1
        unique = f"{name} ({number})"
    taken.add(unique)
    return unique


def _document(path: str, stat: FileStat, sha256: str, part: Part, index: Index, first: bool) -> DocumentRecord:
    """One document of the file as a record with its chunks; not yet the file's last (`completes`)."""
    extracted = part.extracted
    name = part_path(path, part.name)
    extracted.warnings.extend(shadowed_keys(extracted.metadata))
    for warning in extracted.warnings:
        log.warning("%s: %s", name, warning)
    config = index.config.indexer
    title = (extracted.title or PurePosixPath(path).stem).strip()
    chunks = chunk_document(extracted, index.embedder, config.chunk_tokens, config.chunk_overlap, title)
    return DocumentRecord(
        path=name,
        file=path,
        replaces=first,
        completes=False,
        size=stat.size,
        mtime_ns=stat.mtime_ns,
        ctime=stat.ctime,
        sha256=sha256,
        title=title,
        category=category_of(path),
        file_type=part.file_type or file_type(PurePosixPath(path)),
        tags=extracted.tags,
        links=extracted.links,
        metadata=extracted.metadata,
        examples=extracted.examples,
        reader=reader_version(PurePosixPath(path)),
        warnings=extracted.warnings,
        chunks=[
            ChunkRecord(chunk_id_for(name, sha256, i), i, chunk, sha256_hex(chunk.embed_text()), line)
            for i, (chunk, line) in enumerate(zip(chunks, start_lines(extracted.source, chunks), strict=True))
        ],
    )


def start_lines(source: str | None, chunks: list[Chunk]) -> list[int | None]:
    """The 1-based line each chunk starts on, where the format has lines."""
    if source is None:
        return [None] * len(chunks)
    newlines = [i for i, char in enumerate(source) if char == "\n"]
    return [bisect.bisect_left(newlines, chunk.start) + 1 for chunk in chunks]


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def embed_records(index: Index, records: list[ChunkRecord]) -> tuple[np.ndarray, int]:
    """Vectors for the records, embedding each distinct text once and reusing what the index has."""
    reusable = index.manifest.chunks_by_text_hash(r.text_hash for r in records)
    stored = index.vectors.vectors(sorted(set(reusable.values())))
    by_hash = {h: stored[i] for h, i in reusable.items() if i in stored}
    fresh = {r.text_hash: r.chunk.embed_text() for r in records if r.text_hash not in by_hash}
    if fresh:
        by_hash.update(zip(fresh, index.embedder.encode(list(fresh.values())), strict=True))
    vectors = np.stack([by_hash[r.text_hash] for r in records]) if records else np.zeros((0, 1), np.float32)
    return vectors, len(fresh)


def write_documents(index: Index, documents: list[DocumentRecord], report: IndexReport) -> None:
    records = [record for doc in documents for record in doc.chunks]
    vectors, embedded = embed_records(index, records)
    new_ids = [r.chunk_id for r in records]
    old_ids = sorted(set(index.manifest.chunk_ids_of(d.file for d in documents if d.replaces)) - set(new_ids))
    index.manifest.add_pending(new_ids + old_ids)
    if records:
        metadatas = [doc.chunk_metadata(record) for doc in documents for record in doc.chunks]
        index.vectors.upsert(new_ids, vectors, metadatas)
    index.manifest.write_documents(documents)
    index.vectors.delete(old_ids)
    index.manifest.clear_pending(old_ids)
    report.indexed.extend(d.file for d in documents if d.completes)
    report.chunks_embedded += embedded
    report.chunks_reused += len(records) - embedded


def remove_documents(index: Index, paths: list[str]) -> None:
    """Every document of these files. One indexed lookup per file, then a delete by id: no scan of the store."""
    ids = index.manifest.chunk_ids_of(paths)
    index.manifest.add_pending(ids)
    index.manifest.delete_documents(paths)
    index.vectors.delete(ids)
    index.manifest.clear_pending(ids)


@dataclass
class Forgotten:
    path: str  # as the index names it, relative to the context folder
    still_there: bool  # the file is still in the folder: the next scan adds it back unless it is ignored
    rule: str | None  # the line added to .foldermindignore to keep it out, if one was


def forget(index: Index, path: Path, ignore: bool = False) -> Forgotten:
    """Remove one document from the index (a path relative to the current folder, to the context folder, or
    absolute), and with `ignore` add it to .foldermindignore so it stays out. A name typed with composed accents
    ("café", as keyboards write it) finds the file saved with decomposed ones (as macOS saves names)."""
    context = index.config.context_dir.resolve()
    here = Path.cwd() / path
    absolute = path if path.is_absolute() else (here if here.exists() else context / path)
    try:
        relative = display_path(str(absolute.resolve().relative_to(context)))
    except ValueError:
        raise FoldermindError(f"{path} is not inside the context folder {context}") from None
    documents = index.manifest.documents_state()
    if relative not in documents:
        typed = unicodedata.normalize("NFC", relative)
        same = [name for name in documents if unicodedata.normalize("NFC", name) == typed]
        if len(same) != 1:
            raise FoldermindError(f"{relative} is not in the index (see `foldermind search` or `status`)")
        relative, absolute = same[0], context / same[0]
    remove_documents(index, [relative])
    rule = add_ignore_rule(context, relative) if ignore else None
    return Forgotten(relative, absolute.exists(), rule)


def record_failure(index: Index, path: str, stat: FileStat | None, reason: str, report: IndexReport) -> None:
    """List the file as failed with why; what was indexed of it before (or of it in this pass, for a mailbox
    that failed part way) is removed, vectors included, by the pending protocol."""
    log.log(logging.INFO if reason == EMPTY_FILE else logging.WARNING, "Skipped %s: %s", path, reason)
    size, mtime_ns = (stat.size, stat.mtime_ns) if stat else (-1, -1)
    ids = index.manifest.chunk_ids_of([path])
    index.manifest.add_pending(ids)
    index.manifest.record_failure(path, size, mtime_ns, reason, reader_version(PurePosixPath(path)))
    index.vectors.delete(ids)
    index.manifest.clear_pending(ids)
    report.failed[path] = reason


@dataclass
class _PausedRead:
    """A file of many documents (a mailbox) whose reading gave way to newer changes part way: the documents it
    has still to give, read on from where it stopped when the file is unchanged."""

    size: int
    mtime_ns: int
    documents: Iterator[DocumentRecord]


MAX_PAUSED_READS = 4  # paused readings kept (each holds its file open)
_paused_reads: WeakKeyDictionary[Index, dict[str, _PausedRead]] = WeakKeyDictionary()
# Files whose reading gave way to newer changes (a recording, a scanned PDF, a mailbox): read like slow files
# from then on, after the quick files of a pass and not started while changes wait, till they are read.
_gave_way: WeakKeyDictionary[Index, set[str]] = WeakKeyDictionary()


def _reads_long(index: Index, path: str) -> bool:
    """Whether the file takes OCR or speech by its type, or gave way to newer changes when it was last read."""
    return is_slow(PurePosixPath(path)) or path in _gave_way.get(index, set())


def _resumed_or_read(index: Index, path: str, stat: FileStat, known: DocState | None) -> Iterator[DocumentRecord]:
    """The file's documents from where a paused reading of it stopped, if the file is as it was then; else
    read from the start."""
    paused = _paused_reads.get(index, {}).pop(path, None)
    if paused is not None and (paused.size, paused.mtime_ns) == (stat.size, stat.mtime_ns):
        log.info("Going on reading %s from where it gave way", path)
        return paused.documents
    if paused is not None:
        paused.documents.close()  # changed since: read from the start, replacing what was written of it
    return read_file(path, stat, known, index)


def _pause_read(index: Index, path: str, stat: FileStat, documents: Iterator[DocumentRecord]) -> None:
    paused = _paused_reads.setdefault(index, {})
    while len(paused) >= MAX_PAUSED_READS:
        paused.pop(next(iter(paused))).documents.close()
    paused[path] = _PausedRead(stat.size, stat.mtime_ns, documents)
    log.info("Paused reading %s: newer changes first", path)


def forget_paused_reads(index: Index, paths: Iterable[str]) -> None:
    """Drop the paused readings of these files (gone from the folder), closing them."""
    paused = _paused_reads.get(index, {})
    for path in paths:
        _gave_way.get(index, set()).discard(path)
        if (read := paused.pop(path, None)) is not None:
            read.documents.close()


def _batches(
    index: Index,
    todo: list[str],
    files: dict[str, FileStat],
    known: dict[str, DocState],
    report: IndexReport,
    advance: Callable[[str], None],
    waiting: Callable[[], bool],
) -> Iterable[list[DocumentRecord]]:
    """Documents grouped so each embedding call gets enough chunks to keep the model busy. What was read is
    written before a slow file (OCR, speech) is started, so a recording does not hold back the notes before it;
    no slow file is started while other changes are `waiting`, and a recording being transcribed stops at its
    next stretch of speech when they come, a scanned PDF after its page being read by OCR, a mailbox at its
    next message (each goes on from there later, read like a slow file): the rest are left in
    `report.deferred`."""
    batch: list[DocumentRecord] = []
    target = index.config.indexer.embed_batch_size * 4
    gave_way_before = _gave_way.setdefault(index, set())
    for number, path in enumerate(todo):
        if _reads_long(index, path):
            if batch:
                yield batch
                batch = []
            if waiting():
                report.deferred = todo[number:]
                return
        gave_way_before.discard(path)
        gave_way = False
        try:
            with yielding_to(waiting):
                documents = _resumed_or_read(index, path, files[path], known.get(path))
                for document in documents:
                    batch.append(document)
                    if sum(len(d.chunks) for d in batch) >= target:  # a mailbox is written as it is read
                        yield batch
                        batch = []
                    if not document.completes and waiting():  # a mailbox gives way between its messages
                        _pause_read(index, path, files[path], documents)
                        gave_way = True
                        break
        except Interrupted:  # a recording or a scan stopped part way for the changes waiting: it goes on after them
            batch = [d for d in batch if d.file != path]
            gave_way_before.add(path)
            report.deferred = todo[number:]
            break
        except Skip as why:
            log.info("Left %s for the next pass: %s", path, why)
            batch = [d for d in batch if d.file != path]
        except ExtractionError as exc:
            batch = [d for d in batch if d.file != path]
            record_failure(index, path, files[path], str(exc), report)
        except Exception as exc:  # an extractor's bug must not stop the run: log it, list it, go on
            log.exception("Extractor failed on %s", path)
            batch = [d for d in batch if d.file != path]
            record_failure(index, path, files[path], f"extractor crashed: {type(exc).__name__}: {exc}", report)
        if gave_way:  # what it read so far is written (as unfinished), the rest waits behind the changes
            gave_way_before.add(path)
            if batch:
                yield batch
            report.deferred = todo[number:]
            return
        advance(path)
    if batch:
        yield batch


def _needs_work(path: str, stat: FileStat, state: DocState | None, failed: Failure | None) -> bool:
    """New, changed, or read (or failed on) by an older version of the code that reads its type."""
    current = (stat.size, stat.mtime_ns, reader_version(PurePosixPath(path)))
    if state is not None and (state.size, state.mtime_ns, state.reader) == current:
        return False
    return failed is None or (failed.size, failed.mtime_ns, failed.reader) != current


@contextmanager
def _no_progress(total: int) -> Iterator[Callable[[str], None]]:
    yield lambda path: None


def index_folder(
    index: Index,
    progress: ProgressHook | None = None,
    only: set[str] | None = None,
    waiting: Callable[[], bool] = lambda: False,
) -> IndexReport:
    """Bring the index in line with the folder, or with just the `only` paths (files or folders, relative
    to the context folder): the watcher passes what its events named, so a save costs one stat. The daemon
    passes `waiting` (whether new changes are queued): slow files not started by then are left in
    `report.deferred` for it to queue again behind those changes."""
    started = time.perf_counter()
    report = IndexReport(rebuilt=index.adopt_settings())
    index.adopt_media()
    index.recover()
    known = index.manifest.documents_state()
    failures = index.manifest.failures()
    follow = index.config.indexer.follow_symlinks
    if only is None:
        unread: Counter[str] = Counter()
        context, ignore = index.config.context_dir, index.config.indexer.ignore
        files, problems = scan_folder(context, ignore, follow_links=follow, unread=unread)
        with index.manifest.transaction():
            index.manifest.set_meta("unread_types", dict(unread.most_common()))
    else:
        files, problems = {}, {}
        rules = IgnoreRules(index.config.context_dir, index.config.indexer.ignore)
        for target in sorted(only):
            found, trouble = scan_folder(index.config.context_dir, [], under=target, rules=rules, follow_links=follow)
            files.update(found)
            problems.update(trouble)
        keys = {display_path(target) for target in only}
        known = {p: s for p, s in known.items() if within(p, keys)}
        failures = {p: f for p, f in failures.items() if within(p, keys) or p in files}
    gone = sorted(p for p in known if p not in files and p not in problems)
    for path, reason in problems.items():
        if path not in failures or failures[path].reason != reason:
            record_failure(index, path, None, reason, report)
    stale_failures = [p for p in failures if p not in files and p not in problems]
    index.manifest.forget_failures(stale_failures)
    todo = [p for p, stat in sorted(files.items()) if _needs_work(p, stat, known.get(p), failures.get(p))]
    todo.sort(key=lambda path: _reads_long(index, path))  # quick files first: OCR and speech take minutes
    report.unchanged = len(files) - len(todo)
    if todo:
        log.info("Indexing %d new or changed file(s)", len(todo))
        with (progress or _no_progress)(len(todo)) as advance:
            for batch in _batches(index, todo, files, known, report, advance, waiting):
                write_documents(index, batch, report)
    if gone:
        forget_paused_reads(index, gone)
        remove_documents(index, gone)
        report.removed = gone
        log.info("Removed %d deleted file(s) from the index", len(gone))
    with index.manifest.transaction():
        index.manifest.set_meta("last_scan", time.time())
    report.seconds = time.perf_counter() - started
    return report
