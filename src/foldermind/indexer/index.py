"""The index as one object: the manifest (SQLite), the vectors (Chroma) and the embedding model that made
them. The settings that shape vectors are recorded, so vectors from two models never mix."""

from __future__ import annotations

import datetime as dt
import json
import logging
from functools import cached_property
from pathlib import Path
from typing import Any

from foldermind.config import Config
from foldermind.errors import IndexStateError
from foldermind.indexer.embed import Embedder, shared_embedder
from foldermind.indexer.manifest import Manifest, manifest_path
from foldermind.indexer.records import sha256_hex
from foldermind.indexer.vectors import VectorStore

log = logging.getLogger(__name__)
COLLECTION_PREFIX = "foldermind-"


class Index:
    def __init__(self, config: Config, embedder: Embedder | None = None) -> None:
        self.config = config
        path = manifest_path(config.data_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.manifest = Manifest(path)
        self.settings = {
            "embedding_model": config.indexer.embedding_model,
            "chunk_tokens": config.indexer.chunk_tokens,
            "chunk_overlap": config.indexer.chunk_overlap,
        }
        fingerprint = sha256_hex(json.dumps(self.settings, sort_keys=True))[:12]
        self.vectors = VectorStore(config.data_dir, config.indexer.chroma_url, COLLECTION_PREFIX + fingerprint)
        if embedder is not None:
            self.__dict__["embedder"] = embedder

    @cached_property
    def embedder(self) -> Embedder:
        """Loaded on first use (about 5 s): a rescan with nothing new never pays for it."""
        indexer = self.config.indexer
        return shared_embedder(indexer.embedding_model, indexer.embed_batch_size, indexer.embedding_backend)

    @property
    def recorded_settings(self) -> dict[str, Any] | None:
        return self.manifest.get_meta("settings")

    def status(self) -> dict[str, Any]:
        """What `status` and GET /status tell of the index: counts, failures with their reasons, documents that
        come in through links from outside the context folder, and whether the settings changed."""
        from foldermind.indexer.scan import outside

        last_scan = self.manifest.get_meta("last_scan")
        data = self.config.data_dir
        return {
            "home": str(self.config.home),
            "context": str(self.config.context_dir),
            **self.manifest.counts(),
            "types": self.manifest.type_counts(),
            "unread_types": self.manifest.get_meta("unread_types") or {},
            "vectors": self.vectors.count(),
            "failed": {path: failure.reason for path, failure in self.manifest.failures().items()},
            "warnings": self.manifest.warnings(),
            "from_outside": outside(self.config.context_dir, list(self.manifest.documents_state())),
            "last_scan": dt.datetime.fromtimestamp(last_scan).isoformat(timespec="seconds") if last_scan else None,
            "store_bytes": _folder_size(data / "index") + _folder_size(data / "chroma"),
            "embedding_model": self.config.indexer.embedding_model,
            "settings_changed": self.settings_changed(),
        }

    def settings_changed(self) -> bool:
        recorded = self.recorded_settings
        return recorded is not None and recorded != self.settings

    def require_current(self) -> None:
        """Searching an index built with other settings would mix vector spaces: refuse, say what to do."""
        if self.settings_changed():
            raise IndexStateError(
                f"The index was built with {self.recorded_settings}, but config.toml now says {self.settings}. "
                "Run `foldermind index` to re-embed everything with the new settings."
            )

    def adopt_settings(self) -> bool:
        """Start over when the settings changed; True when everything must be re-embedded."""
        changed = self.settings_changed()
        if changed:
            log.warning(
                "The embedding model or chunk settings changed (%s -> %s): re-embedding every document.",
                self.recorded_settings,
                self.settings,
            )
            self.manifest.reset()
        if changed or self.recorded_settings is None:
            with self.manifest.transaction():
                self.manifest.set_meta("settings", self.settings)
        for name in self.vectors.drop_others(COLLECTION_PREFIX):
            log.info("Dropped the vectors of earlier settings (%s)", name)
        return changed

    def adopt_media(self) -> list[str]:
        """Read again what other media settings read differently: recordings after a change of speech_model,
        pictures and PDFs after one of the OCR settings (their documents count as unfinished, their failures
        are forgotten). Returns the file types to read again."""
        from foldermind.indexer.extract import AUDIO_SUFFIXES, IMAGE_SUFFIXES

        indexer = self.config.indexer
        current = {"speech_model": indexer.speech_model, "ocr": [indexer.ocr_engine, indexer.ocr_language]}
        recorded = self.manifest.get_meta("media")
        if recorded == current:
            return []
        suffixes: list[str] = []
        if recorded is not None and recorded.get("speech_model") != current["speech_model"]:
            suffixes += AUDIO_SUFFIXES
        if recorded is not None and recorded.get("ocr") != current["ocr"]:
            suffixes += [*IMAGE_SUFFIXES, ".pdf"]
        types = [suffix.lstrip(".") for suffix in suffixes]
        with self.manifest.transaction():
            self.manifest.read_again(types)
            self.manifest.set_meta("media", current)
        if types:
            log.info("The speech or OCR settings changed: reading the %s files again", ", ".join(types))
        return types

    def recover(self) -> int:
        """Finish what a crash interrupted: vectors whose manifest write never committed are removed."""
        committed, orphaned = self.manifest.pending()
        if orphaned:
            self.vectors.delete(sorted(orphaned))
        if committed or orphaned:
            self.manifest.clear_pending(committed | orphaned)
            log.info("Recovered from an interrupted run (%d stray vectors removed)", len(orphaned))
        return len(orphaned)

    def close(self) -> None:
        self.manifest.close()


def _folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.exists() else 0
