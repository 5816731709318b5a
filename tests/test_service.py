"""`foldermind service` writes a systemd user unit that runs the daemon for this home."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from foldermind.cli import app

runner = CliRunner()


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg"


def test_install_writes_a_unit_that_runs_this_home(home: Path, config_home: Path) -> None:
    result = runner.invoke(app, ["--home", str(home), "service", "install", "--no-enable"])
    assert result.exit_code == 0, result.output
    unit = (config_home / "systemd/user/foldermind.service").read_text()
    assert f"-m foldermind --home {home} run" in unit
    assert "WantedBy=default.target" in unit and "Restart=on-failure" in unit


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_the_unit_passes_systemd_analyze(home: Path, config_home: Path) -> None:
    runner.invoke(app, ["--home", str(home), "service", "install", "--no-enable"])
    unit = config_home / "systemd/user/foldermind.service"
    # System mode: `--user` needs a user manager, which containers and CI lack. The unit's syntax is the same;
    # a fatal setting fails the exit status and a value systemd would ignore prints a warning.
    checked = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True)
    assert checked.returncode == 0 and checked.stderr == "", checked.stderr


def test_status_and_uninstall_follow_the_unit_file(home: Path, config_home: Path) -> None:
    assert "not installed" in runner.invoke(app, ["service", "status"]).output
    runner.invoke(app, ["--home", str(home), "service", "install", "--no-enable"])
    assert "installed at" in runner.invoke(app, ["service", "status"]).output
    assert "removed" in runner.invoke(app, ["service", "uninstall"]).output
    assert not (config_home / "systemd/user/foldermind.service").exists()


def test_the_repository_unit_is_the_packaged_template() -> None:
    repo_unit = Path(__file__).parent.parent / "systemd" / "foldermind.service"
    assert "{python} -m foldermind --home {home} run" in repo_unit.read_text()
