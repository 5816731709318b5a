"""`foldermind doctor` says what is fine and, for each problem, what to do."""

from __future__ import annotations

import socket
from pathlib import Path

from typer.testing import CliRunner

from foldermind.cli import app
from foldermind.config import Config
from foldermind.doctor import run_checks
from foldermind.home import open_home

runner = CliRunner()


def test_a_healthy_home_passes_every_check(home: Path) -> None:
    result = runner.invoke(app, ["--home", str(home), "doctor"])
    assert "chat model" in result.output and "embedding model" in result.output
    failed = [c for c in run_checks(open_home(home)) if not c.ok]
    assert [c.name for c in failed] in ([], ["GGUF converter"])  # the converter is fetched on first training
    assert result.exit_code == (1 if failed else 0) and ("FAIL" in result.output) == bool(failed)


def test_a_port_taken_by_another_program_is_reported_with_a_fix(config: Config) -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        config.server.port = other.getsockname()[1]
        port = next(c for c in run_checks(config) if c.name == "port")
    assert not port.ok and "[server] port" in port.fix


def test_an_index_built_with_other_settings_is_reported(config: Config, index: object, context: Path) -> None:
    from foldermind.indexer.pipeline import index_folder

    (context / "a.md").write_text("text")
    index_folder(index)  # type: ignore[arg-type]
    config.indexer.chunk_tokens = 100
    check = next(c for c in run_checks(config) if c.name == "index")
    assert not check.ok and "foldermind index" in check.fix


def test_doctor_says_which_llama_cpp_build_it_found(config: Config) -> None:
    import llama_cpp

    check = next(c for c in run_checks(config) if c.name == "llama.cpp")
    found = "with GPU offload" if llama_cpp.llama_supports_gpu_offload() else "CPU only"
    assert check.ok and found in check.detail
