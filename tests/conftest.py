"""Shared fixtures: a real home folder on disk, the real bundled embedding model loaded once per session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from foldermind.config import Config
from foldermind.home import init_home, open_home
from foldermind.indexer.embed import Embedder
from foldermind.indexer.index import Index
from tests.helpers import BROWSER_ARGS, CHROMIUM


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return Embedder("sentence-transformers/all-MiniLM-L6-v2")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in [n for n in os.environ if n.startswith("FOLDERMIND_")]:
        monkeypatch.delenv(name)
    path = tmp_path / "home"
    init_home(path)
    (path / "context" / "README.md").unlink()  # tests choose their own files
    return path


@pytest.fixture
def config(home: Path) -> Config:
    return open_home(home)


@pytest.fixture
def context(config: Config) -> Path:
    return config.context_dir


@pytest.fixture
def index(config: Config, embedder: Embedder) -> Iterator[Index]:
    idx = Index(config, embedder=embedder)
    yield idx
    idx.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, through Playwright (the page's tests)."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS, headless=True)
        yield launched
        launched.close()
