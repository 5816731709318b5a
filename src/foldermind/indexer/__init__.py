"""The indexer: files in the context folder become chunks in Chroma plus a manifest and full-text index."""
