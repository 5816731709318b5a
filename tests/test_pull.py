"""`foldermind models pull`: a real download through huggingface_hub from a hub-shaped server on loopback."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from foldermind.home import init_home
from foldermind.models import bundled_gguf
from tests.helpers import HubServer, free_port

pytestmark = pytest.mark.slow
REPO_FILE = "Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q8_0.gguf"  # the catalog's qwen2.5-0.5b


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubServer]:
    broken = tmp_path_factory.mktemp("files") / "broken.gguf"
    broken.write_bytes(b"GGUF" + b"\0" * 4096)  # a GGUF header and nothing llama.cpp can load
    server = HubServer({REPO_FILE: bundled_gguf(), "someone/broken-GGUF/broken.gguf": broken})
    yield server
    server.close()


def pull(home: Path, endpoint: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_ENDPOINT": endpoint, "HF_HOME": str(home.parent / "hf-home")}
    return subprocess.run(
        [sys.executable, "-m", "foldermind", "--home", str(home), "models", "pull", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def test_a_catalog_model_is_downloaded_checked_and_made_the_served_base(tmp_path: Path, hub: HubServer) -> None:
    home = tmp_path / "home"
    init_home(home)
    result = pull(home, hub.url, "qwen2.5-0.5b", "--serve", "--no-train")
    assert result.returncode == 0, result.stderr
    assert any(r.startswith("GET /Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/") for r in hub.requests)
    text = (home / "config.toml").read_text()
    settings = tomllib.loads(text)
    served = Path(settings["server"]["base_model"])
    assert served.read_bytes() == bundled_gguf().read_bytes() and str(tmp_path / "hf-home") in str(served)
    assert settings["trainer"]["base_model"] == "HuggingFaceTB/SmolLM2-135M-Instruct"  # --no-train
    assert "# Port of the API and chat page." in text  # the file's comments survive
    assert "now the served base model" in result.stdout


def test_without_a_network_it_fails_clearly_and_changes_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    init_home(home)
    before = (home / "config.toml").read_bytes()
    result = pull(home, f"http://127.0.0.1:{free_port()}", "qwen2.5-0.5b", "--serve", "--train")
    assert result.returncode == 1
    assert "Could not download qwen2.5-0.5b-instruct-q8_0.gguf" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    assert (home / "config.toml").read_bytes() == before


def test_a_file_llama_cpp_cannot_run_is_not_offered(tmp_path: Path, hub: HubServer) -> None:
    home = tmp_path / "home"
    init_home(home)
    before = (home / "config.toml").read_bytes()
    result = pull(home, hub.url, "someone/broken-GGUF", "--file", "broken.gguf", "--serve")
    assert result.returncode == 1 and "cannot run it" in result.stderr + result.stdout
    assert (home / "config.toml").read_bytes() == before


def test_without_a_name_it_lists_the_catalog(tmp_path: Path) -> None:
    result = pull(tmp_path / "home", f"http://127.0.0.1:{free_port()}")
    assert result.returncode == 0
    for name in ("smollm2-360m", "qwen2.5-0.5b", "qwen2.5-1.5b", "llama3.2-1b", "gemma3-1b", "smollm2-1.7b"):
        assert name in result.stdout
