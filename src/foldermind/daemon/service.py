"""`foldermind service`: the daemon as a systemd user unit, so it starts with the session (or the machine,
with `loginctl enable-linger`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

from foldermind.errors import FoldermindError

UNIT = "foldermind.service"


def unit_path() -> Path:
    config_home = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return config_home / "systemd" / "user" / UNIT


def unit_text(home: Path) -> str:
    template = resources.files("foldermind.daemon").joinpath(UNIT).read_text(encoding="utf-8")
    return template.replace("{python}", sys.executable).replace("{home}", str(home))


def _systemctl(*args: str) -> subprocess.CompletedProcess[str] | None:
    if shutil.which("systemctl") is None:
        return None
    return subprocess.run(["systemctl", "--user", *args], capture_output=True, text=True, check=False)


def install(home: Path, enable: bool = True) -> list[str]:
    """Write the unit; enable and start it where systemd is there. Returns what was done, in words."""
    path = unit_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(unit_text(home), encoding="utf-8")
    done = [f"wrote {path}"]
    if not enable:
        return done
    if _systemctl("daemon-reload") is None:
        return [*done, "systemctl is not available here: start it with `foldermind run` instead"]
    started = _systemctl("enable", "--now", UNIT)
    if started is not None and started.returncode != 0:
        raise FoldermindError(f"systemctl could not start foldermind: {started.stderr.strip()}")
    user = os.environ.get("USER", "$USER")
    return [*done, f"enabled and started; to keep it running after you log out: `loginctl enable-linger {user}`"]


def uninstall() -> list[str]:
    done = []
    result = _systemctl("disable", "--now", UNIT)
    if result is not None and result.returncode == 0:
        done.append("stopped and disabled")
    if unit_path().exists():
        unit_path().unlink()
        done.append(f"removed {unit_path()}")
        _systemctl("daemon-reload")
    return done or ["not installed"]


def status() -> str:
    if not unit_path().exists():
        return "not installed (run `foldermind service install`)"
    result = _systemctl("is-active", UNIT)
    if result is None:
        return f"installed at {unit_path()}; systemctl is not available to ask whether it runs"
    return f"installed at {unit_path()}; {result.stdout.strip() or result.stderr.strip()}"
