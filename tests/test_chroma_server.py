"""With `chroma_url` set, vectors live in a Chroma server: the same indexing and search, over HTTP."""

from __future__ import annotations

import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from foldermind.config import Config
from foldermind.errors import IndexStateError
from foldermind.indexer.embed import Embedder
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder
from foldermind.indexer.search import search
from tests.helpers import MIXED_FILES, free_port, wait_until, write

pytestmark = pytest.mark.slow
CHROMA = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    folder = tmp_path_factory.mktemp("chroma-server")
    process = subprocess.Popen(
        [CHROMA, "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    wait_until(lambda: urllib.request.urlopen(f"{url}/api/v2/heartbeat").status == 200, 60, "chroma run")
    yield url
    process.terminate()
    process.wait(10)


def test_indexing_and_search_work_against_a_chroma_server(
    config: Config, embedder: Embedder, context: Path, chroma_server: str
) -> None:
    config.indexer.chroma_url = chroma_server
    for name, content in MIXED_FILES.items():
        write(context / name, content)
    index = Index(config, embedder=embedder)
    index_folder(index)
    assert not (config.data_dir / "chroma").exists()
    assert index.vectors.count() == index.manifest.counts()["chunks"]
    assert search(index, "when were the tomatoes planted", k=1, mode="vector")[0].path == "notes/garden.html"
    (context / "notes/garden.html").unlink()
    index_folder(index)
    assert index.vectors.count() == index.manifest.counts()["chunks"]


def test_an_unreachable_chroma_server_is_a_clear_error(config: Config) -> None:
    config.indexer.chroma_url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(IndexStateError, match="Cannot reach the Chroma server"):
        Index(config)
