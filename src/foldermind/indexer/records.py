"""The indexer's records: what one document and its chunks look like between the pipeline and storage."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from foldermind.indexer.chunk import Chunk
from foldermind.indexer.extract.base import Example

SYSTEM_KEYS = ("path", "file", "title", "category", "file_type", "heading", "page", "position")
SYSTEM_KEY_MEANINGS = {
    "path": "the document's path",
    "file": "the file it is in",
    "category": "the subfolder it is in",
    "file_type": "its type",
    "heading": "a chunk's heading",
    "page": "a chunk's page",
    "position": "a chunk's place in the document",
}


def shadowed_keys(metadata: dict[str, Any]) -> list[str]:
    """A warning for each metadata key named like one of foldermind's own fields (SYSTEM_KEYS but `title`, which
    front matter sets): `--where` filters that field, so the key cannot be filtered on."""
    return [
        f"the key `{key}` is named like foldermind's own field ({SYSTEM_KEY_MEANINGS[key]}), which `--where {key}=`"
        " filters: rename it to filter on it"
        for key in metadata
        if key in SYSTEM_KEY_MEANINGS
    ]


def sha256_hex(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


@dataclass(frozen=True)
class ChunkRecord:
    chunk_id: str
    position: int
    chunk: Chunk
    text_hash: str
    line: int | None = None  # 1-based line of the chunk's start in the file, for formats that have lines


@dataclass
class DocumentRecord:
    path: str
    size: int
    mtime_ns: int
    ctime: float
    sha256: str
    title: str
    category: str
    file_type: str
    tags: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    chunks: list[ChunkRecord] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)  # a user's training examples, for an examples file
    reader: int = 0  # the reader_version that read it: an upgrade that reads files differently re-reads it
    warnings: list[str] = field(default_factory=list)  # what reading left out (a bad line, a malformed part)
    # The file it was read from; "" means `path` itself. A file of several documents (a mailbox, an e-mail with
    # attachments) names each `FILE#PART` (extract.Part), and they are written, replaced and removed together.
    file: str = ""
    replaces: bool = True  # the first of its file in this pass: the file's earlier documents go when it is written
    completes: bool = True  # the last of its file: when it is written, the file counts as read (manifest.reader)

    def __post_init__(self) -> None:
        self.file = self.file or self.path

    def chunk_metadata(self, record: ChunkRecord) -> dict[str, str | int | float | bool]:
        """Flat metadata Chroma can filter on: system keys, each tag as `tag:NAME`, front-matter as text."""
        meta: dict[str, str | int | float | bool] = {
            key: scalar_text(value)
            for key, value in self.metadata.items()
            if key not in SYSTEM_KEYS and storable_key(key)
        }
        meta.update({f"tag:{tag}": True for tag in self.tags})
        meta.update(
            path=self.path,
            file=self.file,
            title=self.title,
            category=self.category,
            file_type=self.file_type,
            heading=" > ".join(record.chunk.heading),
            position=record.position,
        )
        if record.chunk.page is not None:
            meta["page"] = record.chunk.page
        return meta


def storable_key(key: str) -> bool:
    """Whether Chroma stores a metadata key: not empty, not starting with "$" or "#" (its operators and
    internals) and not "chroma:document". Chroma refuses the whole batch otherwise, and with it every file
    of an indexing run (`"$schema": ...` in a note's front matter did). A key it cannot store is still
    filtered on through the manifest, which holds every key (manifest._filter_sql)."""
    return bool(key) and key[0] not in "$#" and key != "chroma:document"


def scalar_text(value: Any) -> str:
    """Front-matter values as the text a user types in `--where key=value`."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)


def part_path(path: str, part: str) -> str:
    """A document's path in the index: the file's, or `FILE#PART` for one of the several documents a file holds
    ("inbox.mbox#3", "inbox.mbox#3/lease.pdf")."""
    return f"{path}#{part}" if part else path


def chunk_id_for(path: str, sha256: str, position: int) -> str:
    """Stable for the same content at the same path (so a re-run after a crash overwrites, not adds),
    new for new content (so a changed document's old and new chunks never share an id)."""
    return f"{sha256_hex(path)[:12]}{sha256[:12]}-{position}"


def lines(first: int | None, last: int | None) -> str:
    """ "line 7", "lines 7-9", or "" where the format has no lines (`first` is None)."""
    if first is None:
        return ""
    return f"line {first}" if last in (None, first) else f"lines {first}-{last}"


def location(page: int | None, heading: str) -> str:
    """Where in its document a chunk sits, as a reader would say it: "page 3", "page 2 (OCR)" for a page with a
    heading (text read by OCR), else its heading path."""
    if page:
        return f"page {page} ({heading})" if heading else f"page {page}"
    return heading
