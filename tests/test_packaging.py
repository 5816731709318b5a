"""`pip install .` gives a working `foldermind` command carrying every data file it needs."""

from __future__ import annotations

import re
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

import foldermind

ROOT = Path(__file__).parent.parent
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return next(out.glob("foldermind-*.whl"))


def test_the_wheel_carries_the_data_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "foldermind/config.toml",
        "foldermind/server/static/index.html",
        "foldermind/server/static/app.js",
        "foldermind/trainer/replay.jsonl",
        "foldermind/trainer/reference.txt",
        "foldermind/daemon/foldermind.service",
    ):
        assert needed in names, needed


def test_the_version_lives_in_one_place(wheel: Path) -> None:
    assert f"foldermind-{foldermind.__version__}-" in wheel.name
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert re.search(rf"^## {re.escape(foldermind.__version__)}\b", changelog, re.MULTILINE)


def test_installed_in_a_fresh_venv_the_command_answers_help(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    # the dependencies come from this environment (installing torch again would take minutes)
    site = subprocess.run(
        [str(python), "-c", "import site; print(site.getsitepackages()[0])"], capture_output=True, text=True, check=True
    ).stdout.strip()
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--quiet", str(wheel)], check=True)
    result = subprocess.run([str(venv / "bin" / "foldermind"), "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "init" in result.stdout and "run" in result.stdout
